//! Report figures straight from the database (issue 7): the monthly report must take ≤ 2 s over a
//! million cases on both backends, so nothing here reads cases. Triggers copy the few facts the
//! figures need (`case_facts`, migration 0010) and keep daily roll-ups of them (migration 0011):
//! case counts per combination of route, flags, categories, key groups and outcome; cases per
//! employer; waits as a histogram of whole seconds, which gives the exact median and 90th
//! percentile; served tickets and service time per window and clerk. A report sums a month of
//! roll-ups.
//!
//! The figures mean what `domain::stats` says they mean; `tests/report_storage.rs` checks both
//! against one hand-computed data set.

use super::stations::StationStore;
use super::{AnyStorage, Result, SiteId, SiteInfo, StorageError};
use crate::domain::codes::{Category, Flag, Group, Outcome, Route};
use crate::domain::employer::EmployerKey;
use crate::domain::stats::{Report, Waits, Workload};
use crate::domain::{Decision, IntakeRecord, Status};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// Runs one `query_as` on whichever pool the store has.
macro_rules! fetch_all {
    ($store:expr, $sql:expr, $ty:ty, [$($bind:expr),*]) => {{
        let sql: String = $sql;
        match $store {
            AnyStorage::Sqlite(s) => {
                sqlx::query_as::<_, $ty>(sqlx::AssertSqlSafe(sql))
                    $(.bind($bind))*
                    .fetch_all(s.pool())
                    .await
            }
            AnyStorage::Postgres(p) => {
                sqlx::query_as::<_, $ty>(sqlx::AssertSqlSafe(sql))
                    $(.bind($bind))*
                    .fetch_all(p.pool())
                    .await
            }
        }
    }};
}

/// Case counts per combination of the facts the figures group by (roll-ups of migration 0011).
const CASE_GROUPS: &str = "SELECT NULLIF(route, ''), flags, categories, groups, \
     NULLIF(outcome, ''), CAST(SUM(n) AS BIGINT) FROM case_rollup";
const CASE_GROUP_BY: &str = "GROUP BY route, flags, categories, groups, outcome HAVING SUM(n) > 0";

type CaseGroupRow = (Option<String>, String, String, String, Option<String>, i64);

