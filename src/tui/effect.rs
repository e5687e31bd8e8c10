//! What `update` asks the outside world to do, and how the run loop does it: calls to the
//! window's services run in spawned tasks and come back as [`Action`]s; drafts are saved by the
//! loop (debounced).

use super::app::Action;
use super::draft::Draft;
use crate::app::queue::TicketOp;
use crate::app::{Kiosk, SetUp, Submission};
use crate::domain::{CaseNo, Outcome, PrintKind, Route, StaffNo, TicketNo};
use crate::storage::PrintJobId;
use chrono::{DateTime, FixedOffset};

#[derive(Debug, Clone)]
pub enum Request {
    NeedsSetup,
    SetUp(SetUp, DateTime<FixedOffset>),
    SignIn {
        staff: StaffNo,
        pin: String,
        at: DateTime<FixedOffset>,
    },
    SignOut {
        at: DateTime<FixedOffset>,
    },
    Submit(Box<Submission>),
    Queue {
        at: DateTime<FixedOffset>,
    },
    CallNext {
        at: DateTime<FixedOffset>,
    },
    Ticket {
        op: TicketOp,
        ticket: TicketNo,
        at: DateTime<FixedOffset>,
    },
    Transfer {
        ticket: TicketNo,
        to: Route,
        reason: String,
        at: DateTime<FixedOffset>,
    },
    Finish {
        ticket: TicketNo,
        outcome: Outcome,
        at: DateTime<FixedOffset>,
    },
    CaseView(CaseNo),
    Search(String),
    Reprint {
        case_no: CaseNo,
        paper: PrintKind,
        at: DateTime<FixedOffset>,
    },
    /// The clerk's answer for paper the printer did not confirm: it came out (已打出), or print
    /// it again (补打).
    ResolvePrint {
        job: PrintJobId,
        paper: PrintKind,
        came_out: bool,
        at: DateTime<FixedOffset>,
    },
    Health,
}

#[derive(Debug, Clone)]
pub enum Effect {
    Call(Request),
    /// Save this draft soon (the loop keeps only the newest and writes it after a short pause),
    /// in the file of the clerk it names.
    SaveDraft(Box<Draft>),
    /// Delete the draft of the clerk signed in (the case was submitted, or they threw it away).
    DiscardDraft,
    /// Read the draft this clerk left here, if any; it comes back as `Action::DraftLoaded`.
    LoadDraft(StaffNo),
    Quit,
}

/// Runs one request against the window's services and turns the answer into the action that
/// reports it.
pub async fn perform(kiosk: &Kiosk, request: Request) -> Action {
    match request {
        Request::NeedsSetup => Action::NeedsSetup(kiosk.needs_setup().await),
        Request::SetUp(s, at) => Action::SetUpDone(kiosk.set_up(s, at).await),
        Request::SignIn { staff, pin, at } => Action::SignedIn(kiosk.sign_in(staff, pin, at).await),
        Request::SignOut { at } => Action::SignedOut(kiosk.sign_out(at).await),
        Request::Submit(s) => Action::Submitted(kiosk.submit(*s).await),
        Request::Queue { at } => Action::QueueLoaded(kiosk.queue(at).await),
        Request::CallNext { at } => Action::Called(kiosk.call_next(at).await),
        Request::Ticket { op, ticket, at } => {
            Action::TicketUpdated(kiosk.ticket_op(op, ticket, at).await)
        }
        Request::Transfer {
            ticket,
            to,
            reason,
            at,
        } => Action::TransferDone(kiosk.transfer(ticket, to, reason, at).await),
        Request::Finish {
            ticket,
            outcome,
            at,
        } => Action::TicketUpdated(kiosk.finish(ticket, outcome, at).await),
        Request::CaseView(c) => Action::CaseLoaded(kiosk.case_view(c).await.map(Box::new)),
        Request::Search(q) => Action::SearchResults(kiosk.search(q).await),
        Request::Reprint { case_no, paper, at } => {
            Action::Reprinted(paper, kiosk.reprint(case_no, paper, at).await)
        }
        Request::ResolvePrint {
            job,
            paper,
            came_out,
            at,
        } => Action::PrintResolved(
            paper,
            came_out,
            kiosk.resolve_print(job, came_out, at).await,
        ),
        Request::Health => Action::Health(kiosk.health().await),
    }
}
