//! Classification throughput: every scenario under tests/scenarios, classified round-robin for a
//! fixed time. `cargo bench --bench classify`.

use chrono::{DateTime, FixedOffset};
use onewindow::config::{SiteTable, apply_site_table, default_site};
use onewindow::domain::{IntakeRecord, SiteSettings, classify};
use serde::Deserialize;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Deserialize)]
struct Scenario {
    intake_at: String,
    #[serde(default)]
    site: SiteTable,
    case: IntakeRecord,
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut cases: Vec<(IntakeRecord, SiteSettings, DateTime<FixedOffset>)> = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for f in files {
        let s: Scenario =
            toml::from_str(&std::fs::read_to_string(&f).expect("read")).expect("parse");
        let mut site = default_site();
        apply_site_table(&mut site, &s.site, "bench", Path::new(".")).expect("site");
        let at = DateTime::parse_from_rfc3339(&s.intake_at).expect("intake_at");
        cases.push((s.case, site, at));
    }
    let n_cases = cases.len();
    // Warm up, then measure for a fixed wall time.
    for (r, s, at) in &cases {
        black_box(classify(r, s, *at));
    }
    let budget = Duration::from_secs(3);
    let start = Instant::now();
    let mut done = 0u64;
    let mut samples = Vec::new();
    while start.elapsed() < budget {
        for (r, s, at) in &cases {
            let t = Instant::now();
            black_box(classify(black_box(r), s, *at));
            samples.push(t.elapsed());
            done += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p) as usize];
    println!(
        "classify: {n_cases} distinct cases, {done} classifications in {secs:.2} s = {:.0} cases/s; p50 {:?}, p99 {:?}",
        done as f64 / secs,
        pct(0.50),
        pct(0.99)
    );
}