/// Figures over the cases registered (local day) and the tickets served from `from` to `to`,
/// both days included.
#[tracing::instrument(skip_all, err)]
pub async fn report(
    store: &AnyStorage,
    site: SiteId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Report> {
    let case_groups: Vec<CaseGroupRow> = fetch_all!(
        store,
        format!("{CASE_GROUPS} WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 {CASE_GROUP_BY}"),
        CaseGroupRow,
        [site, from, to]
    )?;
    let employers = employer_counts(store, site, from, to).await?;
    let waits: Vec<(i64, i64)> = fetch_all!(
        store,
        "SELECT wait_secs, CAST(SUM(n) AS BIGINT) FROM wait_rollup \
         WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 \
         GROUP BY wait_secs HAVING SUM(n) > 0 ORDER BY wait_secs"
            .to_string(),
        (i64, i64),
        [site, from, to]
    )?;
    type WorkloadRow = (Option<i64>, Option<String>, i64, Option<i64>, i64);
    let workload: Vec<WorkloadRow> = fetch_all!(
        store,
        "SELECT w.number, s.code, CAST(SUM(r.served) AS BIGINT), \
         CAST(SUM(r.service_sum) AS BIGINT), CAST(SUM(r.timed) AS BIGINT) \
         FROM service_rollup r LEFT JOIN windows w ON w.id = r.window_id \
         LEFT JOIN staff s ON s.id = r.staff_id \
         WHERE r.site_id = $1 AND r.local_day BETWEEN $2 AND $3 GROUP BY w.number, s.code"
            .to_string(),
        WorkloadRow,
        [site, from, to]
    )?;
    let mut r = figures_of_cases(&case_groups)?;
    r.repeat_respondents = employers
        .into_iter()
        .filter(|e| e.cases >= 2)
        .map(|e| (e.name, e.cases))
        .collect();
    r.waits = waits_of(&waits);
    // Signed-in time inside the period, from the kiosks' sessions (a few a day per window).
    let start = local_midnight(from);
    let end = local_midnight(to + chrono::Days::new(1));
    for span in store.session_spans(site, start, end).await? {
        let secs = span.secs_within(start, end);
        *r.signed_in_window
            .entry(span.window_number.to_string())
            .or_default() += secs;
        *r.signed_in_clerk.entry(span.staff_code).or_default() += secs;
    }
    for (window, clerk, served, total, timed) in workload {
        let window = window.map_or_else(|| "—".to_string(), |w| w.to_string());
        let clerk = clerk.unwrap_or_else(|| "—".to_string());
        for (map, key) in [(&mut r.per_window, window), (&mut r.per_clerk, clerk)] {
            let e = map.entry(key).or_insert((0u64, 0i64, 0u64));
            e.0 += served as u64;
            e.1 += total.unwrap_or(0);
            e.2 += timed as u64;
        }
    }
    Ok(r.finish())
}

fn local_midnight(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_time(chrono::NaiveTime::MIN)
        .and_local_timezone(crate::domain::china_time())
        .single()
        .map_or_else(
            || day.and_time(chrono::NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&chrono::Utc),
        )
}

/// The report before the per-window sums are turned into workloads.
struct Partial {
    report: Report,
    per_window: BTreeMap<String, (u64, i64, u64)>,
    per_clerk: BTreeMap<String, (u64, i64, u64)>,
    /// Signed-in seconds per window number and per staff number.
    signed_in_window: BTreeMap<String, i64>,
    signed_in_clerk: BTreeMap<String, i64>,
    repeat_respondents: Vec<(String, u64)>,
    waits: Waits,
}

impl Partial {
    fn finish(self) -> Report {
        // Idle: signed-in time not spent serving (as `domain::stats` defines it). Someone signed
        // in who served nobody is listed too, idle all along.
        let workload = |mut m: BTreeMap<String, (u64, i64, u64)>,
                        signed_in: BTreeMap<String, i64>| {
            for k in signed_in.keys() {
                m.entry(k.clone()).or_default();
            }
            m.into_iter()
                .map(|(k, (served, total, timed))| {
                    let on = signed_in.get(&k).copied().unwrap_or(0);
                    (
                        k,
                        Workload {
                            served,
                            mean_service_secs: (timed > 0).then(|| total as f64 / timed as f64),
                            idle_secs: (on - total).max(0),
                        },
                    )
                })
                .collect()
        };
        Report {
            per_window: workload(self.per_window, self.signed_in_window),
            per_clerk: workload(self.per_clerk, self.signed_in_clerk),
            repeat_respondents: self.repeat_respondents,
            waits: self.waits,
            ..self.report
        }
    }
}

fn decode<T>(json: &str, what: &str, parse: fn(&str) -> Option<T>) -> Result<Vec<T>> {
    let codes: Vec<String> = serde_json::from_str(json)
        .map_err(|e| StorageError::Corrupt(format!("case_facts.{what}: {e}")))?;
    codes
        .iter()
        .map(|c| parse(c).ok_or_else(|| StorageError::Corrupt(format!("case_facts.{what}: {c}"))))
        .collect()
}

/// The case figures of `domain::stats::report`, from groups of equal cases with their count.
fn figures_of_cases(groups: &[CaseGroupRow]) -> Result<Partial> {
    let mut r = Report::default();
    let (mut mediated, mut not_mediated, mut routed, mut to_mediation) = (0u64, 0u64, 0u64, 0u64);
    for (route, flags, categories, key_groups, outcome, n) in groups {
        let n = *n as u64;
        r.cases += n;
        let categories = decode(categories, "categories", Category::from_code)?;
        for c in &categories {
            *r.by_category.entry(c.code().to_string()).or_default() += n;
        }
        let mut stat_groups: Vec<&str> = categories.iter().map(|c| c.statistics_group()).collect();
        stat_groups.sort_unstable();
        stat_groups.dedup();
        for g in stat_groups {
            *r.by_category_group.entry(g.to_string()).or_default() += n;
        }
        if let Some(route) = route {
            let route = Route::from_code(route)
                .ok_or_else(|| StorageError::Corrupt(format!("case route {route}")))?;
            routed += n;
            *r.by_route.entry(route.code().to_string()).or_default() += n;
            if matches!(route, Route::LaborMediation | Route::PeoplesMediation) {
                to_mediation += n;
            }
        }
        if let Some(o) = outcome {
            // Storage has an `other` outcome the domain list lacks; it is counted, not rated.
            *r.by_outcome.entry(o.clone()).or_default() += n;
            match Outcome::from_code(o) {
                Some(Outcome::Mediated) => mediated += n,
                Some(Outcome::NotMediated) => not_mediated += n,
                _ => {}
            }
        }
        let flags = decode(flags, "flags", Flag::from_code)?;
        if flags.contains(&Flag::Collective) {
            r.collective += n;
        }
        if flags.contains(&Flag::Major) {
            r.major += n;
        }
        for g in decode(key_groups, "groups", Group::from_code)? {
            *r.key_groups.entry(g.code().to_string()).or_default() += n;
        }
    }
    let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
    r.mediation_success_rate = ratio(mediated, mediated + not_mediated);
    r.mediation_share = ratio(to_mediation, routed);
    Ok(Partial {
        report: r,
        per_window: BTreeMap::new(),
        per_clerk: BTreeMap::new(),
        signed_in_window: BTreeMap::new(),
        signed_in_clerk: BTreeMap::new(),
        repeat_respondents: vec![],
        waits: Waits::default(),
    })
}

/// Mean, median and 90th percentile (PERCENTILE.INC, as `domain::stats`) of a histogram of
/// `(seconds, count)` sorted by seconds.
fn waits_of(hist: &[(i64, i64)]) -> Waits {
    let n: i64 = hist.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return Waits::default();
    }
    let sum: i64 = hist.iter().map(|(w, c)| w * c).sum();
    // The k-th smallest value (0-based).
    let nth = |k: i64| {
        let mut seen = 0;
        for (w, c) in hist {
            seen += c;
            if k < seen {
                return *w;
            }
        }
        hist.last().map_or(0, |(w, _)| *w)
    };
    let pct = |p: f64| {
        let rank = p * (n - 1) as f64;
        let (lo, hi) = (rank.floor() as i64, rank.ceil() as i64);
        let (a, b) = (nth(lo), nth(hi));
        a as f64 + (b - a) as f64 * (rank - lo as f64)
    };
    Waits {
        served: n as u64,
        mean_secs: Some(sum as f64 / n as f64),
        median_secs: Some(pct(0.5)),
        p90_secs: Some(pct(0.9)),
    }
}

