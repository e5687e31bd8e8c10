//! The kiosk's clock, and what terminal input means to the kiosk: each [`Input`] from the input
//! task ([`super::terminal`]) becomes an [`Action`]. The one-second tick drives the clock, the
//! idle lock and status polls; between ticks and keys the kiosk sleeps.

use super::app::Action;
use super::terminal::Input;
use crate::domain::china_time;
use std::time::Duration;

/// How often the kiosk's clock moves.
pub const TICK: Duration = Duration::from_secs(1);

pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Utc::now().with_timezone(&china_time())
}

/// Terminal input as the kiosk's action; a tick carries the time it was read at.
pub fn action(input: Input) -> Option<Action> {
    Some(match input {
        Input::Key(k) => Action::Key(k),
        Input::Paste(text) => Action::Paste(text),
        Input::Resize(w, h) => Action::Resize(w, h),
        Input::Tick => Action::Tick(now()),
    })
}
