//! Statutory counting of periods (《民法典》第二百零一至二百零三条) over a holiday calendar.
//!
//! A period in days starts the day after the event; a period in months or years ends on the
//! corresponding day, or the month's last day when there is none; a last day that is a rest day
//! (weekend or public holiday) moves to the next working day; make-up working days (调休上班) count
//! as working days. Years without a calendar fall back to weekends only, and say so.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The State Council schedules shipped with onewindow (one file per year under `calendars/`).
const OFFICIAL: &[(&str, &str)] = &[
    (
        "calendars/2025.toml",
        include_str!("../../calendars/2025.toml"),
    ),
    (
        "calendars/2026.toml",
        include_str!("../../calendars/2026.toml"),
    ),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearSchedule {
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    years: BTreeMap<i32, YearSchedule>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct CalendarError {
    pub origin: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    #[serde(default)]
    source: String,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

/// A date computed by the statutory rule, and whether it rests on a year without a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub date: NaiveDate,
    /// The last day, or a day it was moved over, lies in a year with no holiday calendar.
    pub uncertain: bool,
}

impl HolidayCalendar {
    /// Weekends only.
    pub fn empty() -> Self {
        HolidayCalendar::default()
    }

    /// The shipped 2025 and 2026 schedules.
    pub fn official() -> Self {
        let mut cal = HolidayCalendar::empty();
        for (origin, text) in OFFICIAL {
            // The shipped files are tested; failing here means the build itself is broken.
            cal.add_year_toml(origin, text)
                .expect("shipped holiday calendar parses");
        }
        cal
    }

    /// Adds (or replaces) one year's schedule from a calendar file's text.
    pub fn add_year_toml(&mut self, origin: &str, text: &str) -> Result<i32, CalendarError> {
        let err = |message: String| CalendarError {
            origin: origin.to_string(),
            message,
        };
        // The parser's own message quotes the offending line; a file named by mistake
        // (`/etc/passwd`) must not be echoed, so only its line number and the reason are said.
        let file: YearFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .and_then(|s| text.get(..s.start))
                .map(|before| before.matches('\n').count() + 1);
            let reason = e.message().lines().next().unwrap_or_default().to_string();
            err(match line {
                Some(l) => format!(
                    "line {l}: not a holiday calendar ({})",
                    super::text::quote(&reason)
                ),
                None => format!("not a holiday calendar ({})", super::text::quote(&reason)),
            })
        })?;
        let mut schedule = YearSchedule {
            source: file.source,
            ..YearSchedule::default()
        };
        for (key, list, set) in [
            ("holidays", &file.holidays, &mut schedule.holidays),
            ("workdays", &file.workdays, &mut schedule.workdays),
        ] {
            for item in list {
                let dates = parse_span(item).ok_or_else(|| {
                    err(format!(
                        "{key}: `{item}` is not a date or a span `YYYY-MM-DD..YYYY-MM-DD`"
                    ))
                })?;
                for d in dates {
                    if d.year() != file.year {
                        return Err(err(format!("{key}: {d} is not in year {}", file.year)));
                    }
                    set.insert(d);
                }
            }
        }
        if let Some(d) = schedule.holidays.intersection(&schedule.workdays).next() {
            return Err(err(format!("{d} is both a holiday and a working day")));
        }
        self.years.insert(file.year, schedule);
        Ok(file.year)
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if let Some(y) = self.years.get(&d.year()) {
            if y.workdays.contains(&d) {
                return true;
            }
            if y.holidays.contains(&d) {
                return false;
            }
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Moves a last day that is a rest day to the next working day (第二百零三条).
    pub fn roll(&self, last: NaiveDate) -> Counted {
        let mut d = last;
        let mut uncertain = !self.has_year(d.year());
        while !self.is_working_day(d) {
            d = d + Days::new(1);
            uncertain |= !self.has_year(d.year());
        }
        Counted { date: d, uncertain }
    }

    /// Last day of a period of `n` days after `event` (counting starts the next day), rolled.
    pub fn days_after(&self, event: NaiveDate, n: u64) -> Counted {
        self.roll(event + Days::new(n))
    }

    /// Last day of a period of `n` months after `event`, rolled.
    pub fn months_after(&self, event: NaiveDate, n: u32) -> Counted {
        self.roll(add_months(event, n))
    }

    /// Last day of a period of `n` years after `event`, rolled.
    pub fn years_after(&self, event: NaiveDate, n: u32) -> Counted {
        self.roll(add_months(event, n * 12))
    }
}

/// The corresponding day `n` months later, or that month's last day when there is none
/// (31 January + 1 month = 28/29 February; 29 February + 1 year = 28 February). Not rolled.
pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    // chrono's Months arithmetic clamps to the month's end, which is exactly 第二百零二条.
    d.checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

fn parse_span(item: &str) -> Option<Vec<NaiveDate>> {
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    match item.split_once("..") {
        None => Some(vec![parse(item)?]),
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            if b < a {
                return None;
            }
            Some(a.iter_days().take_while(|d| *d <= b).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn official_calendar_knows_2025_and_2026() {
        let cal = HolidayCalendar::official();
        assert!(cal.has_year(2025) && cal.has_year(2026));
        assert!(!cal.is_working_day(d("2025-10-08")));
        assert!(cal.is_working_day(d("2025-10-11")), "Saturday make-up day");
        assert!(cal.is_working_day(d("2026-01-04")), "Sunday make-up day");
        assert!(
            !cal.is_working_day(d("2026-02-23")),
            "Monday in Spring Festival"
        );
    }

    #[test]
    fn month_ends_and_leap_days() {
        assert_eq!(add_months(d("2025-08-31"), 6), d("2026-02-28"));
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
        assert_eq!(add_months(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2025-03-31"), 6), d("2025-09-30"));
    }

    #[test]
    fn rolling_over_holidays_and_make_up_days() {
        let cal = HolidayCalendar::official();
        // 15 days from 2025-09-16 end on 10-01, in the National Day holiday: moved to 10-09.
        assert_eq!(cal.days_after(d("2025-09-16"), 15).date, d("2025-10-09"));
        // 2025-01-26 is a Sunday make-up working day: a last day there stays.
        let c = cal.days_after(d("2025-01-16"), 10);
        assert_eq!(c.date, d("2025-01-26"));
        assert!(!c.uncertain);
        // A last day in 2028, which has no calendar, rolls over the weekend and is uncertain.
        let c = cal.years_after(d("2025-02-20"), 3);
        assert_eq!(c.date, d("2028-02-21"));
        assert!(c.uncertain);
    }

    #[test]
    fn bad_calendar_files_name_the_problem() {
        let mut cal = HolidayCalendar::empty();
        let e = cal
            .add_year_toml("x.toml", "year = 2027\nholidays = [\"2026-01-01\"]")
            .expect_err("wrong year");
        assert!(e.to_string().contains("x.toml") && e.to_string().contains("not in year 2027"));
        let e = cal
            .add_year_toml("x.toml", "year = 2027\nholidays = [\"2027-13-01\"]")
            .expect_err("bad date");
        assert!(e.to_string().contains("2027-13-01"));
        let e = cal
            .add_year_toml(
                "x.toml",
                "year = 2027\nholidays = [\"2027-01-01\"]\nworkdays = [\"2027-01-01\"]",
            )
            .expect_err("both");
        assert!(e.to_string().contains("both"));
    }
}
