//! A window's services (`app::Kiosk`) on a temporary SQLite file, as the screens use them:
//! first-run set-up, sign-in with lock-out, submit, the window's queue, call / start / transfer /
//! finish, case history, search, reprint and health.

use chrono::{Duration, TimeZone};
use onewindow::app::queue::TicketOp;
use onewindow::app::*;
use onewindow::config::{Sources, load};
use onewindow::domain::{
    Outcome, PrintKind, Route, StaffNo, StaffRole, TicketNo, WindowNo, china_time, classify,
};
use std::sync::Arc;

mod support;

fn t(no: &str) -> TicketNo {
    TicketNo::from_stored(no.to_string())
}

fn p04_record() -> onewindow::domain::IntakeRecord {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dismissal.toml");
    onewindow::app::intake::read_intake_file(&path)
        .expect("example")
        .record
}

/// The kiosk's configuration on a temporary SQLite file, printing to `printer` (a `printer.to`
/// value), with any further `key=value` settings.
fn config(dir: &std::path::Path, printer: &str, more: &[&str]) -> onewindow::config::Config {
    let mut overrides = vec![
        format!("database.url=sqlite://{}", dir.join("ow.db").display()),
        format!("printer.to={printer}"),
        "site.minimum_wage_monthly=2420".into(),
        format!("log.file={}", dir.join("ow.log").display()),
    ];
    overrides.extend(more.iter().map(|m| m.to_string()));
    load(&Sources {
        file: None,
        env: vec![],
        overrides,
    })
    .expect("config")
}

async fn open(config: &onewindow::config::Config) -> Arc<Kiosk> {
    open_at(config, 1).await
}

/// The kiosk standing at window `n`.
async fn open_at(config: &onewindow::config::Config, n: u32) -> Arc<Kiosk> {
    let services = Services::open(config).await.expect("services open");
    Arc::new(
        Kiosk::open(services, WindowNo(n))
            .await
            .expect("kiosk opens"),
    )
}

async fn backend(dir: &std::path::Path) -> Arc<Kiosk> {
    let spool = format!("spool:{}", dir.join("spool").display());
    open(&config(dir, &spool, &[])).await
}

/// A site with window 1, and its supervisor 9001 signed in there now.
async fn signed_in_at_window_1(b: &Kiosk) -> (StaffNo, chrono::DateTime<chrono::FixedOffset>) {
    b.set_up(
        SetUp {
            site_code: "ZZ01".into(),
            site_name: "金水区劳动人事争议调解中心".into(),
            windows: vec![WindowNo(1)],
            supervisor_no: StaffNo("9001".into()),
            supervisor_name: "李主任".into(),
            supervisor_pin: "246810".into(),
        },
        onewindow::tui::event::now(),
    )
    .await
    .expect("set up");
    let at = onewindow::tui::event::now();
    let boss = StaffNo("9001".into());
    b.sign_in(boss.clone(), "246810".into(), at)
        .await
        .expect("sign in");
    (boss, at)
}

/// Registers the p04 dismissal case at window 1.
async fn submit_p04(b: &Kiosk, at: chrono::DateTime<chrono::FixedOffset>) -> Issued {
    b.submit(Submission {
        record: p04_record(),
        route_override: None,
        at,
    })
    .await
    .expect("submit")
}

