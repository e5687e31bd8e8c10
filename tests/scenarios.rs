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
