//! Configuration layering and the messages for bad configuration.

use onewindow::config::{Lang, PrinterTarget, Sources, load};
use onewindow::domain::{Fen, Route, SiArrearsRoute};
use std::path::PathBuf;

fn sources(file: Option<PathBuf>, env: &[(&str, &str)], overrides: &[&str]) -> Sources {
    Sources {
        file,
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        overrides: overrides.iter().map(|s| s.to_string()).collect(),
    }
}

/// Each file in tests/invalid_configs starts `# expect: TEXT`; loading it must fail with a message
/// that contains TEXT and the file's name.
#[test]
fn invalid_configs_are_rejected_with_the_key_and_the_file() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/invalid_configs");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} lacks `# expect:`", path.display()));
        let err = load(&sources(Some(path.clone()), &[], &[]))
            .expect_err(&format!("{} must be rejected", path.display()))
            .to_string();
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        assert!(err.contains(expect), "{name}: `{err}` lacks `{expect}`");
        assert!(err.contains(name), "{name}: `{err}` does not name the file");
        n += 1;
    }
    assert!(n >= 10, "only {n} invalid configs");
}

#[test]
fn layers_apply_in_order_file_env_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("onewindow.toml");
    std::fs::write(
        &file,
        "[site]\ncode = \"ZZ01\"\nminimum_wage_monthly = 2200\nmajor_dispute_threshold = 50\n\
         si_arrears_route = \"tax_si_collection\"\n[site.ticket_prefixes]\nlabor_mediation = \"M\"\nreferral = \"X\"\n",
    )
    .expect("write");
    let c = load(&sources(
        Some(file.clone()),
        &[
            ("ONEWINDOW_SITE_MINIMUM_WAGE_MONTHLY", "2420.50"),
            ("ONEWINDOW_LANG", "en"),
        ],
        &["site.major_dispute_threshold=40"],
    ))
    .expect("loads");
    assert_eq!(c.site.code, "ZZ01", "from the file");
    assert_eq!(
        c.site.minimum_wage_monthly,
        Some(Fen(242_050)),
        "env beats file"
    );
    assert_eq!(
        c.site.major_dispute_threshold, 40,
        "command line beats file"
    );
    assert_eq!(c.site.si_arrears_route, SiArrearsRoute::TaxSiCollection);
    assert_eq!(c.site.queue_prefix(Route::LaborMediation), Some("M"));
    assert_eq!(c.site.queue_prefix(Route::Referral), Some("X"));
    assert_eq!(
        c.site.queue_prefix(Route::Arbitration),
        Some("Z"),
        "default kept"
    );
    assert_eq!(c.lang, Lang::En);
    assert_eq!(
        c.database_url,
        format!("sqlite://{}", dir.path().join("onewindow.db").display())
    );
    assert_eq!(c.printer, PrinterTarget::Spool(dir.path().join("spool")));
}

#[test]
fn environment_and_command_line_errors_name_their_origin() {
    let e = load(&sources(
        None,
        &[("ONEWINDOW_SITE_MINIMUM_WAGE_MONTHLY", "lots")],
        &[],
    ))
    .expect_err("bad env")
    .to_string();
    assert!(
        e.contains("ONEWINDOW_SITE_MINIMUM_WAGE_MONTHLY")
            && e.contains("site.minimum_wage_monthly"),
        "{e}"
    );
    let e = load(&sources(None, &[("ONEWINDOW_SITEE_CODE", "x")], &[]))
        .expect_err("unknown env")
        .to_string();
    assert!(
        e.contains("ONEWINDOW_SITEE_CODE") && e.contains("unknown setting"),
        "{e}"
    );
    let e = load(&sources(None, &[], &["site.threshold=4"]))
        .expect_err("bad key")
        .to_string();
    assert!(e.contains("--set") || e.contains("command line"), "{e}");
    assert!(e.contains("threshold"), "{e}");
}

#[test]
fn supervisor_settings_come_from_their_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("onewindow.toml");
    std::fs::write(
        &file,
        "[supervisor]\nwait_target_minutes = 20\nrepeat_employer_cases = 4\nrepeat_employer_days = 14\n\
         followup_days = 10\nvoice_command = [\"espeak-ng\", \"-v\", \"zh\"]\n",
    )
    .expect("write");
    let c = load(&sources(Some(file), &[], &[])).expect("loads");
    let s = &c.supervisor;
    assert_eq!(
        (
            s.wait_target_minutes,
            s.repeat_employer_cases,
            s.repeat_employer_days,
            s.followup_days
        ),
        (20, 4, 14, 10)
    );
    assert_eq!(s.voice_command, ["espeak-ng", "-v", "zh"]);
    assert_eq!(s.alert_settings().wait_target_minutes, 20);
}

