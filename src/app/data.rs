//! The data lifecycle: backups, restoring one, and anonymising the cases past the centre's
//! retention period. The storage does the work per backend (`storage::backup`,
//! `storage::retention`); here are the rules: a purge runs only when a centre has set
//! `data.retention_years` (nothing is ever deleted by default), and every one of these is
//! audited.

use super::error::{AppError, AppResult};
use super::{Acting, Services};
use crate::config::Config;
use crate::domain::retention::closed_before;
use crate::i18n::fill;
use crate::storage::DbUrl;
use crate::storage::backup::{self, Contents};
use chrono::{DateTime, Utc};
use std::path::Path;

/// Cases anonymised in one transaction: short enough that windows working meanwhile do not wait.
const PURGE_BATCH: i64 = 200;

/// What a purge found, or did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Purge {
    pub retention_years: u32,
    /// Cases that closed before this instant are past the retention period.
    pub closed_before: DateTime<Utc>,
    /// Cases anonymised (or, for a dry run, that would be).
    pub cases: u64,
    pub dry_run: bool,
}

impl Services {
    /// Writes a consistent copy of the whole database to `to` (never over an existing file).
    pub async fn backup(&self, to: &Path, at: DateTime<Utc>) -> AppResult<Contents> {
        let url = DbUrl::new(self.config().database_url.clone());
        Ok(self.store().backup_to(&url, to, at).await?)
    }

    /// Anonymises every case that closed more than `data.retention_years` before `at` (see
    /// `domain::retention`), or only counts them with `dry_run`.
    pub async fn purge(&self, at: DateTime<Utc>, dry_run: bool, by: &Acting) -> AppResult<Purge> {
        let words = crate::i18n::cli::Errors::get(self.config().lang);
        let Some(years) = self.config().data.retention_years else {
            return Err(AppError::Invalid(words.retention_unset.to_string()));
        };
        let before = closed_before(at, years).ok_or_else(|| {
            AppError::Invalid(fill(
                words.retention_too_far,
                &[("years", &years.to_string())],
            ))
        })?;
        let mut cases = 0;
        if dry_run {
            cases = self.store().count_expired_cases(before).await?;
        } else {
            loop {
                let n = self
                    .store()
                    .anonymise_expired_cases(before, PURGE_BATCH, by.staff_id(), at)
                    .await?;
                if n == 0 {
                    break;
                }
                cases += n;
            }
        }
        Ok(Purge {
            retention_years: years,
            closed_before: before,
            cases,
            dry_run,
        })
    }
}

/// Puts the backup `from` in place of the configured database (stop every kiosk, supervisor
/// screen and display first). Refused over a database holding a site unless `replace`.
pub async fn restore(
    config: &Config,
    from: &Path,
    replace: bool,
    at: DateTime<Utc>,
) -> AppResult<Contents> {
    let url = DbUrl::new(config.database_url.clone());
    Ok(backup::restore(&url, from, replace, at).await?)
}
