//! Signing in: one check for a kiosk window, the supervisor's console and every command, and the
//! one lock-out policy.

use super::error::{AppError, AppResult};
use super::pin;
use super::types::Staff;
use super::{Acting, Services};
use crate::domain::audit::AuditEvent;
use crate::domain::codes::codes;
use crate::domain::{StaffNo, StaffRole, WindowNo, china_time};
use crate::storage::{SiteId, StaffId, Store};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// Wrong PINs in a row before a staff number is locked.
pub const MAX_PIN_FAILURES: u32 = 5;
/// How long a lock lasts.
pub const LOCKOUT_MINUTES: i64 = 15;

codes! {
    /// What an operation asks of the staff member performing it. The kiosk, the supervisor's
    /// console and every command check these through [`Services::authorize`] /
    /// [`Services::sign_in`]; which roles hold each is the one table [`Permission::held_by`].
    pub enum Permission {
        Register = "register", "登记案件", "Register cases";
        WorkQueue = "work_queue", "办理窗口排队", "Work a window's queue";
        ReadMasked = "read_masked", "查看案件（遮蔽）", "Read cases, masked";
        Print = "print", "打印与重印", "Print and reprint";
        ReadUnmasked = "read_unmasked", "查看完整个人信息", "Read personal data in full";
        ReadAudit = "read_audit", "查看访问记录", "Read the audit log";
        ManageStaff = "manage_staff", "管理工作人员", "Manage staff";
        ManageSite = "manage_site", "管理窗口与站点", "Manage windows and the site";
        Reports = "reports", "统计报表", "Reports";
        FollowUp = "follow_up", "回访", "Follow-up calls";
        ManageData = "manage_data", "备份、恢复与清理", "Back up, restore and purge";
        Dashboard = "dashboard", "值班负责人看板", "The supervisor's dashboard";
    }
}

impl Permission {
    /// Whether staff of `role` hold this permission: the one table of who may do what. Roles
    /// are not ranked; each names what it holds. A clerk registers, works the queue, reads
    /// cases masked and prints. A follow-up caller reads cases masked and makes the follow-up
    /// calls, whose operations show the phone in full and audit each read (purpose
    /// `follow_up`); no queue, printer, full personal data, report or screen. A supervisor
    /// holds everything.
    pub fn held_by(self, role: StaffRole) -> bool {
        use Permission as P;
        match role {
            StaffRole::Supervisor => true,
            StaffRole::Clerk => {
                matches!(self, P::Register | P::WorkQueue | P::ReadMasked | P::Print)
            }
            StaffRole::FollowUp => matches!(self, P::FollowUp | P::ReadMasked),
        }
    }

    /// The roles holding this permission, for a refusal that says who may.
    pub fn holders(self) -> Vec<StaffRole> {
        StaffRole::ALL
            .iter()
            .copied()
            .filter(|r| self.held_by(*r))
            .collect()
    }
}

/// Whether staff of `role` have a screen to sign in at: the kiosk (a window's queue) or the
/// supervisor's dashboard. A follow-up caller has none; they work with `onewindow followup`.
pub fn has_a_screen(role: StaffRole) -> bool {
    Permission::WorkQueue.held_by(role) || Permission::Dashboard.held_by(role)
}

/// Who a sign-in let in: the staff member as the screens show them, and their id for audit entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: StaffId,
    pub staff: Staff,
}

/// A PIN hash checked for an unknown number, so that it costs the same work as a known one: the
/// same Argon2id parameters as [`pin::hash`] (a test keeps them equal), a random salt, and a PIN
/// of 8 zeros, which the sign-in never lets through for an unknown number anyway.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$a2DPXT4r2S3xHtm/GMRN+Q$TzArvQwejdR19PLi+ZG7R5RIkXi+o6HJVv/YMV2cljI";

fn dummy_hash() -> &'static str {
    DUMMY_HASH
}

