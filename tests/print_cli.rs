//! `print preview|test|jobs|retry|reprint` through their clap types and `run`.

mod support;

use chrono::TimeZone;
use clap::Parser;
use onewindow::app::{Acting, Services};
use onewindow::commands::print::{PrintCommand, PrintEnv, run};
use onewindow::config::{Sources, load};
use onewindow::domain::{PrintState, StaffNo, StaffRole, china_time};
use onewindow::print::sample::Sample;
use onewindow::storage::PrintJobFilter;
use std::time::Duration;
use support::escpos_decoder::decode;
use support::fake_printer::{FakePrinter, Mode};

#[derive(Parser, Debug)]
struct Cli {
    #[command(subcommand)]
    print: PrintCommand,
}

fn parse(args: &[&str]) -> PrintCommand {
    let mut all = vec!["print"];
    all.extend_from_slice(args);
    Cli::try_parse_from(all)
        .unwrap_or_else(|e| panic!("{e}"))
        .print
}

async fn exec(args: &[&str], env: &PrintEnv<'_>) -> anyhow::Result<String> {
    let mut out = Vec::new();
    run(parse(args), env, &mut out).await?;
    Ok(String::from_utf8(out).expect("utf8"))
}

fn env() -> PrintEnv<'static> {
    let mut e = PrintEnv::default();
    e.timeouts.status = Duration::from_millis(300);
    e.timeouts.connect = Duration::from_millis(500);
    e
}

#[tokio::test]
async fn preview_sample_of_each_layout() {
    let e = env();
    let out = exec(
        &[
            "preview",
            "--sample",
            "--layout",
            "ticket",
            "--profile",
            "generic-58",
        ],
        &e,
    )
    .await
    .expect("preview");
    assert!(
        out.contains("T001") && out.contains("[QR TSQ-20250310-T001]"),
        "{out}"
    );
    assert!(
        out.lines().next().is_some_and(|l| l.len() == 34),
        "58 mm is 32 columns"
    );
    let out = exec(&["preview", "--sample"], &e).await.expect("preview");
    assert!(out.contains("劳动争议登记回执"));
    assert_eq!(
        out.lines().next().map(str::len),
        Some(34),
        "the configured profile: 58 mm"
    );
    let mut e80 = env();
    e80.default_profile = "generic-80".into();
    e80.paper.lang = onewindow::domain::Lang::En;
    let out = exec(&["preview", "--sample"], &e80).await.expect("preview");
    assert_eq!(
        out.lines().next().map(str::len),
        Some(50),
        "the configured profile: 80 mm"
    );
    assert!(
        out.contains("Labour dispute registration receipt"),
        "the configured language"
    );
    let mut en = env();
    en.paper.lang = onewindow::domain::Lang::En;
    let out = exec(&["preview", "--sample", "--layout", "referral"], &en)
        .await
        .expect("preview");
    assert!(out.contains("Referral notice"), "{out}");
    let err = exec(&["preview", "--sample", "--profile", "nope"], &e)
        .await
        .expect_err("unknown profile");
    assert!(
        err.to_string().contains("generic-58"),
        "lists the known ones: {err}"
    );
    assert!(
        Cli::try_parse_from(["print", "preview"]).is_err(),
        "a case number or --sample"
    );
}

/// Services over a temporary SQLite database of site TSQ, with clerk B002 and the example
/// dismissal case registered by them at the sample's time (case TSQ-20250310-0001).
async fn stored_sample(dir: &std::path::Path) -> Services {
    let cfg = load(&Sources {
        file: None,
        env: vec![],
        overrides: vec![
            format!("database.url=sqlite://{}", dir.join("ow.db").display()),
            "site.code=TSQ".into(),
        ],
    })
    .expect("config");
    let services = Services::open(&cfg).await.expect("services");
    let clerk = StaffNo("B002".into());
    let id = services
        .save_staff(&clerk, "王五", StaffRole::Clerk, None)
        .await
        .expect("staff");
    // The sample's own ID number is a made-up one; a stored case is a valid one.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dismissal.toml");
    let record = onewindow::app::intake::read_intake_file(&path)
        .expect("example")
        .record;
    let at = china_time()
        .from_local_datetime(&Sample::new().issued_at)
        .single()
        .expect("time");
    services
        .register(
            &record,
            None,
            &Acting {
                staff: Some((id, clerk)),
                window: None,
            },
            at.into(),
        )
        .await
        .expect("register");
    services
}

