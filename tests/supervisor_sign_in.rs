//! The supervisor's sign-in screen (`onewindow supervisor`): what it looks like (snapshots at
//! 80×24 in Chinese and English), what each failure says at the field, on a real store on both
//! backends (wrong PIN with attempts left, locked until HH:MM, a clerk's right PIN, the database
//! gone, an unknown number), the success that leads into the dashboard, and that signing in never
//! takes a window's paper. Last, the real binary in tmux, signed in with the keyboard.
//!
//! The tmux test needs tmux: locally without it it says so loudly and returns; under `CI=true` a
//! missing tmux fails it (`.ci/run` installs it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[path = "common/db.rs"]
mod testdb;
use support::tmux::{Pane, tmux_available};

use chrono::{FixedOffset, TimeZone};
use crossterm::event::{KeyCode, KeyEvent};
use onewindow::app::AppError as BackendError;
use onewindow::app::Services;
use onewindow::config::Lang;
use onewindow::domain::SiteSettings;
use onewindow::domain::{StaffNo, StaffRole as Role};
use onewindow::print::document::{Block, DocKind, Document, Style};
use onewindow::storage::*;
use onewindow::supervisor::live::SupervisorSettings;
use onewindow::supervisor::sign_in::{self, Action, Field, Notice, SignIn, Step};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;
use testdb::TestDb;
use tokio::sync::mpsc;

const BOSS_PIN: &str = "246810";
const CLERK_PIN: &str = "135790";
const SITE_NAME: &str = "测试调解中心";

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn type_text(state: &mut SignIn, text: &str) {
    for c in text.chars() {
        assert_eq!(state.update(key(KeyCode::Char(c))), Step::Stay);
    }
}

fn render(state: &SignIn, lang: Lang) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let done = terminal
        .draw(|f| sign_in::draw(f, state, lang, SITE_NAME))
        .unwrap();
    onewindow::supervisor::buffer_text(done.buffer)
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// 14:05 on a fixed day, China time: what a lock-out reads in the snapshots.
fn five_past_two() -> chrono::DateTime<FixedOffset> {
    onewindow::domain::china_time()
        .with_ymd_and_hms(2026, 3, 10, 14, 5, 0)
        .unwrap()
}

// ------------------------------------------------------------------------- what it looks like

#[test]
fn snapshots_80x24() {
    for lang in [Lang::Zh, Lang::En] {
        let l = lang_code(lang);
        insta::assert_snapshot!(format!("empty_{l}"), render(&SignIn::new(None), lang));

        let mut typing = SignIn::new(Some("S01"));
        type_text(&mut typing, "2468");
        insta::assert_snapshot!(format!("pin_typed_{l}"), render(&typing, lang));

        let mut checking = SignIn::new(Some("S01"));
        type_text(&mut checking, BOSS_PIN);
        assert!(matches!(
            checking.update(key(KeyCode::Enter)),
            Step::Check { .. }
        ));
        insta::assert_snapshot!(format!("checking_{l}"), render(&checking, lang));

        let mut wrong = checking.clone();
        wrong.update(Action::Checked(Err(BackendError::BadCredentials {
            attempts_left: 4,
        })));
        insta::assert_snapshot!(format!("wrong_pin_{l}"), render(&wrong, lang));

        let mut locked = checking.clone();
        locked.update(Action::Checked(Err(BackendError::LockedOut {
            until: five_past_two(),
        })));
        insta::assert_snapshot!(format!("locked_{l}"), render(&locked, lang));
    }
}

#[test]
fn the_staff_number_given_on_the_command_line_is_filled_in_and_the_pin_focused() {
    let s = SignIn::new(Some("S01"));
    assert_eq!(s.staff_no.text(), "S01");
    assert_eq!(s.focus, Field::Pin);
    assert_eq!(SignIn::new(None).focus, Field::StaffNo);
    assert_eq!(SignIn::new(Some("  ")).focus, Field::StaffNo);
}

