//! The "done when" for the dashboard (issue 14): a scripted two-day centre — transfers, a
//! day without kiosk sessions, emergency cases finished within minutes — on SQLite and
//! PostgreSQL, with every dashboard figure and the report's waits and idle times recounted
//! independently from the database by SQL here; an unacknowledged MAJOR alert survives its case
//! being finished and a restart, and leaves only when a supervisor acknowledges it with a note.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/db.rs"]
mod testdb;

use chrono::{DateTime, NaiveDate, Utc};
use onewindow::app::{Acting, Services};
use onewindow::config::Lang;
use onewindow::domain::alerts::AlertKind;
use onewindow::domain::{Deadline, Decision, Flag, Outcome, Route, SiteSettings, Status};
use onewindow::storage::*;
use onewindow::supervisor::dashboard::{Snapshot, WindowActivity};
use onewindow::supervisor::live::{self, SupervisorSettings};
use std::collections::BTreeMap;
use testdb::{Raw, TestDb};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn by(staff: StaffId, at: &str) -> Actor {
    Actor::at(Some(staff), utc(at))
}

struct Centre {
    site: SiteInfo,
    w1: WindowId,
    w2: WindowId,
    boss: StaffId,
}

async fn intake(
    s: &Store,
    c: &Centre,
    at: &str,
    route: Route,
    flags: Vec<Flag>,
    employer: serde_json::Value,
) -> IntakeReceipt {
    let record = serde_json::from_value(serde_json::json!({
        "applicant": { "name": "张三", "id_number": "11010519491231002X", "phone": "13812345678" },
        "counterparty": employer,
        "dispute": { "categories": ["LD04"] },
    }))
    .unwrap();
    let decision = Decision {
        status: Status::Routed,
        errors: vec![],
        warnings: vec![],
        route: Some(route),
        referral_to: None,
        also: vec![],
        flags,
        // Dates far from the script's days (no deadline alert), kept per case by 0028.
        deadlines: BTreeMap::from([
            (
                Deadline::MediationPeriodEnds,
                utc(at).date_naive() + chrono::Days::new(45),
            ),
            (
                Deadline::LimitationExpires,
                utc(at).date_naive() + chrono::Days::new(365),
            ),
        ]),
        reasons: vec![],
        queue: Some(c.site.queue(route).unwrap().prefix.clone()),
    };
    s.commit_intake(IntakeCommit::with_jobs(
        c.site.id,
        &record,
        &decision,
        Actor::at(None, utc(at)),
        None,
        vec![],
    ))
    .await
    .unwrap()
}

async fn serve(s: &Store, w: WindowId, clerk: StaffId, called: &str, started: &str, done: &str) {
    let t = s
        .call_next(w, by(clerk, called))
        .await
        .unwrap()
        .expect("waiting");
    s.start(t.id, by(clerk, started)).await.unwrap();
    s.finish(t.id, Outcome::Advised, by(clerk, done))
        .await
        .unwrap();
}

const CODE: &str = "91410100MA9G2K7P6N";

