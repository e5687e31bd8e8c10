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
