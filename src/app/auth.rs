//! Signing in: one check for a kiosk window, the supervisor's console and every command, and the
//! one lock-out policy.

use super::Services;
use super::error::{AppError, AppResult};
use super::pin;
use super::types::Staff;
use crate::domain::{StaffNo, StaffRole, WindowNo, china_time};
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

/// Whether a staff member of role `have` may act where `need` is asked: a supervisor may do
/// everything a clerk may.
pub fn role_allows(have: StaffRole, need: StaffRole) -> bool {
    have == StaffRole::Supervisor || have == need
}

/// A PIN hash no PIN matches, checked for an unknown number so that it costs the same work as a
/// known one (same Argon2id parameters as [`pin::hash`]).
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| pin::hash("00000000").unwrap_or_default())
}

/// The one sign-in. The attempt is counted before the PIN is checked, in one atomic statement
/// (`Store::count_sign_in_attempt`), so parallel attempts get at most [`MAX_PIN_FAILURES`]
/// checks per lock; a locked number is refused without a check and the refusal audited; a lock
/// is never cleared here (only its expiry or a supervisor's unlock ends it). An unknown number,
/// a deactivated one, and a staff member whose role is short of `need` (a clerk on the
/// supervisor's console) are all answered exactly like a wrong PIN, after the same hash work.
/// `window` is the window number signed in at, if any.
pub async fn sign_in(
    store: &Store,
    site: SiteId,
    staff: &StaffNo,
    pin: String,
    window: Option<i64>,
    need: StaffRole,
    at: DateTime<FixedOffset>,
) -> AppResult<SignedIn> {
    let at_utc = at.with_timezone(&Utc);
    let code = staff.as_str();
    let max = i64::from(MAX_PIN_FAILURES);
    let lock = at_utc + Duration::minutes(LOCKOUT_MINUTES);
    let counted = store
        .count_sign_in_attempt(site, code, max, lock, at_utc)
        .await?;
    let auth = store.staff_auth(site, code).await?;
    let id = auth.as_ref().map(|a| a.id);
    if let Some(until) = counted.locked_until {
        store
            .sign_in_while_locked(site, code, id, window, until, at_utc)
            .await?;
        return Err(locked(until));
    }
    let hash = auth
        .as_ref()
        .and_then(|a| a.pin_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    // Argon2 is deliberately slow; keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || pin::matches(&pin, &hash))
        .await
        .map_err(|e| AppError::Other(e.to_string()))?;
    match auth {
        Some(auth) if ok && role_allows(auth.role, need) => {
            if let Some(until) = store.signed_in(site, code, auth.id, window, at_utc).await? {
                // Parallel attempts locked the number while this PIN was checked: the lock holds.
                store
                    .sign_in_while_locked(site, code, Some(auth.id), window, until, at_utc)
                    .await?;
                return Err(locked(until));
            }
            Ok(SignedIn {
                id: auth.id,
                staff: Staff {
                    number: StaffNo(auth.code),
                    name: auth.name,
                    role: auth.role,
                },
            })
        }
        _ => {
            let n = store
                .sign_in_failed(site, code, id, window, max, lock, at_utc)
                .await?;
            match n.locked_until {
                Some(until) => Err(locked(until)),
                None => Err(AppError::BadCredentials {
                    attempts_left: MAX_PIN_FAILURES
                        .saturating_sub(u32::try_from(n.attempts).unwrap_or(u32::MAX)),
                }),
            }
        }
    }
}

fn locked(until: DateTime<Utc>) -> AppError {
    AppError::LockedOut {
        until: until.with_timezone(&china_time()),
    }
}

impl Services {
    /// Signs a staff member in at a window (its number), or at no window (the supervisor's
    /// console, a command), as someone whose role is at least `need`.
    pub async fn sign_in(
        &self,
        staff: &StaffNo,
        pin: String,
        window: Option<WindowNo>,
        need: StaffRole,
        at: DateTime<FixedOffset>,
    ) -> AppResult<SignedIn> {
        let site = self.site()?;
        sign_in(
            self.store(),
            site.id,
            staff,
            pin,
            window.map(|w| i64::from(w.0)),
            need,
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
