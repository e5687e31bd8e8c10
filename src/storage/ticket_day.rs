//! A day's tickets summed in the database, for the dashboard (issue 14): a busy day holds tens of
//! thousands of finished tickets, and the dashboard needs only their counts and sums per queue,
//! window and hour. It reads the open tickets in full ([`Store::open_tickets`]) and these sums
//! for the rest, instead of every ticket of the day.
//!
//! The sums mean what `domain::stats` says: a wait runs from the issue of the first ticket of the
//! visit to the call of the ticket that served the worker, in whole seconds rounded as the wait
//! roll-up rounds them (migration 0024); a service from start to finish.

use super::db::{Sql, Text};
use super::types::{QueueId, SiteId, TicketState, WindowId};
use super::{Backend, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};

/// A day's finished tickets (done or no-show) of one queue, at one window, in one state, whose
/// visit began in one local hour, summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedTickets {
    pub queue: QueueId,
    pub window: Option<WindowId>,
    pub state: TicketState,
    /// The local hour (0–23) of the issue of the visit's first ticket.
    pub hour: u32,
    pub tickets: i64,
    /// Sum of the waits of the tickets that were called, in seconds, and how many those are.
    pub wait_secs: i64,
    pub waits: i64,
    /// Sum of the services timed (started and finished), in seconds, and how many those are.
    pub service_secs: i64,
    pub services: i64,
    pub last_finished_at: Option<DateTime<Utc>>,
}

type FinishedRow = (
    QueueId,
    Option<WindowId>,
    Text<TicketState>,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<DateTime<Utc>>,
);

/// SQL for the local hour of `column` at `offset` (a bound parameter, seconds east of UTC), and
/// for the whole seconds from one column to another (NULL when either is).
struct Expr {
    hour: fn(&str, &str) -> String,
    seconds: fn(&str, &str) -> String,
}

const SQLITE: Expr = Expr {
    hour: |column, offset| {
        format!("((CAST(strftime('%s', {column}) AS INTEGER) + {offset}) / 3600) % 24")
    },
    seconds: |from, to| {
        format!("CAST(ROUND((julianday({to}) - julianday({from})) * 86400.0) AS INTEGER)")
    },
};

const POSTGRES: Expr = Expr {
    hour: |column, offset| {
        format!("CAST(FLOOR((EXTRACT(EPOCH FROM {column}) + {offset}) / 3600) AS BIGINT) % 24")
    },
    seconds: |from, to| format!("CAST(ROUND(EXTRACT(EPOCH FROM ({to} - {from}))) AS BIGINT)"),
};

fn expr(backend: Backend) -> &'static Expr {
    match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    }
}

impl Store {
    /// The site's finished tickets of `day`, summed per queue, window, state and local hour
    /// (`utc_offset`: the local time's seconds east of UTC).
    #[tracing::instrument(skip_all, err)]
    pub async fn finished_tickets(
        &self,
        site: SiteId,
        day: NaiveDate,
        utc_offset: i32,
    ) -> Result<Vec<FinishedTickets>> {
        let mut c = self.read().await?;
        let e = expr(c.backend());
        let hour = (e.hour)("t.original_issued_at", "$3");
        let wait = (e.seconds)("t.original_issued_at", "t.called_at");
        let service = (e.seconds)("t.started_at", "t.finished_at");
        let sql = format!(
            "SELECT t.queue_id, t.window_id, t.state, {hour}, COUNT(*), \
             CAST(COALESCE(SUM({wait}), 0) AS BIGINT), COUNT({wait}), \
             CAST(COALESCE(SUM({service}), 0) AS BIGINT), COUNT({service}), \
             MAX(t.finished_at) \
             FROM tickets t JOIN queues q ON q.id = t.queue_id \
             WHERE q.site_id = $1 AND t.local_day = $2 AND t.state IN ('done', 'no_show') \
             GROUP BY 1, 2, 3, 4"
        );
        let rows: Vec<FinishedRow> = c
            .fetch_all(
                Sql::built(sql)
                    .bind(site)
                    .bind(day)
                    .bind(i64::from(utc_offset)),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| FinishedTickets {
                queue: r.0,
                window: r.1,
                state: r.2.0,
                hour: u32::try_from(r.3.rem_euclid(24)).unwrap_or(0),
                tickets: r.4,
                wait_secs: r.5,
                waits: r.6,
                service_secs: r.7,
                services: r.8,
                last_finished_at: r.9,
            })
            .collect())
    }

    /// How many visits began in each local hour of `day` at the site (`utc_offset` as above):
    /// every ticket but those transferred, whose visit lives on as the ticket they became.
    #[tracing::instrument(skip_all, err)]
    pub async fn arrivals_by_hour(
        &self,
        site: SiteId,
        day: NaiveDate,
        utc_offset: i32,
    ) -> Result<[u64; 24]> {
        let mut c = self.read().await?;
        let hour = (expr(c.backend()).hour)("t.original_issued_at", "$3");
        let sql = format!(
            "SELECT {hour}, COUNT(*) FROM tickets t JOIN queues q ON q.id = t.queue_id \
             WHERE q.site_id = $1 AND t.local_day = $2 AND t.state <> 'transferred' \
             GROUP BY 1"
        );
        let rows: Vec<(i64, i64)> = c
            .fetch_all(
                Sql::built(sql)
                    .bind(site)
                    .bind(day)
                    .bind(i64::from(utc_offset)),
            )
            .await?;
        let mut by_hour = [0u64; 24];
        for (hour, n) in rows {
            by_hour[hour.rem_euclid(24) as usize] += u64::try_from(n).unwrap_or(0);
        }
        Ok(by_hour)
    }
}
