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
pub mod ids;
pub mod intake;
pub mod lang;
pub mod mask;
pub mod numbering;
pub mod queue;
pub mod site;
pub mod stats;
pub mod validate;
pub mod values;

pub use calendar::HolidayCalendar;
pub use classify::classify;
pub use codes::*;
pub use decision::{Deadline, Decision, Problem, Reason, Status};
pub use intake::*;
pub use lang::Lang;
pub use numbering::{CaseNo, StaffNo, TicketNo, WindowNo};
pub use site::SiteSettings;
pub use validate::{Validation, validate};
pub use values::{AmountInput, DateInput, Fen};

/// China Standard Time (UTC+8, no daylight saving since 1991, so a fixed offset is exact and
/// needs no time-zone database): the time of every intake, day and deadline.
pub fn china_time() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}