#[test]
fn tab_and_enter_move_between_fields_and_empty_fields_are_asked_for() {
    let mut s = SignIn::new(None);
    assert_eq!(s.update(key(KeyCode::Enter)), Step::Stay);
    assert_eq!(s.notice, Some((Field::StaffNo, Notice::StaffNoMissing)));
    assert!(render(&s, Lang::Zh).contains("✗ 请输入工号"));
    type_text(&mut s, "S01");
    assert_eq!(s.update(key(KeyCode::Enter)), Step::Stay, "Enter moves on");
    assert_eq!(s.focus, Field::Pin);
    assert_eq!(s.update(key(KeyCode::Enter)), Step::Stay);
    assert_eq!(s.notice, Some((Field::Pin, Notice::PinMissing)));
    s.update(key(KeyCode::Tab));
    assert_eq!(s.focus, Field::StaffNo);
    s.update(key(KeyCode::Tab));
    type_text(&mut s, "2468");
    let screen = render(&s, Lang::En);
    assert!(
        screen.contains("••••") && !screen.contains("2468"),
        "{screen}"
    );
    s.update(key(KeyCode::Backspace));
    assert_eq!(s.pin.text(), "246");
    match s.update(key(KeyCode::Enter)) {
        Step::Check { staff, pin } => assert_eq!((staff.0.as_str(), pin.as_str()), ("S01", "246")),
        other => panic!("expected a check, got {other:?}"),
    }
    assert!(s.checking);
    assert_eq!(
        s.update(key(KeyCode::Enter)),
        Step::Stay,
        "one check at a time"
    );
    assert_eq!(s.update(key(KeyCode::Esc)), Step::Quit, "Esc always quits");
}

// ------------------------------------------------------------------ on a real store

struct Seeded {
    site: SiteInfo,
    boss: StaffId,
}

