//! What the supervisor's screens read and do: the facts the dashboard and the hall display are
//! built from, acknowledging an alert, moving a ticket, reassigning a window. The screens turn the
//! facts into what they draw; nothing here knows how it is shown.

use super::error::{AppError, AppResult};
use super::{Acting, Services};
use crate::config::SupervisorSettings;
use crate::domain::alerts::{self, EmployerCases};
use crate::domain::numbering::local_day;
use crate::domain::{Route, TicketNo, WindowNo};
use crate::storage::alerts::{AlertRow, DeadlineCase};
use crate::storage::followup;
use crate::storage::stations::{LiveSession, PrinterRow};
use crate::storage::{Actor, ChangeStream, StaffId, Ticket, TicketFilter, WindowRow};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::collections::HashMap;

/// Paper still waiting this long after it was queued is a backlog (a receipt being printed now is
/// not).
pub const PRINT_BACKLOG_AFTER: TimeDelta = TimeDelta::seconds(30);

/// Everything the dashboard is built from, read at one moment.
#[derive(Debug, Clone)]
pub struct DashboardFacts {
    pub now: DateTime<Utc>,
    pub day: NaiveDate,
    /// Today's tickets, and those of the same day last week (for the hourly comparison).
    pub tickets: Vec<Ticket>,
    pub last_week: Vec<Ticket>,
    pub windows: Vec<WindowRow>,
    /// Staff numbers by row id.
    pub staff: HashMap<StaffId, String>,
    pub sessions: Vec<LiveSession>,
    /// Unfinished cases registered in the alerts' look-back period (for deadline alerts).
    pub cases: Vec<DeadlineCase>,
    /// Alert records not yet acknowledged, oldest first.
    pub open_alerts: Vec<AlertRow>,
    pub printers: Vec<PrinterRow>,
    /// Today's cases by category code and by route code.
    pub by_category: Vec<(String, u64)>,
    pub by_route: Vec<(String, u64)>,
    pub followups_due: i64,
}

/// What the hall display is built from: today's tickets and the windows' numbers.
#[derive(Debug, Clone)]
pub struct BoardFacts {
    pub tickets: Vec<Ticket>,
    pub windows: Vec<WindowRow>,
}

impl Services {
    /// Changes made by any process sharing the database from now on.
    pub async fn changes(&self) -> AppResult<ChangeStream> {
        Ok(self.store().subscribe().await?)
    }

    async fn tickets_on(&self, day: NaiveDate) -> AppResult<Vec<Ticket>> {
        let site = self.site()?;
        Ok(self
            .store()
            .list_tickets(TicketFilter {
                site: Some(site.id),
                day: Some(day),
                ..TicketFilter::default()
            })
            .await?)
    }

    /// The dashboard's facts at `now`.
    pub async fn dashboard_facts(
        &self,
        settings: &SupervisorSettings,
        now: DateTime<Utc>,
    ) -> AppResult<DashboardFacts> {
        let site = self.site()?;
        let store = self.store();
        let day = local_day(&now);
        let look_back = i64::from(settings.repeat_employer_days.max(30));
        let (by_category, by_route) =
            crate::storage::reporting::today_mix(store, site.id, day).await?;
        self.raise_employer_alerts(settings, now).await?;
        Ok(DashboardFacts {
            now,
            day,
            tickets: self.tickets_on(day).await?,
            last_week: self.tickets_on(day - TimeDelta::days(7)).await?,
            windows: store.windows(site.id).await?,
            staff: store.staff_codes(site.id).await?,
            sessions: store.live_sessions(site.id, now).await?,
            cases: store
                .unfinished_cases(site.id, day - TimeDelta::days(look_back))
                .await?,
            open_alerts: store.open_alerts(site.id).await?,
            printers: store.printers(site.id, now - PRINT_BACKLOG_AFTER).await?,
            by_category,
            by_route,
            followups_due: followup::due_count(store, site.id, now, settings.followup_days).await?,
        })
    }

    /// The hall display's facts at `now`.
    pub async fn board_facts(&self, now: DateTime<Utc>) -> AppResult<BoardFacts> {
        let site = self.site()?;
        Ok(BoardFacts {
            tickets: self.tickets_on(local_day(&now)).await?,
            windows: self.store().windows(site.id).await?,
        })
    }

    /// The employers with `repeat_employer_cases` or more cases in the last
    /// `repeat_employer_days` days, from the employer roll-up (employing counterparties only).
    async fn repeat_employers(
        &self,
        settings: &SupervisorSettings,
        now: DateTime<Utc>,
    ) -> AppResult<(NaiveDate, Vec<EmployerCases>)> {
        let site = self.site()?;
        let first = local_day(&now) - TimeDelta::days(i64::from(settings.repeat_employer_days) - 1);
        let rows = self.store().employer_days(site.id, first).await?;
        Ok((
            first,
            alerts::repeat_employers(&rows, &settings.alert_settings()),
        ))
    }

