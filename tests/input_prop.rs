//! Property tests of reading and classifying intake files (v2.1 §2): arbitrary Unicode and
//! arbitrary JSON/TOML values at every field, arbitrary bytes as a whole file, arbitrary text in
//! every field of the kiosk form. Whatever comes in, `classify` prints one JSON object (blocked or
//! routed) with no control byte in it, and only a file that does not parse is exit 2, with a
//! real `FILE:LINE:COLUMN`. Nothing panics.

use chrono::{DateTime, FixedOffset};
use onewindow::commands::classify::to_json;
use onewindow::domain::intake_file::{InputError, parse_intake, utf8};
use onewindow::domain::{Decision, SiteSettings, Status, classify};
use onewindow::tui::form::{FieldId, Form, Kind, Value as FormValue};
use onewindow::tui::text_input::TextInput;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

fn at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2025-03-10T09:30:00+08:00").expect("time")
}

/// A valid record that has every field of §2, so every path below exists.
fn base() -> Value {
    json!({
        "applicant": {
            "name": "王丽", "id_type": "resident_id", "id_number": "41010519900307158X",
            "birth_date": "1990-03-07", "phone": "13812345678",
            "groups": ["migrant_worker", "dispatched"], "hardship": false,
            "pension_before_hire": false,
            "guardian": {"name": "王强", "phone": "13912345678"}
        },
        "counterparty": {
            "kind": "employer", "name": "郑州云启科技有限公司",
            "credit_code": "91350100MA8RT2KX2E", "address": "郑州市金水区", "region": "410105",
            "industry": "construction",
            "dispatch_agency": {"name": "某派遣公司", "credit_code": "91350100MA8RT2KX2E"},
            "general_contractor": {"name": "某建设集团", "credit_code": "91350100MA8RT2KX2E"}
        },
        "employment": {
            "status": "ended", "started_on": "2021-03-01", "ended_on": "2024-12-01",
            "written_contract": true, "work_region": "410105"
        },
        "dispute": {
            "source": "walk_in", "categories": ["LD03", "LD04", "LD06"],
            "claims": [
                {"category": "LD06", "amount": 40000, "known_on": "2024-12-01"},
                {"category": "LD04", "amount": "3,000.50"}
            ],
            "known_on": "2024-12-01", "last_interruption_on": "2025-01-02",
            "workers_involved": 12, "common_claim": true, "unpaid_wages": false,
            "social_insurance_arrears": false, "iou": false, "wants_mediation": true,
            "already_filed": "none",
            "prior_agreement": {"kind": "labor_mediation", "effective_on": "2025-01-10", "performed": true},
            "injury": {"occurred_on": "2024-06-01", "recognized": true},
            "escalating": false, "narrative": "多次讨薪未果"
        }
    })
}

/// Every field of §2 (and each table, list and list item), plus keys §2 does not have.
const FIELDS: &[&str] = &[
    "applicant",
    "applicant.name",
    "applicant.id_type",
    "applicant.id_number",
    "applicant.birth_date",
    "applicant.phone",
    "applicant.groups",
    "applicant.groups.1",
    "applicant.hardship",
    "applicant.pension_before_hire",
    "applicant.guardian",
    "applicant.guardian.name",
    "applicant.guardian.phone",
    "counterparty",
    "counterparty.kind",
    "counterparty.name",
    "counterparty.credit_code",
    "counterparty.address",
    "counterparty.region",
    "counterparty.industry",
    "counterparty.dispatch_agency",
    "counterparty.dispatch_agency.name",
    "counterparty.dispatch_agency.credit_code",
    "counterparty.general_contractor",
    "counterparty.general_contractor.name",
    "counterparty.general_contractor.credit_code",
    "employment",
    "employment.status",
    "employment.started_on",
    "employment.ended_on",
    "employment.written_contract",
    "employment.work_region",
    "dispute",
    "dispute.source",
    "dispute.categories",
    "dispute.categories.0",
    "dispute.claims",
    "dispute.claims.0",
    "dispute.claims.0.category",
    "dispute.claims.1.amount",
    "dispute.claims.0.known_on",
    "dispute.known_on",
    "dispute.last_interruption_on",
    "dispute.workers_involved",
    "dispute.common_claim",
    "dispute.unpaid_wages",
    "dispute.social_insurance_arrears",
    "dispute.iou",
    "dispute.wants_mediation",
    "dispute.already_filed",
    "dispute.prior_agreement",
    "dispute.prior_agreement.kind",
    "dispute.prior_agreement.effective_on",
    "dispute.prior_agreement.performed",
    "dispute.injury",
    "dispute.injury.occurred_on",
    "dispute.injury.recognized",
    "dispute.escalating",
    "dispute.narrative",
    "extra",
    "applicant.extra",
    "dispute.claims.0.extra",
];

