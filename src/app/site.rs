//! Which site a process works for. One rule for the kiosk, the supervisor and every command: the
//! site code a configuration names, else the one site the database holds (the one the first-run
//! set-up created). A default code is never invented, so a command run after the set-up can never
//! start a second site beside it.

use super::error::{AppError, AppResult};
use crate::config::Config;
use crate::domain::SiteSettings;
use crate::storage::{SiteInfo, Store};
use chrono::{DateTime, Utc};
use std::sync::RwLock;

/// The site's settings and, once it exists in the database, its row and queues.
#[derive(Debug)]
pub struct SiteContext {
    settings: RwLock<SiteSettings>,
    info: RwLock<Option<SiteInfo>>,
}

impl SiteContext {
    pub fn new(settings: SiteSettings) -> SiteContext {
        SiteContext {
            settings: RwLock::new(settings),
            info: RwLock::new(None),
        }
    }

    /// Finds the site in the database. `Ok(false)` when the database holds no site yet and the
    /// configuration names none: the kiosk's first-run set-up creates it.
    pub async fn resolve(
        &self,
        store: &Store,
        config: &Config,
        at: DateTime<Utc>,
    ) -> AppResult<bool> {
        let code = if config.site_code_set {
            Some(config.site.code.clone())
        } else {
            let codes = store.site_codes().await?;
            match codes.as_slice() {
                [] => None,
                [only] => Some(only.clone()),
                many => {
                    let words = crate::i18n::cli::Errors::get(config.lang);
                    return Err(AppError::Invalid(crate::i18n::fill(
                        words.several_sites,
                        &[("codes", &many.join(words.list_sep))],
                    )));
                }
            }
        };
        let Some(code) = code else {
            return Ok(false);
        };
        let mut settings = self.settings();
        settings.code = code.clone();
        // A configuration that names no centre keeps the name the set-up stored.
        if settings.name.is_empty()
            && let Ok(stored) = store.site_by_code(&code).await
        {
            settings.name = stored.name;
        }
        self.store_site(store, settings, at).await?;
        Ok(true)
    }

    /// Creates or updates the site with these settings (its queues follow the prefixes) and
    /// makes it this process's site.
    pub async fn store_site(
        &self,
        store: &Store,
        settings: SiteSettings,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let info = store.ensure_site(&settings, at).await?;
        if let Ok(mut s) = self.settings.write() {
            *s = settings;
        }
        if let Ok(mut i) = self.info.write() {
            *i = Some(info);
        }
        Ok(())
    }

    pub fn settings(&self) -> SiteSettings {
        self.settings.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// The stored site, or [`AppError::NotSetUp`] before the first-run set-up.
    pub fn info(&self) -> AppResult<SiteInfo> {
        self.info
            .read()
            .ok()
            .and_then(|i| i.clone())
            .ok_or(AppError::NotSetUp)
    }
}
