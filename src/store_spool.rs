//! The print runner's [`PrintSpool`] on the database: the same jobs the intake commit queued in
//! its transaction, leased and marked through the storage methods of the same names.
//!
//! A runner stands at a window ([`PrintStation`]) and takes only that window's paper and paper
//! queued at no window. The plain [`Store`] spool stands at no window.
//!
//! This adapter sits above storage, beside `paper.rs`: the spool's trait gives no time for
//! marking a job or queueing a reprint, so the time is read here, at the edge, and storage is
//! handed it like every other caller does.

use crate::print::spool::{self as spool, JobId, PrintJobKind, PrintJobState, SpoolError};
use crate::storage::{
    Actor, CaseId, NewPrintJobFor, PrintJob, PrintJobFilter, PrintJobId, PrintKind, PrintState,
    StorageError, Store, TicketId, WindowId,
};
use chrono::{DateTime, Utc};
use std::sync::{Arc, RwLock};

/// The window a print runner prints for. Shared with the kiosk, which sets it as soon as it knows
/// its window's id (on a first run the window only exists after the set-up).
#[derive(Debug, Clone, Default)]
pub struct PrintStation(Arc<RwLock<Option<WindowId>>>);

impl PrintStation {
    pub fn at(window: Option<WindowId>) -> PrintStation {
        PrintStation(Arc::new(RwLock::new(window)))
    }

    pub fn set(&self, window: WindowId) {
        if let Ok(mut w) = self.0.write() {
            *w = Some(window);
        }
    }

    pub fn get(&self) -> Option<WindowId> {
        self.0.read().ok().and_then(|w| *w)
    }
}

/// The database spool as seen from one window's printer.
#[derive(Debug, Clone)]
pub struct WindowSpool {
    pub store: Store,
    pub station: PrintStation,
}

fn kind_to_spool(k: PrintKind) -> PrintJobKind {
    match k {
        PrintKind::Ticket => PrintJobKind::Ticket,
        PrintKind::Receipt => PrintJobKind::Receipt,
        PrintKind::Referral => PrintJobKind::Referral,
    }
}

fn kind_from_spool(k: PrintJobKind) -> PrintKind {
    match k {
        PrintJobKind::Ticket => PrintKind::Ticket,
        PrintJobKind::Receipt => PrintKind::Receipt,
        PrintJobKind::Referral => PrintKind::Referral,
    }
}

fn state_to_spool(s: PrintState) -> PrintJobState {
    match s {
        PrintState::Pending => PrintJobState::Pending,
        PrintState::Printing => PrintJobState::Printing,
        PrintState::Printed => PrintJobState::Printed,
        PrintState::Failed => PrintJobState::Failed,
    }
}

fn state_from_spool(s: PrintJobState) -> PrintState {
    match s {
        PrintJobState::Pending => PrintState::Pending,
        PrintJobState::Printing => PrintState::Printing,
        PrintJobState::Printed => PrintState::Printed,
        PrintJobState::Failed => PrintState::Failed,
    }
}

fn to_spool(j: PrintJob) -> spool::PrintJob {
    spool::PrintJob {
        id: j.id.0,
        case_id: j.case.map(|c| c.0),
        ticket_id: j.ticket.map(|t| t.0),
        kind: kind_to_spool(j.kind),
        payload: j.payload,
        state: state_to_spool(j.state),
        attempts: u32::try_from(j.attempts).unwrap_or(u32::MAX),
        last_error: j.last_error,
        // A printing job is due again when its lease runs out.
        due_at: match (j.state, j.lease_until) {
            (PrintState::Printing, Some(lease)) => lease,
            _ => j.next_attempt_at,
        },
        created_at: j.created_at,
        printed_at: j.printed_at,
        reprint_of: j.reprint_of.map(|r| r.0),
    }
}

