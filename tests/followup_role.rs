//! The follow-up caller (回访员, issue 14) at the screens, and the migration that lets the staff
//! table hold the role. What the caller may do with commands is tested with the follow-up
//! scenario in `tests/report_followup.rs`.
//!
//! - Migration 0030 on SQLite rebuilds the staff table: a database made before it keeps every
//!   staff row and id, and every row of the tables that refer to staff (sessions, cases,
//!   tickets, follow-ups, alerts) and the audit log, with foreign keys checked clean after.
//! - A follow-up caller with the right PIN is refused at the kiosk and at the supervisor's
//!   dashboard with a message saying why (zh and en), audited, on both backends; the kiosk
//!   opens no session for them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/db.rs"]
mod testdb;

use chrono::{Duration, TimeZone, Utc};
use crossterm::event::KeyCode;
use onewindow::app::auth::Permission;
use onewindow::app::{AppError, Kiosk};
use onewindow::config::Lang;
use onewindow::domain::{SiteSettings, StaffNo, StaffRole, WindowNo};
use onewindow::storage::{DbUrl, OpenOptions, Store};
use onewindow::supervisor::sign_in::{self, Field, Notice, SignIn};
use onewindow::tui::harness::{Harness, Start};
use testdb::{Raw, TestDb};

const BOSS_PIN: &str = "246810";
const CALLER_PIN: &str = "97531";

/// Each table that refers to staff, and the audit log, as `id|…` lines in id order.
const DUMPS: &[&str] = &[
    "SELECT id || '|' || site_id || '|' || code || '|' || name || '|' || role || '|' || \
     COALESCE(pin_hash, '-') || '|' || active FROM staff ORDER BY id",
    "SELECT id || '|' || window_id || '|' || staff_id || '|' || signed_in_at FROM window_sessions \
     ORDER BY id",
    "SELECT id || '|' || case_no || '|' || created_by FROM cases ORDER BY id",
    "SELECT id || '|' || ticket_no || '|' || staff_id FROM tickets ORDER BY id",
    "SELECT id || '|' || case_id || '|' || staff_id || '|' || result FROM followups ORDER BY id",
    "SELECT id || '|' || subject || '|' || acknowledged_by FROM alerts ORDER BY id",
    "SELECT id || '|' || COALESCE(staff_id, 0) || '|' || action FROM audit_log ORDER BY id",
];