/// Puts `v` at a dotted path (a number indexes a list), replacing what is there.
fn set(root: &mut Value, path: &str, v: Value) {
    let mut node = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        node = match (part.parse::<usize>(), node) {
            (Ok(n), Value::Array(items)) => &mut items[n],
            (_, Value::Object(map)) => map.entry(part.to_string()).or_insert(Value::Null),
            (_, other) => {
                *other = json!({});
                other
                    .as_object_mut()
                    .expect("object")
                    .entry(part.to_string())
                    .or_insert(Value::Null)
            }
        };
        if last {
            *node = v;
            return;
        }
    }
}

/// What `classify` prints: one JSON object, blocked or routed as the errors say, and no control
/// character other than the newlines between lines.
fn check_output(d: &Decision) -> Result<(), TestCaseError> {
    let text = to_json(d);
    prop_assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    let v: Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(v.is_object());
    match d.status {
        Status::Blocked => {
            prop_assert!(!d.errors.is_empty() && d.route.is_none(), "{text}");
            prop_assert_eq!(&v["status"], "blocked");
        }
        Status::Routed => {
            prop_assert!(d.errors.is_empty() && d.route.is_some(), "{text}");
            prop_assert_eq!(&v["status"], "routed");
        }
    }
    for p in d.errors.iter().chain(&d.warnings) {
        prop_assert!(!p.code.is_empty() && !p.message.is_empty(), "{p:?}");
    }
    Ok(())
}

fn decide(text: &str, json: bool) -> Result<Decision, InputError> {
    let file = parse_intake("x", text, json)?;
    Ok(file.classify(&SiteSettings::default(), at()))
}

/// Any text: every Unicode scalar value, printable text of any script, near-misses of the
/// formats (digits of either width, separators), long runs past every length limit.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..40).prop_map(|c| c.into_iter().collect()),
        "\\PC{0,40}",
        "[0-9０-９xXＸ\\-－,，.．+ 　]{0,24}",
        (any::<char>(), 0..2100usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

/// Any JSON value, nested a little.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any_text().prop_map(Value::String),
        prop::sample::select(vec![
            "LD04",
            "LD08",
            "ended",
            "ongoing",
            "employer",
            "household",
            "2025-03-10",
            "20250310",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}|\\PC{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Any TOML value: every kind TOML has (dates and non-finite floats too), nested a little.
fn any_toml() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(toml::Value::Boolean),
        any::<i64>().prop_map(toml::Value::Integer),
        any::<f64>().prop_map(toml::Value::Float),
        any_text().prop_map(toml::Value::String),
        prop::sample::select(vec![
            "2025-03-10",
            "2025-03-10T09:30:00",
            "2025-03-10T09:30:00+08:00",
            "09:30:00",
            "1979-05-27T07:32:00.999999Z",
        ])
        .prop_map(|s| toml::Value::Datetime(s.parse().expect("TOML datetime"))),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(toml::Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}|\\PC{0,6}", inner, 0..4)
                .prop_map(|m| toml::Value::Table(m.into_iter().collect())),
        ]
    })
}

