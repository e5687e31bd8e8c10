//! A clerk's session on the real binary in tmux: an input method's full-width ID number becomes
//! ASCII and fills the birth date; Esc and Ctrl-Q ask first; a ticket registered from the command
//! line reaches the queue; x asks before a no-show; the finish list of an arbitration ticket has
//! no 调解成功. (Warnings, labels and the panel's scrolling are read from the drawn screen in
//! `tui_form_input.rs`.)
//!
//! Needs tmux (see `support/tmux.rs`).

mod support;
#[path = "common/db.rs"]
mod testdb;

use std::path::Path;
use support::tmux::{Pane, tmux_available};

/// `db` empty: the default SQLite file in the working folder.
fn env(db: &str) -> Vec<(String, String)> {
    [
        ("ONEWINDOW_DB", db),
        ("ONEWINDOW_SITE_CODE", "ZZ01"),
        ("ONEWINDOW_SITE_NAME", "金水区劳动人事争议调解中心"),
        ("ONEWINDOW_SITE_MINIMUM_WAGE_MONTHLY", "2420"),
        ("ONEWINDOW_WINDOW", "1"),
        ("ONEWINDOW_PRINTER", "spool:spool"),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// A command on the test's database (the runner drops `ONEWINDOW_DB`, so it goes as `--db`).
fn onewindow(dir: &Path, env: &[(String, String)], args: &[&str], stdin: &str) -> String {
    let mut args = args.to_vec();
    if let Some((_, db)) = env.iter().find(|(k, _)| k == "ONEWINDOW_DB") {
        args.extend(["--db", db.as_str()]);
    }
    let run = support::cli::onewindow(dir, env, &args, stdin);
    assert!(run.success, "onewindow {args:?} failed: {}", run.stderr);
    run.stdout
}

fn set_up(dir: &Path, env: &[(String, String)]) {
    let sup = [
        "db",
        "staff",
        "9001",
        "李主任",
        "--role",
        "supervisor",
        "--set-pin",
        "--pin-stdin",
    ];
    onewindow(dir, env, &sup, "999999\n");
    let boss = ["--staff", "9001", "--pin-stdin"];
    onewindow(
        dir,
        env,
        &[&["db", "window", "1"][..], &boss].concat(),
        "999999\n",
    );
    onewindow(
        dir,
        env,
        &[&["db", "staff", "1001", "张敏", "--set-pin"][..], &boss].concat(),
        "999999\n123456\n",
    );
}

/// A scenario's record as an intake file.
fn intake_file(dir: &Path, scenario: &str) -> String {
    let text =
        std::fs::read_to_string(format!("tests/scenarios/{scenario}.toml")).expect("scenario");
    let doc: toml::Table = toml::from_str(&text).expect("scenario parses");
    let case = doc["case"].as_table().expect("[case]").clone();
    let path = dir.join(format!("{scenario}.intake.toml"));
    std::fs::write(&path, toml::to_string(&case).expect("TOML")).expect("write");
    path.to_str().expect("path").to_string()
}

#[test]
fn a_clerks_session_on_sqlite() {
    if !tmux_available() {
        return;
    }
    session("sqlite", "");
}

#[test]
fn a_clerks_session_on_postgres() {
    if !tmux_available() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = rt.block_on(testdb::TestDb::postgres()) else {
        return;
    };
    rt.block_on(db.store.close());
    session("postgres", db.url.expose());
    drop(db);
}

fn session(name: &str, db: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = env(db);
    set_up(dir.path(), &env);
    let p = Pane::start(&format!("ow_clerk_{name}"), dir.path(), &env);
    p.keys(&["1001", "Tab"]);
    p.keys(&["123456", "Enter"]);
    p.wait_for("1001 张敏");

    // Full-width digits and a full-width x from an input method; the birth date fills.
    p.keys(&["王丽", "Tab", "Tab"]);
    p.keys(&["４１０１０５１９９００３０７１５８ｘ", "Tab"]);
    let s = p.wait_for("1990-03-07");
    assert!(s.contains("41010519900307158X"), "{s}");

    // Esc asks; n keeps the form, y clears it.
    p.keys(&["Escape"]);
    p.wait_for("放弃本次登记？");
    p.keys(&["n"]);
    let s = p.screen();
    assert!(s.contains("王丽") && !s.contains("放弃本次登记？"), "{s}");
    p.keys(&["Escape"]);
    p.wait_for("放弃本次登记？");
    p.keys(&["y"]);
    let s = p.wait_for("已放弃本次登记");
    assert!(!s.contains("王丽"), "{s}");

    // Ctrl-Q asks; n stays.
    p.keys(&["C-q"]);
    p.wait_for("退出程序？");
    p.keys(&["n"]);
    p.wait_for("1001 张敏");

    // An arbitration case registered from the command line reaches the queue.
    p.keys(&["F3"]);
    p.wait_for("暂无等候");
    let file = intake_file(dir.path(), "p05_dismissal_declines_mediation");
    onewindow(
        dir.path(),
        &env,
        &["intake", &file, "--staff", "1001", "--pin-stdin"],
        "123456\n",
    );
    p.wait_for("Z001");
    p.keys(&["n"]);
    p.wait_for("请 Z001 号到 1 号窗口");
    p.keys(&["x"]);
    p.wait_for("将 Z001 记为过号？");
    p.keys(&["n"]);
    p.keys(&["s"]);
    p.wait_for("办理中");
    p.keys(&["f"]);
    let s = p.wait_for("办结结果");
    assert!(s.contains("已受理") && !s.contains("调解成功"), "{s}");
    p.keys(&["1"]);
    p.wait_for("已完成");

    // Signing out with an empty form asks nothing.
    p.keys(&["F9"]);
    p.wait_for("已退出登录");
    p.kill();
}
