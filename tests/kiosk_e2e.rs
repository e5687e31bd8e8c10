//! End to end as a clerk works: the real `onewindow` binary in a tmux pane on a SQLite file, with
//! an in-process fake network printer. Sign in, enter a full case with Chinese names, see the
//! decision, submit, see the ticket; then find the case and its ticket in the database and the
//! ticket and receipt at the printer, decoded. A second test kills the kiosk mid-form: another
//! clerk signing in there sees nothing of it, the clerk who typed it gets it back, and every file
//! the kiosk made is private although it ran under `umask 000`.
//!
//! Needs tmux. Locally without it the tests say so loudly and return; under `CI=true` a missing
//! tmux fails them (`.ci/run` installs it).

mod support;

#[cfg(unix)]
use support::cli::mode;

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};
use support::escpos_decoder::decode;
use support::fake_printer::{FakePrinter, Mode};
use support::tmux::{Pane, tmux_available};

/// The environment every onewindow process of one test shares.
fn env(printer: &str) -> Vec<(String, String)> {
    [
        ("ONEWINDOW_SITE_CODE", "ZZ01"),
        ("ONEWINDOW_SITE_NAME", "金水区劳动人事争议调解中心"),
        ("ONEWINDOW_SITE_MINIMUM_WAGE_MONTHLY", "2420"),
        ("ONEWINDOW_PRINTER_PROFILE", "generic-80"),
        ("ONEWINDOW_WINDOW", "1"),
        ("ONEWINDOW_PRINTER", printer),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn onewindow(dir: &Path, env: &[(String, String)], args: &[&str], stdin: &str) -> String {
    let run = support::cli::onewindow(dir, env, args, stdin);
    assert!(run.success, "onewindow {args:?} failed: {}", run.stderr);
    run.stdout
}

/// A site with supervisor 9001 (PIN 999999), window 1, clerks 1001 (PIN 123456) and 1002 (PIN
/// 112233), set up with the CLI as an administrator would: the first supervisor on the empty
/// database, then everything else signed in as them.
fn set_up(dir: &Path, env: &[(String, String)]) {
    onewindow(
        dir,
        env,
        &[
            "db",
            "staff",
            "9001",
            "李主任",
            "--role",
            "supervisor",
            "--set-pin",
            "--pin-stdin",
        ],
        "999999\n",
    );
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
    onewindow(
        dir,
        env,
        &[&["db", "staff", "1002", "王芳", "--set-pin"][..], &boss].concat(),
        "999999\n112233\n",
    );
}

fn sign_in(p: &Pane) {
    sign_in_as(p, "1001", "123456", "1001 张敏");
}

fn sign_in_as(p: &Pane, staff: &str, pin: &str, shown: &str) {
    p.keys(&[staff, "Tab"]);
    p.keys(&[pin, "Enter"]);
    p.wait_for(shown);
}

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_registers_p04_and_the_worker_gets_ticket_and_receipt() {
    if !tmux_available() {
        return;
    }
    let printer = FakePrinter::start(Mode::Normal).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let env = env(&printer.url());
    set_up(dir.path(), &env);
    let p = Pane::start("ow_kiosk_p04", dir.path(), &env);
    sign_in(&p);
    p.keys(&["王丽"]);
    p.keys(&[
        "Tab",
        "Tab",
        "41010519900307158X",
        "Tab",
        "Tab",
        "13812345678",
    ]);
    p.keys(&["PageDown", "Tab"]);
    p.keys(&["郑州云启科技有限公司"]);
    p.keys(&["Tab", "91410100QFA99G5B0D"]);
    p.keys(&["PageDown", "2", "20210301", "Tab", "20241201", "Tab", "y"]);
    p.keys(&["PageDown", "Tab", "0", "3", "0", "6", "Tab", "20241201"]);
    p.keys(&["PageDown", "Enter", "2", "40000"]);
    let s = p.wait_for("去向：劳动人事争议调解");
    assert!(s.contains("LD06 赔偿金"), "{s}");
    p.keys(&["F10"]);
    let s = p.wait_for("T001");
    assert!(s.contains("ZZ01-"), "the case number is shown: {s}");

    // The printer gets the ticket and the receipt, once each (one connection may carry both).
    let papers = || decode(&printer.jobs().concat()).map_or_else(|_| vec![], |d| d.papers());
    wait_until("ticket and receipt at the printer", || papers().len() >= 2);
    sleep(Duration::from_millis(500));
    let stream: Vec<u8> = printer.jobs().concat();
    let decoded = decode(&stream).expect("the whole stream decodes");
    assert_eq!(decoded.cuts(), 2, "two papers, each cut once");
    let papers = papers();
    assert_eq!(papers.len(), 2, "ticket and receipt, printed once");
    let (ticket_text, receipt_text) = (&papers[0].text, &papers[1].text);
    assert!(ticket_text.contains("T001"), "{ticket_text}");
    assert!(
        !ticket_text.contains("王丽") && !ticket_text.contains("王*"),
        "no personal data on the ticket"
    );
    assert!(receipt_text.contains("王*"), "{receipt_text}");
    assert!(
        !receipt_text.contains("王丽"),
        "the name is masked on the receipt"
    );
    assert!(
        !receipt_text.contains("41010519900307158X") && receipt_text.contains("4101**********158X")
    );
    assert!(receipt_text.contains("本回执可作为您于"), "{receipt_text}");
    assert!(receipt_text.contains("劳动人事争议调解"), "{receipt_text}");
    let receipt_qrs = &papers[1].qrs;
    let case_no: String = s
        .find("ZZ01-")
        .map(|i| {
            s[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .expect("case number on screen");
    assert!(
        receipt_qrs.iter().any(|q| q.contains(&case_no)),
        "query QR carries {case_no}: {receipt_qrs:?}"
    );

    // The case, its ticket and its print jobs are in the database.
    let clerk = ["--staff", "1001", "--pin-stdin"];
    let shown = onewindow(
        dir.path(),
        &env,
        &[&["case", "show", &case_no, "--json"][..], &clerk].concat(),
        "123456\n",
    );
    let v: serde_json::Value = serde_json::from_str(&shown).expect("case show --json");
    let text = v.to_string();
    assert!(
        text.contains("labor_mediation") && text.contains("T001"),
        "{text}"
    );
    let jobs = onewindow(
        dir.path(),
        &env,
        &[&["print", "jobs"][..], &clerk].concat(),
        "123456\n",
    );
    assert_eq!(jobs.matches("已打印").count(), 2, "{jobs}");
    // Ctrl-Q asks before the kiosk closes.
    p.keys(&["C-q"]);
    p.wait_for("退出程序？");
    p.keys(&["y"]);
    printer.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_killed_mid_form_offers_the_draft_back() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let spool: PathBuf = dir.path().join("spool");
    let env = env(&format!("spool:{}", spool.display()));
    set_up(dir.path(), &env);
    {
        let p = Pane::start("ow_kiosk_kill", dir.path(), &env);
        sign_in(&p);
        p.keys(&["欧阳娜娜", "Tab", "Tab", "41010519900307158X"]);
        p.wait_for("41010519900307158X");
        sleep(Duration::from_millis(900)); // past the pause before a save
        p.kill();
    }
    let p = Pane::start("ow_kiosk_kill2", dir.path(), &env);
    // Another clerk at the same window sees nothing of it.
    sign_in_as(&p, "1002", "112233", "1002 王芳");
    sleep(Duration::from_millis(500));
    let s = p.screen();
    assert!(
        !s.contains("欧阳娜娜") && !s.contains("发现未提交的草稿"),
        "{s}"
    );
    #[cfg(unix)]
    {
        let drafts = dir.path().join("drafts");
        assert_eq!(mode(&drafts), 0o700);
        assert_eq!(mode(&drafts.join("w1-1001.json")), 0o600);
        for f in [
            "onewindow.db",
            "onewindow.db-wal",
            "onewindow.db-shm",
            "onewindow.log",
        ] {
            assert_eq!(mode(&dir.path().join(f)), 0o600, "{f}");
        }
    }
    p.keys(&["F9"]);
    p.wait_for("已退出登录");
    sign_in(&p);
    p.wait_for("发现未提交的草稿");
    p.keys(&["y"]);
    let s = p.wait_for("欧阳娜娜");
    assert!(s.contains("41010519900307158X"), "{s}");
    p.keys(&["C-q"]);
    p.wait_for("退出程序？");
    p.keys(&["y"]);
}