/// Cases per employer in a period, most first: one entry per [`EmployerKey`] (credit code, else
/// normalised name) under the name written most often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerCount {
    pub key: EmployerKey,
    pub name: String,
    pub cases: u64,
}

#[tracing::instrument(skip_all, err)]
pub async fn employer_counts(
    store: &AnyStorage,
    site: SiteId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<EmployerCount>> {
    let rows: Vec<(String, Option<String>, i64)> = fetch_all!(
        store,
        "SELECT employer_name, NULLIF(credit_code, ''), CAST(SUM(n) AS BIGINT) \
         FROM employer_rollup WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 \
         GROUP BY employer_name, credit_code HAVING SUM(n) > 0"
            .to_string(),
        (String, Option<String>, i64),
        [site, from, to]
    )?;
    let mut by_key: HashMap<EmployerKey, (u64, BTreeMap<String, u64>)> = HashMap::new();
    for (name, code, n) in rows {
        let e = by_key
            .entry(EmployerKey::of(&name, code.as_deref()))
            .or_default();
        e.0 += n as u64;
        *e.1.entry(name.trim().to_string()).or_default() += n as u64;
    }
    let mut out: Vec<EmployerCount> = by_key
        .into_iter()
        .map(|(key, (cases, names))| {
            // Most written name; ties to the first in order.
            let name = names
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            EmployerCount { key, name, cases }
        })
        .collect();
    out.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// Cases registered today per category and per route, for the dashboard's charts.
pub async fn today_mix(
    store: &AnyStorage,
    site: SiteId,
    day: NaiveDate,
) -> Result<(Vec<(String, u64)>, Vec<(String, u64)>)> {
    let rows: Vec<CaseGroupRow> = fetch_all!(
        store,
        format!("{CASE_GROUPS} WHERE site_id = $1 AND local_day = $2 {CASE_GROUP_BY}"),
        CaseGroupRow,
        [site, day]
    )?;
    let r = figures_of_cases(&rows)?.report;
    let sorted = |m: BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    Ok((sorted(r.by_category), sorted(r.by_route)))
}

// ---------------------------------------------------------------------------------------------
// Seeding

/// What a seed made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub cases: u64,
    pub tickets: u64,
}

/// The kinds of case a seed cycles through: (categories, key groups, flags, route, outcome).
type Template = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    Option<&'static str>,
);
const TEMPLATES: &[Template] = &[
    (&["LD04"], &[], &[], "labor_mediation", Some("mediated")),
    (
        &["LD04"],
        &["migrant_worker"],
        &[],
        "labor_mediation",
        Some("not_mediated"),
    ),
    (&["LD03", "LD06"], &[], &[], "arbitration", Some("accepted")),
    (&["LD07"], &[], &[], "labor_inspection", Some("advised")),
    (
        &["LD04", "LD07"],
        &["migrant_worker"],
        &["COLLECTIVE", "PRIORITY"],
        "labor_mediation",
        Some("mediated"),
    ),
    (&["LD99"], &[], &[], "peoples_mediation", Some("mediated")),
    (&["LD08"], &[], &["MAJOR"], "arbitration", Some("referred")),
    (&["LD04"], &[], &[], "labor_inspection", Some("withdrawn")),
];

