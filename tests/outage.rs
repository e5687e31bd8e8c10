//! When the database goes away (issue 13): PostgreSQL behind a TCP proxy the test cuts and
//! restores (`tests/support/tcp_proxy.rs`), never by stopping the shared server.
//!
//! - a command fails within 5 s and names the real cause;
//! - PostgreSQL gone for 20 s is reported within 5 s by the kiosk's status line, its queue
//!   ("unknown", not "nobody waiting"), the dashboard's banner and the hall board marked stale;
//!   a call-next made meanwhile is refused and never runs later, a submit keeps the form; all
//!   of it resumes by itself and nothing is lost;
//! - the connection budget, measured in `pg_stat_activity` with the real binaries: at most 3
//!   per kiosk or supervisor and 2 per display, so 40 windows fit a default server.
//!
//! Under `CI=true` these run (PostgreSQL and tmux are required); elsewhere a missing server or
//! tmux is said loudly and the test returns.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "tui_common/mod.rs"]
mod common;
mod support;

use chrono::Utc;
use common::testdb::{Raw, TestDb};
use crossterm::event::KeyCode;
use onewindow::app::{Acting, Services};
use onewindow::config::Lang;
use onewindow::domain::{StaffNo, StaffRole, WindowNo};
use onewindow::storage::OpenOptions;
use onewindow::supervisor::{console, live};
use onewindow::tui::harness::{Harness, Start};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};
use support::tcp_proxy::{TcpProxy, upstream_of};
use support::tmux::{Pane, tmux_available};

/// How soon every screen must say the database is gone.
const WITHIN: Duration = Duration::from_secs(5);

/// A fresh PostgreSQL database (or `None`, said loudly, outside CI when there is no server).
fn postgres() -> Option<(TestDb, tokio::runtime::Runtime)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(TestDb::postgres())?;
    rt.block_on(db.store.close());
    Some((db, rt))
}

fn config(url: &str) -> onewindow::config::Config {
    onewindow::config::load(&onewindow::config::Sources {
        file: None,
        env: vec![],
        overrides: vec![format!("database.url={url}"), "site.code=ZZ01".into()],
    })
    .unwrap()
}

#[test]
fn a_command_fails_within_5_s_naming_the_cause() {
    let Some((db, _rt)) = postgres() else {
        return;
    };
    let proxy = TcpProxy::start(&upstream_of(db.url.expose()));
    proxy.cut();
    let work = tempfile::tempdir().unwrap();
    for args in [&["db", "migrate"][..], &["queue", "list"]] {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_onewindow"))
            .args([
                "--db",
                &proxy.url_for(db.url.expose()),
                "--set",
                "site.code=ZZ01",
            ])
            .args(args)
            .current_dir(work.path())
            .env_remove("ONEWINDOW_DB")
            .env_remove("ONEWINDOW_CONFIG")
            .output()
            .unwrap();
        let took = started.elapsed();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(took < WITHIN, "{args:?} took {took:?}: {err}");
        assert!(
            err.contains(&format!("127.0.0.1:{}", proxy.port())) && err.contains("refused"),
            "the real cause, not \"pool timed out\": {err}"
        );
        println!("{args:?} failed after {took:?}: {}", err.trim());
    }
}

/// A screen run on its own thread and runtime (the kiosk harness has its own), on the proxied
/// database: its frames come back as text.
struct Screen {
    /// Each frame with the instant it was drawn.
    frames: std_mpsc::Receiver<(Instant, String)>,
    quit: tokio::sync::mpsc::UnboundedSender<crossterm::event::KeyEvent>,
    thread: Option<std::thread::JoinHandle<()>>,
}

enum Kind {
    Display,
    Dashboard,
}