/// The one sign-in. The attempt is counted before the PIN is checked, in one atomic statement
/// (`Store::count_sign_in_attempt`), so parallel attempts get at most [`MAX_PIN_FAILURES`]
/// checks per lock; a locked number is refused without a check and the refusal audited; a lock
/// is never cleared here (only its expiry or a supervisor's unlock ends it). An unknown number,
/// a deactivated one, and a staff member whose role `admits` refuses (a clerk on the
/// supervisor's console) are all answered exactly like a wrong PIN, after the same hash work.
/// `window` is the window number signed in at, if any.
pub async fn sign_in(
    store: &Store,
    site: SiteId,
    staff: &StaffNo,
    pin: String,
    window: Option<i64>,
    admits: impl Fn(StaffRole) -> bool,
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
    let own = auth.as_ref().and_then(|a| a.pin_hash.clone());
    // A staff member without a PIN is checked against the dummy too, and never let in by it.
    let has_pin = own.is_some();
    let hash = own.unwrap_or_else(|| dummy_hash().to_string());
    // Argon2 is deliberately slow; keep it off the async workers. Always run, for the same work.
    let matched = tokio::task::spawn_blocking(move || pin::matches(&pin, &hash))
        .await
        .map_err(|e| AppError::Other(e.to_string()))?;
    let ok = has_pin && matched;
    match auth {
        Some(auth) if ok && admits(auth.role) => {
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
    /// Signs in the staff member a command names and checks they may do `operation` (its name
    /// as typed, for the audit log): nobody named, a wrong PIN and a role not holding `need` are
    /// refused and audited. The sign-in itself is [`sign_in`], with its lock-out.
    pub async fn authorize(
        &self,
        staff: Option<&StaffNo>,
        pin: Option<String>,
        need: Permission,
        operation: &str,
        at: DateTime<FixedOffset>,
    ) -> AppResult<Acting> {
        let (Some(staff), Some(pin)) = (staff, pin) else {
            self.refused(None, need, operation, at).await?;
            return Err(AppError::NotSignedIn);
        };
        // Any staff member signs in here; what they may do is checked next, so that a refusal
        // says why (and is audited) instead of looking like a wrong PIN.
        let who = sign_in(
            self.store(),
            self.site()?.id,
            staff,
            pin,
            None,
            |_| true,
            at,
        )
        .await?;
        if !need.held_by(who.staff.role) {
            self.refused(Some((who.id, staff)), need, operation, at)
                .await?;
            return Err(AppError::Forbidden);
        }
        Ok(Acting {
            staff: Some((who.id, who.staff.number)),
            window: None,
        })
    }

    /// A clerk works the queue of their own window only: the one they are signed in at (a live
    /// session at its kiosk). Supervisors may act at any window. A refusal is audited.
    pub async fn may_work_window(
        &self,
        by: &Acting,
        window: WindowNo,
        operation: &str,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let site = self.site()?;
        let Some((id, no)) = &by.staff else {
            return Err(AppError::NotSignedIn);
        };
        if self.is_supervisor(no).await? {
            return Ok(());
        }
        let here = self
            .store()
            .live_sessions(site.id, at)
            .await?
            .iter()
            .any(|s| s.staff == *id && s.window_number == i64::from(window.0));
        if here {
            return Ok(());
        }
        self.refuse_queue_work(*id, no, operation, at).await
    }

    /// Audits a refused queue operation and refuses it.
    async fn refuse_queue_work<T>(
        &self,
        id: StaffId,
        no: &StaffNo,
        operation: &str,
        at: DateTime<Utc>,
    ) -> AppResult<T> {
        self.refused(
            Some((id, no)),
            Permission::WorkQueue,
            operation,
            at.with_timezone(&crate::domain::china_time()),
        )
        .await?;
        Err(AppError::Forbidden)
    }

    /// A clerk acts only on the ticket held at the window where their kiosk is signed in (a
    /// live session there), so a command cannot start, finish or move another window's ticket,
    /// nor one no window has called; a supervisor may act on any. Gives the window holding the
    /// ticket, to act at; a refusal is audited.
    pub async fn may_work_ticket(
        &self,
        by: &Acting,
        ticket: &crate::storage::Ticket,
        operation: &str,
        at: DateTime<Utc>,
    ) -> AppResult<Option<super::Station>> {
        let site = self.site()?;
        let Some((id, no)) = &by.staff else {
            return Err(AppError::NotSignedIn);
        };
        let station = match ticket.window {
            None => None,
            Some(w) => self
                .store()
                .windows(site.id)
                .await?
                .into_iter()
                .find(|r| r.id == w)
                .and_then(|r| u32::try_from(r.number).ok().map(|n| (r.id, n)))
                .map(|(id, n)| super::Station {
                    id,
                    number: WindowNo(n),
                }),
        };
        match station {
            // The window's own rule: its signed-in clerk, or a supervisor.
            Some(st) => self
                .may_work_window(by, st.number, operation, at)
                .await
                .map(|()| Some(st)),
            None if self.is_supervisor(no).await? => Ok(None),
            None => self.refuse_queue_work(*id, no, operation, at).await,
        }
    }

    async fn is_supervisor(&self, no: &StaffNo) -> AppResult<bool> {
        let site = self.site()?;
        Ok(self
            .store()
            .staff_login(site.id, no.as_str())
            .await?
            .is_some_and(|l| l.active && l.role == StaffRole::Supervisor))
    }

    /// A supervisor left the console (the dashboard closed); audited like a window's sign-out.
    pub async fn signed_out_of_console(&self, by: &Acting, at: DateTime<Utc>) -> AppResult<()> {
        self.store()
            .audit_event(
                by.staff_id(),
                None,
                None,
                AuditEvent::SignedOut { window: None },
                at,
            )
            .await?;
        Ok(())
    }

    /// Audits a refusal of `operation` to `who` (nobody signed in: `None`).
    pub async fn refused(
        &self,
        who: Option<(StaffId, &StaffNo)>,
        need: Permission,
        operation: &str,
        at: DateTime<FixedOffset>,
    ) -> AppResult<()> {
        self.store()
            .audit_event(
                who.map(|w| w.0),
                None,
                None,
                AuditEvent::AccessRefused {
                    operation: operation.to_string(),
                    needs: need.code().to_string(),
                    staff_no: who.map(|w| w.1.as_str().to_string()),
                },
                at.with_timezone(&Utc),
            )
            .await?;
        Ok(())
    }

    /// Signs a staff member in at a window (its number), or at no window (the supervisor's
    /// console), for what the place is for (`need`). A staff member whose role lacks it but
    /// has a screen of their own (a clerk at the console) is answered like a wrong PIN, so the
    /// console never confirms a clerk's PIN. One with no screen at all (a follow-up caller),
    /// once their PIN is right, is told so plainly ([`AppError::NoScreen`]) and the refusal
    /// audited as a command's is: a wrong-PIN answer would have them lock their own number.
    pub async fn sign_in(
        &self,
        staff: &StaffNo,
        pin: String,
        window: Option<WindowNo>,
        need: Permission,
        at: DateTime<FixedOffset>,
    ) -> AppResult<SignedIn> {
        let site = self.site()?;
        let who = sign_in(
            self.store(),
            site.id,
            staff,
            pin,
            window.map(|w| i64::from(w.0)),
            |role| need.held_by(role) || !has_a_screen(role),
            at,
        )
        .await?;
        if !need.held_by(who.staff.role) {
            let operation = match need {
                Permission::WorkQueue => "kiosk sign-in",
                Permission::Dashboard => "supervisor sign-in",
                _ => "sign-in",
            };
            self.refused(Some((who.id, staff)), need, operation, at)
                .await?;
            return Err(AppError::NoScreen {
                role: who.staff.role,
            });
        }
        Ok(who)
    }
}

/// A PIN's stored form (Argon2id), computed off the async workers; a PIN of the wrong form is
/// refused in `lang`.
pub async fn hash_pin(pin: String, lang: crate::domain::Lang) -> AppResult<String> {
    pin::check_format(&pin).map_err(|_| {
        AppError::Invalid(crate::i18n::cli::Errors::get(lang).pin_format.to_string())
    })?;
    tokio::task::spawn_blocking(move || pin::hash(&pin))
        .await
        .map_err(|e| AppError::Other(e.to_string()))?
        .map_err(AppError::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (role, permission) pair, written out as the issue states it.
    #[test]
    fn the_permission_table() {
        use Permission as P;
        use StaffRole as R;
        let clerk = [P::Register, P::WorkQueue, P::ReadMasked, P::Print];
        let follow_up = [P::FollowUp, P::ReadMasked];
        let mut pairs = 0;
        for &role in StaffRole::ALL {
            for &p in Permission::ALL {
                let expected = match role {
                    R::Supervisor => true,
                    R::Clerk => clerk.contains(&p),
                    R::FollowUp => follow_up.contains(&p),
                };
                assert_eq!(p.held_by(role), expected, "{role} {p}");
                pairs += 1;
            }
        }
        assert_eq!(pairs, 3 * 12);
        assert_eq!(P::ReadUnmasked.holders(), vec![R::Supervisor]);
        assert_eq!(P::FollowUp.holders(), vec![R::Supervisor, R::FollowUp]);
        assert_eq!(
            P::ReadMasked.holders(),
            vec![R::Clerk, R::Supervisor, R::FollowUp]
        );
        assert!(has_a_screen(R::Clerk) && has_a_screen(R::Supervisor));
        assert!(!has_a_screen(R::FollowUp));
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let real = pin::hash("123456").unwrap_or_default();
        let params = |h: &str| h.split('$').take(4).collect::<Vec<_>>().join("$");
        assert_eq!(params(DUMMY_HASH), params(&real));
        assert!(pin::matches("00000000", DUMMY_HASH));
    }
}
