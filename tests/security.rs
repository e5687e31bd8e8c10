//! Issue 13 "Trust", on both backends: the lock-out holds under parallel attempts (in one process
//! and as ten real processes), unknown numbers answer like known ones, a clerk's right PIN is no
//! supervisor's, and every refusal is audited.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "common/db.rs"]
mod testdb;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use onewindow::app::auth::Permission;
use onewindow::app::{AppError, Services};
use onewindow::domain::{SiteSettings, StaffNo, StaffRole};
use onewindow::storage::SiteInfo;
use testdb::{Raw, TestDb};

const BOSS_PIN: &str = "246810";
const CLERK_PIN: &str = "135790";

async fn seed(db: &TestDb) -> SiteInfo {
    let s = &db.store;
    let site = s
        .ensure_site(
            &SiteSettings {
                code: "TEST".into(),
                name: "测试中心".into(),
                ..SiteSettings::default()
            },
            Utc::now(),
        )
        .await
        .unwrap();
    for (code, role, pin) in [
        ("S01", StaffRole::Supervisor, BOSS_PIN),
        ("C07", StaffRole::Clerk, CLERK_PIN),
    ] {
        let id = s.upsert_staff(site.id, code, "某某", role).await.unwrap();
        let hash = onewindow::app::pin::hash(pin).unwrap();
        s.set_pin_hash(id, &hash).await.unwrap();
    }
    site
}

fn china(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&onewindow::domain::china_time())
}

/// How many audit rows have `action`.
async fn audited(db: &TestDb, action: &str) -> usize {
    let raw = Raw::open(&db.url).await;
    let n = raw
        .texts(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action = '{action}'"
        ))
        .await;
    raw.close().await;
    n[0].parse().unwrap()
}

async fn ten_at_once(
    services: &Services,
    staff: &str,
    pin: &str,
    at: DateTime<Utc>,
) -> Vec<AppError> {
    let tries: Vec<_> = (0..10)
        .map(|_| {
            let (services, staff, pin) = (services.clone(), StaffNo(staff.into()), pin.to_string());
            tokio::spawn(async move {
                services
                    .sign_in(&staff, pin, None, Permission::Dashboard, china(at))
                    .await
            })
        })
        .collect();
    let mut errors = Vec::new();
    for t in tries {
        errors.push(t.await.unwrap().expect_err("a wrong PIN never signs in"));
    }
    errors
}

async fn parallel_wrong_pins_get_five_checks_and_the_lock_holds(db: &TestDb) {
    seed(db).await;
    let services = db.services("TEST").await;
    let t0 = Utc::now();
    let errors = ten_at_once(&services, "S01", "000000", t0).await;
    assert_eq!(
        audited(db, "sign_in_failed").await,
        5,
        "five PIN checks, no more"
    );
    assert_eq!(
        audited(db, "sign_in_while_locked").await,
        5,
        "the rest refused unchecked"
    );
    let locked = errors
        .iter()
        .filter(|e| matches!(e, AppError::LockedOut { .. }))
        .count();
    assert!(locked >= 5, "{errors:?}");
    // The right PIN during the lock is refused, and does not clear it.
    let at = t0 + Duration::minutes(14);
    let right = services
        .sign_in(
            &StaffNo("S01".into()),
            BOSS_PIN.into(),
            None,
            Permission::Dashboard,
            china(at),
        )
        .await;
    assert!(
        matches!(right, Err(AppError::LockedOut { .. })),
        "{right:?}"
    );
    let right = services
        .sign_in(
            &StaffNo("S01".into()),
            BOSS_PIN.into(),
            None,
            Permission::Dashboard,
            china(at),
        )
        .await;
    assert!(
        matches!(right, Err(AppError::LockedOut { .. })),
        "{right:?}"
    );
    assert_eq!(audited(db, "sign_in_failed").await, 5);
    // After the lock, another round gets five more checks at most.
    let t1 = t0 + Duration::minutes(16);
    ten_at_once(&services, "S01", "000000", t1).await;
    assert_eq!(audited(db, "sign_in_failed").await, 10);
    let t2 = t1 + Duration::minutes(16);
    let who = services
        .sign_in(
            &StaffNo("S01".into()),
            BOSS_PIN.into(),
            None,
            Permission::Dashboard,
            china(t2),
        )
        .await
        .unwrap();
    assert_eq!(who.staff.number.as_str(), "S01");
}
both_backends!(parallel_wrong_pins_get_five_checks_and_the_lock_holds);

async fn an_unknown_number_answers_like_a_known_one(db: &TestDb) {
    seed(db).await;
    let services = db.services("TEST").await;
    let at = Utc::now();
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..6 {
        for (code, into) in [("S01", &mut known), ("NOBODY", &mut unknown)] {
            let r = services
                .sign_in(
                    &StaffNo(code.into()),
                    "000000".into(),
                    None,
                    Permission::WorkQueue,
                    china(at),
                )
                .await;
            into.push(r.unwrap_err());
        }
    }
    assert_eq!(known, unknown);
    assert!(matches!(known[5], AppError::LockedOut { .. }), "{known:?}");
}
both_backends!(an_unknown_number_answers_like_a_known_one);

