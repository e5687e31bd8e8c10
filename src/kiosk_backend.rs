//! The kiosk's [`Backend`] over storage and printing: what a window clerk's key presses do to the
//! shared database, and the paper they produce. Every call is short and runs in a task the TUI
//! spawns; the print runner works beside it and reports the printer's state.

use crate::config::Config;
use crate::domain::audit::{AuditEvent, RouteOverride as AuditOverride};
use crate::domain::numbering::{CaseNo as StoreCaseNo, local_day, local_time};
use crate::domain::{Decision, Reason, Route, SiteSettings, china_time};
use crate::paper::Paper as PaperRenderer;
use crate::print::status::{Fault, PrinterStatus as PrintStatus};
use crate::storage::stations::{HEARTBEAT, PrinterState};
use crate::storage::{
    Actor, AuditEntry, CaseRecord, DbUrl, IntakeCommit, OpenOptions, Outcome as StoreOutcome,
    PrintJobFilter, PrintKind, PrintState, SiteInfo, StaffId, StaffRole, StorageError, Store,
    Ticket, TicketFilter, TicketState as StoreTicketState,
};
use crate::store_spool::PrintStation;
use crate::tui::backend::*;
use crate::tui::memory::{LOCKOUT_MINUTES, MAX_PIN_FAILURES};
use anyhow::Context;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use std::sync::{Arc, RwLock};
use std::time::Duration as StdDuration;
use tokio::sync::{Notify, watch};

pub struct StoreBackend {
    store: Store,
    /// Settings of the configured site; code and name may come from the first-run set-up.
    site: RwLock<SiteSettings>,
    info: RwLock<Option<SiteInfo>>,
    paper: PaperRenderer,
    window: i64,
    printer: watch::Receiver<PrintStatus>,
    wake_printer: Arc<Notify>,
    /// This window's printer takes this window's paper; set once the window's id is known.
    station: PrintStation,
    /// Who is signed in here, for the session the heartbeat keeps alive.
    session: Arc<RwLock<Option<Session>>>,
}

/// A clerk's sign-in at this window, as stored.
#[derive(Debug, Clone, Copy)]
struct Session {
    window: crate::storage::WindowId,
    staff: StaffId,
}

/// Change rows older than this are deleted (screens reload far more often than that).
const KEEP_CHANGES: Duration = Duration::days(1);
/// Pruned once an hour of heartbeats.
const PRUNE_EVERY_BEATS: u64 = 60;

/// An idle printer is asked for its status this often.
const PRINTER_POLL: StdDuration = StdDuration::from_secs(30);

/// Opens the database, starts the print runner and returns the kiosk's backend.
pub async fn open(config: &Config) -> anyhow::Result<Arc<dyn Backend>> {
    let url = DbUrl::new(config.database_url.clone());
    let store = Store::open(&url, OpenOptions::default())
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    let paper = PaperRenderer::load(config)?;
    let station = PrintStation::default();
    let runner =
        crate::paper::print_runner(config, &store, station.clone())?.with_status_poll(PRINTER_POLL);
    let printer = runner.status();
    let wake_printer = runner.waker();
    // The runner lives as long as the process: the kiosk exits by ending the process.
    let (_keep, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        let _keep = _keep;
        runner.run(shutdown, StdDuration::from_secs(2)).await;
    });
    let backend = StoreBackend {
        store,
        site: RwLock::new(config.site.clone()),
        info: RwLock::new(None),
        paper,
        window: i64::from(config.window),
        printer,
        wake_printer,
        station,
        session: Arc::new(RwLock::new(None)),
    };
    backend.resolve_site().await?;
    if let Ok(site) = backend.info() {
        // Knowing the window now lets paper left pending by a previous run print at once.
        backend
            .window_id(&site, WindowId(config.window))
            .await
            .map_err(|e| anyhow::anyhow!("window {}: {e:?}", config.window))?;
    }
    spawn_heartbeat(
        backend.store.clone(),
        backend.station.clone(),
        backend.session.clone(),
        backend.printer.clone(),
    );
    Ok(Arc::new(backend))
}

