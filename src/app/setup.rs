//! Setting a site up: the first-run set-up of an empty database, and its staff and windows.

use super::auth::hash_pin;
use super::error::{AppError, AppResult};
use super::types::SetUp;
use super::{Acting, Services};
use crate::domain::audit::AuditEvent;
use crate::domain::text;
use crate::domain::{Route, StaffNo, StaffRole, WindowNo};
use crate::storage::{StaffId, WindowInfo};
use chrono::{DateTime, Utc};

impl Services {
    /// True on a database with no site or no staff: the kiosk runs the first-run set-up.
    pub async fn needs_setup(&self) -> AppResult<bool> {
        let Ok(site) = self.site() else {
            return Ok(true);
        };
        Ok(self.store().staff_count(site.id).await? == 0)
    }

    /// The first-run set-up: the site with its queues, its windows and the first supervisor.
    /// Refused once the site has staff.
    pub async fn set_up(&self, setup: SetUp, at: DateTime<Utc>) -> AppResult<()> {
        if !self.needs_setup().await? {
            return Err(AppError::InvalidState);
        }
        text::check_label(&setup.site_code, 8)
            .map_err(|e| AppError::Invalid(format!("site code: {e}")))?;
        // A centre may leave its name blank (screens then show the code).
        if !setup.site_name.is_empty() {
            text::check_label(&setup.site_name, 64)
                .map_err(|e| AppError::Invalid(format!("site name: {e}")))?;
        }
        let mut settings = self.settings();
        settings.code = setup.site_code.clone();
        settings.name = setup.site_name.clone();
        self.0.site.store_site(self.store(), settings, at).await?;
        let info = self.site()?;
        let routes: Vec<Route> = info.queues.iter().map(|q| q.route).collect();
        for w in &setup.windows {
            self.store()
                .upsert_window(info.id, i64::from(w.0), "", &routes, at)
                .await?;
        }
        self.save_staff(
            &setup.supervisor_no,
            &setup.supervisor_name,
            StaffRole::Supervisor,
            Some(setup.supervisor_pin),
        )
        .await?;
        Ok(())
    }

    /// Creates or changes a staff member, with a new PIN if one is given (set-up, demo).
    pub async fn save_staff(
        &self,
        number: &StaffNo,
        name: &str,
        role: StaffRole,
        pin: Option<String>,
    ) -> AppResult<StaffId> {
        self.save_staff_as(None, number, name, role, pin, Utc::now())
            .await
    }

    /// Creates or changes a staff member for `by` (a supervisor, checked by the caller; `None`
    /// at the set-up); audited, the PIN only as "set".
    pub async fn save_staff_as(
        &self,
        by: Option<&Acting>,
        number: &StaffNo,
        name: &str,
        role: StaffRole,
        pin: Option<String>,
        at: DateTime<Utc>,
    ) -> AppResult<StaffId> {
        let site = self.site()?;
        text::check_label(number.as_str(), 32)
            .map_err(|e| AppError::Invalid(format!("staff number: {e}")))?;
        text::check_label(name, 64).map_err(|e| AppError::Invalid(format!("staff name: {e}")))?;
        if role != StaffRole::Supervisor {
            self.keep_a_supervisor(number).await?;
        }
        let pin_set = pin.is_some();
        let hash = match pin {
            Some(p) => Some(hash_pin(p).await?),
            None => None,
        };
        let id = self
            .store()
            .upsert_staff(site.id, number.as_str(), name, role)
            .await?;
        if let Some(h) = hash {
            self.store().set_pin_hash(id, &h).await?;
        }
        let active = self
            .store()
            .staff_login(site.id, number.as_str())
            .await?
            .is_some_and(|l| l.active);
        self.audit_staff(by, number, role, active, pin_set, at)
            .await?;
        Ok(id)
    }

    /// A staff member's role and name, if the number exists.
    pub async fn staff_role(&self, number: &StaffNo) -> AppResult<Option<(StaffRole, String)>> {
        let site = self.site()?;
        Ok(self
            .store()
            .staff_auth_any(site.id, number.as_str())
            .await?
            .map(|a| (a.role, a.name)))
    }

    /// Deactivates (`false`) or reactivates a staff member; a deactivated one cannot sign in
    /// anywhere. Audited.
    pub async fn set_staff_active(
        &self,
        by: &Acting,
        number: &StaffNo,
        active: bool,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let site = self.site()?;
        let login = self
            .store()
            .staff_login(site.id, number.as_str())
            .await?
            .ok_or(AppError::NotFound)?;
        if !active {
            self.keep_a_supervisor(number).await?;
        }
        self.store().set_staff_active(login.id, active).await?;
        self.audit_staff(Some(by), number, login.role, active, false, at)
            .await
    }

    /// Refuses to take the last active supervisor away (deactivated or made a clerk): nobody
    /// could manage staff any more, and a new first supervisor is only for an empty database.
    async fn keep_a_supervisor(&self, number: &StaffNo) -> AppResult<()> {
        let site = self.site()?;
        let is_active_supervisor = self
            .store()
            .staff_login(site.id, number.as_str())
            .await?
            .is_some_and(|l| l.active && l.role == StaffRole::Supervisor);
        if is_active_supervisor && self.store().active_supervisors(site.id).await? <= 1 {
            return Err(AppError::Invalid(format!(
                "staff {number} is the last active supervisor: add another supervisor first"
            )));
        }
        Ok(())
    }

    /// Ends a staff member's lock-out before its time; audited.
    pub async fn unlock_staff(
        &self,
        by: &Acting,
        number: &StaffNo,
        at: DateTime<Utc>,
    ) -> AppResult<bool> {
        let site = self.site()?;
        let by = by.staff_id().ok_or(AppError::NotSignedIn)?;
        Ok(self
            .store()
            .unlock_sign_in(site.id, number.as_str(), by, at)
            .await?)
    }

    async fn audit_staff(
        &self,
        by: Option<&Acting>,
        number: &StaffNo,
        role: StaffRole,
        active: bool,
        pin_set: bool,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        self.store()
            .audit_event(
                by.and_then(Acting::staff_id),
                None,
                None,
                AuditEvent::StaffSaved {
                    staff_no: number.as_str().to_string(),
                    role,
                    active,
                    pin_set,
                },
                at,
            )
            .await?;
        Ok(())
    }

    /// Creates or changes a window and the routes whose queues it serves (all when empty).
    pub async fn save_window(
        &self,
        number: WindowNo,
        name: &str,
        routes: &[Route],
        at: DateTime<Utc>,
    ) -> AppResult<WindowInfo> {
        let site = self.site()?;
        if !name.is_empty() {
            text::check_label(name, 32)
                .map_err(|e| AppError::Invalid(format!("window name: {e}")))?;
        }
        let routes: Vec<Route> = if routes.is_empty() {
            site.queues.iter().map(|q| q.route).collect()
        } else {
            routes.to_vec()
        };
        self.store()
            .upsert_window(site.id, i64::from(number.0), name, &routes, at)
            .await?;
        Ok(self
            .store()
            .window_by_number(site.id, i64::from(number.0))
            .await?)
    }
}
