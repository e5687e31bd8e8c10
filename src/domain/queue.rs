//! The queue's rules that need no database: which ticket operation may follow which state.

use super::codes::{Outcome, Route, TicketState};

/// The outcomes a ticket of `route`'s queue can end with. Only a mediation queue mediates (or
/// accepts the application for a later session); arbitration and inspection accept the case or
/// complaint; every queue may end with advice, a withdrawal, a referral onward or "other". The finish popup offers exactly these, and the service
/// refuses any other, so 调解成功 can never be recorded at the arbitration window.
pub fn outcomes_for(route: Route) -> &'static [Outcome] {
    use Outcome::*;
    match route {
        Route::LaborMediation | Route::PeoplesMediation => &[
            Mediated,
            NotMediated,
            Accepted,
            Withdrawn,
            Advised,
            Referred,
            Other,
        ],
        Route::Arbitration | Route::LaborInspection => {
            &[Accepted, Withdrawn, Advised, Referred, Other]
        }
        Route::Referral => &[Referred, Advised, Withdrawn, Other],
    }
}

/// The operations on a called or waiting ticket and the states they may start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketAction {
    Recall,
    NoShow,
    Start,
    Transfer,
    Finish,
}

impl TicketAction {
    /// The operation as a refusal names it ("… is waiting; cannot start").
    pub fn name(self) -> &'static str {
        match self {
            TicketAction::Recall => "recall",
            TicketAction::NoShow => "mark no-show",
            TicketAction::Start => "start",
            TicketAction::Transfer => "transfer",
            TicketAction::Finish => "finish",
        }
    }

    pub fn allowed_from(self, state: TicketState) -> bool {
        use TicketState::*;
        match self {
            TicketAction::Recall | TicketAction::NoShow | TicketAction::Start => state == Called,
            TicketAction::Finish => state == Serving,
            TicketAction::Transfer => matches!(state, Waiting | Called | Serving),
        }
    }

    /// Every state the operation may start from, in the order of [`TicketState::ALL`].
    pub fn from_states(self) -> impl Iterator<Item = TicketState> {
        TicketState::ALL
            .iter()
            .copied()
            .filter(move |s| self.allowed_from(*s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mediation_queues_mediate() {
        for &r in Route::ALL {
            let mediates = outcomes_for(r).contains(&Outcome::Mediated);
            assert_eq!(
                mediates,
                matches!(r, Route::LaborMediation | Route::PeoplesMediation),
                "{r:?}"
            );
            assert!(outcomes_for(r).contains(&Outcome::Other), "{r:?}");
        }
        assert!(outcomes_for(Route::Arbitration).contains(&Outcome::Accepted));
    }

    #[test]
    fn transitions_follow_the_ticket_life() {
        use TicketAction::*;
        assert!(Start.allowed_from(TicketState::Called));
        assert!(!Start.allowed_from(TicketState::Waiting));
        assert!(!Finish.allowed_from(TicketState::Called));
        assert!(Finish.allowed_from(TicketState::Serving));
        assert!(Transfer.allowed_from(TicketState::Waiting));
        assert!(!Transfer.allowed_from(TicketState::Done));
        assert!(!Recall.allowed_from(TicketState::NoShow));
        assert_eq!(
            Transfer.from_states().collect::<Vec<_>>(),
            [
                TicketState::Waiting,
                TicketState::Called,
                TicketState::Serving
            ]
        );
    }
}
