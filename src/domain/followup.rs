//! Follow-up calls (回访, issue 14): which cases are called, when they fall due, and what a call's
//! result may say. Pure rules; `storage::followup` keeps the records.

use super::codes::{Outcome, Route, codes};
use serde::{Deserialize, Serialize};

codes! {
    /// How a follow-up call went. Only `unreachable` leaves the follow-up open: the case stays on
    /// the list to be called again.
    pub enum FollowUpContact {
        Reached = "reached", "已联系上", "Reached";
        Unreachable = "unreachable", "未接通（稍后再拨）", "Unreachable — retry later";
        Declined = "declined", "拒绝回访", "Declined";
    }
}

impl FollowUpContact {
    /// Whether a record with this result ends the case's follow-up.
    pub fn closes(self) -> bool {
        !matches!(self, FollowUpContact::Unreachable)
    }
}

/// Whether a case is followed up at all: mediated or referred at a window, or routed to a
/// referral at intake (a referral notice has no local queue, so it may never have an outcome).
pub fn followed_up(route: Option<Route>, outcome: Option<Outcome>) -> bool {
    matches!(outcome, Some(Outcome::Mediated | Outcome::Referred))
        || (outcome.is_none() && route == Some(Route::Referral))
}

/// The result of one call, as typed: checked before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpResult {
    pub contact: FollowUpContact,
    /// Whether the worker was satisfied; only a worker who was reached can say.
    pub satisfied: Option<bool>,
    pub note: String,
}

/// The longest note kept, in characters (a note is a line or two, not a transcript).
pub const NOTE_MAX_CHARS: usize = 500;

/// Why a result cannot be recorded as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultProblem {
    SatisfiedWithoutContact,
    NoteTooLong,
    ControlCharacters,
}

impl FollowUpResult {
    /// The result with its note trimmed, or why it cannot be stored.
    pub fn checked(
        contact: FollowUpContact,
        satisfied: Option<bool>,
        note: &str,
    ) -> Result<FollowUpResult, ResultProblem> {
        let note = note.trim();
        if satisfied.is_some() && contact != FollowUpContact::Reached {
            return Err(ResultProblem::SatisfiedWithoutContact);
        }
        if note.chars().count() > NOTE_MAX_CHARS {
            return Err(ResultProblem::NoteTooLong);
        }
        // A note is shown on terminals and in reports: no control bytes or invisible
        // characters (a line break is kept).
        if note.chars().any(|c| c != '\n' && super::text::is_hidden(c)) {
            return Err(ResultProblem::ControlCharacters);
        }
        Ok(FollowUpResult {
            contact,
            satisfied,
            note: note.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreachable_keeps_the_follow_up_open() {
        assert!(FollowUpContact::Reached.closes());
        assert!(FollowUpContact::Declined.closes());
        assert!(!FollowUpContact::Unreachable.closes());
    }

    #[test]
    fn referral_cases_are_followed_up_before_any_outcome() {
        assert!(followed_up(Some(Route::Referral), None));
        assert!(!followed_up(Some(Route::Arbitration), None));
        assert!(followed_up(
            Some(Route::LaborMediation),
            Some(Outcome::Mediated)
        ));
        assert!(!followed_up(
            Some(Route::Referral),
            Some(Outcome::Withdrawn)
        ));
    }

    #[test]
    fn satisfaction_only_for_a_reached_worker() {
        use FollowUpContact::*;
        assert!(FollowUpResult::checked(Reached, Some(true), " 已履行 ").is_ok());
        assert_eq!(
            FollowUpResult::checked(Unreachable, Some(false), ""),
            Err(ResultProblem::SatisfiedWithoutContact)
        );
        assert_eq!(
            FollowUpResult::checked(Declined, None, "a\u{1b}[2J"),
            Err(ResultProblem::ControlCharacters)
        );
    }
}
