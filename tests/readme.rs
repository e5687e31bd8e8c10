//! The README is executable: every line of every ```sh block in README.md runs, in order, as a
//! real process (`sh -c LINE`, with the built `onewindow` first on the PATH) in a fresh folder,
//! once on SQLite and once on a fresh PostgreSQL database, and the effect of each is checked.
//! The checks are a table keyed by the exact command (the line without its trailing comment): a
//! README line with no entry, or an entry with no README line, fails the test, so the README and
//! this test cannot drift apart. The interactive ones (kiosk, supervisor, display) run briefly
//! in tmux.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "common/db.rs"]
mod testdb;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use testdb::{Raw, TestDb};

/// The commands of the README's sh blocks, in order, each without its trailing comment.
fn readme_commands() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let mut in_sh = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = !in_sh && line.trim() == "```sh";
            continue;
        }
        if in_sh {
            let command = strip_comment(line);
            if !command.is_empty() {
                out.push(command);
            }
        }
    }
    out
}

/// `cmd   # comment` → `cmd` (a `#` after whitespace starts a comment, as in sh).
fn strip_comment(line: &str) -> String {
    let mut prev_space = true;
    let mut quoted: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quoted, c) {
            (Some(q), c) if c == q => quoted = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quoted = Some(c),
            (None, '#') if prev_space => return line[..i].trim().to_string(),
            _ => {}
        }
        prev_space = c.is_whitespace();
    }
    line.trim().to_string()
}

/// What one command did, and where to look for its effect.
struct Step<'a> {
    stdout: String,
    stderr: String,
    dir: &'a Path,
    url: &'a str,
    rt: &'a tokio::runtime::Runtime,
}

impl Step<'_> {
    fn ok(&self) -> &Self {
        assert!(
            self.stderr.is_empty() || !self.stderr.contains("onewindow:"),
            "stderr: {}",
            self.stderr
        );
        self
    }
    fn says(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }
    /// The one text column of every row of `sql` on the database the commands use.
    fn sql(&self, sql: &str) -> Vec<String> {
        self.rt.block_on(async {
            let raw = Raw::open(&onewindow::storage::DbUrl::new(self.url.to_string())).await;
            let rows = raw.texts(sql).await;
            raw.close().await;
            rows
        })
    }
    fn file(&self, name: &str) -> PathBuf {
        let p = self.dir.join(name);
        assert!(p.exists(), "{} was not written", p.display());
        p
    }
}

type Check = fn(&Step);

