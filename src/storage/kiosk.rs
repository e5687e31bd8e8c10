//! What the window kiosk needs beyond the queue operations: staff sign-in with a PIN hash and a
//! lock-out shared by every window, case search, and a case by its id. Same SQL on both backends
//! except the JSON path of the phone number.

use super::types::{CaseId, CaseRecord, SiteId, StaffId, StaffRole};
use super::{AnyStorage, Result};
use chrono::{DateTime, Utc};
use std::future::Future;

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

pub trait KioskStore: Send + Sync {
    /// The codes of every site in the database.
    fn site_codes(&self) -> impl Future<Output = Result<Vec<String>>> + Send;
    /// How many staff the site has (none: the first start runs the set-up).
    fn staff_count(&self, site: SiteId) -> impl Future<Output = Result<i64>> + Send;
    fn staff_auth(
        &self,
        site: SiteId,
        code: &str,
    ) -> impl Future<Output = Result<Option<StaffAuth>>> + Send;
    fn set_pin_hash(&self, staff: StaffId, hash: &str) -> impl Future<Output = Result<()>> + Send;
    /// Counts a failed sign-in; `lock_until` is stored when the caller decides to lock.
    /// Returns the failures counted so far.
    fn sign_in_failed(
        &self,
        staff: StaffId,
        lock_until: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<i64>> + Send;
    /// Clears the failure count and records the sign-in in the audit log.
    fn signed_in(
        &self,
        staff: StaffId,
        window: Option<i64>,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Cases whose number is `query`, whose applicant's phone is `query`, or whose applicant's
    /// name contains it; newest first.
    fn search_cases(
        &self,
        site: SiteId,
        query: &str,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<CaseRecord>>> + Send;
    fn case_by_id(&self, id: CaseId) -> impl Future<Output = Result<CaseRecord>> + Send;
}

/// `LIKE` pattern for "contains", with the wildcards in the text escaped.
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

macro_rules! impl_kiosk_store {
    ($ty:ty, $phone_sql:expr) => {
        impl $crate::storage::kiosk::KioskStore for $ty {
            async fn site_codes(&self) -> $crate::storage::Result<Vec<String>> {
                Ok(sqlx::query_scalar("SELECT code FROM sites ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn staff_count(&self, site: $crate::storage::types::SiteId) -> $crate::storage::Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE site_id = $1")
                    .bind(site)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn staff_auth(
                &self,
                site: $crate::storage::types::SiteId,
                code: &str,
            ) -> $crate::storage::Result<Option<$crate::storage::kiosk::StaffAuth>> {
                type Row = (
                    $crate::storage::types::StaffId,
                    String,
                    String,
                    String,
                    Option<String>,
                    i64,
                    Option<chrono::DateTime<chrono::Utc>>,
                );
                let row: Option<Row> = sqlx::query_as(
                    "SELECT id, code, name, role, pin_hash, CAST(failed_attempts AS BIGINT), locked_until \
                     FROM staff WHERE site_id = $1 AND code = $2 AND active = TRUE",
                )
                .bind(site)
                .bind(code)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(id, code, name, role, pin_hash, failed_attempts, locked_until)| {
                    let role = role
                        .parse()
                        .map_err(|_| $crate::storage::StorageError::Corrupt(format!("staff role {role:?}")))?;
                    Ok($crate::storage::kiosk::StaffAuth { id, code, name, role, pin_hash, failed_attempts, locked_until })
                })
                .transpose()
            }

            async fn set_pin_hash(&self, staff: $crate::storage::types::StaffId, hash: &str) -> $crate::storage::Result<()> {
                sqlx::query("UPDATE staff SET pin_hash = $1, failed_attempts = 0, locked_until = NULL WHERE id = $2")
                    .bind(hash)
                    .bind(staff)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn sign_in_failed(
                &self,
                staff: $crate::storage::types::StaffId,
                lock_until: Option<chrono::DateTime<chrono::Utc>>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<i64> {
                let mut tx = self.pool.begin().await?;
                let n: i64 = sqlx::query_scalar(
                    "UPDATE staff SET failed_attempts = failed_attempts + 1, locked_until = $1 \
                     WHERE id = $2 RETURNING CAST(failed_attempts AS BIGINT)",
                )
                .bind(lock_until)
                .bind(staff)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO audit_log (at, staff_id, window_id, action, case_id, ticket_id, details) \
                     VALUES ($1, $2, NULL, 'sign_in_failed', NULL, NULL, $3)",
                )
                .bind(at)
                .bind(staff)
                .bind(sqlx::types::Json(serde_json::json!({ "failed_attempts": n, "locked_until": lock_until })))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(n)
            }

            async fn signed_in(
                &self,
                staff: $crate::storage::types::StaffId,
                window: Option<i64>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::Result<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
                    .bind(staff)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO audit_log (at, staff_id, window_id, action, case_id, ticket_id, details) \
                     VALUES ($1, $2, NULL, 'sign_in', NULL, NULL, $3)",
                )
                .bind(at)
                .bind(staff)
                .bind(sqlx::types::Json(serde_json::json!({ "window": window })))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn search_cases(
                &self,
                site: $crate::storage::types::SiteId,
                query: &str,
                limit: i64,
            ) -> $crate::storage::Result<Vec<$crate::storage::types::CaseRecord>> {
                let q = query.trim();
                let rows: Vec<$crate::storage::shared::CaseRow> = sqlx::query_as(concat!(
                    $crate::storage::shared::case_select!(),
                    " WHERE site_id = $1 AND (case_no = $2 OR ",
                    $phone_sql,
                    " = $2 OR applicant_name LIKE $3 ESCAPE '\\') ORDER BY created_at DESC, id DESC LIMIT $4"
                ))
                .bind(site)
                .bind(q)
                .bind($crate::storage::kiosk::contains_pattern(q))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn case_by_id(&self, id: $crate::storage::types::CaseId) -> $crate::storage::Result<$crate::storage::types::CaseRecord> {
                let row: Option<$crate::storage::shared::CaseRow> =
                    sqlx::query_as(concat!($crate::storage::shared::case_select!(), " WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.ok_or_else(|| $crate::storage::StorageError::NotFound(format!("case #{id}")))?
                    .try_into()
            }
        }
    };
}
pub(crate) use impl_kiosk_store;

macro_rules! delegate {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyStorage::Sqlite($s) => $call.await,
            AnyStorage::Postgres($s) => $call.await,
        }
    };
}

impl KioskStore for AnyStorage {
    async fn site_codes(&self) -> Result<Vec<String>> {
        delegate!(self, s => s.site_codes())
    }
    async fn staff_count(&self, site: SiteId) -> Result<i64> {
        delegate!(self, s => s.staff_count(site))
    }
    async fn staff_auth(&self, site: SiteId, code: &str) -> Result<Option<StaffAuth>> {
        delegate!(self, s => s.staff_auth(site, code))
    }
    async fn set_pin_hash(&self, staff: StaffId, hash: &str) -> Result<()> {
        delegate!(self, s => s.set_pin_hash(staff, hash))
    }
    async fn sign_in_failed(
        &self,
        staff: StaffId,
        lock_until: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        delegate!(self, s => s.sign_in_failed(staff, lock_until, at))
    }
    async fn signed_in(
        &self,
        staff: StaffId,
        window: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        delegate!(self, s => s.signed_in(staff, window, at))
    }
    async fn search_cases(&self, site: SiteId, query: &str, limit: i64) -> Result<Vec<CaseRecord>> {
        delegate!(self, s => s.search_cases(site, query, limit))
    }
    async fn case_by_id(&self, id: CaseId) -> Result<CaseRecord> {
        delegate!(self, s => s.case_by_id(id))
    }
}
