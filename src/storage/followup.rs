//! Follow-up calls (回访, issue 7): a case finished as mediated or referred is due for a call
//! `after_days` days after it ended, until someone records the result. Records are append-only;
//! each one also goes to the audit log.

use super::db::{Sql, Text};
use super::{AuditRecord, CaseId, Outcome, Result, SiteId, StaffId, StorageError, Store};
use crate::domain::audit::AuditEvent;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

/// A case due for its follow-up call. Only the masked applicant name is carried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpDue {
    pub case_id: CaseId,
    pub case_no: String,
    pub outcome: Outcome,
    pub finished_at: DateTime<Utc>,
    pub applicant_masked: String,
    pub phone_masked: String,
}

const DUE_WHERE: &str = "FROM case_facts f JOIN cases c ON c.id = f.case_id \
     WHERE f.site_id = $1 AND f.outcome IN ('mediated', 'referred') AND f.finished_at <= $2 \
     AND NOT EXISTS (SELECT 1 FROM followups u WHERE u.case_id = f.case_id)";

fn cutoff(now: DateTime<Utc>, after_days: i64) -> DateTime<Utc> {
    now - TimeDelta::days(after_days)
}

/// Cases due at `now`, the longest due first.
#[tracing::instrument(skip_all, err)]
pub async fn due(
    store: &Store,
    site: SiteId,
    now: DateTime<Utc>,
    after_days: i64,
    limit: i64,
) -> Result<Vec<FollowUpDue>> {
    let sql = format!(
        "SELECT c.id, c.case_no, f.outcome, f.finished_at, c.applicant_name, \
         c.applicant_phone_masked {DUE_WHERE} ORDER BY f.finished_at, c.id LIMIT $3"
    );
    type Row = (CaseId, String, Text<Outcome>, DateTime<Utc>, String, String);
    let rows: Vec<Row> = store
        .read()
        .await?
        .fetch_all(
            Sql::built(sql)
                .bind(site)
                .bind(cutoff(now, after_days))
                .bind(limit),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(case_id, case_no, outcome, finished_at, name, phone)| FollowUpDue {
                case_id,
                case_no,
                outcome: outcome.0,
                finished_at,
                applicant_masked: crate::domain::mask::mask_name(&name),
                phone_masked: phone,
            },
        )
        .collect())
}

/// How many cases are due at `now` (the dashboard's count).
#[tracing::instrument(skip_all, err)]
pub async fn due_count(
    store: &Store,
    site: SiteId,
    now: DateTime<Utc>,
    after_days: i64,
) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) {DUE_WHERE}");
    store
        .read()
        .await?
        .scalar(Sql::built(sql).bind(site).bind(cutoff(now, after_days)))
        .await
}

/// Records the result of a follow-up call for the case numbered `case_no`, with its audit entry,
/// in one transaction.
#[tracing::instrument(skip_all, err)]
pub async fn record(
    store: &Store,
    case_no: &str,
    result: &str,
    staff: Option<StaffId>,
    at: DateTime<Utc>,
) -> Result<CaseId> {
    let result = result.trim();
    if result.is_empty() {
        return Err(StorageError::Invalid(
            "the follow-up result is empty".into(),
        ));
    }
    let mut w = store.write().await?;
    let case: CaseId = w
        .scalar_optional(Sql::new("SELECT id FROM cases WHERE case_no = $1").bind(case_no))
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("case {case_no}")))?;
    w.execute(
        Sql::new("INSERT INTO followups (case_id, at, staff_id, result) VALUES ($1, $2, $3, $4)")
            .bind(case)
            .bind(at)
            .bind(staff)
            .bind(result),
    )
    .await?;
    w.audit(&AuditRecord {
        at,
        staff,
        window: None,
        case: Some(case),
        ticket: None,
        event: AuditEvent::FollowUpRecorded {
            result_chars: result.chars().count(),
        },
    })
    .await?;
    store.commit(w).await?;
    Ok(case)
}
