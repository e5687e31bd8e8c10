//! Tickets and the queue: issuing, calling the next one, and every later state change through one
//! transition helper ([`transition`]), which applies the domain's rule of which change may follow
//! which state in the same statement as the change, so a lost race is reported, never applied
//! twice.

use super::changes::Write;
use super::db::{Arg, Conn, IntoArg, Sql, Text};
use super::site::{queue_at_site_of, queue_by_id};
use super::types::*;
use super::{Result, StorageError, Store};
use crate::domain::audit::AuditEvent;
use crate::domain::numbering::{CaseNo, TicketNo, local_day};
use crate::domain::queue::TicketAction;
use crate::domain::{Flag, Route};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;

/// Renders the paper of a ticket issued by a transfer once its number is known, inside the
/// transaction (quick, no I/O); `None`: no paper.
pub type RenderTicket<'a> =
    Box<dyn FnOnce(&IssuedTicket, DateTime<Utc>) -> Option<NewPrintJob> + Send + 'a>;

/// The columns of a ticket with its queue's prefix and route, from [`TICKET_FROM`].
const TICKET_COLUMNS: &str = "t.id, t.ticket_no, t.queue_id, q.prefix, q.route, t.local_day, \
     t.case_id, t.state, t.priority, t.issued_at, t.original_issued_at, t.transferred_from, \
     t.transfer_reason, t.window_id, t.staff_id, t.called_at, t.recalls, t.started_at, \
     t.finished_at, t.outcome";
const TICKET_FROM: &str = "FROM tickets t JOIN queues q ON q.id = t.queue_id";

/// The same columns returned by an `UPDATE tickets`, so a call is one statement.
const TICKET_RETURNING: &str = "RETURNING id, ticket_no, queue_id, \
     (SELECT prefix FROM queues WHERE queues.id = tickets.queue_id) AS prefix, \
     (SELECT route FROM queues WHERE queues.id = tickets.queue_id) AS route, local_day, case_id, \
     state, priority, issued_at, original_issued_at, transferred_from, transfer_reason, \
     window_id, staff_id, called_at, recalls, started_at, finished_at, outcome";

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: TicketId,
    ticket_no: String,
    queue_id: QueueId,
    prefix: String,
    route: Text<Route>,
    local_day: NaiveDate,
    case_id: Option<CaseId>,
    state: Text<TicketState>,
    priority: bool,
    issued_at: DateTime<Utc>,
    original_issued_at: DateTime<Utc>,
    transferred_from: Option<TicketId>,
    transfer_reason: Option<String>,
    window_id: Option<WindowId>,
    staff_id: Option<StaffId>,
    called_at: Option<DateTime<Utc>>,
    recalls: i64,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    outcome: Option<Text<Outcome>>,
}

impl From<TicketRow> for Ticket {
    fn from(r: TicketRow) -> Ticket {
        Ticket {
            id: r.id,
            ticket_no: TicketNo::from_stored(r.ticket_no),
            queue: r.queue_id,
            prefix: r.prefix,
            route: r.route.0,
            local_day: r.local_day,
            case: r.case_id,
            state: r.state.0,
            priority: r.priority,
            issued_at: r.issued_at,
            original_issued_at: r.original_issued_at,
            transferred_from: r.transferred_from,
            transfer_reason: r.transfer_reason,
            window: r.window_id,
            staff: r.staff_id,
            called_at: r.called_at,
            recalls: r.recalls,
            started_at: r.started_at,
            finished_at: r.finished_at,
            outcome: r.outcome.map(|o| o.0),
        }
    }
}

#[derive(sqlx::FromRow)]
struct WindowTicketRow {
    #[sqlx(flatten)]
    ticket: TicketRow,
    case_no: Option<String>,
    applicant_name: Option<String>,
    flags: Option<Json<Vec<Flag>>>,
}

