//! The report a centre files upward (issue 14), beyond the monthly statistics of
//! [`super::stats::Report`]: where workers were pointed (legal aid, union, court, payment
//! order), where referrals went, every flag, the queue (no-shows, unfinished tickets), intakes
//! per window and clerk, follow-up completion and results, a day-by-day series, an hourly
//! profile, and the headline figures against the previous period and the same period last year.
//! Plain figures; `storage::filing` counts them and `app::report_files` lays them out.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Follow-up of the cases registered in the period that are followed up
/// ([`super::followup::followed_up`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FollowUpFigures {
    /// Cases followed up (mediated, referred, or routed to a referral).
    pub cases: u64,
    /// Of them, cases whose follow-up a call closed (reached or declined).
    pub completed: u64,
    /// completed ÷ cases.
    pub completion_rate: Option<f64>,
    /// Calls by result code (`reached`, `unreachable`, `declined`; `recorded` for free-text
    /// calls from before results were structured).
    pub calls: BTreeMap<String, u64>,
    pub satisfied: u64,
    pub not_satisfied: u64,
    /// satisfied ÷ (satisfied + not satisfied).
    pub satisfaction_rate: Option<f64>,
}

/// One day of the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub cases: u64,
    /// Cases registered per route code (`none` for a blocked or unrouted case).
    pub by_route: BTreeMap<String, u64>,
    pub served: u64,
    pub no_shows: u64,
    /// Mean wait of the tickets served that day, in minutes.
    pub mean_wait_minutes: Option<f64>,
}

/// Headline figures of one period, for the comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Headline {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub cases: u64,
    pub served: u64,
    pub no_shows: u64,
    pub mediation_success_rate: Option<f64>,
    pub mean_wait_minutes: Option<f64>,
}

/// The figures of the filed report that the monthly statistics do not have.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filing {
    /// Cases pointed to each parallel step (`also` code: legal_aid, union, court_payment_order…).
    pub also: BTreeMap<String, u64>,
    /// Referral cases per destination (`referral_to` code).
    pub referral_to: BTreeMap<String, u64>,
    /// Cases carrying each flag (every flag of the reference).
    pub flags: BTreeMap<String, u64>,
    /// Tickets of the period marked no-show.
    pub no_shows: u64,
    /// Tickets of the period not finished when the report was made, per state.
    pub unfinished: BTreeMap<String, u64>,
    /// Cases registered per window number, in order (`None`: registered at no window, e.g. by
    /// a command). A list of pairs, since JSON keys cannot be numbers or null.
    pub intakes_per_window: Vec<(Option<i64>, u64)>,
    /// Cases registered per staff number, in order (`None`: nobody recorded).
    pub intakes_per_clerk: Vec<(Option<String>, u64)>,
    pub followup: FollowUpFigures,
    /// Every day of the period, in order, days without activity included.
    pub daily: Vec<DayFigures>,
    /// Cases registered per hour of the day (China time), 0–23.
    pub hourly: Vec<u64>,
}

/// The period of the same length just before `from`..=`to`.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let len = (to - from).num_days() + 1;
    (
        from - chrono::Days::new(len as u64),
        from - chrono::Days::new(1),
    )
}

/// The same days a year earlier (29 February becomes 28 February).
pub fn same_period_last_year(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = |d: NaiveDate| {
        d.checked_sub_months(chrono::Months::new(12))
            .or_else(|| d.checked_sub_days(chrono::Days::new(365)))
            .unwrap_or(d)
    };
    (back(from), back(to))
}

/// `part ÷ whole`, none for an empty whole.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Relative change from `before` to `now` (0.25 = +25 %); none when there was nothing before.
pub fn change(now: f64, before: f64) -> Option<f64> {
    (before != 0.0).then(|| (now - before) / before)
}

/// Seconds as minutes, the unit a centre reports waits and service in.
pub fn minutes(secs: f64) -> f64 {
    secs / 60.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn comparison_periods() {
        assert_eq!(
            previous_period(d("2026-03-01"), d("2026-03-31")),
            (d("2026-01-29"), d("2026-02-28"))
        );
        assert_eq!(
            same_period_last_year(d("2028-02-01"), d("2028-02-29")),
            (d("2027-02-01"), d("2027-02-28"))
        );
        assert_eq!(change(12.0, 10.0), Some(0.2));
        assert_eq!(change(3.0, 0.0), None);
    }
}
