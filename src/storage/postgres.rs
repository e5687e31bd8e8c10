//! What is particular to PostgreSQL: one server for a centre's windows, supervisor screens and
//! hall display.
//!
//! Call-next and print claims lock their row with `FOR UPDATE SKIP LOCKED`, so concurrent windows
//! each take a different ticket without waiting for one another. Every change is a row in
//! `changes`, announced by a `NOTIFY` on [`CHANNEL`] sent just after the commit; subscribers
//! `LISTEN` and reconcile with the `changes` table every second, so a notification lost to a
//! crash or a dropped connection still arrives.

use super::db::Dialect;
use super::{
    ChangeEvent, ChangeStream, DbUrl, IDLE_TIMEOUT, OpenOptions, Result, StorageError, Store,
};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgListener, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// How long a caller waits for a connection. A lost server is reported within this (plus a
/// second to find out why), not after sqlx's 30 s: a call made during an outage fails while the
/// clerk is still looking, instead of running late when the server comes back.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long the one connection attempt that explains an outage may take.
const DIAGNOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// The notification channel changes are sent on.
pub const CHANNEL: &str = "onewindow_changes";

pub(crate) static DIALECT: Dialect = Dialect {
    row_lock: " FOR UPDATE SKIP LOCKED",
    record_phone: "(record->'applicant'->>'phone')",
};

pub(crate) async fn open(url: &DbUrl, options: &OpenOptions) -> Result<PgPool> {
    let connect =
        PgConnectOptions::from_str(url.expose())?.application_name(options.application_name);
    let pool = PgPoolOptions::new()
        .max_connections(options.max_connections.max(1))
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .idle_timeout(IDLE_TIMEOUT)
        .connect_with(connect.clone())
        .await
        .map_err(StorageError::from);
    let pool = match pool {
        Err(e) if e.is_unavailable() => return Err(unavailable(&connect).await),
        other => other?,
    };
    if options.migrate {
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
    }
    Ok(pool)
}

/// Why the server cannot be reached, found by one direct connection attempt: sqlx's pool keeps
/// retrying a refused connection until its time-out and then says only "pool timed out".
pub(crate) async fn unavailable(options: &PgConnectOptions) -> StorageError {
    let server = match options.get_socket() {
        Some(dir) => format!("PostgreSQL at {}", dir.display()),
        None => format!(
            "PostgreSQL at {}:{}",
            options.get_host(),
            options.get_port()
        ),
    };
    let why =
        match tokio::time::timeout(DIAGNOSE_TIMEOUT, PgConnection::connect_with(options)).await {
            Ok(Ok(c)) => {
                let _ = c.close().await;
                format!(
                    "{server} answers, but no connection was free within {} s",
                    ACQUIRE_TIMEOUT.as_secs()
                )
            }
            Ok(Err(sqlx::Error::Io(e))) => format!("{server}: {e}"),
            Ok(Err(e)) => format!("{server}: {e}"),
            Err(_) => format!(
                "{server} does not answer (no reply within {} s)",
                DIAGNOSE_TIMEOUT.as_secs()
            ),
        };
    StorageError::Unavailable(why)
}

/// Announces committed changes, one event per line of the payload. This is sent after the
/// commit, not inside the transaction: PostgreSQL serialises the commits of all transactions
/// that NOTIFY (one lock held through the WAL flush), which capped call-next at about 500/s. A
/// notification lost to a crash between commit and send is recovered by the subscribers'
/// reconciliation with the `changes` table.
pub(crate) async fn publish(pool: &PgPool, events: &[ChangeEvent]) {
    for chunk in events.chunks(32) {
        let payload: Vec<String> = chunk
            .iter()
            .filter_map(|e| serde_json::to_string(e).ok())
            .collect();
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload.join("\n"))
            .execute(pool)
            .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "change notification not sent; subscribers reconcile");
        }
    }
}

