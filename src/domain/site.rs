//! Site settings (§2 `[site]`): local policy that must never be a constant in code.

use super::calendar::HolidayCalendar;
use super::codes::{Route, SiArrearsRoute};
use super::values::{AmountInput, Fen};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Default major-dispute threshold: no national figure exists (§2), 30 is the usual local one.
pub const DEFAULT_MAJOR_DISPUTE_THRESHOLD: u32 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct SiteSettings {
    /// Short code used in case numbers (`SITE-YYYYMMDD-NNNN`).
    pub code: String,
    pub name: String,
    /// Local monthly minimum wage; without it FINAL_AWARD_LIKELY cannot be judged and is not given.
    pub minimum_wage_monthly: Option<Fen>,
    pub major_dispute_threshold: u32,
    pub si_arrears_route: SiArrearsRoute,
    /// Administrative division codes or prefixes served; empty means no area check.
    pub region_prefixes: Vec<String>,
    /// Ticket prefix per route; a route without one has no local queue.
    pub ticket_prefixes: BTreeMap<Route, String>,
    pub calendar: HolidayCalendar,
    /// Where a worker looks up a case's progress, with `{case_no}` standing for the case number
    /// (`https://…/progress?no={case_no}`). Without it no lookup exists, and the receipt's QR
    /// holds the case number only, never promising one.
    pub progress_url: Option<String>,
}

impl SiteSettings {
    pub fn default_ticket_prefixes() -> BTreeMap<Route, String> {
        [
            (Route::LaborMediation, "T"),
            (Route::PeoplesMediation, "R"),
            (Route::LaborInspection, "J"),
            (Route::Arbitration, "Z"),
        ]
        .into_iter()
        .map(|(r, p)| (r, p.to_string()))
        .collect()
    }

    pub fn queue_prefix(&self, route: Route) -> Option<&str> {
        self.ticket_prefixes.get(&route).map(String::as_str)
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            code: "SITE".to_string(),
            name: String::new(),
            minimum_wage_monthly: None,
            major_dispute_threshold: DEFAULT_MAJOR_DISPUTE_THRESHOLD,
            si_arrears_route: SiArrearsRoute::default(),
            region_prefixes: Vec::new(),
            ticket_prefixes: Self::default_ticket_prefixes(),
            calendar: HolidayCalendar::official(),
            progress_url: None,
        }
    }
}

/// The `[site]` table (§2 site settings), as written in a config file or an intake file's
/// override table. Every field is optional so layers can override one another.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteTable {
    pub code: Option<String>,
    pub name: Option<String>,
    pub minimum_wage_monthly: Option<AmountInput>,
    pub major_dispute_threshold: Option<i64>,
    pub si_arrears_route: Option<SiArrearsRoute>,
    pub region_prefixes: Option<Vec<String>>,
    /// Route code → ticket prefix; a route given an empty prefix has no local queue.
    pub ticket_prefixes: Option<BTreeMap<String, String>>,
    /// Extra holiday calendar files (one year each), relative to the config file.
    pub holiday_calendars: Option<Vec<PathBuf>>,
    /// The progress lookup: an http(s) URL containing `{case_no}`.
    pub progress_url: Option<String>,
}
