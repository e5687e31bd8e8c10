//! The figures of the filed report (issue 14) that the roll-ups of `reporting` do not hold:
//! parallel steps and referral destinations (from the stored decisions), flags, no-shows and
//! unfinished tickets, intakes per window and clerk, follow-up, a series per day and an hourly
//! profile. Each is one grouped query over the period's rows (indexed by site and local day);
//! what they mean is in `domain::report_filing`.

use super::db::{Sql, Text};
use super::{Backend, Result, SiteId, StorageError, Store};
use crate::domain::codes::{Flag, Route};
use crate::domain::report_filing::{DayFigures, Filing, FollowUpFigures, minutes, ratio};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The period's cases (alias `c`), by the local day they were registered.
const CASES_IN: &str = "c.site_id = $1 AND c.local_day BETWEEN $2 AND $3";
/// The period's tickets (alias `t`, with its queue `q`), by the local day they were issued.
const TICKETS_IN: &str = "FROM tickets t JOIN queues q ON q.id = t.queue_id \
     WHERE q.site_id = $1 AND t.local_day BETWEEN $2 AND $3";

/// Counts per key of a `SELECT key, COUNT(*)` over the period.
async fn counts(
    store: &Store,
    sql: String,
    site: SiteId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<String, u64>> {
    let rows: Vec<(Option<String>, i64)> = store
        .read()
        .await?
        .fetch_all(Sql::built(sql).bind(site).bind(from).bind(to))
        .await?;
    let mut out = BTreeMap::new();
    for (k, n) in rows {
        *out.entry(k.unwrap_or_default()).or_default() += n as u64;
    }
    Ok(out)
}

/// The filed report's own figures for the China days `from` to `to`, both included.
#[tracing::instrument(skip_all, err)]
pub async fn filing(store: &Store, site: SiteId, from: NaiveDate, to: NaiveDate) -> Result<Filing> {
    let backend = store.backend();
    let mut f = Filing {
        also: also_counts(counts(store, also_sql(backend), site, from, to).await?)?,
        referral_to: counts(
            store,
            format!(
                "SELECT c.referral_to, COUNT(*) FROM cases c WHERE {CASES_IN} \
                 AND c.referral_to IS NOT NULL GROUP BY c.referral_to"
            ),
            site,
            from,
            to,
        )
        .await?,
        ..Filing::default()
    };
    f.flags = flag_counts(store, site, from, to).await?;
    let states = counts(
        store,
        format!("SELECT t.state, COUNT(*) {TICKETS_IN} GROUP BY t.state"),
        site,
        from,
        to,
    )
    .await?;
    f.no_shows = states.get("no_show").copied().unwrap_or(0);
    f.unfinished = states
        .into_iter()
        .filter(|(s, _)| matches!(s.as_str(), "waiting" | "called" | "serving"))
        .collect();
    let mut c = store.read().await?;
    let per_window: Vec<(Option<i64>, i64)> = c
        .fetch_all(
            Sql::built(format!(
                "SELECT w.number, COUNT(*) FROM cases c LEFT JOIN windows w ON w.id = c.window_id \
                 WHERE {CASES_IN} GROUP BY w.number"
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    f.intakes_per_window = per_window.into_iter().map(|(w, n)| (w, n as u64)).collect();
    f.intakes_per_window.sort();
    let per_clerk: Vec<(Option<String>, i64)> = c
        .fetch_all(
            Sql::built(format!(
                "SELECT s.code, COUNT(*) FROM cases c LEFT JOIN staff s ON s.id = c.created_by \
                 WHERE {CASES_IN} GROUP BY s.code"
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    f.intakes_per_clerk = per_clerk.into_iter().map(|(s, n)| (s, n as u64)).collect();
    f.intakes_per_clerk.sort();
    let hourly: Vec<(i64, i64)> = c
        .fetch_all(
            Sql::built(format!(
                "SELECT {} AS h, COUNT(*) FROM cases c WHERE {CASES_IN} GROUP BY h",
                hour_of(backend)
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    f.hourly = vec![0; 24];
    for (h, n) in hourly {
        if let Some(slot) = usize::try_from(h).ok().and_then(|h| f.hourly.get_mut(h)) {
            *slot += n as u64;
        }
    }
    drop(c);
    f.followup = followup_figures(store, site, from, to).await?;
    f.daily = daily(store, site, from, to).await?;
    Ok(f)
}

/// The parallel steps of the period's cases: the cases per distinct `also` array (a month has
/// few), counted per step in [`also_counts`]. This is the one count that reads every decision
/// of the period (about 0.5 s per 200,000 cases on SQLite).
fn also_sql(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => format!(
            "SELECT json_extract(c.decision, '$.also') AS a, COUNT(*) FROM cases c \
             WHERE {CASES_IN} GROUP BY a"
        ),
        Backend::Postgres => format!(
            "SELECT CAST((c.decision->'also') AS TEXT) AS a, COUNT(*) FROM cases c \
             WHERE {CASES_IN} GROUP BY (c.decision->'also')"
        ),
    }
}

/// Cases per step from cases per `also` array.
fn also_counts(arrays: BTreeMap<String, u64>) -> Result<BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    for (array, n) in arrays {
        if array.is_empty() {
            continue;
        }
        let steps: Vec<String> = serde_json::from_str(&array)
            .map_err(|e| StorageError::Corrupt(format!("cases.decision.also: {e}")))?;
        for step in steps {
            *out.entry(step).or_default() += n;
        }
    }
    Ok(out)
}

/// The hour of the day in China (UTC+8, no daylight saving) a case was registered.
fn hour_of(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST(strftime('%H', c.created_at, '+8 hours') AS INTEGER)",
        Backend::Postgres => {
            "CAST(EXTRACT(HOUR FROM (c.created_at AT TIME ZONE 'UTC') + INTERVAL '8 hours') AS BIGINT)"
        }
    }
}

/// Cases per flag, from the case roll-ups (grouped by their flag sets).
async fn flag_counts(
    store: &Store,
    site: SiteId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<String, u64>> {
    let rows: Vec<(String, i64)> = store
        .read()
        .await?
        .fetch_all(
            Sql::new(
                "SELECT flags, CAST(SUM(n) AS BIGINT) FROM case_rollup \
                 WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 GROUP BY flags",
            )
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    let mut out = BTreeMap::new();
    for (flags, n) in rows {
        let codes: Vec<String> = serde_json::from_str(&flags)
            .map_err(|e| StorageError::Corrupt(format!("case_rollup.flags: {e}")))?;
        for code in codes {
            let flag = Flag::from_code(&code)
                .ok_or_else(|| StorageError::Corrupt(format!("case_rollup.flags: {code}")))?;
            *out.entry(flag.code().to_string()).or_default() += n as u64;
        }
    }
    out.retain(|_, n| *n > 0);
    Ok(out)
}

/// The cases of the period that are followed up (as `followup::due` chooses them).
const FOLLOWED: &str = "(f.outcome IN ('mediated', 'referred') \
     OR (f.outcome IS NULL AND f.route = 'referral'))";

async fn followup_figures(
    store: &Store,
    site: SiteId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<FollowUpFigures> {
    let mut c = store.read().await?;
    let in_period = "f.site_id = $1 AND f.local_day BETWEEN $2 AND $3";
    let cases: i64 = c
        .scalar(
            Sql::built(format!(
                "SELECT COUNT(*) FROM case_facts f WHERE {in_period} AND {FOLLOWED}"
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    let completed: i64 = c
        .scalar(
            Sql::built(format!(
                "SELECT COUNT(DISTINCT u.case_id) FROM followups u \
                 JOIN case_facts f ON f.case_id = u.case_id WHERE {in_period} AND {FOLLOWED} \
                 AND (u.contact IS NULL OR u.contact <> 'unreachable')"
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    let calls: Vec<(Option<String>, Option<bool>, i64)> = c
        .fetch_all(
            Sql::built(format!(
                "SELECT u.contact, u.satisfied, COUNT(*) FROM followups u \
                 JOIN case_facts f ON f.case_id = u.case_id WHERE {in_period} AND {FOLLOWED} \
                 GROUP BY u.contact, u.satisfied"
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    let mut fig = FollowUpFigures {
        cases: cases as u64,
        completed: completed as u64,
        completion_rate: ratio(completed as u64, cases as u64),
        ..FollowUpFigures::default()
    };
    for (contact, satisfied, n) in calls {
        let n = n as u64;
        *fig.calls
            .entry(contact.unwrap_or_else(|| "recorded".into()))
            .or_default() += n;
        match satisfied {
            Some(true) => fig.satisfied += n,
            Some(false) => fig.not_satisfied += n,
            None => {}
        }
    }
    fig.satisfaction_rate = ratio(fig.satisfied, fig.satisfied + fig.not_satisfied);
    Ok(fig)
}

/// Every day of the period: cases per route (roll-ups), served and mean wait (wait roll-ups),
/// no-shows (tickets).
async fn daily(
    store: &Store,
    site: SiteId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DayFigures>> {
    let mut c = store.read().await?;
    let routes: Vec<(NaiveDate, Option<Text<Route>>, i64)> = c
        .fetch_all(
            Sql::new(
                "SELECT local_day, NULLIF(route, ''), CAST(SUM(n) AS BIGINT) FROM case_rollup \
                 WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 GROUP BY local_day, route",
            )
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    let waits: Vec<(NaiveDate, i64, i64)> = c
        .fetch_all(
            Sql::new(
                "SELECT local_day, CAST(SUM(n) AS BIGINT), CAST(SUM(wait_secs * n) AS BIGINT) \
                 FROM wait_rollup WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 \
                 GROUP BY local_day",
            )
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    let no_shows: Vec<(NaiveDate, i64)> = c
        .fetch_all(
            Sql::built(format!(
                "SELECT t.local_day, COUNT(*) {TICKETS_IN} AND t.state = 'no_show' \
                 GROUP BY t.local_day"
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    let mut days: BTreeMap<NaiveDate, DayFigures> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|d| {
            (
                d,
                DayFigures {
                    day: d,
                    ..DayFigures::default()
                },
            )
        })
        .collect();
    for (d, route, n) in routes {
        if let Some(day) = days.get_mut(&d)
            && n > 0
        {
            day.cases += n as u64;
            let key = route.map_or("none", |r| r.0.code()).to_string();
            *day.by_route.entry(key).or_default() += n as u64;
        }
    }
    for (d, served, sum) in waits {
        if let Some(day) = days.get_mut(&d) {
            day.served = served as u64;
            day.mean_wait_minutes = (served > 0).then(|| minutes(sum as f64 / served as f64));
        }
    }
    for (d, n) in no_shows {
        if let Some(day) = days.get_mut(&d) {
            day.no_shows = n as u64;
        }
    }
    Ok(days.into_values().collect())
}

/// Tickets of the period marked no-show (for the comparison periods).
pub async fn no_shows(store: &Store, site: SiteId, from: NaiveDate, to: NaiveDate) -> Result<u64> {
    let n: i64 = store
        .read()
        .await?
        .scalar(
            Sql::built(format!(
                "SELECT COUNT(*) {TICKETS_IN} AND t.state = 'no_show'"
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    Ok(n as u64)
}
