//! The print spool runner: every job is stored before it is sent (in the same transaction as the
//! case it belongs to), and a runner at one window takes that window's due jobs one at a time,
//! checks the printer, sends, and marks the job printed or leaves it pending with the reason and
//! a back-off.
//!
//! Never lost, never twice by accident:
//! - a job is claimed with a lease: it is `printing` until marked; if the runner dies the lease
//!   runs out and the job is due again (never lost);
//! - a job is marked printed only after the printer confirmed it received every byte (its answer
//!   to the status query sent after the job comes after the job's bytes on the same connection,
//!   waited for as long as the job's size at the profile's link speed needs) and said it is
//!   online with paper; without status support, after the transport accepted all bytes;
//! - when the printer reports paper out, cover open, offline or error before the job, or the
//!   connection fails before every byte left, the job goes back to `pending` with the reason and
//!   `attempts + 1`, due again after a back-off;
//! - when every byte left but no confirmation came (no answer, the connection closed, a fault
//!   after the job), the job is `unconfirmed`: it may have printed, so it is never retried on its
//!   own; the clerk says whether it came out (已打出) or asks for it again (补打);
//! - a job that cannot be rendered stops at once, one that failed `MAX_PRINT_ATTEMPTS` times stops
//!   too (`failed`, error kept), and a job whose lease keeps running out stops in the store;
//! - a reprint is a new job with `reprint_of` set, holding the same stored document, so it prints
//!   exactly what was issued.

use crate::print::document::Document;
use crate::print::escpos::encode;
use crate::print::preview::preview;
use crate::print::profile::Profile;
use crate::print::status::PrinterStatus;
use crate::print::transport::{OutgoingJob, Transport};
use crate::storage::{PrintJob, PrintJobId, PrintScope, StorageError, Store, WindowId};
use chrono::{DateTime, Utc};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::{Notify, watch};

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

/// A job that failed this many times stops (failed for good, its error kept) instead of being
/// retried without end; with the default back-off that is about a quarter of an hour of faults.
pub const MAX_PRINT_ATTEMPTS: i64 = 20;

/// What one pass of the runner did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Printed and confirmed; `status` is what the printer said after the last byte (paper
    /// near end is a warning here).
    Printed {
        id: PrintJobId,
        status: PrinterStatus,
    },
    /// Nothing (or not all of it) reached the printer: left pending, due again at `retry_at`.
    Deferred {
        id: PrintJobId,
        status: PrinterStatus,
        error: String,
        retry_at: DateTime<Utc>,
    },
    /// Sent, but the printer did not confirm it: the clerk is asked whether it came out.
    Unconfirmed {
        id: PrintJobId,
        kind: crate::domain::PrintKind,
        status: PrinterStatus,
        error: String,
    },
    /// Stopped for good (cannot be rendered, or failed too often): a person must look at it.
    Stopped { id: PrintJobId, error: String },
}

impl JobOutcome {
    /// What came of the job, in `lang`, as a command says it.
    pub fn words(&self, lang: crate::domain::Lang) -> String {
        use crate::i18n::fill;
        let s = crate::i18n::cli::Strings::get(lang);
        let (template, id, error) = match self {
            JobOutcome::Printed { id, .. } => (s.job_printed, id, ""),
            JobOutcome::Deferred { id, error, .. } => (s.job_left_pending, id, error.as_str()),
            JobOutcome::Unconfirmed { id, error, .. } => (s.job_unconfirmed, id, error.as_str()),
            JobOutcome::Stopped { id, error } => (s.job_stopped, id, error.as_str()),
        };
        fill(template, &[("id", &id.to_string()), ("error", error)])
    }
}

/// What one attempt at a job came to, before it is recorded.
enum Attempt {
    Printed(PrinterStatus, usize),
    /// Not sent in full; the printer cannot have printed it all.
    NotSent(PrinterStatus, String),
    Unconfirmed(PrinterStatus, String, usize),
    /// The stored document cannot be printed at all: retrying would fail the same way.
    Unprintable(String),
}

