//! The values that cross the storage interface.

use super::db::{Arg, IntoArg};
use crate::domain::audit::{AuditEvent, RouteOverride};
use crate::domain::numbering::{CaseNo, StaffNo, TicketNo, WindowNo};
use crate::domain::{Decision, Flag, IntakeRecord, ReferralTo, Route};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::domain::codes::{Outcome, PrintKind, PrintState, StaffRole, TicketState};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            // Delegated, not `write!`, so a table's `{:>6}` pads an id like the number it is.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl<'a> IntoArg<'a> for $name {
            fn into_arg(self) -> Arg<'a> {
                Arg::I64(Some(self.0))
            }
        }

        impl<'a> IntoArg<'a> for Option<$name> {
            fn into_arg(self) -> Arg<'a> {
                Arg::I64(self.map(|id| id.0))
            }
        }
    };
}

// Row ids: how storage tells records apart, never shown to people, who read numbers (`CaseNo`,
// `TicketNo`, `WindowNo`, `StaffNo`).
id_type!(SiteId);
id_type!(QueueId);
id_type!(
    /// A window's row id; people know a window by its number (`domain::WindowNo`).
    WindowId
);
id_type!(StaffId);
id_type!(CaseId);
id_type!(TicketId);
id_type!(PrintJobId);

/// How long a claimed print job stays leased (the print runner's `print::spool::LEASE`) to its printer process; after that another process
/// may claim it (the first one is presumed dead).
pub const PRINT_LEASE: chrono::TimeDelta = chrono::TimeDelta::seconds(120);

/// A job taken this many times by a runner whose lease then ran out (the runner died or hung on
/// it) is stopped instead of taken again.
pub const PRINT_MAX_CLAIMS: i64 = 5;

crate::domain::codes::codes! {
    /// What a change event is about, so a screen knows what to re-read.
    pub enum ChangeKind {
        Setup = "setup", "setup", "setup";
        CaseCreated = "case_created", "case_created", "case_created";
        TicketIssued = "ticket_issued", "ticket_issued", "ticket_issued";
        TicketCalled = "ticket_called", "ticket_called", "ticket_called";
        TicketRecalled = "ticket_recalled", "ticket_recalled", "ticket_recalled";
        TicketNoShow = "ticket_no_show", "ticket_no_show", "ticket_no_show";
        TicketStarted = "ticket_started", "ticket_started", "ticket_started";
        TicketTransferred = "ticket_transferred", "ticket_transferred", "ticket_transferred";
        TicketFinished = "ticket_finished", "ticket_finished", "ticket_finished";
        PrintJobQueued = "print_job_queued", "print_job_queued", "print_job_queued";
        PrintJobClaimed = "print_job_claimed", "print_job_claimed", "print_job_claimed";
        PrintJobPrinted = "print_job_printed", "print_job_printed", "print_job_printed";
        PrintJobFailed = "print_job_failed", "print_job_failed", "print_job_failed";
        WindowSignedIn = "window_signed_in", "window_signed_in", "window_signed_in";
        WindowSignedOut = "window_signed_out", "window_signed_out", "window_signed_out";
        PrinterStatus = "printer_status", "printer_status", "printer_status";
        AlertAcknowledged = "alert_acknowledged", "alert_acknowledged", "alert_acknowledged";
    }
}

/// Who acts, where and when: what every audit entry carries. The time is the instant of the
/// action (numbering uses its local day); the caller reads the clock, storage never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub staff: Option<StaffId>,
    /// The window acted at; `None` for the supervisor's console and commands run at no window.
    pub window: Option<WindowId>,
    pub at: DateTime<Utc>,
}

impl Actor {
    /// Someone acting at no particular window (or where the ticket's window says it).
    pub fn at(staff: Option<StaffId>, at: DateTime<Utc>) -> Actor {
        Actor {
            staff,
            window: None,
            at,
        }
    }

    /// Someone acting at a window.
    pub fn at_window(staff: Option<StaffId>, window: Option<WindowId>, at: DateTime<Utc>) -> Actor {
        Actor { staff, window, at }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub id: SiteId,
    pub code: String,
    pub name: String,
    pub queues: Vec<QueueInfo>,
}

impl SiteInfo {
    pub fn queue(&self, route: Route) -> Option<&QueueInfo> {
        self.queues.iter().find(|q| q.route == route)
    }

