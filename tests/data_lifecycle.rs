//! The data lifecycle of issue 13, through the real binary over real storage on both backends:
//! backup → destroy → restore returns every case, ticket and audit row of a database with live
//! tickets; `db purge` anonymises exactly the cases past the retention period and keeps the
//! figures and the audit trail; every file the commands create is 0600 (folders 0700) under
//! `umask 000`; old spool paper is deleted; `seed` makes cases the program can read and refuses
//! a live database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[cfg(unix)]
use support::cli::mode;
#[path = "common/db.rs"]
mod testdb;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use onewindow::app::queue::TicketOp;
use onewindow::app::{Acting, Services};
use onewindow::domain::{IntakeRecord, Outcome, Route, StaffNo, WindowNo};
use std::path::Path;
use testdb::{Raw, TestDb, clerk_at_window_1};

const ID: &str = "41010519900307158X";
const PHONE: &str = "13812345678";
const BOSS_PIN: &str = "246810";

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// `onewindow ARGS` on the database `url` for site ZZ01, in `dir`, under `umask 000` (a umask
/// that would leave every file open to everyone): (success, stdout, stderr).
/// Every command runs as supervisor S01, their PIN on standard input (the first supervisor of
/// an empty database takes the same line as their new PIN).
fn onewindow(dir: &Path, url: &str, sets: &[&str], args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["--db", url, "--set", "site.code=ZZ01"];
    for s in sets {
        all.extend(["--set", s]);
    }
    all.extend(args);
    all.extend(["--staff", "S01", "--pin-stdin"]);
    let run = support::cli::onewindow(dir, &[], &all, &format!("{BOSS_PIN}\n"));
    (run.success, run.stdout, run.stderr)
}

fn ok(dir: &Path, url: &str, sets: &[&str], args: &[&str]) -> String {
    let (success, out, err) = onewindow(dir, url, sets, args);
    assert!(success, "onewindow {args:?} failed: {err}");
    out
}

/// The application on `url` for site ZZ01, as a process would open it.
async fn services(url: &str, sets: &[&str]) -> Services {
    let mut overrides = vec![format!("database.url={url}"), "site.code=ZZ01".into()];
    overrides.extend(sets.iter().map(|s| s.to_string()));
    let cfg = onewindow::config::load(&onewindow::config::Sources {
        file: None,
        env: vec![],
        overrides,
    })
    .unwrap();
    Services::open(&cfg).await.unwrap()
}

/// A wage claim registered on `day`, its dates before that day.
fn record(name: &str, kind: &str, employer: &str, day: NaiveDate) -> IntakeRecord {
    let d = |n: i64| (day - Duration::days(n)).format("%Y-%m-%d").to_string();
    serde_json::from_value(serde_json::json!({
        "applicant": { "name": name, "id_number": ID, "phone": PHONE },
        "counterparty": { "kind": kind, "name": employer },
        "employment": { "status": "ended", "started_on": d(400), "ended_on": d(30),
                        "written_contract": true },
        "dispute": { "categories": ["LD04"], "known_on": d(30),
                     "claims": [{ "category": "LD04", "amount": 8600 }],
                     "narrative": "老板拖欠三个月工资" },
    }))
    .unwrap()
}

/// Rows of the tables a restore must bring back, as text, in a fixed order.
async fn rows(raw: &Raw) -> Vec<Vec<String>> {
    let mut out = vec![];
    for sql in [
        "SELECT case_no || '|' || applicant_name || '|' || CAST(record AS TEXT) || '|' \
         || CAST(decision AS TEXT) FROM cases ORDER BY id",
        "SELECT CAST(id AS TEXT) || '|' || ticket_no || '|' || state || '|' \
         || COALESCE(CAST(called_at AS TEXT), '-') || '|' || COALESCE(CAST(case_id AS TEXT), '-') \
         FROM tickets ORDER BY id",
        "SELECT scope || '|' || CAST(day AS TEXT) || '|' || CAST(value AS TEXT) FROM counters \
         ORDER BY 1",
        "SELECT CAST(id AS TEXT) || '|' || kind || '|' || state FROM print_jobs ORDER BY id",
    ] {
        out.push(raw.texts(sql).await);
    }
    out
}

/// The audit rows, but the sign-ins of the commands that ran (each command signs in).
async fn audit_rows(raw: &Raw) -> Vec<String> {
    raw.texts(
        "SELECT CAST(id AS TEXT) || '|' || action || '|' || COALESCE(CAST(case_id AS TEXT), '-') \
         || '|' || CAST(details AS TEXT) FROM audit_log WHERE action <> 'sign_in' ORDER BY id",
    )
    .await
}

