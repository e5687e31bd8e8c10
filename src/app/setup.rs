//! Setting a site up: the first-run set-up of an empty database, and its staff and windows.

use super::Services;
use super::auth::hash_pin;
use super::error::{AppError, AppResult};
use super::types::SetUp;
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

    /// Creates or changes a staff member, with a new PIN if one is given.
    pub async fn save_staff(
        &self,
        number: &StaffNo,
        name: &str,
        role: StaffRole,
        pin: Option<String>,
    ) -> AppResult<StaffId> {
        let site = self.site()?;
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
        Ok(id)
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