/// The properties start from a record that routes, so a change in any field is what they test.
#[test]
fn the_base_record_routes_in_both_syntaxes() {
    let json = serde_json::to_string(&base()).expect("JSON");
    let d = decide(&json, true).expect("parses");
    assert_eq!(d.status, Status::Routed, "{:?}", d.errors);
    let toml_text = toml::to_string(&toml::Value::try_from(base()).expect("TOML")).expect("TOML");
    assert_eq!(decide(&toml_text, false).expect("parses"), d);
    let mut root = base();
    set(&mut root, "dispute.claims.0.extra", json!(1));
    let d = decide(&serde_json::to_string(&root).expect("JSON"), true).expect("parses");
    assert_eq!(d.errors[0].field, "dispute.claims[0].extra");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Arbitrary Unicode in any field, as JSON and as TOML text.
    #[test]
    fn any_text_in_any_field_gives_one_decision(
        field in prop::sample::select(FIELDS),
        text in any_text(),
    ) {
        let mut root = base();
        set(&mut root, field, Value::String(text.clone()));
        let json = serde_json::to_string(&root).expect("JSON");
        let d = decide(&json, true).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_output(&d)?;

        let doc: toml::Value = toml::Value::try_from(&root).expect("JSON without null is TOML");
        let toml_text = toml::to_string(&doc).expect("TOML");
        let d2 = decide(&toml_text, false).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_output(&d2)?;
        // The same record in either syntax gets the same answer.
        prop_assert_eq!(d, d2);
    }

    /// Arbitrary JSON values (null, numbers of any size, lists, objects) in any field.
    #[test]
    fn any_json_value_in_any_field_gives_one_decision(
        field in prop::sample::select(FIELDS),
        value in any_json(),
    ) {
        let mut root = base();
        set(&mut root, field, value);
        let json = serde_json::to_string(&root).expect("JSON");
        let d = decide(&json, true).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_output(&d)?;
    }

    /// Arbitrary TOML values (dates, nan and inf, tables, mixed arrays) in any field.
    #[test]
    fn any_toml_value_in_any_field_gives_one_decision(
        field in prop::sample::select(FIELDS),
        value in any_toml(),
    ) {
        let mut doc = toml::Value::try_from(base()).expect("TOML");
        let mut node = &mut doc;
        let parts: Vec<&str> = field.split('.').collect();
        for part in &parts[..parts.len() - 1] {
            node = match (part.parse::<usize>(), node) {
                (Ok(n), toml::Value::Array(items)) => &mut items[n],
                (_, toml::Value::Table(t)) => t.get_mut(*part).expect("base has the table"),
                _ => unreachable!("base has every parent"),
            };
        }
        let last = parts[parts.len() - 1];
        match (last.parse::<usize>(), node) {
            (Ok(n), toml::Value::Array(items)) => items[n] = value,
            (_, toml::Value::Table(t)) => {
                t.insert(last.to_string(), value);
            }
            _ => unreachable!("base has every parent"),
        }
        let Ok(text) = toml::to_string(&doc) else {
            // A value TOML cannot write (a key TOML cannot spell) is no file to test.
            return Ok(());
        };
        let d = decide(&text, false).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        check_output(&d)?;
    }

    /// Any bytes as a whole file: a decision, or a syntax error at a real position.
    #[test]
    fn any_file_is_a_decision_or_a_positioned_syntax_error(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            // Valid files with a few bytes changed: these reach past the first line.
            (prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4), any::<bool>())
                .prop_map(|(edits, json)| {
                    let mut b = if json {
                        serde_json::to_vec_pretty(&base()).expect("JSON")
                    } else {
                        toml::to_string(&toml::Value::try_from(base()).expect("TOML"))
                            .expect("TOML")
                            .into_bytes()
                    };
                    for (i, byte) in edits {
                        let at = i.index(b.len());
                        b[at] = byte;
                    }
                    b
                }),
        ],
        json in any::<bool>(),
    ) {
        let result = utf8("x", &bytes).and_then(|text| decide(text, json));
        match result {
            Ok(d) => check_output(&d)?,
            Err(InputError::Parse { line, column, .. }) => {
                prop_assert!(line >= 1 && column >= 1, "{line}:{column}");
            }
            Err(e) => prop_assert!(false, "not a parse error: {e}"),
        }
    }

    /// Arbitrary text in every field a clerk types into at the kiosk.
    #[test]
    fn any_text_in_any_form_field_gives_one_decision(
        index in any::<prop::sample::Index>(),
        text in any_text(),
    ) {
        let mut form = Form::from_record(&onewindow::domain::intake_file::record::read_record(
            onewindow::domain::intake_file::record::Node::from(base()),
        ).0);
        let typed: Vec<FieldId> = Form::all_fixed()
            .chain([FieldId::ClaimAmount(0), FieldId::ClaimKnownOn(0)])
            .filter(|f| matches!(f.kind(), Kind::Text | Kind::Date | Kind::Amount | Kind::Number))
            .collect();
        let field = typed[index.index(typed.len())];
        let slot = form.value_mut(field).expect("a typed field");
        *slot = FormValue::Text(TextInput::new(&text));
        let d = classify(&form.to_record(), &SiteSettings::default(), at());
        check_output(&d)?;
    }
}