/// Day 1 (10 March, Beijing) with kiosk sessions; day 2 without: the figures at 11:00 on day 2.
async fn script(db: &TestDb) -> Centre {
    let s = &db.store;
    let now = Utc::now();
    let site = s
        .ensure_site(
            &SiteSettings {
                code: "TEST".into(),
                name: "测试调解中心".into(),
                ..SiteSettings::default()
            },
            now,
        )
        .await
        .unwrap();
    let w1 = s
        .upsert_window(site.id, 1, "一号窗口", &[Route::LaborMediation], now)
        .await
        .unwrap();
    let w2 = s
        .upsert_window(site.id, 2, "二号窗口", &[Route::Arbitration], now)
        .await
        .unwrap();
    let c1 = s
        .upsert_staff(site.id, "C01", "王小明", StaffRole::Clerk)
        .await
        .unwrap();
    let c2 = s
        .upsert_staff(site.id, "C02", "李小红", StaffRole::Clerk)
        .await
        .unwrap();
    let boss = s
        .upsert_staff(site.id, "S01", "赵主任", StaffRole::Supervisor)
        .await
        .unwrap();
    let c = Centre { site, w1, w2, boss };
    let jia = serde_json::json!({ "name": "甲公司" });
    let jia_code = serde_json::json!({ "name": "甲公司", "credit_code": CODE });
    let agency =
        serde_json::json!({ "name": "郑州市社会保险中心", "kind": "social_insurance_agency" });
    let (lm, ar) = (Route::LaborMediation, Route::Arbitration);

    // Day 1: both windows signed in 08:30–17:00.
    s.open_session(w1, c1, utc("2026-03-10T00:30:00Z"))
        .await
        .unwrap();
    s.open_session(w2, c2, utc("2026-03-10T00:30:00Z"))
        .await
        .unwrap();
    intake(
        s,
        &c,
        "2026-03-10T01:00:00Z",
        lm,
        vec![Flag::Major, Flag::Collective],
        jia.clone(),
    )
    .await;
    intake(
        s,
        &c,
        "2026-03-10T01:05:00Z",
        lm,
        vec![Flag::ChildLabor],
        jia_code.clone(),
    )
    .await;
    intake(s, &c, "2026-03-10T01:10:00Z", ar, vec![], agency.clone()).await;
    intake(s, &c, "2026-03-10T01:20:00Z", lm, vec![], jia.clone()).await;
    // The major and the child-labour case are served and finished within minutes.
    serve(
        s,
        w1,
        c1,
        "2026-03-10T01:15:00Z",
        "2026-03-10T01:16:00Z",
        "2026-03-10T01:30:00Z",
    )
    .await;
    serve(
        s,
        w1,
        c1,
        "2026-03-10T01:31:00Z",
        "2026-03-10T01:32:00Z",
        "2026-03-10T01:40:00Z",
    )
    .await;
    // The third goes on to arbitration: a transfer keeps its place and its first issue time.
    let t = s
        .call_next(w1, by(c1, "2026-03-10T01:45:00Z"))
        .await
        .unwrap()
        .unwrap();
    let z = c.site.queue(ar).unwrap().id;
    s.transfer(t.id, z, "需仲裁", by(c1, "2026-03-10T01:50:00Z"))
        .await
        .unwrap();
    serve(
        s,
        w2,
        c2,
        "2026-03-10T02:00:00Z",
        "2026-03-10T02:01:00Z",
        "2026-03-10T02:30:00Z",
    )
    .await;
    serve(
        s,
        w2,
        c2,
        "2026-03-10T02:40:00Z",
        "2026-03-10T02:41:00Z",
        "2026-03-10T03:00:00Z",
    )
    .await;
    s.close_session(w1, c1, utc("2026-03-10T09:00:00Z"))
        .await
        .unwrap();
    s.close_session(w2, c2, utc("2026-03-10T09:00:00Z"))
        .await
        .unwrap();

    // Day 2: no kiosk session at all (clerks working from `onewindow queue`).
    intake(s, &c, "2026-03-11T00:40:00Z", lm, vec![], agency.clone()).await;
    intake(
        s,
        &c,
        "2026-03-11T00:45:00Z",
        lm,
        vec![Flag::Escalating],
        agency,
    )
    .await;
    intake(
        s,
        &c,
        "2026-03-11T00:50:00Z",
        ar,
        vec![],
        serde_json::json!({ "name": "乙公司" }),
    )
    .await;
    for (i, m) in ["01:00", "01:05", "01:10", "01:20", "02:40", "02:50"]
        .iter()
        .enumerate()
    {
        let employer = serde_json::json!({ "name": format!("丙公司{i}") });
        intake(s, &c, &format!("2026-03-11T{m}:00Z"), lm, vec![], employer).await;
    }
    serve(
        s,
        w1,
        c1,
        "2026-03-11T01:30:00Z",
        "2026-03-11T01:31:00Z",
        "2026-03-11T01:45:00Z",
    )
    .await;
    let t = s
        .call_next(w1, by(c1, "2026-03-11T01:50:00Z"))
        .await
        .unwrap()
        .unwrap();
    s.transfer(t.id, z, "需仲裁", by(c1, "2026-03-11T01:55:00Z"))
        .await
        .unwrap();
    serve(
        s,
        w2,
        c2,
        "2026-03-11T02:00:00Z",
        "2026-03-11T02:01:00Z",
        "2026-03-11T02:20:00Z",
    )
    .await;
    // Called at 10:22 and not come by 10:27: a no-show, still an arrival.
    let t = s
        .call_next(w2, by(c2, "2026-03-11T02:22:00Z"))
        .await
        .unwrap()
        .unwrap();
    s.no_show(t.id, by(c2, "2026-03-11T02:27:00Z"))
        .await
        .unwrap();
    // Called at 10:30, the worker not yet at window 1.
    s.call_next(w1, by(c1, "2026-03-11T02:30:00Z"))
        .await
        .unwrap()
        .unwrap();
    c
}

