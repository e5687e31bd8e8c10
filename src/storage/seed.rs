//! Seeding a month of sample cases for trying the report and for its benchmark, in the database:
//! a generated series joined to a handful of templates, so a million cases take seconds, not an
//! hour of intake commits. One transaction: a seed is all there or not at all.
//!
//! Generating rows and doing date arithmetic in SQL differ between the dialects (a recursive CTE
//! and `strftime` on SQLite, `generate_series` and intervals on PostgreSQL), so the three
//! statements that do are written once per dialect in [`SeedSql`]; the rest is shared.

use super::db::{Sql, json};
use super::{Backend, ChangeIds, ChangeKind, Result, SiteInfo, StaffRole, StorageError, Store};
use crate::domain::codes::{Category, Flag, Group, Outcome, Route};
use crate::domain::decision::Deadline;
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

/// The statements of a seed that differ by dialect. `numbers`: $1 cases to make, $2 first day,
/// $3 days in the month, $4 templates. `cases`: $1 site code, $2 site id, $3 the site's case
/// counter scope, $4 and $5 [`SeedMix::employers`] and [`SeedMix::repeat_employers`].
/// `tickets`: $1 site id, $2 counter scope, $3 [`SeedMix::unfinished_every`]. `counters`: $1 first day, $2 the day
/// after the month, $3 site id.
struct SeedSql {
    temp_tables: [&'static str; 2],
    numbers: &'static str,
    cases: &'static str,
    tickets: &'static str,
    counters: [&'static str; 2],
}

/// Each case's running number of its day: after the day's counter, as an intake would take it.
const SQLITE: SeedSql = SeedSql {
    temp_tables: [
        "CREATE TEMP TABLE seed_t (k INTEGER PRIMARY KEY, route TEXT, prefix TEXT, \
         queue_id INTEGER, flags TEXT, record TEXT, decision TEXT, outcome TEXT, \
         window_id INTEGER, staff_id INTEGER)",
        "CREATE TEMP TABLE seed_n (i INTEGER PRIMARY KEY, day TEXT, seq INTEGER, k INTEGER)",
    ],
    numbers: "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1) \
        INSERT INTO seed_n SELECT n.i, date($2, '+' || (n.i % $3) || ' days'), n.i / $3 + 1, \
        n.i % $4 FROM n",
    cases: "INSERT INTO cases (case_no, site_id, local_day, seq, route, referral_to, flags, \
        priority, applicant_name, applicant_id_masked, applicant_phone_masked, \
        counterparty_name, record, decision, created_at, created_by, window_id, sample) \
        SELECT $1 || '-' || replace(s.day, '-', '') || '-' \
        || printf('%04d', COALESCE(k.value, 0) + s.seq), \
        $2, s.day, COALESCE(k.value, 0) + s.seq, t.route, NULL, t.flags, 0, '样例', '', '', \
        CASE WHEN $5 > 0 AND s.i % 100 = 0 THEN '样例集团' || (s.i / 100 % $5) \
        ELSE '样例公司' || (s.i % $4) END, t.record, t.decision, \
        strftime('%Y-%m-%dT%H:%M:%S+00:00', s.day, \
        '+' || (3600 + (s.i * 7919) % 28800) || ' seconds'), NULL, NULL, 1 \
        FROM seed_n s JOIN seed_t t ON t.k = s.k \
        LEFT JOIN counters k ON k.scope = $3 AND k.day = s.day",
    tickets: "INSERT INTO tickets (ticket_no, queue_id, local_day, seq, case_id, state, \
        priority, issued_at, original_issued_at, window_id, staff_id, called_at, \
        started_at, finished_at, outcome) \
        SELECT t.prefix || printf('%03d', c.seq), t.queue_id, c.local_day, c.seq, c.id, \
        CASE WHEN s.i % NULLIF($3, 0) = $3 - 1 THEN 'no_show' ELSE 'done' END, \
        0, c.created_at, c.created_at, t.window_id, t.staff_id, \
        strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, '+' || (c.seq % 3600) || ' seconds'), \
        CASE WHEN s.i % NULLIF($3, 0) = $3 - 1 THEN NULL ELSE \
        strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, '+' || (c.seq % 3600 + 60) || ' seconds') END, \
        CASE WHEN s.i % NULLIF($3, 0) = $3 - 1 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S+00:00', c.created_at, \
        '+' || (c.seq % 3600 + 360 + c.seq % 900) || ' seconds') END, \
        CASE WHEN s.i % NULLIF($3, 0) = $3 - 1 THEN NULL ELSE t.outcome END FROM seed_n s JOIN seed_t t ON t.k = s.k \
        LEFT JOIN counters k ON k.scope = $2 AND k.day = s.day \
        JOIN cases c ON c.site_id = $1 AND c.local_day = s.day \
        AND c.seq = COALESCE(k.value, 0) + s.seq \
        WHERE t.queue_id IS NOT NULL",
    counters: [
        "INSERT INTO counters (scope, day, value) \
         SELECT 'case:' || site_id, local_day, MAX(seq) FROM cases \
         WHERE site_id = $3 AND local_day >= $1 AND local_day < $2 GROUP BY site_id, local_day \
         ON CONFLICT (scope, day) DO UPDATE SET value = max(counters.value, excluded.value)",
        "INSERT INTO counters (scope, day, value) \
         SELECT 'queue:' || t.queue_id, t.local_day, MAX(t.seq) FROM tickets t \
         JOIN queues q ON q.id = t.queue_id \
         WHERE q.site_id = $3 AND t.local_day >= $1 AND t.local_day < $2 \
         GROUP BY t.queue_id, t.local_day \
         ON CONFLICT (scope, day) DO UPDATE SET value = max(counters.value, excluded.value)",
    ],
};

const POSTGRES: SeedSql = SeedSql {
    temp_tables: [
        "CREATE TEMP TABLE seed_t (k BIGINT PRIMARY KEY, route TEXT, prefix TEXT, \
         queue_id BIGINT, flags JSONB, record JSONB, decision JSONB, outcome TEXT, \
         window_id BIGINT, staff_id BIGINT) ON COMMIT DROP",
        "CREATE TEMP TABLE seed_n (i BIGINT PRIMARY KEY, day DATE, seq BIGINT, k BIGINT) \
         ON COMMIT DROP",
    ],
    numbers: "INSERT INTO seed_n SELECT n.i, $2::date + (n.i % $3)::int, n.i / $3 + 1, n.i % $4 \
        FROM generate_series(0::bigint, $1 - 1) AS n(i)",
    cases: "INSERT INTO cases (case_no, site_id, local_day, seq, route, referral_to, flags, \
        priority, applicant_name, applicant_id_masked, applicant_phone_masked, \
        counterparty_name, record, decision, created_at, created_by, window_id, sample) \
        SELECT $1 || '-' || to_char(s.day, 'YYYYMMDD') || '-' \
        || lpad((COALESCE(k.value, 0) + s.seq)::text, \
                GREATEST(4, length((COALESCE(k.value, 0) + s.seq)::text)), '0'), \
        $2, s.day, COALESCE(k.value, 0) + s.seq, t.route, NULL, t.flags, false, '样例', '', '', \
        CASE WHEN $5 > 0 AND s.i % 100 = 0 THEN '样例集团' || (s.i / 100 % $5) \
        ELSE '样例公司' || (s.i % $4) END, t.record, t.decision, \
        s.day::timestamp AT TIME ZONE 'UTC' + make_interval(secs => 3600 + (s.i * 7919) % 28800), \
        NULL, NULL, true \
        FROM seed_n s JOIN seed_t t ON t.k = s.k \
        LEFT JOIN counters k ON k.scope = $3 AND k.day = s.day",
    tickets: "INSERT INTO tickets (ticket_no, queue_id, local_day, seq, case_id, state, \
        priority, issued_at, original_issued_at, window_id, staff_id, called_at, \
        started_at, finished_at, outcome) \
        SELECT t.prefix || lpad(c.seq::text, GREATEST(3, length(c.seq::text)), '0'), \
        t.queue_id, c.local_day, c.seq, c.id, \
        CASE WHEN s.i % NULLIF($3, 0) = $3 - 1 THEN 'no_show' ELSE 'done' END, false, \
        c.created_at, c.created_at, t.window_id, t.staff_id, \
        c.created_at + make_interval(secs => c.seq % 3600), \
        CASE WHEN s.i % NULLIF($3, 0) = $3 - 1 THEN NULL \
        ELSE c.created_at + make_interval(secs => c.seq % 3600 + 60) END, \
        CASE WHEN s.i % NULLIF($3, 0) = $3 - 1 THEN NULL \
        ELSE c.created_at + make_interval(secs => c.seq % 3600 + 360 + c.seq % 900) END, \
        CASE WHEN s.i % NULLIF($3, 0) = $3 - 1 THEN NULL ELSE t.outcome END FROM seed_n s JOIN seed_t t ON t.k = s.k \
        LEFT JOIN counters k ON k.scope = $2 AND k.day = s.day \
        JOIN cases c ON c.site_id = $1 AND c.local_day = s.day \
        AND c.seq = COALESCE(k.value, 0) + s.seq \
        WHERE t.queue_id IS NOT NULL",
    counters: [
        "INSERT INTO counters AS k (scope, day, value) \
         SELECT 'case:' || site_id, local_day, MAX(seq) FROM cases \
         WHERE site_id = $3 AND local_day >= $1 AND local_day < $2 GROUP BY site_id, local_day \
         ON CONFLICT (scope, day) DO UPDATE SET value = GREATEST(k.value, excluded.value)",
        "INSERT INTO counters AS k (scope, day, value) \
         SELECT 'queue:' || t.queue_id, t.local_day, MAX(t.seq) FROM tickets t \
         JOIN queues q ON q.id = t.queue_id \
         WHERE q.site_id = $3 AND t.local_day >= $1 AND t.local_day < $2 \
         GROUP BY t.queue_id, t.local_day \
         ON CONFLICT (scope, day) DO UPDATE SET value = GREATEST(k.value, excluded.value)",
    ],
};

/// Seeds `cases` sample cases spread over the days of `month` (09:00–17:00 Beijing time), each
/// with one served ticket at one of four sample windows, in one transaction. They are numbered
/// as intakes are (`ZZ01-20250301-0001`, after the day's counter, which moves past them), so
/// search, `case show` and the kiosk read them like any case; they are marked `sample`. A
/// database holding any other case or ticket — a live centre's — is refused.
#[tracing::instrument(skip_all, err)]
pub async fn seed(
    store: &Store,
    site: &SiteInfo,
    cases: u64,
    month: NaiveDate,
    at: DateTime<Utc>,
) -> Result<Seeded> {
    seed_with(store, site, cases, month, at, &SeedMix::default()).await
}

/// How a seeded month is made up beyond its case kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedMix {
    /// Case `i` names employer `样例公司{i % employers}`.
    pub employers: u64,
    /// When not 0, every 100th case names one of this many repeat employers (`样例集团{n}`)
    /// instead.
    pub repeat_employers: u64,
    /// When not 0, every this-many-th case is unfinished: its ticket was called and not answered
    /// (`no_show`, no outcome).
    pub unfinished_every: u64,
    /// The cases' decisions carry a mediation period end and a limitation date (45 days and a
    /// year after the month's first day), as real decisions do.
    pub deadlines: bool,
}

impl Default for SeedMix {
    /// The report's sample month: 5,003 employers, every case finished, no deadlines.
    fn default() -> Self {
        SeedMix {
            employers: 5003,
            repeat_employers: 0,
            unfinished_every: 0,
            deadlines: false,
        }
    }
}

impl SeedMix {
    /// A month shaped like a busy centre's for the dashboard's benchmark: about 60 % of employers
    /// named once or twice, 1 % of cases against 199 repeat employers, one case in twenty
    /// unfinished, and deadlines on every decision.
    pub fn realistic(cases: u64) -> SeedMix {
        SeedMix {
            employers: (cases * 6 / 10).max(1),
            repeat_employers: 199,
            unfinished_every: 20,
            deadlines: true,
        }
    }
}

/// [`seed`] with a [`SeedMix`].
#[tracing::instrument(skip_all, err)]
pub async fn seed_with(
    store: &Store,
    site: &SiteInfo,
    cases: u64,
    month: NaiveDate,
    at: DateTime<Utc>,
    mix: &SeedMix,
) -> Result<Seeded> {
    let as_i64 = |n: u64| i64::try_from(n).map_err(|_| StorageError::Invalid("seed mix".into()));
    let (employers, repeat, unfinished) = (
        as_i64(mix.employers.max(1))?,
        as_i64(mix.repeat_employers)?,
        as_i64(mix.unfinished_every)?,
    );
    let first = month.with_day(1).unwrap_or(month);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| StorageError::Invalid("month out of range".into()))?;
    let days = (next - first).num_days();
    let cases_i64 =
        i64::try_from(cases).map_err(|_| StorageError::Invalid("too many cases".into()))?;
    let mut c = store.write().await?;
    let live: i64 = c
        .scalar(Sql::new(
            "SELECT (SELECT COUNT(*) FROM cases WHERE NOT sample) + (SELECT COUNT(*) FROM tickets \
             t WHERE NOT EXISTS (SELECT 1 FROM cases s WHERE s.id = t.case_id AND s.sample))",
        ))
        .await?;
    if live > 0 {
        return Err(StorageError::Invalid(format!(
            "this database holds {live} registered case(s) or ticket(s): sample data goes only \
             into an empty database or one holding sample data (e.g. --db sqlite://sample.db)"
        )));
    }
    let sql = match c.backend() {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    };
    let routes: Vec<Route> = site.queues.iter().map(|q| q.route).collect();
    let mut stations = Vec::new();
    for n in 1..=4i64 {
        let window =
            super::site::upsert_window_row(&mut c, site.id, 90 + n, &format!("样例窗口{n}"))
                .await?;
        super::site::set_window_queues(&mut c, site.id, window, &routes).await?;
        let staff: i64 = c
            .scalar(
                Sql::new(
                    "INSERT INTO staff (site_id, code, name, role) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (site_id, code) DO UPDATE SET name = excluded.name \
                     RETURNING id",
                )
                .bind(site.id)
                .bind(format!("SEED{n}"))
                .bind(format!("样例{n}"))
                .bind(StaffRole::Clerk),
            )
            .await?;
        stations.push((window, staff));
    }
    if c.backend() == Backend::Sqlite {
        // A temporary table lives as long as the pooled connection, not the transaction.
        c.execute(Sql::new("DROP TABLE IF EXISTS temp.seed_t"))
            .await?;
        c.execute(Sql::new("DROP TABLE IF EXISTS temp.seed_n"))
            .await?;
    }
    for t in sql.temp_tables {
        c.execute(Sql::new(t)).await?;
    }
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
            deadlines: if mix.deadlines {
                BTreeMap::from([
                    (Deadline::MediationPeriodEnds, first + chrono::Days::new(45)),
                    (Deadline::LimitationExpires, first + chrono::Days::new(365)),
                ])
            } else {
                BTreeMap::new()
            },
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
    let scope = format!("case:{}", site.id.0);
    c.execute(
        Sql::new(sql.numbers)
            .bind(cases_i64)
            .bind(first)
            .bind(days)
            .bind(TEMPLATES.len() as i64),
    )
    .await?;
    c.execute(
        Sql::new(sql.cases)
            .bind(site.code.as_str())
            .bind(site.id)
            .bind(scope.as_str())
            .bind(employers)
            .bind(repeat),
    )
    .await?;
    // The seeded names are their own keys (`normalize_name` leaves them as they are; a test
    // below holds it), so the repeat-employer check finds them keyed.
    c.execute(
        Sql::new(
            "INSERT INTO employer_names (site_id, employer_name, employer_norm) \
             SELECT DISTINCT site_id, counterparty_name, counterparty_name FROM cases \
             WHERE site_id = $1 AND sample AND counterparty_name <> '' ON CONFLICT DO NOTHING",
        )
        .bind(site.id),
    )
    .await?;
    let tickets = c
        .execute(
            Sql::new(sql.tickets)
                .bind(site.id)
                .bind(scope.as_str())
                .bind(unfinished),
        )
        .await?;
    for counters in sql.counters {
        c.execute(Sql::new(counters).bind(first).bind(next).bind(site.id))
            .await?;
    }
    if c.backend() == Backend::Sqlite {
        c.execute(Sql::new("DROP TABLE seed_t")).await?;
        c.execute(Sql::new("DROP TABLE seed_n")).await?;
    }
    c.change(ChangeKind::Setup, ChangeIds::default(), at);
    store.commit(c).await?;
    Ok(Seeded { cases, tickets })
}

#[cfg(test)]
mod tests {
    use crate::domain::employer::normalize_name;

    #[test]
    fn seeded_employer_names_are_their_own_keys() {
        for name in [
            "样例公司0",
            "样例公司5002",
            "样例公司599999",
            "样例集团0",
            "样例集团198",
        ] {
            assert_eq!(normalize_name(name), name);
        }
    }
}
