//! Figures a supervisor files and the follow-up calls a centre makes after a case.

use super::Services;
use super::error::AppResult;
use crate::domain::stats::Report;
use crate::storage::reporting::{self, Seeded};
use chrono::{DateTime, NaiveDate, Utc};

impl Services {
    /// The statistics of the site for the China days `from` to `to`, both included.
    pub async fn report(&self, from: NaiveDate, to: NaiveDate) -> AppResult<Report> {
        let site = self.site()?;
        Ok(reporting::report(self.store(), site.id, from, to).await?)
    }

    /// Sample cases for trying the report, spread over the month starting `month`.
    pub async fn seed(&self, cases: u64, month: NaiveDate, at: DateTime<Utc>) -> AppResult<Seeded> {
        let site = self.site()?;
        Ok(reporting::seed(self.store(), &site, cases, month, at).await?)
    }
}
