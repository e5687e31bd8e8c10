//! Figures a supervisor files and the follow-up calls a centre makes after a case.

use super::Services;
use super::error::AppResult;
use super::report_files::FiledReport;
use crate::domain::report_filing::{
    Filing, Headline, minutes, previous_period, same_period_last_year,
};
use crate::domain::stats::Report;
use crate::storage::filing;
use crate::storage::reporting::{self, Seeded};
use chrono::{DateTime, NaiveDate, Utc};

impl Services {
    /// The statistics of the site for the China days `from` to `to`, both included.
    pub async fn report(&self, from: NaiveDate, to: NaiveDate) -> AppResult<Report> {
        let site = self.site()?;
        Ok(reporting::report(self.store(), site.id, from, to).await?)
    }

    /// The report a centre files for the China days `from` to `to`: the statistics, the filing
    /// figures, and the headline figures of the previous period and of the same days last year.
    pub async fn filed_report(&self, from: NaiveDate, to: NaiveDate) -> AppResult<FiledReport> {
        let site = self.site()?;
        let store = self.store();
        let report = reporting::report(store, site.id, from, to).await?;
        let filing = filing::filing(store, site.id, from, to).await?;
        let current = headline(&report, &filing, from, to);
        let other = async |(from, to): (NaiveDate, NaiveDate)| -> AppResult<Headline> {
            let r = reporting::report(store, site.id, from, to).await?;
            let no_shows = filing::no_shows(store, site.id, from, to).await?;
            Ok(Headline {
                no_shows,
                ..headline(&r, &Filing::default(), from, to)
            })
        };
        let previous = other(previous_period(from, to)).await?;
        let last_year = other(same_period_last_year(from, to)).await?;
        Ok(FiledReport {
            report,
            filing,
            current,
            previous,
            last_year,
        })
    }

    /// Sample cases for trying the report, spread over the month starting `month`.
    pub async fn seed(&self, cases: u64, month: NaiveDate, at: DateTime<Utc>) -> AppResult<Seeded> {
        let site = self.site()?;
        Ok(reporting::seed(self.store(), &site, cases, month, at).await?)
    }

    /// [`Services::seed`] with a mix of employers, unfinished cases and deadlines.
    pub async fn seed_with(
        &self,
        cases: u64,
        month: NaiveDate,
        at: DateTime<Utc>,
        mix: &reporting::SeedMix,
    ) -> AppResult<Seeded> {
        let site = self.site()?;
        Ok(reporting::seed_with(self.store(), &site, cases, month, at, mix).await?)
    }
}

fn headline(r: &Report, f: &Filing, from: NaiveDate, to: NaiveDate) -> Headline {
    Headline {
        from,
        to,
        cases: r.cases,
        served: r.waits.served,
        no_shows: f.no_shows,
        mediation_success_rate: r.mediation_success_rate,
        mean_wait_minutes: r.waits.mean_secs.map(minutes),
    }
}
