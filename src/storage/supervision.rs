//! What the supervisor's screen writes besides the queue operations (issue 7): audit entries for
//! acknowledged alerts and reassigned windows, and the alerts already acknowledged, so every
//! supervisor's screen stops highlighting an alert once one of them has seen it.

use super::shared::micros;
use super::{AnyStorage, Result, StaffId, StaffRole, WindowId};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

/// Audit action for an acknowledged alert; `details.key` names the alert.
pub const ALERT_ACK: &str = "alert_acknowledged";
/// Audit action for a window whose queues a supervisor changed.
pub const WINDOW_REASSIGNED: &str = "window_reassigned";

/// One line for the audit log (the table is append-only; no case or ticket here is personal data).
#[derive(Debug, Clone)]
pub struct AuditNote<'a> {
    pub at: DateTime<Utc>,
    pub staff: Option<StaffId>,
    pub window: Option<WindowId>,
    pub action: &'a str,
    pub details: serde_json::Value,
}

#[tracing::instrument(skip_all, err)]
pub async fn audit(store: &AnyStorage, note: AuditNote<'_>) -> Result<()> {
    const SQL: &str = "INSERT INTO audit_log (at, staff_id, window_id, action, case_id, \
                       ticket_id, details) VALUES ($1, $2, $3, $4, NULL, NULL, $5)";
    match store {
        AnyStorage::Sqlite(s) => {
            sqlx::query(SQL)
                .bind(micros(note.at))
                .bind(note.staff)
                .bind(note.window)
                .bind(note.action)
                .bind(Json(&note.details))
                .execute(s.pool())
                .await?;
        }
        AnyStorage::Postgres(p) => {
            sqlx::query(SQL)
                .bind(micros(note.at))
                .bind(note.staff)
                .bind(note.window)
                .bind(note.action)
                .bind(Json(&note.details))
                .execute(p.pool())
                .await?;
        }
    }
    Ok(())
}

/// Keys of the alerts acknowledged since `since`.
#[tracing::instrument(skip_all, err)]
pub async fn acknowledged_since(store: &AnyStorage, since: DateTime<Utc>) -> Result<Vec<String>> {
    const SQL: &str = "SELECT details FROM audit_log WHERE action = $1 AND at >= $2";
    let rows: Vec<Json<serde_json::Value>> = match store {
        AnyStorage::Sqlite(s) => {
            sqlx::query_scalar(SQL)
                .bind(ALERT_ACK)
                .bind(micros(since))
                .fetch_all(s.pool())
                .await?
        }
        AnyStorage::Postgres(p) => {
            sqlx::query_scalar(SQL)
                .bind(ALERT_ACK)
                .bind(micros(since))
                .fetch_all(p.pool())
                .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|d| d.0.get("key").and_then(|k| k.as_str()).map(str::to_string))
        .collect())
}

/// A staff member as sign-in needs them: id, role and whether they may sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLogin {
    pub id: StaffId,
    pub role: StaffRole,
    pub active: bool,
    /// Whether a PIN has been set (its check belongs to the storage sign-in API).
    pub has_pin: bool,
}

#[tracing::instrument(skip_all, err)]
pub async fn staff_login(
    store: &AnyStorage,
    site: super::SiteId,
    code: &str,
) -> Result<Option<StaffLogin>> {
    const SQL: &str = "SELECT id, role, active, pin_hash IS NOT NULL FROM staff \
                       WHERE site_id = $1 AND code = $2";
    let row: Option<(i64, String, bool, bool)> = match store {
        AnyStorage::Sqlite(s) => {
            sqlx::query_as(SQL)
                .bind(site)
                .bind(code)
                .fetch_optional(s.pool())
                .await?
        }
        AnyStorage::Postgres(p) => {
            sqlx::query_as(SQL)
                .bind(site)
                .bind(code)
                .fetch_optional(p.pool())
                .await?
        }
    };
    row.map(|(id, role, active, has_pin)| {
        Ok(StaffLogin {
            id: StaffId(id),
            role: role
                .parse()
                .map_err(|e: String| super::StorageError::Corrupt(e))?,
            active,
            has_pin,
        })
    })
    .transpose()
}

