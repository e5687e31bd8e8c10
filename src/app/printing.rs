//! Paper after the intake: a reprint of what was issued, at the window that asks for it.

use super::error::{AppError, AppResult};
use super::paper::StoredPaper;
use super::spool::JobOutcome;
use super::{Acting, Services};
use crate::domain::numbering::local_time;
use crate::domain::{CaseNo, PrintKind, PrintState, WindowNo};
use crate::i18n::{cli::Errors, fill};
use crate::storage::{PrintJob, PrintJobFilter, PrintJobId, PrintScope, WindowId};
use chrono::{DateTime, Utc};

impl Services {
    /// Prints what is due now at `window` (and paper queued at no window) on the configured
    /// printer, stopping at the first job the printer refuses; says what happened to each.
    pub async fn print_due(
        &self,
        window: Option<WindowId>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<JobOutcome>> {
        self.print_now(PrintScope::Window(window), now).await
    }

    /// Prints what is due now in `scope` (a window's paper, one job, or all) on the configured
    /// printer, without a kiosk; says what happened to each job.
    pub async fn print_now(
        &self,
        scope: PrintScope,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<JobOutcome>> {
        super::paper::print_due_jobs(self.config(), self.store(), scope, now).await
    }

    /// Queues a copy of a case's paper of `kind` at the clerk's window, marked 【补打】 with the
    /// time, audited as the clerk's. A ticket is the live one: after a transfer, the new ticket
    /// the hall will call, never the ended one. The copy holds the document as issued. Refused
    /// while that paper still waits for the printer (it would come out twice).
    pub async fn reprint(
        &self,
        case_no: &CaseNo,
        kind: PrintKind,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<PrintJobId> {
        let c = self.case_record(case_no).await?;
        let jobs = self
            .store()
            .list_print_jobs(PrintJobFilter {
                case: Some(c.id),
                newest_first: true,
                limit: 50,
                ..PrintJobFilter::default()
            })
            .await?;
        if jobs.iter().any(|j| {
            j.kind == kind && matches!(j.state, PrintState::Pending | PrintState::Printing)
        }) {
            return Err(AppError::StillPrinting);
        }
        let live = if kind == PrintKind::Ticket {
            let tickets = self.store().tickets_for_case(c.id).await?;
            super::cases::live_ticket(&tickets).map(|t| (t.id, t.ticket_no.clone()))
        } else {
            None
        };
        // The original of that paper (of the live ticket for a ticket): a reprint copies what
        // was issued.
        let original = jobs
            .iter()
            .filter(|j| j.kind == kind && j.reprint_of.is_none())
            .filter(|j| live.as_ref().is_none_or(|(id, _)| j.ticket == Some(*id)))
            .min_by_key(|j| j.id)
            .ok_or_else(|| match &live {
                Some((_, no)) => AppError::Invalid(fill(
                    Errors::get(self.config().lang).ticket_no_paper,
                    &[("no", &no.to_string())],
                )),
                None => AppError::NotFound,
            })?;
        self.reprint_marked(original, by, at).await
    }

    /// A copy of `original` marked 【补打】 and the time, queued at the clerk's window.
    async fn reprint_marked(
        &self,
        original: &PrintJob,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<PrintJobId> {
        let mark = crate::i18n::paper::strings(self.paper().settings.lang).reprint_mark;
        let when = local_time(&at).format("%Y-%m-%d %H:%M").to_string();
        // A payload that does not read as a document (never written by this program) is
        // copied as it is: the runner reports it, the copy is not lost.
        let payload = crate::print::Document::from_json(&original.payload)
            .ok()
            .map(|d| d.marked(mark, &when).to_json());
        Ok(self
            .store()
            .reprint_as(original.id, payload, super::queue::actor(by, at))
            .await?)
    }

    /// Print jobs, newest first.
    pub async fn print_jobs(
        &self,
        state: Option<PrintState>,
        limit: i64,
    ) -> AppResult<Vec<PrintJob>> {
        Ok(self
            .store()
            .list_print_jobs(PrintJobFilter {
                state,
                newest_first: true,
                limit,
                ..PrintJobFilter::default()
            })
            .await?)
    }

    async fn print_job(&self, id: PrintJobId) -> AppResult<PrintJob> {
        self.store()
            .list_print_jobs(PrintJobFilter {
                id: Some(id),
                ..PrintJobFilter::default()
            })
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)
    }

    /// Makes a job that has not printed due now (after the printer was fixed); its error and
    /// history are kept. For an unconfirmed job this is the clerk's 补打: it did not come out.
    pub async fn retry_print_job(
        &self,
        id: PrintJobId,
        by: &Acting,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let job = self.print_job(id).await?;
        match job.state {
            PrintState::Printed => Err(AppError::Invalid(fill(
                Errors::get(self.config().lang).job_already_printed,
                &[("id", &id.to_string())],
            ))),
            PrintState::Printing => Err(AppError::StillPrinting),
            PrintState::Unconfirmed => Ok(self
                .store()
                .resolve_unconfirmed_print_job(id, false, super::queue::actor(by, now))
                .await?),
            PrintState::Pending | PrintState::Failed => {
                Ok(self.store().retry_print_job(id, now).await?)
            }
        }
    }

    /// The clerk's 已打出: an unconfirmed job did come out.
    pub async fn confirm_print_job(
        &self,
        id: PrintJobId,
        by: &Acting,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let job = self.print_job(id).await?;
        if job.state != PrintState::Unconfirmed {
            let words = Errors::get(self.config().lang);
            return Err(AppError::Invalid(fill(
                words.job_not_unconfirmed,
                &[
                    ("id", &id.to_string()),
                    ("state", (words.state_word)(job.state)),
                ],
            )));
        }
        Ok(self
            .store()
            .resolve_unconfirmed_print_job(id, true, super::queue::actor(by, now))
            .await?)
    }

    /// The attempts at a job, oldest first.
    pub async fn print_job_attempts(
        &self,
        id: PrintJobId,
    ) -> AppResult<Vec<crate::storage::PrintAttempt>> {
        self.print_job(id).await?;
        Ok(self.store().print_job_attempts(id).await?)
    }

    /// A copy of a job as issued, marked 【补打】, at the clerk's window (else where the original
    /// was queued).
    pub async fn reprint_job(
        &self,
        id: PrintJobId,
        by: &Acting,
        now: DateTime<Utc>,
    ) -> AppResult<PrintJobId> {
        let job = self.print_job(id).await?;
        self.reprint_marked(&job, by, now).await
    }

    /// Sends a waiting job to window `to`'s printer (`None`: the first printer free).
    pub async fn move_print_job(
        &self,
        id: PrintJobId,
        to: Option<WindowNo>,
        by: &Acting,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let window = match to {
            Some(n) => Some(self.station(n, false, now).await?.id),
            None => None,
        };
        Ok(self
            .store()
            .move_print_job(id, window, super::queue::actor(by, now))
            .await?)
    }

    /// A stored case with what its paper needs, for a preview.
    pub async fn stored_paper(&self, case_no: &CaseNo) -> AppResult<StoredPaper> {
        let c = self.case_record(case_no).await?;
        let tickets = self.store().tickets_for_case(c.id).await?;
        let first = tickets.iter().min_by_key(|t| (t.issued_at, t.id));
        Ok(StoredPaper {
            case_no: c.case_no.to_string(),
            ticket_no: first.map(|t| t.ticket_no.to_string()),
            clerk: c.created_by.map(|s| s.to_string()).unwrap_or_default(),
            issued_at: local_time(&c.created_at).naive_local(),
            record: c.record,
            decision: c.decision,
            site: self.settings(),
        })
    }
}
