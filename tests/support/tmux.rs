//! The one tmux driver of the end-to-end tests: the real `onewindow` binary in a 120×40 pane,
//! keys sent as a person types them, the screen read back as text.
//!
//! Needs tmux. Locally without it the tests say so loudly and return; under `CI=true` a missing
//! tmux fails them (`.ci/run` installs it).
//!
//! Each test process runs its own tmux server (`-L`, no configuration file), and the pane's
//! command drops every `ONEWINDOW_*` variable it did not set: a server started elsewhere (a
//! bench, a person's shell) keeps its environment for every session it opens, and a stray
//! `ONEWINDOW_…` setting there failed every end-to-end test with a configuration error.

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// `tmux` talking to this test process's own server.
pub fn tmux() -> Command {
    let socket = format!("onewindow-tests-{}", std::process::id());
    // One thread starts the server, with a session that lives as long as this process (the
    // server leaves with it): two tests starting it at once made one fail with "server exited
    // unexpectedly".
    static SERVER: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    SERVER.get_or_init(|| {
        let keep = format!("tail --pid={} -f /dev/null", std::process::id());
        let _ = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null"])
            .args(["new-session", "-d", "-s", "keepalive", &keep])
            .output();
    });
    let mut c = Command::new("tmux");
    c.args(["-L", &socket, "-f", "/dev/null"]);
    c
}

/// `env -u …` for every `ONEWINDOW_*` variable of this process, so the pane sees only the
/// settings a test gives it.
fn without_onewindow_settings() -> String {
    let mut cmd = String::from("env");
    for (k, _) in std::env::vars() {
        if k.starts_with("ONEWINDOW_") {
            cmd.push_str(&format!(" -u {k}"));
        }
    }
    cmd
}

pub fn tmux_available() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is required under CI=true"
        );
        eprintln!("\n*** SKIPPED: tmux is not installed; the end-to-end tests did not run ***\n");
    }
    ok
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_onewindow")
}

pub struct Pane {
    session: String,
}

impl Pane {
    /// The kiosk (`onewindow` without a command) in `dir` with `env`, once its sign-in shows.
    pub fn start(session: &str, dir: &Path, env: &[(String, String)]) -> Pane {
        Pane::run(session, dir, env, &[], "工号")
    }

    /// `onewindow ARGS` in `dir` with `env`, once the screen shows `ready`. Runs under
    /// `umask 000`, a umask that would leave every file world-writable: the program sets its
    /// modes itself.
    pub fn run(
        session: &str,
        dir: &Path,
        env: &[(String, String)],
        args: &[&str],
        ready: &str,
    ) -> Pane {
        Pane::launch(session, dir, env, args, ready, "")
    }

    /// As [`Pane::run`], and the pane stays 30 s after the program ends, so a test can see that
    /// it gave the screen back.
    pub fn run_and_hold(
        session: &str,
        dir: &Path,
        env: &[(String, String)],
        args: &[&str],
        ready: &str,
    ) -> Pane {
        Pane::launch(session, dir, env, args, ready, "; sleep 30")
    }

    fn launch(
        session: &str,
        dir: &Path,
        env: &[(String, String)],
        args: &[&str],
        ready: &str,
        after: &str,
    ) -> Pane {
        let _ = tmux().args(["kill-session", "-t", session]).output();
        let vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
        let args: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let cmd = format!(
            "umask 000 && cd '{}' && {} {} '{}' {}{after}",
            dir.display(),
            without_onewindow_settings(),
            vars.join(" "),
            binary(),
            args.join(" ")
        );
        let ok = tmux()
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
        p.wait_for(ready);
        p
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session.as_str()];
        args.extend_from_slice(keys);
        assert!(
            tmux().args(&args).status().expect("send-keys").success(),
            "send-keys {keys:?}"
        );
        sleep(Duration::from_millis(150));
    }

    pub fn screen(&self) -> String {
        let out = tmux()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "waited for {text:?}; screen:\n{s}"
            );
            sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `text` has left the screen.
    pub fn wait_until_gone(&self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{text:?} is still on the screen"
            );
            sleep(Duration::from_millis(50));
        }
    }

    pub fn kill(&self) {
        let out = tmux()
            .args(["list-panes", "-t", &self.session, "-F", "#{pane_pid}"])
            .output()
            .expect("list-panes");
        let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if shell.is_empty() {
            return; // the program ended and its pane with it
        }
        let _ = Command::new("pkill").args(["-KILL", "-P", &shell]).status();
        let _ = Command::new("kill").args(["-KILL", &shell]).status();
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = tmux().args(["kill-session", "-t", &self.session]).output();
    }
}
