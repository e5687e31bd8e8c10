//! End-to-end: the real kiosk program (`examples/kiosk_demo`, the `run` loop over
//! `MemoryBackend`) in a tmux pane, driven with `tmux send-keys`. Ignored by default because it
//! needs tmux and a built example; run with `cargo test --test tui_tmux -- --ignored`.

use std::path::PathBuf;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

fn example() -> PathBuf {
    // target/debug/deps/tui_tmux-… → target/debug/examples/kiosk_demo
    let exe = std::env::current_exe().expect("test exe");
    let dir = exe.parent().and_then(|p| p.parent()).expect("target dir");
    dir.join("examples").join("kiosk_demo")
}

struct Pane {
    session: String,
}

impl Pane {
    fn start(session: &str, draft: &str) -> Pane {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", session])
            .status();
        let cmd = format!("ONEWINDOW_DRAFT={draft} {}", example().display());
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                "120",
                "-y",
                "40",
                &cmd,
            ])
            .status()
            .expect("tmux")
            .success();
        assert!(ok, "tmux new-session");
        let p = Pane {
            session: session.to_string(),
        };
        p.wait_for("工号");
        p
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session.as_str()];
        args.extend_from_slice(keys);
        Command::new("tmux")
            .args(&args)
            .status()
            .expect("send-keys");
        sleep(Duration::from_millis(120));
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited for {text:?}; screen:\n{s}"
            );
            sleep(Duration::from_millis(50));
        }
    }

    fn pid(&self) -> String {
        let out = Command::new("tmux")
            .args(["list-panes", "-t", &self.session, "-F", "#{pane_pid}"])
            .output()
            .expect("list-panes");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

fn sign_in(p: &Pane) {
    p.keys(&["1001", "Enter"]);
    p.keys(&["123456", "Enter"]);
    p.wait_for("1001 张敏");
}

#[test]
#[ignore = "needs tmux and the kiosk_demo example"]
fn p04_in_the_real_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let draft = dir.path().join("draft.json");
    let p = Pane::start("ow_e2e_p04", &draft.display().to_string());
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
    sleep(Duration::from_millis(800)); // past the 400 ms pause before a save
    assert!(draft.exists(), "the draft is on disk while typing");
    p.keys(&["F10"]);
    let s = p.wait_for("请取排队号");
    assert!(s.contains("T001"), "{s}");
    sleep(Duration::from_millis(300));
    assert!(!draft.exists(), "a submitted case leaves no draft");
    p.keys(&["C-q"]);
}

#[test]
#[ignore = "needs tmux and the kiosk_demo example"]
fn killed_mid_form_the_draft_comes_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let draft = dir.path().join("draft.json").display().to_string();
    {
        let p = Pane::start("ow_e2e_kill", &draft);
        sign_in(&p);
        p.keys(&["欧阳娜娜", "Tab", "Tab", "41010519900307158X"]);
        p.wait_for("41010519900307158X");
        sleep(Duration::from_millis(800)); // past the 400 ms pause before a save
        // SIGKILL the kiosk (the pane's shell runs it as its only child or as itself).
        let shell = p.pid();
        let _ = Command::new("pkill").args(["-KILL", "-P", &shell]).status();
        let _ = Command::new("kill").args(["-KILL", &shell]).status();
    }
    let p = Pane::start("ow_e2e_kill2", &draft);
    sign_in(&p);
    p.wait_for("发现未提交的草稿");
    p.keys(&["y"]);
    let s = p.wait_for("欧阳娜娜");
    assert!(s.contains("41010519900307158X"), "{s}");
    p.keys(&["C-q"]);
}
