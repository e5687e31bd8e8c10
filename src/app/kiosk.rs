//! One window's services: the clerk signed in at it, its printer and the heartbeat that tells the
//! supervisor who is there. Every key press of the kiosk becomes one call here, run in a task the
//! TUI spawns; the print runner works beside it.

use super::error::{AppError, AppResult};
use super::health::DbWatch;
use super::queue::TicketOp;
use super::spool::{PrintRunner, PrintStation};
use super::types::*;
use super::{Acting, Services, Station};
use crate::domain::{
    CaseNo, Outcome, PrintKind, PrintState, ReadPurpose, Route, StaffNo, TicketNo, TicketState,
    WindowNo,
};
use crate::print::status::{Fault, PrinterStatus};
use crate::storage::stations::{HEARTBEAT, PrinterState};
use crate::storage::{PrintJobFilter, Store, Ticket};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use std::sync::{Arc, RwLock};
use std::time::Duration as StdDuration;
use tokio::sync::{Notify, watch};

/// Change rows older than this are deleted (screens reload far more often than that).
const KEEP_CHANGES: Duration = Duration::days(1);
/// Pruned once an hour of heartbeats.
const PRUNE_EVERY_BEATS: u64 = 60;
/// An idle printer is asked for its status this often.
const PRINTER_POLL: StdDuration = StdDuration::from_secs(30);
/// How often the runner looks for due paper when nobody wakes it.
const SPOOL_POLL: StdDuration = StdDuration::from_secs(2);
/// The paper waiting for this window's printer is counted at most this often (the status line
/// asks every second).
const PENDING_EVERY: StdDuration = StdDuration::from_secs(5);

/// A kiosk standing at one window.
pub struct Kiosk {
    services: Services,
    window: WindowNo,
    station: PrintStation,
    printer: watch::Receiver<PrinterStatus>,
    wake_printer: Arc<Notify>,
    /// The clerk signed in here, for the operations and the session the heartbeat keeps alive.
    session: Arc<RwLock<Option<Acting>>>,
    /// The health check: the status line reads it, and calls refuse at once while it is down.
    db: DbWatch,
    /// Paper waiting for this window's printer, and when it was counted.
    pending: std::sync::Mutex<Option<(std::time::Instant, u32)>>,
    /// Dropping the kiosk stops its print runner and heartbeat.
    _shutdown: watch::Sender<bool>,
}

impl Kiosk {
    /// The kiosk at window `window`: starts its print runner (on the configured printer) and its
    /// heartbeat.
    pub async fn open(services: Services, window: WindowNo) -> anyhow::Result<Kiosk> {
        let station = PrintStation::default();
        let runner =
            super::paper::print_runner(services.config(), services.store(), station.clone())?
                .with_status_poll(PRINTER_POLL);
        Ok(Kiosk::with_runner(services, window, station, runner).await)
    }