const NOW: &str = "2026-03-11T03:00:00Z";
const DAY2: &str = "2026-03-11";

/// Recounts by SQL, as text, on the test database.
struct Recount {
    raw: Raw,
}

impl Recount {
    async fn one(&self, sql: &str) -> String {
        let v = self.raw.texts(sql).await;
        assert_eq!(v.len(), 1, "{sql}: {v:?}");
        v[0].clone()
    }

    fn now(&self) -> String {
        match self.raw {
            Raw::Sqlite(_) => format!("'{NOW}'"),
            Raw::Postgres(_) => format!("CAST('{NOW}' AS TIMESTAMPTZ)"),
        }
    }

    /// `expr` over today's tickets of queue `prefix` in `state`.
    async fn of_queue(&self, expr: &str, prefix: &str, state: &str) -> String {
        self.one(&format!(
            "SELECT CAST(COALESCE({expr}, 0) AS TEXT) FROM tickets t JOIN queues q ON q.id = t.queue_id \
             WHERE q.prefix = '{prefix}' AND CAST(t.local_day AS TEXT) = '{DAY2}' \
             AND t.state = '{state}'"
        ))
        .await
    }
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

async fn snapshot(services: &Services) -> Snapshot {
    live::load_snapshot(services, &SupervisorSettings::default(), Lang::Zh, utc(NOW))
        .await
        .unwrap()
        .0
}

async fn every_figure_recounts(db: &TestDb) {
    let c = script(db).await;
    let services = db.services("TEST").await;
    let snap = snapshot(&services).await;
    let r = Recount {
        raw: Raw::open(&db.url).await,
    };
    let wait = r.raw.secs("t.original_issued_at", "t.called_at");
    let waited_now = r.raw.secs("t.original_issued_at", &r.now());
    let service = r.raw.secs("t.started_at", "t.finished_at");

    // Queues: waiting, longest wait (from the first ticket of the visit), served, mean wait and
    // service of the workers served today.
    for q in &snap.queues {
        let p = q.prefix.as_str();
        assert_eq!(
            q.waiting.to_string(),
            r.of_queue("COUNT(*)", p, "waiting").await,
            "{p}"
        );
        assert_eq!(
            q.served.to_string(),
            r.of_queue("COUNT(*)", p, "done").await,
            "{p}"
        );
        let longest = r
            .of_queue(&format!("MAX({waited_now})"), p, "waiting")
            .await;
        if q.waiting > 0 {
            assert_eq!(q.longest_wait_min, num(&longest) as i64 / 60, "{p}");
        }
        let mean_wait = r.of_queue(&format!("AVG({wait})"), p, "done").await;
        let mean_service = r.of_queue(&format!("AVG({service})"), p, "done").await;
        match q.served {
            0 => assert_eq!((q.mean_wait_min, q.mean_service_min), (None, None), "{p}"),
            _ => {
                assert!(
                    (q.mean_wait_min.unwrap() - num(&mean_wait) / 60.0).abs() < 1e-9,
                    "{p}"
                );
                assert!((q.mean_service_min.unwrap() - num(&mean_service) / 60.0).abs() < 1e-9);
            }
        }
    }
    let total_waiting: u32 = snap.queues.iter().map(|q| q.waiting).sum();
    assert!(total_waiting >= 5, "the script leaves workers waiting");

    // Arrivals: one per visit (a transfer is not a second arrival); today's cases by route and
    // by category (each case here has one category).
    let visits = r
        .one(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM tickets t WHERE t.state <> 'transferred' \
             AND CAST(t.local_day AS TEXT) = '{DAY2}'"
        ))
        .await;
    assert_eq!(snap.arrivals_today.iter().sum::<u64>().to_string(), visits);
    // … in the local hour of the visit's first ticket (the local day 2 began at 16:00 UTC). The
    // dashboard sums the finished ones in SQL and counts the open ones it holds.
    let day2_began = match r.raw {
        Raw::Sqlite(_) => "'2026-03-10T16:00:00Z'",
        Raw::Postgres(_) => "CAST('2026-03-10T16:00:00Z' AS TIMESTAMPTZ)",
    };
    let mut visits_by_hour = [0u64; 24];
    for hour in r
        .raw
        .texts(&format!(
            "SELECT CAST({} / 3600 AS TEXT) FROM tickets t WHERE t.state <> 'transferred' \
             AND CAST(t.local_day AS TEXT) = '{DAY2}'",
            r.raw.secs(day2_began, "t.original_issued_at")
        ))
        .await
    {
        visits_by_hour[hour.parse::<usize>().unwrap()] += 1;
    }
    assert_eq!(snap.arrivals_today, visits_by_hour);
    assert!(
        visits_by_hour.iter().filter(|n| **n > 0).count() > 1,
        "the script's visits span hours"
    );
    let cases_today = r
        .one(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM cases WHERE CAST(local_day AS TEXT) = '{DAY2}'"
        ))
        .await;
    let sum = |v: &[(String, u64)]| v.iter().map(|(_, n)| n).sum::<u64>().to_string();
    assert_eq!(sum(&snap.by_route), cases_today);
    assert_eq!(sum(&snap.by_category), cases_today);
    let arbitration_today = r
        .one(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM cases WHERE CAST(local_day AS TEXT) = '{DAY2}' \
             AND route = 'arbitration'"
        ))
        .await;
    let z = live::queue_name(Route::Arbitration, Lang::Zh);
    let shown = snap
        .by_route
        .iter()
        .find(|(k, _)| *k == z)
        .map(|(_, n)| n.to_string());
    assert_eq!(shown, Some(arbitration_today));

    // Windows: window 1 has called a ticket not yet started (not 正在办理); nobody is signed in on
    // day 2, so window 2 is closed.
    let called = r
        .one(&format!(
            "SELECT t.ticket_no FROM tickets t WHERE t.state = 'called' AND t.window_id = {}",
            c.w1.0
        ))
        .await;
    let w = |n| {
        snap.windows
            .iter()
            .find(|w| w.number == n)
            .unwrap()
            .activity
            .clone()
    };
    assert!(
        matches!(w(1), WindowActivity::Called { ticket_no, minutes: 30 } if ticket_no == called)
    );
    let open_sessions = r
        .one("SELECT CAST(COUNT(*) AS TEXT) FROM window_sessions WHERE signed_out_at IS NULL")
        .await;
    assert_eq!(open_sessions, "0");
    assert_eq!(w(2), WindowActivity::SignedOut);

    // Alerts: one record per flagged case and emergency flag, finished cases included.
    let mut flagged = Vec::new();
    for (code, kind) in [
        ("MAJOR", AlertKind::Major),
        ("ESCALATING", AlertKind::Escalating),
        ("CHILD_LABOR", AlertKind::ChildLabor),
        ("COLLECTIVE", AlertKind::Collective),
    ] {
        for no in r
            .raw
            .texts(&format!(
                "SELECT case_no FROM cases WHERE CAST(flags AS TEXT) LIKE '%\"{code}\"%' ORDER BY case_no"
            ))
            .await
        {
            flagged.push((kind, no));
        }
    }
    let mut records: Vec<(AlertKind, String)> = snap
        .alerts
        .iter()
        .filter(|a| a.record.is_some() && a.kind != AlertKind::RepeatEmployer)
        .map(|a| (a.kind, a.subject.clone()))
        .collect();
    records.sort();
    flagged.sort();
    assert_eq!(records, flagged);
    let finished_major = r
        .one(
            "SELECT CAST(COUNT(*) AS TEXT) FROM cases c JOIN tickets t ON t.case_id = c.id \
              WHERE CAST(c.flags AS TEXT) LIKE '%\"MAJOR\"%' AND t.state = 'done'",
        )
        .await;
    assert_eq!(
        finished_major, "1",
        "the major case was finished, its alert stays"
    );

    // Repeat employers: 甲公司 with and without its code counts once (3 cases); the social
    // insurance agency, named in 3 cases too, is not an employer.
    let repeat: Vec<_> = snap
        .alerts
        .iter()
        .filter(|a| a.kind == AlertKind::RepeatEmployer)
        .collect();
    assert_eq!(repeat.len(), 1, "{repeat:?}");
    assert_eq!(repeat[0].subject, "甲公司");
    let jia = r
        .one("SELECT CAST(COUNT(*) AS TEXT) FROM cases WHERE counterparty_name = '甲公司'")
        .await;
    assert_eq!(repeat[0].figure.to_string(), jia);

    // Waits over target (30 min): one line per queue with the count and the longest.
    for a in snap.alerts.iter().filter(|a| a.kind == AlertKind::LongWait) {
        let p = a.subject.split(' ').next().unwrap();
        let over = r
            .one(&format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM tickets t JOIN queues q ON q.id = t.queue_id \
                 WHERE q.prefix = '{p}' AND t.state = 'waiting' AND {waited_now} > 1800"
            ))
            .await;
        assert_eq!(a.count.to_string(), over, "{p}");
        let longest = r
            .of_queue(&format!("MAX({waited_now})"), p, "waiting")
            .await;
        assert_eq!(a.figure, num(&longest) as i64 / 60);
    }
    assert!(snap.alerts.iter().any(|a| a.kind == AlertKind::LongWait));

    // The report over both days: waits by the same definition, idle per day.
    let day1 = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let day2 = NaiveDate::from_ymd_opt(2026, 3, 11).unwrap();
    let report = services.report(day1, day2).await.unwrap();
    let done_in_period = "FROM tickets t WHERE t.state = 'done' \
         AND CAST(t.local_day AS TEXT) IN ('2026-03-10', '2026-03-11')";
    assert_eq!(
        report.waits.served.to_string(),
        r.one(&format!("SELECT CAST(COUNT(*) AS TEXT) {done_in_period}"))
            .await
    );
    let mean = r
        .one(&format!(
            "SELECT CAST(AVG({wait}) AS TEXT) {done_in_period}"
        ))
        .await;
    assert!((report.waits.mean_secs.unwrap() - num(&mean)).abs() < 1e-6);
    for (number, id) in [(1, c.w1), (2, c.w2)] {
        let mut idle = 0.0;
        for day in ["2026-03-10", "2026-03-11"] {
            let on = r
                .one(&format!(
                    "SELECT CAST(COALESCE(SUM({}), 0) AS TEXT) FROM window_sessions ws \
                     WHERE ws.window_id = {} AND CAST(ws.signed_in_at AS TEXT) LIKE '{day}%'",
                    r.raw.secs("ws.signed_in_at", "ws.signed_out_at"),
                    id.0
                ))
                .await;
            let served = r
                .one(&format!(
                    "SELECT CAST(COALESCE(SUM({service}), 0) AS TEXT) FROM tickets t \
                     WHERE t.state = 'done' AND t.window_id = {} AND CAST(t.local_day AS TEXT) = '{day}'",
                    id.0
                ))
                .await;
            idle += (num(&on) - num(&served)).max(0.0);
        }
        let got = report.per_window[&number.to_string()].idle_secs;
        assert_eq!(got as f64, idle, "window {number}");
        assert!(got > 0, "day 2's service without a session cancels nothing");
    }

    // The deadlines the dashboard reads (0028): those of the unfinished cases, as their
    // decisions say.
    let (mediation, limitation) = match r.raw {
        Raw::Sqlite(_) => (
            "json_extract(c.decision, '$.deadlines.mediation_period_ends')",
            "json_extract(c.decision, '$.deadlines.limitation_expires')",
        ),
        Raw::Postgres(_) => (
            "c.decision -> 'deadlines' ->> 'mediation_period_ends'",
            "c.decision -> 'deadlines' ->> 'limitation_expires'",
        ),
    };
    let recounted = r
        .raw
        .texts(&format!(
            "SELECT c.case_no || ' ' || COALESCE({mediation}, '-') || ' ' \
             || COALESCE({limitation}, '-') FROM cases c JOIN case_facts f ON f.case_id = c.id \
             WHERE f.outcome IS NULL AND ({mediation} IS NOT NULL OR {limitation} IS NOT NULL) \
             ORDER BY c.case_no"
        ))
        .await;
    let kept = r
        .raw
        .texts(
            "SELECT c.case_no || ' ' || COALESCE(CAST(d.mediation_ends AS TEXT), '-') || ' ' \
             || COALESCE(CAST(d.limitation_expires AS TEXT), '-') FROM case_deadlines d \
             JOIN cases c ON c.id = d.case_id ORDER BY c.case_no",
        )
        .await;
    assert!(!recounted.is_empty(), "the script leaves unfinished cases");
    assert_eq!(kept, recounted);
    // The employer keys (0028): every employer in the employer roll-up (employing counterparties)
    // has one once the dashboard has looked, and it is the normalised name.
    let unkeyed = r
        .one(
            "SELECT CAST(COUNT(DISTINCT f.employer_name) AS TEXT) FROM employer_rollup f \
             WHERE f.employer_name <> '' AND f.n > 0 AND NOT EXISTS (SELECT 1 \
             FROM employer_names m WHERE m.site_id = f.site_id \
             AND m.employer_name = f.employer_name)",
        )
        .await;
    assert_eq!(unkeyed, "0");
    let keyed = r
        .one("SELECT CAST(COUNT(*) AS TEXT) FROM employer_names")
        .await;
    assert_ne!(keyed, "0");
    for pair in r
        .raw
        .texts("SELECT employer_name || '|' || employer_norm FROM employer_names")
        .await
    {
        let (name, norm) = pair.split_once('|').unwrap();
        assert_eq!(onewindow::domain::employer::normalize_name(name), norm);
    }
    // A week on, day 2 is last week's bars, hour by hour.
    let week_on = live::load_snapshot(
        &services,
        &SupervisorSettings::default(),
        Lang::Zh,
        utc(NOW) + chrono::TimeDelta::days(7),
    )
    .await
    .unwrap()
    .0;
    assert_eq!(week_on.arrivals_last_week, visits_by_hour);
    r.raw.close().await;
    services.close().await;
}
both_backends!(every_figure_recounts);

