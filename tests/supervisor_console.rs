//! The supervisor's console as a person uses it (issue 14): a new MAJOR alert flashes the screen,
//! a resize redraws at once, R asks before overwriting this month's report, status messages clear
//! after a few seconds, and the dashboard locks after its idle time. One test in its own binary:
//! it changes the working directory (where R writes the report).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/db.rs"]
mod testdb;

use chrono::{Datelike, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use onewindow::app::Acting;
use onewindow::config::Lang;
use onewindow::domain::{Flag, Route, SiteSettings};
use onewindow::storage::*;
use onewindow::supervisor::console::{self, Exit};
use onewindow::supervisor::live::SupervisorSettings;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// The next frame for which `ok` holds, within `within`.
async fn frame_where(
    frames: &mut mpsc::UnboundedReceiver<String>,
    within: Duration,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let end = Instant::now() + within;
    loop {
        let left = end.saturating_duration_since(Instant::now());
        let frame = tokio::time::timeout(left, frames.recv())
            .await
            .unwrap_or_else(|_| panic!("no frame where {what} within {within:?}"))
            .expect("console stopped");
        if ok(&frame) {
            return frame;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flash_resize_report_overwrite_messages_and_idle_lock() {
    let db = testdb::TestDb::sqlite().await;
    let s = &db.store;
    let site = s
        .ensure_site(
            &SiteSettings {
                code: "TEST".into(),
                name: "测试调解中心".into(),
                ..SiteSettings::default()
            },
            Utc::now(),
        )
        .await
        .unwrap();
    s.upsert_window(site.id, 1, "一号窗口", &[Route::LaborMediation], Utc::now())
        .await
        .unwrap();
    let boss = s
        .upsert_staff(site.id, "S01", "赵主任", StaffRole::Supervisor)
        .await
        .unwrap();
    let work = tempfile::tempdir().unwrap();
    std::env::set_current_dir(work.path()).unwrap();
    let today = onewindow::domain::numbering::local_day(&Utc::now());
    let report = work
        .path()
        .join(format!("report-{}-{:02}.xlsx", today.year(), today.month()));
    std::fs::write(&report, b"last week's copy").unwrap();

    let (key_tx, mut keys) = mpsc::unbounded_channel();
    let (frame_tx, mut frames) = mpsc::unbounded_channel();
    let services = db.services("TEST").await;
    let idle = Duration::from_secs(8);
    let console = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let frames = Some(frame_tx);
        console::run_console(
            &mut terminal,
            &services,
            Lang::Zh,
            &SupervisorSettings::default(),
            Acting {
                staff: Some((boss, onewindow::domain::StaffNo("S01".into()))),
                window: None,
            },
            &mut keys,
            &frames,
            Some(idle),
        )
        .await
    });
    let first = frame_where(&mut frames, Duration::from_secs(3), "the dashboard", |f| {
        f.contains("值班负责人看板")
    })
    .await;
    assert!(!first.contains("新的紧急提醒"), "{first}");

    // A major case stored by a window: the console flashes.
    let mut decision = testdb::routed(Route::LaborMediation, "T");
    decision.flags = vec![Flag::Major];
    s.commit_intake(IntakeCommit::with_jobs(
        site.id,
        &testdb::wage_claim(),
        &decision,
        Actor::at(None, Utc::now()),
        None,
        vec![],
    ))
    .await
    .unwrap();
    frame_where(&mut frames, Duration::from_secs(3), "it flashes", |f| {
        f.contains("新的紧急提醒") && f.contains("重大集体争议")
    })
    .await;

    // A resize (a key with no code) is drawn at once.
    let t = Instant::now();
    key_tx.send(KeyEvent::from(KeyCode::Null)).unwrap();
    frame_where(&mut frames, Duration::from_secs(1), "redrawn", |_| true).await;
    assert!(
        t.elapsed() < Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );

    // R with this month's report already there: asked; n keeps it.
    key_tx.send(KeyEvent::from(KeyCode::Char('r'))).unwrap();
    frame_where(&mut frames, Duration::from_secs(2), "asked", |f| {
        f.contains("已存在，覆盖吗")
    })
    .await;
    key_tx.send(KeyEvent::from(KeyCode::Char('n'))).unwrap();
    frame_where(&mut frames, Duration::from_secs(2), "cancelled", |f| {
        f.contains("已取消")
    })
    .await;
    assert_eq!(std::fs::read(&report).unwrap(), b"last week's copy");
    // R and y: written over.
    key_tx.send(KeyEvent::from(KeyCode::Char('r'))).unwrap();
    key_tx.send(KeyEvent::from(KeyCode::Char('y'))).unwrap();
    frame_where(&mut frames, Duration::from_secs(5), "written", |f| {
        f.contains("✓ report-")
    })
    .await;
    let written = Instant::now();
    assert!(
        std::fs::read(&report).unwrap().starts_with(b"PK"),
        "an XLSX"
    );
    // The same filed report as `onewindow report`: its comparison and per-window sheets too.
    {
        use calamine::Reader;
        let wb: calamine::Xlsx<_> = calamine::open_workbook(&report).unwrap();
        let names = wb.sheet_names();
        for sheet in ["概况", "每日", "窗口工作量", "同比环比", "指引事项"] {
            assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
        }
    }

    // The message clears by itself after about five seconds; the flash has ended too.
    let cleared = frame_where(
        &mut frames,
        Duration::from_secs(7),
        "the message cleared",
        |f| !f.contains("✓ report-"),
    )
    .await;
    assert!(
        written.elapsed() >= Duration::from_secs(4),
        "{:?}",
        written.elapsed()
    );
    assert!(!cleared.contains("新的紧急提醒"), "{cleared}");

    // No key since: the console locks.
    let exit = tokio::time::timeout(Duration::from_secs(10), console)
        .await
        .expect("locked within its idle time")
        .unwrap()
        .unwrap();
    assert_eq!(exit, Exit::Locked);
    db.store.close().await;
}
