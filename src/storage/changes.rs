//! The change feed and the shape of every write. A writer opens a [`Write`], notes the changes it
//! makes and its audit entry, and [`Store::commit`] appends the change rows (one statement),
//! commits and announces them. Other processes learn of changes through the dialect's feed: a
//! polled version counter on SQLite, `LISTEN/NOTIFY` on PostgreSQL.

use super::db::{Conn, Pool, Sql, Text};
use super::types::{
    AuditRecord, CaseId, ChangeEvent, ChangeIds, ChangeKind, PrintJobId, QueueId, TicketId,
};
use super::{ChangeStream, Result, Store, audit, postgres, sqlite};
use chrono::{DateTime, Utc};
use std::ops::{Deref, DerefMut};

/// A write transaction with the changes it will record when it commits.
pub(crate) struct Write {
    conn: Conn,
    changes: Vec<(ChangeKind, ChangeIds, DateTime<Utc>)>,
}

impl Deref for Write {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

impl Write {
    /// A change other screens must learn of, recorded at commit.
    pub(crate) fn change(&mut self, kind: ChangeKind, ids: ChangeIds, at: DateTime<Utc>) {
        self.changes.push((kind, ids, at));
    }

    /// The audit entry of this write (see `audit.rs`, the one writer).
    pub(crate) async fn audit(&mut self, record: &AuditRecord) -> Result<()> {
        audit::record(&mut self.conn, record).await
    }
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    at: DateTime<Utc>,
    kind: Text<ChangeKind>,
    queue_id: Option<QueueId>,
    ticket_id: Option<TicketId>,
    case_id: Option<CaseId>,
    print_job_id: Option<PrintJobId>,
}

impl From<ChangeRow> for ChangeEvent {
    fn from(r: ChangeRow) -> ChangeEvent {
        ChangeEvent {
            version: r.id,
            kind: r.kind.0,
            at: r.at,
            queue: r.queue_id,
            ticket: r.ticket_id,
            case: r.case_id,
            print_job: r.print_job_id,
        }
    }
}

impl Store {
    /// Opens a write: a transaction holding the write lock from its start.
    pub(crate) async fn write(&self) -> Result<Write> {
        Ok(Write {
            conn: self.begin().await?,
            changes: Vec::new(),
        })
    }

    /// Records the write's changes, commits, and announces them to other processes.
    pub(crate) async fn commit(&self, w: Write) -> Result<()> {
        let Write { mut conn, changes } = w;
        let events = record_changes(&mut conn, &changes).await?;
        conn.commit().await?;
        if let Pool::Postgres(pool) = self.pool() {
            postgres::publish(pool, &events).await;
        }
        Ok(())
    }

    /// Changes made from now on by any process using this database.
    #[tracing::instrument(skip_all, err)]
    pub async fn subscribe(&self) -> Result<ChangeStream> {
        match self.pool() {
            Pool::Sqlite(_) => sqlite::subscribe(self.clone()).await,
            Pool::Postgres(pool) => postgres::subscribe(self.clone(), pool).await,
        }
    }

    /// The latest change version (0 when nothing has changed yet).
    #[tracing::instrument(skip_all, err)]
    pub async fn change_version(&self) -> Result<i64> {
        let v: Option<i64> = self
            .read()
            .await?
            .scalar(Sql::new("SELECT MAX(id) FROM changes"))
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// Deletes change rows older than `before` (subscribers that far behind reload anyway),
    /// always keeping the newest so the version never goes back. Returns how many went.
    #[tracing::instrument(skip_all, err)]
    pub async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64> {
        self.read()
            .await?
            .execute(
                Sql::new(
                    "DELETE FROM changes WHERE at < $1 AND id < (SELECT MAX(id) FROM changes)",
                )
                .bind(before),
            )
            .await
    }

    /// The changes after version `since`, oldest first (at most a thousand).
    pub(crate) async fn changes_since(&self, since: i64) -> Result<Vec<ChangeEvent>> {
        let rows: Vec<ChangeRow> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT id, at, kind, queue_id, ticket_id, case_id, print_job_id \
                     FROM changes WHERE id > $1 ORDER BY id LIMIT 1000",
                )
                .bind(since),
            )
            .await?;
        Ok(rows.into_iter().map(ChangeEvent::from).collect())
    }
}

/// The changes of one transaction in one statement (an intake makes three).
async fn record_changes(
    conn: &mut Conn,
    items: &[(ChangeKind, ChangeIds, DateTime<Utc>)],
) -> Result<Vec<ChangeEvent>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<String> = (0..items.len())
        .map(|i| {
            let b = 6 * i;
            format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            )
        })
        .collect();
    let mut sql = Sql::built(format!(
        "INSERT INTO changes (at, kind, queue_id, ticket_id, case_id, print_job_id) \
         VALUES {} RETURNING id",
        values.join(", ")
    ));
    for (kind, ids, at) in items {
        sql.push(*at);
        sql.push(*kind);
        sql.push(ids.queue);
        sql.push(ids.ticket);
        sql.push(ids.case);
        sql.push(ids.print_job);
    }
    let mut versions: Vec<(i64,)> = conn.fetch_all(sql).await?;
    // Identity values are taken in VALUES order; RETURNING's order is not promised.
    versions.sort_unstable();
    Ok(versions
        .into_iter()
        .zip(items)
        .map(|((version,), (kind, ids, at))| ChangeEvent {
            version,
            kind: *kind,
            at: super::db::micros(*at),
            queue: ids.queue,
            ticket: ids.ticket,
            case: ids.case,
            print_job: ids.print_job,
        })
        .collect())
}