/// The kiosk's database as another process (the supervisor's) sees it.
async fn other_process(dir: &std::path::Path) -> onewindow::storage::Store {
    let url = onewindow::storage::DbUrl::new(format!("sqlite://{}", dir.join("ow.db").display()));
    onewindow::storage::Store::open(&url, Default::default())
        .await
        .expect("open")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_day_on_the_real_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spool = format!("spool:{}", dir.path().join("spool").display());
    let cfg = config(dir.path(), &spool, &[]);
    let b = open(&cfg).await;
    // Yesterday morning (China time): every step is in the past, so the print runner (on the real
    // clock) finds each paper due at once, and all steps fall on one day whatever the time now.
    let day = onewindow::tui::event::now().date_naive() - chrono::Days::new(1);
    let at = china_time()
        .from_local_datetime(&day.and_hms_opt(9, 0, 0).expect("time"))
        .single()
        .expect("time");

    assert!(
        b.needs_setup().await.expect("needs_setup"),
        "an empty database asks for set-up"
    );
    b.set_up(
        SetUp {
            site_code: "ZZ01".into(),
            site_name: "金水区劳动人事争议调解中心".into(),
            windows: vec![WindowNo(1), WindowNo(2)],
            supervisor_no: StaffNo("9001".into()),
            supervisor_name: "李主任".into(),
            supervisor_pin: "246810".into(),
        },
        at,
    )
    .await
    .expect("set up");
    assert!(!b.needs_setup().await.expect("needs_setup"));

    // Wrong PINs count down, then lock; the right PIN is refused while locked.
    let boss = StaffNo("9001".into());
    for left in (1..5).rev() {
        match b.sign_in(boss.clone(), "000000".into(), at).await {
            Err(AppError::BadCredentials { attempts_left }) => assert_eq!(attempts_left, left),
            other => panic!("expected BadCredentials({left}), got {other:?}"),
        }
    }
    assert!(matches!(
        b.sign_in(boss.clone(), "000000".into(), at).await,
        Err(AppError::LockedOut { .. })
    ));
    assert!(matches!(
        b.sign_in(boss.clone(), "246810".into(), at).await,
        Err(AppError::LockedOut { .. })
    ));
    let later = at + Duration::minutes(16);
    let staff = b
        .sign_in(boss.clone(), "246810".into(), later)
        .await
        .expect("signs in after the lock");
    assert_eq!(staff.role, StaffRole::Supervisor);
    assert!(matches!(
        b.sign_in(StaffNo("7777".into()), "1234".into(), later)
            .await,
        Err(AppError::BadCredentials { .. })
    ));

    // Register two cases at window 1: the second one is a priority case.
    let record = p04_record();
    let site = cfg.site.clone();
    let mut decision = classify(&record, &site, later);
    assert_eq!(decision.route, Some(Route::LaborMediation));
    let first = b
        .submit(Submission {
            record: record.clone(),
            route_override: None,
            at: later,
        })
        .await
        .expect("submit");
    assert_eq!(first.ticket, Some(t("T001")));
    let prefix = format!("ZZ01-{}-", day.format("%Y%m%d"));
    assert!(
        first.case_no.as_str().starts_with(&prefix),
        "{}",
        first.case_no
    );
    let mut urgent = record.clone();
    urgent.applicant.name = "欧阳娜娜".into();
    urgent.applicant.groups = vec![onewindow::domain::Group::Pregnant];
    decision = classify(&urgent, &site, later);
    assert!(decision.is_priority());
    let second = b
        .submit(Submission {
            record: urgent,
            route_override: None,
            at: later + Duration::minutes(1),
        })
        .await
        .expect("submit");
    assert_eq!(second.ticket, Some(t("T002")));

    // An override needs its reason, and the reason is kept with the case.
    let overridden = b
        .submit(Submission {
            record: record.clone(),
            route_override: Some(RouteOverride {
                route: Route::Arbitration,
                referral_to: None,
                reason: "当事人当场明确拒绝调解".into(),
            }),
            at: later + Duration::minutes(2),
        })
        .await
        .expect("override");
    assert_eq!(overridden.route, Some(Route::Arbitration));
    assert_eq!(overridden.ticket, Some(t("Z001")));
    let view = b
        .case_view(overridden.case_no.clone())
        .await
        .expect("case view");
    // The clerk's words are in the history; the worker's paper says why in the worker's words.
    assert!(view.history.iter().any(|h| matches!(
        &h.event,
        onewindow::app::CaseEvent::RouteOverridden { reason, .. } if reason == "当事人当场明确拒绝调解"
    )));
    assert_eq!(view.decision.reasons[0].rule, "OVERRIDE");
    assert!(
        !view.decision.reasons[0]
            .text
            .contains("当事人当场明确拒绝调解")
    );

    // The window's queue: priority first; call next takes it.
    let waiting = b
        .queue(later + Duration::minutes(4))
        .await
        .expect("waiting");
    let order: Vec<&str> = waiting.iter().map(|e| e.ticket.as_str()).collect();
    assert_eq!(order, ["T002", "T001", "Z001"]);
    let called = b
        .call_next(later + Duration::minutes(5))
        .await
        .expect("call");
    assert_eq!(called.ticket, t("T002"));
    b.ticket_op(
        TicketOp::Start,
        called.ticket.clone(),
        later + Duration::minutes(6),
    )
    .await
    .expect("start");
    let moved = b
        .transfer(
            called.ticket.clone(),
            Route::Arbitration,
            "调解不成，转仲裁".into(),
            later + Duration::minutes(20),
        )
        .await
        .expect("transfer");
    assert!(moved.as_str().starts_with('Z'), "{moved}");
    // The supervisor goes to window 2, whose kiosk calls the transferred worker first.
    b.sign_out(later + Duration::minutes(20))
        .await
        .expect("sign out");
    let w2 = open_at(&cfg, 2).await;
    w2.sign_in(boss.clone(), "246810".into(), later + Duration::minutes(21))
        .await
        .expect("sign in at window 2");
    let next = w2
        .call_next(later + Duration::minutes(21))
        .await
        .expect("call");
    assert_eq!(
        next.ticket, moved,
        "the transferred ticket keeps its early place"
    );
    w2.ticket_op(
        TicketOp::Start,
        next.ticket.clone(),
        later + Duration::minutes(22),
    )
    .await
    .expect("start");
    w2.finish(
        next.ticket.clone(),
        Outcome::Accepted,
        later + Duration::minutes(40),
    )
    .await
    .expect("finish");
    assert!(matches!(
        w2.finish(
            next.ticket.clone(),
            Outcome::Accepted,
            later + Duration::minutes(41)
        )
        .await,
        Err(AppError::InvalidState)
    ));

    // History, search and reprint, at window 2 where the supervisor now is.
    let b = w2;
    let view = b
        .case_view(second.case_no.clone())
        .await
        .expect("case view");
    let events: Vec<String> = view
        .history
        .iter()
        .map(|h| format!("{:?}", h.event))
        .collect();
    assert!(
        events.iter().any(|e| e.starts_with("Registered")),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| e.starts_with("Transferred")),
        "{events:?}"
    );
    // The history says where the ticket went and why, and who moved it at which window, by the
    // numbers people know (a transfer's target once always read as the first route).
    let transfer = view
        .history
        .iter()
        .find(|h| matches!(h.event, CaseEvent::Transferred { .. }))
        .expect("a transfer in the history");
    assert_eq!(
        transfer.event,
        CaseEvent::Transferred {
            from: Some(Route::LaborMediation),
            to: Route::Arbitration,
            ticket: Some(moved.clone()),
            reason: "调解不成，转仲裁".into()
        }
    );
    assert_eq!(transfer.staff.as_ref(), Some(&boss));
    assert_eq!(transfer.window, Some(WindowNo(1)));
    assert!(
        events.iter().any(|e| e.starts_with("Finished")),
        "{events:?}"
    );
    let found = b.search("欧阳".into()).await.expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].case_no, second.case_no);
    assert_eq!(
        b.search("13812345678".into()).await.expect("search").len(),
        3,
        "by phone"
    );
    assert_eq!(
        b.search(first.case_no.to_string())
            .await
            .expect("search")
            .len(),
        1,
        "by number"
    );
    assert!(
        b.search("%".into()).await.expect("search").is_empty(),
        "wildcards are literal"
    );
    // The spool folder printer gets every paper: 3 tickets + 3 receipts + the transferred
    // worker's new ticket, then the reprint.
    let spool = dir.path().join("spool");
    wait_for_papers(&spool, 7).await;
    b.reprint(first.case_no.clone(), PrintKind::Receipt, later)
        .await
        .expect("reprint");
    assert!(matches!(
        b.reprint(first.case_no.clone(), PrintKind::Referral, later)
            .await,
        Err(AppError::NotFound)
    ));
    let health = b.health().await.expect("health");
    assert_eq!(health.database, DbStatus::Connected);

    wait_for_papers(&spool, 8).await;
}