impl Screen {
    fn start(kind: Kind, url: String) -> Screen {
        let (frames_tx, frames) = std_mpsc::channel();
        let (quit, keys) = tokio::sync::mpsc::unbounded_channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let (sink, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
                tokio::spawn(async move {
                    while let Some(f) = rx.recv().await {
                        let _ = frames_tx.send((Instant::now(), f));
                    }
                });
                let cfg = config(&url);
                let settings = cfg.supervisor.clone();
                let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
                match kind {
                    Kind::Display => {
                        let s = Services::open_with(&cfg, OpenOptions::display())
                            .await
                            .unwrap();
                        live::run_board(&mut terminal, &s, Lang::Zh, &settings, keys, Some(sink))
                            .await
                            .unwrap();
                    }
                    Kind::Dashboard => {
                        let s = Services::open_with(&cfg, OpenOptions::supervisor())
                            .await
                            .unwrap();
                        let no = StaffNo("9001".into());
                        let id = s.staff(&no).await.unwrap();
                        let by = Acting {
                            staff: Some((id, no)),
                            window: None,
                        };
                        console::run_dashboard(
                            &mut terminal,
                            &s,
                            Lang::Zh,
                            &settings,
                            by,
                            keys,
                            Some(sink),
                        )
                        .await
                        .unwrap();
                    }
                }
            });
        });
        Screen {
            frames,
            quit,
            thread: Some(thread),
        }
    }

    /// Waits for a frame `ok` accepts; when it was drawn. Panics after `within`.
    fn frame(&self, within: Duration, what: &str, ok: impl Fn(&str) -> bool) -> Instant {
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < within {
            if let Ok((at, f)) = self.frames.recv_timeout(Duration::from_millis(100)) {
                if ok(&f) {
                    return at;
                }
                last = f;
            }
        }
        panic!("no frame {what} within {within:?}; last:\n{last}");
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self
            .quit
            .send(crossterm::event::KeyEvent::from(KeyCode::Esc));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn postgres_gone_for_20_s_is_reported_within_5_s_and_nothing_is_lost() {
    let Some((db, rt)) = postgres() else {
        return;
    };
    let proxy = TcpProxy::start(&upstream_of(db.url.expose()));
    let url = proxy.url_for(db.url.expose());
    // The demo site (three walk-ins waiting at window 1's queues), the kiosk signed in with a
    // whole case typed, the dashboard and the hall board on their own processes' budgets.
    let mut h = Harness::on_database(
        Lang::Zh,
        120,
        40,
        common::site(),
        Start::Demo,
        common::now(),
        Some(&url),
    );
    common::sign_in(&mut h);
    common::enter_p04(&mut h);
    let display = Screen::start(Kind::Display, url.clone());
    let dashboard = Screen::start(Kind::Dashboard, url.clone());
    display.frame(WITHIN, "of the board", |f| f.contains("等候人数"));
    dashboard.frame(WITHIN, "of the dashboard", |f| f.contains("值班负责人看板"));
    let direct = rt.block_on(db.another_connection());
    let raw = rt.block_on(Raw::open(&db.url));
    let called = |rt: &tokio::runtime::Runtime| -> Vec<String> {
        rt.block_on(raw.texts(
            "SELECT ticket_no FROM tickets WHERE state IN ('called', 'serving') ORDER BY id",
        ))
    };
    assert!(called(&rt).is_empty());

    proxy.cut();
    let cut = Instant::now();
    let kiosk_saw = h.tick_until("数据库:重新连接中", WITHIN);
    let board_saw = display.frame(WITHIN, "marked stale", |f| f.contains("叫号信息暂停更新"));
    let banner_saw = dashboard.frame(WITHIN, "with the banner", |f| f.contains("数据库连接中断"));
    for (what, took) in [
        ("kiosk status line", kiosk_saw),
        ("hall board", board_saw - cut),
        ("dashboard banner", banner_saw - cut),
    ] {
        println!("{what}: outage shown {took:?} after the cut");
        assert!(took < WITHIN, "{what} took {took:?}");
    }

    // The queue says it does not know; a call is refused, not kept for later.
    h.press(KeyCode::F(3));
    let screen = h.render();
    assert!(screen.contains("等候情况未知"), "{screen}");
    assert!(!screen.contains("暂无等候"), "{screen}");
    h.press(KeyCode::Char('n'));
    assert!(h.render().contains("未叫号"), "{}", h.render());
    // A submit fails and keeps everything typed.
    h.press(KeyCode::F(2));
    h.press(KeyCode::F(10));
    let screen = h.render();
    assert!(screen.contains("提交未成功"), "{screen}");
    assert_eq!(
        h.app.intake.form.to_record(),
        common::p04_as_entered(),
        "the form is kept (the birth date filled in from the ID number)"
    );
    assert!(!h.draft_discarded);

    std::thread::sleep(Duration::from_secs(20).saturating_sub(cut.elapsed()));
    proxy.restore();
    let back = Instant::now();
    h.tick_until("数据库:已连接", Duration::from_secs(10));
    display.frame(Duration::from_secs(10), "fresh again", |f| {
        f.contains("等候人数") && !f.contains("叫号信息暂停更新")
    });
    dashboard.frame(Duration::from_secs(10), "without the banner", |f| {
        f.contains("值班负责人看板") && !f.contains("数据库连接中断")
    });
    println!("everything back {:?} after the restore", back.elapsed());
    assert!(back.elapsed() < Duration::from_secs(10));

    // The refused call never ran: nothing was called, even seconds after the server came back.
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        called(&rt).is_empty(),
        "a call made during the outage ran late"
    );
    // The form goes in now, once; the queue works.
    h.press(KeyCode::F(10));
    let screen = h.render();
    assert!(
        screen.contains("ZZ01-"),
        "registered after the outage: {screen}"
    );
    assert!(h.draft_discarded);
    h.press(KeyCode::F(3));
    h.press(KeyCode::Char('n'));
    assert_eq!(called(&rt).len(), 1, "the call made now is made");
    let cases = rt.block_on(direct.contents()).unwrap().cases;
    assert_eq!(
        cases, 4,
        "three walk-ins and the case typed during the outage, once"
    );

    drop(display);
    drop(dashboard);
    drop(h);
    rt.block_on(direct.close());
    rt.block_on(raw.close());
    drop(proxy);
    drop(db);
}

