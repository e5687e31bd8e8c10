//! A day's tickets summed, for the dashboard (issue 14): a busy day holds tens of thousands of
//! served tickets, and the dashboard needs only their counts and sums per queue and window, and
//! the visits per hour. Triggers keep both sums as tickets are issued and finished (migration
//! 0031); the dashboard reads them and the open tickets ([`Store::open_tickets`]), never the
//! day's tickets one by one. Summing on each reload took 100–200 ms on PostgreSQL.
//!
//! The sums mean what `domain::stats` says: a wait runs from the issue of the first ticket of the
//! visit to the call of the ticket that served the worker, in whole seconds rounded as the wait
//! roll-up rounds them (migration 0024); a service from start to finish. Hours are Beijing time,
//! as every `local_day` is.

use super::db::Sql;
use super::types::{QueueId, SiteId, WindowId};
use super::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};

/// A day's served (done) tickets of one queue at one window, summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedTickets {
    pub queue: QueueId,
    pub window: Option<WindowId>,
    pub tickets: i64,
    /// Sum of the waits of the tickets that were called, in seconds, and how many those are.
    pub wait_secs: i64,
    pub waits: i64,
    /// Sum of the services timed (started and finished), in seconds, and how many those are.
    pub service_secs: i64,
    pub services: i64,
    pub last_finished_at: Option<DateTime<Utc>>,
}

type ServedRow = (
    QueueId,
    Option<WindowId>,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<DateTime<Utc>>,
);

impl Store {
    /// The site's served tickets of `day`, summed per queue and window.
    #[tracing::instrument(skip_all, err)]
    pub async fn served_tickets(&self, site: SiteId, day: NaiveDate) -> Result<Vec<ServedTickets>> {
        let rows: Vec<ServedRow> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT r.queue_id, NULLIF(r.window_id, 0), \
                     CAST(r.tickets AS BIGINT), CAST(r.wait_sum AS BIGINT), \
                     CAST(r.waits AS BIGINT), CAST(r.service_sum AS BIGINT), \
                     CAST(r.services AS BIGINT), r.last_finished_at \
                     FROM queue_served_rollup r JOIN queues q ON q.id = r.queue_id \
                     WHERE q.site_id = $1 AND r.local_day = $2",
                )
                .bind(site)
                .bind(day),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| ServedTickets {
                queue: r.0,
                window: r.1,
                tickets: r.2,
                wait_secs: r.3,
                waits: r.4,
                service_secs: r.5,
                services: r.6,
                last_finished_at: r.7,
            })
            .collect())
    }

    /// How many visits began in each local hour of `day` at the site: every ticket not issued by
    /// a transfer (a visit lives on across transfers), open or finished.
    #[tracing::instrument(skip_all, err)]
    pub async fn visits_by_hour(&self, site: SiteId, day: NaiveDate) -> Result<[u64; 24]> {
        let rows: Vec<(i64, i64)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT CAST(hour AS BIGINT), CAST(n AS BIGINT) FROM visit_rollup \
                     WHERE site_id = $1 AND local_day = $2",
                )
                .bind(site)
                .bind(day),
            )
            .await?;
        let mut by_hour = [0u64; 24];
        for (hour, n) in rows {
            by_hour[hour.rem_euclid(24) as usize] += u64::try_from(n).unwrap_or(0);
        }
        Ok(by_hour)
    }
}