async fn a_clerks_right_pin_is_no_supervisors(db: &TestDb) {
    seed(db).await;
    let services = db.services("TEST").await;
    let at = china(Utc::now());
    let clerk = StaffNo("C07".into());
    let as_boss = services
        .sign_in(&clerk, CLERK_PIN.into(), None, Permission::Dashboard, at)
        .await;
    assert_eq!(as_boss, Err(AppError::BadCredentials { attempts_left: 4 }));
    // At a window the same PIN is right.
    services
        .sign_in(&clerk, CLERK_PIN.into(), None, Permission::WorkQueue, at)
        .await
        .unwrap();
}
both_backends!(a_clerks_right_pin_is_no_supervisors);

/// A staff member without a PIN is checked against the dummy hash like an unknown number, and
/// the dummy's own PIN does not let them in.
async fn no_pin_no_entry(db: &TestDb) {
    let site = seed(db).await;
    db.store
        .upsert_staff(site.id, "C09", "赵六", StaffRole::Clerk)
        .await
        .unwrap();
    let services = db.services("TEST").await;
    let r = services
        .sign_in(
            &StaffNo("C09".into()),
            "00000000".into(),
            None,
            Permission::WorkQueue,
            china(Utc::now()),
        )
        .await;
    assert_eq!(r, Err(AppError::BadCredentials { attempts_left: 4 }));
}
both_backends!(no_pin_no_entry);

// ------------------------------------------------------------------ the real binary

/// `onewindow ARGS` on the test database for site TEST, `stdin` fed in.
fn run(db: &TestDb, dir: &std::path::Path, args: &[&str], stdin: &str) -> support::cli::Run {
    let mut all = vec!["--db", db.url.expose(), "--set", "site.code=TEST"];
    all.extend(args);
    support::cli::onewindow(dir, &[], &all, stdin)
}

