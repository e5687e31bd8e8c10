//! Signing in: one check for a kiosk window, the supervisor's console and every command, and the
//! one lock-out policy.

use super::Services;
use super::error::{AppError, AppResult};
use super::pin;
use super::types::Staff;
use crate::domain::{StaffNo, WindowNo, china_time};
use crate::storage::{SiteId, StaffId, Store};
use chrono::{DateTime, Duration, FixedOffset, Utc};

/// Wrong PINs in a row before a staff number is locked.
pub const MAX_PIN_FAILURES: u32 = 5;
/// How long a lock lasts.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Who a sign-in let in: the staff member as the screens show them, and their id for audit entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: StaffId,
    pub staff: Staff,
}

/// Checks a PIN against its Argon2 hash, counts failures in the database and locks the number for
/// [`LOCKOUT_MINUTES`] after [`MAX_PIN_FAILURES`]; a success is audited. An unknown number fails
/// like a wrong PIN, so numbers cannot be probed. The role is not checked here: what a role may
/// do is the caller's business. `window` is the window number signed in at, if any.
pub async fn sign_in(
    store: &Store,
    site: SiteId,
    staff: &StaffNo,
    pin: String,
    window: Option<i64>,
    at: DateTime<FixedOffset>,
) -> AppResult<SignedIn> {
    let at_utc = at.with_timezone(&Utc);
    let Some(auth) = store.staff_auth(site, staff.as_str()).await? else {
        return Err(AppError::BadCredentials {
            attempts_left: MAX_PIN_FAILURES,
        });
    };
    if let Some(until) = auth.locked_until
        && at_utc < until
    {
        return Err(AppError::LockedOut {
            until: until.with_timezone(&china_time()),
        });
    }
    let hash = auth.pin_hash.clone().unwrap_or_default();
    // Argon2 is deliberately slow; keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || pin::matches(&pin, &hash))
        .await
        .map_err(|e| AppError::Other(e.to_string()))?;
    if ok {
        store.signed_in(auth.id, window, at_utc).await?;
        return Ok(SignedIn {
            id: auth.id,
            staff: Staff {
                number: StaffNo(auth.code),
                name: auth.name,
                role: auth.role,
            },
        });
    }
    // A lock that ran out starts a fresh count.
    let before = if auth.locked_until.is_some() {
        0
    } else {
        auth.failed_attempts
    };
    let lock = (before + 1 >= i64::from(MAX_PIN_FAILURES))
        .then(|| at_utc + Duration::minutes(LOCKOUT_MINUTES));
    if auth.locked_until.is_some() {
        store
            .set_pin_hash(auth.id, auth.pin_hash.as_deref().unwrap_or_default())
            .await?;
    }
    let n = store.sign_in_failed(auth.id, window, lock, at_utc).await?;
    match lock {
        Some(until) => Err(AppError::LockedOut {
            until: until.with_timezone(&china_time()),
        }),
        None => Err(AppError::BadCredentials {
            attempts_left: MAX_PIN_FAILURES.saturating_sub(u32::try_from(n).unwrap_or(u32::MAX)),
        }),
    }
}

impl Services {
    /// Signs a staff member in at a window (its number), or at no window (the supervisor's
    /// console, a command).
    pub async fn sign_in(
        &self,
        staff: &StaffNo,
        pin: String,
        window: Option<WindowNo>,
        at: DateTime<FixedOffset>,
    ) -> AppResult<SignedIn> {
        let site = self.site()?;
        sign_in(
            self.store(),
            site.id,
            staff,
            pin,
            window.map(|w| i64::from(w.0)),
            at,
        )
        .await
    }
}

/// A PIN's stored form (Argon2id), computed off the async workers.
pub async fn hash_pin(pin: String) -> AppResult<String> {
    pin::check_format(&pin).map_err(AppError::Invalid)?;
    tokio::task::spawn_blocking(move || pin::hash(&pin))
        .await
        .map_err(|e| AppError::Other(e.to_string()))?
        .map_err(AppError::Other)
}
