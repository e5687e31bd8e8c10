//! What `update` asks the outside world to do, and how the run loop does it: backend calls run in
//! spawned tasks and come back as [`Action`]s; drafts are saved by the loop (debounced).

use super::app::Action;
use super::backend::*;
use super::draft::Draft;
use crate::domain::Route;
use chrono::{DateTime, FixedOffset};

#[derive(Debug, Clone)]
pub enum Request {
    NeedsSetup,
    SetUp(SetUp),
    SignIn {
        staff: StaffNo,
        pin: String,
        at: DateTime<FixedOffset>,
    },
    SignOut {
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    },
    Submit(Box<Submission>),
    Waiting {
        window: WindowId,
        at: DateTime<FixedOffset>,
    },
    CallNext {
        window: WindowId,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    },
    Ticket {
        op: TicketOp,
        ticket: TicketNo,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    },
    Transfer {
        ticket: TicketNo,
        to: Route,
        reason: String,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    },
    Finish {
        ticket: TicketNo,
        outcome: Outcome,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    },
    CaseView(CaseNo),
    Search(String),
    Reprint {
        case_no: CaseNo,
        paper: Paper,
        staff: StaffNo,
        at: DateTime<FixedOffset>,
    },
    Health,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketOp {
    Recall,
    NoShow,
    Start,
}

#[derive(Debug, Clone)]
pub enum Effect {
    Call(Request),
    /// Save this draft soon (the loop keeps only the newest and writes it after a short pause).
    SaveDraft(Box<Draft>),
    DiscardDraft,
    Quit,
}

/// Runs one request against the backend and turns the answer into the action that reports it.
pub async fn perform(backend: &dyn Backend, request: Request) -> Action {
    match request {
        Request::NeedsSetup => Action::NeedsSetup(backend.needs_setup().await),
        Request::SetUp(s) => Action::SetUpDone(backend.set_up(s).await),
        Request::SignIn { staff, pin, at } => {
            Action::SignedIn(backend.sign_in(staff, pin, at).await)
        }
        Request::SignOut { staff, at } => Action::SignedOut(backend.sign_out(staff, at).await),
        Request::Submit(s) => Action::Submitted(backend.submit(*s).await),
        Request::Waiting { window, at } => Action::QueueLoaded(backend.waiting(window, at).await),
        Request::CallNext { window, staff, at } => {
            Action::Called(backend.call_next(window, staff, at).await)
        }
        Request::Ticket {
            op,
            ticket,
            staff,
            at,
        } => {
            let r = match op {
                TicketOp::Recall => backend.recall(ticket, staff, at).await,
                TicketOp::NoShow => backend.no_show(ticket, staff, at).await,
                TicketOp::Start => backend.start(ticket, staff, at).await,
            };
            Action::TicketUpdated(r)
        }
        Request::Transfer {
            ticket,
            to,
            reason,
            staff,
            at,
        } => Action::TransferDone(backend.transfer(ticket, to, reason, staff, at).await),
        Request::Finish {
            ticket,
            outcome,
            staff,
            at,
        } => Action::TicketUpdated(backend.finish(ticket, outcome, staff, at).await),
        Request::CaseView(c) => Action::CaseLoaded(backend.case_view(c).await.map(Box::new)),
        Request::Search(q) => Action::SearchResults(backend.search(q).await),
        Request::Reprint {
            case_no,
            paper,
            staff,
            at,
        } => Action::Reprinted(paper, backend.reprint(case_no, paper, staff, at).await),
        Request::Health => Action::Health(backend.health().await),
    }
}
