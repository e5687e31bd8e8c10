//! The application layer: the operations people perform — sign in, register a case, call and
//! serve tickets, transfer, reprint, search, read a case's history — used alike by the kiosk, the
//! supervisor's screens and every command. No front end touches storage or builds a print job
//! itself; the checks on who may do what live here.
//!
//! | module | operations |
//! |---|---|
//! | [`auth`] | sign-in with the one lock-out policy; PIN hashes ([`pin`]) |
//! | [`health`] | the health check every screen shows the database's state from |
//! | [`site`] | which site a process works for |
//! | [`setup`] | first-run set-up, staff and windows |
//! | [`intake`] | registering a case: classify, store case + ticket + paper in one transaction |
//! | [`queue`] | a window's list; call, recall, no-show, start, transfer, finish |
//! | [`cases`] | search, a case with its history |
//! | [`data`] | backup, restore, and anonymising the cases past the retention period |
//! | [`printing`] | reprint, the print-job list, retry and move |
//! | [`reports`] | the statistics report, sample data, follow-up calls |
//! | [`report_files`] | the report as CSV, XLSX or JSON |
//! | [`paper`] | the documents an intake produces, rendered inside its transaction |
//! | [`spool`] | the print runner that takes a window's due jobs to its printer |
//! | [`supervision`] | the facts the dashboard and hall display show; acknowledge, move, reassign |
//! | [`kiosk`] | one window's services: its clerk's session, printer and heartbeat |
//! | [`demo`] | a demo site over a temporary database |
//! | [`types`] | the values operations take and give back |
//! | [`error`] | what can go wrong, as a person is told it |

pub mod auth;
pub mod cases;
pub mod data;
pub mod demo;
pub mod error;
pub mod followup;
pub mod health;
pub mod intake;
pub mod kiosk;
pub mod paper;
pub mod pin;
pub mod printing;
pub mod queue;
pub mod report_files;
mod report_xlsx;
pub mod reports;
pub mod setup;
pub mod site;
pub mod spool;
pub mod supervision;
pub mod types;

pub use error::{AppError, AppResult};
pub use kiosk::Kiosk;
pub use types::*;

use crate::config::Config;
use crate::domain::{SiteSettings, StaffNo, WindowNo};
use crate::storage::{DbUrl, OpenOptions, SiteInfo, StaffId, Store, WindowId};
use anyhow::Context;
use std::sync::Arc;

/// What every operation needs: the database, the site this process works for and the paper it
/// renders. Cheap to clone.
#[derive(Clone)]
pub struct Services(Arc<Inner>);

struct Inner {
    store: Store,
    site: site::SiteContext,
    paper: paper::Paper,
    config: Config,
}

/// Who performs an operation and where: the staff member (a kiosk's signed-in clerk; a command's
/// `--staff`) and the window, when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Acting {
    pub staff: Option<(StaffId, StaffNo)>,
    pub window: Option<Station>,
}

impl Acting {
    pub fn staff_id(&self) -> Option<StaffId> {
        self.staff.as_ref().map(|s| s.0)
    }
}

/// A window as both storage and people know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Station {
    pub id: WindowId,
    pub number: WindowNo,
}

impl Services {
    /// Opens (and migrates) the configured database and finds the site, with a command's
    /// connection budget. The kiosk, the supervisor and the display use theirs
    /// ([`OpenOptions::kiosk`] …) through [`Services::open_with`].
    pub async fn open(config: &Config) -> anyhow::Result<Services> {
        Services::open_with(config, OpenOptions::command()).await
    }

    pub async fn open_with(config: &Config, options: OpenOptions) -> anyhow::Result<Services> {
        let url = DbUrl::new(config.database_url.clone());
        let store = Store::open(&url, options).await.with_context(|| {
            crate::i18n::fill(
                crate::i18n::cli::Errors::get(config.lang).cannot_open_database,
                &[("url", &url.to_string())],
            )
        })?;
        Services::with_store(store, config).await
    }

    /// Services over a store already open.
    pub async fn with_store(store: Store, config: &Config) -> anyhow::Result<Services> {
        let paper = paper::Paper::load(config)?;
        let site = site::SiteContext::new(config.site.clone());
        // Opening is the edge of the process: its clock is the set-up's time.
        site.resolve(&store, config, chrono::Utc::now()).await?;
        Ok(Services(Arc::new(Inner {
            store,
            site,
            paper,
            config: config.clone(),
        })))
    }

    pub(crate) fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub(crate) fn paper(&self) -> &paper::Paper {
        &self.0.paper
    }

    /// The stored site, or [`AppError::NotSetUp`] before the first-run set-up.
    pub fn site(&self) -> AppResult<SiteInfo> {
        self.0.site.info()
    }

    /// The site's settings in force (rules, prefixes, calendars).
    pub fn settings(&self) -> SiteSettings {
        self.0.site.settings()
    }

    /// The window numbered `number`; a window never set up serves every queue until a supervisor
    /// assigns it (only the kiosk standing at it creates it).
    pub async fn station(
        &self,
        number: WindowNo,
        create: bool,
        at: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<Station> {
        let site = self.site()?;
        match self
            .store()
            .window_by_number(site.id, i64::from(number.0))
            .await
        {
            Ok(w) => Ok(Station { id: w.id, number }),
            Err(crate::storage::StorageError::NotFound(_)) if create => {
                let routes: Vec<_> = site.queues.iter().map(|q| q.route).collect();
                let id = self
                    .store()
                    .upsert_window(site.id, i64::from(number.0), "", &routes, at)
                    .await?;
                Ok(Station { id, number })
            }
            Err(crate::storage::StorageError::NotFound(_)) => {
                Err(AppError::Invalid(crate::i18n::fill(
                    crate::i18n::cli::Errors::get(self.config().lang).window_not_set_up,
                    &[("n", &number.to_string())],
                )))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A staff member by their number, without a PIN (for commands until they sign in).
    pub async fn staff(&self, number: &StaffNo) -> AppResult<StaffId> {
        let site = self.site()?;
        match self.store().staff_by_code(site.id, number.as_str()).await {
            Ok(id) => Ok(id),
            Err(crate::storage::StorageError::NotFound(_)) => {
                Err(AppError::Invalid(crate::i18n::fill(
                    crate::i18n::cli::Errors::get(self.config().lang).staff_unknown,
                    &[("no", number.as_str())],
                )))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn close(&self) {
        self.store().close().await;
    }
}
