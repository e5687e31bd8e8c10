//! The print spool: every job is stored before it is sent, and a runner takes due jobs one at a
//! time, checks the printer, sends, and marks the job printed or leaves it pending with the
//! reason and a back-off.
//!
//! The store is a trait ([`PrintSpool`]) so the database (storage layer) can hold the spool next
//! to the case and ticket committed in the same transaction; [`MemorySpool`] is the in-memory
//! implementation for tests and `print test`.
//!
//! Never lost, never twice by accident:
//! - a job is claimed with a lease: it is `printing` until marked; if the runner dies the lease
//!   runs out and the job is due again (never lost);
//! - only one runner claims jobs for a printer, and a job is marked printed only after the printer
//!   confirmed it received every byte (its answer to the status query sent after the job comes
//!   after the job's bytes on the same connection) or, without status support, after the
//!   transport accepted all bytes;
//! - when the printer reports paper out, cover open, offline or error, or does not answer, or the
//!   connection fails before that confirmation, the job goes back to `pending` with the reason
//!   and `attempts + 1`, due again after a back-off. A connection dropped after the printer got
//!   part of a job prints the whole job again when it is back: a torn receipt is replaced, not
//!   lost;
//! - a reprint is a new job with `reprint_of` set, holding the same stored document, so it prints
//!   exactly what was issued.

use super::document::{DocKind, Document};
use super::escpos::encode;
use super::preview::preview;
use super::profile::Profile;
use super::status::{Fault, PrinterStatus};
use super::transport::{OutgoingJob, Transport};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, watch};

pub type JobId = i64;

/// How long a claimed job stays leased to the runner before it is due again.
pub const LEASE: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintJobKind {
    Ticket,
    Receipt,
    Referral,
}