/// Takes jobs from the database spool and prints them on one printer.
pub struct PrintRunner {
    store: Store,
    station: PrintStation,
    profile: Profile,
    transport: Transport,
    backoff: Backoff,
    status_tx: watch::Sender<PrinterStatus>,
    wake: Arc<Notify>,
    /// Ask an idle printer for its status this often, so a printer that runs out of paper or
    /// goes off between jobs shows on the status line and the supervisor's screen before the
    /// next worker's paper is due.
    status_every: Option<Duration>,
    /// Paper written to a spool folder is deleted this long after it was written there.
    spool_keep: Option<Duration>,
    /// Takes these jobs instead of the station's (`print run --job`, `--all`).
    scope: Option<PrintScope>,
}

/// How often a runner looks for spool-folder paper past its keeping time.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

impl PrintRunner {
    /// A runner at `station`'s window: it takes that window's paper and paper queued at no window.
    pub fn new(
        store: Store,
        station: PrintStation,
        profile: Profile,
        transport: Transport,
        backoff: Backoff,
    ) -> Self {
        let (status_tx, _) = watch::channel(PrinterStatus::unknown());
        PrintRunner {
            store,
            station,
            profile,
            transport,
            backoff,
            status_tx,
            wake: Arc::new(Notify::new()),
            status_every: None,
            spool_keep: None,
            scope: None,
        }
    }

