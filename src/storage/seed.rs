//! Seeding a month of cases for the report benchmark, in the database: a generated series joined
//! to a handful of templates, so a million cases take seconds, not an hour of intake commits.
//!
//! Generating rows and doing date arithmetic in SQL differ between the dialects (a recursive CTE
//! and `strftime` on SQLite, `generate_series` and intervals on PostgreSQL), so the three
//! statements that do are written once per dialect in [`SeedSql`]; the rest is shared.

use super::db::{Sql, json};
use super::{Backend, Result, SiteInfo, StaffRole, StorageError, Store};
use crate::domain::codes::{Category, Flag, Group, Outcome, Route};
use crate::domain::{Decision, IntakeRecord, Status};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::BTreeMap;

/// What a seed made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub cases: u64,
    pub tickets: u64,
}

/// A kind of case a seed cycles through.
struct Template {
    categories: &'static [Category],
    groups: &'static [Group],
    flags: &'static [Flag],
    route: Route,
    outcome: Outcome,
}

const TEMPLATES: &[Template] = &[
    t(
        &[Category::Ld04],
        &[],
        &[],
        Route::LaborMediation,
        Outcome::Mediated,
    ),
    t(
        &[Category::Ld04],
        &[Group::MigrantWorker],
        &[],
        Route::LaborMediation,
        Outcome::NotMediated,
    ),
    t(
        &[Category::Ld03, Category::Ld06],
        &[],
        &[],
        Route::Arbitration,
        Outcome::Accepted,
    ),
    t(
        &[Category::Ld07],
        &[],
        &[],
        Route::LaborInspection,
        Outcome::Advised,
    ),
    t(
        &[Category::Ld04, Category::Ld07],
        &[Group::MigrantWorker],
        &[Flag::Collective, Flag::Priority],
        Route::LaborMediation,
        Outcome::Mediated,
    ),
    t(
        &[Category::Ld99],
        &[],
        &[],
        Route::PeoplesMediation,
        Outcome::Mediated,
    ),
    t(
        &[Category::Ld08],
        &[],
        &[Flag::Major],
        Route::Arbitration,
        Outcome::Referred,
    ),
    t(
        &[Category::Ld04],
        &[],
        &[],
        Route::LaborInspection,
        Outcome::Withdrawn,
    ),
];

const fn t(
    categories: &'static [Category],
    groups: &'static [Group],
    flags: &'static [Flag],
    route: Route,
    outcome: Outcome,
) -> Template {
    Template {
        categories,
        groups,
        flags,
        route,
        outcome,
    }
}

/// The statements of a seed that differ by dialect. Parameters: `cases` $1 rows to make, $2 tag,
/// $3 site, $4 first day, $5 days in the month, $6 highest case id before, $7 templates;
/// `tickets` $1 highest case id before, $2 templates.
struct SeedSql {
    temp_table: &'static str,
    cases: &'static str,
    tickets: &'static str,
}

const SQLITE: SeedSql = SeedSql {
    temp_table: "CREATE TEMP TABLE seed_t (k INTEGER PRIMARY KEY, route TEXT, prefix TEXT, \
        queue_id INTEGER, flags TEXT, record TEXT, decision TEXT, outcome TEXT, \
        window_id INTEGER, staff_id INTEGER)",
    cases: "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1) \
        INSERT INTO cases (case_no, site_id, local_day, seq, route, referral_to, flags, \
        priority, applicant_name, applicant_id_masked, applicant_phone_masked, \
        counterparty_name, record, decision, created_at, created_by, window_id) \
        SELECT 'SEED-' || $2 || '-' || n.i, $3, date($4, '+' || (n.i % $5) || ' days'), \
        $6 + 1 + n.i, t.route, NULL, t.flags, 0, '样例', '', '', \
        '样例公司' || (n.i % 5003), t.record, t.decision, \
        strftime('%Y-%m-%dT%H:%M:%S+00:00', $4, '+' || (n.i % $5) || ' days', \
        '+' || (3600 + (n.i * 7919) % 28800) || ' seconds'), NULL, NULL \
        FROM n JOIN seed_t t ON t.k = n.i % $7",
    tickets: "INSERT INTO tickets (ticket_no, queue_id, local_day, seq, case_id, state, \
        priority, issued_at, original_issued_at, window_id, staff_id, called_at, \
        started_at, finished_at, outcome) \
        SELECT t.prefix || c.seq, t.queue_id, c.local_day, c.seq, c.id, 'done', 0, \
        c.created_at, c.created_at, t.window_id, t.staff_id, \
        strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, '+' || (c.seq % 3600) || ' seconds'), \
        strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, '+' || (c.seq % 3600 + 60) || ' seconds'), \
        strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, \
        '+' || (c.seq % 3600 + 360 + c.seq % 900) || ' seconds'), \
        t.outcome FROM cases c JOIN seed_t t ON t.k = (c.seq - $1 - 1) % $2 \
        WHERE c.id > $1 AND t.queue_id IS NOT NULL",
};