async fn ten_processes_get_five_checks_and_a_right_pin_is_refused_during_the_lock(db: &TestDb) {
    seed(db).await;
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.expose().to_string();
    let path = dir.path().to_path_buf();
    let runs: Vec<_> = (0..10)
        .map(|_| {
            let (url, path) = (url.clone(), path.clone());
            std::thread::spawn(move || {
                support::cli::onewindow(
                    &path,
                    &[],
                    &[
                        "--db",
                        &url,
                        "--set",
                        "site.code=TEST",
                        "case",
                        "show",
                        "TEST-20260310-0001",
                        "--staff",
                        "S01",
                        "--pin-stdin",
                    ],
                    "000000\n",
                )
            })
        })
        .collect();
    for r in runs {
        let r = r.join().unwrap();
        assert!(!r.success);
        assert!(
            r.stderr.contains("工号或 PIN 不正确") || r.stderr.contains("已锁定至"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(
        audited(db, "sign_in_failed").await,
        5,
        "five checks at most"
    );
    assert_eq!(audited(db, "sign_in_while_locked").await, 5);
    let right = run(
        db,
        dir.path(),
        &[
            "case",
            "audit",
            "TEST-20260310-0001",
            "--staff",
            "S01",
            "--pin-stdin",
        ],
        &format!("{BOSS_PIN}\n"),
    );
    assert!(
        !right.success && right.stderr.contains("已锁定至"),
        "{}",
        right.stderr
    );
    assert_eq!(audited(db, "sign_in").await, 0, "nobody got in");
}
both_backends!(ten_processes_get_five_checks_and_a_right_pin_is_refused_during_the_lock);

/// Every command that reads personal data or changes anything, as typed.
const GUARDED: &[(&[&str], bool)] = &[
    // (command, a supervisor's only)
    (&["intake", "case.toml", "--window", "1"], false),
    (&["queue", "list"], false),
    (&["queue", "call", "--window", "1"], false),
    (&["case", "show", "TEST-20260310-0001"], false),
    (&["print", "jobs"], false),
    (&["case", "show", "TEST-20260310-0001", "--full"], true),
    (&["case", "audit", "TEST-20260310-0001"], true),
    (&["db", "window", "1"], true),
    (
        &["db", "staff", "C07", "王小明", "--role", "supervisor"],
        true,
    ),
    (&["db", "staff", "S01", "--deactivate"], true),
    (&["db", "staff", "S01", "--unlock"], true),
    (&["db", "backup", "--to", "b.db"], true),
    (&["db", "purge", "--dry-run"], true),
    (&["db", "restore", "--from", "b.db", "--replace"], true),
    (
        &["report", "--from", "2026-03-01", "--to", "2026-03-31"],
        true,
    ),
    (&["followup", "list"], true),
    (&["seed", "--cases", "10", "--month", "2026-03"], true),
];

async fn every_command_without_a_valid_pin_is_refused_and_audited(db: &TestDb) {
    seed(db).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("case.toml"),
        "[applicant]\nname = \"王丽\"\n",
    )
    .unwrap();
    let mut refusals = 0;
    for (args, supervisors_only) in GUARDED {
        let nobody = run(db, dir.path(), args, "");
        assert!(!nobody.success, "{args:?} ran without a sign-in");
        assert!(
            nobody.stderr.contains("请先登录"),
            "{args:?}: {}",
            nobody.stderr
        );
        refusals += 1;
        if *supervisors_only {
            let clerk = run(
                db,
                dir.path(),
                &[*args, &["--staff", "C07", "--pin-stdin"][..]].concat(),
                &format!("{CLERK_PIN}\n"),
            );
            assert!(!clerk.success, "{args:?} ran for a clerk");
            assert!(clerk.stderr.contains("拒绝"), "{args:?}: {}", clerk.stderr);
            refusals += 1;
        }
    }
    assert_eq!(audited(db, "access_refused").await, refusals);
    // A wrong PIN is refused before anything is read, and counted.
    let wrong = run(
        db,
        dir.path(),
        &["queue", "list", "--staff", "C07", "--pin-stdin"],
        "999999\n",
    );
    assert!(!wrong.success && wrong.stderr.contains("工号或 PIN 不正确"));
    assert_eq!(audited(db, "sign_in_failed").await, 1);
    assert!(!dir.path().join("b.db").exists(), "no backup was written");
    // Nothing was changed: C07 is still a clerk, S01 still active, no window, no case.
    let raw = Raw::open(&db.url).await;
    assert_eq!(
        raw.texts(
            "SELECT code || ':' || role || ':' || CAST(active AS TEXT) FROM staff ORDER BY code"
        )
        .await
        .len(),
        2
    );
    assert_eq!(
        raw.texts("SELECT role FROM staff WHERE code = 'C07'").await,
        ["clerk"]
    );
    assert_eq!(
        raw.texts("SELECT CAST(COUNT(*) AS TEXT) FROM windows")
            .await,
        ["0"]
    );
    assert_eq!(
        raw.texts("SELECT CAST(COUNT(*) AS TEXT) FROM cases").await,
        ["0"]
    );
    raw.close().await;
}
both_backends!(every_command_without_a_valid_pin_is_refused_and_audited);

async fn a_deactivated_staff_member_cannot_sign_in_and_an_unlock_is_audited(db: &TestDb) {
    seed(db).await;
    let dir = tempfile::tempdir().unwrap();
    let boss = |args: &[&str]| {
        run(
            db,
            dir.path(),
            &[args, &["--staff", "S01", "--pin-stdin"][..]].concat(),
            &format!("{BOSS_PIN}\n"),
        )
    };
    for last in [
        &["db", "staff", "S01", "--deactivate"][..],
        &["db", "staff", "S01", "--role", "clerk"][..],
    ] {
        let r = boss(last);
        assert!(
            !r.success && r.stderr.contains("最后一位在岗的值班负责人"),
            "{}",
            r.stderr
        );
    }
    let off = boss(&["db", "staff", "C07", "--deactivate"]);
    assert!(off.success, "{}", off.stderr);
    let services = db.services("TEST").await;
    let at = china(Utc::now());
    let clerk = StaffNo("C07".into());
    let r = services
        .sign_in(
            &clerk,
            CLERK_PIN.into(),
            Some(onewindow::domain::WindowNo(1)),
            Permission::WorkQueue,
            at,
        )
        .await;
    assert_eq!(
        r,
        Err(AppError::BadCredentials { attempts_left: 4 }),
        "like an unknown number"
    );
    for _ in 0..4 {
        let _ = services
            .sign_in(&clerk, "000000".into(), None, Permission::WorkQueue, at)
            .await;
    }
    let on = boss(&["db", "staff", "C07", "--reactivate"]);
    assert!(on.success, "{}", on.stderr);
    let locked = services
        .sign_in(&clerk, CLERK_PIN.into(), None, Permission::WorkQueue, at)
        .await;
    assert!(
        matches!(locked, Err(AppError::LockedOut { .. })),
        "{locked:?}"
    );
    let unlock = boss(&["db", "staff", "C07", "--unlock"]);
    assert!(
        unlock.success && unlock.stdout.contains("已解除锁定"),
        "{}",
        unlock.stderr
    );
    assert_eq!(audited(db, "staff_unlocked").await, 1);
    assert_eq!(
        audited(db, "staff_saved").await,
        2,
        "deactivated, reactivated"
    );
    services
        .sign_in(&clerk, CLERK_PIN.into(), None, Permission::WorkQueue, at)
        .await
        .unwrap();
}
both_backends!(a_deactivated_staff_member_cannot_sign_in_and_an_unlock_is_audited);

// --------------------------------------------------------------------- reads are audited

const CLAIM: &str = r#"
[applicant]
name = "张丽"
id_number = "11010519491231002X"
phone = "13812345678"

[counterparty]
kind = "employer"
name = "郑州云启科技有限公司"

[employment]
status = "ended"
started_on = "2021-03-01"
ended_on = "2024-12-01"
written_contract = true

[dispute]
categories = ["LD03"]
known_on = "2024-12-01"
"#;

async fn reads_of_personal_data_are_audited_and_a_supervisor_lists_them(db: &TestDb) {
    seed(db).await;
    let services = db.services("TEST").await;
    let now = Utc::now();
    // Registered at window 2, so window 1's print runner below leaves its paper alone.
    let at_2 = onewindow::app::Acting {
        staff: None,
        window: Some(
            services
                .station(onewindow::domain::WindowNo(2), true, now)
                .await
                .unwrap(),
        ),
    };
    let case_no = services
        .register(&toml::from_str(CLAIM).unwrap(), None, &at_2, now)
        .await
        .unwrap()
        .issued
        .case_no;
    let kiosk = onewindow::app::Kiosk::open(services.clone(), onewindow::domain::WindowNo(1))
        .await
        .unwrap();
    kiosk
        .sign_in(StaffNo("C07".into()), CLERK_PIN.into(), china(now))
        .await
        .unwrap();
    assert_eq!(kiosk.search("张".into()).await.unwrap().len(), 1);
    kiosk.case_view(case_no.clone()).await.unwrap();
    kiosk.sign_out(china(now)).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let clerk = ["--staff", "C07", "--pin-stdin"];
    let pin = format!("{CLERK_PIN}\n");
    let shown = run(
        db,
        dir.path(),
        &[&["case", "show", case_no.as_str(), "--json"][..], &clerk].concat(),
        &pin,
    );
    assert!(shown.success, "{}", shown.stderr);
    assert!(
        !shown.stdout.contains("11010519491231002X") && !shown.stdout.contains("13812345678"),
        "a clerk reads masked: {}",
        shown.stdout
    );
    let preview = run(
        db,
        dir.path(),
        &[
            &["print", "preview", case_no.as_str(), "--layout", "receipt"][..],
            &clerk,
        ]
        .concat(),
        &pin,
    );
    assert!(preview.success, "{}", preview.stderr);
    let boss = ["--staff", "S01", "--pin-stdin"];
    let full = run(
        db,
        dir.path(),
        &[
            &["case", "show", case_no.as_str(), "--full", "--json"][..],
            &boss,
        ]
        .concat(),
        &format!("{BOSS_PIN}\n"),
    );
    assert!(
        full.success && full.stdout.contains("11010519491231002X"),
        "{}",
        full.stderr
    );
    let audit = run(
        db,
        dir.path(),
        &[&["case", "audit", case_no.as_str(), "--json"][..], &boss].concat(),
        &format!("{BOSS_PIN}\n"),
    );
    assert!(audit.success, "{}", audit.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&audit.stdout).unwrap();
    let reads: Vec<String> = rows
        .iter()
        .filter(|r| r["action"] == "case_read")
        .map(|r| {
            format!(
                "{}@{}:{}:{}",
                r["staff_no"].as_str().unwrap_or("-"),
                r["window_no"],
                r["purpose"].as_str().unwrap(),
                r["unmasked"]
            )
        })
        .collect();
    assert_eq!(
        reads,
        [
            "C07@1:open:false",
            "C07@null:show:false",
            "C07@null:print:false",
            "S01@null:show:true",
            "S01@null:audit:false",
        ]
    );
    // The search names no case, but is kept with who ran it and how much it found.
    let raw = Raw::open(&db.url).await;
    let searches = raw
        .texts("SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'case_read' AND case_id IS NULL")
        .await;
    assert_eq!(searches.len(), 1);
    let search: serde_json::Value = serde_json::from_str(&searches[0]).unwrap();
    assert_eq!(search["purpose"], "search");
    assert_eq!(search["results"], 1);
    raw.close().await;
    assert_eq!(audited(db, "sign_out").await, 1);
}
both_backends!(reads_of_personal_data_are_audited_and_a_supervisor_lists_them);

// ------------------------------------------------------------- intake files carry a case

async fn an_intake_with_a_site_table_changes_nothing(db: &TestDb) {
    let site = seed(db).await;
    let dir = tempfile::tempdir().unwrap();
    let rogue = format!(
        "{CLAIM}\n[site]\ncode = \"ROGUE\"\nname = \"改名中心\"\n\n[site.ticket_prefixes]\nlabor_mediation = \"X\"\n"
    );
    std::fs::write(dir.path().join("rogue.toml"), rogue).unwrap();
    let r = run(
        db,
        dir.path(),
        &["intake", "rogue.toml", "--staff", "C07", "--pin-stdin"],
        &format!("{CLERK_PIN}\n"),
    );
    assert!(
        !r.success && r.stderr.contains("不能有 [site]"),
        "{}",
        r.stderr
    );
    let raw = Raw::open(&db.url).await;
    assert_eq!(
        raw.texts("SELECT code || ':' || name FROM sites").await,
        [format!("TEST:{}", site.name)]
    );
    assert!(
        !raw.texts("SELECT prefix FROM queues")
            .await
            .contains(&"X".to_string())
    );
    assert_eq!(
        raw.texts("SELECT CAST(COUNT(*) AS TEXT) FROM cases").await,
        ["0"]
    );
    raw.close().await;
}
both_backends!(an_intake_with_a_site_table_changes_nothing);

#[test]
#[cfg(unix)]
fn files_are_named_by_the_configuration_only_capped_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    // classify keeps [site] for what-if settings, but not the files it would read.
    for cal in ["/dev/zero", "/etc/passwd"] {
        std::fs::write(
            dir.path().join("c.toml"),
            format!("{CLAIM}\n[site]\nholiday_calendars = [\"{cal}\"]\n"),
        )
        .unwrap();
        let r = support::cli::onewindow(dir.path(), &[], &["classify", "c.toml"], "");
        assert!(
            !r.success && r.stderr.contains("节假日日历来自配置"),
            "{}",
            r.stderr
        );
    }
    // From the configuration: an endless file is refused after the cap, a file that is not a
    // calendar is not echoed.
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let first = passwd.lines().next().unwrap_or("root:x:0:0");
    for (cal, says) in [
        ("/dev/zero", "larger than"),
        ("/etc/passwd", "not a holiday calendar"),
    ] {
        std::fs::write(
            dir.path().join("onewindow.toml"),
            format!("[site]\nholiday_calendars = [\"{cal}\"]\n"),
        )
        .unwrap();
        let r = support::cli::onewindow(dir.path(), &[], &["config"], "");
        assert!(!r.success && r.stderr.contains(says), "{cal}: {}", r.stderr);
        assert!(!r.stderr.contains(first), "{}", r.stderr);
    }
}

// ------------------------------------------------------------------------------ secrets

#[test]
fn no_password_form_reaches_config_output_errors_or_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("ow.log");
    let log_set = format!("log.file={}", log.display());
    for (url, secrets) in [
        ("postgres://ow:Us3rInfo@127.0.0.1:1/ow", &["Us3rInfo"][..]),
        (
            "postgres://ow@127.0.0.1:1/ow?sslmode=disable&password=Qu3ry&PASSWORD=Upp3r",
            &["Qu3ry", "Upp3r"][..],
        ),
        (
            "postgresql://ow:p%2Fw%40x@127.0.0.1:1/ow?PassWord=M1xed",
            &["p%2Fw%40x", "M1xed"][..],
        ),
    ] {
        let shown = support::cli::onewindow(
            dir.path(),
            &[],
            &["--db", url, "--set", &log_set, "config"],
            "",
        );
        assert!(shown.success, "{}", shown.stderr);
        let table: toml::Table = toml::from_str(&shown.stdout)
            .unwrap_or_else(|e| panic!("config prints TOML: {e}\n{}", shown.stdout));
        assert!(table["database"]["url"].as_str().unwrap().contains("***"));
        // A command on it fails (nothing listens on port 1) and says why, without the secret.
        let failed = support::cli::onewindow(
            dir.path(),
            &[],
            &[
                "--db",
                url,
                "--set",
                &log_set,
                "queue",
                "list",
                "--staff",
                "S01",
                "--pin-stdin",
            ],
            "246810\n",
        );
        assert!(!failed.success);
        assert!(failed.stderr.contains("refused"), "{}", failed.stderr);
        let logged = std::fs::read_to_string(&log).unwrap();
        for s in secrets {
            for (what, text) in [
                ("config", &shown.stdout),
                ("error", &failed.stderr),
                ("log", &logged),
            ] {
                assert!(!text.contains(s), "{s} in the {what}: {text}");
            }
        }
    }
}