async fn seed(db: &TestDb) -> Seeded {
    let s = &db.store;
    let site = s
        .ensure_site(
            &SiteSettings {
                code: "TEST".into(),
                name: SITE_NAME.into(),
                ..SiteSettings::default()
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let boss = s
        .upsert_staff(site.id, "S01", "赵主任", StaffRole::Supervisor)
        .await
        .unwrap();
    let clerk = s
        .upsert_staff(site.id, "C07", "王小明", StaffRole::Clerk)
        .await
        .unwrap();
    for (id, pin) in [(boss, BOSS_PIN), (clerk, CLERK_PIN)] {
        let hash = onewindow::app::pin::hash(pin).unwrap();
        s.set_pin_hash(id, &hash).await.unwrap();
    }
    Seeded { site, boss }
}

/// Types the PIN and Enter, runs the check the screen asks for (as its loop would, in a task) and
/// reports the result back: the step that follows.
async fn attempt(state: &mut SignIn, services: &Services, pin: &str) -> Step {
    type_text(state, pin);
    let Step::Check { staff, pin } = state.update(key(KeyCode::Enter)) else {
        panic!("Enter with both fields filled checks: {state:?}");
    };
    assert!(state.checking);
    let services = services.clone();
    let r = tokio::spawn(async move {
        sign_in::check(&services, staff, pin, onewindow::tui::event::now()).await
    })
    .await
    .unwrap();
    let step = state.update(Action::Checked(r));
    assert!(!state.checking);
    step
}

/// The `sign_in` audit entries of a staff member, as stored (`details` as JSON text).
async fn sign_in_audits(db: &TestDb, staff: StaffId) -> Vec<String> {
    const SQL: &str = "SELECT CAST(details AS TEXT) FROM audit_log \
                       WHERE action = 'sign_in' AND staff_id = $1 ORDER BY id";
    let url = db.url.expose();
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let rows = sqlx::query_scalar(SQL)
            .bind(staff.0)
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        rows
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let rows = sqlx::query_scalar(SQL)
            .bind(staff.0)
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        rows
    }
}

async fn a_wrong_pin_says_how_many_attempts_are_left(db: &TestDb) {
    seed(db).await;
    let mut s = SignIn::new(Some("S01"));
    let step = attempt(&mut s, &db.services("TEST").await, "000000").await;
    assert_eq!(step, Step::Stay);
    assert_eq!(
        s.notice,
        Some((Field::Pin, Notice::WrongPin { attempts_left: 4 }))
    );
    assert!(s.pin.is_empty(), "the wrong PIN is cleared");
    assert_eq!(s.focus, Field::Pin);
    let screen = render(&s, Lang::Zh);
    assert!(
        screen.contains("✗ 工号或密码错误，还可尝试 4 次"),
        "{screen}"
    );
    assert!(
        render(&s, Lang::En).contains("✗ Wrong staff number or PIN; 4 attempts left"),
        "English"
    );
    attempt(&mut s, &db.services("TEST").await, "111111").await;
    assert_eq!(
        s.notice,
        Some((Field::Pin, Notice::WrongPin { attempts_left: 3 }))
    );
}
both_backends!(a_wrong_pin_says_how_many_attempts_are_left);

async fn an_unknown_number_fails_like_a_wrong_pin(db: &TestDb) {
    seed(db).await;
    let mut s = SignIn::new(Some("X99"));
    attempt(&mut s, &db.services("TEST").await, BOSS_PIN).await;
    // Counted like a known number's first wrong PIN: the count cannot tell them apart.
    assert_eq!(
        s.notice,
        Some((Field::Pin, Notice::WrongPin { attempts_left: 4 }))
    );
}
both_backends!(an_unknown_number_fails_like_a_wrong_pin);

async fn five_wrong_pins_lock_the_number_until_a_time_shown(db: &TestDb) {
    let seeded = seed(db).await;
    let mut s = SignIn::new(Some("S01"));
    for _ in 0..4 {
        attempt(&mut s, &db.services("TEST").await, "000000").await;
    }
    let before = onewindow::tui::event::now();
    attempt(&mut s, &db.services("TEST").await, "000000").await;
    let Some((Field::Pin, Notice::LockedUntil(until))) = s.notice.clone() else {
        panic!("locked after five failures: {:?}", s.notice);
    };
    let minutes = (until - before).num_minutes();
    assert!((14..=15).contains(&minutes), "locked for {minutes} min");
    let hh_mm = until.format("%H:%M").to_string();
    let screen = render(&s, Lang::Zh);
    assert!(
        screen.contains(&format!("✗ 尝试次数过多，已锁定至 {hh_mm}")),
        "{screen}"
    );
    assert!(render(&s, Lang::En).contains(&format!("locked until {hh_mm}")));
    // The right PIN does not open a locked number.
    attempt(&mut s, &db.services("TEST").await, BOSS_PIN).await;
    assert!(
        matches!(s.notice, Some((Field::Pin, Notice::LockedUntil(_)))),
        "{:?}",
        s.notice
    );
    assert!(sign_in_audits(db, seeded.boss).await.is_empty());
}
both_backends!(five_wrong_pins_lock_the_number_until_a_time_shown);

async fn a_clerks_right_pin_is_refused_like_a_wrong_one(db: &TestDb) {
    seed(db).await;
    let services = db.services("TEST").await;
    let mut right = SignIn::new(Some("C07"));
    let step = attempt(&mut right, &services, CLERK_PIN).await;
    assert_eq!(step, Step::Stay);
    let mut wrong = SignIn::new(Some("C07"));
    attempt(&mut wrong, &services, "000000").await;
    // The same answer, one attempt further: the screen never confirms a clerk's PIN.
    assert_eq!(
        right.notice,
        Some((Field::Pin, Notice::WrongPin { attempts_left: 4 }))
    );
    assert_eq!(
        wrong.notice,
        Some((Field::Pin, Notice::WrongPin { attempts_left: 3 }))
    );
    assert!(right.pin.is_empty());
}
both_backends!(a_clerks_right_pin_is_refused_like_a_wrong_one);

async fn a_database_that_is_gone_says_so_and_keeps_the_pin(db: &TestDb) {
    seed(db).await;
    let gone = db.another_connection().await;
    let gone_services = db.services_on(gone.clone(), "TEST").await;
    gone.close().await;
    let mut s = SignIn::new(Some("S01"));
    let step = attempt(&mut s, &gone_services, BOSS_PIN).await;
    assert_eq!(step, Step::Stay);
    assert_eq!(s.notice, Some((Field::Pin, Notice::Unavailable)));
    assert_eq!(s.pin.text(), BOSS_PIN, "Enter tries again as it is");
    let screen = render(&s, Lang::Zh);
    assert!(screen.contains("✗ 数据库暂不可用，请稍后再试"), "{screen}");
    assert!(render(&s, Lang::En).contains("✗ Database unavailable; try again shortly"));
    // Back on a working connection the same Enter signs in.
    let Step::Check { staff, pin } = s.update(key(KeyCode::Enter)) else {
        panic!("Enter retries");
    };
    let r = sign_in::check(
        &db.services("TEST").await,
        staff,
        pin,
        onewindow::tui::event::now(),
    )
    .await;
    assert!(matches!(s.update(Action::Checked(r)), Step::SignedIn(_)));
}
both_backends!(a_database_that_is_gone_says_so_and_keeps_the_pin);

async fn a_supervisor_signs_in_audited_without_a_window(db: &TestDb) {
    let seeded = seed(db).await;
    // A failure first: success clears the count.
    let mut s = SignIn::new(Some("S01"));
    attempt(&mut s, &db.services("TEST").await, "000000").await;
    let Step::SignedIn(who) = attempt(&mut s, &db.services("TEST").await, BOSS_PIN).await else {
        panic!("the supervisor is in: {:?}", s.notice);
    };
    assert_eq!(who.id, seeded.boss);
    assert_eq!(who.staff.number, StaffNo("S01".into()));
    assert_eq!(who.staff.role, Role::Supervisor);
    assert!(s.done && s.notice.is_none() && s.pin.is_empty());
    assert!(render(&s, Lang::Zh).contains("已登录，正在打开看板"));
    let audits = sign_in_audits(db, seeded.boss).await;
    assert_eq!(audits.len(), 1, "{audits:?}");
    let details: serde_json::Value = serde_json::from_str(&audits[0]).unwrap();
    assert_eq!(details["window"], serde_json::Value::Null, "{details}");
    let tried = db.store.sign_in_attempts(seeded.site.id, "S01").await;
    assert_eq!(tried.unwrap().attempts, 0);
}
both_backends!(a_supervisor_signs_in_audited_without_a_window);

// ------------------------------------------------------------- the loop, into the dashboard

/// A print job due now, as a window's intake leaves it for its kiosk's print runner.
async fn pending_job(store: &Store) -> PrintJobId {
    let doc = Document {
        kind: DocKind::Ticket,
        blocks: vec![Block::Text {
            text: "T001".into(),
            style: Style::default(),
        }],
    };
    store
        .enqueue_print_job(NewPrintJobFor {
            case: None,
            ticket: None,
            // Queued at no window: any print runner would take it.
            window: None,
            kind: PrintKind::Ticket,
            payload: doc.to_json(),
            at: chrono::Utc::now() - chrono::TimeDelta::seconds(5),
        })
        .await
        .unwrap()
}

async fn job_state(store: &Store, id: PrintJobId) -> PrintState {
    let jobs = store
        .list_print_jobs(PrintJobFilter {
            id: Some(id),
            ..PrintJobFilter::default()
        })
        .await
        .unwrap();
    jobs[0].state
}

async fn frame_with(frames: &mut mpsc::UnboundedReceiver<String>, needle: &str) -> String {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), frames.recv())
            .await
            .unwrap_or_else(|_| panic!("no frame with {needle:?} within 10 s"))
            .expect("screen loop stopped");
        if frame.contains(needle) {
            return frame;
        }
    }
}

