//! The paper an intake produces, rendered inside the intake transaction: the print layouts turn
//! the case, its decision and the numbers storage assigns into device-independent documents, and
//! the spool stores those documents, so a reprint prints exactly what was issued.

use crate::config::Config;
use crate::domain::numbering::local_time;
use crate::domain::{Decision, IntakeRecord, SiteSettings};
use crate::print::document::DocKind;
use crate::print::{CaseInput, Layouts, PaperSettings, TicketInput};
use crate::storage::{Assigned, NewPrintJob, PrintKind, RenderJobs};
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
            settings: PaperSettings {
                lang: config.lang,
                ..PaperSettings::default()
            },
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
        let ticket_id = a.ticket.as_ref().map(|t| format!("{}:{}", site.code, t.id));
        let ticket = match (&a.ticket, &ticket_id) {
            (Some(t), Some(id)) => {
                let ahead = u32::try_from(t.ahead).unwrap_or(0);
                Some(TicketInput {
                    ticket_no: t.ticket_no.as_str(),
                    ticket_id: id,
                    route: t.route,
                    window_group: t.route.zh(),
                    issued_at,
                    people_ahead: ahead,
                    estimated_wait_min: ahead * MINUTES_PER_PERSON,
                    priority: decision.is_priority(),
                })
            }
            _ => None,
        };
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

    /// The renderer storage calls inside the intake transaction. Layouts are checked at start-up,
    /// so a failure here is a bug; the case is still registered and the error is logged, and the
    /// clerk can reprint once it is fixed.
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
                    tracing::error!(case_no = %a.case_no, error = %e, "rendering the paper failed");
                    crate::commands::intake::default_print_jobs(decision, a)
                }
            },
        )
    }
}

/// Stored cases for `print preview CASE_NO`: the case, its decision and the site's settings.
pub struct StoredCases {
    pub store: crate::storage::Store,
    pub site: SiteSettings,
}

impl crate::commands::print::CaseLookup for StoredCases {
    fn case_by_no<'a>(
        &'a self,
        case_no: &'a str,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<Option<crate::commands::print::StoredCase>>>
    {
        use crate::storage::StorageError;
        Box::pin(async move {
            let Ok(no) = crate::domain::numbering::CaseNo::parse(case_no) else {
                return Ok(None);
            };
            let c = match self.store.case_by_no(&no).await {
                Ok(c) => c,
                Err(StorageError::NotFound(_)) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let tickets = self.store.tickets_for_case(c.id).await?;
            let first = tickets.iter().min_by_key(|t| (t.issued_at, t.id));
            Ok(Some(crate::commands::print::StoredCase {
                case_no: c.case_no.to_string(),
                ticket_no: first.map(|t| t.ticket_no.to_string()),
                clerk: c.created_by.map(|s| s.to_string()).unwrap_or_default(),
                issued_at: local_time(&c.created_at).naive_local(),
                record: c.record,
                decision: c.decision,
                site: self.site.clone(),
            }))
        })
    }
}

/// The print runner for the configured printer, taking from the database spool the jobs queued at
/// `station`'s window and those queued at no window.
pub fn print_runner(
    config: &Config,
    store: &crate::storage::Store,
    station: crate::store_spool::PrintStation,
) -> anyhow::Result<crate::print::spool::PrintRunner<crate::store_spool::WindowSpool>> {
    use crate::print::spool::{Backoff, PrintRunner};
    use crate::print::transport::{Timeouts, Transport};
    let profile = crate::print::Profile::load(
        config.site_folder("printer-profiles").as_deref(),
        &config.printer_profile,
    )
    .with_context(|| format!("printer profile {}", config.printer_profile))?;
    Ok(PrintRunner::new(
        std::sync::Arc::new(crate::store_spool::WindowSpool {
            store: store.clone(),
            station,
        }),
        profile,
        Transport::from_target(&config.printer, Timeouts::default()),
        Backoff::default(),
    ))
}

/// Prints what is due in the spool now, on the configured printer, and stops at the first job
/// the printer refuses (it stays pending, retried later by whoever runs the spool). Used after a
/// one-off `intake` so a window without a running kiosk still gets its paper.
pub async fn print_due_jobs(
    config: &Config,
    store: &crate::storage::Store,
    window: Option<crate::storage::WindowId>,
) -> anyhow::Result<Vec<String>> {
    let station = crate::store_spool::PrintStation::at(window);
    let mut runner = print_runner(config, store, station)?;
    let mut said = Vec::new();
    // Bounded: a spool is never drained forever by a command that should return.
    for _ in 0..50 {
        match runner.run_once(chrono::Utc::now()).await? {
            None => break,
            Some(crate::print::spool::JobOutcome::Printed { id, .. }) => {
                said.push(format!("print job {id} printed"))
            }
            Some(crate::print::spool::JobOutcome::Deferred { id, error, .. }) => {
                said.push(format!("print job {id} left pending: {error}"));
                break;
            }
        }
    }
    Ok(said)
}
