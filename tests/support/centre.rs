//! A small centre made the way an administrator makes it, through the real binary: site ZZ01
//! from the environment, supervisor 9001 (PIN 999999), window 1 and clerk 1001 (PIN 123456),
//! paper to `spool/`. For the tmux tests that then drive the kiosk.

use std::path::{Path, PathBuf};

/// The environment a kiosk and its commands run with, on the database `db` (empty: the default
/// SQLite file in the working folder).
pub fn env(db: &str) -> Vec<(String, String)> {
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

/// A command on the test's database, which must succeed; its standard output. The runner drops
/// `ONEWINDOW_DB`, so the database goes as `--db`.
pub fn onewindow(dir: &Path, env: &[(String, String)], args: &[&str], stdin: &str) -> String {
    let mut args = args.to_vec();
    if let Some((_, db)) = env.iter().find(|(k, _)| k == "ONEWINDOW_DB") {
        args.extend(["--db", db.as_str()]);
    }
    let run = super::cli::onewindow(dir, env, &args, stdin);
    assert!(run.success, "onewindow {args:?} failed: {}", run.stderr);
    run.stdout
}

/// Supervisor 9001, window 1 and clerk 1001 (PIN 123456).
pub fn set_up(dir: &Path, env: &[(String, String)]) {
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

/// A shared scenario's record (its `[case]` table) written as an intake file in `dir`.
pub fn intake_file(dir: &Path, scenario: &str) -> PathBuf {
    let text =
        std::fs::read_to_string(format!("tests/scenarios/{scenario}.toml")).expect("scenario");
    let doc: toml::Table = toml::from_str(&text).expect("scenario parses");
    let case = doc["case"].as_table().expect("[case]").clone();
    let path = dir.join(format!("{scenario}.intake.toml"));
    std::fs::write(&path, toml::to_string(&case).expect("TOML")).expect("write");
    path
}
