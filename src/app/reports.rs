//! Figures a supervisor files and the follow-up calls a centre makes after a case.

use super::error::AppResult;
use super::{Acting, Services};
use crate::domain::stats::Report;
use crate::storage::CaseId;
use crate::storage::followup::{self, FollowUpDue};
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

    /// Cases whose follow-up call is due at `now`, `after_days` after they ended.
    pub async fn followups_due(
        &self,
        now: DateTime<Utc>,
        after_days: i64,
        limit: i64,
    ) -> AppResult<Vec<FollowUpDue>> {
        let site = self.site()?;
        Ok(followup::due(self.store(), site.id, now, after_days, limit).await?)
    }

    /// Records the result of a follow-up call (audited).
    pub async fn record_followup(
        &self,
        case_no: &str,
        result: &str,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<CaseId> {
        Ok(followup::record(self.store(), case_no, result, by.staff_id(), at).await?)
    }
}