// ------------------------------------------------------------------------ text hygiene

async fn hidden_characters_are_refused_in_every_stored_text(db: &TestDb) {
    seed(db).await;
    let dir = tempfile::tempdir().unwrap();
    let boss = ["--staff", "S01", "--pin-stdin"];
    let pin = format!("{BOSS_PIN}\n");
    for args in [
        &["db", "staff", "C\u{200B}08", "王五"][..],
        &["db", "staff", "C08", "王\u{202E}五"][..],
        &["db", "staff", "C08", "王\u{7}五"][..],
        &["db", "window", "3", "--name", "三号\u{2066}窗口"][..],
        &["db", "window", "3", "--name", "三号\u{FEFF}窗口"][..],
    ] {
        let r = run(db, dir.path(), &[args, &boss[..]].concat(), &pin);
        assert!(!r.success, "{args:?} was stored");
        assert!(r.stderr.contains("U+"), "{args:?}: {}", r.stderr);
    }
    let raw = Raw::open(&db.url).await;
    assert_eq!(
        raw.texts("SELECT code FROM staff ORDER BY code").await,
        ["C07", "S01"]
    );
    assert_eq!(
        raw.texts("SELECT CAST(COUNT(*) AS TEXT) FROM windows")
            .await,
        ["0"]
    );
    raw.close().await;
    // In a case: a credit code or a name with a bidi override or a zero-width space blocks.
    for (field, bad) in [
        ("name = \"张丽\"", "name = \"张\u{202E}丽\""),
        (
            "kind = \"employer\"",
            "kind = \"employer\"\ncredit_code = \"91410100MA44\u{200B}XK2D3F\"",
        ),
    ] {
        std::fs::write(dir.path().join("c.toml"), CLAIM.replacen(field, bad, 1)).unwrap();
        let r = support::cli::onewindow(dir.path(), &[], &["classify", "c.toml"], "");
        assert!(
            r.stdout.contains("control_chars"),
            "{bad}: {}{}",
            r.stdout,
            r.stderr
        );
    }
}
both_backends!(hidden_characters_are_refused_in_every_stored_text);

