//! Cases: the intake commit (case, ticket and print jobs in one transaction), and finding a case.

use super::db::{Sql, Text, json};
use super::print_jobs::insert_print_job;
use super::site::queue_by_prefix;
use super::tickets::{NewTicket, insert_ticket};
use super::types::*;
use super::{Result, StorageError, Store};
use crate::domain::audit::AuditEvent;
use crate::domain::numbering::{CaseNo, local_day};
use crate::domain::{Decision, Flag, IntakeRecord, ReferralTo, Route, Status, mask};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;

const CASE_SELECT: &str = "SELECT id, case_no, site_id, local_day, route, referral_to, flags, \
     priority, applicant_name, applicant_id_masked, applicant_phone_masked, counterparty_name, \
     record, decision, created_at, created_by, window_id FROM cases";

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: CaseId,
    case_no: String,
    site_id: SiteId,
    local_day: NaiveDate,
    route: Option<Text<Route>>,
    referral_to: Option<Text<ReferralTo>>,
    flags: Json<Vec<Flag>>,
    priority: bool,
    applicant_name: String,
    applicant_id_masked: String,
    applicant_phone_masked: String,
    counterparty_name: String,
    record: Json<IntakeRecord>,
    decision: Json<Decision>,
    created_at: DateTime<Utc>,
    created_by: Option<StaffId>,
    window_id: Option<WindowId>,
}

impl TryFrom<CaseRow> for CaseRecord {
    type Error = StorageError;
    fn try_from(r: CaseRow) -> Result<CaseRecord> {
        Ok(CaseRecord {
            id: r.id,
            case_no: CaseNo::parse(&r.case_no)
                .map_err(|_| StorageError::Corrupt(format!("case number {:?}", r.case_no)))?,
            site: r.site_id,
            local_day: r.local_day,
            route: r.route.map(|t| t.0),
            referral_to: r.referral_to.map(|t| t.0),
            flags: r.flags.0,
            priority: r.priority,
            applicant_masked: mask::mask_name(&r.applicant_name),
            applicant_id_masked: r.applicant_id_masked,
            applicant_phone_masked: r.applicant_phone_masked,
            counterparty_name: r.counterparty_name,
            record: r.record.0,
            decision: r.decision.0,
            created_at: r.created_at,
            created_by: r.created_by,
            window: r.window_id,
        })
    }
}

/// A case registered since a day, as the alerts need it.
#[derive(Debug, Clone)]
pub struct OpenCase {
    pub case_no: String,
    pub created_at: DateTime<Utc>,
    pub decision: Decision,
    pub employer_name: String,
    pub credit_code: Option<String>,
    pub finished: bool,
}

/// `LIKE` pattern for "contains", with the wildcards in the text escaped.
fn contains_pattern(text: &str) -> String {
    format!("%{}%", like_escaped(text))
}

/// `LIKE` pattern for "starts with".
fn prefix_pattern(text: &str) -> String {
    format!("{}%", like_escaped(text))
}

/// The text with `LIKE`'s wildcards taken literally.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