proptest! {
    // Each case starts the binary: a few are enough to show the process behaves as the library.
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The binary prints one JSON object and exits 0 for any JSON value in any field, and exits 2
    /// only when the file does not parse.
    #[test]
    fn the_binary_prints_one_json_object_or_exits_2(
        field in prop::sample::select(FIELDS),
        value in any_json(),
        garble in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut root = base();
        set(&mut root, field, value);
        let mut text = serde_json::to_string(&root).expect("JSON");
        if garble {
            let mut cut = text.len() / 2;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        std::fs::write(dir.path().join("case.json"), &text).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_onewindow"))
            .args(["classify", "case.json", "--at", "2025-03-10T09:30:00+08:00"])
            .current_dir(dir.path())
            .env_remove("ONEWINDOW_CONFIG")
            .output()
            .expect("runs");
        let stdout = String::from_utf8(out.stdout).expect("UTF-8");
        if garble {
            prop_assert_eq!(out.status.code(), Some(2));
            prop_assert!(stdout.is_empty());
            let stderr = String::from_utf8_lossy(&out.stderr);
            prop_assert!(stderr.starts_with("onewindow: case.json:1:"), "{}", stderr);
        } else {
            prop_assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
            let v: Value = serde_json::from_str(&stdout).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(v.is_object() && v["status"].is_string());
            prop_assert!(!stdout.chars().any(|c| c.is_control() && c != '\n'));
        }
        prop_assert!(Path::new(dir.path()).read_dir().expect("dir").count() == 1, "only the input file is left");
    }
}

thread_local! {
    /// One kiosk for all cases (opening a database per case would be most of the run).
    static KIOSK: std::cell::RefCell<onewindow::tui::harness::Harness> = {
        let mut h = onewindow::tui::harness::Harness::new(
            onewindow::config::Lang::Zh,
            80,
            24,
            SiteSettings::default(),
            onewindow::tui::harness::Start::Staffed,
            at(),
        );
        h.type_text("1001");
        h.press(crossterm::event::KeyCode::Enter);
        h.type_text("123456");
        h.press(crossterm::event::KeyCode::Enter);
        std::cell::RefCell::new(h)
    };
}

proptest! {
    // Each case drives the real kiosk (over a SQLite file) through its keys.
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any text typed (or pasted) into any field of the kiosk's form, then the field left and
    /// the form submitted: nothing panics, and the screen holds no control character.
    #[test]
    fn any_text_typed_into_any_form_field_then_submitted(
        index in any::<prop::sample::Index>(),
        text in prop_oneof![
            prop::collection::vec(any::<char>(), 0..40).prop_map(|c| c.into_iter().collect::<String>()),
            "\\PC{0,40}",
            "[0-9０-９xXＸ年月日/\\-－,，.．+ 　]{0,24}",
            (any::<char>(), 0..120usize).prop_map(|(c, n)| c.to_string().repeat(n)),
        ],
        paste in any::<bool>(),
    ) {
        use crossterm::event::KeyCode;
        KIOSK.with(|h| {
            let mut h = h.borrow_mut();
            let (site, now) = (h.app.settings.site.clone(), h.app.now);
            h.app.intake.reset(&site, now);
            h.app.screen = onewindow::tui::app::Screen::Intake;
            h.ctrl('n');
            let typed: Vec<FieldId> = h.app.intake.form.order().into_iter()
                .filter(|f| f.kind().is_typed())
                .collect();
            let field = typed[index.index(typed.len())];
            h.app.intake.focus = field;
            if paste {
                h.paste(&text);
            } else {
                h.type_text(&text);
            }
            h.press(KeyCode::Tab);
            h.press(KeyCode::F(10));
            let screen = h.render();
            prop_assert!(!screen.chars().any(|c| c.is_control() && c != '\n'), "{screen:?}");
            // A ticket screen (the record routed) goes back to a fresh form for the next case.
            h.press(KeyCode::F(2));
            Ok(())
        })?;
    }
}
