//! PostgreSQL backend: one server for a centre's windows, supervisor screens and hall display.
//!
//! Call-next and print claims lock their row with `FOR UPDATE SKIP LOCKED`, so concurrent windows
//! each take a different ticket without waiting for one another. Every change is a row in
//! `changes` and a `NOTIFY` on [`CHANNEL`] sent at commit; subscribers `LISTEN` and, after a
//! dropped connection, catch up from the `changes` table.

use super::shared::impl_storage;
use super::{ChangeEvent, ChangeStream, DbUrl, OpenOptions, Result};
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
    pub(crate) const CALL_NEXT_SQL: &'static str = "UPDATE tickets SET state = 'called', \
        window_id = $1, staff_id = $2, called_at = $3 WHERE state = 'waiting' AND id = ( \
        SELECT t.id FROM tickets t JOIN window_queues wq ON wq.queue_id = t.queue_id \
        WHERE wq.window_id = $1 AND t.state = 'waiting' AND t.local_day = $4 \
        ORDER BY t.priority DESC, t.original_issued_at, t.id LIMIT 1 \
        FOR UPDATE OF t SKIP LOCKED) RETURNING id";

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

    /// Queues the event for delivery at commit; nothing is sent if the transaction rolls back.
    async fn notify(conn: &mut sqlx::PgConnection, event: &ChangeEvent) -> Result<()> {
        let payload = serde_json::to_string(event)
            .map_err(|e| super::StorageError::Corrupt(format!("change event: {e}")))?;
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&mut *conn)
            .await?;
        Ok(())
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
                    Ok(Some(n)) => match serde_json::from_str::<ChangeEvent>(n.payload()) {
                        Ok(e) if e.version > last => vec![e],
                        Ok(_) => Vec::new(),
                        Err(e) => {
                            tracing::warn!(error = %e, "unreadable change notification");
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

impl_storage!(PgStorage, sqlx::Postgres, Postgres);
