//! The part of the storage implementation both backends share: the same SQL, bound the same way.
//!
//! It is a macro rather than generic code because sqlx's generic bounds over a `Database` (every
//! bound type must be `Encode + Decode + Type` for it, every connection an `Executor`) would bury
//! the SQL under where-clauses. Each backend provides `pool`, `begin_write`, `call_next_row`, `publish`, `CLAIM_PRINT_SQL` and
//! `subscribe_impl`; see `sqlite.rs` and `postgres.rs`.

use super::types::*;
use super::{Result, StorageError};
use crate::domain::Route;
use crate::domain::numbering::TicketNo;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;

/// The columns of a ticket with its queue, for `TicketRow`.
macro_rules! ticket_columns {
    () => {
        "t.id, t.ticket_no, t.queue_id, q.prefix, q.route, t.local_day, t.case_id, \
         t.state, t.priority, t.issued_at, t.original_issued_at, t.transferred_from, \
         t.transfer_reason, t.window_id, t.staff_id, t.called_at, t.recalls, t.started_at, \
         t.finished_at, t.outcome"
    };
}
pub(crate) use ticket_columns;

macro_rules! ticket_select {
    () => {
        concat!(
            "SELECT ",
            $crate::storage::shared::ticket_columns!(),
            " FROM tickets t JOIN queues q ON q.id = t.queue_id"
        )
    };
}
pub(crate) use ticket_select;

macro_rules! print_job_select {
    () => {
        "SELECT id, case_id, ticket_id, kind, payload, state, attempts, last_error, \
         next_attempt_at, lease_until, created_at, printed_at, reprint_of, window_id FROM print_jobs"
    };
}
pub(crate) use print_job_select;

macro_rules! case_select {
    () => {
        "SELECT id, case_no, site_id, local_day, route, referral_to, flags, priority, \
         applicant_name, applicant_id_masked, applicant_phone_masked, counterparty_name, record, \
         decision, created_at, created_by, window_id FROM cases"
    };
}
pub(crate) use case_select;

/// The columns of a change, for `ChangeRow`.
pub(crate) const CHANGES_SINCE_SQL: &str = "SELECT id, at, kind, queue_id, ticket_id, case_id, \
     print_job_id FROM changes WHERE id > $1 ORDER BY id LIMIT 1000";

fn corrupt(what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!("{what} {value:?}"))
}

fn parse_route(s: &str) -> Result<Route> {
    Route::from_code(s).ok_or_else(|| corrupt("route", s))
}

#[derive(sqlx::FromRow)]
pub(crate) struct TicketRow {
    id: TicketId,
    ticket_no: String,
    queue_id: QueueId,
    prefix: String,
    route: String,
    local_day: NaiveDate,
    case_id: Option<CaseId>,
    state: String,
    priority: bool,
    issued_at: DateTime<Utc>,
    original_issued_at: DateTime<Utc>,
    transferred_from: Option<TicketId>,
    transfer_reason: Option<String>,
    window_id: Option<WindowId>,
    staff_id: Option<StaffId>,
    called_at: Option<DateTime<Utc>>,
    recalls: i64,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    outcome: Option<String>,
}