async fn backup_destroy_restore_returns_every_row(db: &TestDb) {
    let url = db.url.expose().to_string();
    let work = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let s = services(&url, &[]).await;
    let by = clerk_at_window_1(&s, now, BOSS_PIN).await;
    let today = onewindow::domain::numbering::local_day(&now);
    for (i, name) in ["王丽", "李娜", "赵强", "孙红"].iter().enumerate() {
        s.register(
            &record(name, "employer", "郑州云启科技有限公司", today),
            None,
            &by,
            now - Duration::minutes(40 - i as i64),
        )
        .await
        .unwrap();
    }
    // One ticket called and held; three still waiting: a live queue.
    let called = s.call_next(&by, now - Duration::minutes(10)).await.unwrap();
    let raw = Raw::open(&db.url).await;
    let before = rows(&raw).await;
    let audit_before = audit_rows(&raw).await;
    assert_eq!(before[0].len(), 4);
    assert_eq!(before[1].len(), 4);

    let file = work.path().join("backups/ow.backup");
    let out = ok(
        work.path(),
        &url,
        &[],
        &["db", "backup", "--to", "backups/ow.backup"],
    );
    assert!(out.contains("案件 4 件，排队号 4 个"), "{out}");
    #[cfg(unix)]
    {
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }
    let (done, _, err) = onewindow(
        work.path(),
        &url,
        &[],
        &["db", "backup", "--to", "backups/ow.backup"],
    );
    assert!(!done && err.contains("never overwrites"), "{err}");

    raw.close().await;
    s.close().await;
    db.store.close().await;
    db.destroy().await;

    let out = ok(
        work.path(),
        &url,
        &[],
        &["db", "restore", "--from", "backups/ow.backup"],
    );
    assert!(out.contains("案件 4 件，排队号 4 个"), "{out}");
    let raw = Raw::open(&db.url).await;
    assert_eq!(
        rows(&raw).await,
        before,
        "cases, tickets, counters and paper come back"
    );
    let audit_after = audit_rows(&raw).await;
    assert_eq!(
        audit_after[..audit_before.len()],
        audit_before[..],
        "every audit row comes back as it was"
    );
    assert_eq!(audit_after.len(), audit_before.len() + 1);
    assert!(audit_after[audit_before.len()].contains("backup_restored"));

    // A restore never lands on a database in use or holding a site without being told to.
    let (done, _, err) = onewindow(
        work.path(),
        &url,
        &[],
        &["db", "restore", "--from", "backups/ow.backup"],
    );
    assert!(!done, "a second restore over the live database is refused");
    assert!(
        err.contains("--replace") || err.contains("other connection"),
        "{err}"
    );

    // The queue goes on where it was: the held ticket is finished, the next waiting one called,
    // and a new case takes the next number.
    let s = services(&url, &[]).await;
    let later = Utc::now();
    let t = s.ticket_of_day(&called.ticket, later).await.unwrap();
    let t = s.ticket_op(TicketOp::Start, &t, &by, later).await.unwrap();
    s.finish(&t, Outcome::Mediated, &by, later).await.unwrap();
    let next = s.call_next(&by, later).await.unwrap();
    assert_ne!(next.ticket, called.ticket);
    let fifth = s
        .register(
            &record("周七", "employer", "某公司", today),
            None,
            &by,
            later,
        )
        .await
        .unwrap();
    assert!(
        fifth.issued.case_no.as_str().ends_with("-0005"),
        "{}",
        fifth.issued.case_no
    );
    s.close().await;
    raw.close().await;
}
both_backends!(backup_destroy_restore_returns_every_row);

