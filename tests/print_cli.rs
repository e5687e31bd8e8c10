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
    assert!(err.to_string().contains("没有案件"), "{err}");
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
    assert!(out.contains("打印后打印机状态：打印机正常"), "{out}");
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
    assert!(err.to_string().contains("数据库"), "{err}");
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
        out.contains(job.kind.label(onewindow::domain::Lang::Zh)) && out.contains("打印机缺纸"),
        "{out}"
    );
    // Retry prints at once on the configured printer (here the spool folder).
    let out = exec(&["retry", &id.to_string()], &e).await.expect("retry");
    assert!(out.contains(&format!("打印任务 {id} 已打印")), "{out}");
    let retried = store
        .list_print_jobs(PrintJobFilter {
            id: Some(id),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(retried[0].state, PrintState::Printed);
    let err = exec(&["retry", &id.to_string()], &e)
        .await
        .expect_err("printed");
    assert!(format!("{err:#}").contains("reprint"), "{err:#}");
    let out = exec(&["reprint", &id.to_string()], &e)
        .await
        .expect("reprint");
    assert!(out.contains(&format!("补打自 {id}")), "{out}");
    assert!(out.contains("已打印"), "the copy printed at once: {out}");
    let copies = store
        .list_print_jobs(PrintJobFilter {
            state: Some(PrintState::Printed),
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

/// `print test` to the fake printer for every shipped profile: the page decodes, has its QR
/// where the profile can print one, ends with a cut or the tear feed, and the printer confirms.
#[tokio::test]
async fn test_page_on_every_profile() {
    for id in onewindow::print::profile::builtin_ids() {
        let p = FakePrinter::start(Mode::Normal).await;
        let out = exec(&["test", "--profile", id, "--to", &p.url()], &env())
            .await
            .unwrap_or_else(|e| panic!("{id}: {e:#}"));
        assert!(out.contains(&format!("打印机配置 {id}")), "{id}: {out}");
        let profile = onewindow::print::Profile::builtin(id).expect("profile");
        if profile.status.dle_eot {
            assert!(out.contains("打印后打印机状态：打印机正常"), "{id}: {out}");
        }
        // Without a status answer to wait for, the last bytes may still be on their way.
        let whole =
            |b: &Vec<u8>| decode(b).is_ok_and(|d| d.cuts() == 1 || b.ends_with(&[0x1b, b'd', 4]));
        for _ in 0..100 {
            if p.jobs().first().is_some_and(whole) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let jobs = p.jobs();
        assert_eq!(jobs.len(), 1, "{id}");
        assert!(whole(&jobs[0]), "{id}: the whole page");
        let d = decode(&jobs[0]).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(d.cuts(), usize::from(profile.can_cut()), "{id}");
        assert!(p.errors().is_empty(), "{id}: {:?}", p.errors());
        p.stop();
    }
}

/// Services over the sample case (as [`stored_sample`]) printing to `printer` with profile
/// generic-80.
async fn stored_sample_printing_to(dir: &std::path::Path, printer: &str) -> Services {
    let cfg = load(&Sources {
        file: None,
        env: vec![],
        overrides: vec![
            format!("database.url=sqlite://{}", dir.join("ow.db").display()),
            "site.code=TSQ".into(),
            format!("printer.to={printer}"),
            "printer.profile=generic-80".into(),
        ],
    })
    .expect("config");
    let services = Services::open(&cfg).await.expect("services");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dismissal.toml");
    let record = onewindow::app::intake::read_intake_file(&path)
        .expect("example")
        .record;
    services
        .register(&record, None, &Acting::default(), chrono::Utc::now())
        .await
        .expect("register");
    services
}

/// `print run`, `retry`, `reprint` print at once without a kiosk; an unconfirmed job is
/// reported, confirmed by a person (`confirm`), and its history shows every attempt in China
/// time with the zone.
#[tokio::test]
async fn run_retry_reprint_and_confirm_print_without_a_kiosk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = FakePrinter::start(Mode::PaperOut).await;
    let services = stored_sample_printing_to(dir.path(), &p.url()).await;
    let mut e = env();
    e.services = Some(&services);
    let jobs = services.print_jobs(None, 10).await.expect("jobs");
    assert!(!jobs.is_empty());
    let first = jobs.iter().map(|j| j.id).min().expect("a job");
    let out = exec(&["run", "--all"], &e).await.expect("run");
    assert!(
        out.contains(&format!("打印任务 {first} 仍待打印")) && out.contains("缺纸"),
        "{out}"
    );
    assert!(p.jobs().is_empty());
    // The printer is fixed: retry prints that job now, and keeps the paper-out error in the
    // history.
    p.set_mode(Mode::Normal);
    let out = exec(&["retry", &first.to_string()], &e)
        .await
        .expect("retry");
    assert!(out.contains(&format!("打印任务 {first} 已打印")), "{out}");
    let out = exec(&["run", "--all"], &e).await.expect("run");
    for j in jobs.iter().filter(|j| j.id != first) {
        assert!(out.contains(&format!("打印任务 {} 已打印", j.id)), "{out}");
    }
    let printed = |p: &FakePrinter| {
        p.jobs()
            .iter()
            .map(|b| decode(b).expect("decode").cuts())
            .sum::<usize>()
    };
    assert_eq!(printed(&p), jobs.len(), "each job once");
    let out = exec(&["run", "--all"], &e).await.expect("run");
    assert!(out.contains("没有待打印的任务"), "{out}");
    let out = exec(&["history", &first.to_string()], &e)
        .await
        .expect("history");
    assert!(out.contains("+08:00"), "{out}");
    assert!(out.contains("待打印") && out.contains("缺纸"), "{out}");
    assert!(out.contains("已打印"), "{out}");
    let out = exec(&["jobs"], &e).await.expect("jobs");
    assert!(
        !out.contains("缺纸"),
        "a printed job shows no old error: {out}"
    );
    // A reprint to a printer that resets the connection after taking the job's queries: sent,
    // not confirmed; the clerk says it came out.
    p.set_mode(Mode::StallThenReset(3, Duration::from_millis(100)));
    let out = exec(&["reprint", &first.to_string()], &e)
        .await
        .expect("reprint");
    let copy = services
        .print_jobs(Some(PrintState::Unconfirmed), 10)
        .await
        .expect("jobs");
    assert_eq!(copy.len(), 1, "{out}");
    let copy = copy[0].id;
    assert!(
        out.contains(&format!("打印任务 {copy} 未确认是否打出")),
        "{out}"
    );
    let out = exec(&["run", "--all"], &e).await.expect("run");
    assert!(
        out.contains("没有待打印的任务"),
        "never retried on its own: {out}"
    );
    let out = exec(&["confirm", &copy.to_string()], &e)
        .await
        .expect("confirm");
    assert!(out.contains("已打出"), "{out}");
    assert!(exec(&["confirm", &copy.to_string()], &e).await.is_err());
    let out = exec(&["history", &copy.to_string()], &e)
        .await
        .expect("history");
    assert!(
        out.contains("可能未打出") && out.contains("已打印"),
        "{out}"
    );
    assert!(
        Cli::try_parse_from(["print", "run"]).is_err(),
        "a window, a job or --all"
    );
    services.close().await;
}

/// The ticket names the windows whose stations serve its queue (1 and 3, not 2), the people
/// ahead and the wait, says 过号请重新取号, and its QR is the ticket number people read with its
/// site and day; with a `progress_url` the receipt's QR is that lookup and says so.
#[tokio::test]
async fn the_ticket_names_its_windows_and_the_receipt_its_lookup() {
    use onewindow::domain::Route;
    use onewindow::print::Document;
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("ow.db").display());
    let cfg = load(&Sources {
        file: None,
        env: vec![],
        overrides: vec![
            format!("database.url={url}"),
            "site.code=TSQ".into(),
            "site.progress_url=https://tj.example.cn/progress?no={case_no}".into(),
        ],
    })
    .expect("config");
    let services = Services::open(&cfg).await.expect("services");
    let site = services.site().expect("site");
    let store =
        onewindow::storage::Store::open(&onewindow::storage::DbUrl::new(url), Default::default())
            .await
            .expect("store");
    let all = [
        Route::LaborMediation,
        Route::PeoplesMediation,
        Route::LaborInspection,
        Route::Arbitration,
    ];
    let now = chrono::Utc::now();
    for (n, routes) in [(1, &all[..]), (2, &[][..]), (3, &all[..])] {
        store
            .upsert_window(site.id, n, "", routes, now)
            .await
            .expect("window");
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dismissal.toml");
    let record = onewindow::app::intake::read_intake_file(&path)
        .expect("example")
        .record;
    let receipt = services
        .register(&record, None, &Acting::default(), now)
        .await
        .expect("register");
    let ticket = receipt.issued.ticket.expect("a ticket");
    let jobs = services.print_jobs(None, 10).await.expect("jobs");
    let doc = |kind| {
        let job = jobs.iter().find(|j| j.kind == kind).expect("job");
        Document::from_json(&job.payload).expect("document")
    };
    let profile = onewindow::print::Profile::builtin("generic-58").expect("profile");
    let t = decode(
        &onewindow::print::escpos::encode(&doc(onewindow::domain::PrintKind::Ticket), &profile)
            .expect("encode"),
    )
    .expect("decode");
    let text = t.text_lines().join("\n");
    assert!(text.contains("窗口：1、3号"), "{text}");
    assert!(
        text.contains("前面等候：0人") && text.contains("预计等候"),
        "{text}"
    );
    assert!(text.contains("过号请重新取号"), "{text}");
    let day = onewindow::domain::numbering::local_time(&now).format("%Y%m%d");
    assert_eq!(t.qrs(), vec![format!("TSQ-{day}-{}", ticket.as_str())]);
    let r = decode(
        &onewindow::print::escpos::encode(&doc(onewindow::domain::PrintKind::Receipt), &profile)
            .expect("encode"),
    )
    .expect("decode");
    assert_eq!(
        r.qrs(),
        vec![format!(
            "https://tj.example.cn/progress?no={}",
            receipt.issued.case_no
        )]
    );
    assert!(
        r.text_lines()
            .iter()
            .any(|l| l.contains("扫码查询办理进度"))
    );
    store.close().await;
    services.close().await;
}

/// The README's print commands as real processes: `print run --all` prints what is due and says
/// so, `print history` shows the attempts in China time, `print jobs` the states.
#[tokio::test]
async fn print_run_and_history_as_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = FakePrinter::start(Mode::Normal).await;
    let services = stored_sample_printing_to(dir.path(), &p.url()).await;
    // Paper on the database names people: the commands sign in as the sample's clerk.
    services
        .save_staff(
            &StaffNo("B002".into()),
            "王五",
            StaffRole::Clerk,
            Some("123456".into()),
        )
        .await
        .expect("clerk's PIN");
    let base = vec![
        "--db".to_string(),
        format!("sqlite://{}", dir.path().join("ow.db").display()),
        "--set".into(),
        "site.code=TSQ".into(),
        "--set".into(),
        format!("printer.to={}", p.url()),
        "--set".into(),
        "printer.profile=generic-80".into(),
    ];
    // The fake printer answers on this runtime, so the command runs on a blocking thread.
    let run = |extra: &'static [&'static str]| {
        let (dir, base) = (dir.path().to_path_buf(), base.clone());
        tokio::task::spawn_blocking(move || {
            let mut a: Vec<&str> = base.iter().map(String::as_str).collect();
            a.extend_from_slice(extra);
            a.extend_from_slice(&["--staff", "B002", "--pin-stdin"]);
            support::cli::onewindow(&dir, &[], &a, "123456\n")
        })
    };
    let out = run(&["print", "run", "--all"]).await.expect("join");
    assert!(out.success, "{}", out.stderr);
    assert!(out.stdout.contains("打印任务 1 已打印"), "{}", out.stdout);
    let out = run(&["print", "history", "1"]).await.expect("join");
    assert!(out.success, "{}", out.stderr);
    assert!(
        out.stdout.contains("+08:00") && out.stdout.contains("已打印"),
        "{}",
        out.stdout
    );
    services.close().await;
}