    /// Raises a warning record for each repeat employer not warned about yet, or with a new case
    /// since its warning was acknowledged. Any process may do it; the record is made once.
    pub async fn raise_employer_alerts(
        &self,
        settings: &SupervisorSettings,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let site = self.site()?;
        let (first, employers) = self.repeat_employers(settings, now).await?;
        if employers.is_empty() {
            return Ok(());
        }
        let seen: HashMap<String, AlertRow> = self
            .store()
            .acknowledged_employers(site.id)
            .await?
            .into_iter()
            .map(|a| (a.subject.clone(), a))
            .collect();
        // Only what differs is written: this runs on every reload, and a write takes SQLite's one
        // write lock from the windows.
        let open: HashMap<String, (i64, String)> = self
            .store()
            .open_alerts(site.id)
            .await?
            .into_iter()
            .filter(|a| a.kind == alerts::AlertKind::RepeatEmployer)
            .map(|a| (a.subject, (a.figure, a.label)))
            .collect();
        for e in employers {
            let n = i64::try_from(e.total()).unwrap_or(i64::MAX);
            if let Some((figure, label)) = open.get(&e.key) {
                if (*figure, label.as_str()) != (n, e.name.as_str()) {
                    self.store()
                        .raise_employer_alert(site.id, &e.key, &e.name, n, now)
                        .await?;
                }
                continue;
            }
            let fresh = match seen.get(&e.key) {
                Some(AlertRow {
                    seen_day: Some(day),
                    seen_count: Some(n),
                    ..
                }) => alerts::new_case_since(&e, first, *day, u64::try_from(*n).unwrap_or(0)),
                _ => true,
            };
            if fresh {
                self.store()
                    .raise_employer_alert(site.id, &e.key, &e.name, n, now)
                    .await?;
            }
        }
        Ok(())
    }

    /// A supervisor has seen alert record `id` and says what was done (`note`, required): it
    /// leaves every screen's list for the history (audited). False when someone acknowledged it
    /// a moment before.
    pub async fn acknowledge_alert(
        &self,
        settings: &SupervisorSettings,
        id: i64,
        note: &str,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<bool> {
        let note = note.trim();
        if note.is_empty() {
            return Err(AppError::Invalid(
                crate::i18n::cli::Errors::get(self.config().lang)
                    .ack_needs_note
                    .to_string(),
            ));
        }
        // The note is shown on every supervisor's screen and kept in the audit log.
        if note.chars().count() > 500 || crate::domain::text::has_hidden(note) {
            return Err(AppError::Invalid(
                crate::i18n::cli::Errors::get(self.config().lang)
                    .ack_note_plain
                    .to_string(),
            ));
        }
        let site = self.site()?;
        let open = self.store().open_alerts(site.id).await?;
        let Some(alert) = open.iter().find(|a| a.id == id) else {
            return Ok(false);
        };
        // A repeat employer's warning comes back with the next case against it: remember how
        // many cases it had from today on.
        let seen = if alert.kind == alerts::AlertKind::RepeatEmployer {
            let day = local_day(&at);
            let (_, employers) = self.repeat_employers(settings, at).await?;
            let n = employers
                .iter()
                .find(|e| e.key == alert.subject)
                .map_or(0, |e| e.since(day));
            Some((day, i64::try_from(n).unwrap_or(i64::MAX)))
        } else {
            None
        };
        let actor: Actor = super::queue::actor(by, at);
        Ok(self
            .store()
            .acknowledge_alert_record(actor, id, note, seen)
            .await?)
    }

    /// Acknowledged alerts, newest first (the dashboard's history view).
    pub async fn alert_history(&self, limit: i64) -> AppResult<Vec<AlertRow>> {
        let site = self.site()?;
        Ok(self.store().alert_history(site.id, limit).await?)
    }

    /// Moves today's ticket `ticket` to the queue with `prefix`, as a supervisor does from the
    /// dashboard.
    pub async fn move_ticket(
        &self,
        ticket: &TicketNo,
        prefix: &str,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<Ticket> {
        let to = self.queue_by_prefix(prefix)?.route;
        let t = self.ticket_of_day(ticket, at).await?;
        self.transfer(&t, to, "supervisor", by, at).await
    }

    /// Gives window `number` the queues of `routes` (audited with what it served before).
    pub async fn reassign_window(
        &self,
        number: WindowNo,
        routes: &[Route],
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        if routes.is_empty() {
            return Err(AppError::Invalid(
                crate::i18n::cli::Errors::get(self.config().lang)
                    .window_needs_queue
                    .to_string(),
            ));
        }
        let site = self.site()?;
        self.store()
            .reassign_window(
                site.id,
                i64::from(number.0),
                routes,
                super::queue::actor(by, at),
            )
            .await?;
        Ok(())
    }
}