#[test]
fn database_passwords_never_reach_debug_output() {
    let c = load(&sources(
        None,
        &[("ONEWINDOW_DB", "postgres://clerk:s3cret@db.local/onewindow")],
        &[],
    ))
    .expect("loads");
    let debug = format!("{c:?}");
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains("clerk:***@db.local"), "{debug}");
}

#[test]
fn extra_holiday_calendars_are_read_relative_to_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("2027.toml"),
        "year = 2027\nholidays = [\"2027-01-01\"]\nworkdays = []\n",
    )
    .expect("write");
    let file = dir.path().join("onewindow.toml");
    std::fs::write(&file, "[site]\nholiday_calendars = [\"2027.toml\"]\n").expect("write");
    let c = load(&sources(Some(file), &[], &[])).expect("loads");
    assert!(c.site.calendar.has_year(2027) && c.site.calendar.has_year(2025));
}

/// §2 site value limits at their edges: `code` `[A-Z0-9]{2,8}`, `region_prefixes` 2 to 6 digits,
/// `minimum_wage_monthly` > 0 and at most 100,000,000 yuan, `major_dispute_threshold` a count of
/// workers (the bad sides are files in tests/invalid_configs).
#[test]
fn site_values_at_the_limits_are_accepted() {
    let c = load(&sources(
        None,
        &[],
        &[
            "site.code=A1",
            "site.region_prefixes=[\"41\", \"410105\"]",
            "site.minimum_wage_monthly=\"100,000,000\"",
            "site.major_dispute_threshold=1",
        ],
    ))
    .expect("valid");
    assert_eq!(c.site.code, "A1");
    assert_eq!(c.site.region_prefixes, ["41", "410105"]);
    assert_eq!(
        c.site.minimum_wage_monthly,
        Some(Fen::from_yuan(100_000_000))
    );
    assert_eq!(c.site.major_dispute_threshold, 1);
    let c = load(&sources(None, &[], &["site.code=ABCD1234"])).expect("8 characters");
    assert_eq!(c.site.code, "ABCD1234");
}

/// `[data]`: nothing is ever anonymised unless a centre sets a retention period; spool paper and
/// drafts are kept 7 days unless set otherwise (the bad sides are files in
/// tests/invalid_configs).
#[test]
fn data_keeping_defaults_and_limits() {
    let c = load(&sources(None, &[], &[])).expect("defaults");
    assert_eq!(c.data.retention_years, None);
    assert_eq!((c.data.spool_keep_days, c.data.draft_keep_days), (7, 7));
    let c = load(&sources(
        None,
        &[],
        &[
            "data.retention_years=100",
            "data.spool_keep_days=1",
            "data.draft_keep_days=3660",
        ],
    ))
    .expect("valid");
    assert_eq!(c.data.retention_years, Some(100));
    assert_eq!((c.data.spool_keep_days, c.data.draft_keep_days), (1, 3660));
    let err = load(&sources(None, &[], &["data.spool_keep_days=0"]))
        .expect_err("zero days")
        .to_string();
    assert!(
        err.contains("data.spool_keep_days: 0 must be from 1"),
        "{err}"
    );
}

/// `[site] progress_url` names the progress lookup the receipt's QR points to; an address that
/// is not http(s) or has no `{case_no}` would print a QR that leads nowhere.
#[test]
fn progress_url_is_checked() {
    let good = "site.progress_url=https://tj.example.cn/p?no={case_no}";
    let cfg = load(&sources(None, &[], &[good])).expect("config");
    assert_eq!(
        cfg.site.progress_url.as_deref(),
        Some("https://tj.example.cn/p?no={case_no}")
    );
    assert_eq!(
        load(&sources(None, &[], &[]))
            .expect("config")
            .site
            .progress_url,
        None
    );
    for bad in ["ftp://x/{case_no}", "https://x/p", "https://x/ p?{case_no}"] {
        let err = load(&sources(None, &[], &[&format!("site.progress_url={bad}")]))
            .expect_err(bad)
            .to_string();
        assert!(err.contains("site.progress_url"), "{bad}: {err}");
    }
}
