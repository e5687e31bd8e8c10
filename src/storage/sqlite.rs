//! SQLite backend: one file per window, WAL, durable commits.
//!
//! Writers open their transaction with `BEGIN IMMEDIATE`, taking SQLite's single write lock up
//! front: a deferred transaction that reads and then writes can fail with `SQLITE_BUSY` when two
//! connections upgrade at once, and holding the lock from the start is what makes call-next
//! atomic. Other processes learn of changes by polling the `changes` table (the version counter)
//! from the last version they saw.

use super::shared::{TicketRow, impl_storage, ticket_select};
use super::types::{ChangeEvent, StaffId, Ticket, TicketId, WindowId};
use super::{ChangeStream, DbUrl, OpenOptions, Result, StorageError};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::path::PathBuf;
use std::time::Duration;

/// How often a subscriber looks for new changes: well inside the 500 ms a hall display may lag.
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// How long a writer waits for the write lock before giving up with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct SqliteStorage {
    pool: SqlitePool,
    path: PathBuf,
}

/// The file a `sqlite:` URL names: `sqlite://PATH` or `sqlite:PATH` (relative or absolute).
pub fn path_of(url: &DbUrl) -> Result<PathBuf> {
    let u = url.expose();
    let rest = u
        .strip_prefix("sqlite://")
        .or_else(|| u.strip_prefix("sqlite:"))
        .ok_or_else(|| StorageError::UnsupportedUrl(url.redacted()))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() {
        return Err(StorageError::Invalid(format!(
            "{} names no file (expected sqlite://PATH)",
            url.redacted()
        )));
    }
    Ok(PathBuf::from(path))
}

impl SqliteStorage {
    /// The writer lock is already held (`BEGIN IMMEDIATE`), so a plain update of the first
    /// waiting ticket is atomic.
    pub(crate) const CALL_NEXT_SQL: &'static str = "UPDATE tickets SET state = 'called', \
        window_id = $1, staff_id = $2, called_at = $3 WHERE id = (SELECT id FROM tickets \
        WHERE state = 'waiting' AND local_day = $4 \
        AND queue_id IN (SELECT queue_id FROM window_queues WHERE window_id = $1) \
        ORDER BY priority DESC, original_issued_at, id LIMIT 1) RETURNING id";

    pub(crate) const CLAIM_PRINT_SQL: &'static str = "UPDATE print_jobs SET state = 'printing', \
        lease_until = $2 WHERE id = (SELECT id FROM print_jobs WHERE \
        ((state = 'pending' AND next_attempt_at <= $1) OR (state = 'printing' AND lease_until < $1)) \
        AND (window_id = $3 OR window_id IS NULL) ORDER BY id LIMIT 1) RETURNING id";

    pub async fn open(url: &DbUrl, options: &OpenOptions) -> Result<SqliteStorage> {
        let path = path_of(url)?;
        let connect = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk when it returns, even across power loss. A kiosk's
            // commits are few; a lost registration is not acceptable.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(connect)
            .await?;
        if options.migrate {
            sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        }
        Ok(SqliteStorage { pool, path })
    }

    /// The pool, for the report and follow-up queries in `reporting.rs` / `followup.rs`.
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn call_next_row(
        conn: &mut sqlx::SqliteConnection,
        window: WindowId,
        staff: Option<StaffId>,
        at: DateTime<Utc>,
        day: NaiveDate,
    ) -> Result<Option<Ticket>> {
        let id: Option<TicketId> = sqlx::query_scalar(Self::CALL_NEXT_SQL)
            .bind(window)
            .bind(staff)
            .bind(at)
            .bind(day)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(id) = id else {
            return Ok(None);
        };
        let row: TicketRow = sqlx::query_as(concat!(ticket_select!(), " WHERE t.id = $1"))
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        Ok(Some(row.try_into()?))
    }

    /// Nothing to send: the `changes` rows are the notification; subscribers poll for rows
    /// above their version.
    pub(crate) async fn publish(&self, _events: &[ChangeEvent]) {}

    async fn subscribe_impl(&self) -> Result<ChangeStream> {
        let pool = self.pool.clone();
        let mut last = self.change_version_inner().await?;
        let (tx, rx) = tokio::sync::mpsc::channel(1024);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(POLL_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = tx.closed() => return,
                }
                match SqliteStorage::changes_since(&pool, last).await {
                    Ok(events) => {
                        for e in events {
                            last = e.version;
                            if tx.send(e).await.is_err() {
                                return;
                            }
                        }
                    }
                    Err(e) => {
                        if pool.is_closed() {
                            return;
                        }
                        tracing::warn!(error = %e, "reading changes failed; retrying");
                    }
                }
            }
        });
        Ok(Box::pin(futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|e| (e, rx))
        })))
    }

    async fn change_version_inner(&self) -> Result<i64> {
        let v: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(v.unwrap_or(0))
    }
}

impl_storage!(SqliteStorage, sqlx::Sqlite, Sqlite);
crate::storage::kiosk::impl_kiosk_store!(
    SqliteStorage,
    "json_extract(record, '$.applicant.phone')"
);
crate::storage::stations::impl_station_store!(SqliteStorage);
