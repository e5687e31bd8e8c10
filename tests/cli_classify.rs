//! `onewindow classify` as a person runs it: JSON on stdout, exit codes, messages naming the file,
//! line and field.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onewindow"))
        .args(args)
        .current_dir(dir)
        // Keep the developer's environment from changing the answer.
        .env_remove("ONEWINDOW_CONFIG")
        .env_remove("ONEWINDOW_DB")
        .env_remove("ONEWINDOW_LANG")
        .output()
        .expect("runs")
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

/// Classifies an example at the scenarios' intake time and parses the one JSON object printed.
fn classify_example(dir: &Path, name: &str) -> (Output, serde_json::Value) {
    let out = run(
        dir,
        &[
            "classify",
            &example(name),
            "--at",
            "2025-03-10T09:30:00+08:00",
        ],
    );
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out, v)
}

#[test]
fn routes_an_example_and_prints_one_json_object() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, v) = classify_example(dir.path(), "dismissal.toml");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(v["status"], "routed");
    assert_eq!(v["route"], "labor_mediation");
    assert_eq!(v["queue"], "T");
    assert_eq!(v["deadlines"]["mediation_period_ends"], "2025-03-25");
    assert_eq!(v["deadlines"]["limitation_expires"], "2025-12-01");
    assert_eq!(v["reasons"][0]["rule"], "R11");
    assert!(
        v["reasons"][0]["basis"]
            .as_str()
            .expect("basis")
            .contains("调解仲裁法")
    );
    // Logs go to a file, never the terminal.
    assert!(dir.path().join("onewindow.log").exists());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn json_input_gives_the_same_kind_of_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, v) = classify_example(dir.path(), "dual-track.json");
    assert!(out.status.success());
    assert_eq!(v["route"], "labor_mediation");
    assert_eq!(v["also"], serde_json::json!(["labor_inspection"]));
}

#[test]
fn invalid_records_exit_zero_blocked_with_every_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, v) = classify_example(dir.path(), "bad-input.toml");
    assert!(out.status.success());
    assert_eq!(v["status"], "blocked");
    assert_eq!(v["route"], serde_json::Value::Null);
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for f in [
        "applicant.id_number",
        "applicant.phone",
        "employment.ended_on",
        "dispute.claims[0].amount",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert_eq!(v["warnings"][0]["field"], "counterparty.credit_code");
}

#[test]
fn unparsable_files_exit_non_zero_naming_file_line_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("typo.toml");
    std::fs::write(
        &file,
        "[applicant]\nname = \"张三\"\n\n[dispute]\ncategorys = [\"LD04\"]\n",
    )
    .expect("write");
    let out = run(dir.path(), &["classify", "typo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("typo.toml:5:"), "{err}");
    assert!(err.contains("dispute.categorys"), "{err}");
    assert!(out.stdout.is_empty());

    let out = run(dir.path(), &["classify", "missing.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

#[test]
fn site_table_in_the_file_overrides_the_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("onewindow.toml"),
        "[site.ticket_prefixes]\nlabor_mediation = \"M\"\n",
    )
    .expect("write");
    let (_, v) = classify_example(dir.path(), "dismissal.toml");

    assert_eq!(
        v["queue"], "M",
        "the config file in the working directory is read"
    );

    let bad = dir.path().join("bad-site.toml");
    std::fs::write(
        &bad,
        "[site]\nminimum_wage_monthly = \"lots\"\n[applicant]\nname = \"张三\"\n",
    )
    .expect("write");
    let out = run(dir.path(), &["classify", "bad-site.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad-site.toml") && err.contains("site.minimum_wage_monthly"),
        "{err}"
    );
}

#[test]
fn bad_at_time_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(
        dir.path(),
        &["classify", &example("dismissal.toml"), "--at", "2025-03-10"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--at"));
}
