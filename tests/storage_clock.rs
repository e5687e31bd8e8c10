//! Storage is handed the time of everything it stores (`Actor::at`, `at`, `now`) and never reads
//! the clock itself, so numbering around local midnight, leases and the audit log can be tested
//! with any time, and every row of one operation carries the instant its caller chose.
//!
//! `Instant::now` stays allowed: the PostgreSQL change feed measures how long a missing version
//! has been awaited with it, which is a timer, not a time that is stored.

use std::path::{Path, PathBuf};

const CLOCK_READS: &[&str] = &[
    "Utc::now",
    "Local::now",
    "SystemTime::now",
    "Actor::now",
    "chrono::offset::Local",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/storage") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn storage_never_reads_the_clock() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/storage");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("tickets.rs")),
        "the storage sources were not found in {}",
        dir.display()
    );
    let mut reads = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read a storage source");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for pattern in CLOCK_READS {
                if code.contains(pattern) {
                    reads.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        reads.is_empty(),
        "storage reads the clock; take the time as an argument instead:\n{}",
        reads.join("\n")
    );
}
