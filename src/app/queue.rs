//! A window's queue: its list, and the operations on the ticket it holds. A window holds at most
//! one ticket (called or being served); it calls the next only once that one is finished, marked
//! no-show or transferred, so a key can never act on a ticket other than the one at the window.

use super::error::{AppError, AppResult};
use super::types::QueueEntry;
use super::{Acting, Services, Station};
use crate::domain::numbering::{local_day, local_time};
use crate::domain::{Outcome, Route, TicketNo, TicketState};
use crate::storage::{Actor, QueueInfo, Ticket, TicketFilter, WindowTicket};
use chrono::{DateTime, NaiveDate, Utc};

/// A call-next that cannot start writing within this long after it was asked is refused: the
/// database was away, and a ticket called late would be announced to a hall and a clerk that
/// have moved on.
pub const CALL_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// The operations on a called ticket that take no argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketOp {
    Recall,
    NoShow,
    Start,
}

impl Services {
    /// The window's list for the day of `at`: the tickets it holds (called or being served) first,
    /// then the waiting tickets of the queues it serves in calling order (priority first, then by
    /// the time the worker first took a ticket).
    pub async fn window_list(
        &self,
        window: Station,
        at: DateTime<Utc>,
    ) -> AppResult<Vec<QueueEntry>> {
        let rows = self
            .store()
            .window_tickets(window.id, local_day(&at))
            .await?;
        Ok(rows.into_iter().map(|t| entry(t, window)).collect())
    }

    /// Calls the next waiting ticket to the clerk's window, unless the window still holds one.
    /// Refused (`Unavailable`) when it cannot be done within [`CALL_DEADLINE`].
    pub async fn call_next(&self, by: &Acting, at: DateTime<Utc>) -> AppResult<QueueEntry> {
        let deadline = std::time::Instant::now() + CALL_DEADLINE;
        let window = by.window.ok_or(AppError::InvalidState)?;
        let list = self.window_list(window, at).await?;
        if let Some(held) = list.iter().find(|e| e.is_held()) {
            return Err(AppError::WindowBusy(held.ticket.clone()));
        }
        let called = self
            .store()
            .by(deadline)
            .call_next(window.id, actor(by, at))
            .await?
            .ok_or(AppError::QueueEmpty)?;
        let list = self.window_list(window, at).await?;
        list.into_iter()
            .find(|e| e.ticket == called.ticket_no)
            .ok_or(AppError::NotFound)
    }

    /// Recall, no-show or start.
    pub async fn ticket_op(
        &self,
        op: TicketOp,
        t: &Ticket,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<Ticket> {
        let a = actor(by, at);
        match op {
            TicketOp::Recall => self.store().recall(t.id, a).await,
            TicketOp::NoShow => self.store().no_show(t.id, a).await,
            TicketOp::Start => self.store().start(t.id, a).await,
        }
        .map_err(AppError::from)
    }

    /// Moves a ticket to another route's queue with a reason; the case keeps its history and the
    /// worker their place. The new ticket's paper is queued at the clerk's window in the same
    /// transaction, so the worker holds the number the hall will call. Returns the new ticket.
    pub async fn transfer(
        &self,
        t: &Ticket,
        to: Route,
        reason: &str,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<Ticket> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid(
                crate::i18n::cli::Errors::get(self.config().lang)
                    .transfer_needs_reason
                    .to_string(),
            ));
        }
        let queue = self.site()?.queue(to).ok_or(AppError::InvalidState)?.id;
        let settings = self.settings();
        let paper = self.paper();
        let priority = t.priority;
        let render: crate::storage::RenderTicket<'_> =
            Box::new(move |issued, when| paper.ticket_job(issued, priority, &settings, when));
        Ok(self
            .store()
            .transfer_with_paper(t.id, queue, reason, actor(by, at), render)
            .await?)
    }

    pub async fn finish(
        &self,
        t: &Ticket,
        outcome: Outcome,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<Ticket> {
        // The kiosk offers only these; a command or a stale screen asking for another is refused.
        if !crate::domain::queue::outcomes_for(t.route).contains(&outcome) {
            return Err(AppError::InvalidState);
        }
        Ok(self.store().finish(t.id, outcome, actor(by, at)).await?)
    }

    /// Issues a ticket in a queue for a walk-in without a registered case, with its paper queued
    /// in the same transaction (at the acting window's printer, or the first window's printer
    /// free when none acts): the worker holds the number the hall will call.
    pub async fn issue_walk_in(
        &self,
        queue: &QueueInfo,
        priority: bool,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<Ticket> {
        let settings = self.settings();
        let paper = self.paper();
        let render: crate::storage::RenderTicket<'_> =
            Box::new(move |issued, when| paper.ticket_job(issued, priority, &settings, when));
        Ok(self
            .store()
            .issue_ticket_with_paper(queue.id, None, priority, actor(by, at), render)
            .await?)
    }

    /// The day's tickets, of one queue or all, in one state or all.
    pub async fn tickets_of(
        &self,
        day: NaiveDate,
        queue: Option<&QueueInfo>,
        state: Option<TicketState>,
    ) -> AppResult<Vec<Ticket>> {
        let site = self.site()?;
        Ok(self
            .store()
            .list_tickets(TicketFilter {
                site: Some(site.id),
                queue: queue.map(|q| q.id),
                day: Some(day),
                state,
            })
            .await?)
    }

    /// A queue by its ticket prefix as typed (`t` or `T`).
    pub fn queue_by_prefix(&self, prefix: &str) -> AppResult<QueueInfo> {
        let site = self.site()?;
        let p = prefix.trim().to_uppercase();
        site.queue_by_prefix(&p).cloned().ok_or_else(|| {
            let words = crate::i18n::cli::Errors::get(self.config().lang);
            let known: Vec<&str> = site.queues.iter().map(|q| q.prefix.as_str()).collect();
            AppError::Invalid(crate::i18n::fill(
                words.no_queue_prefix,
                &[
                    ("prefix", &format!("{p:?}")),
                    ("site", &site.code),
                    ("queues", &known.join(words.list_sep)),
                ],
            ))
        })
    }

    /// A ticket by the number people read, on the China day of `at` (numbers restart daily).
    pub async fn ticket_of_day(&self, ticket: &TicketNo, at: DateTime<Utc>) -> AppResult<Ticket> {
        self.ticket_on(ticket, local_day(&at)).await
    }

    /// A ticket by its number on a given China day.
    pub async fn ticket_on(&self, ticket: &TicketNo, day: NaiveDate) -> AppResult<Ticket> {
        let site = self.site()?;
        Ok(self
            .store()
            .ticket_by_no(site.id, day, ticket.as_str())
            .await?)
    }
}

pub(crate) fn actor(by: &Acting, at: DateTime<Utc>) -> Actor {
    Actor::at_window(by.staff_id(), by.window.map(|w| w.id), at)
}

fn entry(t: WindowTicket, window: Station) -> QueueEntry {
    let held = matches!(t.ticket.state, TicketState::Called | TicketState::Serving);
    QueueEntry {
        ticket: t.ticket.ticket_no,
        case_no: t.case_no,
        route: t.ticket.route,
        priority: t.ticket.priority,
        flags: t.flags,
        applicant_name: t.applicant_name.unwrap_or_default(),
        issued_at: local_time(&t.ticket.original_issued_at),
        state: t.ticket.state,
        window: held.then_some(window.number),
    }
}
