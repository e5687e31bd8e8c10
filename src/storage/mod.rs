//! Storage: one interface, two backends chosen by URL (`sqlite://PATH` or `postgres://…`).
//!
//! Everything a window writes goes through [`Storage`]: the intake commit (case, decision, ticket
//! and print jobs in one transaction), the queue operations, the print spool and the audit log.
//! Both backends run the same SQL where the dialects agree (`$1` placeholders work on SQLite too);
//! they differ only in how a writer takes its lock (`BEGIN IMMEDIATE` against `FOR UPDATE SKIP
//! LOCKED`) and how a change reaches other processes (a polled version counter against
//! `LISTEN/NOTIFY`). The shared code is in `shared.rs`; the differences in `sqlite.rs` and
//! `postgres.rs`.
//!
//! Nothing here logs personal data: spans skip their arguments, and errors name cases and tickets
//! by number, never a person.

pub mod followup;
pub mod kiosk;
pub mod postgres;
pub mod reporting;
mod shared;
pub mod sqlite;
pub mod stations;
pub mod supervision;
mod types;

pub use postgres::PgStorage;
pub use sqlite::SqliteStorage;
pub use types::*;

use crate::domain::numbering::CaseNo;
use crate::domain::{Route, SiteSettings};
use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use std::fmt;
use std::future::Future;

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
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
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

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        let url = &self.0;
        let Some(scheme_end) = url.find("://") else {
            return url.clone();
        };
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let mut out = url[..scheme_end + 3].to_string();
        match authority.rsplit_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, _password)) => out.push_str(&format!("{user}:***@{host}")),
                None => out.push_str(&format!("{userinfo}@{host}")),
            },
            None => out.push_str(authority),
        }
        let tail = &rest[authority_end..];
        // A password can also come as a query parameter.
        match tail.split_once('?') {
            Some((path, query)) => {
                out.push_str(path);
                out.push('?');
                let params: Vec<String> = query
                    .split('&')
                    .map(|p| match p.split_once('=') {
                        Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                        _ => p.to_string(),
                    })
                    .collect();
                out.push_str(&params.join("&"));
            }
            None => out.push_str(tail),
        }
        out
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
    /// Connections in the pool. A kiosk needs few; tests and the bench raise it to have many
    /// concurrent callers on separate connections.
    pub max_connections: u32,
    /// Apply pending migrations on open (the default; `db migrate` does it explicitly).
    pub migrate: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            max_connections: 8,
            migrate: true,
        }
    }
}

/// A stream of changes made by any process sharing the database.
pub type ChangeStream = BoxStream<'static, ChangeEvent>;

/// The storage interface. Both backends implement it with the same behaviour; the story tests in
/// `tests/storage_story.rs` run against each.
///
/// Times are passed in (`Actor::at`, `now`) rather than read from the clock, so that numbering
/// around local midnight and lease expiry can be tested.
pub trait Storage: Send + Sync {
    fn backend(&self) -> Backend;

    /// Creates or updates the site and one queue per route with a ticket prefix.
    fn ensure_site(&self, site: &SiteSettings) -> impl Future<Output = Result<SiteInfo>> + Send;

    /// Creates or updates window `number` of the site and the routes whose queues it serves.
    fn upsert_window(
        &self,
        site: SiteId,
        number: i64,
        name: &str,
        routes: &[Route],
    ) -> impl Future<Output = Result<WindowId>> + Send;

    /// Creates or updates a staff member by their code.
    fn upsert_staff(
        &self,
        site: SiteId,
        code: &str,
        name: &str,
        role: StaffRole,
    ) -> impl Future<Output = Result<StaffId>> + Send;

    fn site_by_code(&self, code: &str) -> impl Future<Output = Result<SiteInfo>> + Send;
    fn window_by_number(
        &self,
        site: SiteId,
        number: i64,
    ) -> impl Future<Output = Result<WindowInfo>> + Send;
    fn staff_by_code(
        &self,
        site: SiteId,
        code: &str,
    ) -> impl Future<Output = Result<StaffId>> + Send;

