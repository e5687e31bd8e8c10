//! The dashboard and the hall display, live over storage on both backends: a call made on another
//! connection, and one made by another `onewindow` process, reaches each screen within a second;
//! the display speaks each call once through the configured command, and the dashboard shows
//! seeded figures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/db.rs"]
mod testdb;

use chrono::Utc;
use onewindow::app::Acting;
use onewindow::app::supervision::TodayTickets;
use onewindow::config::Lang;
use onewindow::domain::{Decision, Outcome, Route, SiteSettings, Status};
use onewindow::storage::*;
use onewindow::supervisor::dashboard::Snapshot;
use onewindow::supervisor::live::{self, SupervisorSettings};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use testdb::TestDb;
use tokio::sync::mpsc;

struct Site {
    info: SiteInfo,
    window: WindowId,
    clerk: StaffId,
}

async fn site(db: &TestDb) -> Site {
    let s = &db.store;
    let info = s
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
    let window = s
        .upsert_window(
            info.id,
            3,
            "三号窗口",
            &[Route::LaborMediation],
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let clerk = s
        .upsert_staff(info.id, "C07", "王小明", StaffRole::Clerk)
        .await
        .unwrap();
    let hash = onewindow::app::pin::hash(CLERK_PIN).unwrap();
    s.set_pin_hash(clerk, &hash).await.unwrap();
    Site {
        info,
        window,
        clerk,
    }
}

async fn intake(db: &TestDb, site: &Site, name: &str) -> IntakeReceipt {
    let record = serde_json::from_value(serde_json::json!({
        "applicant": { "name": name, "id_number": "11010519491231002X", "phone": "13812345678" },
        "counterparty": { "name": "某某建筑有限公司" },
        "dispute": { "categories": ["LD04"] },
    }))
    .unwrap();
    let decision = Decision {
        status: Status::Routed,
        errors: vec![],
        warnings: vec![],
        route: Some(Route::LaborMediation),
        referral_to: None,
        also: vec![],
        flags: vec![onewindow::domain::Flag::Collective],
        deadlines: BTreeMap::new(),
        reasons: vec![],
        queue: Some(
            site.info
                .queue(Route::LaborMediation)
                .unwrap()
                .prefix
                .clone(),
        ),
    };
    db.store
        .commit_intake(IntakeCommit::with_jobs(
            site.info.id,
            &record,
            &decision,
            Actor::at(None, chrono::Utc::now()),
            None,
            vec![],
        ))
        .await
        .unwrap()
}

const CLERK_PIN: &str = "135790";

/// A clerk's `onewindow queue call` at window 3, run as its own process on the test database;
/// the clerk is signed in at window 3 (a clerk calls at their own window only).
async fn call_by_another_process(db: &TestDb, site: &Site) {
    db.store
        .open_session(site.window, site.clerk, chrono::Utc::now())
        .await
        .unwrap();
    let work = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_onewindow"))
        .current_dir(work.path())
        .args(["--db", db.url.expose(), "--set", "site.code=TEST"])
        .args([
            "queue",
            "call",
            "--window",
            "3",
            "--staff",
            "C07",
            "--pin-stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut pin = child.stdin.take().unwrap();
        pin.write_all(format!("{CLERK_PIN}\n").as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "queue call: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Waits for a frame containing `needle`; the time it took.
async fn frame_with(
    frames: &mut mpsc::UnboundedReceiver<String>,
    needle: &str,
) -> (Duration, String) {
    let start = Instant::now();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(3), frames.recv())
            .await
            .unwrap_or_else(|_| panic!("no frame with {needle:?} within 3 s"))
            .expect("screen loop stopped");
        if frame.contains(needle) {
            return (start.elapsed(), frame);
        }
    }
}

/// What the voice must say for `ticket` at window 3: each character on its own, digits as
/// Chinese digits (a number printed on the ticket, not a quantity).
fn said(ticket: &str) -> String {
    let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let each: Vec<String> = ticket
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => digits[d as usize].to_string(),
            None => c.to_string(),
        })
        .collect();
    format!("请 {} 号，到 3 号窗口|", each.join(" "))
}

/// Waits until the voice command has written exactly `want`.
async fn wait_spoken(file: &std::path::Path, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let got = std::fs::read_to_string(file).unwrap_or_default();
        if got == want {
            return;
        }
        assert!(Instant::now() < deadline, "spoken {got:?}, want {want:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn display_shows_and_speaks_a_call_from_another_connection(db: &TestDb) {
    let site = site(db).await;
    let receipt = intake(db, &site, "张三").await;
    let ticket_no = receipt.ticket.unwrap().ticket_no.to_string();
    let dir = tempfile::tempdir().unwrap();
    let spoken = dir.path().join("spoken.txt");
    let settings = SupervisorSettings {
        // The announcement arrives as $1: one argument, no shell parsing of it.
        voice_command: vec![
            "sh".into(),
            "-c".into(),
            format!("printf '%s|' \"$1\" >> '{}'", spoken.display()),
            "sh".into(),
        ],
        ..SupervisorSettings::default()
    };
    let (key_tx, keys) = mpsc::unbounded_channel();
    let (frame_tx, mut frames) = mpsc::unbounded_channel();
    let services = db.services("TEST").await;
    let board = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        live::run_board(
            &mut terminal,
            &services,
            Lang::Zh,
            &settings,
            keys,
            Some(frame_tx),
        )
        .await
    });
    let (_, first) = frame_with(&mut frames, "测试调解中心").await;
    assert!(!first.contains("号窗口"), "not called yet:\n{first}");

    let other = db.another_connection().await;
    let called = other
        .call_next(site.window, Actor::at(Some(site.clerk), chrono::Utc::now()))
        .await
        .unwrap()
        .expect("a ticket to call");
    assert_eq!(called.ticket_no.to_string(), ticket_no);
    let (took, frame) = frame_with(&mut frames, "3号窗口").await;
    assert!(
        took < Duration::from_secs(1),
        "the call took {took:?} to reach the display"
    );
    assert!(frame.contains(&ticket_no), "{frame}");
    assert!(
        !frame.contains("张三") && !frame.contains("13812345678"),
        "no personal data:\n{frame}"
    );

    // Spoken once, as one argument, the number character by character.
    let want = said(&ticket_no);
    wait_spoken(&spoken, &want).await;

    // A recall is spoken again.
    other
        .recall(called.id, Actor::at(Some(site.clerk), chrono::Utc::now()))
        .await
        .unwrap();
    let want = format!("{want}{}", said(&ticket_no));
    wait_spoken(&spoken, &want).await;

    // A call made by another process: shown within a second and spoken. A window holds one
    // ticket at a time, so the first is served and finished there first.
    other
        .start(called.id, Actor::at(Some(site.clerk), chrono::Utc::now()))
        .await
        .unwrap();
    other
        .finish(
            called.id,
            Outcome::Advised,
            Actor::at(Some(site.clerk), chrono::Utc::now()),
        )
        .await
        .unwrap();
    let second = intake(db, &site, "李四")
        .await
        .ticket
        .unwrap()
        .ticket_no
        .to_string();
    call_by_another_process(db, &site).await;
    let (took, frame) = frame_with(&mut frames, &second).await;
    assert!(
        took < Duration::from_secs(1),
        "shown {took:?} after the process ended"
    );
    assert!(frame.contains("3号窗口"), "{frame}");
    let want = format!("{want}{}", said(&second));
    wait_spoken(&spoken, &want).await;
    key_tx
        .send(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char('q'),
        ))
        .unwrap();
    board.await.unwrap().unwrap();
    other.close().await;
}
both_backends!(display_shows_and_speaks_a_call_from_another_connection);