/// Seeds `cases` registered cases spread over the days of `month` (09:00–17:00 Beijing time), each
/// with one served ticket at one of four windows, for the report benchmark. Runs in the database
/// (a generated series joined to a handful of templates), so a million cases take seconds, not an
/// hour of intake commits. Cases are numbered `SEED-…`; the records are templates.
#[tracing::instrument(skip_all, err)]
pub async fn seed(
    store: &AnyStorage,
    site: &SiteInfo,
    cases: u64,
    month: NaiveDate,
) -> Result<Seeded> {
    use super::{StaffRole, Storage};
    let first = month.with_day(1).unwrap_or(month);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| StorageError::Invalid("month out of range".into()))?;
    let days = (next - first).num_days();
    let mut windows = Vec::new();
    let routes: Vec<Route> = site.queues.iter().map(|q| q.route).collect();
    for n in 1..=4i64 {
        let w = store
            .upsert_window(site.id, 90 + n, &format!("样例窗口{n}"), &routes)
            .await?;
        let s = store
            .upsert_staff(
                site.id,
                &format!("SEED{n}"),
                &format!("样例{n}"),
                StaffRole::Clerk,
            )
            .await?;
        windows.push((n - 1, w.0, s.0));
    }
    let mut templates = Vec::new();
    for (k, (cats, groups, flags, route, outcome)) in TEMPLATES.iter().enumerate() {
        let route_code = Route::from_code(route)
            .ok_or_else(|| StorageError::Invalid(format!("seed route {route}")))?;
        let queue = site.queue(route_code);
        let record: IntakeRecord = serde_json::from_value(serde_json::json!({
            "applicant": { "name": "样例", "groups": groups },
            "counterparty": { "name": "样例公司" },
            "dispute": { "categories": cats },
        }))
        .map_err(|e| StorageError::Invalid(format!("seed record: {e}")))?;
        let flag_list: Vec<Flag> = flags
            .iter()
            .map(|f| {
                Flag::from_code(f).ok_or_else(|| StorageError::Invalid(format!("seed flag {f}")))
            })
            .collect::<Result<_>>()?;
        let decision = Decision {
            status: Status::Routed,
            errors: vec![],
            warnings: vec![],
            route: Some(route_code),
            referral_to: None,
            also: vec![],
            flags: flag_list.clone(),
            deadlines: BTreeMap::new(),
            reasons: vec![],
            queue: queue.map(|q| q.prefix.clone()),
        };
        let json = |v: serde_json::Result<String>| {
            v.map_err(|e| StorageError::Invalid(format!("seed template: {e}")))
        };
        templates.push((
            k as i64,
            route.to_string(),
            queue.map(|q| q.prefix.clone()),
            queue.map(|q| q.id.0),
            json(serde_json::to_string(&flag_list))?,
            json(serde_json::to_string(&record))?,
            json(serde_json::to_string(&decision))?,
            outcome.map(str::to_string),
        ));
    }
    // Separate transactions of at most CHUNK cases keep the SQLite journal (and disk use) small.
    const CHUNK: u64 = 100_000;
    let tag = chrono::Utc::now().timestamp_millis() * 1000;
    let (mut done, mut tickets, mut part) = (0u64, 0u64, 0i64);
    while done < cases {
        let n = (cases - done).min(CHUNK);
        tickets += seed_chunk(
            store,
            site,
            &templates,
            &windows,
            n as i64,
            tag + part,
            first,
            days,
        )
        .await?;
        done += n;
        part += 1;
    }
    Ok(Seeded { cases, tickets })
}