/// Keeps this window's session alive and its printer's status current in the database, for the
/// supervisor's screen: at every status change and every [`HEARTBEAT`].
fn spawn_heartbeat(
    store: Store,
    station: PrintStation,
    session: Arc<RwLock<Option<Session>>>,
    mut printer: watch::Receiver<PrintStatus>,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(HEARTBEAT);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut beats: u64 = 0;
        loop {
            tokio::select! {
                changed = printer.changed() => if changed.is_err() { break },
                _ = tick.tick() => {
                    // Every kiosk keeps the change table short; deleting twice is harmless.
                    if beats.is_multiple_of(PRUNE_EVERY_BEATS)
                        && let Err(e) = store.prune_changes(Utc::now() - KEEP_CHANGES).await
                    {
                        tracing::warn!(error = %e, "cannot prune old changes");
                    }
                    beats += 1;
                    let current = session.read().ok().and_then(|s| *s);
                    if let Some(s) = current
                        && let Err(e) = store.touch_session(s.window, s.staff, Utc::now()).await
                    {
                        tracing::warn!(error = %e, "cannot refresh the window session");
                    }
                }
            }
            let Some(window) = station.get() else {
                continue;
            };
            let status = printer.borrow_and_update().clone();
            let state = if !status.faults.is_empty() {
                PrinterState::Fault
            } else if status.known {
                PrinterState::Ok
            } else {
                PrinterState::Unknown
            };
            if let Err(e) = store
                .set_printer_status(window, state, &status.describe(), Utc::now())
                .await
            {
                tracing::warn!(error = %e, "cannot store the printer status");
            }
        }
    });
}

fn err(e: StorageError) -> BackendError {
    match e {
        StorageError::NotFound(_) => BackendError::NotFound,
        StorageError::InvalidTransition { .. } | StorageError::Conflict(_) => {
            BackendError::InvalidState
        }
        StorageError::Db(ref d)
            if matches!(
                d,
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
            ) =>
        {
            tracing::warn!(error = %e, "database unavailable");
            BackendError::Unavailable
        }
        other => {
            tracing::error!(error = %other, "storage error");
            BackendError::Other(other.to_string())
        }
    }
}

fn to_tui_state(s: StoreTicketState) -> TicketState {
    match s {
        StoreTicketState::Waiting => TicketState::Waiting,
        StoreTicketState::Called => TicketState::Called,
        StoreTicketState::Serving => TicketState::Serving,
        StoreTicketState::Done => TicketState::Finished,
        StoreTicketState::NoShow => TicketState::NoShow,
        StoreTicketState::Transferred => TicketState::Transferred,
    }
}

fn to_store_outcome(o: Outcome) -> StoreOutcome {
    match o {
        Outcome::Mediated => StoreOutcome::Mediated,
        Outcome::MediationFailed => StoreOutcome::NotMediated,
        Outcome::Accepted => StoreOutcome::Accepted,
        Outcome::Referred => StoreOutcome::Referred,
        Outcome::Withdrawn => StoreOutcome::Withdrawn,
        Outcome::Other => StoreOutcome::Other,
    }
}

fn to_tui_outcome(o: &str) -> Outcome {
    match o {
        "mediated" => Outcome::Mediated,
        "not_mediated" => Outcome::MediationFailed,
        "accepted" => Outcome::Accepted,
        "referred" => Outcome::Referred,
        "withdrawn" => Outcome::Withdrawn,
        _ => Outcome::Other,
    }
}

fn paper_kind(p: Paper) -> PrintKind {
    match p {
        Paper::Ticket => PrintKind::Ticket,
        Paper::Receipt => PrintKind::Receipt,
        Paper::ReferralNotice => PrintKind::Referral,
    }
}

/// The decision as the clerk overrode it: the new route and its queue, and the reason first.
fn overridden(mut d: Decision, o: &RouteOverride, site: &SiteSettings) -> Decision {
    let from = d.route.map_or("—", |r| r.zh());
    d.reasons.insert(
        0,
        Reason {
            rule: "OVERRIDE".into(),
            text: format!(
                "窗口工作人员改派：原分流“{}”，改为“{}”。理由：{}",
                from,
                o.route.zh(),
                o.reason
            ),
            basis: "人社部发〔2022〕71号（首问负责）".into(),
        },
    );
    d.route = Some(o.route);
    if o.route != Route::Referral {
        d.referral_to = None;
    }
    d.queue = site.queue_prefix(o.route).map(str::to_string);
    d
}

