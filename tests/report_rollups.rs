//! The report reads daily roll-ups kept by triggers (migrations 0010–0012), never the cases. These
//! tests recount the roll-ups straight from `case_facts`, `cases` and `tickets` (the back-fill
//! queries of 0011) after a bulk seed and after each single-row write a kiosk day makes, on both
//! backends (the dashboard's visit and served-ticket roll-ups of 0031 too); and, on PostgreSQL,
//! run the same writes under the statement triggers of 0012 and under
//! the row triggers of 0010/0011 they replaced, which must keep every table equal row for row.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/db.rs"]
mod testdb;

use chrono::{DateTime, NaiveDate, Utc};
use onewindow::domain::{Decision, Flag, IntakeRecord, Route, SiteSettings, Status};
use onewindow::storage::reporting;
use onewindow::storage::*;
use std::collections::BTreeMap;
use testdb::{Raw, TestDb};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Columns joined into one text, so that stored and recounted rows compare with EXCEPT on either
/// backend.
fn row(cols: &[&str]) -> String {
    cols.iter()
        .map(|c| format!("CAST({c} AS TEXT)"))
        .collect::<Vec<_>>()
        .join(" || '|' || ")
}

/// A stored table (`SELECT … AS r`) and what it should hold, recounted from the base tables.
fn recount(stored: &str, keys: &[&str], counts: &[&str], from: &str) -> (String, String) {
    let cols: Vec<&str> = keys.iter().chain(counts).copied().collect();
    (
        stored.to_string(),
        format!(
            "SELECT {} AS r FROM {from} GROUP BY {}",
            row(&cols),
            keys.join(", ")
        ),
    )
}

/// The hour (0–23) of `column` in Beijing time (UTC+8, no daylight saving).
fn beijing_hour(raw: &Raw, column: &str) -> String {
    match raw {
        Raw::Sqlite(_) => format!("CAST(strftime('%H', {column}, '+8 hours') AS INTEGER)"),
        Raw::Postgres(_) => {
            format!("CAST(EXTRACT(HOUR FROM {column} AT TIME ZONE 'Asia/Shanghai') AS INTEGER)")
        }
    }
}