type SeedTemplate = (
    i64,
    String,
    Option<String>,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
);

#[allow(clippy::too_many_arguments)]
async fn seed_chunk(
    store: &AnyStorage,
    site: &SiteInfo,
    templates: &[SeedTemplate],
    windows: &[(i64, i64, i64)],
    n: i64,
    tag: i64,
    first: NaiveDate,
    days: i64,
) -> Result<u64> {
    let k = TEMPLATES.len() as i64;
    match store {
        AnyStorage::Sqlite(s) => {
            let mut tx = s.pool().begin_with("BEGIN IMMEDIATE").await?;
            let base: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM cases")
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "CREATE TEMP TABLE IF NOT EXISTS seed_t (k INTEGER PRIMARY KEY, route TEXT, \
                 prefix TEXT, queue_id INTEGER, flags TEXT, record TEXT, decision TEXT, \
                 outcome TEXT, window_id INTEGER, staff_id INTEGER)",
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM seed_t").execute(&mut *tx).await?;
            for (i, t) in templates.iter().enumerate() {
                let (_, w, st) = windows[i % windows.len()];
                sqlx::query("INSERT INTO seed_t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                    .bind(t.0)
                    .bind(&t.1)
                    .bind(&t.2)
                    .bind(t.3)
                    .bind(&t.4)
                    .bind(&t.5)
                    .bind(&t.6)
                    .bind(&t.7)
                    .bind(w)
                    .bind(st)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1) \
                 INSERT INTO cases (case_no, site_id, local_day, seq, route, referral_to, flags, \
                 priority, applicant_name, applicant_id_masked, applicant_phone_masked, \
                 counterparty_name, record, decision, created_at, created_by, window_id) \
                 SELECT 'SEED-' || $2 || '-' || n.i, $3, date($4, '+' || (n.i % $5) || ' days'), \
                 $6 + 1 + n.i, t.route, NULL, t.flags, 0, '样例', '', '', \
                 '样例公司' || (n.i % 5003), t.record, t.decision, \
                 strftime('%Y-%m-%dT%H:%M:%S+00:00', $4, '+' || (n.i % $5) || ' days', \
                 '+' || (3600 + (n.i * 7919) % 28800) || ' seconds'), NULL, NULL \
                 FROM n JOIN seed_t t ON t.k = n.i % $7",
            )
            .bind(n)
            .bind(tag)
            .bind(site.id)
            .bind(first)
            .bind(days)
            .bind(base)
            .bind(k)
            .execute(&mut *tx)
            .await?;
            let tickets = sqlx::query(
                "INSERT INTO tickets (ticket_no, queue_id, local_day, seq, case_id, state, \
                 priority, issued_at, original_issued_at, window_id, staff_id, called_at, \
                 started_at, finished_at, outcome) \
                 SELECT t.prefix || c.seq, t.queue_id, c.local_day, c.seq, c.id, 'done', 0, \
                 c.created_at, c.created_at, t.window_id, t.staff_id, \
                 strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, '+' || (c.seq % 3600) || ' seconds'), \
                 strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, '+' || (c.seq % 3600 + 60) || ' seconds'), \
                 strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, '+' || (c.seq % 3600 + 360 + c.seq % 900) || ' seconds'), \
                 t.outcome FROM cases c JOIN seed_t t ON t.k = (c.seq - $1 - 1) % $2 \
                 WHERE c.id > $1 AND t.queue_id IS NOT NULL",
            )
            .bind(base).bind(k)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok(tickets)
        }
        AnyStorage::Postgres(p) => {
            let mut tx = p.pool().begin().await?;
            let base: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0)::bigint FROM cases")
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "CREATE TEMP TABLE seed_t (k BIGINT PRIMARY KEY, route TEXT, prefix TEXT, \
                 queue_id BIGINT, flags JSONB, record JSONB, decision JSONB, outcome TEXT, \
                 window_id BIGINT, staff_id BIGINT) ON COMMIT DROP",
            )
            .execute(&mut *tx)
            .await?;
            for (i, t) in templates.iter().enumerate() {
                let (_, w, st) = windows[i % windows.len()];
                sqlx::query(
                    "INSERT INTO seed_t VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, \
                     $8, $9, $10)",
                )
                .bind(t.0)
                .bind(&t.1)
                .bind(&t.2)
                .bind(t.3)
                .bind(&t.4)
                .bind(&t.5)
                .bind(&t.6)
                .bind(&t.7)
                .bind(w)
                .bind(st)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO cases (case_no, site_id, local_day, seq, route, referral_to, flags, \
                 priority, applicant_name, applicant_id_masked, applicant_phone_masked, \
                 counterparty_name, record, decision, created_at, created_by, window_id) \
                 SELECT 'SEED-' || $2 || '-' || n.i, $3, $4::date + (n.i % $5)::int, \
                 $6 + 1 + n.i, t.route, NULL, t.flags, false, '样例', '', '', \
                 '样例公司' || (n.i % 5003), t.record, t.decision, \
                 ($4::date + (n.i % $5)::int)::timestamp AT TIME ZONE 'UTC' \
                 + make_interval(secs => 3600 + (n.i * 7919) % 28800), NULL, NULL \
                 FROM generate_series(0::bigint, $1 - 1) AS n(i) JOIN seed_t t ON t.k = n.i % $7",
            )
            .bind(n)
            .bind(tag)
            .bind(site.id)
            .bind(first)
            .bind(days)
            .bind(base)
            .bind(k)
            .execute(&mut *tx)
            .await?;
            let tickets = sqlx::query(
                "INSERT INTO tickets (ticket_no, queue_id, local_day, seq, case_id, state, \
                 priority, issued_at, original_issued_at, window_id, staff_id, called_at, \
                 started_at, finished_at, outcome) \
                 SELECT t.prefix || c.seq, t.queue_id, c.local_day, c.seq, c.id, 'done', false, \
                 c.created_at, c.created_at, t.window_id, t.staff_id, \
                 c.created_at + make_interval(secs => c.seq % 3600), \
                 c.created_at + make_interval(secs => c.seq % 3600 + 60), \
                 c.created_at + make_interval(secs => c.seq % 3600 + 360 + c.seq % 900), \
                 t.outcome FROM cases c JOIN seed_t t ON t.k = (c.seq - $1 - 1) % $2 \
                 WHERE c.id > $1 AND t.queue_id IS NOT NULL",
            )
            .bind(base)
            .bind(k)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok(tickets)
        }
    }
}
