//! The kiosk as a person runs it, measured: time from launch to the first frame, resident memory,
//! and CPU used while idle on the intake form for 60 s. Runs the release binary in a tmux pane on
//! a fresh SQLite database. `cargo bench --bench kiosk` (needs tmux; Linux /proc).

use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_onewindow");
// The bench runs its own tmux server (`-L onewindow-bench`): a server it shared with other
// sessions would keep this process's ONEWINDOW_BENCH_* variables for every pane it opens.

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(["-L", "onewindow-bench"])
        .args(args)
        .output()
        .expect("tmux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(session: &str, text: &str) -> Duration {
    let start = Instant::now();
    loop {
        if tmux(&["capture-pane", "-p", "-t", session]).contains(text) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no {text:?} on screen"
        );
        sleep(Duration::from_millis(2));
    }
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    let after = &stat[stat.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    f[11].parse::<u64>().expect("utime") + f[12].parse::<u64>().expect("stime")
}

fn rss_kb(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

/// An empty database gets its site from the configured code (as a centre's IT person would set
/// it in onewindow.toml) and its first supervisor, who then adds a window and a clerk.
fn setup(dir: &Path) {
    for (args, input) in [
        (
            &[
                "--set",
                "site.code=BENCH",
                "db",
                "staff",
                "9001",
                "李主任",
                "--role",
                "supervisor",
                "--set-pin",
                "--pin-stdin",
            ][..],
            "654321\n",
        ),
        (
            &["db", "window", "1", "--staff", "9001", "--pin-stdin"][..],
            "654321\n",
        ),
        (
            &[
                "db",
                "staff",
                "1001",
                "张敏",
                "--set-pin",
                "--staff",
                "9001",
                "--pin-stdin",
            ][..],
            "654321\n123456\n",
        ),
    ] {
        let mut c = Command::new(BIN)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("setup");
        {
            use std::io::Write;
            c.stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write");
        }
        assert!(c.wait().expect("wait").success());
    }
}

fn main() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("kiosk bench: tmux is not installed; nothing measured");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    setup(dir.path());
    let session = "ow_bench_kiosk";
    let mut firsts = Vec::new();
    for _ in 0..5 {
        let _ = Command::new("tmux")
            .args(["-L", "onewindow-bench"])
            .args(["kill-session", "-t", session])
            .output();
        let cmd = format!("cd '{}' && exec '{BIN}'", dir.path().display());
        let start = Instant::now();
        tmux(&[
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            &cmd,
        ]);
        let _ = wait_for(session, "工号");
        firsts.push(start.elapsed());
    }
    firsts.sort();
    let pid = tmux(&["list-panes", "-t", session, "-F", "#{pane_pid}"])
        .trim()
        .to_string();
    tmux(&["send-keys", "-t", session, "1001", "Tab"]);
    tmux(&["send-keys", "-t", session, "123456", "Enter"]);
    let _ = wait_for(session, "1001 张敏");
    sleep(Duration::from_secs(2));
    let rss = rss_kb(&pid);
    let ticks_per_s = 100.0; // USER_HZ on Linux
    let before = cpu_ticks(&pid);
    let idle = Duration::from_secs(60);
    sleep(idle);
    let used = (cpu_ticks(&pid) - before) as f64 / ticks_per_s;
    let rss_after = rss_kb(&pid);
    let _ = Command::new("tmux")
        .args(["-L", "onewindow-bench"])
        .args(["kill-session", "-t", session])
        .output();
    println!(
        "kiosk (release, SQLite, 120x40 tmux): first frame median {:?} (min {:?}, max {:?}, incl. tmux start-up); \
         RSS {:.1} MB signed in, {:.1} MB after 60 s idle; idle CPU {:.3}% of a core over {} s",
        firsts[firsts.len() / 2],
        firsts[0],
        firsts[firsts.len() - 1],
        rss as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        used / idle.as_secs_f64() * 100.0,
        idle.as_secs()
    );
}
