//! Staff: who they are, their PIN hash and the sign-in lock-out shared by every window, and the
//! audit entries of signing in.

use super::db::{Conn, Sql, Text};
use super::types::{AuditRecord, SiteId, StaffId, StaffRole, WindowId};
use super::{Result, StorageError, Store};
use crate::domain::audit::AuditEvent;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// A staff member as sign-in sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAuth {
    pub id: StaffId,
    pub code: String,
    pub name: String,
    pub role: StaffRole,
    pub pin_hash: Option<String>,
    pub failed_attempts: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct StaffAuthRow {
    id: StaffId,
    code: String,
    name: String,
    role: Text<StaffRole>,
    pin_hash: Option<String>,
    failed_attempts: i64,
    locked_until: Option<DateTime<Utc>>,
}

/// A staff member as sign-in needs them: id, role and whether they may sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLogin {
    pub id: StaffId,
    pub role: StaffRole,
    pub active: bool,
    /// Whether a PIN has been set (its check belongs to the sign-in).
    pub has_pin: bool,
}

/// The window of the staff member's site numbered `number`, if it exists.
async fn window_of(c: &mut Conn, staff: StaffId, number: Option<i64>) -> Result<Option<WindowId>> {
    let Some(number) = number else {
        return Ok(None);
    };
    c.scalar_optional(
        Sql::new(
            "SELECT w.id FROM windows w JOIN staff s ON s.site_id = w.site_id \
             WHERE s.id = $1 AND w.number = $2",
        )
        .bind(staff)
        .bind(number),
    )
    .await
}

impl Store {
    /// Creates or updates a staff member by their code.
    #[tracing::instrument(skip_all, err)]
    pub async fn upsert_staff(
        &self,
        site: SiteId,
        code: &str,
        name: &str,
        role: StaffRole,
    ) -> Result<StaffId> {
        let mut w = self.write().await?;
        let id = w
            .scalar(
                Sql::new(
                    "INSERT INTO staff (site_id, code, name, role) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (site_id, code) DO UPDATE SET name = excluded.name, \
                     role = excluded.role RETURNING id",
                )
                .bind(site)
                .bind(code)
                .bind(name)
                .bind(role),
            )
            .await?;
        self.commit(w).await?;
        Ok(id)
    }

    #[tracing::instrument(skip_all)]
    pub async fn staff_by_code(&self, site: SiteId, code: &str) -> Result<StaffId> {
        self.read()
            .await?
            .scalar_optional(
                Sql::new("SELECT id FROM staff WHERE site_id = $1 AND code = $2")
                    .bind(site)
                    .bind(code),
            )
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("staff member {code:?}")))
    }

    /// How many staff the site has (none: the first start runs the set-up).
    #[tracing::instrument(skip_all, err)]
    pub async fn staff_count(&self, site: SiteId) -> Result<i64> {
        self.read()
            .await?
            .scalar(Sql::new("SELECT COUNT(*) FROM staff WHERE site_id = $1").bind(site))
            .await
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn staff_auth(&self, site: SiteId, code: &str) -> Result<Option<StaffAuth>> {
        let row: Option<StaffAuthRow> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new(
                    "SELECT id, code, name, role, pin_hash, \
                     CAST(failed_attempts AS BIGINT) AS failed_attempts, locked_until \
                     FROM staff WHERE site_id = $1 AND code = $2 AND active = TRUE",
                )
                .bind(site)
                .bind(code),
            )
            .await?;
        Ok(row.map(|r| StaffAuth {
            id: r.id,
            code: r.code,
            name: r.name,
            role: r.role.0,
            pin_hash: r.pin_hash,
            failed_attempts: r.failed_attempts,
            locked_until: r.locked_until,
        }))
    }

    /// Sets the PIN hash and clears any lock-out.
    #[tracing::instrument(skip_all, err)]
    pub async fn set_pin_hash(&self, staff: StaffId, hash: &str) -> Result<()> {
        let mut w = self.write().await?;
        w.execute(
            Sql::new(
                "UPDATE staff SET pin_hash = $1, failed_attempts = 0, locked_until = NULL \
                 WHERE id = $2",
            )
            .bind(hash)
            .bind(staff),
        )
        .await?;
        self.commit(w).await
    }

    /// Counts a failed sign-in at window `window` (a number; `None`: no window) and audits it;
    /// `lock_until` is stored when the caller decides to lock. Returns the failures counted so
    /// far.
    #[tracing::instrument(skip_all, err)]
    pub async fn sign_in_failed(
        &self,
        staff: StaffId,
        window: Option<i64>,
        lock_until: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let mut w = self.write().await?;
        let n: i64 = w
            .scalar(
                Sql::new(
                    "UPDATE staff SET failed_attempts = failed_attempts + 1, locked_until = $1 \
                     WHERE id = $2 RETURNING CAST(failed_attempts AS BIGINT)",
                )
                .bind(lock_until)
                .bind(staff),
            )
            .await?;
        let window = window_of(&mut w, staff, window).await?;
        w.audit(&AuditRecord {
            at,
            staff: Some(staff),
            window,
            case: None,
            ticket: None,
            event: AuditEvent::SignInFailed {
                failed_attempts: n,
                locked_until: lock_until.map(super::db::micros),
            },
        })
        .await?;
        self.commit(w).await?;
        Ok(n)
    }

    /// Clears the failure count and records the sign-in at window `window` (a number; `None`:
    /// the supervisor's console) in the audit log.
    #[tracing::instrument(skip_all, err)]
    pub async fn signed_in(
        &self,
        staff: StaffId,
        window: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        w.execute(
            Sql::new("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
                .bind(staff),
        )
        .await?;
        let window_id = window_of(&mut w, staff, window).await?;
        w.audit(&AuditRecord {
            at,
            staff: Some(staff),
            window: window_id,
            case: None,
            ticket: None,
            event: AuditEvent::SignedIn { window },
        })
        .await?;
        self.commit(w).await
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn staff_login(&self, site: SiteId, code: &str) -> Result<Option<StaffLogin>> {
        let row: Option<(StaffId, Text<StaffRole>, bool, bool)> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new(
                    "SELECT id, role, active, pin_hash IS NOT NULL FROM staff \
                     WHERE site_id = $1 AND code = $2",
                )
                .bind(site)
                .bind(code),
            )
            .await?;
        Ok(row.map(|(id, role, active, has_pin)| StaffLogin {
            id,
            role: role.0,
            active,
            has_pin,
        }))
    }

    /// Staff numbers by id (the dashboard shows numbers, not names).
    #[tracing::instrument(skip_all, err)]
    pub async fn staff_codes(&self, site: SiteId) -> Result<HashMap<StaffId, String>> {
        let rows: Vec<(StaffId, String)> = self
            .read()
            .await?
            .fetch_all(Sql::new("SELECT id, code FROM staff WHERE site_id = $1").bind(site))
            .await?;
        Ok(rows.into_iter().collect())
    }
}