impl TryFrom<WindowTicketRow> for WindowTicket {
    type Error = StorageError;
    fn try_from(r: WindowTicketRow) -> Result<WindowTicket> {
        Ok(WindowTicket {
            ticket: r.ticket.into(),
            case_no: r
                .case_no
                .map(|c| {
                    CaseNo::parse(&c)
                        .map_err(|_| StorageError::Corrupt(format!("case number {c:?}")))
                })
                .transpose()?,
            applicant_name: r.applicant_name,
            flags: r.flags.map(|f| f.0).unwrap_or_default(),
        })
    }
}

fn ticket_label(t: &Ticket) -> String {
    format!("ticket {} ({})", t.ticket_no, t.local_day)
}

impl ChangeIds {
    pub(crate) fn ticket(t: &Ticket) -> ChangeIds {
        ChangeIds {
            queue: Some(t.queue),
            ticket: Some(t.id),
            case: t.case,
            print_job: None,
        }
    }
}

impl AuditRecord {
    /// An event about a ticket: at the window acted at, else the ticket's window.
    fn ticket(t: &Ticket, by: Actor, event: AuditEvent) -> AuditRecord {
        AuditRecord {
            at: by.at,
            staff: by.staff,
            window: by.window.or(t.window),
            case: t.case,
            ticket: Some(t.id),
            event,
        }
    }
}

/// The next number of a day's counter (`case:<site>` or `queue:<queue>`).
pub(crate) async fn bump_counter(c: &mut Conn, scope: String, day: NaiveDate) -> Result<u32> {
    let value: i64 = c
        .scalar(
            Sql::new(
                "INSERT INTO counters (scope, day, value) VALUES ($1, $2, 1) \
                 ON CONFLICT (scope, day) DO UPDATE SET value = counters.value + 1 \
                 RETURNING value",
            )
            .bind(scope)
            .bind(day),
        )
        .await?;
    u32::try_from(value).map_err(|_| StorageError::Corrupt(format!("counter value {value}")))
}

async fn fetch_ticket(c: &mut Conn, id: TicketId) -> Result<Ticket> {
    let sql = format!("SELECT {TICKET_COLUMNS} {TICKET_FROM} WHERE t.id = $1");
    let row: Option<TicketRow> = c.fetch_optional(Sql::built(sql).bind(id)).await?;
    Ok(row
        .ok_or_else(|| StorageError::NotFound(format!("ticket id {id}")))?
        .into())
}

/// A waiting ticket to insert.
pub(crate) struct NewTicket<'a> {
    pub queue: QueueInfo,
    pub at: DateTime<Utc>,
    pub case: Option<CaseId>,
    pub priority: bool,
    /// The place in the queue: the issue time of the first ticket of a transfer chain.
    pub original_issued_at: DateTime<Utc>,
    pub transferred_from: Option<TicketId>,
    pub reason: Option<&'a str>,
}

/// Inserts a waiting ticket numbered from the queue's counter of the day.
pub(crate) async fn insert_ticket(c: &mut Conn, t: NewTicket<'_>) -> Result<IssuedTicket> {
    let QueueInfo {
        id: queue,
        route,
        prefix,
    } = t.queue;
    let day = local_day(&t.at);
    let seq = bump_counter(c, format!("queue:{}", queue.0), day).await?;
    let ticket_no = TicketNo::new(&prefix, seq);
    let id: TicketId = c
        .scalar(
            Sql::new(
                "INSERT INTO tickets (ticket_no, queue_id, local_day, seq, case_id, state, \
                 priority, issued_at, original_issued_at, transferred_from, transfer_reason) \
                 VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(ticket_no.as_str())
            .bind(queue)
            .bind(day)
            .bind(i64::from(seq))
            .bind(t.case)
            .bind(t.priority)
            .bind(t.at)
            .bind(t.original_issued_at)
            .bind(t.transferred_from)
            .bind(t.reason),
        )
        .await?;
    let ahead: i64 = c
        .scalar(
            Sql::new(
                "SELECT COUNT(*) FROM tickets WHERE queue_id = $1 AND local_day = $2 \
                 AND state = 'waiting' AND id <> $3 AND (priority > $4 OR (priority = $4 \
                 AND (original_issued_at < $5 OR (original_issued_at = $5 AND id < $3))))",
            )
            .bind(queue)
            .bind(day)
            .bind(id)
            .bind(t.priority)
            .bind(t.original_issued_at),
        )
        .await?;
    let windows: Vec<(i64,)> = c
        .fetch_all(
            Sql::new(
                "SELECT w.number FROM windows w JOIN window_queues q ON q.window_id = w.id \
                 WHERE q.queue_id = $1 ORDER BY w.number",
            )
            .bind(queue),
        )
        .await?;
    Ok(IssuedTicket {
        id,
        ticket_no,
        queue,
        route,
        ahead,
        windows: windows
            .into_iter()
            .filter_map(|(n,)| u32::try_from(n).ok())
            .collect(),
    })
}

/// A state change of a ticket: the SET clause, in which `$2` is the time of the change and `$3`
/// the extra value when there is one.
struct Change<'a> {
    action: TicketAction,
    set: &'static str,
    extra: Option<Arg<'a>>,
}