/// The README's commands and what each must have done.
fn checks() -> BTreeMap<&'static str, Check> {
    let mut m: BTreeMap<&'static str, Check> = BTreeMap::new();
    m.insert(
        r#"printf '[site]\ncode = "ZZ01"\nname = "郑州市金水区劳动人事争议调解中心"\n' > onewindow.toml"#,
        |s| {
            let toml = std::fs::read_to_string(s.file("onewindow.toml")).unwrap();
            assert!(toml.contains("code = \"ZZ01\""), "{toml}");
        },
    );
    m.insert(
        "echo 654321 | onewindow db staff 9001 李主任 --role supervisor --set-pin --pin-stdin",
        |s| {
            s.ok().says("工作人员 9001 已保存（值班负责人）（站点 ZZ01）");
            assert_eq!(
                s.sql("SELECT s.code FROM staff s JOIN sites t ON t.id = s.site_id WHERE t.code = 'ZZ01' AND s.role = 'supervisor' AND s.pin_hash IS NOT NULL"),
                ["9001"]
            );
            assert_eq!(s.sql("SELECT code FROM sites"), ["ZZ01"], "one site");
        },
    );
    m.insert(
        "echo 654321 | onewindow db window 1 --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("窗口 1");
            assert_eq!(
                s.sql("SELECT CAST(number AS TEXT) FROM windows WHERE number = 1"),
                ["1"]
            );
        },
    );
    m.insert(
        "echo 654321 | onewindow db window 2 --routes labor_mediation,arbitration --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("窗口 2 窗口2: 劳动人事争议调解、劳动人事争议仲裁");
        },
    );
    m.insert(
        r"printf '654321\n123456\n' | onewindow db staff 1002 王小明 --set-pin --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("工作人员 1002 已保存（窗口工作人员）（站点 ZZ01）");
            assert_eq!(
                s.sql("SELECT name FROM staff WHERE code = '1002' AND role = 'clerk' AND pin_hash IS NOT NULL"),
                ["王小明"]
            );
        },
    );
    m.insert(
        r"printf '654321\n111111\n' | onewindow db staff 1003 赵六 --set-pin --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("工作人员 1003 已保存（窗口工作人员）");
        },
    );
    m.insert(
        "echo 654321 | onewindow db staff 1003 --deactivate --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("已停用");
            assert_eq!(
                s.sql("SELECT code FROM staff WHERE active = FALSE"),
                ["1003"]
            );
        },
    );
    m.insert(
        "echo 123456 | onewindow intake examples/case.toml --window 1 --at 2025-03-10T09:30:00+08:00 --staff 1002 --pin-stdin --json",
        |s| {
            let out: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
            assert_eq!(out["case_no"], "ZZ01-20250310-0001");
            assert_eq!(out["ticket"]["ticket_no"], "T001");
            // The ticket and the receipt came out of the spool-folder printer.
            let spool: Vec<String> = std::fs::read_dir(s.file("spool"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert!(
                spool.iter().any(|f| f.ends_with("ticket.txt"))
                    && spool.iter().any(|f| f.ends_with("receipt.txt")),
                "{spool:?}"
            );
        },
    );
    m.insert(
        "echo 123456 | onewindow queue issue T --staff 1002 --pin-stdin",
        |s| {
            s.ok().says("T001 等候");
            // The walk-in's ticket printed at once: a second ticket in the spool folder.
            let tickets = std::fs::read_dir(s.file("spool"))
                .unwrap()
                .filter(|e| {
                    let name = e.as_ref().unwrap().file_name();
                    name.to_string_lossy().ends_with("ticket.txt")
                })
                .count();
            assert_eq!(tickets, 2, "the intake's ticket and the walk-in's");
        },
    );
    m.insert(
        "echo 654321 | onewindow queue call --window 1 --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("T001 已叫号");
        },
    );
    m.insert(
        "echo 654321 | onewindow queue start T001 --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("T001 办理中");
        },
    );
    m.insert(
        "echo 654321 | onewindow queue finish T001 --outcome advised --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("T001 已办结").says("结果 已解答");
        },
    );
    m.insert(
        "echo 654321 | onewindow queue list --state all --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("T001 已办结");
        },
    );
    m.insert(
        "echo 123456 | onewindow case show ZZ01-20250310-0001 --staff 1002 --pin-stdin",
        |s| {
            s.ok().says("ZZ01-20250310-0001").says("王*");
            assert!(!s.stdout.contains("41010519900307158X"), "masked");
        },
    );
    m.insert(
        "echo 654321 | onewindow case show ZZ01-20250310-0001 --full --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("王丽").says("41010519900307158X");
        },
    );
    m.insert(
        "echo 654321 | onewindow case audit ZZ01-20250310-0001 --staff 9001 --pin-stdin",
        |s| {
            // Labels, not codes: the registration, the clerk's masked read and the full one.
            s.ok().says("登记").says("查阅");
            assert!(!s.stdout.contains("case_read"), "{}", s.stdout);
        },
    );
    m.insert("onewindow print preview --sample", |s| {
        s.ok().says("劳动争议登记回执");
    });
    m.insert(
        "onewindow print preview --sample --layout ticket --lang en",
        |s| {
            s.ok().says("T001");
            assert!(!s.stdout.contains("排队号"), "in English:\n{}", s.stdout);
        },
    );
    m.insert(
        "onewindow print test --profile generic-80 --to spool:testpage",
        |s| {
            s.ok().says("测试页已发送到");
            assert!(std::fs::read_dir(s.file("testpage")).unwrap().count() > 0);
        },
    );
    m.insert(
        "echo 123456 | onewindow print run --all --staff 1002 --pin-stdin",
        |s| {
            s.ok().says("没有待打印的任务");
        },
    );
    m.insert(
        "echo 123456 | onewindow print jobs --staff 1002 --pin-stdin",
        |s| {
            s.ok().says("登记回执").says("已打印");
        },
    );
    m.insert(
        "echo 123456 | onewindow print reprint 2 --staff 1002 --pin-stdin",
        |s| {
            s.ok();
            assert_eq!(
                s.sql("SELECT CAST(COUNT(*) AS TEXT) FROM print_jobs"),
                ["4"],
                "a new job beside the intake's two and the walk-in's ticket"
            );
        },
    );
    m.insert(
        "echo 123456 | onewindow print history 2 --staff 1002 --pin-stdin",
        |s| {
            s.ok().says("+08:00");
        },
    );
    m.insert(
        "echo 654321 | onewindow report --from 2025-03-01 --to 2025-03-31 --format xlsx --out 2025-03.xlsx --staff 9001 --pin-stdin",
        |s| {
            s.ok();
            assert_eq!(support::cli::mode(&s.file("2025-03.xlsx")), 0o600);
        },
    );
    m.insert(
        "echo 654321 | onewindow followup list --staff 9001 --pin-stdin",
        |s| {
            s.ok();
        },
    );
    m.insert("onewindow config", |s| {
        s.ok().says("code = \"ZZ01\"");
    });
    m.insert(
        "onewindow --db sqlite://sample.db seed --cases 1000 --month 2025-03",
        |s| {
            s.ok();
            let url = format!("sqlite://{}", s.file("sample.db").display());
            let n = s.rt.block_on(async {
                let raw = Raw::open(&onewindow::storage::DbUrl::new(url)).await;
                let n = raw.texts("SELECT CAST(COUNT(*) AS TEXT) FROM cases").await;
                raw.close().await;
                n
            });
            assert_eq!(n, ["1000"]);
        },
    );
    m.insert(
        "onewindow classify examples/dismissal.toml --at 2025-03-10T09:30:00+08:00",
        |s| {
            let d: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
            assert_eq!(d["route"], "labor_mediation");
        },
    );
    m.insert(
        "onewindow classify examples/dual-track.json --at 2025-03-10T09:30:00+08:00",
        |s| {
            let d: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
            assert_eq!(d["status"], "routed");
        },
    );
    m.insert("onewindow classify examples/bad-input.toml", |s| {
        let d: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
        assert_eq!(d["status"], "blocked");
        assert!(!d["errors"].as_array().unwrap().is_empty());
    });
    m.insert(
        "echo 654321 | onewindow db backup --to backup/onewindow-$(date +%F).db --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("已备份到");
            let backups = std::fs::read_dir(s.file("backup")).unwrap().count();
            assert_eq!(backups, 1);
        },
    );
    m.insert(
        "echo 654321 | onewindow db restore --from backup/onewindow-$(date +%F).db --replace --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("已从").says("恢复");
            // Everything is back, the walk-in's finished ticket included.
            assert_eq!(s.sql("SELECT case_no FROM cases"), ["ZZ01-20250310-0001"]);
            assert_eq!(
                s.sql("SELECT CAST(COUNT(*) AS TEXT) FROM tickets"),
                ["2"]
            );
        },
    );
    m.insert(
        "echo 654321 | onewindow db purge --dry-run --set data.retention_years=10 --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("0 件案件").says("将被匿名化");
        },
    );
    m.insert(
        "echo 654321 | onewindow db purge --set data.retention_years=10 --staff 9001 --pin-stdin",
        |s| {
            s.ok().says("0 件案件").says("已匿名化");
            assert_eq!(s.sql("SELECT case_no FROM cases"), ["ZZ01-20250310-0001"]);
        },
    );
    m
}

