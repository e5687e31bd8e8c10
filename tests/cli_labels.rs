//! Command output shows labels a person reads, in the language asked for (`--lang`), not the
//! codes stored; `--json` keeps the codes for scripts. Through the real binary on a SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

const BOSS: &str = "654321";

fn run(dir: &Path, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--staff", "9001", "--pin-stdin"]);
    let r = support::cli::onewindow(dir, &[], &all, &format!("{BOSS}\n"));
    assert!(r.success, "{args:?}: {}", r.stderr);
    r.stdout
}

#[test]
fn case_history_and_audit_read_in_words_and_json_keeps_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("onewindow.toml"), "[site]\ncode = \"ZZ01\"\n").unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/case.toml"),
        d.join("case.toml"),
    )
    .unwrap();
    let first = support::cli::onewindow(
        d,
        &[],
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
        &format!("{BOSS}\n"),
    );
    assert!(first.success, "{}", first.stderr);
    run(d, &["db", "window", "1"]);
    // The text of a registration, in English: labels, not codes.
    let text = run(
        d,
        &[
            "intake",
            "case.toml",
            "--window",
            "1",
            "--lang",
            "en",
            "--at",
            "2025-03-10T09:30:00+08:00",
        ],
    );
    assert!(text.contains("route: Labour-dispute mediation"), "{text}");
    assert!(!text.contains("labor_mediation"), "{text}");
    let out = run(d, &["intake", "case.toml", "--window", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let case_no = v["case_no"].as_str().unwrap().to_string();
    run(d, &["queue", "call", "--window", "1"]);
    run(
        d,
        &[
            "queue",
            "transfer",
            "T001",
            "--to",
            "Z",
            "--reason",
            "申请仲裁",
        ],
    );
    run(d, &["case", "show", &case_no]);

    let zh = run(d, &["case", "audit", &case_no]);
    for label in [
        "登记",
        "出号 T001",
        "叫号 T001",
        "转移至劳动人事争议仲裁",
        "新号 Z001",
        "查阅",
    ] {
        assert!(zh.contains(label), "{label}: {zh}");
    }
    for code in ["intake", "ticket_called", "ticket_transferred", "case_read"] {
        assert!(!zh.contains(code), "{code} is a code: {zh}");
    }
    let en = run(d, &["case", "audit", &case_no, "--lang", "en"]);
    assert!(en.contains("Audit of case"), "{en}");
    assert!(en.contains("read"), "{en}");
    assert!(!en.contains("查阅") && !en.contains("case_read"), "{en}");
    let shown = run(d, &["case", "show", &case_no]);
    assert!(shown.contains("转移至劳动人事争议仲裁"), "{shown}");
    // JSON keeps the codes.
    let json = run(d, &["case", "audit", &case_no, "--json", "--lang", "en"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let actions: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"ticket_transferred"), "{actions:?}");
    assert!(actions.contains(&"case_read"), "{actions:?}");

    // The queue and the paper, in words; in English with --lang en.
    let list = run(d, &["queue", "list", "--state", "all"]);
    assert!(
        list.contains("T001 已转移") && list.contains("劳动人事争议调解"),
        "{list}"
    );
    assert!(list.contains("转移原因 申请仲裁"), "{list}");
    assert!(!list.contains("transferred"), "{list}");
    let list = run(d, &["queue", "list", "--state", "all", "--lang", "en"]);
    assert!(
        list.contains("Z001 Waiting") && list.contains("Labour-dispute arbitration"),
        "{list}"
    );
    let json = run(
        d,
        &["queue", "list", "--state", "all", "--json", "--lang", "en"],
    );
    assert!(
        json.contains("\"transferred\"") && json.contains("\"arbitration\""),
        "{json}"
    );
    let jobs = run(d, &["print", "jobs"]);
    assert!(
        jobs.contains("排队号") && jobs.contains("登记回执"),
        "{jobs}"
    );
    let jobs = run(d, &["print", "jobs", "--lang", "en"]);
    assert!(
        jobs.contains("Queue ticket") && jobs.contains("Intake receipt"),
        "{jobs}"
    );
    let history = run(d, &["print", "history", "1", "--lang", "en"]);
    assert!(history.contains("outcome"), "{history}");
}
