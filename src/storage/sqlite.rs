//! What is particular to SQLite: one file per window, WAL, durable commits.
//!
//! Writers open their transaction with `BEGIN IMMEDIATE`, taking SQLite's single write lock up
//! front: a deferred transaction that reads and then writes can fail with `SQLITE_BUSY` when two
//! connections upgrade at once, and holding the lock from the start is what makes call-next
//! atomic without row locks. Other processes learn of changes by polling the `changes` table (the
//! version counter) from the last version they saw.

use super::db::Dialect;
use super::{ChangeStream, DbUrl, OpenOptions, Result, StorageError, Store};
use crate::config::files;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::path::PathBuf;
use std::time::Duration;

/// How often a subscriber looks for new changes: inside the 500 ms a hall display may lag and
/// the 1 s a kiosk may take to show another window's ticket. Every signed-in kiosk polls, so
/// this is also its idle cost: 100 ms measured 0.67 % of a core idle (`cargo bench --bench
/// kiosk`), 250 ms less than half of that.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// How long a writer waits for the write lock before giving up with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) static DIALECT: Dialect = Dialect {
    row_lock: "",
    record_phone: "json_extract(record, '$.applicant.phone')",
};

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

pub(crate) async fn open(url: &DbUrl, options: &OpenOptions) -> Result<SqlitePool> {
    let path = path_of(url)?;
    // Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the mode of the
    // database file.
    let created = files::touch_private(&path)
        .map_err(|e| StorageError::Invalid(format!("{}: {e}", path.display())))?;
    let connect = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is on disk when it returns, even across power loss. A kiosk's commits
        // are few; a lost registration is not acceptable.
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
    if created {
        for suffix in ["", "-wal", "-shm"] {
            let p = files::with_suffix(&path, suffix);
            if p.exists() {
                files::set_mode(&p, files::FILE_MODE)
                    .map_err(|e| StorageError::Invalid(format!("{}: {e}", p.display())))?;
            }
        }
    }
    Ok(pool)
}

pub(crate) async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// The `changes` rows are the notification: a subscriber polls for rows above its version.
pub(crate) async fn subscribe(store: Store) -> Result<ChangeStream> {
    let mut last = store.change_version().await?;
    let (tx, rx) = tokio::sync::mpsc::channel(1024);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = tx.closed() => return,
            }
            match store.changes_since(last).await {
                Ok(events) => {
                    for e in events {
                        last = e.version;
                        if tx.send(e).await.is_err() {
                            return;
                        }
                    }
                }
                Err(e) => {
                    if store.pool().is_closed() {
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
