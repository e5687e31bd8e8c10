//! Follow-up calls (回访, issue 7): a case finished as mediated or referred is due for a call
//! `after_days` days after it ended, until someone records the result. Records are append-only;
//! each one also goes to the audit log.

use super::shared::micros;
use super::{AnyStorage, CaseId, Result, SiteId, StaffId, StorageError};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use sqlx::types::Json;

/// A case due for its follow-up call. Only the masked applicant name is carried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpDue {
    pub case_id: CaseId,
    pub case_no: String,
    pub outcome: String,
    pub finished_at: DateTime<Utc>,
    pub applicant_masked: String,
    pub phone_masked: String,
}

const DUE_WHERE: &str = "FROM case_facts f JOIN cases c ON c.id = f.case_id \
     WHERE f.site_id = $1 AND f.outcome IN ('mediated', 'referred') AND f.finished_at <= $2 \
     AND NOT EXISTS (SELECT 1 FROM followups u WHERE u.case_id = f.case_id)";

fn cutoff(now: DateTime<Utc>, after_days: i64) -> DateTime<Utc> {
    micros(now - TimeDelta::days(after_days))
}

/// Cases due at `now`, the longest due first.
#[tracing::instrument(skip_all, err)]
pub async fn due(
    store: &AnyStorage,
    site: SiteId,
    now: DateTime<Utc>,
    after_days: i64,
    limit: i64,
) -> Result<Vec<FollowUpDue>> {
    let sql = format!(
        "SELECT c.id, c.case_no, f.outcome, f.finished_at, c.applicant_name, \
         c.applicant_phone_masked {DUE_WHERE} ORDER BY f.finished_at, c.id LIMIT $3"
    );
    type Row = (i64, String, String, DateTime<Utc>, String, String);
    let rows: Vec<Row> = match store {
        AnyStorage::Sqlite(s) => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(site)
                .bind(cutoff(now, after_days))
                .bind(limit)
                .fetch_all(s.pool())
                .await?
        }
        AnyStorage::Postgres(p) => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(site)
                .bind(cutoff(now, after_days))
                .bind(limit)
                .fetch_all(p.pool())
                .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(
            |(id, case_no, outcome, finished_at, name, phone)| FollowUpDue {
                case_id: CaseId(id),
                case_no,
                outcome,
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
    store: &AnyStorage,
    site: SiteId,
    now: DateTime<Utc>,
    after_days: i64,
) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) {DUE_WHERE}");
    Ok(match store {
        AnyStorage::Sqlite(s) => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(site)
                .bind(cutoff(now, after_days))
                .fetch_one(s.pool())
                .await?
        }
        AnyStorage::Postgres(p) => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(site)
                .bind(cutoff(now, after_days))
                .fetch_one(p.pool())
                .await?
        }
    })
}

/// Records the result of a follow-up call for the case numbered `case_no`, with its audit entry,
/// in one transaction.
#[tracing::instrument(skip_all, err)]
pub async fn record(
    store: &AnyStorage,
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
    let at = micros(at);
    let details = serde_json::json!({ "result_chars": result.chars().count() });
    macro_rules! run {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await?;
            let case: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE case_no = $1")
                .bind(case_no)
                .fetch_optional(&mut *tx)
                .await?;
            let case = case.ok_or_else(|| StorageError::NotFound(format!("case {case_no}")))?;
            sqlx::query(
                "INSERT INTO followups (case_id, at, staff_id, result) VALUES ($1, $2, $3, $4)",
            )
            .bind(case)
            .bind(at)
            .bind(staff)
            .bind(result)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO audit_log (at, staff_id, window_id, action, case_id, ticket_id, \
                 details) VALUES ($1, $2, NULL, 'followup_recorded', $3, NULL, $4)",
            )
            .bind(at)
            .bind(staff)
            .bind(case)
            .bind(Json(&details))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            CaseId(case)
        }};
    }
    Ok(match store {
        AnyStorage::Sqlite(s) => run!(s.pool()),
        AnyStorage::Postgres(p) => run!(p.pool()),
    })
}
