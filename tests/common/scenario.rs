//! Runs an acceptance scenario file (`intake_at`, `[site]`, `[case.*]`, `[expect]`) through
//! `classify` and lists every mismatch. The `[case]` table is read the way `onewindow classify`
//! reads a file, field by field, so a scenario can show an unknown field or a wrong type.

use chrono::{DateTime, FixedOffset};
use onewindow::config::{SiteTable, apply_site_table, default_site};
use onewindow::domain::intake_file::record::{Node, read_record};
use onewindow::domain::{Deadline, Decision, Status, classify_read};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub intake_at: String,
    #[serde(default)]
    pub site: SiteTable,
    pub case: toml::Table,
    pub expect: Expect,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub status: Option<String>,
    #[serde(default)]
    pub error_fields: Vec<String>,
    #[serde(default)]
    pub warning_fields: Vec<String>,
    pub route: Option<String>,
    pub referral_to: Option<String>,
    pub queue: Option<String>,
    #[serde(default)]
    pub flags_include: Vec<String>,
    #[serde(default)]
    pub flags_exclude: Vec<String>,
    #[serde(default)]
    pub also_include: Vec<String>,
    #[serde(default)]
    pub also_exclude: Vec<String>,
    #[serde(default)]
    pub deadlines: BTreeMap<String, String>,
    #[serde(default)]
    pub deadlines_absent: Vec<String>,
}

pub fn load(path: &Path) -> Scenario {
    let text = std::fs::read_to_string(path).expect("scenario readable");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn decide(s: &Scenario) -> Decision {
    let mut site = default_site();
    apply_site_table(&mut site, &s.site, "scenario [site]", Path::new(".")).expect("scenario site");
    let at: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(&s.intake_at).expect("intake_at");
    let (record, problems) = read_record(Node::from(toml::Value::Table(s.case.clone())));
    classify_read(&record, &problems, &site, at)
}

/// Every way the decision differs from the expectation; empty when it matches.
pub fn mismatches(s: &Scenario, d: &Decision) -> Vec<String> {
    let e = &s.expect;
    let json = serde_json::to_value(d).expect("decision serialises");
    let mut out = Vec::new();
    if let Some(st) = &e.status {
        let got = if d.status == Status::Routed {
            "routed"
        } else {
            "blocked"
        };
        if got != st {
            out.push(format!(
                "status: expected {st}, got {got} (errors: {:?})",
                d.errors
            ));
        }
    }
    for f in &e.error_fields {
        if !d.errors.iter().any(|p| &p.field == f) {
            out.push(format!("expected an error at {f}; errors: {:?}", d.errors));
        }
    }
    for f in &e.warning_fields {
        if !d.warnings.iter().any(|p| &p.field == f) {
            out.push(format!(
                "expected a warning at {f}; warnings: {:?}",
                d.warnings
            ));
        }
    }
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
    for (key, want) in [
        ("route", &e.route),
        ("referral_to", &e.referral_to),
        ("queue", &e.queue),
    ] {
        if let Some(w) = want
            && field(key).as_ref() != Some(w)
        {
            out.push(format!("{key}: expected {w}, got {:?}", field(key)));
        }
    }
    let list = |k: &str| -> Vec<String> {
        json[k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (flags, also) = (list("flags"), list("also"));
    for f in &e.flags_include {
        if !flags.contains(f) {
            out.push(format!("flag {f} missing; flags: {flags:?}"));
        }
    }
    for f in &e.flags_exclude {
        if flags.contains(f) {
            out.push(format!("flag {f} must be absent; flags: {flags:?}"));
        }
    }
    for a in &e.also_include {
        if !also.contains(a) {
            out.push(format!("also {a} missing; also: {also:?}"));
        }
    }
    for a in &e.also_exclude {
        if also.contains(a) {
            out.push(format!("also {a} must be absent; also: {also:?}"));
        }
    }
    for (name, date) in &e.deadlines {
        let dl = Deadline::from_code(name).unwrap_or_else(|| panic!("unknown deadline {name}"));
        let got = d
            .deadlines
            .get(&dl)
            .map(|d| d.format("%Y-%m-%d").to_string());
        if got.as_deref() != Some(date.as_str()) {
            out.push(format!("deadline {name}: expected {date}, got {got:?}"));
        }
    }
    for name in &e.deadlines_absent {
        if let Some(dl) = Deadline::from_code(name)
            && let Some(got) = d.deadlines.get(&dl)
        {
            out.push(format!("deadline {name} must be absent, got {got}"));
        }
    }
    out
}