/// Waits until the spool folder holds `n` papers, and checks it never holds more.
async fn wait_for_papers(spool: &std::path::Path, n: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let bins = std::fs::read_dir(spool)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "bin"))
                    .count()
            })
            .unwrap_or(0);
        if bins >= n {
            assert_eq!(bins, n, "each paper printed once");
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {bins} papers in the spool folder"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A reprint asked for while the paper still waits for a printer that is off is refused with
/// its own reason: a copy would come out twice when the printer returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reprint_while_the_paper_still_waits() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Nothing listens on port 9 of this machine: the printer is off.
    let config = config(dir.path(), "tcp://127.0.0.1:9", &[]);
    let b = open(&config).await;
    let (_boss, at) = signed_in_at_window_1(b.as_ref()).await;
    let issued = submit_p04(b.as_ref(), at).await;
    assert!(matches!(
        b.reprint(issued.case_no.clone(), PrintKind::Receipt, at)
            .await,
        Err(AppError::StillPrinting)
    ));
}

/// Signing in at the kiosk opens a session at its window, which the supervisor's screen reads;
/// signing out ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_out_are_the_windows_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = backend(dir.path()).await;
    let (_boss, now) = signed_in_at_window_1(b.as_ref()).await;

    // What the supervisor's process sees, on its own connection.
    let other = other_process(dir.path()).await;
    let site = other.site_by_code("ZZ01").await.expect("site");
    let utc = now.with_timezone(&chrono::Utc);
    let live = other.live_sessions(site.id, utc).await.expect("sessions");
    assert_eq!(live.len(), 1);
    assert_eq!(
        (live[0].window_number, live[0].staff_code.as_str()),
        (1, "9001")
    );

    b.sign_out(now + Duration::minutes(5))
        .await
        .expect("sign out");
    assert!(
        other
            .live_sessions(site.id, utc + Duration::minutes(5))
            .await
            .expect("sessions")
            .is_empty()
    );
    let spans = other
        .session_spans(site.id, utc - Duration::hours(1), utc + Duration::hours(1))
        .await
        .expect("spans");
    assert_eq!(spans.len(), 1);
    assert_eq!((spans[0].end - spans[0].start).num_seconds(), 300);
}

