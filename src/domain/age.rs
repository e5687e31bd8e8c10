//! Age on a date (§5): "under N on a date" means the date is on or before the N-th anniversary of
//! the birth date; full years count from the day after the birthday. The anniversary of 29 February
//! in a common year is 28 February.

use super::calendar::add_months;
use chrono::NaiveDate;

pub fn anniversary(birth: NaiveDate, years: u32) -> NaiveDate {
    add_months(birth, years * 12)
}

pub fn under(birth: NaiveDate, years: u32, on: NaiveDate) -> bool {
    on <= anniversary(birth, years)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn the_birthday_itself_is_still_under() {
        assert!(under(d("2009-03-10"), 16, d("2025-03-10")));
        assert!(!under(d("2009-03-10"), 16, d("2025-03-11")));
    }

    #[test]
    fn leap_day_birthdays() {
        assert_eq!(anniversary(d("2008-02-29"), 16), d("2024-02-29"));
        assert_eq!(anniversary(d("2008-02-29"), 17), d("2025-02-28"));
        assert!(under(d("2008-02-29"), 17, d("2025-02-28")));
        assert!(!under(d("2008-02-29"), 17, d("2025-03-01")));
    }
}
