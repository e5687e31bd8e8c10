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

pub use super::seed::{SeedMix, Seeded, seed, seed_with};

use super::db::{Sql, Text};
use super::{Result, SiteId, StorageError, Store};
use crate::domain::codes::{Category, Code, Flag, Group, Outcome, Route};
use crate::domain::employer::EmployerKey;
use crate::domain::stats::{Report, Waits, Workload};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Case counts per combination of the facts the figures group by (roll-ups of migration 0011).
const CASE_GROUPS: &str = "SELECT NULLIF(route, ''), flags, categories, groups, \
     NULLIF(outcome, ''), CAST(SUM(n) AS BIGINT) FROM case_rollup";
const CASE_GROUP_BY: &str = "GROUP BY route, flags, categories, groups, outcome HAVING SUM(n) > 0";

type CaseGroupRow = (
    Option<Text<Route>>,
    String,
    String,
    String,
    Option<Text<Outcome>>,
    i64,
);

/// Figures over the cases registered (local day) and the tickets served from `from` to `to`,
/// both days included.
#[tracing::instrument(skip_all, err)]
pub async fn report(store: &Store, site: SiteId, from: NaiveDate, to: NaiveDate) -> Result<Report> {
    let mut c = store.read().await?;
    let case_groups: Vec<CaseGroupRow> = c
        .fetch_all(
            Sql::built(format!(
                "{CASE_GROUPS} WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 {CASE_GROUP_BY}"
            ))
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    let waits: Vec<(i64, i64)> = c
        .fetch_all(
            Sql::new(
                "SELECT wait_secs, CAST(SUM(n) AS BIGINT) FROM wait_rollup \
                 WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 \
                 GROUP BY wait_secs HAVING SUM(n) > 0 ORDER BY wait_secs",
            )
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    // Per day: idle time is signed-in time not spent serving, worked out day by day and summed,
    // so service on a day without a kiosk session cannot cancel another day's idle time.
    type WorkloadRow = (
        NaiveDate,
        Option<i64>,
        Option<String>,
        i64,
        Option<i64>,
        i64,
    );
    let workload: Vec<WorkloadRow> = c
        .fetch_all(
            Sql::new(
                "SELECT r.local_day, w.number, s.code, CAST(SUM(r.served) AS BIGINT), \
                 CAST(SUM(r.service_sum) AS BIGINT), CAST(SUM(r.timed) AS BIGINT) \
                 FROM service_rollup r LEFT JOIN windows w ON w.id = r.window_id \
                 LEFT JOIN staff s ON s.id = r.staff_id \
                 WHERE r.site_id = $1 AND r.local_day BETWEEN $2 AND $3 \
                 GROUP BY r.local_day, w.number, s.code",
            )
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
    drop(c);
    let employers = employer_counts(store, site, from, to).await?;
    let mut r = figures_of_cases(&case_groups)?;
    r.repeat_respondents = employers
        .into_iter()
        .filter(|e| e.cases >= 2)
        .map(|e| (e.name, e.cases))
        .collect();
    r.waits = waits_of(&waits);
    // Signed-in time inside each day of the period, from the kiosks' sessions (a few a day per
    // window).
    let start = local_midnight(from);
    let end = local_midnight(to + chrono::Days::new(1));
    let spans = store.session_spans(site, start, end).await?;
    for day in from.iter_days().take_while(|d| *d <= to) {
        let (a, b) = (
            local_midnight(day),
            local_midnight(day + chrono::Days::new(1)),
        );
        for span in &spans {
            let secs = span.secs_within(a, b);
            if secs > 0 {
                *r.signed_in_window
                    .entry((day, span.window_number.to_string()))
                    .or_default() += secs;
                *r.signed_in_clerk
                    .entry((day, span.staff_code.clone()))
                    .or_default() += secs;
            }
        }
    }
    for (day, window, clerk, served, total, timed) in workload {
        let window = window.map_or_else(|| "—".to_string(), |w| w.to_string());
        let clerk = clerk.unwrap_or_else(|| "—".to_string());
        for (map, key) in [(&mut r.per_window, window), (&mut r.per_clerk, clerk)] {
            let e = map.entry((day, key)).or_insert((0u64, 0i64, 0u64));
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

/// Sums per local day and window (or clerk): served, service seconds, timed services.
type DaySums = BTreeMap<(NaiveDate, String), (u64, i64, u64)>;

/// The report before the per-day sums are turned into workloads.
struct Partial {
    report: Report,
    per_window: DaySums,
    per_clerk: DaySums,
    /// Signed-in seconds per day and window number, and per day and staff number.
    signed_in_window: BTreeMap<(NaiveDate, String), i64>,
    signed_in_clerk: BTreeMap<(NaiveDate, String), i64>,
    repeat_respondents: Vec<(String, u64)>,
    waits: Waits,
}

impl Partial {
    fn finish(self) -> Report {
        Report {
            per_window: workloads(self.per_window, &self.signed_in_window),
            per_clerk: workloads(self.per_clerk, &self.signed_in_clerk),
            repeat_respondents: self.repeat_respondents,
            waits: self.waits,
            ..self.report
        }
    }
}

/// Workloads from per-day sums. Idle: signed-in time not spent serving (as `domain::stats`
/// defines it), each day on its own, then summed: a day of service without a kiosk session counts
/// no idle time and takes none from another day. Someone signed in who served nobody is listed
/// too, idle all along.
fn workloads(
    mut days: DaySums,
    signed_in: &BTreeMap<(NaiveDate, String), i64>,
) -> BTreeMap<String, Workload> {
    for k in signed_in.keys() {
        days.entry(k.clone()).or_default();
    }
    let mut out: BTreeMap<String, (u64, i64, u64, i64)> = BTreeMap::new();
    for (key, (served, total, timed)) in days {
        let on = signed_in.get(&key).copied().unwrap_or(0);
        let e = out.entry(key.1).or_default();
        e.0 += served;
        e.1 += total;
        e.2 += timed;
        e.3 += (on - total).max(0);
    }
    out.into_iter()
        .map(|(k, (served, total, timed, idle))| {
            (
                k,
                Workload {
                    served,
                    mean_service_secs: (timed > 0).then(|| total as f64 / timed as f64),
                    idle_secs: idle,
                },
            )
        })
        .collect()
}

/// A JSON array of codes, as the roll-up triggers store them.
fn decode<T: Code>(json: &str, what: &str) -> Result<Vec<T>> {
    let codes: Vec<String> = serde_json::from_str(json)
        .map_err(|e| StorageError::Corrupt(format!("case_facts.{what}: {e}")))?;
    codes
        .iter()
        .map(|c| {
            T::from_code(c).ok_or_else(|| StorageError::Corrupt(format!("case_facts.{what}: {c}")))
        })
        .collect()
}

/// The case figures of `domain::stats::report`, from groups of equal cases with their count.
fn figures_of_cases(groups: &[CaseGroupRow]) -> Result<Partial> {
    let mut r = Report::default();
    let (mut mediated, mut not_mediated, mut routed, mut to_mediation) = (0u64, 0u64, 0u64, 0u64);
    for (route, flags, categories, key_groups, outcome, n) in groups {
        let n = *n as u64;
        r.cases += n;
        let categories = decode::<Category>(categories, "categories")?;
        for c in &categories {
            *r.by_category.entry(c.code().to_string()).or_default() += n;
        }
        let mut stat_groups: Vec<_> = categories.iter().map(|c| c.statistics_group()).collect();
        stat_groups.sort_unstable();
        stat_groups.dedup();
        for g in stat_groups {
            *r.by_category_group.entry(g.code().to_string()).or_default() += n;
        }
        if let Some(Text(route)) = *route {
            routed += n;
            *r.by_route.entry(route.code().to_string()).or_default() += n;
            if matches!(route, Route::LaborMediation | Route::PeoplesMediation) {
                to_mediation += n;
            }
        }
        if let Some(Text(o)) = *outcome {
            *r.by_outcome.entry(o.code().to_string()).or_default() += n;
            match o {
                Outcome::Mediated => mediated += n,
                Outcome::NotMediated => not_mediated += n,
                _ => {}
            }
        }
        let flags = decode::<Flag>(flags, "flags")?;
        if flags.contains(&Flag::Collective) {
            r.collective += n;
        }
        if flags.contains(&Flag::Major) {
            r.major += n;
        }
        for g in decode::<Group>(key_groups, "groups")? {
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
    store: &Store,
    site: SiteId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<EmployerCount>> {
    let rows: Vec<(String, Option<String>, i64)> = store
        .read()
        .await?
        .fetch_all(
            Sql::new(
                "SELECT employer_name, NULLIF(credit_code, ''), CAST(SUM(n) AS BIGINT) \
                 FROM employer_rollup WHERE site_id = $1 AND local_day BETWEEN $2 AND $3 \
                 AND employer_name <> '' \
                 GROUP BY employer_name, credit_code HAVING SUM(n) > 0",
            )
            .bind(site)
            .bind(from)
            .bind(to),
        )
        .await?;
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
    store: &Store,
    site: SiteId,
    day: NaiveDate,
) -> Result<(Vec<(String, u64)>, Vec<(String, u64)>)> {
    let rows: Vec<CaseGroupRow> = store
        .read()
        .await?
        .fetch_all(
            Sql::built(format!(
                "{CASE_GROUPS} WHERE site_id = $1 AND local_day = $2 {CASE_GROUP_BY}"
            ))
            .bind(site)
            .bind(day),
        )
        .await?;
    let r = figures_of_cases(&rows)?.report;
    let sorted = |m: BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    Ok((sorted(r.by_category), sorted(r.by_route)))
}
