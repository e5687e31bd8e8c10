//! PostgreSQL backend: one server for a centre's windows, supervisor screens and hall display.
//!
//! Call-next and print claims lock their row with `FOR UPDATE SKIP LOCKED`, so concurrent windows
//! each take a different ticket without waiting for one another. Every change is a row in
//! `changes` and a `NOTIFY` on [`CHANNEL`] sent at commit; subscribers `LISTEN` and, after a
//! dropped connection, catch up from the `changes` table.

use super::shared::{TicketRow, impl_storage, ticket_columns};
use super::types::{ChangeIds, ChangeKind, StaffId, Ticket, WindowId};
use super::{ChangeEvent, ChangeStream, DbUrl, OpenOptions, Result, StorageError};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// The notification channel changes are sent on.
pub const CHANNEL: &str = "onewindow_changes";

#[derive(Debug, Clone)]
pub struct PgStorage {
    pool: PgPool,
}

impl PgStorage {
    /// Each window locks the first waiting ticket nobody else has locked; the update returns the
    /// whole ticket so a call is one statement.
    pub(crate) const CALL_NEXT_SQL: &'static str = concat!(
        "WITH next AS (SELECT id FROM tickets WHERE state = 'waiting' AND local_day = $4 \
         AND queue_id IN (SELECT queue_id FROM window_queues WHERE window_id = $1) \
         ORDER BY priority DESC, original_issued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
         UPDATE tickets t SET state = 'called', window_id = $1, staff_id = $2, called_at = $3 \
         FROM next, queues q WHERE t.id = next.id AND q.id = t.queue_id RETURNING ",
        ticket_columns!()
    );

    pub(crate) const CLAIM_PRINT_SQL: &'static str = "UPDATE print_jobs SET state = 'printing', \
        lease_until = $2 WHERE id = (SELECT id FROM print_jobs WHERE \
        (state = 'pending' AND next_attempt_at <= $1) OR (state = 'printing' AND lease_until < $1) \
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id";

    pub async fn open(url: &DbUrl, options: &OpenOptions) -> Result<PgStorage> {
        let connect = PgConnectOptions::from_str(url.expose())?;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(connect)
            .await?;
        if options.migrate {
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
        }
        Ok(PgStorage { pool })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }

    async fn call_next_row(
        conn: &mut sqlx::PgConnection,
        window: WindowId,
        staff: Option<StaffId>,
        at: DateTime<Utc>,
        day: NaiveDate,
    ) -> Result<Option<Ticket>> {
        let row: Option<TicketRow> = sqlx::query_as(Self::CALL_NEXT_SQL)
            .bind(window)
            .bind(staff)
            .bind(at)
            .bind(day)
            .fetch_optional(&mut *conn)
            .await?;
        row.map(Ticket::try_from).transpose()
    }

    /// Inserts the change and queues its notification, delivered at commit (and not at all if
    /// the transaction rolls back), in one statement. The payload is `VERSION EVENT_JSON`.
    async fn insert_change(
        conn: &mut sqlx::PgConnection,
        kind: ChangeKind,
        ids: ChangeIds,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let event = ChangeEvent {
            version: 0,
            kind,
            at,
            queue: ids.queue,
            ticket: ids.ticket,
            case: ids.case,
            print_job: ids.print_job,
        };
        let payload = serde_json::to_string(&event)
            .map_err(|e| StorageError::Corrupt(format!("change event: {e}")))?;
        Ok(sqlx::query_scalar(
            "WITH c AS (INSERT INTO changes (at, kind, queue_id, ticket_id, case_id, \
             print_job_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id) \
             SELECT c.id, pg_notify($7, c.id::text || ' ' || $8) FROM c",
        )
        .bind(at)
        .bind(kind.code())
        .bind(ids.queue)
        .bind(ids.ticket)
        .bind(ids.case)
        .bind(ids.print_job)
        .bind(CHANNEL)
        .bind(payload)
        .fetch_one(&mut *conn)
        .await?)
    }

    async fn subscribe_impl(&self) -> Result<ChangeStream> {
        let pool = self.pool.clone();
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        // Read the version after LISTEN so nothing committed in between is missed.
        let mut last: i64 = sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM changes")
            .fetch_one(&pool)
            .await?
            .unwrap_or(0);
        let (tx, rx) = tokio::sync::mpsc::channel(1024);
        tokio::spawn(async move {
            loop {
                let received = tokio::select! {
                    r = listener.try_recv() => r,
                    _ = tx.closed() => return,
                };
                let events = match received {
                    Ok(Some(n)) => match parse_payload(n.payload()) {
                        Some(e) if e.version > last => vec![e],
                        Some(_) => Vec::new(),
                        None => {
                            tracing::warn!("unreadable change notification");
                            Vec::new()
                        }
                    },
                    // The connection dropped: notifications may have been lost; the next
                    // try_recv reconnects, and the table tells what was missed.
                    Ok(None) => match PgStorage::changes_since(&pool, last).await {
                        Ok(events) => events,
                        Err(e) => {
                            tracing::warn!(error = %e, "catching up on changes failed");
                            tokio::time::sleep(Duration::from_millis(500)).await;
                            Vec::new()
                        }
                    },
                    Err(e) => {
                        if pool.is_closed() {
                            return;
                        }
                        tracing::warn!(error = %e, "change listener failed; retrying");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        Vec::new()
                    }
                };
                for e in events {
                    last = last.max(e.version);
                    if tx.send(e).await.is_err() {
                        return;
                    }
                }
            }
        });
        Ok(Box::pin(futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|e| (e, rx))
        })))
    }
}

fn parse_payload(payload: &str) -> Option<ChangeEvent> {
    let (version, json) = payload.split_once(' ')?;
    let mut event: ChangeEvent = serde_json::from_str(json).ok()?;
    event.version = version.parse().ok()?;
    Some(event)
}

impl_storage!(PgStorage, sqlx::Postgres, Postgres);