fn announce(text: &str, age_secs: i64) -> live::Announcement {
    live::Announcement {
        text: text.into(),
        called_at: Utc::now() - chrono::TimeDelta::seconds(age_secs),
    }
}

#[tokio::test]
async fn a_hanging_voice_command_is_stopped_and_does_not_block() {
    let voice = live::spawn_voice(
        vec!["sleep".into(), "30".into()],
        Duration::from_millis(200),
        Duration::from_secs(60),
    )
    .expect("a command");
    let start = Instant::now();
    voice.send(announce("请T001号到1号窗口", 0)).unwrap();
    voice.send(announce("请T002号到1号窗口", 0)).unwrap();
    assert!(
        start.elapsed() < Duration::from_millis(50),
        "sending never waits"
    );
    assert!(live::spawn_voice(vec![], Duration::from_secs(1), Duration::from_secs(1)).is_none());
}

#[tokio::test]
async fn calls_older_than_the_set_age_are_not_spoken() {
    let dir = tempfile::tempdir().unwrap();
    let spoken = dir.path().join("spoken.txt");
    let voice = live::spawn_voice(
        vec![
            "sh".into(),
            "-c".into(),
            format!("printf '%s|' \"$1\" >> '{}'", spoken.display()),
            "sh".into(),
        ],
        Duration::from_secs(5),
        Duration::from_secs(60),
    )
    .expect("a command");
    voice.send(announce("old", 61)).unwrap();
    voice.send(announce("fresh", 1)).unwrap();
    wait_spoken(&spoken, "fresh|").await;
}