/// A window of the site with the queues it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowRow {
    pub id: WindowId,
    pub number: i64,
    pub name: String,
    pub queues: Vec<super::QueueId>,
}

#[tracing::instrument(skip_all, err)]
pub async fn windows(store: &AnyStorage, site: super::SiteId) -> Result<Vec<WindowRow>> {
    const SQL: &str = "SELECT w.id, w.number, w.name, wq.queue_id FROM windows w \
                       LEFT JOIN window_queues wq ON wq.window_id = w.id \
                       WHERE w.site_id = $1 ORDER BY w.number, wq.queue_id";
    let rows: Vec<(i64, i64, String, Option<i64>)> = match store {
        AnyStorage::Sqlite(s) => sqlx::query_as(SQL).bind(site).fetch_all(s.pool()).await?,
        AnyStorage::Postgres(p) => sqlx::query_as(SQL).bind(site).fetch_all(p.pool()).await?,
    };
    let mut out: Vec<WindowRow> = Vec::new();
    for (id, number, name, queue) in rows {
        if out.last().is_none_or(|w| w.id.0 != id) {
            out.push(WindowRow {
                id: WindowId(id),
                number,
                name,
                queues: vec![],
            });
        }
        if let (Some(q), Some(w)) = (queue, out.last_mut()) {
            w.queues.push(super::QueueId(q));
        }
    }
    Ok(out)
}

/// Staff numbers by id (the dashboard shows numbers, not names).
#[tracing::instrument(skip_all, err)]
pub async fn staff_codes(
    store: &AnyStorage,
    site: super::SiteId,
) -> Result<std::collections::HashMap<StaffId, String>> {
    const SQL: &str = "SELECT id, code FROM staff WHERE site_id = $1";
    let rows: Vec<(i64, String)> = match store {
        AnyStorage::Sqlite(s) => sqlx::query_as(SQL).bind(site).fetch_all(s.pool()).await?,
        AnyStorage::Postgres(p) => sqlx::query_as(SQL).bind(site).fetch_all(p.pool()).await?,
    };
    Ok(rows.into_iter().map(|(i, c)| (StaffId(i), c)).collect())
}

/// A case registered since a day, as the alerts need it.
#[derive(Debug, Clone)]
pub struct OpenCase {
    pub case_no: String,
    pub created_at: DateTime<Utc>,
    pub decision: crate::domain::Decision,
    pub employer_name: String,
    pub credit_code: Option<String>,
    pub finished: bool,
}

#[tracing::instrument(skip_all, err)]
pub async fn cases_since(
    store: &AnyStorage,
    site: super::SiteId,
    since: chrono::NaiveDate,
) -> Result<Vec<OpenCase>> {
    const SQL: &str = "SELECT c.case_no, c.created_at, c.decision, f.employer_name, \
                       f.credit_code, f.outcome IS NOT NULL FROM cases c \
                       JOIN case_facts f ON f.case_id = c.id \
                       WHERE c.site_id = $1 AND c.local_day >= $2 ORDER BY c.id";
    type Row = (
        String,
        DateTime<Utc>,
        Json<crate::domain::Decision>,
        String,
        Option<String>,
        bool,
    );
    let rows: Vec<Row> = match store {
        AnyStorage::Sqlite(s) => {
            sqlx::query_as(SQL)
                .bind(site)
                .bind(since)
                .fetch_all(s.pool())
                .await?
        }
        AnyStorage::Postgres(p) => {
            sqlx::query_as(SQL)
                .bind(site)
                .bind(since)
                .fetch_all(p.pool())
                .await?
        }
    };
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
