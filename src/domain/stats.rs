//! Statistics for the monthly report (§9, issue 7): pure figures over rows a storage query returns,
//! so each figure can be checked by hand against a small data set.
//!
//! **A worker's wait** (issue 14), the one definition used by the dashboard and the report: from
//! the issue of the *first* ticket of the visit (transfers included: `original_issued_at`) to the
//! call of the ticket that served them, counted once that ticket is done. The time since a
//! transferred ticket was re-issued is shown beside it on the dashboard where it helps, never in
//! its place.
//!
//! **Idle time** is signed-in time not spent serving, worked out for each local day and window
//! (or clerk) and summed over the period: a day of service without a kiosk session counts no idle
//! time and takes none from another day. The rows given to [`report`] are one day's.

use super::codes::{Category, CategoryGroup, Flag, Group, Outcome, Route};
use super::employer::EmployerKey;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One registered case in the period.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub categories: Vec<Category>,
    pub route: Option<Route>,
    pub flags: Vec<Flag>,
    pub groups: Vec<Group>,
    pub outcome: Option<Outcome>,
    pub employer: EmployerKey,
    pub employer_name: String,
}

/// One ticket served in the period (times in seconds from issue).
#[derive(Debug, Clone)]
pub struct ServiceRow {
    pub window: String,
    pub clerk: String,
    /// First issue of the visit → called (see the module's definition of a wait).
    pub wait_secs: Option<i64>,
    /// Started → finished.
    pub service_secs: Option<i64>,
}