    pub fn queue_by_prefix(&self, prefix: &str) -> Option<&QueueInfo> {
        self.queues.iter().find(|q| q.prefix == prefix)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueInfo {
    pub id: QueueId,
    pub route: Route,
    pub prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowInfo {
    pub id: WindowId,
    pub site: SiteId,
    pub number: i64,
    pub name: String,
    pub queues: Vec<QueueId>,
}

/// A print job handed in with an intake; the printing side renders the document, storage keeps
/// the payload as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrintJob {
    pub kind: PrintKind,
    pub payload: String,
}

/// The numbers an intake commit assigns, given to the renderer of its print jobs inside the
/// transaction so the documents carry them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assigned {
    pub case_id: CaseId,
    pub case_no: CaseNo,
    pub ticket: Option<IssuedTicket>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedTicket {
    pub id: TicketId,
    pub ticket_no: TicketNo,
    pub queue: QueueId,
    pub route: Route,
    /// Waiting tickets of the same queue and day that will be called before this one.
    pub ahead: i64,
    /// Numbers of the windows whose stations serve the ticket's queue, in order.
    pub windows: Vec<u32>,
}

/// Renders the print jobs of an intake once its numbers are known. It runs inside the
/// transaction, so it must be quick and must not do I/O.
pub type RenderJobs<'a> = Box<dyn FnOnce(&Assigned) -> Vec<NewPrintJob> + Send + 'a>;

/// Everything an intake commit stores.
pub struct IntakeCommit<'a> {
    pub site: SiteId,
    pub record: &'a IntakeRecord,
    pub decision: &'a Decision,
    pub by: Actor,
    pub window: Option<WindowId>,
    pub print_jobs: RenderJobs<'a>,
    /// When the clerk sent the case elsewhere than the decision did: audited with the intake.
    pub route_override: Option<RouteOverride>,
}

impl<'a> IntakeCommit<'a> {
    /// An intake whose print jobs do not depend on the assigned numbers.
    pub fn with_jobs(
        site: SiteId,
        record: &'a IntakeRecord,
        decision: &'a Decision,
        by: Actor,
        window: Option<WindowId>,
        jobs: Vec<NewPrintJob>,
    ) -> IntakeCommit<'a> {
        IntakeCommit {
            site,
            record,
            decision,
            by,
            window,
            print_jobs: Box::new(move |_| jobs),
            route_override: None,
        }
    }
}

/// What an intake commit returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntakeReceipt {
    pub case_id: CaseId,
    pub case_no: CaseNo,
    pub ticket: Option<IssuedTicket>,
    pub print_jobs: Vec<PrintJobId>,
}

/// A stored case: the intake record and decision as committed, and the key columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRecord {
    pub id: CaseId,
    pub case_no: CaseNo,
    pub site: SiteId,
    pub local_day: NaiveDate,
    pub route: Option<Route>,
    pub referral_to: Option<ReferralTo>,
    pub flags: Vec<Flag>,
    pub priority: bool,
    /// Masked as on paper (§8).
    pub applicant_masked: String,
    pub applicant_id_masked: String,
    pub applicant_phone_masked: String,
    pub counterparty_name: String,
    pub record: IntakeRecord,
    pub decision: Decision,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<StaffId>,
    pub window: Option<WindowId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    pub id: TicketId,
    pub ticket_no: TicketNo,
    pub queue: QueueId,
    pub prefix: String,
    pub route: Route,
    pub local_day: NaiveDate,
    pub case: Option<CaseId>,
    pub state: TicketState,
    pub priority: bool,
    pub issued_at: DateTime<Utc>,
    /// The issue time of the first ticket of a transfer chain: the place in the queue.
    pub original_issued_at: DateTime<Utc>,
    pub transferred_from: Option<TicketId>,
    pub transfer_reason: Option<String>,
    pub window: Option<WindowId>,
    pub staff: Option<StaffId>,
    pub called_at: Option<DateTime<Utc>>,
    pub recalls: i64,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
}

/// A ticket as a window's list shows it: with its case's number, applicant and flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowTicket {
    pub ticket: Ticket,
    pub case_no: Option<CaseNo>,
    /// Unmasked: the screen masks it (§8).
    pub applicant_name: Option<String>,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketFilter {
    pub site: Option<SiteId>,
    pub queue: Option<QueueId>,
    pub day: Option<NaiveDate>,
    pub state: Option<TicketState>,
}

