//! Case and ticket numbering (§9): pure rules, no storage.
//!
//! Numbers count per Asia/Shanghai local day. China has kept one offset (+08:00) without daylight
//! saving since 1991, so a fixed offset is exact and needs no time-zone database.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The Asia/Shanghai calendar day an instant falls on: the day its numbers count in.
pub fn local_day<Tz: TimeZone>(at: &DateTime<Tz>) -> NaiveDate {
    at.with_timezone(&super::china_time()).date_naive()
}

/// An instant as the local wall-clock time the window shows and prints.
pub fn local_time(at: &DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&super::china_time())
}

/// A case number `SITE-YYYYMMDD-NNNN`: the site code, the local day of registration and the
/// day's running number (at least four digits; a day past 9999 cases keeps counting).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseNo(String);

impl CaseNo {
    pub fn new(site_code: &str, day: NaiveDate, seq: u32) -> CaseNo {
        CaseNo(format!("{}-{}-{:04}", site_code, day.format("%Y%m%d"), seq))
    }

    /// Accepts a case number as typed; the site code may itself contain `-`.
    pub fn parse(text: &str) -> Result<CaseNo, NumberingError> {
        let t = text.trim();
        let bad = || NumberingError::BadCaseNo(text.to_string());
        let (rest, seq) = t.rsplit_once('-').ok_or_else(bad)?;
        let (site, day) = rest.rsplit_once('-').ok_or_else(bad)?;
        if site.is_empty()
            || seq.len() < 4
            || !seq.bytes().all(|b| b.is_ascii_digit())
            || day.len() != 8
            || NaiveDate::parse_from_str(day, "%Y%m%d").is_err()
        {
            return Err(bad());
        }
        Ok(CaseNo(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A ticket number: the queue's prefix and the queue's running number of the day, at least three
/// digits (`T001`, `Z120`, `T1000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TicketNo(String);

impl TicketNo {
    pub fn new(prefix: &str, seq: u32) -> TicketNo {
        TicketNo(format!("{prefix}{seq:03}"))
    }

    /// Wraps a stored ticket number.
    pub fn from_stored(text: String) -> TicketNo {
        TicketNo(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TicketNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A window's number as people see it on the wall and the ticket ("3号窗口").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WindowNo(pub u32);

impl fmt::Display for WindowNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A staff member's number as printed on the badge and the receipt (`1001`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StaffNo(pub String);

impl StaffNo {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StaffNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberingError {
    #[error("not a case number (expected SITE-YYYYMMDD-NNNN): {0}")]
    BadCaseNo(String),
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn local_day_turns_at_utc_16() {
        assert_eq!(
            local_day(&utc("2026-03-09T15:59:59Z")),
            NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
        );
        assert_eq!(
            local_day(&utc("2026-03-09T16:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
        );
    }

    #[test]
    fn numbers_are_formatted_as_the_reference_shows() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        assert_eq!(CaseNo::new("BJCY", day, 7).as_str(), "BJCY-20260310-0007");
        assert_eq!(
            CaseNo::new("BJCY", day, 12345).as_str(),
            "BJCY-20260310-12345"
        );
        assert_eq!(TicketNo::new("T", 1).as_str(), "T001");
        assert_eq!(TicketNo::new("Z", 1000).as_str(), "Z1000");
    }

    #[test]
    fn case_numbers_parse_back() {
        assert_eq!(
            CaseNo::parse("BJ-CY-20260310-0007").unwrap().as_str(),
            "BJ-CY-20260310-0007"
        );
        assert!(CaseNo::parse("BJCY-20261310-0007").is_err());
        assert!(CaseNo::parse("BJCY-0007").is_err());
        assert!(CaseNo::parse("-20260310-0007").is_err());
    }
}
