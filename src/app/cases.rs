//! Reading cases: search, and one case with its tickets and history.

use super::error::{AppError, AppResult};
use super::types::{CaseEvent, CaseSummary, CaseView, HistoryEntry};
use super::{Acting, Services};
use crate::domain::ReadPurpose;
use crate::domain::audit::AuditEvent;
use crate::domain::numbering::local_time;
use crate::domain::{CaseNo, Route, TicketNo};
use crate::storage::{AuditEntry, CaseId, CaseRecord, PrintJob, PrintJobFilter, Ticket};
use chrono::{DateTime, Utc};

/// A case with everything stored about it.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: CaseRecord,
    pub tickets: Vec<Ticket>,
    pub print_jobs: Vec<PrintJob>,
    pub history: Vec<AuditEntry>,
}

/// Masks the applicant's name, ID number and phone inside a stored record, as lists and paper
/// show them: what a reader without [`super::auth::Permission::ReadUnmasked`] gets.
pub fn mask_record(record: &mut crate::domain::IntakeRecord) {
    use crate::domain::mask::{mask_id, mask_name, mask_phone};
    let a = &mut record.applicant;
    a.name = mask_name(&a.name);
    a.id_number = mask_id(a.id_type, &a.id_number);
    a.phone = mask_phone(&a.phone);
    a.birth_date = None;
}

/// How many hits a search shows.
const SEARCH_LIMIT: i64 = 50;