/// The interactive commands: run in tmux, driven briefly, checked on screen and in the database.
fn interactive(
    command: &str,
    dir: &Path,
    env: &[(String, String)],
    url: &str,
    rt: &tokio::runtime::Runtime,
) -> bool {
    // Unique per backend too: the two backends' runs go on in parallel.
    let backend = if url.starts_with("sqlite") {
        "sqlite"
    } else {
        "pg"
    };
    let session = format!(
        "ow_readme_{backend}_{}_{}",
        std::process::id(),
        command.len()
    );
    let step = |stdout: String| Step {
        stdout,
        stderr: String::new(),
        dir,
        url,
        rt,
    };
    match command {
        "onewindow" => {
            // The site is set up: the kiosk opens on the sign-in screen, and the clerk signs in.
            let p = support::tmux::Pane::run(&session, dir, env, &[], "工号");
            p.keys(&["1002", "Enter"]);
            p.keys(&["123456", "Enter"]);
            let screen = p.wait_for("王小明");
            p.kill();
            step(screen).says("1002");
            assert_eq!(
                step(String::new()).sql(
                    "SELECT s.code FROM window_sessions ws JOIN staff s ON s.id = ws.staff_id"
                ),
                ["1002"],
                "a session at window 1"
            );
        }
        "onewindow supervisor --staff 9001" => {
            let p = support::tmux::Pane::run(
                &session,
                dir,
                env,
                &["supervisor", "--staff", "9001"],
                "9001",
            );
            p.keys(&["654321", "Enter"]);
            let screen = p.wait_for("值班负责人看板");
            p.kill();
            // The day's queues, with the walk-in served at window 1 counted as done.
            let t = screen
                .lines()
                .find(|l| l.contains("T 劳动人事争议调解"))
                .unwrap_or_else(|| panic!("{screen}"));
            assert!(t.trim_end_matches(['│', ' ']).ends_with('1'), "{t}");
        }
        "onewindow display" => {
            let p = support::tmux::Pane::run(&session, dir, env, &["display"], "T001");
            let screen = p.screen();
            p.kill();
            step(screen).says("T001");
        }
        _ => return false,
    }
    true
}