/// A printer that runs out of paper shows on the supervisor's side as a fault at this window,
/// with the paper waiting for it, and clears when paper is loaded and the paper has printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printers_state_reaches_the_database() {
    use onewindow::storage::stations::PrinterState;
    use support::fake_printer::{FakePrinter, Mode};
    let printer = FakePrinter::start(Mode::PaperOut).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), &printer.url(), &["printer.profile=generic-80"]);
    let b = open(&config).await;
    let (_boss, at) = signed_in_at_window_1(b.as_ref()).await;
    submit_p04(b.as_ref(), at).await;
    let other = other_process(dir.path()).await;
    let site = other.site_by_code("ZZ01").await.expect("site");
    let window_1 = |rows: Vec<onewindow::storage::stations::PrinterRow>| {
        rows.into_iter()
            .find(|p| p.window_number == Some(1))
            .expect("window 1's printer")
    };
    let wait_for = |want: PrinterState, waiting: i64| {
        let other = other.clone();
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            loop {
                let later = chrono::Utc::now() + chrono::Duration::minutes(1);
                let row = window_1(other.printers(site.id, later).await.expect("printers"));
                if row.state == Some(want) && row.waiting_jobs == waiting {
                    return row;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "window 1's printer is {row:?}, want {want:?} with {waiting} waiting"
                );
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    };
    let row = wait_for(PrinterState::Fault, 2).await;
    assert!(row.detail.contains("缺纸"), "{row:?}");

    printer.set_mode(Mode::Normal);
    let row = wait_for(PrinterState::Ok, 0).await;
    assert!(row.detail.contains("正常"), "{row:?}");
    let cuts: usize = printer
        .jobs()
        .iter()
        .map(|bytes| {
            support::escpos_decoder::decode(bytes)
                .expect("decode")
                .cuts()
        })
        .sum();
    assert_eq!(cuts, 2, "the ticket and the receipt, once each");
}

/// An arbitration ticket cannot be finished as 调解成功, whoever asks (the kiosk offers only
/// `outcomes_for(route)`; the service refuses the rest for commands and stale screens alike).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finish_refuses_an_outcome_the_queue_cannot_have() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = backend(dir.path()).await;
    let (_, at) = signed_in_at_window_1(&b).await;
    let text = std::fs::read_to_string("tests/scenarios/p05_dismissal_declines_mediation.toml")
        .expect("scenario");
    let doc: toml::Table = toml::from_str(&text).expect("scenario parses");
    let record: onewindow::domain::IntakeRecord =
        doc["case"].clone().try_into().expect("p05 record");
    let issued = b
        .submit(Submission {
            record,
            route_override: None,
            at,
        })
        .await
        .expect("submit");
    let ticket = issued.ticket.expect("a ticket");
    assert!(ticket.as_str().starts_with('Z'), "arbitration: {ticket}");
    b.call_next(at).await.expect("call");
    b.ticket_op(TicketOp::Start, ticket.clone(), at)
        .await
        .expect("start");
    assert_eq!(
        b.finish(ticket.clone(), Outcome::Mediated, at).await,
        Err(AppError::InvalidState)
    );
    b.finish(ticket, Outcome::Accepted, at)
        .await
        .expect("已受理 is an arbitration outcome");
}