pub(crate) async fn subscribe(store: Store, pool: &PgPool) -> Result<ChangeStream> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    // Read the version after LISTEN so nothing committed in between is missed.
    let start = store.change_version().await?;
    let (tx, rx) = tokio::sync::mpsc::channel(1024);
    tokio::spawn(async move {
        let mut seen = Seen::new(start);
        let mut tick = tokio::time::interval(RECONCILE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let (events, reconciled) = tokio::select! {
                r = listener.try_recv() => match r {
                    Ok(Some(n)) => (parse_payload(n.payload()), false),
                    // The connection dropped and was re-established: look at the table.
                    Ok(None) => (reconcile(&store, &seen).await, true),
                    Err(e) => {
                        if store.pool().is_closed() {
                            return;
                        }
                        tracing::warn!(error = %e, "change listener failed; retrying");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        (Vec::new(), false)
                    }
                },
                _ = tick.tick() => (reconcile(&store, &seen).await, true),
                _ = tx.closed() => return,
            };
            for e in events {
                if seen.first_time(e.version) && tx.send(e).await.is_err() {
                    return;
                }
            }
            if reconciled {
                seen.advance(std::time::Instant::now());
            }
        }
    });
    Ok(Box::pin(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (e, rx))
    })))
}

/// How often a subscriber compares what it was told with the `changes` table.
const RECONCILE_EVERY: Duration = Duration::from_secs(1);

/// How long a missing version may still turn up: identity values are taken at insert, so a
/// lower version can commit after a higher one, and a rolled-back one never commits at all.
const GAP_PATIENCE: Duration = Duration::from_secs(10);

/// The versions a subscriber has delivered: everything up to `floor`, and the set above it.
struct Seen {
    floor: i64,
    above: std::collections::BTreeSet<i64>,
    gaps: std::collections::BTreeMap<i64, std::time::Instant>,
}

impl Seen {
    fn new(floor: i64) -> Seen {
        Seen {
            floor,
            above: Default::default(),
            gaps: Default::default(),
        }
    }

    fn first_time(&mut self, version: i64) -> bool {
        version > self.floor && self.above.insert(version)
    }

    /// Moves the floor up to the first version still awaited (a gap younger than the patience).
    fn advance(&mut self, now: std::time::Instant) {
        let Some(&max) = self.above.last() else {
            return;
        };
        for v in self.floor + 1..max {
            if !self.above.contains(&v) {
                self.gaps.entry(v).or_insert(now);
            }
        }
        let above = &self.above;
        self.gaps
            .retain(|v, since| !above.contains(v) && now.duration_since(*since) < GAP_PATIENCE);
        self.floor = match self.gaps.keys().next() {
            Some(first_gap) => first_gap - 1,
            None => max,
        };
        self.above = self.above.split_off(&(self.floor + 1));
    }
}

/// Changes in the table the subscriber has not delivered yet.
async fn reconcile(store: &Store, seen: &Seen) -> Vec<ChangeEvent> {
    let events = match store.changes_since(seen.floor).await {
        Ok(events) => events,
        Err(e) => {
            tracing::warn!(error = %e, "reading changes failed");
            Vec::new()
        }
    };
    events
        .into_iter()
        .filter(|e| e.version > seen.floor && !seen.above.contains(&e.version))
        .collect()
}

fn parse_payload(payload: &str) -> Vec<ChangeEvent> {
    payload
        .lines()
        .filter_map(|line| match serde_json::from_str(line) {
            Ok(e) => Some(e),
            Err(e) => {
                tracing::warn!(error = %e, "unreadable change notification");
                None
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_version_is_delivered_once_and_late_commits_are_awaited() {
        let t0 = Instant::now();
        let mut seen = Seen::new(10);
        assert!(!seen.first_time(10), "already known when subscribing");
        assert!(seen.first_time(11));
        assert!(
            !seen.first_time(11),
            "a notification and the table tell twice"
        );
        assert!(seen.first_time(13));
        seen.advance(t0);
        // 12 may still commit: the floor waits below it.
        assert_eq!(seen.floor, 11);
        assert!(seen.first_time(12));
        assert!(!seen.first_time(13));
        seen.advance(t0);
        assert_eq!(seen.floor, 13);
        // A version that never commits (rolled back) is given up after the patience.
        assert!(seen.first_time(15));
        seen.advance(t0);
        assert_eq!(seen.floor, 13);
        seen.advance(t0 + GAP_PATIENCE);
        assert_eq!(seen.floor, 15);
        assert!(seen.above.is_empty());
    }

    #[test]
    fn payload_lines_are_events() {
        let e = ChangeEvent {
            version: 7,
            kind: crate::storage::ChangeKind::TicketCalled,
            at: chrono::DateTime::UNIX_EPOCH,
            queue: None,
            ticket: Some(crate::storage::TicketId(3)),
            case: None,
            print_job: None,
        };
        let line = serde_json::to_string(&e).unwrap();
        let parsed = parse_payload(&format!("{line}\n{line}\nnot json"));
        assert_eq!(parsed, vec![e.clone(), e]);
    }
}