const POSTGRES: SeedSql = SeedSql {
    temp_table: "CREATE TEMP TABLE seed_t (k BIGINT PRIMARY KEY, route TEXT, prefix TEXT, \
        queue_id BIGINT, flags JSONB, record JSONB, decision JSONB, outcome TEXT, \
        window_id BIGINT, staff_id BIGINT) ON COMMIT DROP",
    cases: "INSERT INTO cases (case_no, site_id, local_day, seq, route, referral_to, flags, \
        priority, applicant_name, applicant_id_masked, applicant_phone_masked, \
        counterparty_name, record, decision, created_at, created_by, window_id) \
        SELECT 'SEED-' || $2 || '-' || n.i, $3, $4::date + (n.i % $5)::int, \
        $6 + 1 + n.i, t.route, NULL, t.flags, false, '样例', '', '', \
        '样例公司' || (n.i % 5003), t.record, t.decision, \
        ($4::date + (n.i % $5)::int)::timestamp AT TIME ZONE 'UTC' \
        + make_interval(secs => 3600 + (n.i * 7919) % 28800), NULL, NULL \
        FROM generate_series(0::bigint, $1 - 1) AS n(i) JOIN seed_t t ON t.k = n.i % $7",
    tickets: "INSERT INTO tickets (ticket_no, queue_id, local_day, seq, case_id, state, \
        priority, issued_at, original_issued_at, window_id, staff_id, called_at, \
        started_at, finished_at, outcome) \
        SELECT t.prefix || c.seq, t.queue_id, c.local_day, c.seq, c.id, 'done', false, \
        c.created_at, c.created_at, t.window_id, t.staff_id, \
        c.created_at + make_interval(secs => c.seq % 3600), \
        c.created_at + make_interval(secs => c.seq % 3600 + 60), \
        c.created_at + make_interval(secs => c.seq % 3600 + 360 + c.seq % 900), \
        t.outcome FROM cases c JOIN seed_t t ON t.k = (c.seq - $1 - 1) % $2 \
        WHERE c.id > $1 AND t.queue_id IS NOT NULL",
};

/// Seeds `cases` registered cases spread over the days of `month` (09:00–17:00 Beijing time), each
/// with one served ticket at one of four windows. Cases are numbered `SEED-<tag>-…`, the tag taken
/// from `at` so seeds never collide; the records are templates.
#[tracing::instrument(skip_all, err)]
pub async fn seed(
    store: &Store,
    site: &SiteInfo,
    cases: u64,
    month: NaiveDate,
    at: DateTime<Utc>,
) -> Result<Seeded> {
    let first = month.with_day(1).unwrap_or(month);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| StorageError::Invalid("month out of range".into()))?;
    let days = (next - first).num_days();
    let mut stations = Vec::new();
    let routes: Vec<Route> = site.queues.iter().map(|q| q.route).collect();
    for n in 1..=4i64 {
        let name = format!("样例窗口{n}");
        let window = store
            .upsert_window(site.id, 90 + n, &name, &routes, at)
            .await?;
        let code = format!("SEED{n}");
        let staff = store
            .upsert_staff(site.id, &code, &format!("样例{n}"), StaffRole::Clerk)
            .await?;
        stations.push((window, staff));
    }
    // Separate transactions of at most CHUNK cases keep the SQLite journal (and disk use) small.
    const CHUNK: u64 = 100_000;
    let tag = at.timestamp_millis() * 1000;
    let (mut done, mut tickets, mut part) = (0u64, 0u64, 0i64);
    while done < cases {
        let n = (cases - done).min(CHUNK);
        let mut c = store.begin().await?;
        let sql = match c.backend() {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        };
        let base: i64 = c
            .scalar(Sql::new(
                "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases",
            ))
            .await?;
        c.execute(Sql::new("DROP TABLE IF EXISTS seed_t")).await?;
        c.execute(Sql::new(sql.temp_table)).await?;
        for (k, t) in TEMPLATES.iter().enumerate() {
            let (window, staff) = stations[k % stations.len()];
            let queue = site.queue(t.route);
            let record: IntakeRecord = serde_json::from_value(serde_json::json!({
                "applicant": { "name": "样例", "groups": t.groups },
                "counterparty": { "name": "样例公司" },
                "dispute": { "categories": t.categories },
            }))
            .map_err(|e| StorageError::Invalid(format!("seed record: {e}")))?;
            let decision = Decision {
                status: Status::Routed,
                errors: vec![],
                warnings: vec![],
                route: Some(t.route),
                referral_to: None,
                also: vec![],
                flags: t.flags.to_vec(),
                deadlines: BTreeMap::new(),
                reasons: vec![],
                queue: queue.map(|q| q.prefix.clone()),
            };
            c.execute(
                Sql::new("INSERT INTO seed_t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                    .bind(k as i64)
                    .bind(t.route)
                    .bind(queue.map(|q| q.prefix.as_str()))
                    .bind(queue.map(|q| q.id))
                    .bind(json(t.flags)?)
                    .bind(json(&record)?)
                    .bind(json(&decision)?)
                    .bind(t.outcome)
                    .bind(window)
                    .bind(staff),
            )
            .await?;
        }
        c.execute(
            Sql::new(sql.cases)
                .bind(n as i64)
                .bind(tag + part)
                .bind(site.id)
                .bind(first)
                .bind(days)
                .bind(base)
                .bind(TEMPLATES.len() as i64),
        )
        .await?;
        tickets += c
            .execute(
                Sql::new(sql.tickets)
                    .bind(base)
                    .bind(TEMPLATES.len() as i64),
            )
            .await?;
        c.commit().await?;
        done += n;
        part += 1;
    }
    Ok(Seeded { cases, tickets })
}
