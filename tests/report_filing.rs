//! The report a centre files (issue 14), through the real binary on SQLite and PostgreSQL, for a
//! scripted two-day centre (two windows and clerks, a priority collective case, a referral, a
//! transfer, a no-show, tickets left unfinished, follow-up calls, cases in the previous period
//! and a year before). Every figure of the JSON report is recounted here from the database by
//! SQL (or from the script's own times, for the hourly profile); the XLSX is read back with
//! calamine (numbers, percentages, minutes, real dates, window numbers as numbers) and opened as
//! a zip archive to find its charts, number formats and frozen header rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[path = "common/db.rs"]
mod testdb;

use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use onewindow::app::queue::TicketOp;
use onewindow::app::{Acting, Services};
use onewindow::domain::{IntakeRecord, Outcome, Route, StaffNo, StaffRole, WindowNo};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use testdb::{Raw, TestDb};

const BOSS_PIN: &str = "246810";
const FROM: &str = "2026-03-10";
const TO: &str = "2026-03-11";
/// Where a wait starts: the first ticket of the visit (migration 0024), transfers included.
const WAIT_FROM: &str = "original_issued_at";

fn onewindow(dir: &Path, url: &str, args: &[&str]) -> String {
    let mut all = vec!["--db", url, "--set", "site.code=ZZ01"];
    all.extend(args);
    all.extend(["--staff", "S01", "--pin-stdin"]);
    let run = support::cli::onewindow(dir, &[], &all, &format!("{BOSS_PIN}\n"));
    assert!(run.success, "onewindow {args:?} failed: {}", run.stderr);
    run.stdout
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn services(url: &str) -> Services {
    let cfg = onewindow::config::load(&onewindow::config::Sources {
        file: None,
        env: vec![],
        overrides: vec![format!("database.url={url}"), "site.code=ZZ01".into()],
    })
    .unwrap();
    Services::open(&cfg).await.unwrap()
}

/// A record registered on `day` with its dates before it; `extra` is merged into `dispute`,
/// `applicant` or `counterparty` by its key.
fn record(name: &str, day: NaiveDate, extra: Value) -> IntakeRecord {
    let d = |n: i64| (day - Duration::days(n)).format("%Y-%m-%d").to_string();
    let mut v = json!({
        "applicant": { "name": name, "id_number": "41010519900307158X", "phone": "13812345678" },
        "counterparty": { "name": "郑州云启科技有限公司" },
        "employment": { "status": "ended", "started_on": d(400), "ended_on": d(30),
                        "written_contract": true },
        "dispute": { "categories": ["LD03"], "known_on": d(20), "wants_mediation": true,
                     "claims": [{ "category": "LD03", "amount": 5000 }] },
    });
    for (part, fields) in extra.as_object().unwrap() {
        for (k, val) in fields.as_object().unwrap() {
            v[part][k] = val.clone();
        }
    }
    serde_json::from_value(v).unwrap()
}

/// The kinds of case the script registers.
fn kind(k: &str, name: &str, day: NaiveDate) -> IntakeRecord {
    let d = |n: i64| (day - Duration::days(n)).format("%Y-%m-%d").to_string();
    let wages = json!({ "categories": ["LD04"],
                        "claims": [{ "category": "LD04", "amount": 8600 }] });
    record(
        name,
        day,
        match k {
            // Migrant worker in hardship: legal aid.
            "migrant" => json!({ "applicant": { "groups": ["migrant_worker"], "hardship": true },
                                 "dispute": wages }),
            // Twelve workers with a common claim: collective, union, priority.
            "collective" => json!({ "dispute": { "categories": ["LD04"], "workers_involved": 12,
                                    "common_claim": true,
                                    "claims": [{ "category": "LD04", "amount": 8600 }] } }),
            // A social-insurance agency: referral to administrative review, no queue.
            "referral" => json!({ "counterparty": { "kind": "social_insurance_agency" },
                                  "dispute": { "categories": ["LD07"], "claims": [] } }),
            // An unperformed mediation agreement over wages: arbitration and a payment order.
            "agreement" => json!({ "dispute": { "categories": ["LD04"],
                "claims": [{ "category": "LD04", "amount": 8600 }],
                "prior_agreement": { "kind": "labor_mediation", "effective_on": d(10),
                                     "performed": false } } }),
            // Declines mediation: arbitration.
            "arbitration" => json!({ "dispute": { "wants_mediation": false } }),
            _ => json!({}),
        },
    )
}

struct Centre {
    w1: Acting,
    w2: Acting,
}

async fn set_up(s: &Services) -> Centre {
    let at = utc("2025-01-01T00:00:00Z");
    s.save_staff(
        &StaffNo("S01".into()),
        "李主任",
        StaffRole::Supervisor,
        Some(BOSS_PIN.into()),
    )
    .await
    .unwrap();
    let mut acting = vec![];
    for (w, clerk, name) in [(1, "1001", "张敏"), (2, "1002", "王芳")] {
        s.save_window(WindowNo(w), "", &[], at).await.unwrap();
        let no = StaffNo(clerk.into());
        let id = s
            .save_staff(&no, name, StaffRole::Clerk, None)
            .await
            .unwrap();
        acting.push(Acting {
            staff: Some((id, no)),
            window: Some(s.station(WindowNo(w), false, at).await.unwrap()),
        });
    }
    let w2 = acting.pop().unwrap();
    let w1 = acting.pop().unwrap();
    Centre { w1, w2 }
}

/// Calls the next ticket at `by`'s window at `at`; starts and finishes it (mediated on a
/// mediation ticket, accepted otherwise) or marks it a no-show, or transfers it.
async fn serve(s: &Services, by: &Acting, at: DateTime<Utc>, what: &str) {
    let e = s.call_next(by, at).await.unwrap();
    let t = s.ticket_of_day(&e.ticket, at).await.unwrap();
    match what {
        "no_show" => {
            s.ticket_op(TicketOp::NoShow, &t, by, at + Duration::minutes(3))
                .await
                .unwrap();
        }
        "transfer" => {
            let t = s
                .ticket_op(TicketOp::Start, &t, by, at + Duration::minutes(1))
                .await
                .unwrap();
            s.transfer(
                &t,
                Route::Arbitration,
                "要求仲裁",
                by,
                at + Duration::minutes(8),
            )
            .await
            .unwrap();
        }
        _ => {
            let t = s
                .ticket_op(TicketOp::Start, &t, by, at + Duration::minutes(2))
                .await
                .unwrap();
            let outcome = if t.route == Route::LaborMediation {
                Outcome::Mediated
            } else {
                Outcome::Accepted
            };
            s.finish(&t, outcome, by, at + Duration::minutes(17))
                .await
                .unwrap();
        }
    }
}

/// The script; returns the registration times inside the period (for the hourly profile).
async fn two_days(s: &Services, c: &Centre) -> Vec<DateTime<Utc>> {
    let mut registered = vec![];
    let mut reg = async |k: &str, name: &str, by: &Acting, at: &str, inside: bool| {
        let at = utc(at);
        let day = onewindow::domain::numbering::local_day(&at);
        s.register(&kind(k, name, day), None, by, at).await.unwrap();
        if inside {
            registered.push(at);
        }
    };
    // A year before and the day before the period.
    reg("plain", "周一", &c.w1, "2025-03-10T02:00:00Z", false).await;
    reg("arbitration", "周二", &c.w1, "2025-03-11T03:00:00Z", false).await;
    reg("plain", "吴三", &c.w2, "2026-03-09T02:00:00Z", false).await;
    // Day 1, 10 March: six cases at two windows.
    reg("migrant", "王丽", &c.w1, "2026-03-10T01:00:00Z", true).await;
    reg("collective", "李娜", &c.w2, "2026-03-10T01:05:00Z", true).await;
    reg("referral", "赵强", &c.w1, "2026-03-10T01:10:00Z", true).await;
    reg("agreement", "孙红", &c.w2, "2026-03-10T02:15:00Z", true).await;
    reg("arbitration", "钱七", &c.w1, "2026-03-10T02:20:00Z", true).await;
    reg("plain", "郑八", &c.w2, "2026-03-10T06:30:00Z", true).await;
    // Day 2, 11 March: three more.
    reg("plain", "冯九", &c.w1, "2026-03-11T01:30:00Z", true).await;
    reg("migrant", "陈十", &c.w2, "2026-03-11T01:40:00Z", true).await;
    reg("arbitration", "褚一", &c.w1, "2026-03-11T07:00:00Z", true).await;
    // Day 1 at the windows: the collective case first (priority), a transfer, a no-show.
    serve(s, &c.w1, utc("2026-03-10T01:20:00Z"), "finish").await;
    serve(s, &c.w2, utc("2026-03-10T01:25:00Z"), "transfer").await;
    serve(s, &c.w1, utc("2026-03-10T02:30:00Z"), "finish").await;
    serve(s, &c.w2, utc("2026-03-10T02:40:00Z"), "no_show").await;
    serve(s, &c.w2, utc("2026-03-10T03:00:00Z"), "finish").await;
    // Day 2: two served; the rest stays waiting.
    serve(s, &c.w1, utc("2026-03-11T01:50:00Z"), "finish").await;
    serve(s, &c.w2, utc("2026-03-11T02:10:00Z"), "finish").await;
    // The year before: served too, for the comparison.
    serve(s, &c.w1, utc("2025-03-10T02:10:00Z"), "finish").await;
    registered
}

fn map_of(rows: Vec<String>) -> BTreeMap<String, u64> {
    rows.iter()
        .map(|r| {
            let (k, n) = r.rsplit_once('|').unwrap();
            (k.to_string(), n.parse().unwrap())
        })
        .collect()
}

fn json_map(v: &Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect()
}

const IN: &str = "local_day BETWEEN '2026-03-10' AND '2026-03-11'";

async fn every_filed_figure_matches_a_recount(db: &TestDb) {
    let url = db.url.expose().to_string();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let s = services(&url).await;
    let c = set_up(&s).await;
    let registered = two_days(&s, &c).await;
    s.close().await;
    let raw = Raw::open(&db.url).await;

    // Follow-up calls through the binary: one reached and satisfied, one unreachable.
    let due: Value =
        serde_json::from_str(&onewindow(dir, &url, &["followup", "list", "--json"])).unwrap();
    let due: Vec<String> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["case_no"].as_str().unwrap().to_string())
        .filter(|no| no.contains("-2026031"))
        .collect();
    assert!(due.len() >= 2, "two cases of the period due: {due:?}");
    onewindow(
        dir,
        &url,
        &[
            "followup",
            "record",
            &due[0],
            "--result",
            "reached",
            "--satisfied",
            "yes",
        ],
    );
    onewindow(
        dir,
        &url,
        &["followup", "record", &due[1], "--result", "unreachable"],
    );

    let out = onewindow(
        dir,
        &url,
        &["report", "--from", FROM, "--to", TO, "--format", "json"],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let (r, f) = (&v["report"], &v["filing"]);

    // Cases, routes, referral destinations.
    let cases = raw
        .texts(&format!("SELECT case_no FROM cases WHERE {IN}"))
        .await;
    assert_eq!(cases.len(), 9);
    assert_eq!(r["cases"], 9);
    let routes = map_of(
        raw.texts(&format!(
            "SELECT route || '|' || CAST(COUNT(*) AS TEXT) FROM cases WHERE {IN} GROUP BY route"
        ))
        .await,
    );
    assert_eq!(json_map(&r["by_route"]), routes);
    let referrals = map_of(
        raw.texts(&format!(
            "SELECT referral_to || '|' || CAST(COUNT(*) AS TEXT) FROM cases \
             WHERE {IN} AND referral_to IS NOT NULL GROUP BY referral_to"
        ))
        .await,
    );
    assert_eq!(referrals.get("administrative_review"), Some(&1));
    assert_eq!(json_map(&f["referral_to"]), referrals);

    // Pointers and flags, from each stored decision.
    let decisions = raw
        .texts(&format!(
            "SELECT CAST(decision AS TEXT) FROM cases WHERE {IN}"
        ))
        .await;
    let (mut also, mut flags) = (
        BTreeMap::<String, u64>::new(),
        BTreeMap::<String, u64>::new(),
    );
    for d in &decisions {
        let d: Value = serde_json::from_str(d).unwrap();
        for a in d["also"].as_array().unwrap() {
            *also.entry(a.as_str().unwrap().to_string()).or_default() += 1;
        }
        for fl in d["flags"].as_array().unwrap() {
            *flags.entry(fl.as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    for step in ["legal_aid", "union", "court_payment_order"] {
        assert!(
            also.contains_key(step),
            "the script has a {step} case: {also:?}"
        );
    }
    assert!(flags.contains_key("COLLECTIVE") && flags.contains_key("MIGRANT"));
    assert_eq!(json_map(&f["also"]), also);
    assert_eq!(json_map(&f["flags"]), flags);

    // The queue: no-shows and tickets not finished.
    let states = map_of(
        raw.texts(&format!(
            "SELECT state || '|' || CAST(COUNT(*) AS TEXT) FROM tickets WHERE {IN} GROUP BY state"
        ))
        .await,
    );
    assert_eq!(states.get("no_show"), Some(&1));
    assert_eq!(f["no_shows"], 1);
    let unfinished: BTreeMap<String, u64> = states
        .iter()
        .filter(|(k, _)| ["waiting", "called", "serving"].contains(&k.as_str()))
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    assert!(unfinished.values().sum::<u64>() >= 2, "{states:?}");
    assert_eq!(json_map(&f["unfinished"]), unfinished);

    // Intakes per window and per clerk.
    let per_window = map_of(
        raw.texts(&format!(
            "SELECT CAST(w.number AS TEXT) || '|' || CAST(COUNT(*) AS TEXT) FROM cases c \
             JOIN windows w ON w.id = c.window_id WHERE c.{IN} GROUP BY w.number"
        ))
        .await,
    );
    assert_eq!(per_window.values().sum::<u64>(), 9);
    let got: BTreeMap<String, u64> = f["intakes_per_window"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_i64().unwrap().to_string(), p[1].as_u64().unwrap()))
        .collect();
    assert_eq!(got, per_window);
    let per_clerk = map_of(
        raw.texts(&format!(
            "SELECT s.code || '|' || CAST(COUNT(*) AS TEXT) FROM cases c \
             JOIN staff s ON s.id = c.created_by WHERE c.{IN} GROUP BY s.code"
        ))
        .await,
    );
    let got: BTreeMap<String, u64> = f["intakes_per_clerk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
        .collect();
    assert_eq!(got, per_clerk);

    // Follow-up: cases followed up (latest outcome mediated or referred, or a referral without
    // an outcome), those a call closed, and the calls.
    let followed = raw
        .texts(&format!(
            "SELECT c.case_no FROM cases c WHERE c.{IN} AND ( \
               (c.route = 'referral' AND NOT EXISTS (SELECT 1 FROM tickets t \
                  WHERE t.case_id = c.id AND t.outcome IS NOT NULL)) \
               OR (SELECT t.outcome FROM tickets t WHERE t.case_id = c.id \
                   AND t.outcome IS NOT NULL ORDER BY t.finished_at DESC LIMIT 1) \
                  IN ('mediated', 'referred'))"
        ))
        .await;
    assert!(followed.len() >= 2, "{followed:?}");
    let fu = &f["followup"];
    assert_eq!(fu["cases"], followed.len() as u64);
    let closed = raw
        .texts(&format!(
            "SELECT DISTINCT c.case_no FROM followups u JOIN cases c ON c.id = u.case_id \
             WHERE c.{IN} AND u.contact <> 'unreachable'"
        ))
        .await;
    assert_eq!(closed.len(), 1);
    assert_eq!(fu["completed"], 1);
    let rate = fu["completion_rate"].as_f64().unwrap();
    assert!((rate - 1.0 / followed.len() as f64).abs() < 1e-9, "{rate}");
    let calls = map_of(
        raw.texts(
            "SELECT contact || '|' || CAST(COUNT(*) AS TEXT) FROM followups GROUP BY contact",
        )
        .await,
    );
    assert_eq!(json_map(&fu["calls"]), calls);
    assert_eq!(fu["satisfied"], 1);
    assert_eq!(fu["satisfaction_rate"], 1.0);

    // Day by day: cases per route, served, no-shows, mean wait in minutes.
    let daily = f["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 2);
    for d in daily {
        let day = d["day"].as_str().unwrap();
        let by_route = map_of(
            raw.texts(&format!(
                "SELECT route || '|' || CAST(COUNT(*) AS TEXT) FROM cases \
                 WHERE local_day = '{day}' GROUP BY route"
            ))
            .await,
        );
        assert_eq!(json_map(&d["by_route"]), by_route, "{day}");
        assert_eq!(d["cases"], by_route.values().sum::<u64>(), "{day}");
        let waits: Vec<i64> = raw
            .texts(&format!(
                "SELECT CAST({} AS TEXT) FROM tickets WHERE local_day = '{day}' \
                 AND state = 'done' AND called_at IS NOT NULL",
                raw.secs(WAIT_FROM, "called_at")
            ))
            .await
            .iter()
            .map(|w| w.parse().unwrap())
            .collect();
        assert_eq!(d["served"], waits.len() as u64, "{day}");
        let mean = waits.iter().sum::<i64>() as f64 / waits.len() as f64 / 60.0;
        let got = d["mean_wait_minutes"].as_f64().unwrap();
        assert!((got - mean).abs() < 1e-9, "{day}: {got} vs {mean}");
        let no_shows = raw
            .texts(&format!(
                "SELECT case_no FROM tickets t JOIN cases c ON c.id = t.case_id \
                 WHERE t.local_day = '{day}' AND t.state = 'no_show'"
            ))
            .await;
        assert_eq!(d["no_shows"], no_shows.len() as u64, "{day}");
    }

    // The hourly profile, from the script's own registration times (China time).
    let mut hourly = vec![0u64; 24];
    for at in &registered {
        hourly[((at.hour() + 8) % 24) as usize] += 1;
    }
    let got: Vec<u64> = f["hourly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(got, hourly);

    // The comparison: previous two days and the same two days a year before.
    let cmp = &v["comparison"];
    assert_eq!(cmp["previous"]["from"], "2026-03-08");
    assert_eq!(cmp["previous"]["to"], "2026-03-09");
    let count = async |sql: &str| raw.texts(sql).await.len() as u64;
    assert_eq!(
        cmp["previous"]["cases"],
        count("SELECT case_no FROM cases WHERE local_day BETWEEN '2026-03-08' AND '2026-03-09'")
            .await
    );
    assert_eq!(cmp["last_year"]["from"], "2025-03-10");
    assert_eq!(
        cmp["last_year"]["cases"],
        count("SELECT case_no FROM cases WHERE local_day BETWEEN '2025-03-10' AND '2025-03-11'")
            .await
    );
    assert_eq!(
        cmp["last_year"]["served"],
        count(
            "SELECT ticket_no FROM tickets WHERE state = 'done' \
             AND local_day BETWEEN '2025-03-10' AND '2025-03-11'"
        )
        .await
    );
    assert_eq!(cmp["current"]["cases"], 9);
    // Waits in minutes beside the seconds.
    let mean_secs = r["waits"]["mean_secs"].as_f64().unwrap();
    let mean_min = v["minutes"]["mean_wait"].as_f64().unwrap();
    assert!((mean_min * 60.0 - mean_secs).abs() < 1e-9);

    // The XLSX, read back.
    onewindow(
        dir,
        &url,
        &[
            "report", "--from", FROM, "--to", TO, "--format", "xlsx", "--out", "r.xlsx",
        ],
    );
    let path = dir.join("r.xlsx");
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let summary = wb.worksheet_range("概况").unwrap();
    let find = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(label.into()))
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("{label} missing"))
    };
    assert_eq!(find("登记案件数"), Data::Float(9.0));
    assert_eq!(find("过号（未到）"), Data::Float(1.0));
    match find("平均等候（分钟）") {
        Data::Float(m) => assert!((m - mean_min).abs() < 1e-9, "{m}"),
        other => panic!("wait is a number: {other:?}"),
    }
    match find("统计起始日") {
        // Excel's serial day: days since 1899-12-30.
        Data::DateTime(d) => assert_eq!(
            d.as_f64(),
            (NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
                - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap())
            .num_days() as f64
        ),
        other => panic!("a date cell: {other:?}"),
    }
    let cmp_sheet = wb.worksheet_range("同比环比").unwrap();
    assert!(
        cmp_sheet
            .rows()
            .any(|r| r[0] == Data::String("登记案件数".into())
                && r[1] == Data::Float(9.0)
                && r[4] == Data::Float(cmp["last_year"]["cases"].as_f64().unwrap())),
        "{cmp_sheet:?}"
    );
    let days = wb.worksheet_range("每日").unwrap();
    assert!(
        matches!(days.get((1, 0)), Some(Data::DateTime(_))),
        "{days:?}"
    );
    let windows = wb.worksheet_range("窗口工作量").unwrap();
    let numbers: Vec<Data> = windows.rows().skip(1).map(|r| r[0].clone()).collect();
    assert!(numbers.contains(&Data::Float(1.0)) && numbers.contains(&Data::Float(2.0)));
    let pointers = wb.worksheet_range("指引事项").unwrap();
    assert!(
        pointers
            .rows()
            .any(|r| r[0] == Data::String("法律援助".into())
                && r[1] == Data::Float(also["legal_aid"] as f64)),
        "{pointers:?}"
    );
    // Every flag has its line, child labour too (none in the script: 0).
    let flag_sheet = wb.worksheet_range("标记").unwrap();
    assert_eq!(
        flag_sheet.rows().count(),
        1 + onewindow::domain::Flag::ALL.len()
    );
    assert!(
        flag_sheet
            .rows()
            .any(|r| r[0] == Data::String("童工".into())
                && r[1] == Data::Float(flags.get("CHILD_LABOR").copied().unwrap_or(0) as f64)),
        "{flag_sheet:?}"
    );
    // The archive: three charts, the number formats, a frozen header on every sheet.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    let charts: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("xl/charts/chart"))
        .collect();
    assert_eq!(charts.len(), 3, "{names:?}");
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let chart_xml: String = (1..=3)
        .map(|i| part(&format!("xl/charts/chart{i}.xml")))
        .collect();
    assert!(chart_xml.contains("<c:barChart>") && chart_xml.contains("<c:pieChart>"));
    let styles = part("xl/styles.xml");
    for fmt in ["0.0%", "0.0", "yyyy-mm-dd", "#,##0"] {
        assert!(
            styles.contains(&format!("formatCode=\"{fmt}\"")) || fmt == "#,##0",
            "{fmt}: {styles}"
        );
    }
    let sheet1 = part("xl/worksheets/sheet1.xml");
    assert!(sheet1.contains("ySplit=\"1\"") && sheet1.contains("state=\"frozen\""));

    // CSV: percentages and minutes, not fractions and seconds.
    onewindow(
        dir,
        &url,
        &[
            "report", "--from", FROM, "--to", TO, "--format", "csv", "--out", "r.csv",
        ],
    );
    let csv = std::fs::read_to_string(dir.join("r.csv")).unwrap();
    assert!(
        csv.contains(&format!("平均等候（分钟）,{mean_min:.1}")),
        "{csv}"
    );
    assert!(csv.contains("回访完成率,") && csv.contains('%'), "{csv}");
    assert!(!csv.contains("（秒）"), "{csv}");
    let en = onewindow(
        dir,
        &url,
        &[
            "--lang", "en", "report", "--from", FROM, "--to", TO, "--format", "csv",
        ],
    );
    for label in [
        "Mean wait (min)",
        "Legal aid",
        "Follow-up completion",
        "Same period last year",
    ] {
        assert!(en.contains(label), "{label}: {en}");
    }
    // A period of centuries is refused, not a panic or a day series of a million rows.
    let mut all = vec!["--db", url.as_str(), "--set", "site.code=ZZ01"];
    all.extend(["report", "--from", "0001-01-01", "--to", "9999-12-31"]);
    all.extend(["--staff", "S01", "--pin-stdin"]);
    let run = support::cli::onewindow(dir, &[], &all, &format!("{BOSS_PIN}\n"));
    assert!(
        !run.success && run.stderr.contains("报表最多覆盖"),
        "{}",
        run.stderr
    );
    raw.close().await;
}
both_backends!(every_filed_figure_matches_a_recount);