    /// Takes the due jobs of `scope` instead of the station's window's.
    pub fn in_scope(mut self, scope: PrintScope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// Deletes paper written to a spool folder `days` days after it was written (the folder
    /// is the printer when none is configured, and each file carries a worker's name).
    pub fn keep_spool_files(mut self, days: u32) -> Self {
        self.spool_keep = Some(Duration::from_secs(u64::from(days) * 86_400));
        self
    }

    /// Deletes the spool-folder paper past its keeping time; returns how many files.
    pub async fn prune_spool(&self) -> std::io::Result<usize> {
        let (Transport::Folder(dir), Some(keep)) = (&self.transport, self.spool_keep) else {
            return Ok(0);
        };
        let dir = dir.clone();
        let before = std::time::SystemTime::now()
            .checked_sub(keep)
            .unwrap_or(std::time::UNIX_EPOCH);
        tokio::task::spawn_blocking(move || {
            crate::config::files::prune(&dir, before, crate::print::transport::is_spool_file)
        })
        .await
        .map_err(std::io::Error::other)?
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
    pub async fn run_once(
        &mut self,
        now: DateTime<Utc>,
    ) -> Result<Option<JobOutcome>, StorageError> {
        let Some(job) = self
            .store
            .claim_print_job_in(
                now,
                self.scope.unwrap_or(PrintScope::Window(self.station.get())),
            )
            .await?
        else {
            return Ok(None);
        };
        let attempts = u32::try_from(job.attempts).unwrap_or(u32::MAX);
        let retry_at = now
            + chrono::Duration::from_std(self.backoff.delay(attempts))
                .unwrap_or(chrono::Duration::seconds(60));
        let id = job.id;
        let outcome = match self.print(&job).await {
            Attempt::Printed(status, bytes) => {
                self.status_tx.send_replace(status.clone());
                // The paper is out; failing to record it must not print it again, so retry the
                // write a few times before giving up (the lease then brings it back: the one
                // case where a job may print twice, and only if the database stays down).
                let mut last = Ok(());
                for _ in 0..3 {
                    last = self.store.mark_print_job_printed(id, bytes, now).await;
                    if last.is_ok() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                last?;
                JobOutcome::Printed { id, status }
            }
            Attempt::Unconfirmed(status, error, bytes) => {
                self.status_tx.send_replace(status.clone());
                tracing::warn!(job = %id, %error, "print job not confirmed");
                self.store
                    .mark_print_job_unconfirmed(id, &error, bytes, now)
                    .await?;
                JobOutcome::Unconfirmed {
                    id,
                    kind: job.kind,
                    status,
                    error,
                }
            }
            Attempt::NotSent(status, error) if job.attempts + 1 < MAX_PRINT_ATTEMPTS => {
                self.status_tx.send_replace(status.clone());
                tracing::warn!(job = %id, %error, "print job deferred");
                self.store
                    .mark_print_job_failed(id, &error, Some(retry_at), now)
                    .await?;
                JobOutcome::Deferred {
                    id,
                    status,
                    error,
                    retry_at,
                }
            }
            Attempt::NotSent(status, error) => {
                self.status_tx.send_replace(status);
                let error =
                    format!("stopped after {MAX_PRINT_ATTEMPTS} attempts (已停止重试): {error}");
                self.stop(id, error, now).await?
            }
            Attempt::Unprintable(error) => {
                let error = format!("cannot be printed (无法打印): {error}");
                self.stop(id, error, now).await?
            }
        };
        Ok(Some(outcome))
    }

    async fn stop(
        &self,
        id: PrintJobId,
        error: String,
        now: DateTime<Utc>,
    ) -> Result<JobOutcome, StorageError> {
        tracing::error!(job = %id, %error, "print job stopped");
        self.store
            .mark_print_job_failed(id, &error, None, now)
            .await?;
        Ok(JobOutcome::Stopped { id, error })
    }

    /// Checks, sends, confirms.
    async fn print(&mut self, job: &PrintJob) -> Attempt {
        let doc = match Document::from_json(&job.payload) {
            Ok(doc) => doc,
            Err(e) => return Attempt::Unprintable(format!("stored document unreadable: {e}")),
        };
        let bytes = match encode(&doc, &self.profile) {
            Ok(b) => b,
            Err(e) => return Attempt::Unprintable(e.to_string()),
        };
        let text = preview(&doc, self.profile.columns());
        let name = format!("{:06}-{}", job.id.0, job.kind.code());
        let check = self.checks_status();
        if check {
            let before = self.transport.status().await;
            if before.blocks_printing() {
                let msg = before.describe();
                return Attempt::NotSent(before, msg);
            }
        }
        let out = OutgoingJob {
            name: &name,
            bytes: &bytes,
            preview: &text,
        };
        if let Err(e) = self.transport.send(&out).await {
            // Not every byte left: whatever came out is incomplete, so the job prints again.
            return Attempt::NotSent(PrinterStatus::fault(e.fault()), e.to_string());
        }
        if !check {
            // Nothing can be asked (a one-way device, a spool folder, a profile without status):
            // the transport taking every byte is all the confirmation there is.
            return Attempt::Printed(self.transport.unasked_status(), bytes.len());
        }
        // The answer comes after the job's bytes on the same connection: it confirms receipt.
        // Printed only when the printer answered, is online and has paper; anything else after
        // the bytes left (no answer, the connection closed, paper out) may or may not have
        // printed, and retrying could print it twice: a person decides.
        let wait = self
            .profile
            .status
            .confirm_wait(bytes.len(), self.transport.timeouts().status);
        let after = self.transport.confirm(wait).await;
        if after.known && !after.blocks_printing() {
            return Attempt::Printed(after, bytes.len());
        }
        let msg = format!(
            "not confirmed by the printer (打印机未确认): {}",
            after.describe()
        );
        Attempt::Unconfirmed(after, msg, bytes.len())
    }

    /// Runs until `shutdown` turns true: prints due jobs, sleeps `poll` (or until woken) when
    /// there is nothing due.
    pub async fn run(mut self, mut shutdown: watch::Receiver<bool>, poll: Duration) {
        let mut last_check = tokio::time::Instant::now();
        let mut last_prune: Option<tokio::time::Instant> = None;
        loop {
            if *shutdown.borrow() {
                break;
            }
            if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
                last_prune = Some(tokio::time::Instant::now());
                match self.prune_spool().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(files = n, "old spool paper deleted"),
                    Err(e) => tracing::warn!(error = %e, "cannot delete old spool paper"),
                }
            }
            let busy = match self.run_once(Utc::now()).await {
                // A stopped job says nothing about the printer: go on with the next one.
                Ok(Some(JobOutcome::Printed { .. } | JobOutcome::Stopped { .. })) => true,
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
}