impl StoreBackend {
    /// The site this kiosk works for: the configured code if the database has it, else the one
    /// site the first-run set-up created.
    async fn resolve_site(&self) -> anyhow::Result<()> {
        let code = self.site_settings().code;
        let found = match self.store.site_by_code(&code).await {
            Ok(info) => Some(info),
            Err(StorageError::NotFound(_)) => {
                let codes = self.store.site_codes().await?;
                match codes.as_slice() {
                    [only] => Some(self.store.site_by_code(only).await?),
                    _ => None,
                }
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(info) = found {
            {
                let mut s = self
                    .site
                    .write()
                    .map_err(|_| anyhow::anyhow!("site lock"))?;
                s.code = info.code.clone();
                if !info.name.is_empty() {
                    s.name = info.name.clone();
                }
            }
            // Queues follow the configured prefixes.
            let info = self
                .store
                .ensure_site(&self.site_settings(), Utc::now())
                .await?;
            *self
                .info
                .write()
                .map_err(|_| anyhow::anyhow!("site lock"))? = Some(info);
        }
        Ok(())
    }

    /// Records that `staff` is now signed in at this window.
    async fn open_session(
        &self,
        site: &SiteInfo,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<(), BackendError> {
        let window = u32::try_from(self.window)
            .map_err(|_| BackendError::Other(format!("window number {}", self.window)))?;
        let w = self.window_id(site, WindowId(window)).await?;
        self.store
            .open_session(w.id, staff, at)
            .await
            .map_err(err)?;
        if let Ok(mut s) = self.session.write() {
            *s = Some(Session {
                window: w.id,
                staff,
            });
        }
        Ok(())
    }

    fn site_settings(&self) -> SiteSettings {
        self.site.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn info(&self) -> Result<SiteInfo, BackendError> {
        self.info
            .read()
            .ok()
            .and_then(|i| i.clone())
            .ok_or_else(|| BackendError::Other("the site is not set up yet".into()))
    }

    async fn staff_id(&self, site: &SiteInfo, staff: &StaffNo) -> Result<StaffId, BackendError> {
        self.store
            .staff_by_code(site.id, &staff.0)
            .await
            .map_err(err)
    }

    async fn window_id(
        &self,
        site: &SiteInfo,
        window: WindowId,
    ) -> Result<crate::storage::WindowInfo, BackendError> {
        match self
            .store
            .window_by_number(site.id, i64::from(window.0))
            .await
        {
            Ok(w) => {
                if i64::from(window.0) == self.window {
                    self.station.set(w.id);
                }
                Ok(w)
            }
            // A window that was never set up serves every queue until a supervisor assigns it.
            Err(StorageError::NotFound(_)) => {
                let routes: Vec<Route> = site.queues.iter().map(|q| q.route).collect();
                self.store
                    .upsert_window(site.id, i64::from(window.0), "", &routes, Utc::now())
                    .await
                    .map_err(err)?;
                let w = self
                    .store
                    .window_by_number(site.id, i64::from(window.0))
                    .await
                    .map_err(err)?;
                if i64::from(window.0) == self.window {
                    self.station.set(w.id);
                }
                Ok(w)
            }
            Err(e) => Err(err(e)),
        }
    }

    async fn ticket_by_no(
        &self,
        ticket: &TicketNo,
        at: DateTime<FixedOffset>,
    ) -> Result<Ticket, BackendError> {
        let site = self.info()?;
        self.store
            .ticket_by_no(site.id, local_day(&at), &ticket.0)
            .await
            .map_err(err)
    }

    /// The ticket a clerk names and who acts, for the queue operations.
    async fn ticket_and_actor(
        &self,
        ticket: &TicketNo,
        staff: &StaffNo,
        at: DateTime<FixedOffset>,
    ) -> Result<(Ticket, Actor), BackendError> {
        let site = self.info()?;
        let staff = self.staff_id(&site, staff).await?;
        let t = self.ticket_by_no(ticket, at).await?;
        Ok((t, Self::actor(staff, at)))
    }

    async fn entry(&self, t: Ticket) -> Result<QueueEntry, BackendError> {
        let (case_no, flags, name) = match t.case {
            Some(id) => {
                let c = self.store.case_by_id(id).await.map_err(err)?;
                (c.case_no.to_string(), c.flags, c.record.applicant.name)
            }
            None => (String::new(), vec![], String::new()),
        };
        Ok(QueueEntry {
            ticket: TicketNo(t.ticket_no.to_string()),
            case_no: CaseNo(case_no),
            route: t.route,
            priority: t.priority,
            flags,
            applicant_name: name,
            issued_at: local_time(&t.original_issued_at),
            state: to_tui_state(t.state),
            window: None,
        })
    }

    fn actor(staff: StaffId, at: DateTime<FixedOffset>) -> Actor {
        Actor::at(Some(staff), at.with_timezone(&Utc))
    }

    async fn history(&self, case: &CaseRecord) -> Result<Vec<HistoryEntry>, BackendError> {
        let audit = self.store.audit_for_case(case.id).await.map_err(err)?;
        Ok(audit.iter().flat_map(history_entries).collect())
    }
}

/// The lines of a case's history an audit entry gives: none for what the history does not show,
/// two for a registration whose route the clerk overrode.
fn history_entries(a: &AuditEntry) -> Vec<HistoryEntry> {
    let events = match &a.event {
        AuditEvent::CaseRegistered { route_override, .. } => {
            let mut v = vec![CaseEvent::Registered];
            if let Some(o) = route_override {
                v.push(CaseEvent::RouteOverridden {
                    from: o.from,
                    to: o.to,
                    reason: o.reason.clone(),
                });
            }
            v
        }
        AuditEvent::TicketIssued { ticket_no, .. } => {
            vec![CaseEvent::TicketIssued(TicketNo(ticket_no.to_string()))]
        }
        AuditEvent::Called { .. } => vec![CaseEvent::Called],
        AuditEvent::Recalled { .. } => vec![CaseEvent::Recalled],
        AuditEvent::NoShow { .. } => vec![CaseEvent::NoShow],
        AuditEvent::Started { .. } => vec![CaseEvent::Started],
        AuditEvent::Transferred {
            to_route: Some(to),
            reason,
            ..
        } => vec![CaseEvent::Transferred {
            to: *to,
            reason: reason.clone(),
        }],
        AuditEvent::Finished { outcome, .. } => {
            vec![CaseEvent::Finished(to_tui_outcome(outcome.code()))]
        }
        AuditEvent::Reprinted { kind, .. } => vec![CaseEvent::Printed(match kind {
            PrintKind::Ticket => Paper::Ticket,
            PrintKind::Referral => Paper::ReferralNotice,
            PrintKind::Receipt => Paper::Receipt,
        })],
        _ => vec![],
    };
    events
        .into_iter()
        .map(|event| HistoryEntry {
            at: local_time(&a.at),
            event,
            staff: a.staff_no.as_ref().map(|s| StaffNo(s.to_string())),
            window: a.window_no.map(|w| WindowId(w.0)),
        })
        .collect()
}

/// Who a sign-in let in: the staff member as the screens show them, and their id for audit entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: StaffId,
    pub staff: Staff,
}

/// The one sign-in check, for a kiosk window (`window` is its number) and for the supervisor's
/// console (no window): the PIN against its Argon2 hash, failures counted in the database and the
/// number locked for [`LOCKOUT_MINUTES`] after [`MAX_PIN_FAILURES`], a success audited. An
/// unknown number fails like a wrong PIN, so numbers cannot be probed. The role is not checked
/// here: what a role may do is the caller's business.
pub async fn sign_in(
    store: &Store,
    site: crate::storage::SiteId,
    staff: &StaffNo,
    pin: String,
    window: Option<i64>,
    at: DateTime<FixedOffset>,
) -> Result<SignedIn, BackendError> {
    let at_utc = at.with_timezone(&Utc);
    let Some(auth) = store.staff_auth(site, &staff.0).await.map_err(err)? else {
        return Err(BackendError::BadCredentials {
            attempts_left: MAX_PIN_FAILURES,
        });
    };
    if let Some(until) = auth.locked_until
        && at_utc < until
    {
        return Err(BackendError::LockedOut {
            until: until.with_timezone(&china_time()),
        });
    }
    let hash = auth.pin_hash.clone().unwrap_or_default();
    // Argon2 is deliberately slow; keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || crate::pin::matches(&pin, &hash))
        .await
        .map_err(|e| BackendError::Other(e.to_string()))?;
    if ok {
        store
            .signed_in(auth.id, window, at_utc)
            .await
            .map_err(err)?;
        return Ok(SignedIn {
            id: auth.id,
            staff: Staff {
                number: StaffNo(auth.code),
                name: auth.name,
                role: match auth.role {
                    StaffRole::Supervisor => Role::Supervisor,
                    StaffRole::Clerk => Role::Clerk,
                },
            },
        });
    }
    // A lock that ran out starts a fresh count.
    let before = if auth.locked_until.is_some() {
        0
    } else {
        auth.failed_attempts
    };
    let lock = (before + 1 >= i64::from(MAX_PIN_FAILURES))
        .then(|| at_utc + Duration::minutes(LOCKOUT_MINUTES));
    if auth.locked_until.is_some() {
        store
            .set_pin_hash(auth.id, auth.pin_hash.as_deref().unwrap_or_default())
            .await
            .map_err(err)?;
    }
    let n = store
        .sign_in_failed(auth.id, window, lock, at_utc)
        .await
        .map_err(err)?;
    match lock {
        Some(until) => Err(BackendError::LockedOut {
            until: until.with_timezone(&china_time()),
        }),
        None => Err(BackendError::BadCredentials {
            attempts_left: MAX_PIN_FAILURES.saturating_sub(u32::try_from(n).unwrap_or(u32::MAX)),
        }),
    }
}

impl Backend for StoreBackend {
    fn needs_setup(&self) -> BackendResult<'_, bool> {
        Box::pin(async move {
            let Ok(site) = self.info() else {
                return Ok(true);
            };
            Ok(self.store.staff_count(site.id).await.map_err(err)? == 0)
        })
    }

    fn set_up(&self, setup: SetUp) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let mut settings = self.site_settings();
            settings.code = setup.site_code.clone();
            settings.name = setup.site_name.clone();
            let info = self
                .store
                .ensure_site(&settings, Utc::now())
                .await
                .map_err(err)?;
            let routes: Vec<Route> = info.queues.iter().map(|q| q.route).collect();
            for w in &setup.windows {
                self.store
                    .upsert_window(info.id, i64::from(w.0), "", &routes, Utc::now())
                    .await
                    .map_err(err)?;
            }
            let id = self
                .store
                .upsert_staff(
                    info.id,
                    &setup.supervisor_no.0,
                    &setup.supervisor_name,
                    StaffRole::Supervisor,
                )
                .await
                .map_err(err)?;
            let pin = setup.supervisor_pin.clone();
            let hash = tokio::task::spawn_blocking(move || crate::pin::hash(&pin))
                .await
                .map_err(|e| BackendError::Other(e.to_string()))?
                .map_err(BackendError::Other)?;
            self.store.set_pin_hash(id, &hash).await.map_err(err)?;
            if let Ok(mut s) = self.site.write() {
                *s = settings;
            }
            if let Ok(mut i) = self.info.write() {
                *i = Some(info);
            }
            Ok(())
        })
    }

    fn sign_in(
        &self,
        staff: StaffNo,
        pin: String,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, Staff> {
        Box::pin(async move {
            let site = self.info()?;
            let signed = sign_in(&self.store, site.id, &staff, pin, Some(self.window), at).await?;
            self.open_session(&site, signed.id, at.with_timezone(&Utc))
                .await?;
            Ok(signed.staff)
        })
    }

    fn sign_out(&self, _staff: StaffNo, at: DateTime<FixedOffset>) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let session = self.session.write().ok().and_then(|mut s| s.take());
            if let Some(s) = session {
                self.store
                    .close_session(s.window, s.staff, at.with_timezone(&Utc))
                    .await
                    .map_err(err)?;
            }
            Ok(())
        })
    }

    fn submit(&self, s: Submission) -> BackendResult<'_, Issued> {
        Box::pin(async move {
            let site_info = self.info()?;
            let settings = self.site_settings();
            let staff = self.staff_id(&site_info, &s.staff).await?;
            let window = self.window_id(&site_info, s.window).await?;
            let decision = match &s.route_override {
                Some(o) => overridden(s.decision.clone(), o, &settings),
                None => s.decision.clone(),
            };
            let receipt = self
                .store
                .commit_intake(IntakeCommit {
                    site: site_info.id,
                    record: &s.record,
                    decision: &decision,
                    by: Self::actor(staff, s.at),
                    window: Some(window.id),
                    print_jobs: self.paper.renderer(
                        &s.record,
                        &decision,
                        &settings,
                        s.staff.0.clone(),
                    ),
                    route_override: s.route_override.as_ref().map(|o| AuditOverride {
                        from: s.decision.route,
                        to: o.route,
                        reason: o.reason.clone(),
                    }),
                })
                .await
                .map_err(err)?;
            self.wake_printer.notify_one();
            Ok(Issued {
                case_no: CaseNo(receipt.case_no.to_string()),
                ticket: receipt
                    .ticket
                    .as_ref()
                    .map(|t| TicketNo(t.ticket_no.to_string())),
                route: decision.route,
                people_ahead: receipt
                    .ticket
                    .as_ref()
                    .map_or(0, |t| u32::try_from(t.ahead).unwrap_or(0)),
                at: s.at,
            })
        })
    }

    fn waiting(
        &self,
        window: WindowId,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, Vec<QueueEntry>> {
        Box::pin(async move {
            let site = self.info()?;
            let w = self.window_id(&site, window).await?;
            // The same day call-next numbers and calls by: the one of the clerk's clock.
            let today = local_day(&at.with_timezone(&Utc));
            let tickets = self
                .store
                .list_tickets(TicketFilter {
                    site: Some(site.id),
                    queue: None,
                    day: Some(today),
                    state: Some(StoreTicketState::Waiting),
                })
                .await
                .map_err(err)?;
            let mut out = Vec::new();
            for t in tickets.into_iter().filter(|t| w.queues.contains(&t.queue)) {
                out.push(self.entry(t).await?);
            }
            out.sort_by(|a, b| {
                b.priority
                    .cmp(&a.priority)
                    .then(a.issued_at.cmp(&b.issued_at))
            });
            Ok(out)
        })
    }

    fn call_next(
        &self,
        window: WindowId,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, QueueEntry> {
        Box::pin(async move {
            let site = self.info()?;
            let staff = self.staff_id(&site, &staff).await?;
            let w = self.window_id(&site, window).await?;
            let called = self
                .store
                .call_next(w.id, Self::actor(staff, at))
                .await
                .map_err(err)?;
            let mut entry = self.entry(called.ok_or(BackendError::QueueEmpty)?).await?;
            entry.window = Some(window);
            Ok(entry)
        })
    }

    fn recall(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let (t, by) = self.ticket_and_actor(&ticket, &staff, at).await?;
            self.store.recall(t.id, by).await.map_err(err)?;
            Ok(())
        })
    }

    fn no_show(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let (t, by) = self.ticket_and_actor(&ticket, &staff, at).await?;
            self.store.no_show(t.id, by).await.map_err(err)?;
            Ok(())
        })
    }

    fn start(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let (t, by) = self.ticket_and_actor(&ticket, &staff, at).await?;
            self.store.start(t.id, by).await.map_err(err)?;
            Ok(())
        })
    }

    fn transfer(
        &self,
        ticket: TicketNo,
        to: Route,
        reason: String,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, TicketNo> {
        Box::pin(async move {
            let (t, by) = self.ticket_and_actor(&ticket, &staff, at).await?;
            let queue = self.info()?.queue(to).ok_or(BackendError::InvalidState)?.id;
            let new = self
                .store
                .transfer(t.id, queue, &reason, by)
                .await
                .map_err(err)?;
            Ok(TicketNo(new.ticket_no.to_string()))
        })
    }

    fn finish(
        &self,
        ticket: TicketNo,
        outcome: Outcome,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let (t, by) = self.ticket_and_actor(&ticket, &staff, at).await?;
            self.store
                .finish(t.id, to_store_outcome(outcome), by)
                .await
                .map_err(err)?;
            Ok(())
        })
    }

    fn case_view(&self, case_no: CaseNo) -> BackendResult<'_, CaseView> {
        Box::pin(async move {
            let no = StoreCaseNo::parse(&case_no.0).map_err(|_| BackendError::NotFound)?;
            let c = self.store.case_by_no(&no).await.map_err(err)?;
            let tickets = self.store.tickets_for_case(c.id).await.map_err(err)?;
            let last = tickets.iter().max_by_key(|t| (t.issued_at, t.id));
            let history = self.history(&c).await?;
            Ok(CaseView {
                case_no,
                route: c.route,
                ticket: last.map(|t| TicketNo(t.ticket_no.to_string())),
                state: last.map(|t| to_tui_state(t.state)),
                registered_at: local_time(&c.created_at),
                history,
                record: c.record,
                decision: c.decision,
            })
        })
    }

    fn search(&self, query: String) -> BackendResult<'_, Vec<CaseSummary>> {
        Box::pin(async move {
            let site = self.info()?;
            let found = self
                .store
                .search_cases(site.id, &query, 50)
                .await
                .map_err(err)?;
            Ok(found
                .into_iter()
                .map(|c| CaseSummary {
                    case_no: CaseNo(c.case_no.to_string()),
                    applicant_name: c.record.applicant.name.clone(),
                    phone: c.record.applicant.phone.clone(),
                    counterparty_name: c.counterparty_name.clone(),
                    route: c.route,
                    registered_at: local_time(&c.created_at),
                })
                .collect())
        })
    }

    fn reprint(
        &self,
        case_no: CaseNo,
        paper: Paper,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()> {
        Box::pin(async move {
            let staff = self.staff_id(&self.info()?, &staff).await?;
            let no = StoreCaseNo::parse(&case_no.0).map_err(|_| BackendError::NotFound)?;
            let c = self.store.case_by_no(&no).await.map_err(err)?;
            let jobs = self
                .store
                .list_print_jobs(PrintJobFilter {
                    case: Some(c.id),
                    newest_first: true,
                    limit: 50,
                    ..PrintJobFilter::default()
                })
                .await
                .map_err(err)?;
            let kind = paper_kind(paper);
            // A copy while the paper still waits for the printer would come out twice.
            if jobs.iter().any(|j| {
                j.kind == kind && matches!(j.state, PrintState::Pending | PrintState::Printing)
            }) {
                return Err(BackendError::StillPrinting);
            }
            // The original of that paper: a reprint copies what was issued.
            let original = jobs
                .iter()
                .filter(|j| j.kind == kind && j.reprint_of.is_none())
                .min_by_key(|j| j.id)
                .ok_or(BackendError::NotFound)?;
            // The copy prints here, where the clerk who asked for it stands.
            let by = Actor::at_window(Some(staff), self.station.get(), at.with_timezone(&Utc));
            self.store.reprint(original.id, by).await.map_err(err)?;
            self.wake_printer.notify_one();
            Ok(())
        })
    }

    fn health(&self) -> BackendResult<'_, Health> {
        Box::pin(async move {
            let database = match self.store.change_version().await {
                Ok(_) => DbStatus::Connected,
                Err(_) => DbStatus::Reconnecting,
            };
            let pending = if database == DbStatus::Connected {
                self.store
                    .list_print_jobs(PrintJobFilter {
                        state: Some(PrintState::Pending),
                        limit: 1000,
                        ..PrintJobFilter::default()
                    })
                    .await
                    .map_or(0, |j| j.len() as u32)
            } else {
                0
            };
            let status = self.printer.borrow().clone();
            let printer = if status.faults.iter().any(|f| matches!(f, Fault::PaperEnd)) {
                PrinterStatus::PaperOut
            } else if status.blocks_printing() {
                PrinterStatus::Offline
            } else {
                PrinterStatus::Ready
            };
            Ok(Health {
                database,
                printer,
                pending_print_jobs: pending,
            })
        })
    }
}
