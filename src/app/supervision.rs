//! What the supervisor's screens read and do: the facts the dashboard and the hall display are
//! built from, acknowledging an alert, moving a ticket, reassigning a window. The screens turn the
//! facts into what they draw; nothing here knows how it is shown.

use super::error::{AppError, AppResult};
use super::{Acting, Services};
use crate::config::SupervisorSettings;
use crate::domain::alerts::{self, EmployerCases, EmployerDay};
use crate::domain::employer::{EmployerKey, normalize_name};
use crate::domain::numbering::local_day;
use crate::domain::{Route, TicketNo, WindowNo};
use crate::storage::alerts::{AlertRow, DeadlineCase};
use crate::storage::followup;
use crate::storage::stations::{LiveSession, PrinterRow};
use crate::storage::{
    Actor, ChangeEvent, ChangeKind, ChangeStream, QueueId, ServedTickets, StaffId, Ticket,
    TicketId, TicketState, WindowRow,
};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Paper still waiting this long after it was queued is a backlog (a receipt being printed now is
/// not).
pub const PRINT_BACKLOG_AFTER: TimeDelta = TimeDelta::seconds(30);

/// A repeat-employer check looks again at this many cases below the last one checked (see
/// [`Services::raise_employer_alerts`]).
const RECHECK_CASES: i64 = 200;

/// Everything the dashboard is built from, read at one moment.
#[derive(Debug, Clone)]
pub struct DashboardFacts {
    pub now: DateTime<Utc>,
    pub day: NaiveDate,
    /// Today's open tickets (waiting, called, serving), in calling order.
    pub tickets: Vec<Ticket>,
    /// Today's served tickets, summed per queue and window.
    pub served: Vec<ServedTickets>,
    /// Visits begun in each local hour of today, and of the same day last week.
    pub arrivals_today: [u64; 24],
    pub arrivals_last_week: [u64; 24],
    pub windows: Vec<WindowRow>,
    /// Staff numbers by row id.
    pub staff: HashMap<StaffId, String>,
    pub sessions: Vec<LiveSession>,
    /// Unfinished cases registered in the alerts' look-back period whose mediation period ends
    /// or limitation date is within the alerts' warning days (for deadline alerts).
    pub cases: Vec<DeadlineCase>,
    /// Alert records not yet acknowledged, oldest first.
    pub open_alerts: Vec<AlertRow>,
    pub printers: Vec<PrinterRow>,
    /// Today's cases by category code and by route code.
    pub by_category: Vec<(String, u64)>,
    pub by_route: Vec<(String, u64)>,
    pub followups_due: i64,
}

/// What the hall display is built from: today's latest calls, the workers waiting per queue and
/// the windows' numbers.
#[derive(Debug, Clone)]
pub struct BoardFacts {
    /// Today's tickets called to a window, most recently called first (at most
    /// [`BOARD_CALLS_READ`]).
    pub calls: Vec<Ticket>,
    pub waiting: HashMap<QueueId, i64>,
    pub windows: Vec<WindowRow>,
}

/// The hall display reads at most this many of the day's latest calls on a reload: more than a
/// board shows, and more than can be made between two reloads, so no call goes unannounced; a
/// busy day's tens of thousands of tickets are not read.
pub const BOARD_CALLS_READ: i64 = 200;

/// A full read of the day's tickets at least this often, whatever the changes said.
pub const TICKETS_FULL_READ_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Today's tickets as a dashboard last read them, brought up to date from the changes it was told
/// of. A busy day holds tens of thousands of tickets, nearly all finished, and a call changes one:
/// only the open tickets are held (the finished ones are read as the sums the database keeps,
/// [`Store::served_tickets`](crate::storage::Store::served_tickets)).
///
/// A reload reads again the tickets the changes named and any ticket numbered above the last
/// one read. A change that names no ticket but may have touched some, a new day, a lost database
/// and every [`TICKETS_FULL_READ_EVERY`] read the day's open tickets whole.
///
/// The open tickets are handed to the facts of a reload, not copied, and come back with
/// [`TodayTickets::keep`]; a reload that does not give them back makes the next one read them
/// whole.
#[derive(Debug, Default)]
pub struct TodayTickets {
    day: Option<NaiveDate>,
    open: Option<BTreeMap<TicketId, Ticket>>,
    /// The highest ticket id read: tickets above it are new.
    last: Option<TicketId>,
    changed: BTreeSet<TicketId>,
    whole: bool,
    read_at: Option<std::time::Instant>,
}

fn is_open(t: &Ticket) -> bool {
    matches!(
        t.state,
        TicketState::Waiting | TicketState::Called | TicketState::Serving
    )
}

impl TodayTickets {
    /// Notes what a change event may have changed.
    pub fn note(&mut self, e: &ChangeEvent) {
        match (e.kind, e.ticket) {
            (_, Some(id)) => {
                self.changed.insert(id);
            }
            (
                ChangeKind::CaseCreated
                | ChangeKind::PrintJobQueued
                | ChangeKind::PrintJobClaimed
                | ChangeKind::PrintJobPrinted
                | ChangeKind::PrintJobFailed
                | ChangeKind::WindowSignedIn
                | ChangeKind::WindowSignedOut
                | ChangeKind::PrinterStatus
                | ChangeKind::AlertAcknowledged,
                None,
            ) => {}
            _ => self.whole = true,
        }
    }

    /// The next read is of the whole day (the database was away: changes may have been missed).
    pub fn read_whole(&mut self) {
        self.whole = true;
    }

    /// Takes back the open tickets a reload's facts were given.
    pub fn keep(&mut self, tickets: Vec<Ticket>) {
        if tickets.iter().all(|t| Some(t.local_day) == self.day) {
            self.open = Some(tickets.into_iter().map(|t| (t.id, t)).collect());
        }
    }

    /// Today's open tickets, in calling order.
    async fn refresh(&mut self, services: &Services, day: NaiveDate) -> AppResult<Vec<Ticket>> {
        let site = services.site()?;
        let store = services.store();
        let held = match self.open.take() {
            Some(h)
                if !self.whole
                    && self.day == Some(day)
                    && self
                        .read_at
                        .is_some_and(|t| t.elapsed() < TICKETS_FULL_READ_EVERY) =>
            {
                h
            }
            _ => {
                let read_at = std::time::Instant::now();
                let (open, last) = store.open_tickets(site.id, day).await?;
                self.day = Some(day);
                self.last = Some(last);
                self.changed.clear();
                self.whole = false;
                self.read_at = Some(read_at);
                return Ok(open);
            }
        };
        let mut held = held;
        let ids: Vec<TicketId> = std::mem::take(&mut self.changed).into_iter().collect();
        let fresh = store
            .tickets_changed(site.id, day, self.last.unwrap_or(TicketId(0)), &ids)
            .await?;
        // A changed ticket not read again is no longer the day's (or gone).
        for id in &ids {
            held.remove(id);
        }
        for t in fresh {
            self.last = self.last.max(Some(t.id));
            if is_open(&t) {
                held.insert(t.id, t);
            } else {
                held.remove(&t.id);
            }
        }
        let mut open: Vec<Ticket> = held.into_values().collect();
        // The order of a full read (`Store::open_tickets`).
        open.sort_by(|a, b| {
            (b.priority, a.original_issued_at, a.id).cmp(&(a.priority, b.original_issued_at, b.id))
        });
        Ok(open)
    }
}

impl Services {
    /// Changes made by any process sharing the database from now on.
    pub async fn changes(&self) -> AppResult<ChangeStream> {
        Ok(self.store().subscribe().await?)
    }

    /// The dashboard's facts at `now`.
    pub async fn dashboard_facts(
        &self,
        settings: &SupervisorSettings,
        now: DateTime<Utc>,
    ) -> AppResult<DashboardFacts> {
        self.dashboard_facts_from(settings, now, &mut TodayTickets::default())
            .await
    }

    /// The dashboard's facts at `now`, today's tickets brought up to date in `today`.
    pub async fn dashboard_facts_from(
        &self,
        settings: &SupervisorSettings,
        now: DateTime<Utc>,
        today: &mut TodayTickets,
    ) -> AppResult<DashboardFacts> {
        let site = self.site()?;
        let store = self.store();
        let day = local_day(&now);
        let look_back = i64::from(settings.repeat_employer_days.max(30));
        let alert_settings = settings.alert_settings();
        let (by_category, by_route) =
            crate::storage::reporting::today_mix(store, site.id, day).await?;
        // Cheap unless cases came since the last check (see there).
        self.raise_employer_alerts(settings, now).await?;
        // The sums before the open tickets: a ticket finishing between the two reads is missed by
        // both until the change that finished it is heard, never counted twice.
        let served = store.served_tickets(site.id, day).await?;
        let arrivals_today = store.visits_by_hour(site.id, day).await?;
        Ok(DashboardFacts {
            now,
            day,
            tickets: today.refresh(self, day).await?,
            served,
            arrivals_today,
            arrivals_last_week: store
                .visits_by_hour(site.id, day - TimeDelta::days(7))
                .await?,
            windows: store.windows(site.id).await?,
            staff: store.staff_codes(site.id).await?,
            sessions: store.live_sessions(site.id, now).await?,
            cases: store
                .near_deadlines(
                    site.id,
                    day - TimeDelta::days(look_back),
                    day + TimeDelta::days(i64::from(alert_settings.mediation_warning_days)),
                    (
                        day,
                        day + TimeDelta::days(i64::from(alert_settings.limitation_warning_days)),
                    ),
                )
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
        let day = local_day(&now);
        let store = self.store();
        Ok(BoardFacts {
            calls: store.latest_calls(site.id, day, BOARD_CALLS_READ).await?,
            waiting: store
                .waiting_counts(site.id, day)
                .await?
                .into_iter()
                .collect(),
            windows: store.windows(site.id).await?,
        })
    }

    /// The first day of the repeat-employer period that ends on the local day of `now`.
    fn employer_period(settings: &SupervisorSettings, now: DateTime<Utc>) -> NaiveDate {
        local_day(&now) - TimeDelta::days(i64::from(settings.repeat_employer_days.max(1)) - 1)
    }

    /// The employer roll-up rows from `first` on of every employer whose group (as
    /// `domain::employer::group` forms them) holds a name keyed in `norms` or a credit code in
    /// `codes`: each such group whole, so its count is the same as from every row. A code joins
    /// rows written under other names, and a name joins the code written with it, so the look-up
    /// repeats with what the rows found until they find nothing new. Names found without a key get
    /// one.
    async fn employers_around(
        &self,
        first: NaiveDate,
        mut norms: BTreeSet<String>,
        mut codes: BTreeSet<String>,
    ) -> AppResult<Vec<EmployerDay>> {
        let site = self.site()?;
        let store = self.store();
        let (mut asked_norms, mut asked_codes) = (BTreeSet::new(), BTreeSet::new());
        let mut rows: BTreeMap<(NaiveDate, String, Option<String>), EmployerDay> = BTreeMap::new();
        loop {
            let new_norms: Vec<String> = norms.difference(&asked_norms).cloned().collect();
            let new_codes: Vec<String> = codes.difference(&asked_codes).cloned().collect();
            if new_norms.is_empty() && new_codes.is_empty() {
                break;
            }
            asked_norms.extend(new_norms.iter().cloned());
            asked_codes.extend(new_codes.iter().cloned());
            let found = store
                .employer_days_of(site.id, first, &new_norms, &new_codes)
                .await?;
            let mut unkeyed = Vec::new();
            for k in found {
                let norm = k.norm.unwrap_or_else(|| {
                    let n = normalize_name(&k.row.name);
                    unkeyed.push((k.row.name.clone(), n.clone()));
                    n
                });
                norms.insert(norm);
                if let (EmployerKey::CreditCode(_), Some(code)) = (
                    EmployerKey::of(&k.row.name, k.row.credit_code.as_deref()),
                    &k.row.credit_code,
                ) {
                    codes.insert(code.clone());
                }
                let at = (k.row.day, k.row.name.clone(), k.row.credit_code.clone());
                rows.insert(at, k.row);
            }
            store.save_employer_keys(site.id, &unkeyed).await?;
        }
        Ok(rows.into_values().collect())
    }

    /// Keys every employer name of the roll-up from `first` on, then the rows of the employers
    /// that can reach `min_cases`: those whose names add up to that many, and those with a code.
    async fn busy_employers(
        &self,
        first: NaiveDate,
        min_cases: u32,
    ) -> AppResult<Vec<EmployerDay>> {
        let site = self.site()?;
        let store = self.store();
        loop {
            let names = store.unkeyed_employer_names(site.id, first, 10_000).await?;
            if names.is_empty() {
                break;
            }
            let keys: Vec<(String, String)> = names
                .into_iter()
                .map(|n| {
                    let norm = normalize_name(&n);
                    (n, norm)
                })
                .collect();
            store.save_employer_keys(site.id, &keys).await?;
        }
        let norms = store
            .busy_employer_keys(site.id, first, i64::from(min_cases))
            .await?;
        self.employers_around(first, norms.into_iter().collect(), BTreeSet::new())
            .await
    }

    /// Raises a warning record for each repeat employer (`repeat_employer_cases` or more cases in
    /// the last `repeat_employer_days` days, employing counterparties only) not warned about yet,
    /// or with a new case since its warning was acknowledged. Any process may do it; the record is
    /// made once.
    ///
    /// Only new cases can make an employer a repeat employer, so this looks at the employers of
    /// the cases registered since the last check (kept in the database for every process), and
    /// at nothing when there are none: a reload for a call reads two rows. The first check of a
    /// database groups the whole period in SQL. An open warning's count follows the employer's
    /// new cases; it is not lowered as days leave the period.
    pub async fn raise_employer_alerts(
        &self,
        settings: &SupervisorSettings,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let site = self.site()?;
        let store = self.store();
        let Some(last) = store.last_case(site.id).await? else {
            return Ok(());
        };
        let first = Self::employer_period(settings, now);
        let rows = match store.employer_watch(site.id).await? {
            Some(checked) if checked >= last => return Ok(()),
            Some(checked) => {
                // Case ids are taken before their transactions commit: one a little below the
                // mark may have landed after the last check.
                let since = store
                    .employers_since(site.id, checked.saturating_sub(RECHECK_CASES))
                    .await?;
                let mut norms = BTreeSet::new();
                let mut codes = BTreeSet::new();
                let mut keys = Vec::new();
                for (name, code) in since {
                    let norm = normalize_name(&name);
                    if let (EmployerKey::CreditCode(_), Some(c)) =
                        (EmployerKey::of(&name, code.as_deref()), &code)
                    {
                        codes.insert(c.clone());
                    }
                    norms.insert(norm.clone());
                    keys.push((name, norm));
                }
                store.save_employer_keys(site.id, &keys).await?;
                self.employers_around(first, norms, codes).await?
            }
            None => {
                self.busy_employers(first, settings.repeat_employer_cases)
                    .await?
            }
        };
        let employers = alerts::repeat_employers(&rows, &settings.alert_settings());
        self.raise_for(site.id, first, employers, now).await?;
        store.set_employer_watch(site.id, last).await?;
        Ok(())
    }

    async fn raise_for(
        &self,
        site: crate::storage::SiteId,
        first: NaiveDate,
        employers: Vec<EmployerCases>,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        if employers.is_empty() {
            return Ok(());
        }
        let seen: HashMap<String, AlertRow> = self
            .store()
            .acknowledged_employers(site)
            .await?
            .into_iter()
            .map(|a| (a.subject.clone(), a))
            .collect();
        // Only what differs is written: a write takes SQLite's one write lock from the windows.
        let open: HashMap<String, (i64, String)> = self
            .store()
            .open_alerts(site)
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
                        .raise_employer_alert(site, &e.key, &e.name, n, now)
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
                    .raise_employer_alert(site, &e.key, &e.name, n, now)
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
            let (norms, codes) = match alert.subject.split_once(':') {
                Some(("code", c)) => (BTreeSet::new(), BTreeSet::from([c.to_string()])),
                Some((_, n)) => (BTreeSet::from([n.to_string()]), BTreeSet::new()),
                None => (BTreeSet::new(), BTreeSet::new()),
            };
            let rows = self
                .employers_around(Self::employer_period(settings, at), norms, codes)
                .await?;
            let n = crate::domain::employer::group(&rows)
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