    /// Stores a case with its decision, its ticket (when the decision has a queue) and its print
    /// jobs in one transaction, numbering the case and the ticket from the day's counters.
    fn commit_intake(
        &self,
        intake: IntakeCommit<'_>,
    ) -> impl Future<Output = Result<IntakeReceipt>> + Send;

    fn case_by_no(&self, case_no: &CaseNo) -> impl Future<Output = Result<CaseRecord>> + Send;
    fn tickets_for_case(&self, case: CaseId) -> impl Future<Output = Result<Vec<Ticket>>> + Send;
    fn audit_for_case(&self, case: CaseId) -> impl Future<Output = Result<Vec<AuditEntry>>> + Send;

    /// Issues a ticket in a queue, for a case or for a walk-in without one yet.
    fn issue_ticket(
        &self,
        queue: QueueId,
        case: Option<CaseId>,
        priority: bool,
        by: Actor,
    ) -> impl Future<Output = Result<Ticket>> + Send;

    /// Calls the next waiting ticket of today for the window: priority first, then by original
    /// issue time, across all queues the window serves. Two windows never get the same ticket.
    fn call_next(
        &self,
        window: WindowId,
        by: Actor,
    ) -> impl Future<Output = Result<Option<Ticket>>> + Send;
    fn recall(&self, ticket: TicketId, by: Actor) -> impl Future<Output = Result<Ticket>> + Send;
    fn no_show(&self, ticket: TicketId, by: Actor) -> impl Future<Output = Result<Ticket>> + Send;
    fn start(&self, ticket: TicketId, by: Actor) -> impl Future<Output = Result<Ticket>> + Send;
    /// Moves a ticket to another queue: the old ticket ends `transferred`, a new one waits in the
    /// target queue keeping the original issue time (its place) and the case.
    fn transfer(
        &self,
        ticket: TicketId,
        to: QueueId,
        reason: &str,
        by: Actor,
    ) -> impl Future<Output = Result<Ticket>> + Send;
    fn finish(
        &self,
        ticket: TicketId,
        outcome: Outcome,
        by: Actor,
    ) -> impl Future<Output = Result<Ticket>> + Send;
    fn ticket(&self, id: TicketId) -> impl Future<Output = Result<Ticket>> + Send;
    fn ticket_by_no(
        &self,
        site: SiteId,
        day: chrono::NaiveDate,
        ticket_no: &str,
    ) -> impl Future<Output = Result<Ticket>> + Send;
    fn list_tickets(
        &self,
        filter: TicketFilter,
    ) -> impl Future<Output = Result<Vec<Ticket>>> + Send;