/// The case: a call-next pressed while the server was away ran when it came back, 17 s
/// later, and the ticket was announced to nobody. Now a call that cannot start within
/// `queue::CALL_DEADLINE` is refused and nothing is written, however soon the server returns.
#[test]
fn a_call_next_pressed_during_an_outage_never_runs_late() {
    let Some((db, rt)) = postgres() else {
        return;
    };
    let proxy = TcpProxy::start(&upstream_of(db.url.expose()));
    let url = proxy.url_for(db.url.expose());
    let raw = rt.block_on(Raw::open(&db.url));
    rt.block_on(async {
        let s = Services::open(&config(&url)).await.unwrap();
        let at = Utc::now();
        s.save_window(WindowNo(1), "一号窗口", &[], at)
            .await
            .unwrap();
        let no = StaffNo("1001".into());
        let id = s
            .save_staff(&no, "张敏", StaffRole::Clerk, None)
            .await
            .unwrap();
        let by = Acting {
            staff: Some((id, no)),
            window: Some(s.station(WindowNo(1), false, at).await.unwrap()),
        };
        s.register(&common::p04().0, None, &by, at).await.unwrap();

        proxy.cut();
        let pressed = Instant::now();
        let call = tokio::spawn({
            let (s, by) = (s.clone(), by.clone());
            async move { s.call_next(&by, Utc::now()).await }
        });
        // The server is back before the pool gives up waiting (its retries after 1.8 s and
        // 2.4 s), but after the call's deadline.
        tokio::time::sleep(Duration::from_millis(2100)).await;
        proxy.restore();
        let answer = call.await.unwrap();
        println!(
            "call-next answered {:?} after it was pressed: {answer:?}",
            pressed.elapsed()
        );
        assert_eq!(answer.unwrap_err(), onewindow::app::AppError::Unavailable);
        tokio::time::sleep(Duration::from_secs(2)).await;
        let called = raw
            .texts("SELECT ticket_no FROM tickets WHERE state <> 'waiting'")
            .await;
        assert!(called.is_empty(), "the refused call ran late: {called:?}");
        // Pressed again now, it calls.
        s.call_next(&by, Utc::now()).await.unwrap();
        s.close().await;
    });
    rt.block_on(raw.close());
    drop(proxy);
    drop(db);
}

