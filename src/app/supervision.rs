//! What the supervisor's screens read and do: the facts the dashboard and the hall display are
//! built from, acknowledging an alert, moving a ticket, reassigning a window. The screens turn the
//! facts into what they draw; nothing here knows how it is shown.

use super::error::{AppError, AppResult};
use super::{Acting, Services};
use crate::config::SupervisorSettings;
use crate::domain::numbering::local_day;
use crate::domain::{Route, TicketNo, WindowNo};
use crate::storage::followup;
use crate::storage::stations::{LiveSession, PrinterRow};
use crate::storage::{ChangeStream, OpenCase, StaffId, Ticket, TicketFilter, WindowRow};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::collections::{HashMap, HashSet};

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
    /// Cases registered in the alerts' look-back period.
    pub cases: Vec<OpenCase>,
    /// Alert keys a supervisor acknowledged in that period.
    pub acknowledged: HashSet<String>,
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
        Ok(DashboardFacts {
            now,
            day,
            tickets: self.tickets_on(day).await?,
            last_week: self.tickets_on(day - TimeDelta::days(7)).await?,
            windows: store.windows(site.id).await?,
            staff: store.staff_codes(site.id).await?,
            sessions: store.live_sessions(site.id, now).await?,
            cases: store
                .cases_since(site.id, day - TimeDelta::days(look_back))
                .await?,
            acknowledged: store
                .acknowledged_since(now - TimeDelta::days(look_back))
                .await?
                .into_iter()
                .collect(),
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

    /// A supervisor has seen an alert: it stops being highlighted on every screen (audited).
    pub async fn acknowledge_alert(
        &self,
        key: &str,
        kind: &str,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        Ok(self
            .store()
            .acknowledge_alert(super::queue::actor(by, at), key, kind, None)
            .await?)
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
                "a window serves at least one queue".into(),
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