#[test]
fn reloads_are_spaced_at_most_four_a_second() {
    let t0 = tokio::time::Instant::now();
    assert_eq!(live::next_reload(t0, t0), t0 + Duration::from_millis(250));
    let later = t0 + Duration::from_secs(2);
    assert_eq!(live::next_reload(t0, later), later);
}

async fn dashboard_shows_a_call_from_another_connection(db: &TestDb) {
    let site = site(db).await;
    let first = intake(db, &site, "张三").await;
    intake(db, &site, "李四").await;
    let ticket_no = first.ticket.unwrap().ticket_no.to_string();
    let (key_tx, keys) = mpsc::unbounded_channel();
    let (frame_tx, mut frames) = mpsc::unbounded_channel();
    let services = db.services("TEST").await;
    let dash = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        onewindow::supervisor::console::run_dashboard(
            &mut terminal,
            &services,
            Lang::Zh,
            &SupervisorSettings::default(),
            Acting::default(),
            keys,
            Some(frame_tx),
        )
        .await
    });
    // Two waiting, both collective: alerts for each case, highlighted.
    let (_, frame) = frame_with(&mut frames, "集体").await;
    assert!(
        !frame.contains("张三"),
        "no names on the dashboard:\n{frame}"
    );
    assert!(
        frame.contains("回访待办 0"),
        "follow-ups due shown:\n{frame}"
    );
    let other = db.another_connection().await;
    let called = other
        .call_next(site.window, Actor::at(Some(site.clerk), chrono::Utc::now()))
        .await
        .unwrap()
        .unwrap();
    let (took, frame) = frame_with(&mut frames, &ticket_no).await;
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert!(frame.contains("C07"), "window 3 staffed by C07:\n{frame}");

    // And from another process: a clerk's `onewindow queue call` at window 3.
    let second = ticket_no.replace("001", "002");
    assert!(
        !frame.contains(&second),
        "not on screen before it is called:\n{frame}"
    );
    // A window holds one ticket at a time: the first did not come.
    other
        .no_show(called.id, Actor::at(Some(site.clerk), chrono::Utc::now()))
        .await
        .unwrap();
    call_by_another_process(db, &site).await;
    let (took, _) = frame_with(&mut frames, &second).await;
    assert!(
        took < Duration::from_secs(1),
        "shown {took:?} after the process ended"
    );
    key_tx
        .send(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Esc,
        ))
        .unwrap();
    dash.await.unwrap().unwrap();
    other.close().await;
    let _ = Utc::now();
}
both_backends!(dashboard_shows_a_call_from_another_connection);

fn key(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c))
}

fn type_line(tx: &mpsc::UnboundedSender<crossterm::event::KeyEvent>, text: &str) {
    for c in text.chars() {
        tx.send(key(c)).unwrap();
    }
    tx.send(crossterm::event::KeyEvent::from(
        crossterm::event::KeyCode::Enter,
    ))
    .unwrap();
}

