//! The pure domain core: intake record, validation, classification and routing, deadlines,
//! numbering and masking. No I/O, no database, no terminal: everything here is a function of its
//! inputs, so every rule can be tested and read against `shared/domain/README.md`.

pub mod age;
pub mod alerts;
pub mod audit;
pub mod calendar;
pub mod classify;
pub mod codes;
pub mod decision;
pub mod employer;
pub mod english;
pub mod followup;
pub mod ids;
pub mod intake;
pub mod intake_file;
pub mod lang;
pub mod mask;
pub mod numbering;
pub mod queue;
pub mod report_filing;
pub mod retention;
pub mod site;
pub mod stats;
pub mod text;
pub mod validate;
pub mod values;

pub use calendar::HolidayCalendar;
pub use classify::{classify, classify_read};
pub use codes::*;
pub use decision::{Deadline, Decision, Problem, Reason, Status};
pub use intake::*;
pub use lang::Lang;
pub use numbering::{CaseNo, StaffNo, TicketNo, WindowNo};
pub use site::SiteSettings;
pub use validate::{Validation, validate, validate_read};
pub use values::{AmountInput, DateInput, Fen};

/// China Standard Time (UTC+8, no daylight saving since 1991, so a fixed offset is exact and
/// needs no time-zone database): the time of every intake, day and deadline.
pub fn china_time() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A valid walk-in record and date helpers for the unit tests of the rules.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use chrono::{DateTime, FixedOffset, NaiveDate};

    pub fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    /// 09:30 in China on that day.
    pub fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("{s}T09:30:00+08:00")).expect("test time")
    }

    /// An adult (born 1990-03-07) with a dismissal claim that routes to mediation (R11).
    pub fn record() -> IntakeRecord {
        IntakeRecord {
            applicant: Applicant {
                name: "张三".into(),
                id_number: "41010519900307158X".into(),
                phone: "13812345678".into(),
                ..Applicant::default()
            },
            counterparty: Counterparty {
                name: "郑州某某有限公司".into(),
                ..Counterparty::default()
            },
            employment: Employment {
                status: Some(EmploymentStatus::Ended),
                started_on: Some(d("2021-03-01").into()),
                ended_on: Some(d("2025-02-20").into()),
                written_contract: Some(true),
                ..Employment::default()
            },
            dispute: Dispute {
                categories: vec![Category::Ld03, Category::Ld05],
                claims: vec![Claim {
                    category: Some(Category::Ld05),
                    amount: Some(Fen::from_yuan(9000).into()),
                    known_on: None,
                }],
                known_on: Some(d("2025-02-20").into()),
                ..Dispute::default()
            },
        }
    }
}