    /// The kiosk with a print runner made by the caller (tests, the demo).
    pub async fn with_runner(
        services: Services,
        window: WindowNo,
        station: PrintStation,
        runner: PrintRunner,
    ) -> Kiosk {
        let printer = runner.status();
        let wake_printer = runner.waker();
        let (shutdown_tx, shutdown) = watch::channel(false);
        tokio::spawn(runner.run(shutdown.clone(), SPOOL_POLL));
        let db = services.watch_database();
        let kiosk = Kiosk {
            db,
            pending: std::sync::Mutex::new(None),
            services,
            window,
            station,
            printer,
            wake_printer,
            session: Arc::new(RwLock::new(None)),
            _shutdown: shutdown_tx,
        };
        // Knowing the window now lets paper left pending by a previous run print at once.
        if kiosk.services.site().is_ok() {
            let _ = kiosk.here(Utc::now()).await;
        }
        spawn_heartbeat(
            kiosk.services.store().clone(),
            kiosk.station.clone(),
            kiosk.session.clone(),
            kiosk.printer.clone(),
            shutdown,
        );
        kiosk
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn window(&self) -> WindowNo {
        self.window
    }

    /// This window, created serving every queue if it was never set up.
    async fn here(&self, at: DateTime<Utc>) -> AppResult<Station> {
        let s = self.services.station(self.window, true, at).await?;
        self.station.set(s.id);
        Ok(s)
    }

    fn clerk(&self) -> AppResult<Acting> {
        self.session
            .read()
            .ok()
            .and_then(|s| s.clone())
            .ok_or(AppError::Forbidden)
    }

    pub async fn needs_setup(&self) -> AppResult<bool> {
        self.services.needs_setup().await
    }

    pub async fn set_up(&self, setup: SetUp, at: DateTime<FixedOffset>) -> AppResult<()> {
        let at = at.with_timezone(&Utc);
        self.services.set_up(setup, at).await?;
        self.here(at).await?;
        Ok(())
    }

    /// Signs a clerk in at this window and opens their session there.
    pub async fn sign_in(
        &self,
        staff: StaffNo,
        pin: String,
        at: DateTime<FixedOffset>,
    ) -> AppResult<Staff> {
        let signed = self
            .services
            .sign_in(
                &staff,
                pin,
                Some(self.window),
                super::auth::Permission::WorkQueue,
                at,
            )
            .await?;
        let here = self.here(at.with_timezone(&Utc)).await?;
        self.services
            .store()
            .open_session(here.id, signed.id, at.with_timezone(&Utc))
            .await?;
        if let Ok(mut s) = self.session.write() {
            *s = Some(Acting {
                staff: Some((signed.id, signed.staff.number.clone())),
                window: Some(here),
            });
        }
        Ok(signed.staff)
    }

    /// The clerk leaves the window (sign-out key, or the kiosk is closed).
    pub async fn sign_out(&self, at: DateTime<FixedOffset>) -> AppResult<()> {
        let clerk = self.session.write().ok().and_then(|mut s| s.take());
        if let Some(Acting {
            staff: Some((id, _)),
            window: Some(w),
        }) = clerk
        {
            self.services
                .store()
                .close_session(w.id, id, at.with_timezone(&Utc))
                .await?;
        }
        Ok(())
    }

    /// Refuses at once while the health check says the database is away: the clerk learns it
    /// now, not after the pool's time-out.
    fn reachable(&self) -> AppResult<()> {
        if self.db.is_down() {
            return Err(AppError::Unavailable);
        }
        Ok(())
    }

    pub async fn submit(&self, s: Submission) -> AppResult<Issued> {
        self.reachable()?;
        let registered = self
            .services
            .register(
                &s.record,
                s.route_override.as_ref(),
                &self.clerk()?,
                s.at.with_timezone(&Utc),
            )
            .await?;
        self.wake_printer.notify_one();
        Ok(registered.issued)
    }

    /// This window's list for the clerk's (China-time) day, with a ticket it still holds from the
    /// day before at the top: a worker being served at midnight is not dropped from the list,
    /// and the clerk can still finish, no-show or transfer them.
    pub async fn queue(&self, at: DateTime<FixedOffset>) -> AppResult<Vec<QueueEntry>> {
        let at = at.with_timezone(&Utc);
        let here = self.here(at).await?;
        let mut list = self.services.window_list(here, at).await?;
        if !list.iter().any(QueueEntry::is_held) {
            let before: Vec<QueueEntry> = self
                .services
                .window_list(here, at - Duration::days(1))
                .await?
                .into_iter()
                .filter(QueueEntry::is_held)
                .collect();
            list.splice(0..0, before);
        }
        Ok(list)
    }

    /// The ticket a key acts on: the one this window holds from the day before, if that is the
    /// number (keys act on the ticket the window holds), else the number's ticket of today.
    async fn ticket_here(&self, ticket: &TicketNo, at: DateTime<Utc>) -> AppResult<Ticket> {
        let here = self.station.get();
        if let Ok(t) = self
            .services
            .ticket_of_day(ticket, at - Duration::days(1))
            .await
            && matches!(t.state, TicketState::Called | TicketState::Serving)
            && here.is_some()
            && t.window == here
        {
            return Ok(t);
        }
        self.services.ticket_of_day(ticket, at).await
    }

    /// Calls the next ticket now or not at all: refused while the database is away, and when it
    /// cannot start within `queue::CALL_DEADLINE`.
    pub async fn call_next(&self, at: DateTime<FixedOffset>) -> AppResult<QueueEntry> {
        self.reachable()?;
        // One ticket at a time, also across midnight.
        if let Some(held) = self.queue(at).await?.into_iter().find(QueueEntry::is_held) {
            return Err(AppError::WindowBusy(held.ticket));
        }
        self.services
            .call_next(&self.clerk()?, at.with_timezone(&Utc))
            .await
    }

    pub async fn ticket_op(
        &self,
        op: TicketOp,
        ticket: TicketNo,
        at: DateTime<FixedOffset>,
    ) -> AppResult<()> {
        let at = at.with_timezone(&Utc);
        let t = self.ticket_here(&ticket, at).await?;
        self.services.ticket_op(op, &t, &self.clerk()?, at).await?;
        Ok(())
    }

    pub async fn transfer(
        &self,
        ticket: TicketNo,
        to: Route,
        reason: String,
        at: DateTime<FixedOffset>,
    ) -> AppResult<TicketNo> {
        let at = at.with_timezone(&Utc);
        let t = self.ticket_here(&ticket, at).await?;
        let t = self
            .services
            .transfer(&t, to, &reason, &self.clerk()?, at)
            .await?;
        self.wake_printer.notify_one();
        Ok(t.ticket_no)
    }

    pub async fn finish(
        &self,
        ticket: TicketNo,
        outcome: Outcome,
        at: DateTime<FixedOffset>,
    ) -> AppResult<()> {
        let at = at.with_timezone(&Utc);
        let t = self.ticket_here(&ticket, at).await?;
        self.services
            .finish(&t, outcome, &self.clerk()?, at)
            .await?;
        Ok(())
    }

    /// Opens a case for the clerk; the read is audited.
    pub async fn case_view(&self, case_no: CaseNo) -> AppResult<CaseView> {
        let clerk = self.clerk()?;
        let view = self.services.case_view(&case_no).await?;
        let case = self.services.case_record(&case_no).await?;
        self.services
            .audit_read(
                &clerk,
                Some(&case),
                ReadPurpose::Open,
                false,
                None,
                Utc::now(),
            )
            .await?;
        Ok(view)
    }

    /// Searches for the clerk; the search is audited with how many cases it found.
    pub async fn search(&self, query: String) -> AppResult<Vec<CaseSummary>> {
        let clerk = self.clerk()?;
        let found = self.services.search(&query).await?;
        self.services
            .audit_read(
                &clerk,
                None,
                ReadPurpose::Search,
                false,
                Some(found.len()),
                Utc::now(),
            )
            .await?;
        Ok(found)
    }

    pub async fn reprint(
        &self,
        case_no: CaseNo,
        kind: PrintKind,
        at: DateTime<FixedOffset>,
    ) -> AppResult<()> {
        self.services
            .reprint(&case_no, kind, &self.clerk()?, at.with_timezone(&Utc))
            .await?;
        self.wake_printer.notify_one();
        Ok(())
    }

    /// The clerk's answer for paper the printer did not confirm: it came out (已打出), or it did
    /// not and prints again now (补打).
    pub async fn resolve_print(
        &self,
        job: crate::storage::PrintJobId,
        came_out: bool,
        at: DateTime<FixedOffset>,
    ) -> AppResult<()> {
        let at = at.with_timezone(&Utc);
        let clerk = self.clerk()?;
        if came_out {
            self.services.confirm_print_job(job, &clerk, at).await
        } else {
            self.services.retry_print_job(job, &clerk, at).await?;
            self.wake_printer.notify_one();
            Ok(())
        }
    }

    /// The database (from the health check), this window's printer and the paper waiting for
    /// it, for the status line.
    pub async fn health(&self) -> AppResult<Health> {
        let database = if self.db.is_down() {
            DbStatus::Reconnecting
        } else {
            DbStatus::Connected
        };
        let counted = self.pending.lock().ok().and_then(|p| *p);
        let pending = match counted {
            Some((at, n)) if at.elapsed() < PENDING_EVERY => n,
            _ if database == DbStatus::Reconnecting => counted.map_or(0, |(_, n)| n),
            _ => {
                let n = self
                    .services
                    .store()
                    .list_print_jobs(PrintJobFilter {
                        state: Some(PrintState::Pending),
                        window: self.station.get(),
                        limit: 1000,
                        ..PrintJobFilter::default()
                    })
                    .await
                    .map_or(0, |j| u32::try_from(j.len()).unwrap_or(u32::MAX));
                if let Ok(mut p) = self.pending.lock() {
                    *p = Some((std::time::Instant::now(), n));
                }
                n
            }
        };
        let status = self.printer.borrow().clone();
        let printer = if status.faults.iter().any(|f| matches!(f, Fault::PaperEnd)) {
            PrinterHealth::PaperOut
        } else if status.blocks_printing() {
            PrinterHealth::Offline
        } else {
            PrinterHealth::Ready
        };
        let unconfirmed = if database == DbStatus::Reconnecting || self.station.get().is_none() {
            None
        } else {
            self.services
                .store()
                .list_print_jobs(PrintJobFilter {
                    state: Some(PrintState::Unconfirmed),
                    window: self.station.get(),
                    limit: 1,
                    ..PrintJobFilter::default()
                })
                .await
                .ok()
                .and_then(|j| j.first().map(|j| (j.id, j.kind)))
        };
        Ok(Health {
            database,
            printer,
            pending_print_jobs: pending,
            unconfirmed,
        })
    }

    /// The health check, for a screen that shows more than the status line.
    pub fn database(&self) -> &DbWatch {
        &self.db
    }
}

/// Keeps this window's session alive and its printer's status current in the database, for the
/// supervisor's screen: at every status change and every [`HEARTBEAT`].
fn spawn_heartbeat(
    store: Store,
    station: PrintStation,
    session: Arc<RwLock<Option<Acting>>>,
    mut printer: watch::Receiver<PrinterStatus>,
    mut shutdown: watch::Receiver<bool>,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(HEARTBEAT);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut beats: u64 = 0;
        loop {
            tokio::select! {
                _ = shutdown.changed() => break,
                changed = printer.changed() => if changed.is_err() { break },
                _ = tick.tick() => {
                    // Every kiosk keeps the change table short; deleting twice is harmless.
                    if beats.is_multiple_of(PRUNE_EVERY_BEATS)
                        && let Err(e) = store.prune_changes(Utc::now() - KEEP_CHANGES).await
                    {
                        tracing::warn!(error = %e, "cannot prune old changes");
                    }
                    beats += 1;
                    let current = session.read().ok().and_then(|s| s.clone());
                    if let Some(Acting { staff: Some((id, _)), window: Some(w) }) = current
                        && let Err(e) = store.touch_session(w.id, id, Utc::now()).await
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
