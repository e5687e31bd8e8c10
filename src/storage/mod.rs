//! Storage: one [`Store`] over two backends, chosen once by URL (`sqlite://PATH` or
//! `postgres://…`).
//!
//! Everything a window writes goes through the store: the intake commit (case, decision, ticket
//! and print jobs in one transaction), the queue operations, the print spool, sign-in, stations
//! and the audit log. The SQL is written once, per aggregate, in plain functions and `impl Store`
//! blocks: `cases.rs`, `tickets.rs`, `print_jobs.rs`, `staff.rs`, `site.rs`, `stations.rs`,
//! `changes.rs`, `audit.rs`, `reporting.rs` (with `seed.rs`, data for the report benchmark) and
//! `followup.rs`. `db.rs` is the one place a query is bound and run on either backend (`$1`
//! placeholders work on both). `sqlite.rs` and `postgres.rs` hold only what differs: opening the
//! pool, how a writer takes its lock (`BEGIN IMMEDIATE` against `FOR UPDATE SKIP LOCKED`), how a
//! change reaches other processes (a polled version counter against `LISTEN/NOTIFY`), and the
//! migrations (`migrations/sqlite`, `migrations/postgres`).
//!
//! Times are passed in (`Actor::at`, `at`, `now`), never read from the clock here, so numbering
//! around local midnight, lease expiry and the audit log can be tested.
//!
//! Nothing here logs personal data: spans skip their arguments, and errors name cases and tickets
//! by number, never a person.

pub mod alerts;
mod audit;
pub mod backup;
mod cases;
mod changes;
mod db;
pub mod employers;
pub mod filing;
pub mod followup;
mod postgres;
mod print_jobs;
pub mod reporting;
mod retention;
mod seed;
mod site;
mod sqlite;
mod staff;
pub mod stations;
mod ticket_day;
mod tickets;
mod types;

pub use cases::OpenCase;
pub use site::WindowRow;
pub use staff::{SignInAttempts, StaffAuth, StaffLogin};
pub use ticket_day::ServedTickets;
pub use tickets::RenderTicket;
pub use types::*;

use futures::stream::BoxStream;
use std::fmt;

/// What can go wrong in storage. Messages name the case, ticket or job concerned, never a person.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("{what} is {from}; cannot {action}")]
    InvalidTransition {
        what: String,
        from: String,
        action: &'static str,
    },
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("unsupported database URL {0} (expected sqlite://PATH or postgres://…)")]
    UnsupportedUrl(String),
    /// The database cannot be reached; the text says why (refused, no answer, …).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Db(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StorageError {
    /// A value the row types cannot decode (an unknown code, damaged JSON) is stored data gone
    /// wrong, not a database fault.
    fn from(e: sqlx::Error) -> StorageError {
        match e {
            sqlx::Error::ColumnDecode { index, source } => {
                StorageError::Corrupt(format!("column {index}: {source}"))
            }
            sqlx::Error::Decode(source) => StorageError::Corrupt(source.to_string()),
            e => StorageError::Db(e),
        }
    }
}

impl StorageError {
    /// Whether the database could not be reached (as opposed to refusing what was asked).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StorageError::Unavailable(_) => true,
            StorageError::Db(e) => matches!(
                e,
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
            ),
            _ => false,
        }
    }
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// A database URL whose password never appears in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl(String);

impl DbUrl {
    pub fn new(url: impl Into<String>) -> DbUrl {
        DbUrl(url.into())
    }

    /// The URL with its password; only for handing to the driver.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn backend(&self) -> Option<Backend> {
        if self.0.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if self.0.starts_with("postgres://") || self.0.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// The URL with any password replaced by `***` (the one redactor, [`crate::config::redact_url`]).
    pub fn redacted(&self) -> String {
        crate::config::redact_url(&self.0)
    }
}

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DbUrl({:?})", self.redacted())
    }
}

impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Connections in the pool, at most. Each process kind has its budget (see the presets): a
    /// centre's PostgreSQL server shares `max_connections` among all of them.
    pub max_connections: u32,
    /// Apply pending migrations on open (the default; `db migrate` does it explicitly).
    pub migrate: bool,
    /// How the process shows in `pg_stat_activity` (PostgreSQL), so an administrator can tell a
    /// kiosk from a display.
    pub application_name: &'static str,
}