impl<'a> Change<'a> {
    fn new(action: TicketAction, set: &'static str) -> Change<'a> {
        Change {
            action,
            set,
            extra: None,
        }
    }

    fn with(self, extra: impl IntoArg<'a>) -> Change<'a> {
        Change {
            extra: Some(extra.into_arg()),
            ..self
        }
    }
}

/// The change news of a ticket operation.
fn change_kind(action: TicketAction) -> ChangeKind {
    match action {
        TicketAction::Recall => ChangeKind::TicketRecalled,
        TicketAction::NoShow => ChangeKind::TicketNoShow,
        TicketAction::Start => ChangeKind::TicketStarted,
        TicketAction::Transfer => ChangeKind::TicketTransferred,
        TicketAction::Finish => ChangeKind::TicketFinished,
    }
}

/// Applies a change to ticket `id` if its state allows the change's action — the condition is
/// part of the statement, so the check and the change are one — and returns the ticket as it is
/// now.
async fn transition(
    w: &mut Write,
    id: TicketId,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> Result<Ticket> {
    let Change { action, set, extra } = change;
    let mut update = Sql::built(format!("UPDATE tickets SET {set} WHERE id = $1"))
        .bind(id)
        .bind(at);
    if let Some(extra) = extra {
        update.push(extra);
    }
    let update = update.and_list(" AND state IN ({})", action.from_states());
    let changed = w.execute(update).await?;
    let ticket = fetch_ticket(w, id).await?;
    if changed == 0 {
        if action.allowed_from(ticket.state) {
            // Only an update whose own condition does not hold gets here.
            return Err(StorageError::Conflict(format!(
                "{} changed while it was being updated",
                ticket_label(&ticket)
            )));
        }
        return Err(StorageError::InvalidTransition {
            what: ticket_label(&ticket),
            from: ticket.state.code().to_string(),
            action: action.name(),
        });
    }
    Ok(ticket)
}

impl Store {
    /// One state change of a ticket in its own write: the transition, its audit entry (made from
    /// the ticket's number) and its change.
    async fn ticket_step(
        &self,
        id: TicketId,
        by: Actor,
        change: Change<'_>,
        event: impl FnOnce(TicketNo) -> AuditEvent,
    ) -> Result<Ticket> {
        let kind = change_kind(change.action);
        let mut w = self.write().await?;
        let ticket = transition(&mut w, id, by.at, change).await?;
        let record = AuditRecord::ticket(&ticket, by, event(ticket.ticket_no.clone()));
        w.audit(&record).await?;
        w.change(kind, ChangeIds::ticket(&ticket), by.at);
        self.commit(w).await?;
        Ok(ticket)
    }

    /// Issues a ticket in a queue, for a case or for a walk-in without one yet.
    #[tracing::instrument(skip_all, err)]
    pub async fn issue_ticket(
        &self,
        queue: QueueId,
        case: Option<CaseId>,
        priority: bool,
        by: Actor,
    ) -> Result<Ticket> {
        self.issue_ticket_with_paper(queue, case, priority, by, Box::new(|_, _| None))
            .await
    }

    /// [`Store::issue_ticket`] that also queues the ticket's paper, rendered by `paper` once its
    /// number is known, in the same transaction: a walk-in is never given a number the hall will
    /// call without the paper that shows it. The job prints at `by.window`, or at the first
    /// window's printer free when no window is named.
    #[tracing::instrument(skip_all, err)]
    pub async fn issue_ticket_with_paper(
        &self,
        queue: QueueId,
        case: Option<CaseId>,
        priority: bool,
        by: Actor,
        paper: RenderTicket<'_>,
    ) -> Result<Ticket> {
        let mut w = self.write().await?;
        let info = queue_by_id(&mut w, queue)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("queue id {queue}")))?;
        let route = info.route;
        let new = NewTicket {
            queue: info,
            at: by.at,
            case,
            priority,
            original_issued_at: by.at,
            transferred_from: None,
            reason: None,
        };
        let issued = insert_ticket(&mut w, new).await?;
        let ticket = fetch_ticket(&mut w, issued.id).await?;
        let event = AuditEvent::TicketIssued {
            ticket_no: issued.ticket_no.clone(),
            priority,
            route: Some(route),
        };
        w.audit(&AuditRecord::ticket(&ticket, by, event)).await?;
        queue_ticket_paper(&mut w, &issued, case, by, paper).await?;
        w.change(ChangeKind::TicketIssued, ChangeIds::ticket(&ticket), by.at);
        self.commit(w).await?;
        Ok(ticket)
    }

    /// Calls the next waiting ticket of today for the window: priority first, then by original
    /// issue time, across all queues the window serves. Two windows never get the same ticket.
    #[tracing::instrument(skip_all, err)]
    pub async fn call_next(&self, window: WindowId, by: Actor) -> Result<Option<Ticket>> {
        let mut w = self.write().await?;
        let sql = format!(
            "UPDATE tickets SET state = 'called', window_id = $1, staff_id = $2, called_at = $3 \
             WHERE id = (SELECT id FROM tickets WHERE state = 'waiting' AND local_day = $4 \
             AND queue_id IN (SELECT queue_id FROM window_queues WHERE window_id = $1) \
             ORDER BY priority DESC, original_issued_at, id LIMIT 1{}) {TICKET_RETURNING}",
            w.dialect().row_lock
        );
        let row: Option<TicketRow> = w
            .fetch_optional(
                Sql::built(sql)
                    .bind(window)
                    .bind(by.staff)
                    .bind(by.at)
                    .bind(local_day(&by.at)),
            )
            .await?;
        let Some(ticket) = row.map(Ticket::from) else {
            return Ok(None);
        };
        let event = AuditEvent::Called {
            ticket_no: ticket.ticket_no.clone(),
        };
        w.audit(&AuditRecord::ticket(&ticket, by, event)).await?;
        w.change(ChangeKind::TicketCalled, ChangeIds::ticket(&ticket), by.at);
        self.commit(w).await?;
        Ok(Some(ticket))
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn recall(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
        let change = Change::new(
            TicketAction::Recall,
            "recalls = recalls + 1, called_at = $2",
        );
        self.ticket_step(ticket, by, change, |no| AuditEvent::Recalled {
            ticket_no: Some(no),
        })
        .await
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn no_show(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
        let change = Change::new(TicketAction::NoShow, "state = 'no_show', finished_at = $2");
        self.ticket_step(ticket, by, change, |no| AuditEvent::NoShow {
            ticket_no: Some(no),
        })
        .await
    }

    /// The clerk who starts serving becomes the ticket's clerk.
    #[tracing::instrument(skip_all, err)]
    pub async fn start(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
        let set = "state = 'serving', started_at = $2, staff_id = COALESCE($3, staff_id)";
        let change = Change::new(TicketAction::Start, set).with(by.staff);
        self.ticket_step(ticket, by, change, |no| AuditEvent::Started {
            ticket_no: Some(no),
        })
        .await
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn finish(&self, ticket: TicketId, outcome: Outcome, by: Actor) -> Result<Ticket> {
        let set = "state = 'done', finished_at = $2, outcome = $3";
        let change = Change::new(TicketAction::Finish, set).with(outcome);
        self.ticket_step(ticket, by, change, |no| AuditEvent::Finished {
            outcome,
            ticket_no: Some(no),
        })
        .await
    }

    /// Moves a ticket to another queue: the old ticket ends `transferred`, a new one waits in the
    /// target queue keeping the original issue time (its place) and the case.
    #[tracing::instrument(skip_all, err)]
    pub async fn transfer(
        &self,
        ticket: TicketId,
        to: QueueId,
        reason: &str,
        by: Actor,
    ) -> Result<Ticket> {
        self.transfer_with_paper(ticket, to, reason, by, Box::new(|_, _| None))
            .await
    }

    /// [`Store::transfer`] that also queues the new ticket's paper, rendered by `paper` once its
    /// number is known, in the same transaction: a crash cannot leave the worker holding the old
    /// ticket while the hall calls the new one. The job prints at the transferring window.
    pub async fn transfer_with_paper(
        &self,
        ticket: TicketId,
        to: QueueId,
        reason: &str,
        by: Actor,
        paper: RenderTicket<'_>,
    ) -> Result<Ticket> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StorageError::Invalid(
                "a transfer needs a reason (首问负责: the next window must know why)".into(),
            ));
        }
        let mut w = self.write().await?;
        let set = "state = 'transferred', finished_at = $2, transfer_reason = $3";
        let change = Change::new(TicketAction::Transfer, set).with(reason);
        let old = transition(&mut w, ticket, by.at, change).await?;
        if old.queue == to {
            return Err(StorageError::Invalid(format!(
                "{} is already in that queue",
                ticket_label(&old)
            )));
        }
        let target = queue_at_site_of(&mut w, old.queue, to)
            .await?
            .ok_or_else(|| {
                StorageError::NotFound(format!(
                    "queue id {to} at the site of {}",
                    ticket_label(&old)
                ))
            })?;
        let (to_route, to_prefix) = (target.route, target.prefix.clone());
        let new = NewTicket {
            queue: target,
            at: by.at,
            case: old.case,
            priority: old.priority,
            original_issued_at: old.original_issued_at,
            transferred_from: Some(old.id),
            reason: Some(reason),
        };
        let issued = insert_ticket(&mut w, new).await?;
        let event = AuditEvent::Transferred {
            from_ticket_no: old.ticket_no.clone(),
            to_ticket_no: issued.ticket_no.clone(),
            to_ticket: issued.id.0,
            reason: reason.to_string(),
            from_route: Some(old.route),
            from_queue: Some(old.prefix.clone()),
            to_route: Some(to_route),
            to_queue: Some(to_prefix),
        };
        w.audit(&AuditRecord::ticket(&old, by, event)).await?;
        queue_ticket_paper(&mut w, &issued, old.case, by, paper).await?;
        let new = fetch_ticket(&mut w, issued.id).await?;
        w.change(
            change_kind(TicketAction::Transfer),
            ChangeIds::ticket(&old),
            by.at,
        );
        w.change(ChangeKind::TicketIssued, ChangeIds::ticket(&new), by.at);
        self.commit(w).await?;
        Ok(new)
    }

    #[tracing::instrument(skip_all)]
    pub async fn ticket(&self, id: TicketId) -> Result<Ticket> {
        fetch_ticket(&mut self.read().await?, id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn ticket_by_no(
        &self,
        site: SiteId,
        day: NaiveDate,
        ticket_no: &str,
    ) -> Result<Ticket> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} {TICKET_FROM} \
             WHERE q.site_id = $1 AND t.local_day = $2 AND t.ticket_no = $3"
        );
        let row: Option<TicketRow> = self
            .read()
            .await?
            .fetch_optional(Sql::built(sql).bind(site).bind(day).bind(ticket_no))
            .await?;
        Ok(row
            .ok_or_else(|| StorageError::NotFound(format!("ticket {ticket_no} of {day}")))?
            .into())
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn list_tickets(&self, filter: TicketFilter) -> Result<Vec<Ticket>> {
        // Only the filters given become conditions: `($3 IS NULL OR t.local_day = $3)` left
        // the planners no index for the day, and the dashboard's reload read every ticket's
        // index entry (a million in a busy month) to find today's.
        let mut conditions = Vec::new();
        let mut n = 0;
        let mut next = |column: &str| {
            n += 1;
            conditions.push(format!("{column} = ${n}"));
        };
        if filter.site.is_some() {
            next("q.site_id");
        }
        if filter.queue.is_some() {
            next("t.queue_id");
        }
        if filter.day.is_some() {
            next("t.local_day");
        }
        if filter.state.is_some() {
            next("t.state");
        }
        let sql = format!(
            "SELECT {TICKET_COLUMNS} {TICKET_FROM} {} {} \
             ORDER BY t.priority DESC, t.original_issued_at, t.id",
            if conditions.is_empty() { "" } else { "WHERE" },
            conditions.join(" AND ")
        );
        let mut q = Sql::built(sql);
        if let Some(v) = filter.site {
            q = q.bind(v);
        }
        if let Some(v) = filter.queue {
            q = q.bind(v);
        }
        if let Some(v) = filter.day {
            q = q.bind(v);
        }
        if let Some(v) = filter.state {
            q = q.bind(v);
        }
        let rows: Vec<TicketRow> = self.read().await?.fetch_all(q).await?;
        Ok(rows.into_iter().map(Ticket::from).collect())
    }

    /// The site's tickets of `day` numbered above `after`, and those of `ids` (whatever their
    /// number): what changed since a reader last read the day, when it knows which tickets the
    /// changes were about.
    #[tracing::instrument(skip_all, err)]
    pub async fn tickets_changed(
        &self,
        site: SiteId,
        day: NaiveDate,
        after: TicketId,
        ids: &[TicketId],
    ) -> Result<Vec<Ticket>> {
        let mut c = self.read().await?;
        let sql = format!(
            "SELECT {TICKET_COLUMNS} {TICKET_FROM} \
             WHERE q.site_id = $1 AND t.local_day = $2 AND t.id > $3"
        );
        let mut rows: Vec<TicketRow> = c
            .fetch_all(Sql::built(sql).bind(site).bind(day).bind(after))
            .await?;
        if !ids.is_empty() {
            let list = match c.backend() {
                super::Backend::Sqlite => "SELECT value FROM json_each($3)",
                super::Backend::Postgres => "SELECT (jsonb_array_elements_text($3::jsonb))::bigint",
            };
            let json = serde_json::to_string(&ids.iter().map(|i| i.0).collect::<Vec<_>>())
                .map_err(|e| StorageError::Invalid(format!("ticket ids: {e}")))?;
            let sql = format!(
                "SELECT {TICKET_COLUMNS} {TICKET_FROM} \
                 WHERE q.site_id = $1 AND t.local_day = $2 AND t.id IN ({list})"
            );
            let more: Vec<TicketRow> = c
                .fetch_all(Sql::built(sql).bind(site).bind(day).bind(json))
                .await?;
            rows.extend(more);
        }
        Ok(rows.into_iter().map(Ticket::from).collect())
    }

    /// The site's open tickets of `day` (waiting, called or serving), in calling order, and the
    /// highest ticket id stored (any day): a reader that later asks [`Store::tickets_changed`]
    /// for tickets above it misses none issued since. The id is read first, so a ticket issued
    /// between the two reads is read twice, never missed.
    #[tracing::instrument(skip_all, err)]
    pub async fn open_tickets(
        &self,
        site: SiteId,
        day: NaiveDate,
    ) -> Result<(Vec<Ticket>, TicketId)> {
        let mut c = self.read().await?;
        // The highest rowid / primary key: one index step, where the highest of one day would
        // read the day.
        let (last,): (Option<TicketId>,) =
            c.fetch_one(Sql::new("SELECT MAX(id) FROM tickets")).await?;
        let sql = format!(
            "SELECT {TICKET_COLUMNS} {TICKET_FROM} \
             WHERE q.site_id = $1 AND t.local_day = $2 \
             AND t.state IN ('waiting', 'called', 'serving') \
             ORDER BY t.priority DESC, t.original_issued_at, t.id"
        );
        let rows: Vec<TicketRow> = c.fetch_all(Sql::built(sql).bind(site).bind(day)).await?;
        Ok((
            rows.into_iter().map(Ticket::from).collect(),
            last.unwrap_or(TicketId(0)),
        ))
    }

    /// The site's tickets of `day` called to a window, most recently called first, at most
    /// `limit` of them; a ticket transferred after its call is left out (it lives on as the
    /// ticket it became).
    #[tracing::instrument(skip_all, err)]
    pub async fn latest_calls(
        &self,
        site: SiteId,
        day: NaiveDate,
        limit: i64,
    ) -> Result<Vec<Ticket>> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} {TICKET_FROM} \
             WHERE q.site_id = $1 AND t.local_day = $2 AND t.called_at IS NOT NULL \
             AND t.window_id IS NOT NULL AND t.state <> 'transferred' \
             ORDER BY t.called_at DESC, t.id DESC LIMIT $3"
        );
        let rows: Vec<TicketRow> = self
            .read()
            .await?
            .fetch_all(Sql::built(sql).bind(site).bind(day).bind(limit))
            .await?;
        Ok(rows.into_iter().map(Ticket::from).collect())
    }

    /// How many of the site's tickets of `day` wait in each queue (queues with none left out).
    #[tracing::instrument(skip_all, err)]
    pub async fn waiting_counts(
        &self,
        site: SiteId,
        day: NaiveDate,
    ) -> Result<Vec<(QueueId, i64)>> {
        self.read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT t.queue_id, COUNT(*) FROM tickets t JOIN queues q ON q.id = t.queue_id \
                     WHERE q.site_id = $1 AND t.local_day = $2 AND t.state = 'waiting' \
                     GROUP BY t.queue_id",
                )
                .bind(site)
                .bind(day),
            )
            .await
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn tickets_for_case(&self, case: CaseId) -> Result<Vec<Ticket>> {
        let sql =
            format!("SELECT {TICKET_COLUMNS} {TICKET_FROM} WHERE t.case_id = $1 ORDER BY t.id");
        let rows: Vec<TicketRow> = self
            .read()
            .await?
            .fetch_all(Sql::built(sql).bind(case))
            .await?;
        Ok(rows.into_iter().map(Ticket::from).collect())
    }

    /// A window's list for the day: the waiting tickets of the queues it serves in calling order,
    /// after the tickets called to or being served at this window.
    #[tracing::instrument(skip_all, err)]
    pub async fn window_tickets(
        &self,
        window: WindowId,
        day: NaiveDate,
    ) -> Result<Vec<WindowTicket>> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS}, c.case_no, c.applicant_name, c.flags {TICKET_FROM} \
             LEFT JOIN cases c ON c.id = t.case_id \
             WHERE t.local_day = $2 AND ((t.state = 'waiting' AND t.queue_id IN \
             (SELECT queue_id FROM window_queues WHERE window_id = $1)) \
             OR (t.state IN ('called', 'serving') AND t.window_id = $1)) \
             ORDER BY t.state = 'waiting', t.priority DESC, t.original_issued_at, t.id"
        );
        let rows: Vec<WindowTicketRow> = self
            .read()
            .await?
            .fetch_all(Sql::built(sql).bind(window).bind(day))
            .await?;
        rows.into_iter().map(WindowTicket::try_from).collect()
    }
}

/// Queues a newly issued ticket's paper (rendered by `paper` now that its number is known) in
/// the transaction that issued it, at `by.window`.
async fn queue_ticket_paper(
    w: &mut super::changes::Write,
    issued: &IssuedTicket,
    case: Option<CaseId>,
    by: Actor,
    paper: RenderTicket<'_>,
) -> Result<()> {
    let Some(job) = paper(issued, by.at) else {
        return Ok(());
    };
    let job = NewPrintJobFor {
        case,
        ticket: Some(issued.id),
        window: by.window,
        kind: job.kind,
        payload: job.payload,
        at: by.at,
    };
    let id = super::print_jobs::insert_print_job(w, &job, None).await?;
    let ids = ChangeIds {
        queue: Some(issued.queue),
        ticket: Some(issued.id),
        case,
        print_job: Some(id),
    };
    w.change(ChangeKind::PrintJobQueued, ids, by.at);
    Ok(())
}