async fn keys_sign_in_then_the_dashboard_and_no_paper_is_taken(db: &TestDb) {
    seed(db).await;
    let job = pending_job(&db.store).await;
    let (key_tx, keys) = mpsc::unbounded_channel();
    let (frame_tx, mut frames) = mpsc::unbounded_channel();
    let services = db.services("TEST").await;
    let session = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        sign_in::run(
            &mut terminal,
            &services,
            Lang::Zh,
            &SupervisorSettings::default(),
            None,
            keys,
            Some(frame_tx),
        )
        .await
    });
    let send = |code: KeyCode| key_tx.send(KeyEvent::from(code)).unwrap();
    let type_keys = |text: &str| text.chars().for_each(|c| send(KeyCode::Char(c)));
    frame_with(&mut frames, "值班负责人登录").await;
    type_keys("S01");
    send(KeyCode::Tab);
    type_keys("000000");
    send(KeyCode::Enter);
    // The screen answers while Argon2 runs, then says what went wrong at the field.
    frame_with(&mut frames, "正在核验").await;
    frame_with(&mut frames, "还可尝试 4 次").await;
    type_keys(BOSS_PIN);
    send(KeyCode::Enter);
    let dashboard = frame_with(&mut frames, "值班负责人看板").await;
    assert!(!dashboard.contains("值班负责人登录"), "{dashboard}");
    // Keys now reach the dashboard, acting as the supervisor who signed in.
    send(KeyCode::Char('m'));
    frame_with(&mut frames, "移动排队号").await;
    send(KeyCode::Esc);
    send(KeyCode::Esc);
    tokio::time::timeout(Duration::from_secs(10), session)
        .await
        .expect("Esc leaves")
        .unwrap()
        .unwrap();
    assert_eq!(job_state(&db.store, job).await, PrintState::Pending);
}
both_backends!(keys_sign_in_then_the_dashboard_and_no_paper_is_taken);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_on_the_sign_in_screen_leaves_without_the_dashboard() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let (key_tx, keys) = mpsc::unbounded_channel();
    let (frame_tx, mut frames) = mpsc::unbounded_channel();
    key_tx.send(KeyEvent::from(KeyCode::Esc)).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    sign_in::run(
        &mut terminal,
        &db.services("TEST").await,
        Lang::En,
        &SupervisorSettings::default(),
        Some("S01"),
        keys,
        Some(frame_tx),
    )
    .await
    .unwrap();
    let mut last = String::new();
    while let Ok(f) = frames.try_recv() {
        last = f;
    }
    assert!(last.contains("Supervisor sign-in"), "{last}");
    db.store.close().await;
}