async fn purge_anonymises_exactly_the_expired_cases(db: &TestDb) {
    let url = db.url.expose().to_string();
    let work = tempfile::tempdir().unwrap();
    let s = services(&url, &[]).await;
    let by = clerk_at_window_1(&s, utc("2014-01-01T00:00:00Z"), BOSS_PIN).await;
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let register = async |name: &str, kind: &str, employer: &str, at: &str| {
        let at = utc(at);
        let d = onewindow::domain::numbering::local_day(&at);
        s.register(&record(name, kind, employer, d), None, &by, at)
            .await
            .unwrap()
    };
    let serve = async |at: &str, minutes: i64, outcome: Outcome| {
        let at = utc(at);
        let e = s.call_next(&by, at).await.unwrap();
        let t = s.ticket_of_day(&e.ticket, at).await.unwrap();
        let t = s.ticket_op(TicketOp::Start, &t, &by, at).await.unwrap();
        s.finish(&t, outcome, &by, at + Duration::minutes(minutes))
            .await
            .unwrap();
    };
    // A: closed in 2014, with a transfer whose reason names the worker and a follow-up note.
    let a = register(
        "王丽",
        "employer",
        "郑州云启科技有限公司",
        "2014-03-03T01:00:00Z",
    )
    .await;
    let e = s.call_next(&by, utc("2014-03-03T01:10:00Z")).await.unwrap();
    let t = s
        .ticket_of_day(&e.ticket, utc("2014-03-03T01:10:00Z"))
        .await
        .unwrap();
    s.transfer(
        &t,
        Route::Arbitration,
        "王丽要求直接仲裁",
        &by,
        utc("2014-03-03T01:20:00Z"),
    )
    .await
    .unwrap();
    serve("2014-03-03T01:25:00Z", 15, Outcome::Referred).await;
    s.record_followup(
        a.issued.case_no.as_str(),
        onewindow::domain::followup::FollowUpContact::Reached,
        Some(true),
        "已回访王丽，满意",
        None,
        &by,
        utc("2014-03-20T01:00:00Z"),
    )
    .await
    .unwrap();
    // B: registered before the cut-off but closed after it (2015-06-02): kept.
    let b = register(
        "李娜",
        "employer",
        "郑州云启科技有限公司",
        "2015-06-02T01:00:00Z",
    )
    .await;
    serve("2015-06-02T01:10:00Z", 20, Outcome::Mediated).await;
    // C: left waiting in 2015-05 (the worker never came back): closed when last seen.
    let c = register(
        "赵强",
        "employer",
        "河南宏达建筑有限公司",
        "2015-05-01T02:00:00Z",
    )
    .await;
    // D: a domestic worker against a household: the household's name is personal data too.
    let d = register("孙红", "household", "孙家", "2014-05-05T02:00:00Z").await;
    serve("2014-05-05T02:10:00Z", 20, Outcome::Mediated).await;
    // E: this year.
    let e = register(
        "周七",
        "employer",
        "河南宏达建筑有限公司",
        "2025-05-20T02:00:00Z",
    )
    .await;

    let raw = Raw::open(&db.url).await;
    let case_row = |id: onewindow::storage::CaseId| {
        format!(
            "SELECT case_no || '|' || applicant_name || '|' || applicant_id_masked || '|' \
             || applicant_phone_masked || '|' || counterparty_name || '|' || CAST(record AS TEXT) \
             || '|' || COALESCE(CAST(anonymised_at AS TEXT), '-') FROM cases WHERE id = {}",
            id.0
        )
    };
    let kept_before = [
        raw.texts(&case_row(b.receipt.case_id)).await,
        raw.texts(&case_row(e.receipt.case_id)).await,
    ];
    let audit_before = audit_rows(&raw).await;
    let report_before = format!(
        "{:?}",
        s.report(day("2014-01-01"), day("2025-12-31"))
            .await
            .unwrap()
    );

    let at = "2025-06-01T00:00:00+08:00";
    let (done, _, err) = onewindow(work.path(), &url, &[], &["db", "purge", "--at", at]);
    assert!(
        !done && err.contains("data.retention_years"),
        "no default deletion: {err}"
    );
    let ten = ["data.retention_years=10"];
    let out = ok(
        work.path(),
        &url,
        &ten,
        &["db", "purge", "--dry-run", "--at", at],
    );
    assert!(
        out.contains("3 件案件") && out.contains("将被匿名化"),
        "{out}"
    );
    assert_eq!(
        audit_rows(&raw).await,
        audit_before,
        "a dry run changes nothing"
    );
    let out = ok(work.path(), &url, &ten, &["db", "purge", "--at", at]);
    assert!(
        out.contains("3 件案件") && out.contains("已匿名化"),
        "{out}"
    );

    for (who, expired) in [(&a, "王丽"), (&c, "赵强"), (&d, "孙红")] {
        let id = who.receipt.case_id.0;
        let row = raw.texts(&case_row(who.receipt.case_id)).await.join("");
        for gone in [expired, ID, PHONE, "拖欠", "158X", "5678"] {
            assert!(!row.contains(gone), "{gone} left in {row}");
        }
        assert!(
            row.contains(who.issued.case_no.as_str()),
            "the number stays: {row}"
        );
        assert!(!row.ends_with("|-"), "marked anonymised: {row}");
        let paper = raw
            .texts(&format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM print_jobs WHERE case_id = {id}"
            ))
            .await;
        assert_eq!(paper, ["0"], "the paper with the name on it is gone");
        let reasons = raw
            .texts(&format!(
                "SELECT COALESCE(transfer_reason, '') || COALESCE((SELECT MAX(result) FROM \
                 followups WHERE case_id = {id}), '') FROM tickets WHERE case_id = {id}"
            ))
            .await
            .join("");
        assert!(!reasons.contains(expired), "{reasons}");
    }
    let d_row = raw.texts(&case_row(d.receipt.case_id)).await.join("");
    assert!(!d_row.contains("孙家"), "{d_row}");
    assert_eq!(
        raw.texts(
            "SELECT employer_name || '=' || CAST(n AS TEXT) FROM employer_rollup \
                   WHERE employer_name IN ('孙家', '') ORDER BY 1"
        )
        .await,
        ["=1", "孙家=0"],
        "the household's count moved to an unnamed row"
    );
    assert_eq!(
        [
            raw.texts(&case_row(b.receipt.case_id)).await,
            raw.texts(&case_row(e.receipt.case_id)).await,
        ],
        kept_before,
        "cases inside the retention period are untouched"
    );
    assert_eq!(
        format!(
            "{:?}",
            s.report(day("2014-01-01"), day("2025-12-31"))
                .await
                .unwrap()
        ),
        report_before,
        "the figures are the same"
    );
    let audit_after = audit_rows(&raw).await;
    assert_eq!(
        audit_after[..audit_before.len()],
        audit_before[..],
        "the trail is kept"
    );
    let added: Vec<&String> = audit_after[audit_before.len()..].iter().collect();
    assert_eq!(added.len(), 3, "{added:?}");
    for (row, who) in added.iter().zip([&a, &c, &d]) {
        assert!(row.contains("case_anonymised"), "{row}");
        assert!(
            row.contains(&format!("|{}|", who.receipt.case_id.0)),
            "{row}"
        );
    }
    // The case can still be opened; it has nothing personal left to show.
    let view = s.case_view(&a.issued.case_no).await.unwrap();
    assert!(view.record.applicant.name.is_empty());

    let out = ok(work.path(), &url, &ten, &["db", "purge", "--at", at]);
    assert!(out.contains("0 件案件"), "{out}");
    s.close().await;
    raw.close().await;
}
both_backends!(purge_anonymises_exactly_the_expired_cases);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_file_the_commands_create_is_private() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let url = format!("sqlite://{}", dir.join("data/ow.db").display());
    let printer = ["printer.to=spool:paper"];
    ok(
        dir,
        &url,
        &printer,
        &[
            "db",
            "staff",
            "S01",
            "李主任",
            "--role",
            "supervisor",
            "--set-pin",
        ],
    );
    ok(dir, &url, &printer, &["db", "window", "1"]);
    ok(dir, &url, &printer, &["db", "staff", "C01", "王小明"]);
    let case = dir.join("case.toml");
    let today = onewindow::domain::numbering::local_day(&Utc::now());
    std::fs::write(
        &case,
        toml::to_string(&record("王丽", "employer", "某公司", today)).unwrap(),
    )
    .unwrap();
    ok(
        dir,
        &url,
        &printer,
        &["intake", "case.toml", "--window", "1"],
    );
    let month = today.format("%Y-%m-01").to_string();
    ok(
        dir,
        &url,
        &printer,
        &[
            "report",
            "--from",
            &month,
            "--to",
            &today.to_string(),
            "--out",
            "out/r.csv",
        ],
    );
    ok(
        dir,
        &url,
        &printer,
        &["db", "backup", "--to", "b/ow.backup"],
    );

    #[cfg(unix)]
    {
        for d in ["data", "paper", "out", "b"] {
            assert_eq!(mode(&dir.join(d)), 0o700, "{d}");
        }
        let paper: Vec<_> = std::fs::read_dir(dir.join("paper"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(
            paper.len() >= 4,
            "ticket and receipt, .bin and .txt: {paper:?}"
        );
        let mut files = vec![
            dir.join("data/ow.db"),
            dir.join("onewindow.log"),
            dir.join("out/r.csv"),
            dir.join("b/ow.backup"),
        ];
        files.extend(paper);
        for f in files {
            assert_eq!(mode(&f), 0o600, "{}", f.display());
        }
        // The demo's folder and database, as `--demo` makes them.
        let demo = onewindow::app::demo::DemoDir::create().unwrap();
        assert_eq!(mode(demo.path()), 0o700);
        let base = onewindow::config::load(&onewindow::config::Sources::default()).unwrap();
        let s = Services::open(&onewindow::app::demo::config(&base, demo.path()))
            .await
            .unwrap();
        assert_eq!(mode(&demo.path().join("demo.db")), 0o600);
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spool_paper_is_deleted_after_the_set_days() {
    let work = tempfile::tempdir().unwrap();
    let spool = work.path().join("spool");
    std::fs::create_dir(&spool).unwrap();
    let url = format!("sqlite://{}", work.path().join("ow.db").display());
    let s = services(
        &url,
        &[
            &format!("printer.to=spool:{}", spool.display()),
            "data.spool_keep_days=7",
        ],
    )
    .await;
    let eight_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(8 * 86_400);
    for (name, old) in [
        ("000001-receipt.bin", true),
        ("000001-receipt.txt", true),
        ("000002-ticket.bin", false),
        ("notes.txt", true),
    ] {
        let p = spool.join(name);
        std::fs::write(&p, b"x").unwrap();
        if old {
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(eight_days_ago)
                .unwrap();
        }
    }
    let store = onewindow::storage::Store::open(
        &onewindow::storage::DbUrl::new(url.clone()),
        onewindow::storage::OpenOptions::default(),
    )
    .await
    .unwrap();
    let runner = onewindow::app::paper::print_runner(
        s.config(),
        &store,
        onewindow::app::spool::PrintStation::default(),
    )
    .unwrap();
    assert_eq!(runner.prune_spool().await.unwrap(), 2);
    let left: std::collections::BTreeSet<String> = std::fs::read_dir(&spool)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        ["000002-ticket.bin", "notes.txt"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    store.close().await;
    s.close().await;
}

#[test]
fn seeded_cases_read_like_any_case_and_a_live_database_is_refused() {
    use crossterm::event::KeyCode;
    use onewindow::tui::harness::{Harness, Start};
    let mut site = onewindow::config::default_site();
    site.code = "ZZ01".into();
    let now = DateTime::parse_from_rfc3339("2025-04-01T09:30:00+08:00").unwrap();
    let mut h = Harness::new(
        onewindow::config::Lang::Zh,
        120,
        40,
        site,
        Start::Staffed,
        now,
    );
    let march = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let seeded = h
        .block_on(h.services().seed(62, march, Utc::now()))
        .unwrap();
    assert_eq!((seeded.cases, seeded.tickets), (62, 62));
    // The clerk finds a seeded case by its number, as any case.
    h.type_text("1001");
    h.press(KeyCode::Enter);
    h.type_text("123456");
    h.press(KeyCode::Enter);
    h.press(KeyCode::F(4));
    h.type_text("ZZ01-20250331-0002");
    h.press(KeyCode::Enter);
    let screen = h.render();
    assert!(screen.contains("ZZ01-20250331-0002"), "{screen}");
    // A second seed continues the day's numbers.
    h.block_on(h.services().seed(31, march, Utc::now()))
        .unwrap();
    let third = h
        .block_on(h.services().search("ZZ01-20250331-0003"))
        .unwrap();
    assert_eq!(third.len(), 1);

    // Once a real case is registered, sample data is refused and nothing is added.
    let s = h.services().clone();
    let by = h.block_on(async {
        let id = s.staff(&StaffNo("1001".into())).await.unwrap();
        Acting {
            staff: Some((id, StaffNo("1001".into()))),
            window: Some(s.station(WindowNo(1), false, Utc::now()).await.unwrap()),
        }
    });
    let today = onewindow::domain::numbering::local_day(&Utc::now());
    h.block_on(s.register(
        &record("王丽", "employer", "某公司", today),
        None,
        &by,
        Utc::now(),
    ))
    .unwrap();
    let err = h.block_on(s.seed(10, march, Utc::now())).unwrap_err();
    assert!(err.to_string().contains("registered case"), "{err}");
    assert!(
        h.block_on(s.search("ZZ01-20250301-0004"))
            .unwrap()
            .is_empty()
    );
}
