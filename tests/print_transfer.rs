//! Transfer and reprint on paper (issue 12), through the real binary over SQLite and PostgreSQL,
//! printing to the in-process fake network printer whose bytes are decoded: a transfer prints
//! the new ticket (its job stored with the transfer), the case's 去向 follows the live ticket
//! and its history names the real destination and the staff number; a reprint prints the live
//! ticket marked 【补打】 and is audited as the clerk's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[path = "common/db.rs"]
mod testdb;

use chrono::Utc;
use onewindow::app::CaseEvent;
use onewindow::domain::audit::AuditEvent;
use onewindow::domain::{Lang, PrintKind, Route, TicketNo, WindowNo, china_time};
use onewindow::storage::PrintJobFilter;
use std::path::Path;
use support::escpos_decoder::decode;
use support::fake_printer::{FakePrinter, Mode};
use testdb::{TestDb, clerk_at_window_1, wage_claim_at, zz01_printing_to};

const BOSS_PIN: &str = "246810";

/// `onewindow ARGS` on `url` for site ZZ01 printing to `printer`, run as supervisor S01.
fn ok(dir: &Path, url: &str, printer: &str, args: &[&str]) -> String {
    let mut all = vec![
        "--db",
        url,
        "--set",
        "site.code=ZZ01",
        "--set",
        "printer.profile=generic-80",
    ];
    let to = format!("printer.to={printer}");
    all.extend(["--set", &to]);
    all.extend(args);
    all.extend(["--staff", "S01", "--pin-stdin"]);
    let run = support::cli::onewindow(dir, &[], &all, &format!("{BOSS_PIN}\n"));
    assert!(run.success, "onewindow {args:?} failed: {}", run.stderr);
    run.stdout
}

/// Each paper the printer has received: its text lines and QR payloads.
fn papers(printer: &FakePrinter) -> Vec<(String, Vec<String>)> {
    let decoded = decode(&printer.jobs().concat()).expect("the printer's bytes decode");
    decoded
        .papers()
        .into_iter()
        .map(|p| (p.text, p.qrs))
        .collect()
}