fn run_readme(db: TestDb) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Only the commands may hold the database (a restore --replace on PostgreSQL refuses while
    // anything else is connected).
    rt.block_on(db.store.close());
    let url = db.url.expose().to_string();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")),
        &dir.path().join("examples"),
    );
    let bin = dir.path().join(".bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(support::tmux::binary(), bin.join("onewindow")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = vec![("ONEWINDOW_DB".to_string(), url.clone())];
    let commands = readme_commands();
    let mut table = checks();
    let tmux = support::tmux::tmux_available();
    let interactive_lines = [
        "onewindow",
        "onewindow supervisor --staff 9001",
        "onewindow display",
    ];
    // Every README line has its check, and every check its README line.
    for c in &commands {
        assert!(
            table.contains_key(c.as_str()) || interactive_lines.contains(&c.as_str()),
            "README command without a check in tests/readme.rs: {c}"
        );
    }
    for k in table.keys().chain(interactive_lines.iter()) {
        assert!(
            commands.iter().any(|c| c == k),
            "tests/readme.rs checks a command the README no longer shows: {k}"
        );
    }
    let started = std::time::Instant::now();
    for c in &commands {
        if interactive_lines.contains(&c.as_str()) {
            if tmux {
                assert!(interactive(c, dir.path(), &env, &url, &rt));
            }
            continue;
        }
        let out = Command::new("sh")
            .arg("-c")
            .arg(c)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("ONEWINDOW_DB", &url)
            .env_remove("ONEWINDOW_CONFIG")
            .stdin(Stdio::null())
            .output()
            .expect("sh runs");
        let step = Step {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            dir: dir.path(),
            url: &url,
            rt: &rt,
        };
        assert!(
            out.status.success(),
            "README command failed: {c}\nstdout: {}\nstderr: {}",
            step.stdout,
            step.stderr
        );
        let check = table.remove(c.as_str()).expect("checked above");
        check(&step);
    }
    eprintln!(
        "README: {} commands in {:.1} s",
        commands.len(),
        started.elapsed().as_secs_f64()
    );
    drop(db);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn every_readme_command_runs_on_sqlite() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(TestDb::sqlite());
    drop(rt);
    run_readme(db);
}

#[test]
fn every_readme_command_runs_on_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(TestDb::postgres()) else {
        return;
    };
    drop(rt);
    run_readme(db);
}

#[test]
fn comments_are_stripped_as_sh_strips_them() {
    assert_eq!(strip_comment("onewindow   # the kiosk"), "onewindow");
    assert_eq!(
        strip_comment(r#"printf '# not a comment' > f  # a comment"#),
        r#"printf '# not a comment' > f"#
    );
    assert_eq!(strip_comment("echo a#b"), "echo a#b");
}
