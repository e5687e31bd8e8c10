//! The real binary run as a command, the way a script or an administrator runs it.

use std::path::Path;
use std::process::{Command, Stdio};

/// What a command did.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// `onewindow ARGS` in `dir`, with `env` (no inherited `ONEWINDOW_CONFIG` or `ONEWINDOW_DB`) and
/// `stdin`, under `umask 000` — a umask that would leave every file open to everyone: the
/// program sets its modes itself.
pub fn onewindow(dir: &Path, env: &[(String, String)], args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(super::tmux::binary())
        .args(args)
        .current_dir(dir)
        .envs(env.iter().cloned())
        .env_remove("ONEWINDOW_CONFIG")
        .env_remove("ONEWINDOW_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("onewindow runs");
    {
        use std::io::Write;
        let mut input = child.stdin.take().expect("stdin");
        // A command refused before it reads its PIN (a bad argument) may have exited already.
        match input.write_all(stdin.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("write stdin: {e}"),
            _ => {}
        }
    }
    let out = child.wait_with_output().expect("onewindow finishes");
    Run {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The permission bits of a file or folder (`0o600`).
#[cfg(unix)]
pub fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}
