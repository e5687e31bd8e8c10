//! The pure domain core: intake record, validation, classification and routing, deadlines,
//! numbering and masking. No I/O, no database, no terminal: everything here is a function of its
//! inputs, so every rule can be tested and read against `shared/domain/README.md`.

pub mod calendar;
pub mod codes;
pub mod decision;
pub mod intake;
pub mod mask;
pub mod numbering;
pub mod site;
pub mod values;

pub use calendar::HolidayCalendar;
pub use codes::*;
pub use decision::{Deadline, Decision, Problem, Reason, Status};
pub use intake::*;
pub use site::SiteSettings;
pub use values::{AmountInput, DateInput, Fen};
