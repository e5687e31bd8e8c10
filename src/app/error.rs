//! What can go wrong in an operation, in the terms a front end shows a person. Storage and
//! printing errors are mapped here once, so the kiosk, the supervisor and every command say the
//! same thing about the same failure.

use crate::domain::TicketNo;
use crate::storage::StorageError;
use chrono::{DateTime, FixedOffset};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    #[error("wrong staff number or PIN; {attempts_left} attempts left")]
    BadCredentials { attempts_left: u32 },
    #[error("locked until {until}")]
    LockedOut { until: DateTime<FixedOffset> },
    /// Nobody signed in where a staff member's PIN is needed.
    #[error("sign in first: give your staff number (--staff NO) and your PIN")]
    NotSignedIn,
    /// Signed in, but the role may not do this.
    #[error("not allowed for this role")]
    Forbidden,
    /// The role has no screen to sign in at (a follow-up caller at the kiosk or the
    /// supervisor's console): their PIN was right, their work is a command's.
    #[error("{} does not sign in at this screen: use `onewindow followup`", role.en())]
    NoScreen { role: crate::domain::StaffRole },
    #[error("not found")]
    NotFound,
    /// The record has errors; the decision lists each at its field. Nothing was stored.
    #[error("not registered: {} error(s) in the record", .0.errors.len())]
    Blocked(Box<crate::domain::Decision>),
    #[error("no ticket is waiting")]
    QueueEmpty,
    /// A window holds one ticket at a time: finish, mark no-show or transfer it first.
    #[error("this window still holds ticket {0}")]
    WindowBusy(TicketNo),
    #[error("not allowed in this state")]
    InvalidState,
    /// A reprint was asked for while that paper is still waiting for the printer.
    #[error("still in the print queue")]
    StillPrinting,
    /// The site has not been set up yet (first start).
    /// The message says how, since a command is often the first thing a new centre runs.
    #[error(
        "the site is not set up yet: start the kiosk (`onewindow`) once for the first-start \
         set-up, or name the site in onewindow.toml ([site] code = \"ZZ01\", or --set site.code=ZZ01)"
    )]
    NotSetUp,
    #[error("database unavailable")]
    Unavailable,
    /// Input a person can correct; the message says what.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Other(String),
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> AppError {
        match e {
            StorageError::NotFound(_) => AppError::NotFound,
            StorageError::InvalidTransition { .. } | StorageError::Conflict(_) => {
                AppError::InvalidState
            }
            StorageError::Invalid(m) => AppError::Invalid(m),
            ref e if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "storage error");
                AppError::Other(other.to_string())
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
