//! What the kiosk needs from storage and printing, as one object-safe async trait.
//!
//! The screens never touch a database or a printer: the app turns a key into a [`Request`], the run
//! loop spawns a task that calls the [`Backend`], and the answer comes back as an `Action`. The real
//! implementation over `storage` and `print` is written where those layers meet; [`MemoryBackend`]
//! (in `memory.rs`) serves tests and `--demo`.

use crate::domain::{Decision, IntakeRecord, Route};
use chrono::{DateTime, FixedOffset};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Staff number as printed on the badge (`1001`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StaffNo(pub String);

/// `SITE-YYYYMMDD-NNNN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CaseNo(pub String);

/// Daily ticket number with the queue prefix (`T001`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TicketNo(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WindowId(pub u32);

macro_rules! display_newtype {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    )*};
}
display_newtype!(StaffNo, CaseNo, TicketNo, WindowId);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Clerk,
    Supervisor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub number: StaffNo,
    pub name: String,
    pub role: Role,
}

/// First-run set-up of an empty database: the site, its windows and the first supervisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetUp {
    pub site_code: String,
    pub site_name: String,
    pub windows: Vec<WindowId>,
    pub supervisor_no: StaffNo,
    pub supervisor_name: String,
    pub supervisor_pin: String,
}

/// What the clerk commits: the record, the decision shown on screen when they pressed submit, and
/// a route override with its reason (audited) if they made one.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub record: IntakeRecord,
    pub decision: Decision,
    pub route_override: Option<RouteOverride>,
    pub window: WindowId,
    pub staff: StaffNo,
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteOverride {
    pub route: Route,
    pub reason: String,
}

/// What submit gives back: the case, the ticket (none for a referral without a local queue) and
/// how many people wait before this ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub case_no: CaseNo,
    pub ticket: Option<TicketNo>,
    pub route: Option<Route>,
    pub people_ahead: u32,
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketState {
    Waiting,
    Called,
    Serving,
    NoShow,
    Finished,
    Transferred,
}

/// One ticket in a window's queue, with enough to show it in a list (the screen masks the name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub ticket: TicketNo,
    pub case_no: CaseNo,
    pub route: Route,
    pub priority: bool,
    pub flags: Vec<crate::domain::Flag>,
    pub applicant_name: String,
    pub issued_at: DateTime<FixedOffset>,
    pub state: TicketState,
    pub window: Option<WindowId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Mediated,
    MediationFailed,
    Accepted,
    Referred,
    Withdrawn,
    Other,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Mediated,
        Outcome::MediationFailed,
        Outcome::Accepted,
        Outcome::Referred,
        Outcome::Withdrawn,
        Outcome::Other,
    ];
}

/// The papers a case can have printed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Paper {
    Ticket,
    Receipt,
    ReferralNotice,
}

impl Paper {
    pub const ALL: [Paper; 3] = [Paper::Ticket, Paper::Receipt, Paper::ReferralNotice];
}

/// One line of a case's history (首问负责: the history follows the case through transfers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: DateTime<FixedOffset>,
    pub event: CaseEvent,
    pub staff: Option<StaffNo>,
    pub window: Option<WindowId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseEvent {
    Registered,
    RouteOverridden {
        from: Option<Route>,
        to: Route,
        reason: String,
    },
    TicketIssued(TicketNo),
    Called,
    Recalled,
    NoShow,
    Started,
    Transferred {
        to: Route,
        reason: String,
    },
    Finished(Outcome),
    Printed(Paper),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseView {
    pub case_no: CaseNo,
    pub record: IntakeRecord,
    pub decision: Decision,
    pub route: Option<Route>,
    pub ticket: Option<TicketNo>,
    pub state: Option<TicketState>,
    pub registered_at: DateTime<FixedOffset>,
    pub history: Vec<HistoryEntry>,
}

/// A search hit; the screen masks the name and phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub case_no: CaseNo,
    pub applicant_name: String,
    pub phone: String,
    pub counterparty_name: String,
    pub route: Option<Route>,
    pub registered_at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbStatus {
    Connected,
    Reconnecting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterStatus {
    Ready,
    PaperOut,
    Offline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Health {
    pub database: DbStatus,
    pub printer: PrinterStatus,
    pub pending_print_jobs: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[error("wrong staff number or PIN; {attempts_left} attempts left")]
    BadCredentials { attempts_left: u32 },
    #[error("locked until {until}")]
    LockedOut { until: DateTime<FixedOffset> },
    #[error("not found")]
    NotFound,
    #[error("no ticket is waiting")]
    QueueEmpty,
    #[error("not allowed in this state")]
    InvalidState,
    /// A reprint was asked for while that paper is still waiting for the printer.
    #[error("still in the print queue")]
    StillPrinting,
    #[error("database unavailable")]
    Unavailable,
    #[error("{0}")]
    Other(String),
}

pub type BackendResult<'a, T> = BoxFuture<'a, Result<T, BackendError>>;

/// Everything the kiosk asks of storage and printing. Arguments are owned so the futures are
/// `'static`-friendly and the trait stays object-safe (`Arc<dyn Backend>`).
pub trait Backend: Send + Sync {
    /// True on an empty database: the kiosk runs the first-run set-up before sign-in.
    fn needs_setup(&self) -> BackendResult<'_, bool>;
    fn set_up(&self, setup: SetUp) -> BackendResult<'_, ()>;
    /// Checks the PIN; counts failures and locks the staff number after too many.
    fn sign_in(
        &self,
        staff: StaffNo,
        pin: String,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, Staff>;
    /// The clerk leaves the window (sign-out key, or the kiosk is closed).
    fn sign_out(&self, staff: StaffNo, at: DateTime<FixedOffset>) -> BackendResult<'_, ()>;
    /// Commits case + ticket + print job in one transaction.
    fn submit(&self, submission: Submission) -> BackendResult<'_, Issued>;
    /// Tickets of the queues this window serves that are not finished, on the day of `at`:
    /// waiting (priority first, then by issue time), and those called or being served at this
    /// window.
    fn waiting(
        &self,
        window: WindowId,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, Vec<QueueEntry>>;
    /// Calls the next waiting ticket to this window (priority first, then issue time).
    fn call_next(
        &self,
        window: WindowId,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, QueueEntry>;
    fn recall(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()>;
    fn no_show(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()>;
    fn start(
        &self,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()>;
    /// Moves the ticket to another route's queue; the case keeps its history.
    fn transfer(
        &self,
        ticket: TicketNo,
        to: Route,
        reason: String,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, TicketNo>;
    fn finish(
        &self,
        ticket: TicketNo,
        outcome: Outcome,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()>;
    fn case_view(&self, case_no: CaseNo) -> BackendResult<'_, CaseView>;
    /// By case number (exact or prefix), applicant name (substring) or phone (substring).
    fn search(&self, query: String) -> BackendResult<'_, Vec<CaseSummary>>;
    fn reprint(
        &self,
        case_no: CaseNo,
        paper: Paper,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    ) -> BackendResult<'_, ()>;
    fn health(&self) -> BackendResult<'_, Health>;
}
