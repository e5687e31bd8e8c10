//! A ticket registered by another process reaches the kiosk's queue at once: the real kiosk in a
//! tmux pane shows its queue while `onewindow intake` registers cases from the command line; each
//! new ticket number is timed from the moment the command returned to the moment it is on the
//! kiosk's screen. Both backends: a SQLite file (the change rows, polled every 250 ms) and
//! PostgreSQL (LISTEN/NOTIFY). The figures are printed; the assertion is a generous 3 s (the
//! target is 1 s at p99; before the kiosk listened to the change feed it was 8–35 s).
//!
//! Needs tmux (see `support/tmux.rs`).

mod support;
#[path = "common/db.rs"]
mod testdb;

use std::thread::sleep;
use std::time::{Duration, Instant};
use support::centre::{env, intake_file, onewindow, set_up};
use support::tmux::{Pane, tmux_available};

const TICKETS: usize = 5;

/// Registers `TICKETS` cases from the command line while the kiosk shows its queue; the delay of
/// each until its ticket is on the kiosk's screen.
/// Each as (from the command's exit, from its start): the ticket is committed somewhere between
/// the two (the command still queues paper after the commit), so the truth lies between them.
fn measure(name: &str, db: &str) -> Vec<(Duration, Duration)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = env(db);
    set_up(dir.path(), &env);
    let file = intake_file(dir.path(), "p04_dismissal_mediation");
    let file = file.to_str().expect("path");
    let p = Pane::start(&format!("ow_live_{name}"), dir.path(), &env);
    p.keys(&["1001", "Tab"]);
    p.keys(&["123456", "Enter"]);
    p.wait_for("1001 张敏");
    p.keys(&["F3"]);
    p.wait_for("暂无等候");
    let mut delays = vec![];
    for _ in 0..TICKETS {
        let started = Instant::now();
        let out = onewindow(
            dir.path(),
            &env,
            &["intake", file, "--staff", "1001", "--pin-stdin", "--json"],
            "123456\n",
        );
        let registered = Instant::now();
        let v: serde_json::Value = serde_json::from_str(&out).expect("intake --json");
        let ticket = v["ticket"]
            .as_str()
            .or_else(|| v["ticket"]["ticket_no"].as_str())
            .unwrap_or_else(|| panic!("no ticket in {out}"))
            .to_string();
        loop {
            if p.screen().contains(&ticket) {
                delays.push((registered.elapsed(), started.elapsed()));
                break;
            }
            assert!(
                registered.elapsed() < Duration::from_secs(15),
                "{ticket} never reached the kiosk:\n{}",
                p.screen()
            );
            sleep(Duration::from_millis(10));
        }
    }
    p.kill();
    delays
}

fn report(name: &str, delays: Vec<(Duration, Duration)>) {
    let sorted = |mut d: Vec<Duration>| {
        d.sort();
        d.iter().map(Duration::as_millis).collect::<Vec<_>>()
    };
    let after_exit = sorted(delays.iter().map(|d| d.0).collect());
    let after_start = sorted(delays.iter().map(|d| d.1).collect());
    println!(
        "{name}: {} tickets registered by `onewindow intake`, until tmux shows the number on the \
         kiosk (polled every 10 ms), ms sorted: from the command's exit {after_exit:?}; from its \
         start (process start, PIN check, commit, paper) {after_start:?}",
        delays.len(),
    );
    let worst = delays.iter().map(|d| d.1).max().unwrap_or_default();
    assert!(
        worst < Duration::from_secs(3),
        "{name}: a ticket took {worst:?} to reach the kiosk"
    );
}

#[test]
fn a_ticket_from_the_command_line_reaches_the_kiosk_at_once_on_sqlite() {
    if !tmux_available() {
        return;
    }
    report("sqlite", measure("sqlite", ""));
}

#[test]
fn a_ticket_from_the_command_line_reaches_the_kiosk_at_once_on_postgres() {
    if !tmux_available() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = rt.block_on(testdb::TestDb::postgres()) else {
        return;
    };
    rt.block_on(db.store.close());
    let url = db.url.expose().to_string();
    report("postgres", measure("postgres", &url));
    drop(db);
}