/// A print job to queue outside an intake (a transfer slip, a manual job).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrintJobFor {
    pub case: Option<CaseId>,
    pub ticket: Option<TicketId>,
    /// The window whose printer prints it; `None`: the first print runner free.
    pub window: Option<WindowId>,
    pub kind: PrintKind,
    pub payload: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintJob {
    pub id: PrintJobId,
    pub case: Option<CaseId>,
    pub ticket: Option<TicketId>,
    pub kind: PrintKind,
    pub payload: String,
    pub state: PrintState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub lease_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub printed_at: Option<DateTime<Utc>>,
    pub reprint_of: Option<PrintJobId>,
    /// The window whose printer prints it (`None`: any).
    pub window: Option<WindowId>,
}

/// Which due jobs a print runner takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintScope {
    /// Paper queued at this window, and paper queued at no window (`None`: only the latter).
    Window(Option<WindowId>),
    /// This one job, if it is due.
    Job(PrintJobId),
    /// Every due job, at any window (`print run --all`, one printer for the whole centre).
    All,
}

/// One attempt at a print job: when, the state it left the job in, why, how many bytes went out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintAttempt {
    pub at: DateTime<Utc>,
    pub outcome: PrintState,
    pub error: Option<String>,
    pub bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJobFilter {
    pub id: Option<PrintJobId>,
    pub state: Option<PrintState>,
    pub case: Option<CaseId>,
    pub window: Option<WindowId>,
    /// Oldest first unless set (the spool's own list shows the newest first).
    pub newest_first: bool,
    pub limit: i64,
}

impl Default for PrintJobFilter {
    fn default() -> Self {
        PrintJobFilter {
            id: None,
            state: None,
            case: None,
            window: None,
            newest_first: false,
            limit: 100,
        }
    }
}

/// An audit entry to write: who, where, about which case and ticket, and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    pub staff: Option<StaffId>,
    pub window: Option<WindowId>,
    pub case: Option<CaseId>,
    pub ticket: Option<TicketId>,
    pub event: AuditEvent,
}

impl AuditRecord {
    /// An event by `by`, at the window they act at.
    pub fn by(by: Actor, event: AuditEvent) -> AuditRecord {
        AuditRecord {
            at: by.at,
            staff: by.staff,
            window: by.window,
            case: None,
            ticket: None,
            event,
        }
    }
}

/// One line of the append-only audit log as read back: the acting staff member's number and the
/// window's number beside their row ids, so a history never shows an id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub staff: Option<StaffId>,
    pub staff_no: Option<StaffNo>,
    pub window: Option<WindowId>,
    pub window_no: Option<WindowNo>,
    pub case: Option<CaseId>,
    pub ticket: Option<TicketId>,
    /// Serialised flat: `action` and the event's fields beside the columns above.
    #[serde(flatten)]
    pub event: AuditEvent,
}

/// A change another screen may need to show. `version` grows with every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    pub version: i64,
    pub kind: ChangeKind,
    pub at: DateTime<Utc>,
    pub queue: Option<QueueId>,
    pub ticket: Option<TicketId>,
    pub case: Option<CaseId>,
    pub print_job: Option<PrintJobId>,
}

/// The ids a change is about, before it has a version.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ChangeIds {
    pub queue: Option<QueueId>,
    pub ticket: Option<TicketId>,
    pub case: Option<CaseId>,
    pub print_job: Option<PrintJobId>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `print jobs` lines its ids up with `{:>6}`: an id pads like the number it is.
    #[test]
    fn ids_honour_width_and_alignment() {
        assert_eq!(
            format!("{:>6}|{:<3}|", PrintJobId(2), PrintJobId(17)),
            "     2|17 |"
        );
    }

    #[test]
    fn codes_round_trip() {
        for s in TicketState::ALL {
            assert_eq!(s.code().parse::<TicketState>().unwrap(), *s);
        }
        for o in Outcome::ALL {
            assert_eq!(o.code().parse::<Outcome>().unwrap(), *o);
        }
        let err = "finished".parse::<Outcome>().unwrap_err();
        assert!(err.contains("mediated"), "{err}");
    }
}