#[test]
fn connection_budget_measured_in_pg_stat_activity() {
    if !tmux_available() {
        return;
    }
    let Some((db, rt)) = postgres() else {
        return;
    };
    let url = db.url.expose().to_string();
    rt.block_on(async {
        let s = Services::open(&config(&url)).await.unwrap();
        let at = Utc::now();
        s.save_window(WindowNo(1), "一号窗口", &[], at)
            .await
            .unwrap();
        s.save_staff(
            &StaffNo("1001".into()),
            "张敏",
            StaffRole::Clerk,
            Some("123456".into()),
        )
        .await
        .unwrap();
        s.save_staff(
            &StaffNo("9001".into()),
            "李强",
            StaffRole::Supervisor,
            Some("654321".into()),
        )
        .await
        .unwrap();
        let no = StaffNo("1001".into());
        let by = Acting {
            staff: Some((s.staff(&no).await.unwrap(), no)),
            window: Some(s.station(WindowNo(1), false, at).await.unwrap()),
        };
        for _ in 0..3 {
            s.register(&common::p04().0, None, &by, Utc::now())
                .await
                .unwrap();
        }
        s.close().await;
    });
    let work = tempfile::tempdir().unwrap();
    let env: Vec<(String, String)> = [
        ("ONEWINDOW_DB", url.as_str()),
        ("ONEWINDOW_SITE_CODE", "ZZ01"),
        ("ONEWINDOW_WINDOW", "1"),
        ("ONEWINDOW_PRINTER", "spool:spool"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();

    // Sample the server's view of each kind of process while they work.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        let raw = rt.block_on(Raw::open(&db.url));
        let handle = rt.handle().clone();
        std::thread::spawn(move || {
            let mut most: BTreeMap<String, i64> = BTreeMap::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let rows = handle.block_on(raw.texts(
                    "SELECT application_name || '=' || CAST(COUNT(*) AS TEXT) \
                     FROM pg_stat_activity WHERE datname = current_database() \
                     GROUP BY application_name",
                ));
                for row in rows {
                    let (name, n) = row.rsplit_once('=').unwrap();
                    let m = most.entry(name.to_string()).or_default();
                    *m = (*m).max(n.parse().unwrap());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            handle.block_on(raw.close());
            most
        })
    };
    let kiosk = Pane::start("ow_budget_kiosk", work.path(), &env);
    let supervisor = Pane::run(
        "ow_budget_supervisor",
        work.path(),
        &env,
        &["supervisor", "--staff", "9001"],
        "密码",
    );
    let display = Pane::run(
        "ow_budget_display",
        work.path(),
        &env,
        &["display"],
        "等候人数",
    );
    supervisor.keys(&["654321", "Enter"]);
    supervisor.wait_for("值班负责人看板");
    kiosk.keys(&["1001", "Tab"]);
    kiosk.keys(&["123456", "Enter"]);
    kiosk.wait_for("1001 张敏");
    // Everyone busy at once: the kiosk lists and calls, the board and the dashboard reload.
    kiosk.keys(&["F3"]);
    kiosk.keys(&["n"]);
    kiosk.wait_for("请");
    kiosk.keys(&["s"]);
    kiosk.keys(&["F4"]);
    kiosk.keys(&["ZZ01", "Enter"]);
    std::thread::sleep(Duration::from_secs(3));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let most = sampler.join().unwrap();
    drop((kiosk, supervisor, display));
    println!("most connections seen per process: {most:?}");
    let seen = |name: &str| most.get(name).copied().unwrap_or(0);
    let (k, s, d) = (
        seen("onewindow kiosk"),
        seen("onewindow supervisor"),
        seen("onewindow display"),
    );
    assert!(
        k >= 1 && s >= 1 && d >= 1,
        "each process was seen: {most:?}"
    );
    assert!(k <= 3, "a kiosk holds at most 3: {k}");
    assert!(s <= 3, "a supervisor holds at most 3: {s}");
    assert!(
        d <= 2,
        "a display holds at most 2 (one of them LISTEN): {d}"
    );

    // The budgets (not just what was seen) for 40 windows, 2 supervisors and 2 displays fit
    // this server's max_connections less the superuser reserve.
    let budget = 40 * OpenOptions::kiosk().max_connections
        + 2 * OpenOptions::supervisor().max_connections
        + 2 * OpenOptions::display().max_connections;
    let raw = rt.block_on(Raw::open(&db.url));
    let limits: Vec<i64> = rt
        .block_on(raw.texts(
            "SELECT setting FROM pg_settings \
             WHERE name IN ('max_connections', 'superuser_reserved_connections') ORDER BY name",
        ))
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    let (max, reserved) = (limits[0], limits[1]);
    println!("40 windows need at most {budget} of {max} - {reserved} connections");
    assert!(i64::from(budget) <= max - reserved);
    rt.block_on(raw.close());
    drop(db);
}