impl TryFrom<TicketRow> for Ticket {
    type Error = StorageError;
    fn try_from(r: TicketRow) -> Result<Ticket> {
        Ok(Ticket {
            id: r.id,
            ticket_no: TicketNo::from_stored(r.ticket_no),
            queue: r.queue_id,
            prefix: r.prefix,
            route: parse_route(&r.route)?,
            local_day: r.local_day,
            case: r.case_id,
            state: r
                .state
                .parse()
                .map_err(|_| corrupt("ticket state", &r.state))?,
            priority: r.priority,
            issued_at: r.issued_at,
            original_issued_at: r.original_issued_at,
            transferred_from: r.transferred_from,
            transfer_reason: r.transfer_reason,
            window: r.window_id,
            staff: r.staff_id,
            called_at: r.called_at,
            recalls: r.recalls,
            started_at: r.started_at,
            finished_at: r.finished_at,
            outcome: match r.outcome {
                Some(o) => Some(o.parse().map_err(|_| corrupt("outcome", &o))?),
                None => None,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PrintJobRow {
    id: PrintJobId,
    case_id: Option<CaseId>,
    ticket_id: Option<TicketId>,
    kind: String,
    payload: String,
    state: String,
    attempts: i64,
    last_error: Option<String>,
    next_attempt_at: DateTime<Utc>,
    lease_until: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    printed_at: Option<DateTime<Utc>>,
    reprint_of: Option<PrintJobId>,
    window_id: Option<WindowId>,
}

impl TryFrom<PrintJobRow> for PrintJob {
    type Error = StorageError;
    fn try_from(r: PrintJobRow) -> Result<PrintJob> {
        Ok(PrintJob {
            id: r.id,
            case: r.case_id,
            ticket: r.ticket_id,
            kind: r.kind.parse().map_err(|_| corrupt("print kind", &r.kind))?,
            payload: r.payload,
            state: r
                .state
                .parse()
                .map_err(|_| corrupt("print state", &r.state))?,
            attempts: r.attempts,
            last_error: r.last_error,
            next_attempt_at: r.next_attempt_at,
            lease_until: r.lease_until,
            created_at: r.created_at,
            printed_at: r.printed_at,
            reprint_of: r.reprint_of,
            window: r.window_id,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    id: CaseId,
    case_no: String,
    site_id: SiteId,
    local_day: NaiveDate,
    route: Option<String>,
    referral_to: Option<String>,
    flags: Json<Vec<crate::domain::Flag>>,
    priority: bool,
    applicant_name: String,
    applicant_id_masked: String,
    applicant_phone_masked: String,
    counterparty_name: String,
    record: Json<crate::domain::IntakeRecord>,
    decision: Json<crate::domain::Decision>,
    created_at: DateTime<Utc>,
    created_by: Option<StaffId>,
    window_id: Option<WindowId>,
}

impl TryFrom<CaseRow> for CaseRecord {
    type Error = StorageError;
    fn try_from(r: CaseRow) -> Result<CaseRecord> {
        Ok(CaseRecord {
            id: r.id,
            case_no: crate::domain::numbering::CaseNo::parse(&r.case_no)
                .map_err(|_| corrupt("case number", &r.case_no))?,
            site: r.site_id,
            local_day: r.local_day,
            route: r.route.as_deref().map(parse_route).transpose()?,
            referral_to: match r.referral_to {
                Some(t) => Some(
                    crate::domain::ReferralTo::from_code(&t)
                        .ok_or_else(|| corrupt("referral target", &t))?,
                ),
                None => None,
            },
            flags: r.flags.0,
            priority: r.priority,
            applicant_masked: crate::domain::mask::mask_name(&r.applicant_name),
            applicant_id_masked: r.applicant_id_masked,
            applicant_phone_masked: r.applicant_phone_masked,
            counterparty_name: r.counterparty_name,
            record: r.record.0,
            decision: r.decision.0,
            created_at: r.created_at,
            created_by: r.created_by,
            window: r.window_id,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct WindowTicketRow {
    #[sqlx(flatten)]
    ticket: TicketRow,
    case_no: Option<String>,
    applicant_name: Option<String>,
    flags: Option<Json<Vec<crate::domain::Flag>>>,
}

impl TryFrom<WindowTicketRow> for WindowTicket {
    type Error = StorageError;
    fn try_from(r: WindowTicketRow) -> Result<WindowTicket> {
        Ok(WindowTicket {
            ticket: r.ticket.try_into()?,
            case_no: r
                .case_no
                .map(|c| {
                    crate::domain::numbering::CaseNo::parse(&c)
                        .map_err(|_| corrupt("case number", &c))
                })
                .transpose()?,
            applicant_name: r.applicant_name,
            flags: r.flags.map(|f| f.0).unwrap_or_default(),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    staff_id: Option<StaffId>,
    window_id: Option<WindowId>,
    action: String,
    case_id: Option<CaseId>,
    ticket_id: Option<TicketId>,
    details: Json<serde_json::Value>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> AuditEntry {
        AuditEntry {
            id: r.id,
            at: r.at,
            staff: r.staff_id,
            window: r.window_id,
            action: r.action,
            case: r.case_id,
            ticket: r.ticket_id,
            details: r.details.0,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ChangeRow {
    id: i64,
    at: DateTime<Utc>,
    kind: String,
    queue_id: Option<QueueId>,
    ticket_id: Option<TicketId>,
    case_id: Option<CaseId>,
    print_job_id: Option<PrintJobId>,
}

impl TryFrom<ChangeRow> for ChangeEvent {
    type Error = StorageError;
    fn try_from(r: ChangeRow) -> Result<ChangeEvent> {
        Ok(ChangeEvent {
            version: r.id,
            kind: r
                .kind
                .parse()
                .map_err(|_| corrupt("change kind", &r.kind))?,
            at: r.at,
            queue: r.queue_id,
            ticket: r.ticket_id,
            case: r.case_id,
            print_job: r.print_job_id,
        })
    }
}

/// Times are kept to the microsecond: PostgreSQL's resolution, so both backends return the same
/// instant that was stored.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::DurationRound;
    t.duration_trunc(chrono::TimeDelta::microseconds(1))
        .unwrap_or(t)
}

pub(crate) fn ticket_label(t: &Ticket) -> String {
    format!("ticket {} ({})", t.ticket_no, t.local_day)
}

/// Implements [`super::Storage`] for a backend type over `$db`.
macro_rules! impl_storage {
    ($ty:ident, $db:ty, $backend:ident) => {
        mod storage_impl {
        use super::$ty;
        use $crate::storage::shared::{
            case_select, micros, print_job_select, ticket_columns, ticket_label, ticket_select,
            AuditRow, CaseRow, ChangeRow, PrintJobRow, TicketRow,
            WindowTicketRow, CHANGES_SINCE_SQL,
        };
        use $crate::storage::types::*;
        use $crate::storage::{Backend, ChangeStream, Result, Storage, StorageError};
        use $crate::domain::numbering::{local_day, CaseNo, TicketNo};
        use $crate::domain::{mask, Route, SiteSettings, Status};
        use chrono::{DateTime, NaiveDate, Utc};
        use sqlx::types::Json;

        type Conn = <$db as sqlx::Database>::Connection;

        impl $ty {
            async fn bump_counter(conn: &mut Conn, scope: String, day: NaiveDate) -> Result<u32> {
                let value: i64 = sqlx::query_scalar(
                    "INSERT INTO counters (scope, day, value) VALUES ($1, $2, 1) \
                     ON CONFLICT (scope, day) DO UPDATE SET value = counters.value + 1 \
                     RETURNING value",
                )
                .bind(scope)
                .bind(day)
                .fetch_one(&mut *conn)
                .await?;
                u32::try_from(value)
                    .map_err(|_| StorageError::Corrupt(format!("counter value {value}")))
            }

            pub(crate) async fn record_change(
                conn: &mut Conn,
                kind: ChangeKind,
                ids: ChangeIds,
                at: DateTime<Utc>,
            ) -> Result<ChangeEvent> {
                let at = micros(at);
                let version: i64 = sqlx::query_scalar(
                    "INSERT INTO changes (at, kind, queue_id, ticket_id, case_id, print_job_id) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(at)
                .bind(kind.code())
                .bind(ids.queue)
                .bind(ids.ticket)
                .bind(ids.case)
                .bind(ids.print_job)
                .fetch_one(&mut *conn)
                .await?;
                let event = ChangeEvent {
                    version,
                    kind,
                    at,
                    queue: ids.queue,
                    ticket: ids.ticket,
                    case: ids.case,
                    print_job: ids.print_job,
                };
                Ok(event)
            }

            /// Several changes of one transaction in one statement (an intake makes three).
            async fn record_changes(
                conn: &mut Conn,
                items: &[(ChangeKind, ChangeIds)],
                at: DateTime<Utc>,
            ) -> Result<Vec<ChangeEvent>> {
                let at = micros(at);
                let values: Vec<String> = (0..items.len())
                    .map(|i| {
                        let b = 2 + 5 * i;
                        format!("($1, ${}, ${}, ${}, ${}, ${})", b, b + 1, b + 2, b + 3, b + 4)
                    })
                    .collect();
                // Only placeholders are formatted into the text; every value is bound.
                let sql = format!(
                    "INSERT INTO changes (at, kind, queue_id, ticket_id, case_id, print_job_id) \
                     VALUES {} RETURNING id",
                    values.join(", ")
                );
                let mut q = sqlx::query_scalar::<$db, i64>(sqlx::AssertSqlSafe(sql)).bind(at);
                for (kind, ids) in items {
                    q = q
                        .bind(kind.code())
                        .bind(ids.queue)
                        .bind(ids.ticket)
                        .bind(ids.case)
                        .bind(ids.print_job);
                }
                let mut versions = q.fetch_all(&mut *conn).await?;
                // Identity values are taken in VALUES order; RETURNING's order is not promised.
                versions.sort_unstable();
                Ok(versions
                    .into_iter()
                    .zip(items)
                    .map(|(version, (kind, ids))| ChangeEvent {
                        version,
                        kind: *kind,
                        at,
                        queue: ids.queue,
                        ticket: ids.ticket,
                        case: ids.case,
                        print_job: ids.print_job,
                    })
                    .collect())
            }

            #[allow(clippy::too_many_arguments)]
            async fn audit(
                conn: &mut Conn,
                at: DateTime<Utc>,
                staff: Option<StaffId>,
                window: Option<WindowId>,
                action: &str,
                case: Option<CaseId>,
                ticket: Option<TicketId>,
                details: serde_json::Value,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log (at, staff_id, window_id, action, case_id, ticket_id, \
                     details) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(micros(at))
                .bind(staff)
                .bind(window)
                .bind(action)
                .bind(case)
                .bind(ticket)
                .bind(Json(details))
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn fetch_ticket(conn: &mut Conn, id: TicketId) -> Result<Ticket> {
                let row: Option<TicketRow> =
                    sqlx::query_as(concat!(ticket_select!(), " WHERE t.id = $1"))
                        .bind(id)
                        .fetch_optional(&mut *conn)
                        .await?;
                row.ok_or_else(|| StorageError::NotFound(format!("ticket id {id}")))?
                    .try_into()
            }

            async fn fetch_print_job(conn: &mut Conn, id: PrintJobId) -> Result<PrintJob> {
                let row: Option<PrintJobRow> =
                    sqlx::query_as(concat!(print_job_select!(), " WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&mut *conn)
                        .await?;
                row.ok_or_else(|| StorageError::NotFound(format!("print job {id}")))?
                    .try_into()
            }

            async fn load_site(conn: &mut Conn, id: SiteId) -> Result<SiteInfo> {
                let row: Option<(SiteId, String, String)> =
                    sqlx::query_as("SELECT id, code, name FROM sites WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *conn)
                        .await?;
                let (id, code, name) =
                    row.ok_or_else(|| StorageError::NotFound(format!("site id {id}")))?;
                let queues: Vec<(QueueId, String, String)> = sqlx::query_as(
                    "SELECT id, route, prefix FROM queues WHERE site_id = $1 ORDER BY id",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
                let queues = queues
                    .into_iter()
                    .map(|(id, route, prefix)| {
                        Ok(QueueInfo {
                            id,
                            route: Route::from_code(&route)
                                .ok_or_else(|| StorageError::Corrupt(format!("route {route:?}")))?,
                            prefix,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(SiteInfo {
                    id,
                    code,
                    name,
                    queues,
                })
            }

            /// A queue by id, or by site and prefix.
            async fn queue_info(
                conn: &mut Conn,
                id: Option<QueueId>,
                site_prefix: Option<(SiteId, &str)>,
            ) -> Result<Option<QueueInfo>> {
                let (site, prefix) = site_prefix.unzip();
                let row: Option<(QueueId, String, String)> = sqlx::query_as(
                    "SELECT id, route, prefix FROM queues WHERE ($1 IS NULL OR id = $1) \
                     AND ($2 IS NULL OR site_id = $2) AND ($3 IS NULL OR prefix = $3) LIMIT 1",
                )
                .bind(id)
                .bind(site)
                .bind(prefix)
                .fetch_optional(&mut *conn)
                .await?;
                row.map(|(id, route, prefix)| {
                    Ok(QueueInfo {
                        id,
                        route: Route::from_code(&route)
                            .ok_or_else(|| StorageError::Corrupt(format!("route {route:?}")))?,
                        prefix,
                    })
                })
                .transpose()
            }

            /// Inserts a waiting ticket numbered from the queue's counter of the day.
            #[allow(clippy::too_many_arguments)]
            async fn insert_ticket(
                conn: &mut Conn,
                queue: QueueInfo,
                at: DateTime<Utc>,
                case: Option<CaseId>,
                priority: bool,
                original_issued_at: DateTime<Utc>,
                transferred_from: Option<TicketId>,
                reason: Option<&str>,
            ) -> Result<IssuedTicket> {
                let QueueInfo {
                    id: queue,
                    route,
                    prefix,
                } = queue;
                let day = local_day(&at);
                let seq = Self::bump_counter(conn, format!("queue:{}", queue.0), day).await?;
                let ticket_no = TicketNo::new(&prefix, seq);
                let at = micros(at);
                let original = micros(original_issued_at);
                let id: TicketId = sqlx::query_scalar(
                    "INSERT INTO tickets (ticket_no, queue_id, local_day, seq, case_id, state, \
                     priority, issued_at, original_issued_at, transferred_from, transfer_reason) \
                     VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(ticket_no.as_str())
                .bind(queue)
                .bind(day)
                .bind(i64::from(seq))
                .bind(case)
                .bind(priority)
                .bind(at)
                .bind(original)
                .bind(transferred_from)
                .bind(reason)
                .fetch_one(&mut *conn)
                .await?;
                let ahead: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM tickets WHERE queue_id = $1 AND local_day = $2 \
                     AND state = 'waiting' AND id <> $3 AND (priority > $4 OR (priority = $4 \
                     AND (original_issued_at < $5 OR (original_issued_at = $5 AND id < $3))))",
                )
                .bind(queue)
                .bind(day)
                .bind(id)
                .bind(priority)
                .bind(original)
                .fetch_one(&mut *conn)
                .await?;
                Ok(IssuedTicket {
                    id,
                    ticket_no,
                    queue,
                    route,
                    ahead,
                })
            }

            /// Runs a state change on one ticket: `update` must change it only when it is in a
            /// state `action` is allowed from, so a lost race is reported, not applied twice.
            async fn ticket_transition(
                &self,
                id: TicketId,
                action: TicketAction,
                kind: ChangeKind,
                by: Actor,
                update: sqlx::query::Query<'_, $db, <$db as sqlx::Database>::Arguments>,
                details: serde_json::Value,
            ) -> Result<Ticket> {
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let done = update.execute(&mut *tx).await?;
                let ticket = Self::fetch_ticket(&mut tx, id).await?;
                if done.rows_affected() == 0 {
                    if action.allowed_from(ticket.state) {
                        // Only an update that does not match its own rule gets here.
                        return Err(StorageError::Conflict(format!(
                            "{} changed while it was being updated",
                            ticket_label(&ticket)
                        )));
                    }
                    return Err(StorageError::InvalidTransition {
                        what: ticket_label(&ticket),
                        from: ticket.state.code().to_string(),
                        action: action.name(),
                    });
                }
                Self::audit(
                    &mut tx,
                    by.at,
                    by.staff,
                    ticket.window,
                    kind.code(),
                    ticket.case,
                    Some(ticket.id),
                    details,
                )
                .await?;
                events.push(Self::record_change(
                    &mut tx,
                    kind,
                    ChangeIds {
                        queue: Some(ticket.queue),
                        ticket: Some(ticket.id),
                        case: ticket.case,
                        print_job: None,
                    },
                    by.at,
                )
                .await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(ticket)
            }

            async fn insert_print_job(
                conn: &mut Conn,
                job: &NewPrintJobFor,
                reprint_of: Option<PrintJobId>,
            ) -> Result<PrintJobId> {
                let id: PrintJobId = sqlx::query_scalar(
                    "INSERT INTO print_jobs (case_id, ticket_id, kind, payload, state, \
                     next_attempt_at, created_at, reprint_of, window_id) \
                     VALUES ($1, $2, $3, $4, 'pending', $5, $5, $6, $7) RETURNING id",
                )
                .bind(job.case)
                .bind(job.ticket)
                .bind(job.kind.code())
                .bind(&job.payload)
                .bind(micros(job.at))
                .bind(reprint_of)
                .bind(job.window)
                .fetch_one(&mut *conn)
                .await?;
                Ok(id)
            }

            pub(crate) async fn changes_since(
                pool: &sqlx::Pool<$db>,
                since: i64,
            ) -> Result<Vec<ChangeEvent>> {
                let rows: Vec<ChangeRow> = sqlx::query_as(CHANGES_SINCE_SQL)
                    .bind(since)
                    .fetch_all(pool)
                    .await?;
                rows.into_iter().map(ChangeEvent::try_from).collect()
            }
        }

        impl Storage for $ty {
            fn backend(&self) -> Backend {
                Backend::$backend
            }

            #[tracing::instrument(skip_all, err)]
            async fn ensure_site(&self, site: &SiteSettings) -> Result<SiteInfo> {
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let existing: Option<SiteId> =
                    sqlx::query_scalar("SELECT id FROM sites WHERE code = $1")
                        .bind(&site.code)
                        .fetch_optional(&mut *tx)
                        .await?;
                let before = match existing {
                    Some(id) => Some(Self::load_site(&mut tx, id).await?),
                    None => None,
                };
                let id: SiteId = sqlx::query_scalar(
                    "INSERT INTO sites (code, name) VALUES ($1, $2) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING id",
                )
                .bind(&site.code)
                .bind(&site.name)
                .fetch_one(&mut *tx)
                .await?;
                for (route, prefix) in &site.ticket_prefixes {
                    sqlx::query(
                        "INSERT INTO queues (site_id, route, prefix) VALUES ($1, $2, $3) \
                         ON CONFLICT (site_id, route) DO UPDATE SET prefix = excluded.prefix",
                    )
                    .bind(id)
                    .bind(route.code())
                    .bind(prefix)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match e {
                        sqlx::Error::Database(d) if d.is_unique_violation() => {
                            StorageError::Conflict(format!(
                                "ticket prefix {prefix:?} is already used by another queue of \
                                 site {}",
                                site.code
                            ))
                        }
                        e => e.into(),
                    })?;
                }
                let info = Self::load_site(&mut tx, id).await?;
                // Every command ensures its site; only a real change is news to the screens.
                if before.as_ref() != Some(&info) {
                    events.push(Self::record_change(
                        &mut tx,
                        ChangeKind::Setup,
                        ChangeIds::default(),
                        Utc::now(),
                    )
                    .await?);
                }
                tx.commit().await?;
                self.publish(&events).await;
                Ok(info)
            }

            #[tracing::instrument(skip_all, err)]
            async fn upsert_window(
                &self,
                site: SiteId,
                number: i64,
                name: &str,
                routes: &[Route],
            ) -> Result<WindowId> {
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let id: WindowId = sqlx::query_scalar(
                    "INSERT INTO windows (site_id, number, name) VALUES ($1, $2, $3) \
                     ON CONFLICT (site_id, number) DO UPDATE SET name = excluded.name \
                     RETURNING id",
                )
                .bind(site)
                .bind(number)
                .bind(name)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM window_queues WHERE window_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for route in routes {
                    let queue: Option<QueueId> = sqlx::query_scalar(
                        "SELECT id FROM queues WHERE site_id = $1 AND route = $2",
                    )
                    .bind(site)
                    .bind(route.code())
                    .fetch_optional(&mut *tx)
                    .await?;
                    let queue = queue.ok_or_else(|| {
                        StorageError::NotFound(format!(
                            "no queue for route {route} at site id {site} (give the route a \
                             ticket prefix)"
                        ))
                    })?;
                    sqlx::query("INSERT INTO window_queues (window_id, queue_id) VALUES ($1, $2)")
                        .bind(id)
                        .bind(queue)
                        .execute(&mut *tx)
                        .await?;
                }
                events.push(Self::record_change(&mut tx, ChangeKind::Setup, ChangeIds::default(), Utc::now())
                    .await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(id)
            }

            #[tracing::instrument(skip_all, err)]
            async fn upsert_staff(
                &self,
                site: SiteId,
                code: &str,
                name: &str,
                role: StaffRole,
            ) -> Result<StaffId> {
                let mut tx = self.begin_write().await?;
                let id: StaffId = sqlx::query_scalar(
                    "INSERT INTO staff (site_id, code, name, role) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (site_id, code) DO UPDATE SET name = excluded.name, \
                     role = excluded.role RETURNING id",
                )
                .bind(site)
                .bind(code)
                .bind(name)
                .bind(role.code())
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            // Lookups by number return NotFound as an answer (a mistyped case number, a window not
            // set up yet), so they are not logged as errors here; callers log real faults.
            #[tracing::instrument(skip_all)]
            async fn site_by_code(&self, code: &str) -> Result<SiteInfo> {
                let mut conn = self.pool.acquire().await?;
                let id: Option<SiteId> = sqlx::query_scalar("SELECT id FROM sites WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *conn)
                    .await?;
                let id = id.ok_or_else(|| StorageError::NotFound(format!("site {code:?}")))?;
                Self::load_site(&mut conn, id).await
            }

            #[tracing::instrument(skip_all)]
            async fn window_by_number(&self, site: SiteId, number: i64) -> Result<WindowInfo> {
                let row: Option<(WindowId, String)> = sqlx::query_as(
                    "SELECT id, name FROM windows WHERE site_id = $1 AND number = $2",
                )
                .bind(site)
                .bind(number)
                .fetch_optional(&self.pool)
                .await?;
                let (id, name) =
                    row.ok_or_else(|| StorageError::NotFound(format!("window {number}")))?;
                let queues: Vec<QueueId> = sqlx::query_scalar(
                    "SELECT queue_id FROM window_queues WHERE window_id = $1 ORDER BY queue_id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok(WindowInfo {
                    id,
                    site,
                    number,
                    name,
                    queues,
                })
            }

            #[tracing::instrument(skip_all)]
            async fn staff_by_code(&self, site: SiteId, code: &str) -> Result<StaffId> {
                let id: Option<StaffId> =
                    sqlx::query_scalar("SELECT id FROM staff WHERE site_id = $1 AND code = $2")
                        .bind(site)
                        .bind(code)
                        .fetch_optional(&self.pool)
                        .await?;
                id.ok_or_else(|| StorageError::NotFound(format!("staff member {code:?}")))
            }

            #[tracing::instrument(skip_all, err)]
            async fn commit_intake(&self, intake: IntakeCommit<'_>) -> Result<IntakeReceipt> {
                let IntakeCommit {
                    site,
                    record,
                    decision,
                    by,
                    window,
                    print_jobs,
                } = intake;
                if decision.status == Status::Blocked {
                    return Err(StorageError::Invalid(
                        "the decision is blocked by validation errors; correct them before \
                         registering the case"
                            .into(),
                    ));
                }
                let at = micros(by.at);
                let day = local_day(&at);
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let site_code: Option<String> =
                    sqlx::query_scalar("SELECT code FROM sites WHERE id = $1")
                        .bind(site)
                        .fetch_optional(&mut *tx)
                        .await?;
                let site_code =
                    site_code.ok_or_else(|| StorageError::NotFound(format!("site id {site}")))?;
                let seq = Self::bump_counter(&mut tx, format!("case:{}", site.0), day).await?;
                let case_no = CaseNo::new(&site_code, day, seq);
                let a = &record.applicant;
                let case_id: CaseId = sqlx::query_scalar(
                    "INSERT INTO cases (case_no, site_id, local_day, seq, route, referral_to, \
                     flags, priority, applicant_name, applicant_id_masked, \
                     applicant_phone_masked, counterparty_name, record, decision, created_at, \
                     created_by, window_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                     $11, $12, $13, $14, $15, $16, $17) RETURNING id",
                )
                .bind(case_no.as_str())
                .bind(site)
                .bind(day)
                .bind(i64::from(seq))
                .bind(decision.route.map(|r| r.code()))
                .bind(decision.referral_to.map(|r| r.code()))
                .bind(Json(&decision.flags))
                .bind(decision.is_priority())
                .bind(a.name.trim())
                .bind(mask::mask_id(a.id_type, &a.id_number))
                .bind(mask::mask_phone(&a.phone))
                .bind(record.counterparty.name.trim())
                .bind(Json(record))
                .bind(Json(decision))
                .bind(at)
                .bind(by.staff)
                .bind(window)
                .fetch_one(&mut *tx)
                .await?;

                let ticket = match &decision.queue {
                    Some(prefix) => {
                        let queue =
                            Self::queue_info(&mut tx, None, Some((site, prefix.as_str()))).await?;
                        let queue = queue.ok_or_else(|| {
                            StorageError::NotFound(format!(
                                "queue with prefix {prefix:?} at site {site_code} (is [site] \
                                 ticket_prefixes the same as when the case was classified?)"
                            ))
                        })?;
                        Some(
                            Self::insert_ticket(
                                &mut tx,
                                queue,
                                at,
                                Some(case_id),
                                decision.is_priority(),
                                at,
                                None,
                                None,
                            )
                            .await?,
                        )
                    }
                    None => None,
                };

                let assigned = Assigned {
                    case_id,
                    case_no: case_no.clone(),
                    ticket: ticket.clone(),
                    at,
                };
                let mut job_ids = Vec::new();
                for job in print_jobs(&assigned) {
                    let ticket_id = match job.kind {
                        PrintKind::Ticket => ticket.as_ref().map(|t| t.id),
                        _ => None,
                    };
                    job_ids.push(
                        Self::insert_print_job(
                            &mut tx,
                            &NewPrintJobFor {
                                case: Some(case_id),
                                ticket: ticket_id,
                                window,
                                kind: job.kind,
                                payload: job.payload,
                                at,
                            },
                            None,
                        )
                        .await?,
                    );
                }
                Self::audit(
                    &mut tx,
                    at,
                    by.staff,
                    window,
                    "intake",
                    Some(case_id),
                    ticket.as_ref().map(|t| t.id),
                    serde_json::json!({
                        "case_no": case_no,
                        "route": decision.route,
                        "ticket_no": ticket.as_ref().map(|t| t.ticket_no.clone()),
                        "print_jobs": job_ids,
                    }),
                )
                .await?;
                let mut changes = vec![(
                    ChangeKind::CaseCreated,
                    ChangeIds {
                        case: Some(case_id),
                        ..ChangeIds::default()
                    },
                )];
                if let Some(t) = &ticket {
                    changes.push((
                        ChangeKind::TicketIssued,
                        ChangeIds {
                            queue: Some(t.queue),
                            ticket: Some(t.id),
                            case: Some(case_id),
                            print_job: None,
                        },
                    ));
                }
                if !job_ids.is_empty() {
                    changes.push((
                        ChangeKind::PrintJobQueued,
                        ChangeIds {
                            case: Some(case_id),
                            print_job: job_ids.first().copied(),
                            ..ChangeIds::default()
                        },
                    ));
                }
                events.extend(Self::record_changes(&mut tx, &changes, at).await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(IntakeReceipt {
                    case_id,
                    case_no,
                    ticket,
                    print_jobs: job_ids,
                })
            }

            #[tracing::instrument(skip_all)]
            async fn case_by_no(&self, case_no: &CaseNo) -> Result<CaseRecord> {
                let row: Option<CaseRow> =
                    sqlx::query_as(concat!(case_select!(), " WHERE case_no = $1"))
                        .bind(case_no.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                row.ok_or_else(|| StorageError::NotFound(format!("case {case_no}")))?
                    .try_into()
            }

            #[tracing::instrument(skip_all, err)]
            async fn tickets_for_case(&self, case: CaseId) -> Result<Vec<Ticket>> {
                let rows: Vec<TicketRow> =
                    sqlx::query_as(concat!(ticket_select!(), " WHERE t.case_id = $1 ORDER BY t.id"))
                        .bind(case)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(Ticket::try_from).collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn audit_for_case(&self, case: CaseId) -> Result<Vec<AuditEntry>> {
                let rows: Vec<AuditRow> = sqlx::query_as(
                    "SELECT id, at, staff_id, window_id, action, case_id, ticket_id, details \
                     FROM audit_log WHERE case_id = $1 ORDER BY id",
                )
                .bind(case)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(AuditEntry::from).collect())
            }

            #[tracing::instrument(skip_all, err)]
            async fn issue_ticket(
                &self,
                queue: QueueId,
                case: Option<CaseId>,
                priority: bool,
                by: Actor,
            ) -> Result<Ticket> {
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let info = Self::queue_info(&mut tx, Some(queue), None)
                    .await?
                    .ok_or_else(|| StorageError::NotFound(format!("queue id {queue}")))?;
                let issued =
                    Self::insert_ticket(&mut tx, info, by.at, case, priority, by.at, None, None)
                        .await?;
                Self::audit(
                    &mut tx,
                    by.at,
                    by.staff,
                    None,
                    "issue",
                    case,
                    Some(issued.id),
                    serde_json::json!({ "ticket_no": issued.ticket_no, "priority": priority }),
                )
                .await?;
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::TicketIssued,
                    ChangeIds {
                        queue: Some(queue),
                        ticket: Some(issued.id),
                        case,
                        print_job: None,
                    },
                    by.at,
                )
                .await?);
                let ticket = Self::fetch_ticket(&mut tx, issued.id).await?;
                tx.commit().await?;
                self.publish(&events).await;
                Ok(ticket)
            }

            #[tracing::instrument(skip_all, err)]
            async fn call_next(&self, window: WindowId, by: Actor) -> Result<Option<Ticket>> {
                let at = micros(by.at);
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let Some(ticket) =
                    Self::call_next_row(&mut tx, window, by.staff, at, local_day(&at)).await?
                else {
                    return Ok(None);
                };
                let id = ticket.id;
                Self::audit(
                    &mut tx,
                    at,
                    by.staff,
                    Some(window),
                    ChangeKind::TicketCalled.code(),
                    ticket.case,
                    Some(id),
                    serde_json::json!({ "ticket_no": ticket.ticket_no }),
                )
                .await?;
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::TicketCalled,
                    ChangeIds {
                        queue: Some(ticket.queue),
                        ticket: Some(id),
                        case: ticket.case,
                        print_job: None,
                    },
                    at,
                )
                .await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(Some(ticket))
            }

            #[tracing::instrument(skip_all, err)]
            async fn recall(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
                let q = sqlx::query(
                    "UPDATE tickets SET recalls = recalls + 1, called_at = $2 \
                     WHERE id = $1 AND state = 'called'",
                )
                .bind(ticket)
                .bind(micros(by.at));
                self.ticket_transition(
                    ticket,
                    TicketAction::Recall,
                    ChangeKind::TicketRecalled,
                    by,
                    q,
                    serde_json::json!({}),
                )
                .await
            }

            #[tracing::instrument(skip_all, err)]
            async fn no_show(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
                let q = sqlx::query(
                    "UPDATE tickets SET state = 'no_show', finished_at = $2 \
                     WHERE id = $1 AND state = 'called'",
                )
                .bind(ticket)
                .bind(micros(by.at));
                self.ticket_transition(
                    ticket,
                    TicketAction::NoShow,
                    ChangeKind::TicketNoShow,
                    by,
                    q,
                    serde_json::json!({}),
                )
                .await
            }

            #[tracing::instrument(skip_all, err)]
            async fn start(&self, ticket: TicketId, by: Actor) -> Result<Ticket> {
                let q = sqlx::query(
                    "UPDATE tickets SET state = 'serving', started_at = $2, \
                     staff_id = COALESCE($3, staff_id) WHERE id = $1 AND state = 'called'",
                )
                .bind(ticket)
                .bind(micros(by.at))
                .bind(by.staff);
                self.ticket_transition(
                    ticket,
                    TicketAction::Start,
                    ChangeKind::TicketStarted,
                    by,
                    q,
                    serde_json::json!({}),
                )
                .await
            }

            #[tracing::instrument(skip_all, err)]
            async fn finish(&self, ticket: TicketId, outcome: Outcome, by: Actor) -> Result<Ticket> {
                let q = sqlx::query(
                    "UPDATE tickets SET state = 'done', finished_at = $2, outcome = $3 \
                     WHERE id = $1 AND state = 'serving'",
                )
                .bind(ticket)
                .bind(micros(by.at))
                .bind(outcome.code());
                self.ticket_transition(
                    ticket,
                    TicketAction::Finish,
                    ChangeKind::TicketFinished,
                    by,
                    q,
                    serde_json::json!({ "outcome": outcome }),
                )
                .await
            }

            #[tracing::instrument(skip_all, err)]
            async fn transfer(
                &self,
                ticket: TicketId,
                to: QueueId,
                reason: &str,
                by: Actor,
            ) -> Result<Ticket> {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(StorageError::Invalid(
                        "a transfer needs a reason (首问负责: the next window must know why)".into(),
                    ));
                }
                let at = micros(by.at);
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let done = sqlx::query(
                    "UPDATE tickets SET state = 'transferred', finished_at = $2, \
                     transfer_reason = $3 WHERE id = $1 \
                     AND state IN ('waiting', 'called', 'serving')",
                )
                .bind(ticket)
                .bind(at)
                .bind(reason)
                .execute(&mut *tx)
                .await?;
                let old = Self::fetch_ticket(&mut tx, ticket).await?;
                if done.rows_affected() == 0 {
                    return Err(StorageError::InvalidTransition {
                        what: ticket_label(&old),
                        from: old.state.code().to_string(),
                        action: TicketAction::Transfer.name(),
                    });
                }
                if old.queue == to {
                    return Err(StorageError::Invalid(format!(
                        "{} is already in that queue",
                        ticket_label(&old)
                    )));
                }
                let target: Option<(QueueId, String, String)> = sqlx::query_as(
                    "SELECT b.id, b.route, b.prefix FROM queues a JOIN queues b \
                     ON a.site_id = b.site_id WHERE a.id = $1 AND b.id = $2",
                )
                .bind(old.queue)
                .bind(to)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((to_id, to_route, to_prefix)) = target else {
                    return Err(StorageError::NotFound(format!(
                        "queue id {to} at the site of {}",
                        ticket_label(&old)
                    )));
                };
                let target = QueueInfo {
                    id: to_id,
                    route: Route::from_code(&to_route)
                        .ok_or_else(|| StorageError::Corrupt(format!("route {to_route:?}")))?,
                    prefix: to_prefix,
                };
                let issued = Self::insert_ticket(
                    &mut tx,
                    target,
                    at,
                    old.case,
                    old.priority,
                    old.original_issued_at,
                    Some(old.id),
                    Some(reason),
                )
                .await?;
                Self::audit(
                    &mut tx,
                    at,
                    by.staff,
                    old.window,
                    ChangeKind::TicketTransferred.code(),
                    old.case,
                    Some(old.id),
                    serde_json::json!({
                        "from": old.ticket_no,
                        "to": issued.ticket_no,
                        "to_ticket": issued.id,
                        "reason": reason,
                    }),
                )
                .await?;
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::TicketTransferred,
                    ChangeIds {
                        queue: Some(old.queue),
                        ticket: Some(old.id),
                        case: old.case,
                        print_job: None,
                    },
                    at,
                )
                .await?);
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::TicketIssued,
                    ChangeIds {
                        queue: Some(to),
                        ticket: Some(issued.id),
                        case: old.case,
                        print_job: None,
                    },
                    at,
                )
                .await?);
                let new = Self::fetch_ticket(&mut tx, issued.id).await?;
                tx.commit().await?;
                self.publish(&events).await;
                Ok(new)
            }

            #[tracing::instrument(skip_all)]
            async fn ticket(&self, id: TicketId) -> Result<Ticket> {
                let mut conn = self.pool.acquire().await?;
                Self::fetch_ticket(&mut conn, id).await
            }

            #[tracing::instrument(skip_all)]
            async fn ticket_by_no(
                &self,
                site: SiteId,
                day: NaiveDate,
                ticket_no: &str,
            ) -> Result<Ticket> {
                let row: Option<TicketRow> = sqlx::query_as(concat!(
                    ticket_select!(),
                    " WHERE q.site_id = $1 AND t.local_day = $2 AND t.ticket_no = $3"
                ))
                .bind(site)
                .bind(day)
                .bind(ticket_no)
                .fetch_optional(&self.pool)
                .await?;
                row.ok_or_else(|| {
                    StorageError::NotFound(format!("ticket {ticket_no} of {day}"))
                })?
                .try_into()
            }

            #[tracing::instrument(skip_all, err)]
            async fn list_tickets(&self, filter: TicketFilter) -> Result<Vec<Ticket>> {
                let rows: Vec<TicketRow> = sqlx::query_as(concat!(
                    ticket_select!(),
                    " WHERE ($1 IS NULL OR q.site_id = $1) AND ($2 IS NULL OR t.queue_id = $2) \
                     AND ($3 IS NULL OR t.local_day = $3) AND ($4 IS NULL OR t.state = $4) \
                     ORDER BY t.priority DESC, t.original_issued_at, t.id"
                ))
                .bind(filter.site)
                .bind(filter.queue)
                .bind(filter.day)
                .bind(filter.state.map(|s| s.code()))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(Ticket::try_from).collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn enqueue_print_job(&self, job: NewPrintJobFor) -> Result<PrintJobId> {
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let id = Self::insert_print_job(&mut tx, &job, None).await?;
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::PrintJobQueued,
                    ChangeIds {
                        case: job.case,
                        ticket: job.ticket,
                        print_job: Some(id),
                        queue: None,
                    },
                    job.at,
                )
                .await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(id)
            }

            #[tracing::instrument(skip_all, err)]
            async fn claim_next_print_job(
                &self,
                now: DateTime<Utc>,
                window: Option<WindowId>,
            ) -> Result<Option<PrintJob>> {
                let now = micros(now);
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let id: Option<PrintJobId> = sqlx::query_scalar(Self::CLAIM_PRINT_SQL)
                    .bind(now)
                    .bind(now + PRINT_LEASE)
                    .bind(window)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(id) = id else {
                    return Ok(None);
                };
                let job = Self::fetch_print_job(&mut tx, id).await?;
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::PrintJobClaimed,
                    ChangeIds {
                        case: job.case,
                        ticket: job.ticket,
                        print_job: Some(id),
                        queue: None,
                    },
                    now,
                )
                .await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(Some(job))
            }

            #[tracing::instrument(skip_all, err)]
            async fn mark_print_job_printed(&self, id: PrintJobId) -> Result<()> {
                let now = micros(Utc::now());
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let done = sqlx::query(
                    "UPDATE print_jobs SET state = 'printed', printed_at = $2, lease_until = NULL \
                     WHERE id = $1 AND state = 'printing'",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let job = Self::fetch_print_job(&mut tx, id).await?;
                if done.rows_affected() == 0 {
                    return Err(StorageError::InvalidTransition {
                        what: format!("print job {id}"),
                        from: job.state.code().to_string(),
                        action: "mark printed",
                    });
                }
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::PrintJobPrinted,
                    ChangeIds {
                        case: job.case,
                        ticket: job.ticket,
                        print_job: Some(id),
                        queue: None,
                    },
                    now,
                )
                .await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn mark_print_job_failed(
                &self,
                id: PrintJobId,
                error: &str,
                retry_at: Option<DateTime<Utc>>,
            ) -> Result<()> {
                let now = micros(Utc::now());
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let done = match retry_at {
                    Some(retry_at) => {
                        sqlx::query(
                            "UPDATE print_jobs SET state = 'pending', attempts = attempts + 1, \
                             last_error = $2, next_attempt_at = $3, lease_until = NULL \
                             WHERE id = $1 AND state <> 'printed'",
                        )
                        .bind(id)
                        .bind(error)
                        .bind(micros(retry_at))
                        .execute(&mut *tx)
                        .await?
                    }
                    None => {
                        sqlx::query(
                            "UPDATE print_jobs SET state = 'failed', attempts = attempts + 1, \
                             last_error = $2, lease_until = NULL \
                             WHERE id = $1 AND state <> 'printed'",
                        )
                        .bind(id)
                        .bind(error)
                        .execute(&mut *tx)
                        .await?
                    }
                };
                let job = Self::fetch_print_job(&mut tx, id).await?;
                if done.rows_affected() == 0 {
                    return Err(StorageError::InvalidTransition {
                        what: format!("print job {id}"),
                        from: job.state.code().to_string(),
                        action: "mark failed",
                    });
                }
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::PrintJobFailed,
                    ChangeIds {
                        case: job.case,
                        ticket: job.ticket,
                        print_job: Some(id),
                        queue: None,
                    },
                    now,
                )
                .await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn move_print_job(
                &self,
                id: PrintJobId,
                window: Option<WindowId>,
                at: DateTime<Utc>,
            ) -> Result<()> {
                let at = micros(at);
                let mut tx = self.begin_write().await?;
                let old = Self::fetch_print_job(&mut tx, id).await?;
                // A job a runner holds under a live lease may be on its way to the paper now.
                let movable = match old.state {
                    PrintState::Pending => true,
                    PrintState::Printing => old.lease_until.is_some_and(|l| l < at),
                    PrintState::Printed | PrintState::Failed => false,
                };
                if !movable {
                    return Err(StorageError::InvalidTransition {
                        what: format!("print job {id}"),
                        from: old.state.code().to_string(),
                        action: "move (only paper still waiting can move)",
                    });
                }
                sqlx::query(
                    "UPDATE print_jobs SET window_id = $2, state = 'pending', \
                     next_attempt_at = $3, lease_until = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(window)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                Self::audit(
                    &mut tx,
                    at,
                    None,
                    window,
                    "print_job_moved",
                    old.case,
                    old.ticket,
                    serde_json::json!({ "print_job": id, "from_window": old.window, "to_window": window }),
                )
                .await?;
                let event = Self::record_change(
                    &mut tx,
                    ChangeKind::PrintJobQueued,
                    ChangeIds {
                        case: old.case,
                        ticket: old.ticket,
                        print_job: Some(id),
                        queue: None,
                    },
                    at,
                )
                .await?;
                tx.commit().await?;
                self.publish(&[event]).await;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn list_print_jobs(&self, filter: PrintJobFilter) -> Result<Vec<PrintJob>> {
                let sql = if filter.newest_first {
                    concat!(
                        print_job_select!(),
                        " WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR case_id = $2) \
                         AND ($3 IS NULL OR id = $3) AND ($5 IS NULL OR window_id = $5) \
                         ORDER BY id DESC LIMIT $4"
                    )
                } else {
                    concat!(
                        print_job_select!(),
                        " WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR case_id = $2) \
                         AND ($3 IS NULL OR id = $3) AND ($5 IS NULL OR window_id = $5) \
                         ORDER BY id LIMIT $4"
                    )
                };
                let rows: Vec<PrintJobRow> = sqlx::query_as(sql)
                    .bind(filter.state.map(|s| s.code()))
                    .bind(filter.case)
                    .bind(filter.id)
                    .bind(filter.limit)
                    .bind(filter.window)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(PrintJob::try_from).collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn reprint(&self, id: PrintJobId, window: Option<WindowId>) -> Result<PrintJobId> {
                let now = micros(Utc::now());
                let mut tx = self.begin_write().await?;
                let mut events = Vec::new();
                let old = Self::fetch_print_job(&mut tx, id).await?;
                if !matches!(old.state, PrintState::Printed | PrintState::Failed) {
                    return Err(StorageError::InvalidTransition {
                        what: format!("print job {id}"),
                        from: old.state.code().to_string(),
                        action: "reprint (it will still print)",
                    });
                }
                let new = Self::insert_print_job(
                    &mut tx,
                    &NewPrintJobFor {
                        case: old.case,
                        ticket: old.ticket,
                        window: window.or(old.window),
                        kind: old.kind,
                        payload: old.payload.clone(),
                        at: now,
                    },
                    Some(id),
                )
                .await?;
                Self::audit(
                    &mut tx,
                    now,
                    None,
                    None,
                    "reprint",
                    old.case,
                    old.ticket,
                    serde_json::json!({ "print_job": id, "new_print_job": new, "kind": old.kind }),
                )
                .await?;
                events.push(Self::record_change(
                    &mut tx,
                    ChangeKind::PrintJobQueued,
                    ChangeIds {
                        case: old.case,
                        ticket: old.ticket,
                        print_job: Some(new),
                        queue: None,
                    },
                    now,
                )
                .await?);
                tx.commit().await?;
                self.publish(&events).await;
                Ok(new)
            }

            #[tracing::instrument(skip_all, err)]
            async fn window_tickets(
                &self,
                window: WindowId,
                day: NaiveDate,
            ) -> Result<Vec<WindowTicket>> {
                let rows: Vec<WindowTicketRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    ticket_columns!(),
                    ", c.case_no, c.applicant_name, c.flags FROM tickets t \
                     JOIN queues q ON q.id = t.queue_id LEFT JOIN cases c ON c.id = t.case_id \
                     WHERE t.local_day = $2 AND ((t.state = 'waiting' AND t.queue_id IN \
                     (SELECT queue_id FROM window_queues WHERE window_id = $1)) \
                     OR (t.state IN ('called', 'serving') AND t.window_id = $1)) \
                     ORDER BY t.state = 'waiting', t.priority DESC, t.original_issued_at, t.id"
                ))
                .bind(window)
                .bind(day)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(WindowTicket::try_from).collect()
            }

            #[tracing::instrument(skip_all, err)]
            async fn subscribe(&self) -> Result<ChangeStream> {
                self.subscribe_impl().await
            }

            #[tracing::instrument(skip_all, err)]
            async fn change_version(&self) -> Result<i64> {
                let v: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM changes")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(v.unwrap_or(0))
            }

            #[tracing::instrument(skip_all, err)]
            async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64> {
                let done = sqlx::query(
                    "DELETE FROM changes WHERE at < $1 AND id < (SELECT MAX(id) FROM changes)",
                )
                .bind(micros(before))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }
        }
        }
    };
}
pub(crate) use impl_storage;
