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
}

/// The sign-in attempts counted for a staff number since its last success, and its lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignInAttempts {
    pub attempts: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct StaffAuthRow {
    id: StaffId,
    code: String,
    name: String,
    role: Text<StaffRole>,
    pin_hash: Option<String>,
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

/// The site's window numbered `number`, if it exists.
async fn window_of(c: &mut Conn, site: SiteId, number: Option<i64>) -> Result<Option<WindowId>> {
    let Some(number) = number else {
        return Ok(None);
    };
    c.scalar_optional(
        Sql::new("SELECT id FROM windows WHERE site_id = $1 AND number = $2")
            .bind(site)
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

    /// Creates the site's first staff member, with their PIN hash, only while the site has no
    /// staff: one transaction that first locks the site's row (SQLite's writer already holds
    /// the database), so of parallel first-supervisor attempts on an empty database exactly one
    /// creates a member and the others find it there. `None`: the site had staff already.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_first_staff(
        &self,
        site: SiteId,
        code: &str,
        name: &str,
        role: StaffRole,
        pin_hash: &str,
    ) -> Result<Option<StaffId>> {
        let mut w = self.write().await?;
        w.execute(Sql::new("UPDATE sites SET name = name WHERE id = $1").bind(site))
            .await?;
        let staff: i64 = w
            .scalar(Sql::new("SELECT COUNT(*) FROM staff WHERE site_id = $1").bind(site))
            .await?;
        if staff > 0 {
            return Ok(None);
        }
        let id = w
            .scalar(
                Sql::new(
                    "INSERT INTO staff (site_id, code, name, role, pin_hash) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(site)
                .bind(code)
                .bind(name)
                .bind(role)
                .bind(pin_hash),
            )
            .await?;
        self.commit(w).await?;
        Ok(Some(id))
    }

    /// Deactivates (`false`) or reactivates a staff member.
    #[tracing::instrument(skip_all, err)]
    pub async fn set_staff_active(&self, staff: StaffId, active: bool) -> Result<()> {
        let mut w = self.write().await?;
        w.execute(
            Sql::new("UPDATE staff SET active = $1 WHERE id = $2")
                .bind(active)
                .bind(staff),
        )
        .await?;
        self.commit(w).await
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

    /// How many active supervisors the site has.
    #[tracing::instrument(skip_all, err)]
    pub async fn active_supervisors(&self, site: SiteId) -> Result<i64> {
        self.read()
            .await?
            .scalar(
                Sql::new(
                    "SELECT COUNT(*) FROM staff WHERE site_id = $1 AND role = 'supervisor' \
                     AND active = TRUE",
                )
                .bind(site),
            )
            .await
    }

    /// How many staff the site has (none: the first start runs the set-up).
    #[tracing::instrument(skip_all, err)]
    pub async fn staff_count(&self, site: SiteId) -> Result<i64> {
        self.read()
            .await?
            .scalar(Sql::new("SELECT COUNT(*) FROM staff WHERE site_id = $1").bind(site))
            .await
    }

    /// The active staff member numbered `code`, as a sign-in checks them (a deactivated one
    /// is not found, so they cannot sign in anywhere).
    #[tracing::instrument(skip_all, err)]
    pub async fn staff_auth(&self, site: SiteId, code: &str) -> Result<Option<StaffAuth>> {
        self.staff_member(site, code, true).await
    }

    /// A staff member by number, active or not (for changing them).
    #[tracing::instrument(skip_all, err)]
    pub async fn staff_auth_any(&self, site: SiteId, code: &str) -> Result<Option<StaffAuth>> {
        self.staff_member(site, code, false).await
    }

    /// The one lookup behind both: `active_only` decides whether a deactivated member is found.
    async fn staff_member(
        &self,
        site: SiteId,
        code: &str,
        active_only: bool,
    ) -> Result<Option<StaffAuth>> {
        let row: Option<StaffAuthRow> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new(
                    "SELECT id, code, name, role, pin_hash FROM staff \
                     WHERE site_id = $1 AND code = $2 AND (active OR NOT $3)",
                )
                .bind(site)
                .bind(code)
                .bind(active_only),
            )
            .await?;
        Ok(row.map(|r| StaffAuth {
            id: r.id,
            code: r.code,
            name: r.name,
            role: r.role.0,
            pin_hash: r.pin_hash,
        }))
    }

    /// Sets the PIN hash. It does not touch a lock-out: only its expiry or an audited
    /// [`Store::unlock_sign_in`] ends one.
    #[tracing::instrument(skip_all, err)]
    pub async fn set_pin_hash(&self, staff: StaffId, hash: &str) -> Result<()> {
        let mut w = self.write().await?;
        w.execute(
            Sql::new("UPDATE staff SET pin_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(staff),
        )
        .await?;
        self.commit(w).await
    }

    /// Counts a sign-in attempt for the number `code` (known or not) before its PIN is checked,
    /// in one atomic statement, so parallel attempts cannot all see the same count: a lock that
    /// ran out starts a fresh count; a number still locked keeps its lock and count; the attempt
    /// past `max` locks the number until `lock_until`. What it gives back decides whether the
    /// PIN is checked at all.
    #[tracing::instrument(skip_all, err)]
    pub async fn count_sign_in_attempt(
        &self,
        site: SiteId,
        code: &str,
        max: i64,
        lock_until: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<SignInAttempts> {
        let mut w = self.write().await?;
        // Rows that no longer matter go first, so the table cannot grow without bound: no lock
        // in force, and no attempt within the lock-out period (or a count already spent). A
        // lock in force is never pruned; a count of wrong PINs is forgotten only after a quiet
        // lock-out period, which allows fewer checks than the lock-out itself.
        let quiet_since = at - (lock_until - at);
        w.execute(
            Sql::new(
                "DELETE FROM sign_in_attempts WHERE site_id = $1 \
                 AND (locked_until IS NULL OR locked_until <= $2) \
                 AND (attempts = 0 OR locked_until IS NOT NULL OR last_attempt_at <= $3)",
            )
            .bind(site)
            .bind(at)
            .bind(quiet_since),
        )
        .await?;
        let (attempts, locked_until): (i64, Option<DateTime<Utc>>) = w
            .fetch_one(
                Sql::new(
                    "INSERT INTO sign_in_attempts AS a \
                     (site_id, code, attempts, locked_until, last_attempt_at) \
                     VALUES ($1, $2, 1, NULL, $3) \
                     ON CONFLICT (site_id, code) DO UPDATE SET last_attempt_at = $3, \
                     attempts = CASE WHEN a.locked_until IS NULL THEN a.attempts + 1 \
                       WHEN a.locked_until <= $3 THEN 1 ELSE a.attempts END, \
                     locked_until = CASE WHEN a.locked_until IS NULL THEN \
                       (CASE WHEN a.attempts + 1 > $4 THEN $5 ELSE NULL END) \
                       WHEN a.locked_until <= $3 THEN NULL ELSE a.locked_until END \
                     RETURNING CAST(attempts AS BIGINT), locked_until",
                )
                .bind(site)
                .bind(code)
                .bind(at)
                .bind(max)
                .bind(lock_until),
            )
            .await?;
        self.commit(w).await?;
        Ok(SignInAttempts {
            attempts,
            locked_until,
        })
    }

    /// The attempts counted for `code` and its lock, as stored (none: never tried).
    #[tracing::instrument(skip_all, err)]
    pub async fn sign_in_attempts(&self, site: SiteId, code: &str) -> Result<SignInAttempts> {
        let row: Option<(i64, Option<DateTime<Utc>>)> = self
            .read()
            .await?
            .fetch_optional(
                Sql::new(
                    "SELECT CAST(attempts AS BIGINT), locked_until FROM sign_in_attempts \
                     WHERE site_id = $1 AND code = $2",
                )
                .bind(site)
                .bind(code),
            )
            .await?;
        Ok(row
            .map(|(attempts, locked_until)| SignInAttempts {
                attempts,
                locked_until,
            })
            .unwrap_or_default())
    }

    /// A PIN was wrong (or the number unknown, or its role not enough): once `max` attempts are
    /// counted the number is locked until `lock_until`, unless a lock is already in force, which
    /// is kept as it is. Audited; `staff` is `None` for an unknown number.
    #[tracing::instrument(skip_all, err)]
    #[allow(clippy::too_many_arguments)]
    pub async fn sign_in_failed(
        &self,
        site: SiteId,
        code: &str,
        staff: Option<StaffId>,
        window: Option<i64>,
        max: i64,
        lock_until: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<SignInAttempts> {
        let mut w = self.write().await?;
        let (attempts, locked_until): (i64, Option<DateTime<Utc>>) = w
            .fetch_one(
                Sql::new(
                    "UPDATE sign_in_attempts SET locked_until = CASE \
                     WHEN locked_until IS NULL AND attempts >= $3 THEN $4 \
                     ELSE locked_until END \
                     WHERE site_id = $1 AND code = $2 \
                     RETURNING CAST(attempts AS BIGINT), locked_until",
                )
                .bind(site)
                .bind(code)
                .bind(max)
                .bind(lock_until),
            )
            .await?;
        let window = window_of(&mut w, site, window).await?;
        w.audit(&AuditRecord {
            at,
            staff,
            window,
            case: None,
            ticket: None,
            event: AuditEvent::SignInFailed {
                failed_attempts: attempts,
                locked_until: locked_until.map(super::db::micros),
                staff_no: staff.is_none().then(|| code.to_string()),
            },
        })
        .await?;
        self.commit(w).await?;
        Ok(SignInAttempts {
            attempts,
            locked_until,
        })
    }

    /// An attempt on a locked number, refused without checking its PIN; audited.
    #[tracing::instrument(skip_all, err)]
    pub async fn sign_in_while_locked(
        &self,
        site: SiteId,
        code: &str,
        staff: Option<StaffId>,
        window: Option<i64>,
        locked_until: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        let window = window_of(&mut w, site, window).await?;
        w.audit(&AuditRecord {
            at,
            staff,
            window,
            case: None,
            ticket: None,
            event: AuditEvent::SignInWhileLocked {
                locked_until: super::db::micros(locked_until),
                staff_no: staff.is_none().then(|| code.to_string()),
            },
        })
        .await?;
        self.commit(w).await
    }

    /// The right PIN: the count starts again and the sign-in at window `window` (a number;
    /// `None`: the supervisor's console, a command) is audited — unless a lock was set while the
    /// PIN was being checked (parallel attempts), which stands: then its end comes back and
    /// nothing is changed.
    #[tracing::instrument(skip_all, err)]
    pub async fn signed_in(
        &self,
        site: SiteId,
        code: &str,
        staff: StaffId,
        window: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        let mut w = self.write().await?;
        let reset = w
            .execute(
                Sql::new(
                    "UPDATE sign_in_attempts SET attempts = 0 \
                     WHERE site_id = $1 AND code = $2 AND locked_until IS NULL",
                )
                .bind(site)
                .bind(code),
            )
            .await?;
        if reset == 0 {
            let until: Option<DateTime<Utc>> = w
                .scalar_optional(
                    Sql::new(
                        "SELECT locked_until FROM sign_in_attempts \
                         WHERE site_id = $1 AND code = $2",
                    )
                    .bind(site)
                    .bind(code),
                )
                .await?
                .flatten();
            if let Some(until) = until {
                return Ok(Some(until));
            }
        }
        let window_id = window_of(&mut w, site, window).await?;
        w.audit(&AuditRecord {
            at,
            staff: Some(staff),
            window: window_id,
            case: None,
            ticket: None,
            event: AuditEvent::SignedIn { window },
        })
        .await?;
        self.commit(w).await?;
        Ok(None)
    }

    /// A supervisor ends a lock-out before its time (`db staff CODE --unlock`); audited. Returns
    /// whether a lock was in force.
    #[tracing::instrument(skip_all, err)]
    pub async fn unlock_sign_in(
        &self,
        site: SiteId,
        code: &str,
        by: StaffId,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let mut w = self.write().await?;
        let was: Option<DateTime<Utc>> = w
            .scalar_optional(
                Sql::new(
                    "SELECT locked_until FROM sign_in_attempts \
                     WHERE site_id = $1 AND code = $2 AND locked_until > $3",
                )
                .bind(site)
                .bind(code)
                .bind(at),
            )
            .await?
            .flatten();
        w.execute(
            Sql::new(
                "UPDATE sign_in_attempts SET attempts = 0, locked_until = NULL \
                 WHERE site_id = $1 AND code = $2",
            )
            .bind(site)
            .bind(code),
        )
        .await?;
        w.audit(&AuditRecord {
            at,
            staff: Some(by),
            window: None,
            case: None,
            ticket: None,
            event: AuditEvent::StaffUnlocked {
                staff_no: code.to_string(),
                locked_until: was.map(super::db::micros),
            },
        })
        .await?;
        self.commit(w).await?;
        Ok(was.is_some())
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