// --------------------------------------------------------------------------- outages

/// Refused and timed-out connections are tested in tests/outage.rs; an account the server
/// does not accept is named as such too, at once.
#[test]
fn a_command_names_an_account_the_server_refuses() {
    let admin = std::env::var("ONEWINDOW_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let Some((_, host)) = admin.split_once('@') else {
        panic!("ONEWINDOW_TEST_PG has no user part: {admin}");
    };
    let url = format!("postgres://no_such_role_ow:s3cret@{host}");
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let r = support::cli::onewindow(
        dir.path(),
        &[],
        &[
            "--db",
            &url,
            "queue",
            "list",
            "--staff",
            "S01",
            "--pin-stdin",
        ],
        "246810\n",
    );
    let took = started.elapsed();
    assert!(!r.success);
    if r.stderr.contains("refused") && std::env::var("CI").as_deref() != Ok("true") {
        eprintln!("!!!!! SKIPPED: PostgreSQL is not running; this test did NOT run. !!!!!");
        return;
    }
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
    assert!(
        r.stderr.contains("no_such_role_ow") && r.stderr.contains("does not exist")
            || r.stderr.contains("authentication failed"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("s3cret"), "{}", r.stderr);
}

/// The supervisor's dashboard shows a case's audit trail (L), and that read is audited too.
async fn the_dashboard_shows_a_cases_audit(db: &TestDb) {
    use crossterm::event::{KeyCode, KeyEvent};
    use onewindow::supervisor::sign_in;
    seed(db).await;
    let services = db.services("TEST").await;
    let case_no = services
        .register(
            &toml::from_str(CLAIM).unwrap(),
            None,
            &onewindow::app::Acting::default(),
            Utc::now(),
        )
        .await
        .unwrap()
        .issued
        .case_no;
    let (key_tx, keys) = tokio::sync::mpsc::unbounded_channel();
    let (frame_tx, mut frames) = tokio::sync::mpsc::unbounded_channel::<String>();
    let session = tokio::spawn(async move {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 30)).unwrap();
        sign_in::run(
            &mut terminal,
            &services,
            onewindow::config::Lang::En,
            &onewindow::supervisor::live::SupervisorSettings::default(),
            Some("S01"),
            keys,
            Some(frame_tx),
        )
        .await
    });
    let send = |code: KeyCode| key_tx.send(KeyEvent::from(code)).unwrap();
    let type_keys = |text: &str| text.chars().for_each(|c| send(KeyCode::Char(c)));
    let mut frame_with = async |needle: &str| loop {
        let f = tokio::time::timeout(std::time::Duration::from_secs(10), frames.recv())
            .await
            .unwrap_or_else(|_| panic!("no frame with {needle:?}"))
            .unwrap();
        if f.contains(needle) {
            return f;
        }
    };
    type_keys(BOSS_PIN);
    send(KeyCode::Enter);
    frame_with("L audit").await;
    send(KeyCode::Char('l'));
    frame_with("Case audit (case number)").await;
    type_keys(case_no.as_str());
    send(KeyCode::Enter);
    let panel = frame_with("Audit (any key closes)").await;
    assert!(
        panel.contains("intake") && panel.contains("case_read"),
        "{panel}"
    );
    send(KeyCode::Char('x'));
    send(KeyCode::Esc);
    tokio::time::timeout(std::time::Duration::from_secs(10), session)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(audited(db, "case_read").await, 1);
    assert_eq!(
        audited(db, "sign_out").await,
        1,
        "leaving the dashboard signs out"
    );
}
both_backends!(the_dashboard_shows_a_cases_audit);