/// Rows that differ between each roll-up (rows counted down to 0 left out) and its recount, and
/// cases whose facts do not match their latest finished ticket.
async fn mismatches(raw: &Raw) -> Vec<String> {
    // A wait runs from the first ticket of the visit (migration 0024).
    let wait = raw.secs("t.original_issued_at", "t.called_at");
    let service = raw.secs("t.started_at", "t.finished_at");
    let service_sum = format!("COALESCE(SUM({service}), 0)");
    let checks = [
        (
            "case_rollup",
            recount(
                &format!(
                    "SELECT {} AS r FROM case_rollup WHERE n <> 0",
                    row(&[
                        "site_id",
                        "local_day",
                        "route",
                        "flags",
                        "categories",
                        "groups",
                        "outcome",
                        "n"
                    ])
                ),
                &[
                    "site_id",
                    "local_day",
                    "COALESCE(route, '')",
                    "flags",
                    "categories",
                    "groups",
                    "COALESCE(outcome, '')",
                ],
                &["COUNT(*)"],
                "case_facts",
            ),
        ),
        (
            "employer_rollup",
            recount(
                &format!(
                    "SELECT {} AS r FROM employer_rollup WHERE n <> 0",
                    row(&["site_id", "local_day", "employer_name", "credit_code", "n"])
                ),
                &[
                    "site_id",
                    "local_day",
                    "employer_name",
                    "COALESCE(credit_code, '')",
                ],
                &["COUNT(*)"],
                // Counterparties that employ only (migration 0023).
                "case_facts WHERE COALESCE(counterparty_kind, 'employer') \
                 IN ('employer', 'household', 'craftsman', 'rural_contractor')",
            ),
        ),
        (
            "wait_rollup",
            recount(
                &format!(
                    "SELECT {} AS r FROM wait_rollup WHERE n <> 0",
                    row(&["site_id", "local_day", "wait_secs", "n"])
                ),
                &["q.site_id", "t.local_day", &wait],
                &["COUNT(*)"],
                "tickets t JOIN queues q ON q.id = t.queue_id \
                 WHERE t.state = 'done' AND t.called_at IS NOT NULL",
            ),
        ),
        (
            "service_rollup",
            recount(
                &format!(
                    "SELECT {} AS r FROM service_rollup WHERE served <> 0",
                    row(&[
                        "site_id",
                        "local_day",
                        "window_id",
                        "staff_id",
                        "served",
                        "service_sum",
                        "timed"
                    ])
                ),
                &[
                    "q.site_id",
                    "t.local_day",
                    "COALESCE(t.window_id, 0)",
                    "COALESCE(t.staff_id, 0)",
                ],
                &[
                    "COUNT(*)",
                    &service_sum,
                    "SUM(CASE WHEN t.started_at IS NOT NULL AND t.finished_at IS NOT NULL \
                     THEN 1 ELSE 0 END)",
                ],
                "tickets t JOIN queues q ON q.id = t.queue_id WHERE t.state = 'done'",
            ),
        ),
        (
            "visit_rollup",
            recount(
                &format!(
                    "SELECT {} AS r FROM visit_rollup WHERE n <> 0",
                    row(&["site_id", "local_day", "hour", "n"])
                ),
                &[
                    "q.site_id",
                    "t.local_day",
                    &beijing_hour(raw, "t.original_issued_at"),
                ],
                &["COUNT(*)"],
                // A visit begins with a ticket not issued by a transfer (migration 0031).
                "tickets t JOIN queues q ON q.id = t.queue_id WHERE t.transferred_from IS NULL",
            ),
        ),
        (
            "queue_served_rollup",
            recount(
                &format!(
                    "SELECT {} AS r FROM queue_served_rollup WHERE tickets <> 0",
                    row(&[
                        "queue_id",
                        "local_day",
                        "window_id",
                        "tickets",
                        "wait_sum",
                        "waits",
                        "service_sum",
                        "services",
                        "COALESCE(CAST(last_finished_at AS TEXT), '')",
                    ])
                ),
                &["t.queue_id", "t.local_day", "COALESCE(t.window_id, 0)"],
                &[
                    "COUNT(*)",
                    &format!("COALESCE(SUM({wait}), 0)"),
                    "COUNT(t.called_at)",
                    &service_sum,
                    "SUM(CASE WHEN t.started_at IS NOT NULL AND t.finished_at IS NOT NULL \
                     THEN 1 ELSE 0 END)",
                    "COALESCE(CAST(MAX(t.finished_at) AS TEXT), '')",
                ],
                "tickets t WHERE t.state = 'done'",
            ),
        ),
        (
            "case_facts",
            (
                format!(
                    "SELECT {} AS r FROM case_facts",
                    row(&[
                        "case_id",
                        "site_id",
                        "local_day",
                        "COALESCE(route, '')",
                        "employer_name",
                        "COALESCE(outcome, '')",
                        "COALESCE(CAST(finished_at AS TEXT), '')",
                    ])
                ),
                format!(
                    "SELECT {} AS r FROM cases c LEFT JOIN tickets t ON t.id = \
                     (SELECT x.id FROM tickets x WHERE x.case_id = c.id \
                      AND x.outcome IS NOT NULL ORDER BY x.finished_at DESC, x.id DESC LIMIT 1)",
                    row(&[
                        "c.id",
                        "c.site_id",
                        "c.local_day",
                        "COALESCE(c.route, '')",
                        "c.counterparty_name",
                        "COALESCE(t.outcome, '')",
                        "COALESCE(CAST(t.finished_at AS TEXT), '')",
                    ])
                ),
            ),
        ),
    ];
    let mut out = Vec::new();
    for (table, (stored, recounted)) in checks {
        out.extend(
            raw.texts(&format!(
                "SELECT '{table} stored: ' || r FROM ({stored} EXCEPT {recounted}) d \
                 UNION ALL SELECT '{table} recounted: ' || r FROM ({recounted} EXCEPT {stored}) e"
            ))
            .await,
        );
    }
    out.sort();
    out
}

async fn assert_rollups_match(raw: &Raw, after: &str) {
    let wrong = mismatches(raw).await;
    assert!(
        wrong.is_empty(),
        "after {after}, the roll-ups differ from a recount:\n{}",
        wrong.join("\n")
    );
}

fn record(cats: &[&str], groups: &[&str], employer: &str, code: Option<&str>) -> IntakeRecord {
    serde_json::from_value(serde_json::json!({
        "applicant": { "name": "张三", "id_number": "11010519491231002X",
                       "phone": "13812345678", "groups": groups },
        "counterparty": { "name": employer, "credit_code": code },
        "dispute": { "categories": cats },
    }))
    .unwrap()
}

