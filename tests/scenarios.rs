//! Every acceptance scenario under `tests/scenarios/` (the shared ones, kept in sync with
//! `shared/scenarios/`, and our own boundary cases) classifies as its `[expect]` says.

mod common;
use common::scenario;
use std::path::PathBuf;

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_matches_its_expectation() {
    let files = scenario_files();
    assert!(
        files.len() >= 17,
        "expected the 17 shared scenarios at least, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let s = scenario::load(path);
        let d = scenario::decide(&s);
        for m in scenario::mismatches(&s, &d) {
            failures.push(format!(
                "{}: {m}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("?")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The copies under tests/ must not drift from the shared originals when those are present.
#[test]
fn shared_scenarios_are_copied_verbatim() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/scenarios");
    let Ok(entries) = std::fs::read_dir(&shared) else {
        eprintln!("NOTE: ../shared/scenarios not present; verbatim-copy check skipped");
        return;
    };
    let mut checked = 0;
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "toml") {
            let ours = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/scenarios")
                .join(p.file_name().expect("file name"));
            let a = std::fs::read(&p).expect("shared readable");
            let b = std::fs::read(&ours)
                .unwrap_or_else(|_| panic!("{} not copied into tests/scenarios", p.display()));
            assert_eq!(a, b, "{} differs from its copy", p.display());
            checked += 1;
        }
    }
    assert!(checked >= 17);
}

/// The harness itself must notice a wrong answer, or a green run would mean nothing.
#[test]
fn the_harness_reports_a_wrong_expectation() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios/p04_dismissal_mediation.toml");
    let mut s = scenario::load(&path);
    s.expect.route = Some("arbitration".into());
    s.expect.flags_include = vec!["COLLECTIVE".into()];
    s.expect
        .deadlines
        .insert("mediation_period_ends".into(), "2025-03-24".into());
    let d = scenario::decide(&s);
    let m = scenario::mismatches(&s, &d);
    assert_eq!(m.len(), 3, "{m:?}");
}

fn decide(name: &str) -> onewindow::domain::Decision {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(name);
    scenario::decide(&scenario::load(&path))
}

/// §5: the deciding rule first, then every other rule that matched (R10/R11 only when deciding),
/// then the flags' bases; every reason carries a legal basis.
#[test]
fn reasons_are_ordered_and_carry_a_basis() {
    let d = decide("p16_court_delegated.toml");
    let rules: Vec<&str> = d.reasons.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["R2", "R9"],
        "R2 decides, R9 matched; R11 is not listed"
    );

    let d = decide("p07_migrant_collective_wages.toml");
    let rules: Vec<&str> = d.reasons.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(rules[0], "R9");
    let collective = rules
        .iter()
        .position(|r| *r == "COLLECTIVE")
        .expect("COLLECTIVE basis");
    let aid = rules
        .iter()
        .position(|r| *r == "legal_aid")
        .expect("legal aid reason");
    assert!(
        collective < aid,
        "flags' bases come before parallel steps: {rules:?}"
    );
    assert!(
        d.reasons
            .iter()
            .all(|r| !r.basis.is_empty() && !r.text.is_empty())
    );
    let aid_basis = &d.reasons[aid].basis;
    assert!(
        aid_basis.contains("第三十一条") && aid_basis.contains("第四十二条第（三）项"),
        "{aid_basis}"
    );

    let d = decide("p05_dismissal_declines_mediation.toml");
    assert_eq!(d.reasons[0].rule, "R10");
    assert!(d.reasons[0].basis.contains("《劳动法》第七十九条"));
}

/// A time bar is a warning to act quickly, never a refusal: the case is still routed.
#[test]
fn time_barred_cases_are_still_routed_with_a_warning_not_a_refusal() {
    let d = decide("p12_time_barred.toml");
    assert_eq!(d.status, onewindow::domain::Status::Routed);
    let r = d
        .reasons
        .iter()
        .find(|r| r.rule == "TIME_BAR_RISK")
        .expect("reason");
    assert!(
        r.text.contains("尽快") && r.text.contains("不影响本次登记"),
        "{}",
        r.text
    );
    assert!(!r.text.contains("已丧失"), "{}", r.text);
}
