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

use support::centre::{env, intake_file, onewindow, set_up};
use support::tmux::{Pane, tmux_available};

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
    let file = file.to_str().expect("path");
    onewindow(
        dir.path(),
        &env,
        &["intake", file, "--staff", "1001", "--pin-stdin"],
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