/// A database made before migration 0030 (every earlier migration, as a centre upgrading has
/// it), with staff that every kind of row refers to, keeps all of it after the store opens and
/// migrates it; the rebuilt table takes the new role and still enforces its constraints.
#[tokio::test]
async fn migration_0030_keeps_every_staff_row_and_what_refers_to_it() {
    let (_dir, url, pool) = testdb::sqlite_migrated_below(30).await;
    sqlx::raw_sql(
        "PRAGMA foreign_keys = ON;
         INSERT INTO sites (id, code, name) VALUES (1, 'ZZ01', '测试中心');
         INSERT INTO queues (id, site_id, route, prefix) VALUES (1, 1, 'labor_mediation', 'A');
         INSERT INTO windows (id, site_id, number, name) VALUES (1, 1, 1, '一号窗口');
         INSERT INTO staff (id, site_id, code, name, role, pin_hash, active)
         VALUES (3, 1, 'S01', '李主任', 'supervisor', '$argon2id$x', 1),
                (8, 1, '1001', '张敏', 'clerk', NULL, 1),
                (12, 1, '1002', '王芳', 'clerk', '$argon2id$y', 0);
         INSERT INTO window_sessions (id, window_id, staff_id, signed_in_at, last_seen_at)
         VALUES (1, 1, 8, '2026-03-10T01:00:00Z', '2026-03-10T02:00:00Z'),
                (2, 1, 3, '2026-03-11T01:00:00Z', '2026-03-11T01:30:00Z');
         INSERT INTO cases (id, case_no, site_id, local_day, seq, route, flags, priority,
                            applicant_name, applicant_id_masked, applicant_phone_masked,
                            counterparty_name, record, decision, created_at, created_by, window_id)
         VALUES (5, 'ZZ01-20260310-0001', 1, '2026-03-10', 1, 'labor_mediation', '[]', 0, '王丽',
                 '4101**********158X', '138****5678', '郑州云启科技有限公司', '{}', '{}',
                 '2026-03-10T01:10:00Z', 8, 1);
         INSERT INTO tickets (id, ticket_no, queue_id, local_day, seq, case_id, state, priority,
                              issued_at, original_issued_at, window_id, staff_id)
         VALUES (7, 'A001', 1, '2026-03-10', 1, 5, 'serving', 0, '2026-03-10T01:10:00Z',
                 '2026-03-10T01:10:00Z', 1, 8);
         INSERT INTO followups (id, case_id, at, staff_id, result, contact)
         VALUES (1, 5, '2026-03-20T02:00:00Z', 3, '已联系', 'unreachable');
         INSERT INTO alerts (id, site_id, kind, subject, label, case_id, raised_at,
                             acknowledged_at, acknowledged_by)
         VALUES (1, 1, 'x', 'ZZ01-20260310-0001', 'ZZ01-20260310-0001', NULL,
                 '2026-03-10T01:10:00Z', '2026-03-10T03:00:00Z', 3);
         INSERT INTO audit_log (id, at, staff_id, action, details)
         VALUES (1, '2026-03-10T01:00:00Z', 8, 'sign_in', '{}'),
                (2, '2026-03-10T01:10:00Z', 8, 'case_registered', '{}'),
                (3, '2026-03-20T02:00:00Z', 3, 'followup_recorded', '{}');",
    )
    .execute(&pool)
    .await
    .unwrap();
    let raw = Raw::Sqlite(pool);
    let mut was = Vec::new();
    for sql in DUMPS {
        was.push(raw.texts(sql).await);
    }
    raw.close().await;
    assert_eq!(was[0].len(), 3, "{was:?}");
    assert!(
        was.iter().all(|rows| !rows.is_empty()),
        "every table has a row: {was:?}"
    );

    let store = Store::open(&DbUrl::new(url.clone()), OpenOptions::default())
        .await
        .unwrap();
    store.close().await;

    let raw = Raw::open(&DbUrl::new(url)).await;
    for (sql, rows) in DUMPS.iter().zip(&was) {
        assert_eq!(&raw.texts(sql).await, rows, "{sql}");
    }
    let Raw::Sqlite(pool) = &raw else {
        unreachable!()
    };
    let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(pool)
        .await
        .unwrap();
    assert!(dangling.is_empty(), "{dangling:?}");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    // The tables that referred to staff refer to the rebuilt one; nothing names the old copy.
    let refs = raw
        .texts(
            "SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table' AND f.\"table\" = 'staff' ORDER BY m.name",
        )
        .await;
    assert_eq!(
        refs,
        ["alerts", "cases", "followups", "tickets", "window_sessions"]
    );
    assert!(
        raw.texts(
            "SELECT name FROM sqlite_master WHERE sql LIKE '%staff_new%' OR name LIKE '%0030%'"
        )
        .await
        .is_empty()
    );
    // The new role is taken, an unknown one is not, numbers stay unique per site, and a
    // reference to no staff member is refused.
    raw.execute(
        "INSERT INTO staff (site_id, code, name, role) VALUES (1, 'F01', '回访甲', 'follow_up')",
    )
    .await;
    let rejects = [
        "INSERT INTO staff (site_id, code, name, role) VALUES (1, 'X01', '某', 'boss')",
        "INSERT INTO staff (site_id, code, name, role) VALUES (1, 'S01', '某', 'clerk')",
        "INSERT INTO window_sessions (window_id, staff_id, signed_in_at, last_seen_at) \
         VALUES (1, 99, 'x', 'x')",
    ];
    for sql in rejects {
        assert!(
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(pool)
                .await
                .is_err(),
            "{sql}"
        );
    }
    raw.close().await;
}

/// Site ZZ01 with window 1, supervisor S01 and follow-up caller F01, both with PINs.
async fn centre(db: &TestDb) -> onewindow::app::Services {
    let s = db.services("ZZ01").await;
    let now = Utc::now();
    s.save_staff(
        &StaffNo("S01".into()),
        "李主任",
        StaffRole::Supervisor,
        Some(BOSS_PIN.into()),
    )
    .await
    .unwrap();
    s.save_staff(
        &StaffNo("F01".into()),
        "周回访",
        StaffRole::FollowUp,
        Some(CALLER_PIN.into()),
    )
    .await
    .unwrap();
    s.save_window(WindowNo(1), "一号窗口", &[], now - Duration::days(1))
        .await
        .unwrap();
    s
}