impl Services {
    /// Cases by the start of their number (`ZZ01-20250310` lists a day's), the applicant's whole
    /// phone number, or a part of the applicant's name; newest first.
    pub async fn search(&self, query: &str) -> AppResult<Vec<CaseSummary>> {
        let site = self.site()?;
        let found = self
            .store()
            .search_cases(site.id, query.trim(), SEARCH_LIMIT)
            .await?;
        let mut hits = Vec::with_capacity(found.len());
        for c in found {
            let tickets = self.store().tickets_for_case(c.id).await?;
            hits.push(CaseSummary {
                case_no: c.case_no.clone(),
                applicant_name: c.record.applicant.name.clone(),
                phone: c.record.applicant.phone.clone(),
                counterparty_name: c.counterparty_name.clone(),
                route: live_route(&c, &tickets),
                registered_at: local_time(&c.created_at),
            });
        }
        Ok(hits)
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

    /// [`Services::case_file`] for `by`, audited with `purpose`; masked unless `unmasked`
    /// (whose permission the caller has checked).
    pub async fn read_case_file(
        &self,
        case_no: &CaseNo,
        by: &Acting,
        purpose: ReadPurpose,
        unmasked: bool,
        at: DateTime<Utc>,
    ) -> AppResult<CaseFile> {
        let mut file = self.case_file(case_no).await?;
        self.audit_read(by, Some(&file.case), purpose, unmasked, None, at)
            .await?;
        if !unmasked {
            mask_record(&mut file.case.record);
        }
        Ok(file)
    }

    /// The access record of personal data: who read which case (or ran which search), where,
    /// and why.
    pub async fn audit_read(
        &self,
        by: &Acting,
        case: Option<&CaseRecord>,
        purpose: ReadPurpose,
        unmasked: bool,
        results: Option<usize>,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let case = case.map(|c| (c.id, Some(c.case_no.clone())));
        self.audit_case_read(by, case, purpose, unmasked, results, at)
            .await
    }

    /// The one writer of a read's audit entry, for callers that hold a case's id and number
    /// rather than its record (the follow-up list).
    pub(super) async fn audit_case_read(
        &self,
        by: &Acting,
        case: Option<(CaseId, Option<CaseNo>)>,
        purpose: ReadPurpose,
        unmasked: bool,
        results: Option<usize>,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let (case_id, case_no) = case.unzip();
        self.store()
            .audit_event(
                by.staff_id(),
                by.window.map(|w| w.id),
                case_id,
                AuditEvent::CaseRead {
                    case_no: case_no.flatten(),
                    purpose,
                    unmasked,
                    results,
                },
                at,
            )
            .await?;
        Ok(())
    }

    /// Every audit entry of a case, oldest first: its history and every read of it.
    pub async fn case_audit(&self, case_no: &CaseNo) -> AppResult<Vec<AuditEntry>> {
        let case = self.case_record(case_no).await?;
        Ok(self.store().audit_for_case(case.id).await?)
    }

    /// A case with its newest ticket and its history.
    pub async fn case_view(&self, case_no: &CaseNo) -> AppResult<CaseView> {
        let c = self.case_record(case_no).await?;
        let tickets = self.store().tickets_for_case(c.id).await?;
        let last = live_ticket(&tickets);
        let audit = self.store().audit_for_case(c.id).await?;
        Ok(CaseView {
            case_no: c.case_no.clone(),
            route: live_route(&c, &tickets),
            ticket: last.map(|t| t.ticket_no.clone()),
            state: last.map(|t| t.state),
            registered_at: local_time(&c.created_at),
            history: audit.iter().flat_map(history_entries).collect(),
            record: c.record,
            decision: c.decision,
        })
    }
}

/// A case's live ticket: the newest (a transfer ends the old one and issues the next).
pub(crate) fn live_ticket(tickets: &[Ticket]) -> Option<&Ticket> {
    tickets.iter().max_by_key(|t| (t.issued_at, t.id))
}

/// Where the case is going now (去向): the live ticket's queue after a transfer, else the route
/// it was registered with.
fn live_route(c: &CaseRecord, tickets: &[Ticket]) -> Option<Route> {
    live_ticket(tickets).map(|t| t.route).or(c.route)
}

/// Parses a case number as typed; an unreadable one is simply not found.
pub fn parse_case_no(text: &str) -> AppResult<CaseNo> {
    CaseNo::parse(text).map_err(|_| AppError::NotFound)
}

/// The lines of a case's history an audit entry makes (a registration with an override makes
/// two; bookkeeping such as a print job moved makes none).
pub fn history_entries(a: &AuditEntry) -> Vec<HistoryEntry> {
    let ticket = |t: &Option<TicketNo>| {
        t.clone()
            .unwrap_or_else(|| TicketNo::from_stored(String::new()))
    };
    let events = match &a.event {
        AuditEvent::CaseRegistered {
            route_override,
            ticket_no,
            ..
        } => {
            let mut v = vec![CaseEvent::Registered];
            v.extend(ticket_no.clone().map(CaseEvent::TicketIssued));
            if let Some(o) = route_override {
                v.push(CaseEvent::RouteOverridden {
                    from: o.from,
                    to: o.to,
                    referral_to: o.referral_to,
                    reason: o.reason.clone(),
                });
            }
            v
        }
        AuditEvent::TicketIssued { ticket_no, .. } => {
            vec![CaseEvent::TicketIssued(ticket_no.clone())]
        }
        AuditEvent::Called { ticket_no } => vec![CaseEvent::Called(ticket_no.clone())],
        AuditEvent::Recalled { ticket_no } => vec![CaseEvent::Recalled(ticket(ticket_no))],
        AuditEvent::NoShow { ticket_no } => vec![CaseEvent::NoShow(ticket(ticket_no))],
        AuditEvent::Started { ticket_no } => vec![CaseEvent::Started(ticket(ticket_no))],
        AuditEvent::Transferred {
            to_ticket_no,
            reason,
            from_route,
            to_route: Some(to),
            ..
        } => vec![CaseEvent::Transferred {
            from: *from_route,
            to: *to,
            ticket: Some(to_ticket_no.clone()),
            reason: reason.clone(),
        }],
        AuditEvent::Finished { outcome, .. } => vec![CaseEvent::Finished(*outcome)],
        AuditEvent::Reprinted { kind, .. } => vec![CaseEvent::Reprinted(*kind)],
        _ => vec![],
    };
    events
        .into_iter()
        .map(|event| HistoryEntry {
            at: local_time(&a.at),
            event,
            staff: a.staff_no.clone(),
            window: a.window_no,
        })
        .collect()
}