async fn supervisor_keys_acknowledge_move_and_reassign(db: &TestDb) {
    let site = site(db).await;
    let boss = db
        .store
        .upsert_staff(site.info.id, "S01", "赵主任", StaffRole::Supervisor)
        .await
        .unwrap();
    let receipt = intake(db, &site, "张三").await;
    let ticket_no = receipt.ticket.unwrap().ticket_no.to_string();
    let (key_tx, keys) = mpsc::unbounded_channel();
    let (frame_tx, mut frames) = mpsc::unbounded_channel();
    let services = db.services("TEST").await;
    let dash = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        onewindow::supervisor::console::run_dashboard(
            &mut terminal,
            &services,
            Lang::Zh,
            &SupervisorSettings::default(),
            Acting {
                staff: Some((boss, onewindow::domain::StaffNo("S01".into()))),
                window: None,
            },
            keys,
            Some(frame_tx),
        )
        .await
    });
    frame_with(&mut frames, "集体争议").await;

    // A and a note: the collective case's alert is acknowledged, in the audit log, and leaves
    // the list for the history (H).
    key_tx.send(key('a')).unwrap();
    frame_with(&mut frames, "请写明处理情况").await;
    type_line(&key_tx, "已联系劳动监察");
    frame_with(&mut frames, "已确认").await;
    let acked = db
        .store
        .acknowledged_since(Utc::now() - chrono::TimeDelta::hours(1))
        .await
        .unwrap();
    assert_eq!(acked, vec![receipt.case_no.to_string()]);
    let history = db.store.alert_history(site.info.id, 10).await.unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0].note.as_deref(), Some("已联系劳动监察"));
    assert_eq!(history[0].acknowledged_by, Some(boss));
    key_tx.send(key('h')).unwrap();
    let (_, frame) = frame_with(&mut frames, "已确认的提醒").await;
    assert!(
        frame.contains("已联系劳动监察") && frame.contains("S01"),
        "{frame}"
    );
    key_tx.send(key(' ')).unwrap();
    let (_, frame) = frame_with(&mut frames, "需处理事项 (0)").await;
    assert!(!frame.contains("集体争议"), "gone from the list:\n{frame}");

    // M: the ticket moves to the arbitration queue (storage audits the transfer).
    let z = site.info.queue(Route::Arbitration).unwrap().clone();
    key_tx.send(key('m')).unwrap();
    type_line(&key_tx, &format!("{ticket_no} {}", z.prefix));
    frame_with(&mut frames, &format!("✓ {ticket_no} →")).await;
    let day = onewindow::domain::numbering::local_day(&Utc::now());
    let old = db
        .store
        .ticket_by_no(site.info.id, day, &ticket_no)
        .await
        .unwrap();
    assert_eq!(old.state, TicketState::Transferred);
    let audit = db.store.audit_for_case(receipt.case_id).await.unwrap();
    assert!(
        audit.iter().any(|a| matches!(
            a.event,
            onewindow::domain::audit::AuditEvent::Transferred { .. }
        ) && a.staff == Some(boss)),
        "{audit:?}"
    );

    // Q: window 3 now serves labour mediation and arbitration.
    key_tx.send(key('q')).unwrap();
    type_line(&key_tx, &format!("3 T,{}", z.prefix));
    frame_with(&mut frames, "✓ 3:").await;
    let w = db.store.window_by_number(site.info.id, 3).await.unwrap();
    assert_eq!(w.queues.len(), 2, "{w:?}");

    key_tx
        .send(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Esc,
        ))
        .unwrap();
    dash.await.unwrap().unwrap();
}
both_backends!(supervisor_keys_acknowledge_move_and_reassign);

/// The hall display reads the day's latest calls, newest first, leaving out a ticket transferred
/// after its call (it waits on as its new ticket), and the workers waiting per queue: a busy
/// day's tickets are not read one by one.
async fn the_board_reads_the_latest_calls_and_the_waiting_counts(db: &TestDb) {
    let site = site(db).await;
    for name in ["甲", "乙", "丙", "丁"] {
        intake(db, &site, name).await;
    }
    let start = Utc::now();
    let clerk = |s: i64| Actor::at(Some(site.clerk), start + chrono::TimeDelta::seconds(s));
    let s = &db.store;
    let first = s.call_next(site.window, clerk(1)).await.unwrap().unwrap();
    s.start(first.id, clerk(2)).await.unwrap();
    s.finish(first.id, Outcome::Advised, clerk(3))
        .await
        .unwrap();
    let second = s.call_next(site.window, clerk(4)).await.unwrap().unwrap();
    let arbitration = site.info.queue(Route::Arbitration).unwrap();
    s.transfer(second.id, arbitration.id, "需仲裁", clerk(5))
        .await
        .unwrap();
    let third = s.call_next(site.window, clerk(6)).await.unwrap().unwrap();

    let day = onewindow::domain::numbering::local_day(&start);
    let numbers = |tickets: Vec<Ticket>| -> Vec<String> {
        tickets.iter().map(|t| t.ticket_no.to_string()).collect()
    };
    let (one, three) = (first.ticket_no.to_string(), third.ticket_no.to_string());
    assert_eq!(
        numbers(s.latest_calls(site.info.id, day, 10).await.unwrap()),
        [three.as_str(), one.as_str()]
    );
    assert_eq!(
        numbers(s.latest_calls(site.info.id, day, 1).await.unwrap()),
        [three.as_str()]
    );

    let services = db.services("TEST").await;
    let (board, calls) = live::load_board(
        &services,
        Lang::Zh,
        start + chrono::TimeDelta::seconds(7),
        10,
    )
    .await
    .unwrap();
    let shown: Vec<&str> = board.calls.iter().map(|c| c.ticket_no.as_str()).collect();
    assert_eq!(shown, [three.as_str(), one.as_str()]);
    assert_eq!(calls.len(), 2);
    let waiting = |prefix: &str| {
        board
            .queues
            .iter()
            .find(|q| q.prefix == prefix)
            .map(|q| q.waiting)
    };
    let mediation = site.info.queue(Route::LaborMediation).unwrap();
    assert_eq!(waiting(&mediation.prefix), Some(1), "丁 waits");
    assert_eq!(
        waiting(&arbitration.prefix),
        Some(1),
        "乙, transferred, waits"
    );
    services.close().await;
}
both_backends!(the_board_reads_the_latest_calls_and_the_waiting_counts);