fn spool_error(id: JobId, e: StorageError) -> SpoolError {
    match e {
        StorageError::NotFound(_) => SpoolError::NotFound(id),
        StorageError::InvalidTransition { from, action, .. } => SpoolError::WrongState(
            id,
            from.parse::<PrintState>().map_or("unknown", |s| s.code()),
            action,
        ),
        e => SpoolError::Storage(e.to_string()),
    }
}

impl spool::PrintSpool for WindowSpool {
    async fn claim_next_print_job(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<spool::PrintJob>, SpoolError> {
        self.store
            .claim_next_print_job(now, self.station.get())
            .await
            .map(|j| j.map(to_spool))
            .map_err(|e| SpoolError::Storage(e.to_string()))
    }

    async fn mark_print_job_printed(&self, id: JobId) -> Result<(), SpoolError> {
        self.store
            .mark_print_job_printed(PrintJobId(id), Utc::now())
            .await
            .map_err(|e| spool_error(id, e))
    }

    async fn mark_print_job_failed(
        &self,
        id: JobId,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), SpoolError> {
        self.store
            .mark_print_job_failed(PrintJobId(id), error, Some(retry_at), Utc::now())
            .await
            .map_err(|e| spool_error(id, e))
    }

    async fn enqueue_print_job(&self, job: spool::NewPrintJob) -> Result<JobId, SpoolError> {
        self.store
            .enqueue_print_job(NewPrintJobFor {
                case: job.case_id.map(CaseId),
                ticket: job.ticket_id.map(TicketId),
                window: self.station.get(),
                kind: kind_from_spool(job.kind),
                payload: job.payload,
                at: Utc::now(),
            })
            .await
            .map(|id| id.0)
            .map_err(|e| SpoolError::Storage(e.to_string()))
    }

    async fn reprint(&self, id: JobId) -> Result<JobId, SpoolError> {
        let by = Actor::at_window(None, self.station.get(), Utc::now());
        self.store
            .reprint(PrintJobId(id), by)
            .await
            .map(|n| n.0)
            .map_err(|e| spool_error(id, e))
    }

    async fn list_print_jobs(
        &self,
        filter: &spool::PrintJobFilter,
    ) -> Result<Vec<spool::PrintJob>, SpoolError> {
        self.store
            .list_print_jobs(PrintJobFilter {
                id: filter.id.map(PrintJobId),
                state: filter.state.map(state_from_spool),
                case: filter.case_id.map(CaseId),
                window: None,
                newest_first: true,
                limit: filter.limit.map_or(i64::MAX, i64::from),
            })
            .await
            .map(|v| v.into_iter().map(to_spool).collect())
            .map_err(|e| SpoolError::Storage(e.to_string()))
    }
}

impl Store {
    /// This store as the spool of a runner at no window.
    fn unassigned(&self) -> WindowSpool {
        WindowSpool {
            store: self.clone(),
            station: PrintStation::default(),
        }
    }
}

/// The spool of a runner at no window: it prints only jobs queued at no window.
impl spool::PrintSpool for Store {
    async fn claim_next_print_job(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<spool::PrintJob>, SpoolError> {
        self.unassigned().claim_next_print_job(now).await
    }

    async fn mark_print_job_printed(&self, id: JobId) -> Result<(), SpoolError> {
        self.unassigned().mark_print_job_printed(id).await
    }

    async fn mark_print_job_failed(
        &self,
        id: JobId,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), SpoolError> {
        self.unassigned()
            .mark_print_job_failed(id, error, retry_at)
            .await
    }

    async fn enqueue_print_job(&self, job: spool::NewPrintJob) -> Result<JobId, SpoolError> {
        self.unassigned().enqueue_print_job(job).await
    }

    async fn reprint(&self, id: JobId) -> Result<JobId, SpoolError> {
        self.unassigned().reprint(id).await
    }

    async fn list_print_jobs(
        &self,
        filter: &spool::PrintJobFilter,
    ) -> Result<Vec<spool::PrintJob>, SpoolError> {
        self.unassigned().list_print_jobs(filter).await
    }
}
