//! Print jobs: the spool in the database. Jobs are queued with the intake that made them, leased
//! by a window's print runner, marked printed or failed, moved to another window's printer and
//! copied for a reprint.

use super::changes::Write;
use super::db::{Conn, Sql, Text};
use super::types::*;
use super::{Result, StorageError, Store};
use crate::domain::audit::AuditEvent;
use chrono::{DateTime, Utc};

const PRINT_JOB_SELECT: &str = "SELECT id, case_id, ticket_id, kind, payload, state, attempts, \
     last_error, next_attempt_at, lease_until, created_at, printed_at, reprint_of, window_id \
     FROM print_jobs";

#[derive(sqlx::FromRow)]
struct PrintJobRow {
    id: PrintJobId,
    case_id: Option<CaseId>,
    ticket_id: Option<TicketId>,
    kind: Text<PrintKind>,
    payload: String,
    state: Text<PrintState>,
    attempts: i64,
    last_error: Option<String>,
    next_attempt_at: DateTime<Utc>,
    lease_until: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    printed_at: Option<DateTime<Utc>>,
    reprint_of: Option<PrintJobId>,
    window_id: Option<WindowId>,
}

impl From<PrintJobRow> for PrintJob {
    fn from(r: PrintJobRow) -> PrintJob {
        PrintJob {
            id: r.id,
            case: r.case_id,
            ticket: r.ticket_id,
            kind: r.kind.0,
            payload: r.payload,
            state: r.state.0,
            attempts: r.attempts,
            last_error: r.last_error,
            next_attempt_at: r.next_attempt_at,
            lease_until: r.lease_until,
            created_at: r.created_at,
            printed_at: r.printed_at,
            reprint_of: r.reprint_of,
            window: r.window_id,
        }
    }
}

impl ChangeIds {
    pub(crate) fn case(case: CaseId) -> ChangeIds {
        ChangeIds {
            case: Some(case),
            ..ChangeIds::default()
        }
    }

    fn print_job(case: Option<CaseId>, ticket: Option<TicketId>, job: PrintJobId) -> ChangeIds {
        ChangeIds {
            queue: None,
            ticket,
            case,
            print_job: Some(job),
        }
    }
}

fn refused(id: PrintJobId, from: PrintState, action: &'static str) -> StorageError {
    StorageError::InvalidTransition {
        what: format!("print job {id}"),
        from: from.code().to_string(),
        action,
    }
}

pub(crate) async fn insert_print_job(
    c: &mut Conn,
    job: &NewPrintJobFor,
    reprint_of: Option<PrintJobId>,
) -> Result<PrintJobId> {
    c.scalar(
        Sql::new(
            "INSERT INTO print_jobs (case_id, ticket_id, kind, payload, state, next_attempt_at, \
             created_at, reprint_of, window_id) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $5, $6, $7) RETURNING id",
        )
        .bind(job.case)
        .bind(job.ticket)
        .bind(job.kind)
        .bind(&job.payload)
        .bind(job.at)
        .bind(reprint_of)
        .bind(job.window),
    )
    .await
}

