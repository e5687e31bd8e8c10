//! The values operations take and give back: what a screen or a command shows a person. Numbers
//! people read (`CaseNo`, `TicketNo`, `WindowNo`, `StaffNo`), never row ids.

use crate::domain::{
    CaseNo, Decision, Flag, IntakeRecord, Outcome, PrintKind, ReferralTo, Route, StaffNo,
    StaffRole, TicketNo, TicketState, WindowNo,
};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A staff member as the screens show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub number: StaffNo,
    pub name: String,
    pub role: StaffRole,
}

/// First-run set-up of an empty database: the site, its windows and the first supervisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetUp {
    pub site_code: String,
    pub site_name: String,
    pub windows: Vec<WindowNo>,
    pub supervisor_no: StaffNo,
    pub supervisor_name: String,
    pub supervisor_pin: String,
}

/// A clerk's change of the route the rules gave, with the reason they typed (audited, printed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteOverride {
    pub route: Route,
    /// Where a referral sends the worker; required when `route` is a referral.
    #[serde(default)]
    pub referral_to: Option<ReferralTo>,
    pub reason: String,
}

/// What the clerk commits: the record and a route override if they made one. The decision is
/// computed again from the record when it is registered, so what is stored follows the rules in
/// force, not a screen's copy of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub record: IntakeRecord,
    pub route_override: Option<RouteOverride>,
    pub at: DateTime<FixedOffset>,
}

/// What registering a case gives back: the case, the ticket (none for a referral without a local
/// queue) and how many people wait before this ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issued {
    pub case_no: CaseNo,
    pub ticket: Option<TicketNo>,
    pub route: Option<Route>,
    pub people_ahead: u32,
    pub at: DateTime<FixedOffset>,
    /// The decision as stored (with the override applied).
    #[serde(skip)]
    pub decision: Decision,
}

/// One ticket in a window's list, with enough to show it (the screen masks the name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub ticket: TicketNo,
    pub case_no: Option<CaseNo>,
    pub route: Route,
    pub priority: bool,
    pub flags: Vec<Flag>,
    /// Unmasked: the screen masks it (§8).
    pub applicant_name: String,
    /// When the worker first took a ticket for this visit (transfers keep their place).
    pub issued_at: DateTime<FixedOffset>,
    pub state: TicketState,
    /// The window that called it, for tickets called or being served.
    pub window: Option<WindowNo>,
}

impl QueueEntry {
    /// Held by a window: called to it or being served there.
    pub fn is_held(&self) -> bool {
        matches!(self.state, TicketState::Called | TicketState::Serving)
    }
}

/// One line of a case's history (首问负责: the history follows the case through transfers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: DateTime<FixedOffset>,
    pub event: CaseEvent,
    pub staff: Option<StaffNo>,
    pub window: Option<WindowNo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseEvent {
    Registered,
    RouteOverridden {
        from: Option<Route>,
        to: Route,
        referral_to: Option<ReferralTo>,
        reason: String,
    },
    TicketIssued(TicketNo),
    Called(TicketNo),
    Recalled(TicketNo),
    NoShow(TicketNo),
    Started(TicketNo),
    Transferred {
        from: Option<Route>,
        to: Route,
        ticket: Option<TicketNo>,
        reason: String,
    },
    Finished(Outcome),
    Reprinted(PrintKind),
    Viewed,
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseView {
    pub case_no: CaseNo,
    pub record: IntakeRecord,
    pub decision: Decision,
    pub route: Option<Route>,
    /// The newest ticket of the case and its state.
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

/// The printer as the status line shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterHealth {
    Ready,
    PaperOut,
    Offline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Health {
    pub database: DbStatus,
    pub printer: PrinterHealth,
    pub pending_print_jobs: u32,
    /// The oldest paper of this window that was sent but not confirmed by the printer: the
    /// clerk is asked at once whether it came out.
    pub unconfirmed: Option<(crate::storage::PrintJobId, crate::domain::PrintKind)>,
}