/// The access refusals stored for F01: `operation|needs` per row.
async fn refusals(db: &TestDb) -> Vec<String> {
    let raw = Raw::open(&db.url).await;
    let rows = raw
        .texts(
            "SELECT CAST(details AS TEXT) FROM audit_log a JOIN staff s ON s.id = a.staff_id \
             WHERE a.action = 'access_refused' AND s.code = 'F01' ORDER BY a.id",
        )
        .await;
    raw.close().await;
    rows.iter()
        .map(|d| {
            let v: serde_json::Value = serde_json::from_str(d).unwrap();
            assert_eq!(v["staff_no"], "F01", "{d}");
            format!(
                "{}|{}",
                v["operation"].as_str().unwrap(),
                v["needs"].as_str().unwrap()
            )
        })
        .collect()
}

async fn a_follow_up_caller_has_no_screen(db: &TestDb) {
    let s = centre(db).await;
    let at = onewindow::tui::event::now();

    // The kiosk: refused with the reason, no session opened at the window.
    let kiosk = Kiosk::open(s.clone(), WindowNo(1)).await.unwrap();
    let r = kiosk
        .sign_in(StaffNo("F01".into()), CALLER_PIN.into(), at)
        .await;
    assert_eq!(
        r,
        Err(AppError::NoScreen {
            role: StaffRole::FollowUp
        })
    );
    let raw = Raw::open(&db.url).await;
    let sessions = raw
        .texts("SELECT CAST(id AS TEXT) FROM window_sessions")
        .await;
    raw.close().await;
    assert!(sessions.is_empty(), "{sessions:?}");
    // A wrong PIN is still a wrong PIN: the role is told only to whoever knows the PIN.
    let r = kiosk
        .sign_in(StaffNo("F01".into()), "000000".into(), at)
        .await;
    assert!(matches!(r, Err(AppError::BadCredentials { .. })), "{r:?}");

    // The dashboard's sign-in screen says why, in either language.
    let mut screen = SignIn::new(Some("F01"));
    for c in CALLER_PIN.chars() {
        screen.update(sign_in::Action::Key(KeyCode::Char(c).into()));
    }
    let sign_in::Step::Check { staff, pin } =
        screen.update(sign_in::Action::Key(KeyCode::Enter.into()))
    else {
        panic!("Enter checks: {screen:?}");
    };
    let r = sign_in::check(&s, staff, pin, at).await;
    screen.update(sign_in::Action::Checked(r));
    assert_eq!(
        screen.notice,
        Some((Field::Pin, Notice::NoScreen(StaffRole::FollowUp)))
    );
    let text = |lang| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        let done = t
            .draw(|f| sign_in::draw(f, &screen, lang, "测试中心"))
            .unwrap();
        onewindow::supervisor::buffer_text(done.buffer)
    };
    let zh = text(Lang::Zh);
    assert!(zh.contains("回访员不能登录值班负责人看板"), "{zh}");
    let en = text(Lang::En);
    assert!(en.contains("A follow-up caller does not sign in"), "{en}");

    // The supervisor still signs in at both.
    kiosk
        .sign_in(StaffNo("S01".into()), BOSS_PIN.into(), at)
        .await
        .unwrap();
    s.sign_in(
        &StaffNo("S01".into()),
        BOSS_PIN.into(),
        None,
        Permission::Dashboard,
        at,
    )
    .await
    .unwrap();

    assert_eq!(
        refusals(db).await,
        ["kiosk sign-in|work_queue", "supervisor sign-in|dashboard"]
    );
    s.close().await;
}
both_backends!(a_follow_up_caller_has_no_screen);

/// The kiosk's own sign-in screen, driven by keys over the real services: the follow-up
/// caller's refusal is shown in the window's language.
#[test]
fn the_kiosk_tells_a_follow_up_caller_why() {
    for (lang, says) in [
        (Lang::Zh, "回访员不在窗口登录"),
        (Lang::En, "A follow-up caller does not sign in at a window"),
    ] {
        let now = onewindow::domain::china_time()
            .with_ymd_and_hms(2026, 3, 10, 9, 0, 0)
            .unwrap();
        let site = SiteSettings {
            code: "ZZ01".into(),
            name: "测试中心".into(),
            ..SiteSettings::default()
        };
        let mut h = Harness::new(lang, 100, 30, site, Start::Staffed, now);
        h.block_on(h.services().save_staff(
            &StaffNo("F01".into()),
            "周回访",
            StaffRole::FollowUp,
            Some(CALLER_PIN.into()),
        ))
        .unwrap();
        h.type_text("F01");
        h.press(KeyCode::Enter);
        h.type_text(CALLER_PIN);
        h.press(KeyCode::Enter);
        let screen = h.render();
        assert!(screen.contains(says), "{screen}");
        assert!(h.app.staff.is_none(), "nobody is signed in");
    }
}