async fn transfer_prints_the_new_ticket_and_reprint_prints_the_live_one(db: TestDb) {
    let printer = FakePrinter::start(Mode::Normal).await;
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.expose().to_string();
    let s = zz01_printing_to(&url, &printer.url(), Lang::Zh).await;
    let now = Utc::now();
    let clerk = clerk_at_window_1(&s, now, BOSS_PIN).await;
    let reg = s
        .register(&wage_claim_at(now), None, &clerk, now)
        .await
        .expect("registered");
    let case_no = reg.issued.case_no.clone();
    assert_eq!(
        reg.issued.ticket.as_ref().map(TicketNo::as_str),
        Some("T001")
    );

    // The intake's paper, then the clerk calls T001 and sends the worker to arbitration.
    ok(dir.path(), &url, &printer.url(), &["print", "run", "--all"]);
    let before = papers(&printer).len();
    assert_eq!(before, 2, "ticket and receipt");
    ok(
        dir.path(),
        &url,
        &printer.url(),
        &["queue", "call", "--window", "1"],
    );
    ok(
        dir.path(),
        &url,
        &printer.url(),
        &[
            "queue",
            "transfer",
            "T001",
            "--to",
            "Z",
            "--reason",
            "调解不成，申请仲裁",
        ],
    );

    // The new ticket's paper was stored with the transfer, for the new ticket.
    let case = s.case_record(&case_no).await.unwrap();
    let tickets = db.store.tickets_for_case(case.id).await.unwrap();
    let z = tickets
        .iter()
        .find(|t| t.ticket_no.as_str() == "Z001")
        .expect("the new ticket");
    let jobs = db
        .store
        .list_print_jobs(PrintJobFilter {
            case: Some(case.id),
            ..PrintJobFilter::default()
        })
        .await
        .unwrap();
    assert!(
        jobs.iter()
            .any(|j| j.kind == PrintKind::Ticket && j.ticket == Some(z.id)),
        "a ticket job for Z001: {jobs:?}"
    );

    ok(dir.path(), &url, &printer.url(), &["print", "run", "--all"]);
    let all = papers(&printer);
    assert_eq!(
        all.len(),
        before + 1,
        "exactly one more paper: the new ticket"
    );
    let (ticket, qrs) = &all[before];
    assert!(ticket.contains("Z001"), "{ticket}");
    assert!(
        ticket.contains("劳动人事争议仲裁"),
        "the destination: {ticket}"
    );
    assert!(!ticket.contains("T001"), "{ticket}");
    let day = now.with_timezone(&china_time()).format("%Y%m%d");
    assert_eq!(qrs, &vec![format!("ZZ01-{day}-Z001")]);
    let decoded = decode(&printer.jobs().concat()).unwrap();
    assert_eq!(decoded.cuts(), before + 1, "each paper cut once");

    // The case's 去向 follows the live ticket; its history names the destination and who did it.
    let view = s.case_view(&case_no).await.unwrap();
    assert_eq!(view.route, Some(Route::Arbitration));
    assert_eq!(view.ticket.as_ref().map(TicketNo::as_str), Some("Z001"));
    let moved = view
        .history
        .iter()
        .find(|h| matches!(h.event, CaseEvent::Transferred { .. }))
        .expect("a transfer in the history");
    assert_eq!(moved.staff.as_ref().map(|s| s.0.as_str()), Some("S01"));
    let line = (onewindow::i18n::kiosk::strings(onewindow::domain::Lang::Zh).event)(&moved.event);
    assert_eq!(
        line,
        "由劳动人事争议调解转移至劳动人事争议仲裁，新号 Z001（调解不成，申请仲裁）"
    );
    let hits = s.search(case_no.as_str()).await.unwrap();
    assert_eq!(
        hits[0].route,
        Some(Route::Arbitration),
        "search shows it too"
    );

    // 补打 at the window: the live ticket Z001, marked, audited as clerk 1001's.
    let later = Utc::now();
    s.reprint(&case_no, PrintKind::Ticket, &clerk, later)
        .await
        .expect("reprint");
    ok(dir.path(), &url, &printer.url(), &["print", "run", "--all"]);
    let all = papers(&printer);
    assert_eq!(all.len(), before + 2);
    let (copy, qrs) = &all[before + 1];
    let first = copy.lines().next().unwrap_or_default();
    let stamp = later.with_timezone(&china_time()).format("%Y-%m-%d %H:%M");
    assert!(
        first.contains("【补打】") && first.contains(&stamp.to_string()),
        "the mark and time come first: {copy}"
    );
    assert!(copy.contains("Z001") && !copy.contains("T001"), "{copy}");
    assert_eq!(qrs, &vec![format!("ZZ01-{day}-Z001")]);
    let audit = s.case_audit(&case_no).await.unwrap();
    let reprinted = audit
        .iter()
        .find(|a| matches!(a.event, AuditEvent::Reprinted { .. }))
        .expect("the reprint is audited");
    assert_eq!(
        reprinted.staff_no.as_ref().map(|s| s.0.as_str()),
        Some("1001")
    );
    assert_eq!(reprinted.window_no, Some(WindowNo(1)));

    // `print reprint JOB` from the command line: the receipt, marked, audited as S01's.
    let receipt = jobs
        .iter()
        .find(|j| j.kind == PrintKind::Receipt)
        .expect("receipt job");
    ok(
        dir.path(),
        &url,
        &printer.url(),
        &["print", "reprint", &receipt.id.to_string()],
    );
    ok(dir.path(), &url, &printer.url(), &["print", "run", "--all"]);
    let all = papers(&printer);
    assert_eq!(all.len(), before + 3);
    let (copy, _) = &all[before + 2];
    assert!(copy.lines().next().unwrap_or_default().contains("【补打】"));
    assert!(
        copy.contains("登记回执") && copy.contains(case_no.as_str()),
        "{copy}"
    );
    let audit = s.case_audit(&case_no).await.unwrap();
    let by: Vec<&str> = audit
        .iter()
        .filter(|a| matches!(a.event, AuditEvent::Reprinted { .. }))
        .filter_map(|a| a.staff_no.as_ref().map(|s| s.0.as_str()))
        .collect();
    assert_eq!(by, ["1001", "S01"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_and_reprint_on_sqlite() {
    transfer_prints_the_new_ticket_and_reprint_prints_the_live_one(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_and_reprint_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    transfer_prints_the_new_ticket_and_reprint_prints_the_live_one(db).await;
}

/// A walk-in ticket issued from the command line (`queue issue T --window 1`) is stored with its
/// paper in one transaction, at window 1's printer, and prints: its number, its queue and its QR,
/// then a cut. Before, the worker was given a number with no paper at all.
async fn a_walk_in_ticket_prints_at_its_window(db: TestDb) {
    let printer = FakePrinter::start(Mode::Normal).await;
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.expose().to_string();
    let s = zz01_printing_to(&url, &printer.url(), Lang::Zh).await;
    let now = Utc::now();
    clerk_at_window_1(&s, now, BOSS_PIN).await;
    let said = ok(
        dir.path(),
        &url,
        &printer.url(),
        &["queue", "issue", "T", "--window", "1"],
    );
    assert!(said.contains("T001"), "{said}");

    let jobs = db
        .store
        .list_print_jobs(PrintJobFilter::default())
        .await
        .unwrap();
    let window = s.station(WindowNo(1), false, now).await.unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    assert_eq!(jobs[0].state, onewindow::domain::PrintState::Printed);
    assert_eq!(jobs[0].kind, PrintKind::Ticket);
    assert_eq!(jobs[0].window, Some(window.id), "at window 1's printer");
    assert!(jobs[0].ticket.is_some(), "the job names its ticket");

    // It printed as it was issued; a later run finds nothing more to print.
    ok(
        dir.path(),
        &url,
        &printer.url(),
        &["print", "run", "--window", "1"],
    );
    let all = papers(&printer);
    assert_eq!(all.len(), 1, "one paper: the ticket, printed once");
    let (ticket, qrs) = &all[0];
    assert!(ticket.contains("T001"), "{ticket}");
    assert!(ticket.contains("劳动人事争议调解"), "its queue: {ticket}");
    let day = now.with_timezone(&china_time()).format("%Y%m%d");
    assert_eq!(qrs, &vec![format!("ZZ01-{day}-T001")]);
    assert_eq!(decode(&printer.jobs().concat()).unwrap().cuts(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_walk_in_ticket_prints_on_sqlite() {
    a_walk_in_ticket_prints_at_its_window(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_walk_in_ticket_prints_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    a_walk_in_ticket_prints_at_its_window(db).await;
}