/// One line of a job's history: when, the state the attempt left it in, why, and how many
/// bytes were sent.
async fn insert_attempt(
    c: &mut Conn,
    job: PrintJobId,
    at: DateTime<Utc>,
    outcome: PrintState,
    error: Option<&str>,
    bytes: usize,
) -> Result<()> {
    c.execute(
        Sql::new(
            "INSERT INTO print_job_attempts (job_id, at, outcome, error, bytes) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(job)
        .bind(at)
        .bind(outcome)
        .bind(error)
        .bind(i64::try_from(bytes).unwrap_or(i64::MAX)),
    )
    .await?;
    Ok(())
}

async fn fetch_print_job(c: &mut Conn, id: PrintJobId) -> Result<PrintJob> {
    let sql = format!("{PRINT_JOB_SELECT} WHERE id = $1");
    let row: Option<PrintJobRow> = c.fetch_optional(Sql::built(sql).bind(id)).await?;
    Ok(row
        .ok_or_else(|| StorageError::NotFound(format!("print job {id}")))?
        .into())
}

impl Store {
    /// Runs a print runner's mark on job `id` in `w`: `update` changes the job only from a state
    /// the mark is allowed from; a job it did not change is refused with the state it is in.
    async fn mark(
        &self,
        mut w: Write,
        id: PrintJobId,
        update: Sql<'_>,
        action: &'static str,
        kind: ChangeKind,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let done = w.execute(update).await?;
        let job = fetch_print_job(&mut w, id).await?;
        if done == 0 {
            return Err(refused(id, job.state, action));
        }
        w.change(kind, ChangeIds::print_job(job.case, job.ticket, id), at);
        self.commit(w).await
    }

    /// Queues a print job outside an intake (a transfer slip, a manual job).
    #[tracing::instrument(skip_all, err)]
    pub async fn enqueue_print_job(&self, job: NewPrintJobFor) -> Result<PrintJobId> {
        let mut w = self.write().await?;
        let id = insert_print_job(&mut w, &job, None).await?;
        let ids = ChangeIds::print_job(job.case, job.ticket, id);
        w.change(ChangeKind::PrintJobQueued, ids, job.at);
        self.commit(w).await?;
        Ok(id)
    }

    /// Leases the oldest due job (pending and due, or printing with an expired lease) queued at
    /// `window` or at no window, and marks it printing until `now + PRINT_LEASE`. A runner at no
    /// window (`None`) takes only jobs queued at no window.
    pub async fn claim_next_print_job(
        &self,
        now: DateTime<Utc>,
        window: Option<WindowId>,
    ) -> Result<Option<PrintJob>> {
        self.claim_print_job_in(now, PrintScope::Window(window))
            .await
    }

    /// Leases the oldest due job in `scope`, as [`Self::claim_next_print_job`] does for a window.
    #[tracing::instrument(skip_all, err)]
    pub async fn claim_print_job_in(
        &self,
        now: DateTime<Utc>,
        scope: PrintScope,
    ) -> Result<Option<PrintJob>> {
        let mut w = self.write().await?;
        // A job whose lease ran out this often killed or hung its runner each time: taking it
        // again would do the same without end, so it stops (with its error kept) for a person.
        let stuck: Vec<(PrintJobId,)> = w
            .fetch_all(
                Sql::new(
                    "UPDATE print_jobs SET state = 'failed', lease_until = NULL, \
                     last_error = COALESCE(last_error || '; ', '') || $3 \
                     WHERE state = 'printing' AND lease_until < $1 AND claims >= $2 RETURNING id",
                )
                .bind(now)
                .bind(PRINT_MAX_CLAIMS)
                .bind(format!(
                    "stopped: taken {PRINT_MAX_CLAIMS} times and never finished \
                     (已停止：多次打印未完成)"
                )),
            )
            .await?;
        for (id,) in stuck {
            insert_attempt(
                &mut w,
                id,
                now,
                PrintState::Failed,
                Some("lease expired"),
                0,
            )
            .await?;
            let job = fetch_print_job(&mut w, id).await?;
            let ids = ChangeIds::print_job(job.case, job.ticket, id);
            w.change(ChangeKind::PrintJobFailed, ids, now);
        }
        let sql = format!(
            "UPDATE print_jobs SET state = 'printing', lease_until = $2, claims = claims + 1 \
             WHERE id = (SELECT id \
             FROM print_jobs WHERE ((state = 'pending' AND next_attempt_at <= $1) \
             OR (state = 'printing' AND lease_until < $1)) \
             AND {} ORDER BY id LIMIT 1{}) RETURNING id",
            match scope {
                PrintScope::Window(_) => "(window_id = $3 OR window_id IS NULL)",
                PrintScope::Job(_) => "id = $3",
                PrintScope::All => "$3 IS NULL",
            },
            w.dialect().row_lock
        );
        let sql = Sql::built(sql).bind(now).bind(now + PRINT_LEASE);
        let sql = match scope {
            PrintScope::Window(window) => sql.bind(window),
            PrintScope::Job(id) => sql.bind(Some(id)),
            PrintScope::All => sql.bind(None::<i64>),
        };
        let id: Option<PrintJobId> = w.scalar_optional(sql).await?;
        let Some(id) = id else {
            // Keep the stops made above.
            self.commit(w).await?;
            return Ok(None);
        };
        let job = fetch_print_job(&mut w, id).await?;
        let ids = ChangeIds::print_job(job.case, job.ticket, id);
        w.change(ChangeKind::PrintJobClaimed, ids, now);
        self.commit(w).await?;
        Ok(Some(job))
    }

    /// The printer confirmed the job after its last byte (`bytes` sent). The error of an
    /// earlier attempt is cleared from the job (it stays in the attempt history).
    #[tracing::instrument(skip_all, err)]
    pub async fn mark_print_job_printed(
        &self,
        id: PrintJobId,
        bytes: usize,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        insert_attempt(&mut w, id, at, PrintState::Printed, None, bytes).await?;
        let update = Sql::new(
            "UPDATE print_jobs SET state = 'printed', printed_at = $2, lease_until = NULL, \
             last_error = NULL, attempts = attempts + 1 WHERE id = $1 AND state = 'printing'",
        )
        .bind(id)
        .bind(at);
        let kind = ChangeKind::PrintJobPrinted;
        self.mark(w, id, update, "mark printed", kind, at).await
    }

    /// The job was sent (`bytes`) but the printer did not confirm it: a person must say
    /// whether it came out. Never due again on its own.
    #[tracing::instrument(skip_all, err)]
    pub async fn mark_print_job_unconfirmed(
        &self,
        id: PrintJobId,
        error: &str,
        bytes: usize,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        insert_attempt(&mut w, id, at, PrintState::Unconfirmed, Some(error), bytes).await?;
        let update = Sql::new(
            "UPDATE print_jobs SET state = 'unconfirmed', attempts = attempts + 1, \
             last_error = $2, lease_until = NULL WHERE id = $1 AND state = 'printing'",
        )
        .bind(id)
        .bind(error);
        let kind = ChangeKind::PrintJobFailed;
        self.mark(w, id, update, "mark unconfirmed", kind, at).await
    }

    /// A person answers for an unconfirmed job: it came out (`printed`), or it did not and is
    /// printed again now (the job is due at once). Audited: this is the one way an unconfirmed
    /// job prints a second time.
    #[tracing::instrument(skip_all, err)]
    pub async fn resolve_unconfirmed_print_job(
        &self,
        id: PrintJobId,
        came_out: bool,
        by: Actor,
    ) -> Result<()> {
        let mut w = self.write().await?;
        let old = fetch_print_job(&mut w, id).await?;
        let update = if came_out {
            Sql::new(
                "UPDATE print_jobs SET state = 'printed', printed_at = $2 \
                 WHERE id = $1 AND state = 'unconfirmed'",
            )
        } else {
            Sql::new(
                "UPDATE print_jobs SET state = 'pending', next_attempt_at = $2 \
                 WHERE id = $1 AND state = 'unconfirmed'",
            )
        }
        .bind(id)
        .bind(by.at);
        if w.execute(update).await? == 0 {
            return Err(refused(id, old.state, "resolve (only an unconfirmed job)"));
        }
        let outcome = if came_out {
            PrintState::Printed
        } else {
            PrintState::Pending
        };
        let note = if came_out {
            "confirmed by staff: it came out"
        } else {
            "staff: it did not come out, print again"
        };
        insert_attempt(&mut w, id, by.at, outcome, Some(note), 0).await?;
        w.audit(&AuditRecord {
            case: old.case,
            ticket: old.ticket,
            ..AuditRecord::by(
                by,
                AuditEvent::PrintJobResolved {
                    kind: old.kind,
                    print_job: id.0,
                    came_out,
                },
            )
        })
        .await?;
        let ids = ChangeIds::print_job(old.case, old.ticket, id);
        let kind = if came_out {
            ChangeKind::PrintJobPrinted
        } else {
            ChangeKind::PrintJobQueued
        };
        w.change(kind, ids, by.at);
        self.commit(w).await
    }

    /// Makes a job that has not printed due at `at` (a person asked, after fixing the
    /// printer). Its error and attempts are kept: the history says what happened.
    #[tracing::instrument(skip_all, err)]
    pub async fn retry_print_job(&self, id: PrintJobId, at: DateTime<Utc>) -> Result<()> {
        let w = self.write().await?;
        let update = Sql::new(
            "UPDATE print_jobs SET state = 'pending', next_attempt_at = $2, lease_until = NULL, \
             claims = 0 WHERE id = $1 AND state IN ('pending', 'failed')",
        )
        .bind(id)
        .bind(at);
        let kind = ChangeKind::PrintJobQueued;
        self.mark(w, id, update, "retry", kind, at).await
    }

    /// Every attempt at job `id`, oldest first.
    #[tracing::instrument(skip_all, err)]
    pub async fn print_job_attempts(&self, id: PrintJobId) -> Result<Vec<PrintAttempt>> {
        type Row = (DateTime<Utc>, Text<PrintState>, Option<String>, i64);
        let rows: Vec<Row> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT at, outcome, error, bytes FROM print_job_attempts \
                     WHERE job_id = $1 ORDER BY id",
                )
                .bind(id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(at, outcome, error, bytes)| PrintAttempt {
                at,
                outcome: outcome.0,
                error,
                bytes,
            })
            .collect())
    }

    /// A failed attempt: back to pending at `retry_at` with one more attempt counted, or
    /// `failed` for good when `retry_at` is `None`. Only a printed job refuses.
    #[tracing::instrument(skip_all, err)]
    pub async fn mark_print_job_failed(
        &self,
        id: PrintJobId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        let outcome = if retry_at.is_some() {
            PrintState::Pending
        } else {
            PrintState::Failed
        };
        insert_attempt(&mut w, id, at, outcome, Some(error), 0).await?;
        let update = match retry_at {
            Some(retry_at) => Sql::new(
                "UPDATE print_jobs SET state = 'pending', attempts = attempts + 1, \
                 last_error = $2, next_attempt_at = $3, lease_until = NULL \
                 WHERE id = $1 AND state <> 'printed'",
            )
            .bind(id)
            .bind(error)
            .bind(retry_at),
            None => Sql::new(
                "UPDATE print_jobs SET state = 'failed', attempts = attempts + 1, \
                 last_error = $2, lease_until = NULL WHERE id = $1 AND state <> 'printed'",
            )
            .bind(id)
            .bind(error),
        };
        let kind = ChangeKind::PrintJobFailed;
        self.mark(w, id, update, "mark failed", kind, at).await
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn list_print_jobs(&self, filter: PrintJobFilter) -> Result<Vec<PrintJob>> {
        let order = if filter.newest_first { "DESC" } else { "" };
        let sql = format!(
            "{PRINT_JOB_SELECT} WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR case_id = $2) \
             AND ($3 IS NULL OR id = $3) AND ($5 IS NULL OR window_id = $5) \
             ORDER BY id {order} LIMIT $4"
        );
        let rows: Vec<PrintJobRow> = self
            .read()
            .await?
            .fetch_all(
                Sql::built(sql)
                    .bind(filter.state)
                    .bind(filter.case)
                    .bind(filter.id)
                    .bind(filter.limit)
                    .bind(filter.window),
            )
            .await?;
        Ok(rows.into_iter().map(PrintJob::from).collect())
    }

    /// Sends paper still waiting to another window's printer (`None`: the first one free), for
    /// a window whose printer or kiosk is gone; due at once, audited.
    #[tracing::instrument(skip_all, err)]
    pub async fn move_print_job(
        &self,
        id: PrintJobId,
        window: Option<WindowId>,
        by: Actor,
    ) -> Result<()> {
        let mut w = self.write().await?;
        let old = fetch_print_job(&mut w, id).await?;
        // A job a runner holds under a live lease may be on its way to the paper now.
        let movable = match old.state {
            PrintState::Pending => true,
            PrintState::Printing => old.lease_until.is_some_and(|l| l < by.at),
            PrintState::Printed | PrintState::Failed | PrintState::Unconfirmed => false,
        };
        if !movable {
            return Err(refused(
                id,
                old.state,
                "move (only paper still waiting can move)",
            ));
        }
        w.execute(
            Sql::new(
                "UPDATE print_jobs SET window_id = $2, state = 'pending', next_attempt_at = $3, \
                 lease_until = NULL WHERE id = $1",
            )
            .bind(id)
            .bind(window)
            .bind(by.at),
        )
        .await?;
        w.audit(&AuditRecord {
            case: old.case,
            ticket: old.ticket,
            ..AuditRecord::by(
                by,
                AuditEvent::PrintJobMoved {
                    print_job: id.0,
                    from_window: old.window.map(|w| w.0),
                    to_window: window.map(|w| w.0),
                },
            )
        })
        .await?;
        let ids = ChangeIds::print_job(old.case, old.ticket, id);
        w.change(ChangeKind::PrintJobQueued, ids, by.at);
        self.commit(w).await
    }

    /// Queues a copy of a printed or failed job as a new job with `reprint_of` set; the old job is
    /// left as it is. The copy prints at the window it was asked for at (`by.window`), else where
    /// the original was queued.
    #[tracing::instrument(skip_all, err)]
    pub async fn reprint(&self, id: PrintJobId, by: Actor) -> Result<PrintJobId> {
        self.reprint_as(id, None, by).await
    }

    /// [`Store::reprint`] printing `payload` (the document marked as a copy) instead of the
    /// original's when given.
    pub async fn reprint_as(
        &self,
        id: PrintJobId,
        payload: Option<String>,
        by: Actor,
    ) -> Result<PrintJobId> {
        let mut w = self.write().await?;
        let old = fetch_print_job(&mut w, id).await?;
        if !matches!(old.state, PrintState::Printed | PrintState::Failed) {
            return Err(refused(id, old.state, "reprint (it will still print)"));
        }
        let copy = NewPrintJobFor {
            case: old.case,
            ticket: old.ticket,
            window: by.window.or(old.window),
            kind: old.kind,
            payload: payload.unwrap_or_else(|| old.payload.clone()),
            at: by.at,
        };
        let new = insert_print_job(&mut w, &copy, Some(id)).await?;
        w.audit(&AuditRecord {
            case: old.case,
            ticket: old.ticket,
            ..AuditRecord::by(
                by,
                AuditEvent::Reprinted {
                    kind: old.kind,
                    print_job: id.0,
                    new_print_job: new.0,
                },
            )
        })
        .await?;
        let ids = ChangeIds::print_job(old.case, old.ticket, new);
        w.change(ChangeKind::PrintJobQueued, ids, by.at);
        self.commit(w).await?;
        Ok(new)
    }
}