    fn enqueue_print_job(
        &self,
        job: NewPrintJobFor,
    ) -> impl Future<Output = Result<PrintJobId>> + Send;
    /// Leases the oldest due job (pending and due, or printing with an expired lease) queued at
    /// `window` or at no window, and marks it printing until `now + PRINT_LEASE`. A runner at no
    /// window (`None`) takes only jobs queued at no window.
    fn claim_next_print_job(
        &self,
        now: DateTime<Utc>,
        window: Option<WindowId>,
    ) -> impl Future<Output = Result<Option<PrintJob>>> + Send;
    fn mark_print_job_printed(&self, id: PrintJobId) -> impl Future<Output = Result<()>> + Send;
    /// A failed attempt (or a retry asked for by a person): back to pending at `retry_at` with
    /// one more attempt counted, or `failed` for good when `retry_at` is `None`. Only a printed
    /// job refuses.
    fn mark_print_job_failed(
        &self,
        id: PrintJobId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> impl Future<Output = Result<()>> + Send;
    fn list_print_jobs(
        &self,
        filter: PrintJobFilter,
    ) -> impl Future<Output = Result<Vec<PrintJob>>> + Send;
    /// Sends paper still waiting to another window's printer (`None`: the first one free), for
    /// a window whose printer or kiosk is gone; due at once, audited.
    fn move_print_job(
        &self,
        id: PrintJobId,
        window: Option<WindowId>,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Queues a copy of a printed or failed job as a new job with `reprint_of` set; the old job is
    /// left as it is. The copy prints at `window` (where it was asked for), else where the
    /// original was queued.
    fn reprint(
        &self,
        id: PrintJobId,
        window: Option<WindowId>,
    ) -> impl Future<Output = Result<PrintJobId>> + Send;

    /// A window's list for the day: the waiting tickets of the queues it serves in calling order,
    /// after the tickets called to or being served at this window.
    fn window_tickets(
        &self,
        window: WindowId,
        day: chrono::NaiveDate,
    ) -> impl Future<Output = Result<Vec<WindowTicket>>> + Send;

    /// Changes made from now on by any process using this database.
    fn subscribe(&self) -> impl Future<Output = Result<ChangeStream>> + Send;

    /// The latest change version (0 when nothing has changed yet).
    fn change_version(&self) -> impl Future<Output = Result<i64>> + Send;

    /// Deletes change rows older than `before` (subscribers that far behind reload anyway),
    /// always keeping the newest so the version never goes back. Returns how many went.
    fn prune_changes(&self, before: DateTime<Utc>) -> impl Future<Output = Result<u64>> + Send;
}

/// A store opened by URL: the type the application holds.
#[derive(Debug, Clone)]
pub enum AnyStorage {
    Sqlite(SqliteStorage),
    Postgres(PgStorage),
}

impl AnyStorage {
    /// Opens (and by default migrates) the database the URL names.
    #[tracing::instrument(skip_all, err, fields(url = %url))]
    pub async fn open(url: &DbUrl, options: OpenOptions) -> Result<AnyStorage> {
        match url.backend() {
            Some(Backend::Sqlite) => Ok(AnyStorage::Sqlite(
                SqliteStorage::open(url, &options).await?,
            )),
            Some(Backend::Postgres) => {
                Ok(AnyStorage::Postgres(PgStorage::open(url, &options).await?))
            }
            None => Err(StorageError::UnsupportedUrl(url.redacted())),
        }
    }

    pub async fn close(&self) {
        match self {
            AnyStorage::Sqlite(s) => s.close().await,
            AnyStorage::Postgres(p) => p.close().await,
        }
    }
}

macro_rules! delegate {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyStorage::Sqlite($s) => $call.await,
            AnyStorage::Postgres($s) => $call.await,
        }
    };
}