// ------------------------------------------------------------------- the real binary, in tmux

fn onewindow(dir: &std::path::Path, env: &[(String, String)], args: &[&str], stdin: &str) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_onewindow"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().cloned())
        .env_remove("ONEWINDOW_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("onewindow runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("onewindow finishes");
    assert!(
        out.status.success(),
        "onewindow {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_signs_a_supervisor_in_with_the_keyboard_and_leaves_the_paper_alone() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let spool = dir.path().join("spool");
    let db_url = format!("sqlite://{}", dir.path().join("ow.db").display());
    let env: Vec<(String, String)> = [
        ("ONEWINDOW_DB", db_url.as_str()),
        ("ONEWINDOW_SITE_CODE", "ZZ01"),
        ("ONEWINDOW_SITE_NAME", "金水区劳动人事争议调解中心"),
        ("ONEWINDOW_SITE_MINIMUM_WAGE_MONTHLY", "2420"),
        ("ONEWINDOW_PRINTER", &format!("spool:{}", spool.display())),
        (
            "ONEWINDOW_LOG_FILE",
            &dir.path().join("ow.log").display().to_string(),
        ),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    onewindow(
        dir.path(),
        &env,
        &[
            "db",
            "staff",
            "S01",
            "赵主任",
            "--role",
            "supervisor",
            "--set-pin",
            "--pin-stdin",
        ],
        &format!("{BOSS_PIN}\n"),
    );
    // A window's paper waits in the shared spool, due now.
    let store = Store::open(&DbUrl::new(db_url.clone()), OpenOptions::default())
        .await
        .unwrap();
    let job = pending_job(&store).await;

    let session = format!("ow_supervisor_sign_in_{}", std::process::id());
    let p = Pane::run_and_hold(
        &session,
        dir.path(),
        &env,
        &["supervisor"],
        "值班负责人登录",
    );
    let s = p.screen();
    assert!(s.contains("工号") && s.contains("密码"), "{s}");
    p.keys(&["S01", "Tab", "999999", "Enter"]);
    p.wait_for("还可尝试 4 次");
    p.keys(&[BOSS_PIN]);
    let s = p.wait_for("••••••");
    assert!(!s.contains(BOSS_PIN), "the PIN is never shown:\n{s}");
    p.keys(&["Enter"]);
    p.wait_for("值班负责人看板");
    // Long enough for a print runner's first pass, had one been started.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(job_state(&store, job).await, PrintState::Pending);
    assert!(
        std::fs::read_dir(&spool).map_or(true, |d| d.count() == 0),
        "nothing was printed to the spool folder"
    );
    p.keys(&["Escape"]);
    // The binary ends and gives the screen back.
    p.wait_until_gone("值班负责人看板");
    assert_eq!(job_state(&store, job).await, PrintState::Pending);
    store.close().await;
}
