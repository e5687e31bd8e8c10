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
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // classify leaves no trace: no log file (or anything else) in the working directory.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "classify wrote {left:?}");
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

/// Writes `text` to `name` in `dir` and classifies it at the scenarios' intake time.
fn classify_text(dir: &Path, name: &str, text: &[u8]) -> (Output, serde_json::Value) {
    std::fs::write(dir.join(name), text).expect("write");
    let out = run(
        dir,
        &["classify", name, "--at", "2025-03-10T09:30:00+08:00"],
    );
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out, v)
}

/// `(field, code)` of every error.
fn errors(v: &serde_json::Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_string(),
                        e["code"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has(v: &serde_json::Value, field: &str, code: &str) -> bool {
    errors(v).contains(&(field.to_string(), code.to_string()))
}

const VALID: &str = "[applicant]\nname = \"王丽\"\nid_number = \"41010519900307158X\"\n\
    phone = \"13812345678\"\n\n[counterparty]\nname = \"郑州云启科技有限公司\"\n\n\
    [employment]\nstatus = \"ended\"\nstarted_on = \"2021-03-01\"\nended_on = \"2024-12-01\"\n\n\
    [dispute]\ncategories = [\"LD03\", \"LD06\"]\nknown_on = \"2024-12-01\"\n\n\
    [[dispute.claims]]\ncategory = \"LD06\"\namount = 40000\n";

#[test]
fn the_valid_sample_routes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, v) = classify_text(dir.path(), "ok.toml", VALID.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(v["status"], "routed", "{v}");
}

/// v2.1 §2: unknown fields, unknown values and wrong types are results, reported with every
/// other problem, with a Chinese message: not exit 2.
#[test]
fn unknown_fields_values_and_wrong_types_are_blocked_results() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = VALID
        .replace(
            "categories = [\"LD03\", \"LD06\"]",
            "categories = [\"LD17\", \"LD06\"]\ncategorys = [\"LD04\"]",
        )
        .replace("13812345678", "2381234567");
    let (out, v) = classify_text(dir.path(), "typo.toml", text.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(v["status"], "blocked");
    assert!(has(&v, "dispute.categories[0]", "unknown_value"), "{v}");
    assert!(has(&v, "dispute.categorys", "unknown_field"), "{v}");
    assert!(
        has(&v, "applicant.phone", "phone_invalid"),
        "the phone error is kept: {v}"
    );
    let message = v["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("LD17") && message.contains("可选"),
        "{message}"
    );

    // A claim without a category, a float count, a wrong type in a sub-table.
    let text = VALID.replace("category = \"LD06\"\n", "").replace(
        "known_on = \"2024-12-01\"\n\n[[",
        "known_on = \"2024-12-01\"\nworkers_involved = 10.0\nescalating = \"yes\"\n\n[[",
    );
    let (out, v) = classify_text(dir.path(), "types.toml", text.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert!(has(&v, "dispute.claims[0].category", "required"), "{v}");
    assert!(has(&v, "dispute.workers_involved", "wrong_type"), "{v}");
    assert!(has(&v, "dispute.escalating", "wrong_type"), "{v}");
}

#[test]
fn json_null_and_padded_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = r#"{"applicant": {"name": "王丽", "id_number": "41010519900307158X", "phone": "13812345678"},
 "counterparty": {"name": "郑州云启科技有限公司", "kind": null},
 "employment": {"status": " ended", "started_on": "2021-03-01", "ended_on": "2024-12-01"},
 "dispute": {"categories": ["LD03", "LD06"], "known_on": "2024-12-01",
   "claims": [{"category": "LD06", "amount": "40,000"}]}}"#;
    let (out, v) = classify_text(dir.path(), "null.json", text.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        errors(&v),
        [("counterparty.kind".to_string(), "wrong_type".to_string())],
        "{v}"
    );

    // Without the null, `status = " ended"` is trimmed to a known value and the case routes.
    let (_, v) = classify_text(
        dir.path(),
        "padded.json",
        text.replace(r#", "kind": null"#, "").as_bytes(),
    );
    assert_eq!(v["status"], "routed", "{v}");

    // A JSON document that is not an object is still JSON: a result, not exit 2.
    let (out, v) = classify_text(dir.path(), "list.json", b"[1, 2]");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        errors(&v),
        [(String::new(), "wrong_type".to_string())],
        "{v}"
    );
}

/// v2.1 §2: an input method's full-width digits are accepted.
#[test]
fn full_width_digits_route() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = VALID
        .replace("41010519900307158X", "４１０１０５１９９００３０７１５８ｘ")
        .replace("13812345678", "１３８１２３４５６７８")
        .replace("\"2024-12-01\"", "\"２０２４－１２－０１\"");
    let (out, v) = classify_text(dir.path(), "wide.toml", text.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(v["status"], "routed", "{v}");
    assert_eq!(v["deadlines"]["limitation_expires"], "2025-12-01");
}

/// Only a file that is not TOML/JSON at all exits 2, with FILE:LINE:COLUMN (never 0:0).
#[test]
fn unparsable_files_exit_2_with_a_real_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep_key = format!("[{}]\n", vec!["a"; 200].join("."));
    let deep_json = format!("{{\"a\": {}{}}}", "[".repeat(300), "]".repeat(300));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "unterminated.toml",
            b"[applicant]\nname = \"\xe7\x8e\x8b\n".to_vec(),
            "unterminated.toml:2:",
        ),
        (
            "latin1.toml",
            b"[applicant]\nname = \"Jos\xe9\"\n".to_vec(),
            "latin1.toml:2:12:",
        ),
        (
            "deep.toml",
            format!("x = 1\n{deep_key}").into_bytes(),
            "deep.toml:2:2:",
        ),
        (
            "control.json",
            b"{\"applicant\":\n {\"name\": \"a\x01b\"}}".to_vec(),
            "control.json:2:",
        ),
        ("deep.json", deep_json.into_bytes(), "deep.json:1:"),
        ("empty.json", Vec::new(), "empty.json:1:1:"),
    ];
    for (name, text, want) in cases {
        let (out, _) = classify_text(dir.path(), name, &text);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{name}: {err}");
        assert!(!err.contains(":0:"), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}");
    }

    let out = run(dir.path(), &["classify", "missing.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

/// A person's text never reaches the terminal as control bytes.
#[test]
fn control_characters_in_the_input_are_escaped_in_the_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = VALID
        .replace(
            "name = \"王丽\"",
            // Raw C1 in a string; ESC and NEL in a key through TOML escapes.
            "name = \"王\u{9b}31m丽\"\n\"\\u001b[2J\\u0085\" = 1",
        )
        .replace("2021-03-01", "2021-03-01\u{9b}");
    let (out, v) = classify_text(dir.path(), "c1.toml", text.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert!(has(&v, "applicant.name", "control_chars"), "{v}");
    assert!(has(&v, "employment.started_on", "date_invalid"), "{v}");
    assert!(
        has(&v, r#"applicant["\u{1b}[2J\u{85}"]"#, "unknown_field"),
        "the key is named, escaped: {v}"
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        !stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{stdout:?}"
    );
}

/// §2: the intake date is the date in China of `--at`, whatever its offset.
#[test]
fn at_is_read_as_a_date_in_china() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(
        dir.path(),
        &[
            "classify",
            &example("dismissal.toml"),
            "--at",
            "2025-03-10T17:30:00Z",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // 01:30 on 11 March in China: 15 days from the 11th.
    assert_eq!(v["deadlines"]["mediation_period_ends"], "2025-03-26");
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