/// The dashboard keeps today's tickets between reloads and re-reads only those the changes name
/// (and any new one): after a call and a new intake, what it holds is what a whole read gives.
async fn kept_tickets_match_a_whole_read_after_changes(db: &TestDb) {
    let site = site(db).await;
    intake(db, &site, "张三").await;
    intake(db, &site, "李四").await;
    let services = db.services("TEST").await;
    let settings = SupervisorSettings::default();
    let mut changes = services.changes().await.unwrap();
    let mut today = TodayTickets::default();
    let before = live::load_snapshot_from(&services, &settings, Lang::Zh, Utc::now(), &mut today)
        .await
        .unwrap()
        .0;
    let called = db
        .store
        .call_next(site.window, Actor::at(Some(site.clerk), Utc::now()))
        .await
        .unwrap()
        .expect("a waiting ticket");
    intake(db, &site, "王五").await;
    assert!(
        hear(&mut changes, &mut today).await.contains(&called.id),
        "the call's change never came"
    );
    let (kept, whole) = kept_and_whole(&services, &settings, &mut today).await;
    assert_ne!(before, kept, "the call and the new ticket show");
    assert_eq!(kept, whole);
    // Served: the ticket leaves the open ones held in full and joins the database's sums.
    let clerk = || Actor::at(Some(site.clerk), Utc::now());
    db.store.start(called.id, clerk()).await.unwrap();
    db.store
        .finish(called.id, Outcome::Advised, clerk())
        .await
        .unwrap();
    assert!(hear(&mut changes, &mut today).await.contains(&called.id));
    let (kept, whole) = kept_and_whole(&services, &settings, &mut today).await;
    assert_eq!(kept.queues.iter().map(|q| q.served).sum::<u32>(), 1);
    assert_eq!(kept, whole);
    services.close().await;
}

/// The snapshot from the tickets `today` keeps, and one from a whole read, at one moment.
async fn kept_and_whole(
    services: &onewindow::app::Services,
    settings: &SupervisorSettings,
    today: &mut TodayTickets,
) -> (Snapshot, Snapshot) {
    let now = Utc::now();
    let kept = live::load_snapshot_from(services, settings, Lang::Zh, now, today)
        .await
        .unwrap()
        .0;
    let whole = live::load_snapshot(services, settings, Lang::Zh, now)
        .await
        .unwrap()
        .0;
    (kept, whole)
}

/// Notes every change in `today` until the stream is quiet for 0.7 s (SQLite polls every
/// 250 ms); the tickets they named.
async fn hear(changes: &mut ChangeStream, today: &mut TodayTickets) -> Vec<TicketId> {
    use futures::StreamExt;
    let mut named = Vec::new();
    while let Ok(Some(e)) = tokio::time::timeout(Duration::from_millis(700), changes.next()).await {
        named.extend(e.ticket);
        today.note(&e);
    }
    named
}
both_backends!(kept_tickets_match_a_whole_read_after_changes);