fn decision(route: Route, queue: Option<&QueueInfo>, flags: Vec<Flag>) -> Decision {
    Decision {
        status: Status::Routed,
        errors: vec![],
        warnings: vec![],
        route: Some(route),
        referral_to: None,
        also: vec![],
        flags,
        deadlines: BTreeMap::new(),
        reasons: vec![],
        queue: queue.map(|q| q.prefix.clone()),
    }
}

/// A site with window 1 (labour mediation and arbitration) and window 2 (arbitration).
struct Hall {
    site: SiteInfo,
    w1: WindowId,
    w2: WindowId,
    c1: StaffId,
    c2: StaffId,
}

async fn open_hall(s: &Store) -> Hall {
    let site = s
        .ensure_site(
            &SiteSettings {
                code: "TEST".into(),
                name: "测试调解中心".into(),
                ..SiteSettings::default()
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let w1 = s
        .upsert_window(
            site.id,
            1,
            "一号窗口",
            &[Route::LaborMediation, Route::Arbitration],
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let w2 = s
        .upsert_window(
            site.id,
            2,
            "二号窗口",
            &[Route::Arbitration],
            chrono::Utc::now(),
        )
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
    Hall {
        site,
        w1,
        w2,
        c1,
        c2,
    }
}

/// A day at the windows through the store, as the kiosk makes it, with `after(step)` after each
/// write: intakes (one without a queue), a walk-in ticket, calls, a recall, starts, finishes with
/// outcomes, a transfer, a no-show, a second ticket for a served case whose outcome replaces the
/// first, an outcome corrected in the database, and updates that change nothing counted.
async fn kiosk_day(s: &Store, raw: &Raw, hall: &Hall, mut after: impl AsyncFnMut(&str)) {
    let t = |hms: &str| utc(&format!("2026-03-10T{hms}Z"));
    let by = |staff: StaffId, hms: &str| Actor::at(Some(staff), t(hms));
    let lm = hall.site.queue(Route::LaborMediation).unwrap();
    let ar = hall.site.queue(Route::Arbitration).unwrap();
    let intake = async |hms: &str, r: IntakeRecord, d: Decision| {
        s.commit_intake(IntakeCommit::with_jobs(
            hall.site.id,
            &r,
            &d,
            Actor::at(None, t(hms)),
            None,
            vec![],
        ))
        .await
        .unwrap()
        .case_id
    };
    let call = async |window: WindowId, staff: StaffId, hms: &str| {
        s.call_next(window, by(staff, hms))
            .await
            .unwrap()
            .expect("a waiting ticket")
    };

    let a = intake(
        "01:00:00",
        record(&["LD04"], &[], "甲有限公司", None),
        decision(Route::LaborMediation, Some(lm), vec![]),
    )
    .await;
    after("intake A").await;
    let b = intake(
        "01:01:00",
        record(
            &["LD03", "LD06"],
            &["migrant_worker"],
            "乙公司",
            Some("91110105MA01ABCD1X"),
        ),
        decision(Route::Arbitration, Some(ar), vec![Flag::Collective]),
    )
    .await;
    after("intake B (collective, arbitration)").await;
    intake(
        "01:02:00",
        record(&["LD99"], &[], "丙家庭", None),
        decision(Route::Referral, None, vec![]),
    )
    .await;
    after("intake C (referral, no ticket)").await;
    let d = intake(
        "01:03:00",
        record(&["LD04"], &[], "甲有限责任公司", None),
        decision(Route::LaborMediation, Some(lm), vec![]),
    )
    .await;
    after("intake D").await;
    let walk_in = s
        .issue_ticket(lm.id, None, false, Actor::at(None, t("01:04:00")))
        .await
        .unwrap();
    after("walk-in ticket").await;

    let ta = call(hall.w1, hall.c1, "01:05:00").await;
    assert_eq!(ta.case, Some(a));
    after("call A").await;
    s.recall(ta.id, by(hall.c1, "01:06:00")).await.unwrap();
    after("recall A").await;
    s.start(ta.id, by(hall.c1, "01:06:30")).await.unwrap();
    after("start A").await;
    s.finish(ta.id, Outcome::Mediated, by(hall.c1, "01:20:00"))
        .await
        .unwrap();
    after("finish A mediated").await;

    let tb = call(hall.w2, hall.c2, "01:06:30").await;
    assert_eq!(tb.case, Some(b));
    s.start(tb.id, by(hall.c2, "01:07:00")).await.unwrap();
    after("call and start B").await;
    let tb2 = s
        .transfer(tb.id, lm.id, "先行调解", by(hall.c2, "01:10:00"))
        .await
        .unwrap();
    after("transfer B to labour mediation").await;
    // B keeps its place ahead of D and the walk-in.
    let called = call(hall.w1, hall.c1, "01:21:00").await;
    assert_eq!(called.id, tb2.id);
    s.start(tb2.id, by(hall.c1, "01:22:00")).await.unwrap();
    s.finish(tb2.id, Outcome::NotMediated, by(hall.c1, "01:40:00"))
        .await
        .unwrap();
    after("finish transferred B not mediated").await;

    let td = call(hall.w1, hall.c1, "01:41:00").await;
    assert_eq!(td.case, Some(d));
    s.no_show(td.id, by(hall.c1, "01:43:00")).await.unwrap();
    after("D no show").await;

    let tw = call(hall.w1, hall.c1, "01:44:00").await;
    assert_eq!(tw.id, walk_in.id);
    s.start(tw.id, by(hall.c1, "01:45:00")).await.unwrap();
    s.finish(tw.id, Outcome::Advised, by(hall.c1, "01:50:00"))
        .await
        .unwrap();
    after("walk-in served, no case").await;

    // A comes back: the outcome of the second visit becomes the case's.
    let ta2 = s
        .issue_ticket(lm.id, Some(a), false, Actor::at(None, t("02:00:00")))
        .await
        .unwrap();
    after("second ticket for A").await;
    assert_eq!(call(hall.w1, hall.c1, "02:01:00").await.id, ta2.id);
    s.start(ta2.id, by(hall.c1, "02:02:00")).await.unwrap();
    s.finish(ta2.id, Outcome::Withdrawn, by(hall.c1, "02:30:00"))
        .await
        .unwrap();
    after("A's second ticket withdrawn").await;

    raw.execute(&format!(
        "UPDATE tickets SET outcome = 'referred' WHERE id = {}",
        tb2.id.0
    ))
    .await;
    after("B's outcome corrected in the database").await;
    raw.execute("UPDATE tickets SET recalls = recalls").await;
    raw.execute("UPDATE tickets SET state = 'done' WHERE id < 0")
        .await;
    after("updates that change nothing counted").await;

    // After Beijing midnight: a case of 11 March, left waiting.
    s.commit_intake(IntakeCommit::with_jobs(
        hall.site.id,
        &record(&["LD07"], &[], "丁公司", None),
        &decision(Route::LaborMediation, Some(lm), vec![]),
        Actor::at(None, utc("2026-03-10T16:30:00Z")),
        None,
        vec![],
    ))
    .await
    .unwrap();
    after("intake on the next day").await;
}

async fn rollups_follow_each_write_of_a_kiosk_day(db: &TestDb) {
    let raw = Raw::open(&db.url).await;
    let hall = open_hall(&db.store).await;
    kiosk_day(&db.store, &raw, &hall, async |step: &str| {
        assert_rollups_match(&raw, step).await
    })
    .await;
    // Not a vacuous recount: the report sees the day.
    let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let r = reporting::report(&db.store, hall.site.id, day, day)
        .await
        .unwrap();
    assert_eq!(r.cases, 4);
    assert_eq!(r.by_outcome["withdrawn"], 1, "{:?}", r.by_outcome);
    assert_eq!(r.by_outcome["referred"], 1, "{:?}", r.by_outcome);
    assert_eq!(r.waits.served, 4);
    assert_eq!(r.per_window["1"].served, 4);
    raw.close().await;
}
both_backends!(rollups_follow_each_write_of_a_kiosk_day);

/// "key=count" lines, sorted, from a report map.
fn lines(m: &BTreeMap<String, u64>) -> Vec<String> {
    m.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

async fn rollups_after_a_bulk_seed_match_a_recount(db: &TestDb) {
    let raw = Raw::open(&db.url).await;
    let site = db
        .store
        .ensure_site(&SiteSettings::default(), chrono::Utc::now())
        .await
        .unwrap();
    let month = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
    let first = reporting::seed(&db.store, &site, 3000, month, chrono::Utc::now())
        .await
        .unwrap();
    assert_rollups_match(&raw, "seeding 3000 cases").await;
    // A second seed lands on roll-up rows that exist already.
    let second = reporting::seed(&db.store, &site, 1000, month, chrono::Utc::now())
        .await
        .unwrap();
    assert_rollups_match(&raw, "seeding 1000 more").await;

    // The report from the roll-ups against GROUP BYs over the facts and tickets.
    let r = reporting::report(&db.store, site.id, month, end)
        .await
        .unwrap();
    let site_id = site.id.0.to_string();
    let counted = async |sql: &str| raw.texts(&sql.replace("$SITE", &site_id)).await;
    let period = "local_day BETWEEN '2026-02-01' AND '2026-02-28'";
    assert_eq!(r.cases, 4000);
    assert_eq!(
        counted(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM cases WHERE site_id = $SITE AND {period}"
        ))
        .await,
        vec!["4000".to_string()]
    );
    assert_eq!(
        lines(&r.by_route),
        counted(&format!(
            "SELECT route || '=' || CAST(COUNT(*) AS TEXT) FROM cases \
             WHERE site_id = $SITE AND {period} GROUP BY route ORDER BY route"
        ))
        .await
    );
    assert_eq!(
        lines(&r.by_outcome),
        counted(&format!(
            "SELECT outcome || '=' || CAST(COUNT(*) AS TEXT) FROM case_facts \
             WHERE site_id = $SITE AND {period} AND outcome IS NOT NULL \
             GROUP BY outcome ORDER BY outcome"
        ))
        .await
    );
    assert_eq!(r.waits.served, first.tickets + second.tickets);
    let per_window: BTreeMap<String, u64> = r
        .per_window
        .iter()
        .map(|(k, w)| (k.clone(), w.served))
        .collect();
    assert_eq!(
        lines(&per_window),
        counted(&format!(
            "SELECT CAST(w.number AS TEXT) || '=' || CAST(COUNT(*) AS TEXT) FROM tickets t \
             JOIN windows w ON w.id = t.window_id WHERE t.state = 'done' AND t.{period} \
             GROUP BY w.number ORDER BY w.number"
        ))
        .await
    );
    raw.close().await;
}
both_backends!(rollups_after_a_bulk_seed_match_a_recount);

/// The row triggers 0012 replaced, cut from the landed migrations (which never change), in place
/// of the statement triggers, with what later migrations changed in both: the counterparty's kind
/// kept and only employing ones in the employer roll-up (0023), waits from the first ticket of the
/// visit (0024).
fn row_triggers() -> String {
    fn cut<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
        let a = text.find(from).expect(from);
        let b = a + text[a..].find(to).expect(to);
        &text[a..b]
    }
    let facts = include_str!("../migrations/postgres/0010_case_facts.sql");
    let rollups = include_str!("../migrations/postgres/0011_report_rollups.sql");
    format!(
        "DROP TRIGGER case_facts_of_new_cases ON cases;
         DROP TRIGGER case_rollup_of_new_facts ON case_facts;
         DROP TRIGGER case_rollup_of_changed_facts ON case_facts;
         DROP TRIGGER report_facts_of_new_tickets ON tickets;
         DROP TRIGGER report_facts_of_changed_tickets ON tickets;
         {}
         {}",
        cut(
            facts,
            "CREATE FUNCTION case_facts_on_intake",
            "\nINSERT INTO case_facts"
        )
        .replace(
            "employer_name, credit_code)",
            "employer_name, credit_code, counterparty_kind)"
        )
        .replace(
            "NEW.record -> 'counterparty' ->> 'credit_code');",
            "NEW.record -> 'counterparty' ->> 'credit_code', \
             NEW.record -> 'counterparty' ->> 'kind');"
        ),
        cut(
            rollups,
            "CREATE FUNCTION case_rollup_insert",
            "-- What is already stored."
        )
        .replace(
            "INSERT INTO employer_rollup VALUES (NEW.site_id, NEW.local_day, NEW.employer_name,\n        COALESCE(NEW.credit_code, ''), 1)",
            "INSERT INTO employer_rollup SELECT NEW.site_id, NEW.local_day, NEW.employer_name, \
             COALESCE(NEW.credit_code, ''), 1 WHERE COALESCE(NEW.counterparty_kind, 'employer') \
             IN ('employer', 'household', 'craftsman', 'rural_contractor')"
        )
        .replace("NEW.called_at - NEW.issued_at", "NEW.called_at - NEW.original_issued_at"),
    )
}

/// Every row of the tables the triggers keep.
async fn kept(raw: &Raw) -> BTreeMap<&'static str, Vec<String>> {
    let mut out = BTreeMap::new();
    for table in [
        "case_facts",
        "case_rollup",
        "employer_rollup",
        "wait_rollup",
        "service_rollup",
    ] {
        let rows = raw
            .texts(&format!("SELECT t::text FROM {table} t ORDER BY 1"))
            .await;
        out.insert(table, rows);
    }
    out
}

/// Two bulk seeds into one month, the writes of a kiosk day and statements over many rows at
/// once: outcomes changed on a third of the seeded tickets, and the day's open tickets closed
/// together. (The seeds come first: a seed refuses a database holding live cases.)
async fn busy_month(s: &Store, raw: &Raw) {
    let hall = open_hall(s).await;
    let feb = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    reporting::seed(s, &hall.site, 2000, feb, chrono::Utc::now())
        .await
        .unwrap();
    raw.execute(
        "UPDATE tickets SET outcome = 'other' WHERE local_day < '2026-03-01' AND id % 3 = 0",
    )
    .await;
    reporting::seed(s, &hall.site, 500, feb, chrono::Utc::now())
        .await
        .unwrap();
    kiosk_day(s, raw, &hall, async |_: &str| {}).await;
    let lm = hall.site.queue(Route::LaborMediation).unwrap();
    for (n, hms) in ["03:00:00", "03:01:00", "03:02:00"].into_iter().enumerate() {
        s.commit_intake(IntakeCommit::with_jobs(
            hall.site.id,
            &record(&["LD04"], &[], &format!("戊公司{n}"), None),
            &decision(Route::LaborMediation, Some(lm), vec![]),
            Actor::at(None, utc(&format!("2026-03-12T{hms}Z"))),
            None,
            vec![],
        ))
        .await
        .unwrap();
    }
    s.call_next(
        hall.w1,
        Actor::at(Some(hall.c1), utc("2026-03-12T03:05:00Z")),
    )
    .await
    .unwrap()
    .expect("a waiting ticket");
    let closed = raw
        .execute(
            "UPDATE tickets SET state = 'done', outcome = 'withdrawn', \
             finished_at = issued_at + interval '2 hours' WHERE state IN ('waiting', 'called')",
        )
        .await;
    assert!(closed >= 4, "{closed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_triggers_keep_what_the_row_triggers_kept() {
    let Some(by_row) = TestDb::postgres().await else {
        return;
    };
    let Some(by_statement) = TestDb::postgres().await else {
        return;
    };
    let row_raw = Raw::open(&by_row.url).await;
    let statement_raw = Raw::open(&by_statement.url).await;
    row_raw.execute(&row_triggers()).await;
    let triggers = "SELECT tgname || ' ' || CAST(tgtype AS TEXT) FROM pg_trigger \
                    WHERE NOT tgisinternal AND tgrelid::regclass::text NOT IN ('audit_log') \
                    AND tgname <> 'alerts_of_new_cases' \
                    AND tgname NOT LIKE 'case_deadlines_%' \
                    AND tgname NOT LIKE 'ticket_day_rollups_%' ORDER BY 1";
    // tgtype bit 0 is FOR EACH ROW.
    assert_eq!(
        row_raw.texts(triggers).await,
        [
            "case_facts_on_finish 21",
            "case_facts_on_intake 5",
            "case_rollup_insert 5",
            "case_rollup_outcome 17",
            "service_rollup_insert 5",
            "service_rollup_update 17",
        ]
    );

    busy_month(&by_row.store, &row_raw).await;
    busy_month(&by_statement.store, &statement_raw).await;
    let (rows, statements) = (kept(&row_raw).await, kept(&statement_raw).await);
    for (table, expected) in &rows {
        assert!(!expected.is_empty(), "{table} is empty");
        assert_eq!(
            &statements[table], expected,
            "{table}: statement triggers (left) against row triggers (right)"
        );
    }
    assert_rollups_match(&statement_raw, "a busy month").await;
    row_raw.close().await;
    statement_raw.close().await;
    by_row.store.close().await;
    by_statement.store.close().await;
}