impl PrintJobKind {
    pub fn code(self) -> &'static str {
        match self {
            PrintJobKind::Ticket => "ticket",
            PrintJobKind::Receipt => "receipt",
            PrintJobKind::Referral => "referral",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [
            PrintJobKind::Ticket,
            PrintJobKind::Receipt,
            PrintJobKind::Referral,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }

    pub fn of(doc: DocKind) -> Option<Self> {
        match doc {
            DocKind::Ticket => Some(PrintJobKind::Ticket),
            DocKind::Receipt => Some(PrintJobKind::Receipt),
            DocKind::Referral => Some(PrintJobKind::Referral),
            DocKind::Test => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintJobState {
    /// Waiting, or back after a failure (then `last_error` says why).
    Pending,
    /// Claimed by the runner until `lease_until`.
    Printing,
    Printed,
    /// Given up by the store (never set by the runner, which always retries); `print retry`
    /// makes it due again.
    Failed,
}

impl PrintJobState {
    pub fn code(self) -> &'static str {
        match self {
            PrintJobState::Pending => "pending",
            PrintJobState::Printing => "printing",
            PrintJobState::Printed => "printed",
            PrintJobState::Failed => "failed",
        }
    }
}

/// A job to store. `payload` is [`Document::to_json`] of the rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrintJob {
    pub case_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub kind: PrintJobKind,
    pub payload: String,
}

impl NewPrintJob {
    pub fn from_document(
        case_id: Option<i64>,
        ticket_id: Option<i64>,
        doc: &Document,
    ) -> Option<NewPrintJob> {
        Some(NewPrintJob {
            case_id,
            ticket_id,
            kind: PrintJobKind::of(doc.kind)?,
            payload: doc.to_json(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintJob {
    pub id: JobId,
    pub case_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub kind: PrintJobKind,
    pub payload: String,
    pub state: PrintJobState,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// When a pending job is due (or a printing job's lease runs out).
    pub due_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub printed_at: Option<DateTime<Utc>>,
    pub reprint_of: Option<JobId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintJobFilter {
    pub id: Option<JobId>,
    pub state: Option<PrintJobState>,
    pub case_id: Option<i64>,
    /// Newest first, at most this many (all when `None`).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpoolError {
    #[error("print job {0} not found")]
    NotFound(JobId),
    #[error("print job {0} is {1}, not {2}")]
    WrongState(JobId, &'static str, &'static str),
    #[error("print spool: {0}")]
    Storage(String),
}

/// The store of print jobs. Storage implements it on the database; the methods are the contract.
pub trait PrintSpool: Send + Sync {
    /// Leases the oldest due job: a `pending` job whose `due_at` ≤ `now`, or a `printing` job
    /// whose lease ran out. It becomes `printing` with `due_at = now + LEASE`.
    fn claim_next_print_job(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<PrintJob>, SpoolError>> + Send;

    /// The job was printed: `printed`, `printed_at = now`.
    fn mark_print_job_printed(
        &self,
        id: JobId,
    ) -> impl Future<Output = Result<(), SpoolError>> + Send;

    /// The job was not printed: back to `pending`, `attempts + 1`, `last_error = error`,
    /// `due_at = retry_at`. Also used by `print retry` (with `retry_at = now`).
    fn mark_print_job_failed(
        &self,
        id: JobId,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), SpoolError>> + Send;

    fn enqueue_print_job(
        &self,
        job: NewPrintJob,
    ) -> impl Future<Output = Result<JobId, SpoolError>> + Send;

    /// A new pending job with the same case, ticket, kind and payload, `reprint_of = id`.
    fn reprint(&self, id: JobId) -> impl Future<Output = Result<JobId, SpoolError>> + Send;

    fn list_print_jobs(
        &self,
        filter: &PrintJobFilter,
    ) -> impl Future<Output = Result<Vec<PrintJob>, SpoolError>> + Send;
}

/// In-memory spool for tests and one-off commands.
#[derive(Debug, Default)]
pub struct MemorySpool {
    inner: Mutex<MemInner>,
}

#[derive(Debug, Default)]
struct MemInner {
    next_id: JobId,
    jobs: BTreeMap<JobId, PrintJob>,
}

impl MemorySpool {
    pub fn new() -> Self {
        MemorySpool::default()
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut MemInner) -> Result<T, SpoolError>,
    ) -> Result<T, SpoolError> {
        let mut g = self
            .inner
            .lock()
            .map_err(|_| SpoolError::Storage("lock poisoned".into()))?;
        f(&mut g)
    }

    fn insert(inner: &mut MemInner, mut job: PrintJob) -> JobId {
        inner.next_id += 1;
        job.id = inner.next_id;
        inner.jobs.insert(job.id, job);
        inner.next_id
    }
}

impl PrintSpool for MemorySpool {
    async fn claim_next_print_job(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<PrintJob>, SpoolError> {
        self.with(|inner| {
            let due = inner.jobs.values_mut().find(|j| {
                matches!(j.state, PrintJobState::Pending | PrintJobState::Printing)
                    && j.due_at <= now
            });
            Ok(due.map(|j| {
                j.state = PrintJobState::Printing;
                j.due_at = now + LEASE;
                j.clone()
            }))
        })
    }

    async fn mark_print_job_printed(&self, id: JobId) -> Result<(), SpoolError> {
        self.with(|inner| {
            let j = inner.jobs.get_mut(&id).ok_or(SpoolError::NotFound(id))?;
            j.state = PrintJobState::Printed;
            j.printed_at = Some(Utc::now());
            j.last_error = None;
            Ok(())
        })
    }

    async fn mark_print_job_failed(
        &self,
        id: JobId,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), SpoolError> {
        self.with(|inner| {
            let j = inner.jobs.get_mut(&id).ok_or(SpoolError::NotFound(id))?;
            if j.state == PrintJobState::Printed {
                return Err(SpoolError::WrongState(id, "printed", "pending"));
            }
            j.state = PrintJobState::Pending;
            j.attempts += 1;
            j.last_error = Some(error.to_string());
            j.due_at = retry_at;
            Ok(())
        })
    }

    async fn enqueue_print_job(&self, job: NewPrintJob) -> Result<JobId, SpoolError> {
        self.with(|inner| {
            let now = Utc::now();
            Ok(MemorySpool::insert(
                inner,
                PrintJob {
                    id: 0,
                    case_id: job.case_id,
                    ticket_id: job.ticket_id,
                    kind: job.kind,
                    payload: job.payload,
                    state: PrintJobState::Pending,
                    attempts: 0,
                    last_error: None,
                    due_at: now,
                    created_at: now,
                    printed_at: None,
                    reprint_of: None,
                },
            ))
        })
    }

    async fn reprint(&self, id: JobId) -> Result<JobId, SpoolError> {
        self.with(|inner| {
            let old = inner.jobs.get(&id).ok_or(SpoolError::NotFound(id))?.clone();
            let now = Utc::now();
            Ok(MemorySpool::insert(
                inner,
                PrintJob {
                    state: PrintJobState::Pending,
                    attempts: 0,
                    last_error: None,
                    due_at: now,
                    created_at: now,
                    printed_at: None,
                    reprint_of: Some(id),
                    ..old
                },
            ))
        })
    }

    async fn list_print_jobs(&self, filter: &PrintJobFilter) -> Result<Vec<PrintJob>, SpoolError> {
        self.with(|inner| {
            let mut v: Vec<PrintJob> = inner
                .jobs
                .values()
                .rev()
                .filter(|j| filter.id.is_none_or(|id| j.id == id))
                .filter(|j| filter.state.is_none_or(|s| j.state == s))
                .filter(|j| filter.case_id.is_none_or(|c| j.case_id == Some(c)))
                .cloned()
                .collect();
            if let Some(l) = filter.limit {
                v.truncate(l as usize);
            }
            Ok(v)
        })
    }
}

/// Retry delays: `base · 2^attempts`, at most `max`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(2),
            max: Duration::from_secs(60),
        }
    }
}

impl Backoff {
    pub fn delay(&self, attempts: u32) -> Duration {
        let factor = 1u32.checked_shl(attempts.min(16)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }
}

/// What one pass of the runner did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Printed; `status` is what the printer said afterwards (paper near end is a warning here).
    Printed { id: JobId, status: PrinterStatus },
    /// Left pending, due again at `retry_at`.
    Deferred {
        id: JobId,
        status: PrinterStatus,
        error: String,
        retry_at: DateTime<Utc>,
    },
}

/// Takes jobs from the spool and prints them on one printer.
pub struct PrintRunner<S: PrintSpool> {
    spool: Arc<S>,
    profile: Profile,
    transport: Transport,
    backoff: Backoff,
    status_tx: watch::Sender<PrinterStatus>,
    wake: Arc<Notify>,
    /// Ask an idle printer for its status this often, so a printer that runs out of paper or
    /// goes off between jobs shows on the status line and the supervisor's screen before the
    /// next worker's paper is due.
    status_every: Option<Duration>,
}

impl<S: PrintSpool> PrintRunner<S> {
    pub fn new(spool: Arc<S>, profile: Profile, transport: Transport, backoff: Backoff) -> Self {
        let (status_tx, _) = watch::channel(PrinterStatus::unknown());
        PrintRunner {
            spool,
            profile,
            transport,
            backoff,
            status_tx,
            wake: Arc::new(Notify::new()),
            status_every: None,
        }
    }

    /// Polls the printer's status when idle, at most every `every` (printers that answer
    /// status queries only).
    pub fn with_status_poll(mut self, every: Duration) -> Self {
        self.status_every = Some(every);
        self
    }

    /// The printer status line, updated before and after every job.
    pub fn status(&self) -> watch::Receiver<PrinterStatus> {
        self.status_tx.subscribe()
    }

    /// Call `notify_one()` on it after enqueueing a job so the runner starts at once.
    pub fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    fn checks_status(&self) -> bool {
        self.profile.status.dle_eot && self.transport.two_way()
    }

    /// Claims and handles at most one due job.
    pub async fn run_once(&mut self, now: DateTime<Utc>) -> Result<Option<JobOutcome>, SpoolError> {
        let Some(job) = self.spool.claim_next_print_job(now).await? else {
            return Ok(None);
        };
        let retry_at = now
            + chrono::Duration::from_std(self.backoff.delay(job.attempts))
                .unwrap_or(chrono::Duration::seconds(60));
        let defer = |status: PrinterStatus, error: String| JobOutcome::Deferred {
            id: job.id,
            status,
            error,
            retry_at,
        };
        let outcome = match self.print(&job).await {
            Ok(status) => JobOutcome::Printed { id: job.id, status },
            Err((status, error)) => defer(status, error),
        };
        match &outcome {
            JobOutcome::Printed { id, status } => {
                self.status_tx.send_replace(status.clone());
                // The paper is out; failing to record it must not print it again, so retry the
                // write a few times before giving up (the lease then brings it back: the one
                // case where a job may print twice, and only if the database stays down).
                let mut last = Ok(());
                for _ in 0..3 {
                    last = self.spool.mark_print_job_printed(*id).await;
                    if last.is_ok() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                last?;
            }
            JobOutcome::Deferred {
                id,
                status,
                error,
                retry_at,
            } => {
                self.status_tx.send_replace(status.clone());
                tracing::warn!(job = id, %error, "print job deferred");
                self.spool
                    .mark_print_job_failed(*id, error, *retry_at)
                    .await?;
            }
        }
        Ok(Some(outcome))
    }

    /// Checks, sends, confirms. `Err` leaves the job pending.
    async fn print(&mut self, job: &PrintJob) -> Result<PrinterStatus, (PrinterStatus, String)> {
        let doc = Document::from_json(&job.payload).map_err(|e| {
            (
                PrinterStatus::unknown(),
                format!("stored document unreadable: {e}"),
            )
        })?;
        let bytes =
            encode(&doc, &self.profile).map_err(|e| (PrinterStatus::unknown(), e.to_string()))?;
        let text = preview(&doc, self.profile.columns());
        let name = format!("{:06}-{}", job.id, job.kind.code());
        let check = self.checks_status();
        if check {
            let before = self.transport.status().await;
            if before.blocks_printing() {
                let msg = before.describe();
                return Err((before, msg));
            }
        }
        let out = OutgoingJob {
            name: &name,
            bytes: &bytes,
            preview: &text,
        };
        if let Err(e) = self.transport.send(&out).await {
            return Err((PrinterStatus::fault(e.fault()), e.to_string()));
        }
        if !check {
            return Ok(self.transport.unasked_status());
        }
        // The answer comes after the job's bytes on the same connection: it confirms receipt.
        let after = self.transport.status().await;
        let unconfirmed = after
            .faults
            .iter()
            .any(|f| matches!(f, Fault::Unreachable(_)));
        if unconfirmed {
            let msg = format!("job not confirmed by the printer: {}", after.describe());
            return Err((after, msg));
        }
        Ok(after)
    }

    /// Runs until `shutdown` turns true: prints due jobs, sleeps `poll` (or until woken) when
    /// there is nothing due.
    pub async fn run(mut self, mut shutdown: watch::Receiver<bool>, poll: Duration) {
        let mut last_check = tokio::time::Instant::now();
        loop {
            if *shutdown.borrow() {
                break;
            }
            let busy = match self.run_once(Utc::now()).await {
                Ok(Some(JobOutcome::Printed { .. })) => true,
                Ok(_) => false,
                Err(e) => {
                    tracing::error!(error = %e, "print spool");
                    false
                }
            };
            if busy {
                last_check = tokio::time::Instant::now();
                continue;
            }
            if let Some(every) = self.status_every
                && self.checks_status()
                && last_check.elapsed() >= every
            {
                last_check = tokio::time::Instant::now();
                let status = self.transport.status().await;
                self.status_tx.send_replace(status);
            }
            tokio::select! {
                _ = shutdown.changed() => {}
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let b = Backoff::default();
        assert_eq!(b.delay(0), Duration::from_secs(2));
        assert_eq!(b.delay(3), Duration::from_secs(16));
        assert_eq!(b.delay(10), Duration::from_secs(60));
        assert_eq!(b.delay(u32::MAX), Duration::from_secs(60));
    }

    #[tokio::test]
    async fn a_claimed_job_is_not_claimed_again_until_its_lease_runs_out() {
        let s = MemorySpool::new();
        let id = s
            .enqueue_print_job(NewPrintJob {
                case_id: Some(1),
                ticket_id: None,
                kind: PrintJobKind::Receipt,
                payload: "{}".into(),
            })
            .await
            .expect("enqueue");
        let now = Utc::now();
        let j = s.claim_next_print_job(now).await.expect("claim");
        assert_eq!(j.map(|j| j.id), Some(id));
        assert_eq!(s.claim_next_print_job(now).await.expect("claim"), None);
        let later =
            now + chrono::Duration::from_std(LEASE).expect("lease") + chrono::Duration::seconds(1);
        assert!(
            s.claim_next_print_job(later)
                .await
                .expect("claim")
                .is_some()
        );
        s.mark_print_job_printed(id).await.expect("printed");
        assert_eq!(
            s.claim_next_print_job(later + chrono::Duration::days(1))
                .await
                .expect("claim"),
            None
        );
        let r = s.reprint(id).await.expect("reprint");
        let jobs = s
            .list_print_jobs(&PrintJobFilter {
                id: Some(r),
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(jobs[0].reprint_of, Some(id));
        assert_eq!(jobs[0].state, PrintJobState::Pending);
    }
}