impl Store {
    /// Stores a case with its decision, its ticket (when the decision has a queue) and its print
    /// jobs in one transaction, numbering the case and the ticket from the day's counters.
    #[tracing::instrument(skip_all, err)]
    pub async fn commit_intake(&self, intake: IntakeCommit<'_>) -> Result<IntakeReceipt> {
        let IntakeCommit {
            site,
            record,
            decision,
            by,
            window,
            print_jobs,
            route_override,
        } = intake;
        if decision.status == Status::Blocked {
            return Err(StorageError::Invalid(
                "the decision is blocked by validation errors; correct them before registering \
                 the case"
                    .into(),
            ));
        }
        let at = super::db::micros(by.at);
        let day = local_day(&at);
        let mut w = self.write().await?;
        let site_code: String = w
            .scalar_optional(Sql::new("SELECT code FROM sites WHERE id = $1").bind(site))
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("site id {site}")))?;
        let seq = super::tickets::bump_counter(&mut w, format!("case:{}", site.0), day).await?;
        let case_no = CaseNo::new(&site_code, day, seq);
        let a = &record.applicant;
        let case_id: CaseId = w
            .scalar(
                Sql::new(
                    "INSERT INTO cases (case_no, site_id, local_day, seq, route, referral_to, \
                     flags, priority, applicant_name, applicant_id_masked, \
                     applicant_phone_masked, counterparty_name, record, decision, created_at, \
                     created_by, window_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                     $11, $12, $13, $14, $15, $16, $17) RETURNING id",
                )
                .bind(case_no.as_str())
                .bind(site)
                .bind(day)
                .bind(i64::from(seq))
                .bind(decision.route)
                .bind(decision.referral_to)
                .bind(json(&decision.flags)?)
                .bind(decision.is_priority())
                .bind(a.name.trim())
                .bind(mask::mask_id(a.id_type, &a.id_number))
                .bind(mask::mask_phone(&a.phone))
                .bind(record.counterparty.name.trim())
                .bind(json(record)?)
                .bind(json(decision)?)
                .bind(at)
                .bind(by.staff)
                .bind(window),
            )
            .await?;

        let ticket = match &decision.queue {
            Some(prefix) => {
                let queue = queue_by_prefix(&mut w, site, prefix)
                    .await?
                    .ok_or_else(|| {
                        StorageError::NotFound(format!(
                            "queue with prefix {prefix:?} at site {site_code} (is [site] \
                         ticket_prefixes the same as when the case was classified?)"
                        ))
                    })?;
                let new = NewTicket {
                    queue,
                    at,
                    case: Some(case_id),
                    priority: decision.is_priority(),
                    original_issued_at: at,
                    transferred_from: None,
                    reason: None,
                };
                Some(insert_ticket(&mut w, new).await?)
            }
            None => None,
        };

        let assigned = Assigned {
            case_id,
            case_no: case_no.clone(),
            ticket: ticket.clone(),
            at,
        };
        let mut job_ids = Vec::new();
        for job in print_jobs(&assigned) {
            let ticket_id = match job.kind {
                PrintKind::Ticket => ticket.as_ref().map(|t| t.id),
                _ => None,
            };
            let new = NewPrintJobFor {
                case: Some(case_id),
                ticket: ticket_id,
                window,
                kind: job.kind,
                payload: job.payload,
                at,
            };
            job_ids.push(insert_print_job(&mut w, &new, None).await?);
        }
        w.audit(&AuditRecord {
            at,
            staff: by.staff,
            window: window.or(by.window),
            case: Some(case_id),
            ticket: ticket.as_ref().map(|t| t.id),
            event: AuditEvent::CaseRegistered {
                case_no: case_no.clone(),
                route: decision.route,
                ticket_no: ticket.as_ref().map(|t| t.ticket_no.clone()),
                print_jobs: job_ids.iter().map(|j| j.0).collect(),
                route_override,
            },
        })
        .await?;
        w.change(ChangeKind::CaseCreated, ChangeIds::case(case_id), at);
        if let Some(t) = &ticket {
            let ids = ChangeIds {
                queue: Some(t.queue),
                ticket: Some(t.id),
                case: Some(case_id),
                print_job: None,
            };
            w.change(ChangeKind::TicketIssued, ids, at);
        }
        if let Some(first) = job_ids.first() {
            let ids = ChangeIds {
                print_job: Some(*first),
                ..ChangeIds::case(case_id)
            };
            w.change(ChangeKind::PrintJobQueued, ids, at);
        }
        self.commit(w).await?;
        Ok(IntakeReceipt {
            case_id,
            case_no,
            ticket,
            print_jobs: job_ids,
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn case_by_no(&self, case_no: &CaseNo) -> Result<CaseRecord> {
        let sql = format!("{CASE_SELECT} WHERE case_no = $1");
        let row: Option<CaseRow> = self
            .read()
            .await?
            .fetch_optional(Sql::built(sql).bind(case_no.as_str()))
            .await?;
        row.ok_or_else(|| StorageError::NotFound(format!("case {case_no}")))?
            .try_into()
    }

    #[tracing::instrument(skip_all)]
    pub async fn case_by_id(&self, id: CaseId) -> Result<CaseRecord> {
        let sql = format!("{CASE_SELECT} WHERE id = $1");
        let row: Option<CaseRow> = self
            .read()
            .await?
            .fetch_optional(Sql::built(sql).bind(id))
            .await?;
        row.ok_or_else(|| StorageError::NotFound(format!("case #{id}")))?
            .try_into()
    }

    /// Cases whose number is `query`, whose applicant's phone is `query`, or whose applicant's
    /// name contains it; newest first.
    #[tracing::instrument(skip_all, err)]
    pub async fn search_cases(
        &self,
        site: SiteId,
        query: &str,
        limit: i64,
    ) -> Result<Vec<CaseRecord>> {
        let q = query.trim();
        let mut c = self.read().await?;
        let sql = format!(
            "{CASE_SELECT} WHERE site_id = $1 AND (case_no LIKE $5 ESCAPE '\\' OR {} = $2 \
             OR applicant_name LIKE $3 ESCAPE '\\') ORDER BY created_at DESC, id DESC LIMIT $4",
            c.dialect().record_phone
        );
        let rows: Vec<CaseRow> = c
            .fetch_all(
                Sql::built(sql)
                    .bind(site)
                    .bind(q)
                    .bind(contains_pattern(q))
                    .bind(limit)
                    .bind(prefix_pattern(q)),
            )
            .await?;
        rows.into_iter().map(CaseRecord::try_from).collect()
    }

    /// The cases registered at the site since a day, with the facts the alerts need.
    #[tracing::instrument(skip_all, err)]
    pub async fn cases_since(&self, site: SiteId, since: NaiveDate) -> Result<Vec<OpenCase>> {
        type Row = (
            String,
            DateTime<Utc>,
            Json<Decision>,
            String,
            Option<String>,
            bool,
        );
        let rows: Vec<Row> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT c.case_no, c.created_at, c.decision, f.employer_name, \
                     f.credit_code, f.outcome IS NOT NULL FROM cases c \
                     JOIN case_facts f ON f.case_id = c.id \
                     WHERE c.site_id = $1 AND c.local_day >= $2 ORDER BY c.id",
                )
                .bind(site)
                .bind(since),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(case_no, created_at, d, employer_name, credit_code, finished)| OpenCase {
                    case_no,
                    created_at,
                    decision: d.0,
                    employer_name,
                    credit_code,
                    finished,
                },
            )
            .collect())
    }
}