impl Storage for AnyStorage {
    fn backend(&self) -> Backend {
        match self {
            AnyStorage::Sqlite(_) => Backend::Sqlite,
            AnyStorage::Postgres(_) => Backend::Postgres,
        }
    }
    async fn ensure_site(&self, site: &SiteSettings) -> Result<SiteInfo> {
        delegate!(self, s => s.ensure_site(site))
    }
    async fn upsert_window(
        &self,
        site: SiteId,
        number: i64,
        name: &str,
        routes: &[Route],
    ) -> Result<WindowId> {
        delegate!(self, s => s.upsert_window(site, number, name, routes))
    }
    async fn upsert_staff(
        &self,
        site: SiteId,
        code: &str,
        name: &str,
        role: StaffRole,
    ) -> Result<StaffId> {
        delegate!(self, s => s.upsert_staff(site, code, name, role))
    }
    async fn site_by_code(&self, code: &str) -> Result<SiteInfo> {
        delegate!(self, s => s.site_by_code(code))
    }
    async fn window_by_number(&self, site: SiteId, number: i64) -> Result<WindowInfo> {
        delegate!(self, s => s.window_by_number(site, number))
    }
    async fn staff_by_code(&self, site: SiteId, code: &str) -> Result<StaffId> {
        delegate!(self, s => s.staff_by_code(site, code))
    }
    async fn commit_intake(&self, intake: IntakeCommit<'_>) -> Result<IntakeReceipt> {
        delegate!(self, s => s.commit_intake(intake))
    }
    async fn case_by_no(&self, case_no: &CaseNo) -> Result<CaseRecord> {
        delegate!(self, s => s.case_by_no(case_no))
    }
    async fn tickets_for_case(&self, case: CaseId) -> Result<Vec<Ticket>> {
        delegate!(self, s => s.tickets_for_case(case))
    }
    async fn audit_for_case(&self, case: CaseId) -> Result<Vec<AuditEntry>> {
        delegate!(self, s => s.audit_for_case(case))
    }
    async fn issue_ticket(
        &self,
        queue: QueueId,
        case: Option<CaseId>,
        priority: bool,
        by: Actor,
    ) -> Result<Ticket> {
        delegate!(self, s => s.issue_ticket(queue, case, priority, by))
    }
    async fn call_next(&self, window: WindowId, by: Actor) -> Result<Option<Ticket>> {
        delegate!(self, s => s.call_next(window, by))
    }
    async fn recall(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
        delegate!(self, s => s.recall(ticket, by))
    }
    async fn no_show(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
        delegate!(self, s => s.no_show(ticket, by))
    }
    async fn start(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
        delegate!(self, s => s.start(ticket, by))
    }
    async fn transfer(
        &self,
        ticket: TicketId,
        to: QueueId,
        reason: &str,
        by: Actor,
    ) -> Result<Ticket> {
        delegate!(self, s => s.transfer(ticket, to, reason, by))
    }
    async fn finish(&self, ticket: TicketId, outcome: Outcome, by: Actor) -> Result<Ticket> {
        delegate!(self, s => s.finish(ticket, outcome, by))
    }
    async fn ticket(&self, id: TicketId) -> Result<Ticket> {
        delegate!(self, s => s.ticket(id))
    }
    async fn ticket_by_no(
        &self,
        site: SiteId,
        day: chrono::NaiveDate,
        ticket_no: &str,
    ) -> Result<Ticket> {
        delegate!(self, s => s.ticket_by_no(site, day, ticket_no))
    }
    async fn list_tickets(&self, filter: TicketFilter) -> Result<Vec<Ticket>> {
        delegate!(self, s => s.list_tickets(filter))
    }
    async fn enqueue_print_job(&self, job: NewPrintJobFor) -> Result<PrintJobId> {
        delegate!(self, s => s.enqueue_print_job(job))
    }
    async fn claim_next_print_job(
        &self,
        now: DateTime<Utc>,
        window: Option<WindowId>,
    ) -> Result<Option<PrintJob>> {
        delegate!(self, s => s.claim_next_print_job(now, window))
    }
    async fn mark_print_job_printed(&self, id: PrintJobId) -> Result<()> {
        delegate!(self, s => s.mark_print_job_printed(id))
    }
    async fn mark_print_job_failed(
        &self,
        id: PrintJobId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        delegate!(self, s => s.mark_print_job_failed(id, error, retry_at))
    }
    async fn list_print_jobs(&self, filter: PrintJobFilter) -> Result<Vec<PrintJob>> {
        delegate!(self, s => s.list_print_jobs(filter))
    }
    async fn move_print_job(
        &self,
        id: PrintJobId,
        window: Option<WindowId>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        delegate!(self, s => s.move_print_job(id, window, at))
    }
    async fn reprint(&self, id: PrintJobId, window: Option<WindowId>) -> Result<PrintJobId> {
        delegate!(self, s => s.reprint(id, window))
    }
    async fn window_tickets(
        &self,
        window: WindowId,
        day: chrono::NaiveDate,
    ) -> Result<Vec<WindowTicket>> {
        delegate!(self, s => s.window_tickets(window, day))
    }
    async fn subscribe(&self) -> Result<ChangeStream> {
        delegate!(self, s => s.subscribe())
    }
    async fn change_version(&self) -> Result<i64> {
        delegate!(self, s => s.change_version())
    }
    async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64> {
        delegate!(self, s => s.prune_changes(before))
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
