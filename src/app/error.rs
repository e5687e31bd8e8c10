//! What can go wrong in an operation, in the terms a front end shows a person. Storage and
//! printing errors are mapped here once, so the kiosk, the supervisor and every command say the
//! same thing about the same failure.

use crate::domain::{Lang, TicketNo};
use crate::i18n::{cli::Errors, fill};
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

impl AppError {
    /// The error as a person reads it in `lang`: every command, and the kiosk's and the
    /// dashboard's status lines, say the same. The English is the `Display` text (logs keep
    /// English); `Invalid` and `Other` carry text already worded where it was made.
    pub fn words(&self, lang: Lang) -> String {
        let s = Errors::get(lang);
        match self {
            AppError::BadCredentials { attempts_left } => {
                fill(s.bad_credentials, &[("n", &attempts_left.to_string())])
            }
            AppError::LockedOut { until } => fill(s.locked_out, &[("until", &until.to_string())]),
            AppError::NotSignedIn => s.not_signed_in.to_string(),
            AppError::Forbidden => s.forbidden.to_string(),
            AppError::NoScreen { role } => fill(s.no_screen, &[("role", role.label(lang))]),
            AppError::NotFound => s.not_found.to_string(),
            AppError::Blocked(d) => fill(s.blocked, &[("n", &d.errors.len().to_string())]),
            AppError::QueueEmpty => s.queue_empty.to_string(),
            AppError::WindowBusy(t) => fill(s.window_busy, &[("ticket", t.as_str())]),
            AppError::InvalidState => s.invalid_state.to_string(),
            AppError::StillPrinting => s.still_printing.to_string(),
            AppError::NotSetUp => s.not_set_up.to_string(),
            AppError::Unavailable => s.unavailable.to_string(),
            AppError::Invalid(m) | AppError::Other(m) => m.clone(),
        }
    }
}

/// A command's error as `onewindow: …` shows it: each context, then its cause, joined as
/// anyhow's `{:#}` joins them, with an [`AppError`] worded in `lang`.
pub fn error_chain(lang: Lang, e: &anyhow::Error) -> String {
    e.chain()
        .map(|cause| match cause.downcast_ref::<AppError>() {
            Some(app) => app.words(lang),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(crate::i18n::cli::Strings::get(lang).colon)
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The English wording of every error is its `Display` text, word for word, and the
    /// Chinese differs from it.
    #[test]
    fn english_words_are_the_display_text() {
        for e in [
            AppError::NotSignedIn,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::QueueEmpty,
            AppError::InvalidState,
            AppError::StillPrinting,
            AppError::NotSetUp,
            AppError::Unavailable,
            AppError::BadCredentials { attempts_left: 3 },
            AppError::WindowBusy(TicketNo::from_stored("T001".into())),
        ] {
            assert_eq!(e.words(Lang::En), e.to_string());
            assert_ne!(e.words(Lang::Zh), e.to_string(), "{e}");
        }
    }

    #[test]
    fn a_chain_words_its_app_error_in_the_language() {
        let e = anyhow::Error::from(AppError::NotFound).context("打印任务 7");
        assert_eq!(error_chain(Lang::Zh, &e), "打印任务 7：未找到");
        let e = anyhow::Error::from(AppError::NotFound).context("print job 7");
        assert_eq!(error_chain(Lang::En, &e), format!("{e:#}"));
    }
}