/// Signed-in time of a clerk at a window, for idle time.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub window: String,
    pub clerk: String,
    pub signed_in_secs: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Waits {
    pub served: u64,
    pub mean_secs: Option<f64>,
    pub median_secs: Option<f64>,
    pub p90_secs: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Workload {
    pub served: u64,
    pub mean_service_secs: Option<f64>,
    /// Signed-in time not spent serving.
    pub idle_secs: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub cases: u64,
    pub by_category: BTreeMap<String, u64>,
    /// Cases per statistics group (§3), by `CategoryGroup` code: a case counts once per group.
    pub by_category_group: BTreeMap<String, u64>,
    pub by_route: BTreeMap<String, u64>,
    pub by_outcome: BTreeMap<String, u64>,
    /// mediated ÷ (mediated + not_mediated).
    pub mediation_success_rate: Option<f64>,
    /// Cases routed to labour or people's mediation ÷ routed cases.
    pub mediation_share: Option<f64>,
    pub waits: Waits,
    pub per_window: BTreeMap<String, Workload>,
    pub per_clerk: BTreeMap<String, Workload>,
    pub collective: u64,
    pub major: u64,
    pub key_groups: BTreeMap<String, u64>,
    /// Employers named in two or more cases, most first.
    pub repeat_respondents: Vec<(String, u64)>,
}

pub fn report(cases: &[CaseRow], services: &[ServiceRow], sessions: &[SessionRow]) -> Report {
    let mut r = Report {
        cases: cases.len() as u64,
        ..Report::default()
    };
    let mut employers: HashMap<&EmployerKey, (u64, &str)> = HashMap::new();
    let (mut mediated, mut not_mediated, mut routed, mut to_mediation) = (0u64, 0u64, 0u64, 0u64);
    for c in cases {
        for cat in &c.categories {
            *r.by_category.entry(cat.code().to_string()).or_default() += 1;
        }
        // A case counts once per statistics group it touches.
        let mut groups: Vec<CategoryGroup> =
            c.categories.iter().map(|c| c.statistics_group()).collect();
        groups.sort();
        groups.dedup();
        for g in groups {
            *r.by_category_group.entry(g.code().to_string()).or_default() += 1;
        }
        if let Some(route) = c.route {
            routed += 1;
            *r.by_route.entry(route.code().to_string()).or_default() += 1;
            if matches!(route, Route::LaborMediation | Route::PeoplesMediation) {
                to_mediation += 1;
            }
        }
        if let Some(o) = c.outcome {
            *r.by_outcome.entry(o.code().to_string()).or_default() += 1;
            match o {
                Outcome::Mediated => mediated += 1,
                Outcome::NotMediated => not_mediated += 1,
                _ => {}
            }
        }
        if c.flags.contains(&Flag::Collective) {
            r.collective += 1;
        }
        if c.flags.contains(&Flag::Major) {
            r.major += 1;
        }
        for g in &c.groups {
            *r.key_groups.entry(g.code().to_string()).or_default() += 1;
        }
        employers
            .entry(&c.employer)
            .or_insert((0, &c.employer_name))
            .0 += 1;
    }
    r.mediation_success_rate = ratio(mediated, mediated + not_mediated);
    r.mediation_share = ratio(to_mediation, routed);

    let mut waits: Vec<i64> = services.iter().filter_map(|s| s.wait_secs).collect();
    waits.sort_unstable();
    r.waits = Waits {
        served: services.len() as u64,
        mean_secs: mean(&waits),
        median_secs: percentile(&waits, 0.5),
        p90_secs: percentile(&waits, 0.9),
    };
    for (key, map) in [(0, &mut r.per_window), (1, &mut r.per_clerk)] {
        let pick = |w: &str, c: &str| {
            if key == 0 {
                w.to_string()
            } else {
                c.to_string()
            }
        };
        let mut service_total: HashMap<String, (u64, i64, u64)> = HashMap::new();
        for s in services {
            let e = service_total.entry(pick(&s.window, &s.clerk)).or_default();
            e.0 += 1;
            if let Some(t) = s.service_secs {
                e.1 += t;
                e.2 += 1;
            }
        }
        let mut signed_in: HashMap<String, i64> = HashMap::new();
        for s in sessions {
            *signed_in.entry(pick(&s.window, &s.clerk)).or_default() += s.signed_in_secs;
        }
        let names: std::collections::BTreeSet<String> = service_total
            .keys()
            .chain(signed_in.keys())
            .cloned()
            .collect();
        for name in names {
            let (served, total, timed) = service_total.get(&name).copied().unwrap_or_default();
            let on = signed_in.get(&name).copied().unwrap_or(0);
            map.insert(
                name,
                Workload {
                    served,
                    mean_service_secs: (timed > 0).then(|| total as f64 / timed as f64),
                    idle_secs: (on - total).max(0),
                },
            );
        }
    }
    let mut repeat: Vec<(String, u64)> = employers
        .into_values()
        .filter(|(n, _)| *n >= 2)
        .map(|(n, name)| (name.to_string(), n))
        .collect();
    repeat.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    r.repeat_respondents = repeat;
    r
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn mean(v: &[i64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64)
}

/// Linear interpolation between closest ranks (the spreadsheet PERCENTILE.INC definition), so a
/// manager can check a figure in Excel.
fn percentile(sorted: &[i64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = p * (sorted.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let frac = rank - lo as f64;
    Some(sorted[lo] as f64 + (sorted[hi] - sorted[lo]) as f64 * frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(cats: &[Category], route: Route, outcome: Option<Outcome>, employer: &str) -> CaseRow {
        CaseRow {
            categories: cats.to_vec(),
            route: Some(route),
            flags: vec![],
            groups: vec![],
            outcome,
            employer: EmployerKey::of(employer, None),
            employer_name: employer.into(),
        }
    }

    /// Figures computed by hand for a data set of five cases and four services.
    #[test]
    fn figures_match_a_hand_computed_data_set() {
        use Category::*;
        let mut cases = vec![
            case(
                &[Ld04],
                Route::LaborMediation,
                Some(Outcome::Mediated),
                "甲有限公司",
            ),
            case(
                &[Ld03, Ld06],
                Route::LaborMediation,
                Some(Outcome::NotMediated),
                "甲有限责任公司",
            ),
            case(&[Ld04, Ld07], Route::LaborInspection, None, "乙公司"),
            case(
                &[Ld04],
                Route::Arbitration,
                Some(Outcome::Accepted),
                "甲有限公司",
            ),
            case(
                &[Ld99],
                Route::PeoplesMediation,
                Some(Outcome::Mediated),
                "丙家庭",
            ),
        ];
        cases[2].flags = vec![Flag::Collective];
        cases[2].groups = vec![Group::MigrantWorker];
        let services = vec![
            ServiceRow {
                window: "1".into(),
                clerk: "1001".into(),
                wait_secs: Some(60),
                service_secs: Some(600),
            },
            ServiceRow {
                window: "1".into(),
                clerk: "1001".into(),
                wait_secs: Some(120),
                service_secs: Some(300),
            },
            ServiceRow {
                window: "2".into(),
                clerk: "1002".into(),
                wait_secs: Some(300),
                service_secs: None,
            },
            ServiceRow {
                window: "2".into(),
                clerk: "1002".into(),
                wait_secs: Some(1200),
                service_secs: Some(900),
            },
        ];
        let sessions = vec![
            SessionRow {
                window: "1".into(),
                clerk: "1001".into(),
                signed_in_secs: 3600,
            },
            SessionRow {
                window: "2".into(),
                clerk: "1002".into(),
                signed_in_secs: 1800,
            },
        ];
        let r = report(&cases, &services, &sessions);
        assert_eq!(r.cases, 5);
        assert_eq!(r.by_category["LD04"], 3);
        assert_eq!(r.by_category_group["pay"], 3);
        assert_eq!(r.by_category_group["termination"], 1);
        assert_eq!(r.by_category_group["social_insurance"], 1);
        assert_eq!(r.by_route["labor_mediation"], 2);
        // 2 mediated of 3 with a mediation result.
        assert_eq!(r.mediation_success_rate, Some(2.0 / 3.0));
        // 3 of 5 routed cases went to mediation.
        assert_eq!(r.mediation_share, Some(0.6));
        assert_eq!(r.waits.mean_secs, Some(420.0));
        // Sorted 60 120 300 1200: median between 120 and 300; p90 at rank 2.7.
        assert_eq!(r.waits.median_secs, Some(210.0));
        let p90 = r.waits.p90_secs.expect("p90");
        assert!((p90 - 930.0).abs() < 1e-9, "{p90}");
        assert_eq!(r.per_window["1"].served, 2);
        assert_eq!(r.per_window["1"].mean_service_secs, Some(450.0));
        assert_eq!(r.per_window["1"].idle_secs, 3600 - 900);
        assert_eq!(r.per_clerk["1002"].mean_service_secs, Some(900.0));
        assert_eq!(r.per_clerk["1002"].idle_secs, 900);
        assert_eq!(r.collective, 1);
        assert_eq!(r.key_groups["migrant_worker"], 1);
        assert_eq!(r.repeat_respondents, vec![("甲有限公司".to_string(), 3)]);
    }

    #[test]
    fn empty_period_has_no_rates() {
        let r = report(&[], &[], &[]);
        assert_eq!(r.cases, 0);
        assert_eq!(r.mediation_success_rate, None);
        assert_eq!(r.waits.median_secs, None);
    }
}