impl Default for OpenOptions {
    /// Eight connections: for tests and benchmarks with many concurrent callers. The program's
    /// processes use the presets below.
    fn default() -> Self {
        OpenOptions {
            max_connections: 8,
            migrate: true,
            application_name: "onewindow",
        }
    }
}

/// Connection budgets. A centre of 40 windows with two supervisor screens and two hall displays
/// needs at most 40·2 + 2·3 + 2·2 = 90 connections, inside PostgreSQL's default
/// `max_connections = 100` with its 3 reserved for superusers; idle connections are closed after
/// [`IDLE_TIMEOUT`], so the usual count is far lower.
impl OpenOptions {
    /// A window's kiosk: the clerk's calls, the print runner and the heartbeat share two
    /// connections (none of them holds one while it waits for a person or a printer).
    pub fn kiosk() -> OpenOptions {
        OpenOptions {
            max_connections: 2,
            application_name: "onewindow kiosk",
            ..OpenOptions::default()
        }
    }

    /// The supervisor's dashboard: the change listener's connection and two for reading and for
    /// what the supervisor does.
    pub fn supervisor() -> OpenOptions {
        OpenOptions {
            max_connections: 3,
            application_name: "onewindow supervisor",
            ..OpenOptions::default()
        }
    }

    /// The hall display: the change listener's connection and one for reading the board.
    pub fn display() -> OpenOptions {
        OpenOptions {
            max_connections: 2,
            application_name: "onewindow display",
            ..OpenOptions::default()
        }
    }

    /// A command (`intake`, `queue call`, `db …`): one thing at a time.
    pub fn command() -> OpenOptions {
        OpenOptions {
            max_connections: 2,
            application_name: "onewindow command",
            ..OpenOptions::default()
        }
    }
}

/// A pooled connection unused this long is closed, giving its slot back to the server.
pub const IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A stream of changes made by any process sharing the database.
pub type ChangeStream = BoxStream<'static, ChangeEvent>;

/// The database the application holds: cheap to clone (a pool inside), the same behaviour on
/// both backends. The story tests in `tests/storage_story.rs` run against each.
#[derive(Debug, Clone)]
pub struct Store {
    pool: db::Pool,
    /// A write that could not start by then is refused, not run late (see [`Store::by`]).
    write_deadline: Option<std::time::Instant>,
}

impl Store {
    /// Opens (and by default migrates) the database the URL names.
    #[tracing::instrument(skip_all, err, fields(url = %url))]
    pub async fn open(url: &DbUrl, options: OpenOptions) -> Result<Store> {
        let pool = match url.backend() {
            Some(Backend::Sqlite) => db::Pool::Sqlite(sqlite::open(url, &options).await?),
            Some(Backend::Postgres) => db::Pool::Postgres(postgres::open(url, &options).await?),
            None => return Err(StorageError::UnsupportedUrl(url.redacted())),
        };
        Ok(Store::from_pool(pool))
    }

    pub(crate) fn from_pool(pool: db::Pool) -> Store {
        Store {
            pool,
            write_deadline: None,
        }
    }

    /// This store, for writes that must start by `deadline` or not at all: a call-next asked
    /// while the database was away is refused when it cannot begin in time, instead of being
    /// carried out whenever the database comes back (the ticket would be announced late, to a
    /// clerk who has moved on).
    pub fn by(&self, deadline: std::time::Instant) -> Store {
        Store {
            pool: self.pool.clone(),
            write_deadline: Some(deadline),
        }
    }

    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether [`Store::close`] was called (on any clone).
    pub fn is_closed(&self) -> bool {
        self.pool.is_closed()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        let u = DbUrl::new("postgres://ow:s3cret@db.local:5432/ow?sslmode=disable&password=x");
        let shown = format!("{u} {u:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(!shown.contains("password=x"), "{shown}");
        assert!(shown.contains("postgres://ow:***@db.local:5432/ow?sslmode=disable&password=***"));
        assert_eq!(
            DbUrl::new("sqlite://onewindow.db").redacted(),
            "sqlite://onewindow.db"
        );
        assert_eq!(
            DbUrl::new("postgres://postgres@127.0.0.1/test").redacted(),
            "postgres://postgres@127.0.0.1/test"
        );
    }
}