#[tokio::test]
async fn preview_a_stored_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let services = stored_sample(dir.path()).await;
    let mut e = env();
    assert!(
        exec(&["preview", "TSQ-20250310-0001"], &e).await.is_err(),
        "no database"
    );
    e.services = Some(&services);
    let out = exec(&["preview", "TSQ-20250310-0001"], &e)
        .await
        .expect("preview");
    assert!(out.contains("TSQ-20250310-0001"), "{out}");
    assert!(out.contains("王*"), "the applicant masked: {out}");
    let err = exec(&["preview", "TSQ-20250310-0010"], &e)
        .await
        .expect_err("missing");
    assert!(err.to_string().contains("no case"), "{err}");
    services.close().await;
}

#[tokio::test]
async fn test_page_prints_chinese_qr_and_cut() {
    let p = FakePrinter::start(Mode::Normal).await;
    let out = exec(
        &["test", "--profile", "generic-80", "--to", &p.url()],
        &env(),
    )
    .await
    .expect("test page");
    assert!(out.contains("printer status after: 打印机正常"), "{out}");
    let d = decode(&p.jobs()[0]).expect("decode");
    assert!(
        d.text_lines()
            .iter()
            .any(|l| l == "中文：调解仲裁￥12.5①张·三")
    );
    assert_eq!(d.qrs().len(), 1);
    assert_eq!(d.cuts(), 1);
    assert!(p.errors().is_empty());
}

#[tokio::test]
async fn test_page_fails_plainly_on_faults() {
    let p = FakePrinter::start(Mode::PaperOut).await;
    let err = exec(
        &["test", "--profile", "generic-80", "--to", &p.url()],
        &env(),
    )
    .await
    .expect_err("paper out");
    assert!(
        err.to_string().contains("缺纸") && err.to_string().contains("out of paper"),
        "{err}"
    );
    assert!(p.jobs().is_empty());
    p.set_mode(Mode::CoverOpen);
    let err = exec(
        &["test", "--profile", "xprinter-xp80", "--to", &p.url()],
        &env(),
    )
    .await
    .expect_err("cover open");
    assert!(err.to_string().contains("cover open"), "{err}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = closed.local_addr().expect("addr");
    drop(closed);
    let err = exec(
        &[
            "test",
            "--profile",
            "generic-58",
            "--to",
            &format!("tcp://{addr}"),
        ],
        &env(),
    )
    .await
    .expect_err("not listening");
    assert!(err.to_string().contains("cannot connect"), "{err}");
    let err = exec(&["test", "--profile", "generic-58", "--to", "lp0"], &env())
        .await
        .expect_err("bad target");
    assert!(err.to_string().contains("tcp://HOST:PORT"), "{err}");
}

#[tokio::test]
async fn jobs_retry_and_reprint_work_on_the_spool() {
    let dir = tempfile::tempdir().expect("tempdir");
    let services = stored_sample(dir.path()).await;
    let mut e = env();
    let err = exec(&["jobs"], &e).await.expect_err("no spool");
    assert!(err.to_string().contains("database"));
    e.services = Some(&services);
    // What a print runner at no window would do with the case's first paper: the printer is out
    // of paper, so it waits an hour.
    let store = onewindow::storage::Store::open(
        &onewindow::storage::DbUrl::new(services.config().database_url.clone()),
        Default::default(),
    )
    .await
    .expect("store");
    let now = chrono::Utc::now();
    let job = store
        .claim_next_print_job(now, None)
        .await
        .expect("claim")
        .expect("a job");
    let id = job.id;
    store
        .mark_print_job_failed(
            id,
            "打印机缺纸",
            Some(now + chrono::Duration::hours(1)),
            now,
        )
        .await
        .expect("fail");
    let out = exec(&["jobs", "--state", "pending"], &e)
        .await
        .expect("jobs");
    assert!(
        out.contains(job.kind.code()) && out.contains("打印机缺纸"),
        "{out}"
    );
    exec(&["retry", &id.to_string()], &e).await.expect("retry");
    let again = store
        .claim_next_print_job(chrono::Utc::now(), None)
        .await
        .expect("claim")
        .expect("due now");
    assert_eq!(again.id, id, "the retried job is due first");
    store
        .mark_print_job_printed(id, chrono::Utc::now())
        .await
        .expect("printed");
    let err = exec(&["retry", &id.to_string()], &e)
        .await
        .expect_err("printed");
    assert!(format!("{err:#}").contains("reprint"), "{err:#}");
    let out = exec(&["reprint", &id.to_string()], &e)
        .await
        .expect("reprint");
    assert!(out.contains(&format!("reprint of {id}")), "{out}");
    let copies = store
        .list_print_jobs(PrintJobFilter {
            state: Some(PrintState::Pending),
            ..Default::default()
        })
        .await
        .expect("list")
        .into_iter()
        .filter(|j| j.reprint_of == Some(id))
        .count();
    assert_eq!(copies, 1);
    assert!(exec(&["reprint", "999"], &e).await.is_err());
    store.close().await;
    services.close().await;
}
