//! The paper an intake produces, rendered inside the intake transaction: the print layouts turn
//! the case, its decision and the numbers storage assigns into device-independent documents, and
//! the spool stores those documents, so a reprint prints exactly what was issued.

use super::spool::{Backoff, JobOutcome, PrintRunner, PrintStation};
use crate::config::Config;
use crate::domain::numbering::local_time;
use crate::domain::{Decision, IntakeRecord, SiteSettings};
use crate::print::document::DocKind;
use crate::print::{CaseInput, Layouts, PaperSettings, TicketInput};
use crate::storage::{Assigned, IssuedTicket, NewPrintJob, PrintKind, RenderJobs};
use anyhow::Context;

/// Minutes a window needs per person, for the estimate on the ticket; a site's real figure
/// comes from its statistics, this is only the first-day guess.
const MINUTES_PER_PERSON: u32 = 10;

pub struct Paper {
    pub layouts: Layouts,
    pub settings: PaperSettings,
}

impl Paper {
    /// The shipped layouts, or a site's own from `layouts/` next to the config file; a bad layout
    /// stops start-up with its file and line.
    pub fn load(config: &Config) -> anyhow::Result<Paper> {
        let layouts = Layouts::load(config.site_folder("layouts").as_deref()).context("layouts")?;
        Ok(Paper {
            layouts,
            settings: PaperSettings { lang: config.lang },
        })
    }

    /// The documents of one intake: a queue ticket when there is one, then the receipt, or the
    /// referral notice for a referral.
    pub fn intake_jobs(
        &self,
        record: &IntakeRecord,
        decision: &Decision,
        site: &SiteSettings,
        clerk: &str,
        a: &Assigned,
    ) -> anyhow::Result<Vec<NewPrintJob>> {
        let issued_at = local_time(&a.at).naive_local();
        let input = CaseInput {
            case_no: a.case_no.as_str(),
            ticket_no: a.ticket.as_ref().map(|t| t.ticket_no.as_str()),
            record,
            decision,
            site,
            clerk,
            issued_at,
        };
        let ticket = a.ticket.as_ref().map(|t| {
            let ahead = u32::try_from(t.ahead).unwrap_or(0);
            TicketInput {
                ticket_no: t.ticket_no.as_str(),
                route: t.route,
                windows: &t.windows,
                issued_at,
                people_ahead: ahead,
                estimated_wait_min: ahead * MINUTES_PER_PERSON,
                priority: decision.is_priority(),
            }
        });
        let docs = self
            .layouts
            .intake_documents(&input, ticket.as_ref(), &self.settings)?;
        Ok(docs
            .into_iter()
            .filter_map(|d| {
                let kind = match d.kind {
                    DocKind::Ticket => PrintKind::Ticket,
                    DocKind::Receipt => PrintKind::Receipt,
                    DocKind::Referral => PrintKind::Referral,
                    DocKind::Test => return None,
                };
                Some(NewPrintJob {
                    kind,
                    payload: d.to_json(),
                })
            })
            .collect())
    }

    /// The queue ticket of a ticket issued outside an intake (a transfer's new ticket), stored
    /// as a print job; `None` (logged) when the layout fails, which start-up checks rule out.
    pub fn ticket_job(
        &self,
        t: &IssuedTicket,
        priority: bool,
        site: &SiteSettings,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Option<NewPrintJob> {
        let ahead = u32::try_from(t.ahead).unwrap_or(0);
        let input = TicketInput {
            ticket_no: t.ticket_no.as_str(),
            route: t.route,
            windows: &t.windows,
            issued_at: local_time(&at).naive_local(),
            people_ahead: ahead,
            estimated_wait_min: ahead * MINUTES_PER_PERSON,
            priority,
        };
        match self.layouts.ticket(&input, site, self.settings.lang) {
            Ok(doc) => Some(NewPrintJob {
                kind: PrintKind::Ticket,
                payload: doc.to_json(),
            }),
            Err(e) => {
                tracing::error!(ticket = %t.ticket_no, error = %e, "rendering a ticket failed");
                None
            }
        }
    }

    /// The renderer storage calls inside the intake transaction.
    pub fn renderer<'a>(
        &'a self,
        record: &'a IntakeRecord,
        decision: &'a Decision,
        site: &'a SiteSettings,
        clerk: String,
    ) -> RenderJobs<'a> {
        Box::new(
            move |a: &Assigned| match self.intake_jobs(record, decision, site, &clerk, a) {
                Ok(jobs) => jobs,
                Err(e) => {
                    // Layouts are checked at start-up, so this is a bug: the case is registered
                    // all the same (a worker's registration is never lost to a layout), without
                    // paper, and the error says why.
                    tracing::error!(case_no = %a.case_no, error = %e, "rendering the paper failed");
                    Vec::new()
                }
            },
        )
    }
}

/// A stored case with what its paper needs, for `print preview CASE_NO`.
#[derive(Debug, Clone)]
pub struct StoredPaper {
    pub case_no: String,
    pub ticket_no: Option<String>,
    pub record: IntakeRecord,
    pub decision: Decision,
    pub site: SiteSettings,
    pub clerk: String,
    pub issued_at: chrono::NaiveDateTime,
}

/// The print runner for the configured printer, taking from the database spool the jobs queued at
/// `station`'s window and those queued at no window.
pub fn print_runner(
    config: &Config,
    store: &crate::storage::Store,
    station: PrintStation,
) -> anyhow::Result<PrintRunner> {
    use crate::print::transport::{Timeouts, Transport};
    let profile = crate::print::Profile::load(
        config.site_folder("printer-profiles").as_deref(),
        &config.printer_profile,
    )
    .with_context(|| {
        crate::i18n::fill(
            crate::i18n::cli::Errors::get(config.lang).printer_profile,
            &[("profile", &config.printer_profile)],
        )
    })?;
    Ok(PrintRunner::new(
        store.clone(),
        station,
        profile,
        Transport::from_target(&config.printer, Timeouts::default()),
        Backoff::default(),
    )
    .keep_spool_files(config.data.spool_keep_days))
}

/// Prints what is due in the spool now, on the configured printer, and stops at the first job
/// the printer refuses (it stays pending, retried later by whoever runs the spool). Used after a
/// one-off `intake` so a window without a running kiosk still gets its paper. Gives what came of
/// each job, for the caller to word ([`JobOutcome::words`]).
pub async fn print_due_jobs(
    config: &Config,
    store: &crate::storage::Store,
    scope: crate::storage::PrintScope,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<JobOutcome>> {
    let mut runner = print_runner(config, store, PrintStation::default())?.in_scope(scope);
    let mut said = Vec::new();
    // Bounded: a spool is never drained forever by a command that should return.
    for _ in 0..50 {
        let Some(outcome) = runner.run_once(now).await? else {
            break;
        };
        let stop = matches!(
            outcome,
            JobOutcome::Deferred { .. } | JobOutcome::Unconfirmed { .. }
        );
        said.push(outcome);
        if stop {
            break;
        }
    }
    Ok(said)
}