/// The whole command line as `main` mounts it: the one set of sign-in options flattened into
/// each command clashes with nothing, before or after the sub-command's own arguments.
#[test]
fn the_sign_in_options_parse_on_every_guarded_command() {
    use clap::{CommandFactory, Parser};
    onewindow::cli::Cli::command().debug_assert();
    for (args, _) in GUARDED {
        let mut all = vec!["onewindow"];
        all.extend(*args);
        all.extend(["--staff", "S01", "--pin-stdin"]);
        onewindow::cli::Cli::try_parse_from(&all).unwrap_or_else(|e| panic!("{all:?}: {e}"));
    }
    onewindow::cli::Cli::try_parse_from(["onewindow", "queue", "--staff", "C07", "list"]).unwrap();
}

/// At a terminal the PIN is asked for and not shown as it is typed; without a terminal and
/// without --pin-stdin the command says how to give it instead of waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pin_is_asked_without_echo() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let dir = tempfile::tempdir().unwrap();
    let piped = run(&db, dir.path(), &["queue", "list", "--staff", "S01"], "");
    assert!(
        !piped.success && piped.stderr.contains("--pin-stdin"),
        "{}",
        piped.stderr
    );
    if !support::tmux::tmux_available() {
        return;
    }
    let session = format!("ow_security_pin_{}", std::process::id());
    let p = support::tmux::Pane::run(
        &session,
        dir.path(),
        &[],
        &[
            "--db",
            db.url.expose(),
            "--set",
            "site.code=TEST",
            "queue",
            "list",
            "--staff",
            "S01",
        ],
        "S01 的 PIN：",
    );
    p.keys(&["2", "4", "6", "8", "1", "0"]);
    let screen = p.screen();
    assert!(!screen.contains("2468"), "the PIN is not echoed: {screen}");
    p.keys(&["Enter"]);
    // The right PIN was taken: the sign-in is in the audit log.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while audited(&db, "sign_in").await == 0 {
        assert!(
            std::time::Instant::now() < until,
            "the PIN typed was not taken"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A clerk calls at the window they are signed in at, not at another; a supervisor anywhere.
async fn a_clerk_works_their_own_windows_queue(db: &TestDb) {
    let site = seed(db).await;
    let dir = tempfile::tempdir().unwrap();
    let services = db.services("TEST").await;
    let now = Utc::now();
    let w1 = services
        .station(onewindow::domain::WindowNo(1), true, now)
        .await
        .unwrap();
    services
        .station(onewindow::domain::WindowNo(2), true, now)
        .await
        .unwrap();
    let c07 = db.store.staff_by_code(site.id, "C07").await.unwrap();
    db.store.open_session(w1.id, c07, now).await.unwrap();
    let call = |staff: &str, pin: &str, window: &str| {
        run(
            db,
            dir.path(),
            &[
                "queue",
                "call",
                "--window",
                window,
                "--staff",
                staff,
                "--pin-stdin",
            ],
            &format!("{pin}\n"),
        )
    };
    let elsewhere = call("C07", CLERK_PIN, "2");
    assert!(
        !elsewhere.success && elsewhere.stderr.contains("只能在自己登录的窗口叫号"),
        "{}",
        elsewhere.stderr
    );
    assert_eq!(audited(db, "access_refused").await, 1);
    let own = call("C07", CLERK_PIN, "1");
    assert!(
        own.success && own.stdout.contains("无人等候"),
        "{}",
        own.stderr
    );
    let boss = call("S01", BOSS_PIN, "2");
    assert!(boss.success, "{}", boss.stderr);
}
both_backends!(a_clerk_works_their_own_windows_queue);

/// A clerk acts from the command line only on the ticket held at the window their kiosk is
/// signed in at: not on another window's ticket, not on one no window called, and not at all
/// without a live session; a supervisor acts on any. Every refusal is audited.
async fn a_clerk_acts_only_on_the_ticket_at_their_window(db: &TestDb) {
    let site = seed(db).await;
    let dir = tempfile::tempdir().unwrap();
    let services = db.services("TEST").await;
    let now = Utc::now();
    let w1 = services
        .station(onewindow::domain::WindowNo(1), true, now)
        .await
        .unwrap();
    let w2 = services
        .station(onewindow::domain::WindowNo(2), true, now)
        .await
        .unwrap();
    let c08 = db
        .store
        .upsert_staff(site.id, "C08", "某某", StaffRole::Clerk)
        .await
        .unwrap();
    db.store
        .set_pin_hash(c08, &onewindow::app::pin::hash(CLERK_PIN).unwrap())
        .await
        .unwrap();
    let c07 = db.store.staff_by_code(site.id, "C07").await.unwrap();
    db.store.open_session(w1.id, c07, now).await.unwrap();
    let as_ = |staff: &str, pin: &str, args: &[&str]| {
        let mut all = vec!["queue"];
        all.extend(args);
        all.extend(["--staff", staff, "--pin-stdin"]);
        run(db, dir.path(), &all, &format!("{pin}\n"))
    };
    // Two walk-ins; C07 calls the first at window 1.
    for _ in 0..2 {
        let r = as_("C07", CLERK_PIN, &["issue", "T"]);
        assert!(r.success, "{}", r.stderr);
    }
    let r = as_("C07", CLERK_PIN, &["call", "--window", "1"]);
    assert!(r.success && r.stdout.contains("T001"), "{}", r.stderr);
    let refused_before = audited(db, "access_refused").await;
    // C08 with no session anywhere, then signed in at window 2: T001 is window 1's.
    let r = as_("C08", CLERK_PIN, &["start", "T001"]);
    assert!(!r.success && r.stderr.contains("拒绝"), "{}", r.stderr);
    db.store.open_session(w2.id, c08, now).await.unwrap();
    for args in [
        &["start", "T001"][..],
        &["finish", "T001", "--outcome", "advised"],
        &["transfer", "T001", "--to", "Z", "--reason", "仲裁"],
        &["recall", "T001"],
        &["noshow", "T001"],
    ] {
        let r = as_("C08", CLERK_PIN, args);
        assert!(
            !r.success && r.stderr.contains("在其他窗口"),
            "{args:?}: {}",
            r.stderr
        );
    }
    // T002 is waiting: no window holds it, so no clerk may start or move it from the command line.
    let r = as_(
        "C07",
        CLERK_PIN,
        &["transfer", "T002", "--to", "Z", "--reason", "x"],
    );
    assert!(
        !r.success && r.stderr.contains("不在任何窗口"),
        "{}",
        r.stderr
    );
    assert_eq!(
        audited(db, "access_refused").await,
        refused_before + 7,
        "every refusal audited"
    );
    // Nothing changed: T001 is still called at window 1, T002 waiting.
    let list = as_("C07", CLERK_PIN, &["list", "--state", "all", "--json"]);
    let tickets: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let state = |no: &str| {
        tickets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["ticket_no"] == no)
            .map(|t| t["state"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(
        (state("T001"), state("T002")),
        ("called".into(), "waiting".into())
    );
    // The clerk at window 1 works their ticket; the supervisor may act on any.
    let r = as_("C07", CLERK_PIN, &["start", "T001"]);
    assert!(r.success, "{}", r.stderr);
    let r = as_(
        "C07",
        CLERK_PIN,
        &["finish", "T001", "--outcome", "advised"],
    );
    assert!(r.success, "{}", r.stderr);
    let r = as_(
        "S01",
        BOSS_PIN,
        &["transfer", "T002", "--to", "Z", "--reason", "仲裁"],
    );
    assert!(r.success, "{}", r.stderr);
}
both_backends!(a_clerk_acts_only_on_the_ticket_at_their_window);

/// Eight processes at once try to create the first supervisor of an empty database: exactly one
/// is created, and the others are told the database has staff now.
async fn eight_first_supervisor_attempts_create_one(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.expose().to_string();
    // The site exists (as after `--set site.code`), with no staff.
    let services = db.services("TEST").await;
    assert!(services.needs_setup().await.unwrap());
    let runs: Vec<_> = (0..8)
        .map(|i| {
            let (url, path) = (url.clone(), dir.path().to_path_buf());
            std::thread::spawn(move || {
                let code = format!("90{i:02}");
                support::cli::onewindow(
                    &path,
                    &[],
                    &[
                        "db",
                        "staff",
                        &code,
                        "李主任",
                        "--role",
                        "supervisor",
                        "--set-pin",
                        "--pin-stdin",
                        "--db",
                        &url,
                        "--set",
                        "site.code=TEST",
                    ],
                    &format!("{BOSS_PIN}\n"),
                )
            })
        })
        .collect();
    let runs: Vec<_> = runs.into_iter().map(|r| r.join().unwrap()).collect();
    let created = runs.iter().filter(|r| r.success).count();
    assert_eq!(
        created,
        1,
        "{:?}",
        runs.iter().map(|r| &r.stderr).collect::<Vec<_>>()
    );
    // Those that lost the race inside the transaction are told so; those that came after it
    // are asked to sign in as a supervisor, like any change to staff.
    for r in runs.iter().filter(|r| !r.success) {
        assert!(
            r.stderr.contains("数据库已有工作人员") || r.stderr.contains("请先登录"),
            "{}",
            r.stderr
        );
    }
    let raw = Raw::open(&db.url).await;
    let staff = raw.texts("SELECT code FROM staff").await;
    raw.close().await;
    assert_eq!(staff.len(), 1, "{staff:?}");
    assert_eq!(audited(db, "staff_saved").await, 1);
}
both_backends!(eight_first_supervisor_attempts_create_one);

/// The sign-in attempts table forgets what no longer matters (numbers typed at random, spent
/// counts, ended locks), so it cannot grow without bound, and the lock-out is as strong as
/// before: a lock in force survives every prune, and recent wrong PINs still count.
async fn sign_in_attempts_are_pruned_without_weakening_the_lock(db: &TestDb) {
    let site = seed(db).await;
    let services = db.services("TEST").await;
    let t0 = Utc::now();
    let rows = || async {
        let raw = Raw::open(&db.url).await;
        let n = raw.texts("SELECT code FROM sign_in_attempts").await;
        raw.close().await;
        n.len()
    };
    let try_pin = |staff: &str, pin: &str, at: DateTime<Utc>| {
        let (services, staff, pin) = (services.clone(), StaffNo(staff.into()), pin.to_string());
        async move {
            services
                .sign_in(&staff, pin, None, Permission::WorkQueue, china(at))
                .await
        }
    };
    // Numbers typed at random: one row each while they matter.
    for i in 0..20 {
        let _ = try_pin(&format!("X{i}"), "000000", t0).await;
    }
    // S01 locked by five wrong PINs; C07 with two wrong PINs.
    for _ in 0..5 {
        let _ = try_pin("S01", "000000", t0).await;
    }
    for _ in 0..2 {
        let _ = try_pin("C07", "000000", t0).await;
    }
    assert_eq!(rows().await, 22);
    // Ten minutes later: nothing is pruned yet (all within the lock-out period); the lock holds
    // and C07's count goes on: three more wrong PINs lock it.
    let t10 = t0 + Duration::minutes(10);
    assert!(matches!(
        try_pin("S01", BOSS_PIN, t10).await,
        Err(AppError::LockedOut { .. })
    ));
    assert_eq!(rows().await, 22);
    for _ in 0..3 {
        let _ = try_pin("C07", "000000", t10).await;
    }
    assert!(matches!(
        try_pin("C07", CLERK_PIN, t10).await,
        Err(AppError::LockedOut { .. })
    ));
    // Twenty minutes after the start: the random numbers and S01's ended lock are gone; C07's
    // lock (from t10) is in force and survives, and still refuses the right PIN.
    let t20 = t0 + Duration::minutes(20);
    assert!(matches!(
        try_pin("C07", CLERK_PIN, t20).await,
        Err(AppError::LockedOut { .. })
    ));
    let raw = Raw::open(&db.url).await;
    let left = raw.texts("SELECT code FROM sign_in_attempts").await;
    raw.close().await;
    assert_eq!(left, ["C07"], "only the lock in force is kept");
    // After C07's lock ends its count starts afresh: five more wrong PINs to lock it again.
    let t30 = t10 + Duration::minutes(16);
    for i in 0..4 {
        let r = try_pin("C07", "000000", t30).await;
        assert!(
            matches!(r, Err(AppError::BadCredentials { .. })),
            "attempt {i}: {r:?}"
        );
    }
    assert!(try_pin("C07", CLERK_PIN, t30).await.is_ok());
    let _ = site;
}
both_backends!(sign_in_attempts_are_pruned_without_weakening_the_lock);