async fn an_unacknowledged_major_alert_survives_finishing_and_a_restart(db: &TestDb) {
    let c = script(db).await;
    let first = db.services("TEST").await;
    let before = snapshot(&first).await;
    let major = before
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::Major)
        .expect("the finished major case's alert")
        .clone();
    // The first process ends (the store it shared with the script stays for the script's use).
    drop(first);

    // A restart: a new connection, a new process's services, nothing kept in memory.
    let store = db.another_connection().await;
    let services = db.services_on(store, "TEST").await;
    let after = snapshot(&services).await;
    let again = after
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::Major)
        .unwrap();
    assert_eq!(again.record, major.record, "the same record, raised once");
    assert_eq!(
        after
            .alerts
            .iter()
            .filter(|a| a.kind == AlertKind::Major)
            .count(),
        1
    );

    // Acknowledging needs a note; then it leaves the list for the history.
    let boss = Acting {
        staff: Some((c.boss, onewindow::domain::StaffNo("S01".into()))),
        window: None,
    };
    let settings = SupervisorSettings::default();
    let id = major.record.unwrap();
    assert!(
        services
            .acknowledge_alert(&settings, id, "  ", &boss, utc(NOW))
            .await
            .is_err()
    );
    assert!(
        services
            .acknowledge_alert(&settings, id, "ok\u{1b}[2J", &boss, utc(NOW))
            .await
            .is_err(),
        "no control bytes reach other screens"
    );
    assert!(
        services
            .acknowledge_alert(&settings, id, "已启动应急联合调处", &boss, utc(NOW))
            .await
            .unwrap()
    );
    assert!(
        !services
            .acknowledge_alert(&settings, id, "twice", &boss, utc(NOW))
            .await
            .unwrap()
    );
    let later = snapshot(&services).await;
    assert!(later.alerts.iter().all(|a| a.record != Some(id)));
    let history = services.alert_history(10).await.unwrap();
    assert_eq!(history[0].id, id);
    assert_eq!(history[0].note.as_deref(), Some("已启动应急联合调处"));

    // The repeat employer: acknowledged, it stays away until the next case against 甲公司.
    let repeat = later
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::RepeatEmployer)
        .unwrap()
        .record
        .unwrap();
    services
        .acknowledge_alert(&settings, repeat, "已通知劳动监察", &boss, utc(NOW))
        .await
        .unwrap();
    let quiet = snapshot(&services).await;
    assert!(
        !quiet
            .alerts
            .iter()
            .any(|a| a.kind == AlertKind::RepeatEmployer)
    );
    intake(
        &db.store,
        &c,
        "2026-03-11T02:50:00Z",
        Route::LaborMediation,
        vec![],
        serde_json::json!({ "name": "甲公司", "credit_code": CODE }),
    )
    .await;
    let back = snapshot(&services).await;
    let again: Vec<_> = back
        .alerts
        .iter()
        .filter(|a| a.kind == AlertKind::RepeatEmployer)
        .collect();
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(again[0].figure, 4);
    assert_ne!(again[0].record, Some(repeat), "a new record");
    services.close().await;
}
both_backends!(an_unacknowledged_major_alert_survives_finishing_and_a_restart);
