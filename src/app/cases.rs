//! Reading cases: search, and one case with its tickets and history.

use super::Services;
use super::error::{AppError, AppResult};
use super::types::{CaseEvent, CaseSummary, CaseView, HistoryEntry};
use crate::domain::numbering::local_time;
use crate::domain::{CaseNo, Outcome, PrintKind, Route, StaffNo, TicketNo};
use crate::storage::kiosk::KioskStore;
use crate::storage::{AuditEntry, CaseRecord, PrintJob, PrintJobFilter, Storage, Ticket};

/// A case with everything stored about it.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: CaseRecord,
    pub tickets: Vec<Ticket>,
    pub print_jobs: Vec<PrintJob>,
    pub history: Vec<AuditEntry>,
}

/// How many hits a search shows.
const SEARCH_LIMIT: i64 = 50;

impl Services {
    /// Cases by their number or the applicant's phone (whole), or by a part of the applicant's
    /// name; newest first.
    pub async fn search(&self, query: &str) -> AppResult<Vec<CaseSummary>> {
        let site = self.site()?;
        let found = self
            .store()
            .search_cases(site.id, query.trim(), SEARCH_LIMIT)
            .await?;
        Ok(found
            .into_iter()
            .map(|c| CaseSummary {
                case_no: c.case_no.clone(),
                applicant_name: c.record.applicant.name.clone(),
                phone: c.record.applicant.phone.clone(),
                counterparty_name: c.counterparty_name.clone(),
                route: c.route,
                registered_at: local_time(&c.created_at),
            })
            .collect())
    }

    /// A stored case by its number.
    pub async fn case_record(&self, case_no: &CaseNo) -> AppResult<CaseRecord> {
        Ok(self.store().case_by_no(case_no).await?)
    }

    /// Everything stored about a case: the record, its tickets, its paper and its audit trail.
    pub async fn case_file(&self, case_no: &CaseNo) -> AppResult<CaseFile> {
        let case = self.case_record(case_no).await?;
        let tickets = self.store().tickets_for_case(case.id).await?;
        let print_jobs = self
            .store()
            .list_print_jobs(PrintJobFilter {
                case: Some(case.id),
                ..PrintJobFilter::default()
            })
            .await?;
        let history = self.store().audit_for_case(case.id).await?;
        Ok(CaseFile {
            case,
            tickets,
            print_jobs,
            history,
        })
    }

    /// A case with its newest ticket and its history.
    pub async fn case_view(&self, case_no: &CaseNo) -> AppResult<CaseView> {
        let c = self.case_record(case_no).await?;
        let tickets = self.store().tickets_for_case(c.id).await?;
        let last = tickets.iter().max_by_key(|t| (t.issued_at, t.id));
        let audit = self.store().audit_for_case(c.id).await?;
        Ok(CaseView {
            case_no: c.case_no.clone(),
            route: c.route,
            ticket: last.map(|t| t.ticket_no.clone()),
            state: last.map(|t| t.state),
            registered_at: local_time(&c.created_at),
            history: audit.iter().filter_map(history_entry).collect(),
            record: c.record,
            decision: c.decision,
        })
    }
}

/// Parses a case number as typed; an unreadable one is simply not found.
pub fn parse_case_no(text: &str) -> AppResult<CaseNo> {
    CaseNo::parse(text).map_err(|_| AppError::NotFound)
}

fn history_entry(a: &AuditEntry) -> Option<HistoryEntry> {
    let text = |k: &str| {
        a.details
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let ticket = || TicketNo::from_stored(text("ticket_no"));
    let event = match a.action.as_str() {
        "intake" => CaseEvent::Registered,
        "issue" | "ticket_issued" => CaseEvent::TicketIssued(ticket()),
        "ticket_called" => CaseEvent::Called(ticket()),
        "ticket_recalled" => CaseEvent::Recalled(ticket()),
        "ticket_no_show" => CaseEvent::NoShow(ticket()),
        "ticket_started" => CaseEvent::Started(ticket()),
        "ticket_transferred" => CaseEvent::Transferred {
            from: Route::from_code(&text("from_route")),
            to: Route::from_code(&text("to_route"))?,
            ticket: None,
            reason: text("reason"),
        },
        "ticket_finished" => {
            CaseEvent::Finished(Outcome::from_code(&text("outcome")).unwrap_or(Outcome::Other))
        }
        "reprint" => CaseEvent::Reprinted(PrintKind::from_code(&text("kind"))?),
        _ => return None,
    };
    Some(HistoryEntry {
        at: local_time(&a.at),
        event,
        staff: a.staff.map(|s| StaffNo(s.to_string())),
        window: None,
    })
}
