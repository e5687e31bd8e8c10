//! Is the database there? One health check per process (kiosk, supervisor, hall display) pings
//! it every [`PROBE_EVERY`] and tells every screen at once, so a lost database is shown within
//! a few seconds — the status bar, the queue ("unknown", never "nobody waiting"), the
//! dashboard's banner, the hall board marked stale — and everything resumes by itself when it
//! answers again. Operations that would change something refuse at once while it is down,
//! instead of waiting for the pool and running late.

use super::Services;
use chrono::{DateTime, Utc};
use std::time::Duration;
use tokio::sync::watch;

/// How often the database is asked.
pub const PROBE_EVERY: Duration = Duration::from_secs(1);
/// How long it may take to answer before it counts as gone. A lost server is noticed within
/// `PROBE_EVERY + PROBE_WITHIN` plus a second to find out why: under the 5 s the screens promise.
pub const PROBE_WITHIN: Duration = Duration::from_millis(1500);

/// The database as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbState {
    Up,
    /// Not answering since `since`; `cause` says why (refused, no answer, …), for the log and
    /// for a person who has to call the administrator.
    Down {
        since: DateTime<Utc>,
        cause: String,
    },
}

/// What a screen holds to know the database's state; cheap to clone. The check stops when the
/// last one is dropped.
#[derive(Debug, Clone)]
pub struct DbWatch(watch::Receiver<DbState>);

impl DbWatch {
    pub fn state(&self) -> DbState {
        self.0.borrow().clone()
    }

    pub fn is_down(&self) -> bool {
        matches!(*self.0.borrow(), DbState::Down { .. })
    }

    /// Waits for the next change of state (`Err` when the check has stopped).
    pub async fn changed(&mut self) -> Result<DbState, watch::error::RecvError> {
        self.0.changed().await?;
        Ok(self.0.borrow_and_update().clone())
    }

    /// A watch that always says `state`, for screens tested without a check running.
    pub fn fixed(state: DbState) -> DbWatch {
        let (tx, rx) = watch::channel(state);
        // The sender goes; the receiver keeps the last value.
        drop(tx);
        DbWatch(rx)
    }
}

impl Services {
    /// Starts this process's health check of the database.
    pub fn watch_database(&self) -> DbWatch {
        let (tx, rx) = watch::channel(DbState::Up);
        let store = self.store().clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(PROBE_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = tx.closed() => return,
                }
                let result = store.ping(PROBE_WITHIN).await;
                let now = Utc::now();
                tx.send_if_modified(|state| match (&*state, result) {
                    (DbState::Up, Ok(())) => false,
                    (DbState::Down { since, .. }, Ok(())) => {
                        let secs = (now - *since).num_seconds();
                        tracing::info!(secs, "the database answers again");
                        *state = DbState::Up;
                        true
                    }
                    (DbState::Up, Err(e)) => {
                        tracing::warn!(error = %e, "the database does not answer");
                        *state = DbState::Down {
                            since: now,
                            cause: e.to_string(),
                        };
                        true
                    }
                    // Still down: the first failure's time stays; a new reason replaces the old.
                    (DbState::Down { since, cause }, Err(e)) => {
                        let e = e.to_string();
                        if *cause == e {
                            return false;
                        }
                        *state = DbState::Down {
                            since: *since,
                            cause: e,
                        };
                        true
                    }
                });
                if store.is_closed() {
                    return;
                }
            }
        });
        DbWatch(rx)
    }
}
