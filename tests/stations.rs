//! Windows as stations, on both backends: each window's printer takes only that window's paper
//! (and paper queued at no window), a reprint comes out where it was asked for, sign-in sessions
//! say who is at which window and give the report its idle time, and a printer's fault reaches
//! the supervisor's alerts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[path = "common/db.rs"]
mod testdb;

use chrono::{DateTime, DurationRound, NaiveDate, TimeDelta, TimeZone, Utc};
use onewindow::config::Lang;
use onewindow::domain::{Route, SiteSettings, china_time};
use onewindow::storage::stations::{PrinterState, SESSION_STALE};
use onewindow::storage::*;
use onewindow::supervisor::live::{self, SupervisorSettings};
use testdb::TestDb;

struct Site {
    info: SiteInfo,
    w3: WindowId,
    w4: WindowId,
    c07: StaffId,
    c08: StaffId,
}

async fn site(db: &TestDb) -> Site {
    let s = &db.store;
    let info = s
        .ensure_site(
            &SiteSettings {
                code: "TEST".into(),
                name: "测试调解中心".into(),
                ..SiteSettings::default()
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let routes = [Route::LaborMediation];
    Site {
        w3: s
            .upsert_window(info.id, 3, "", &routes, chrono::Utc::now())
            .await
            .unwrap(),
        w4: s
            .upsert_window(info.id, 4, "", &routes, chrono::Utc::now())
            .await
            .unwrap(),
        c07: s
            .upsert_staff(info.id, "C07", "王小明", StaffRole::Clerk)
            .await
            .unwrap(),
        c08: s
            .upsert_staff(info.id, "C08", "李小红", StaffRole::Clerk)
            .await
            .unwrap(),
        info,
    }
}

/// A case registered at `window` with a ticket and a receipt to print there.
async fn intake_at(
    db: &TestDb,
    site: &Site,
    window: Option<WindowId>,
    at: DateTime<Utc>,
) -> IntakeReceipt {
    let prefix = &site.info.queue(Route::LaborMediation).unwrap().prefix;
    let (record, decision) = (
        testdb::wage_claim(),
        testdb::routed(Route::LaborMediation, prefix),
    );
    let paper = |kind| NewPrintJob {
        kind,
        payload: "{}".into(),
    };
    db.store
        .commit_intake(IntakeCommit::with_jobs(
            site.info.id,
            &record,
            &decision,
            Actor::at(Some(site.c07), at),
            window,
            vec![paper(PrintKind::Ticket), paper(PrintKind::Receipt)],
        ))
        .await
        .unwrap()
}

fn local(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    china_time()
        .from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

async fn paper_prints_only_at_its_own_window(db: &TestDb) {
    let site = site(db).await;
    let s = &db.store;
    let now = Utc::now();
    let receipt = intake_at(db, &site, Some(site.w3), now).await;
    assert_eq!(receipt.print_jobs.len(), 2);
    let queued = s
        .list_print_jobs(PrintJobFilter {
            window: Some(site.w3),
            ..PrintJobFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(queued.len(), 2, "both papers are queued at window 3");
    assert!(queued.iter().all(|j| j.window == Some(site.w3)));

    // Window 4's printer is free, window 3's is not running: window 4 must not take them.
    let later = now + TimeDelta::seconds(1);
    assert_eq!(
        s.claim_next_print_job(later, Some(site.w4)).await.unwrap(),
        None
    );
    assert_eq!(s.claim_next_print_job(later, None).await.unwrap(), None);
    let first = s
        .claim_next_print_job(later, Some(site.w3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.window, Some(site.w3));
    s.mark_print_job_printed(first.id, 0, chrono::Utc::now())
        .await
        .unwrap();

    // Paper queued at no window goes to whichever printer is free.
    let loose = s
        .enqueue_print_job(NewPrintJobFor {
            case: Some(receipt.case_id),
            ticket: None,
            window: None,
            kind: PrintKind::Referral,
            payload: "{}".into(),
            at: now,
        })
        .await
        .unwrap();
    let taken = s
        .claim_next_print_job(later, Some(site.w4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken.id, loose);
    s.mark_print_job_printed(loose, 0, chrono::Utc::now())
        .await
        .unwrap();

    // A reprint asked for at window 4 prints at window 4; one asked for nowhere keeps the
    // original's window.
    let copy = s
        .reprint(first.id, Actor::at_window(None, Some(site.w4), Utc::now()))
        .await
        .unwrap();
    let kept = s
        .reprint(first.id, Actor::at(None, Utc::now()))
        .await
        .unwrap();
    let jobs = s.list_print_jobs(PrintJobFilter::default()).await.unwrap();
    let window_of = |id| jobs.iter().find(|j| j.id == id).unwrap().window;
    assert_eq!(window_of(copy), Some(site.w4));
    assert_eq!(window_of(kept), Some(site.w3));
    let at_w4 = s
        .claim_next_print_job(later, Some(site.w4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(at_w4.id, copy);
    s.mark_print_job_printed(copy, 0, chrono::Utc::now())
        .await
        .unwrap();

    // Window 3's kiosk is gone with the receipt still waiting: a supervisor sends it to window
    // 4 with the command line, as its own process.
    let receipt_job = queued[1].id;
    let work = tempfile::tempdir().unwrap();
    let hash = onewindow::app::pin::hash("135790").unwrap();
    s.set_pin_hash(site.c07, &hash).await.unwrap();
    let out = support::cli::onewindow(
        work.path(),
        &[],
        &[
            "--db",
            db.url.expose(),
            "--set",
            "site.code=TEST",
            "print",
            "move",
            &receipt_job.0.to_string(),
            "--window",
            "4",
            "--staff",
            "C07",
            "--pin-stdin",
        ],
        "135790\n",
    );
    assert!(out.success, "print move: {}", out.stderr);
    assert!(out.stdout.contains("窗口 4"), "{}", out.stdout);
    let moved = s
        .claim_next_print_job(Utc::now(), Some(site.w4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((moved.id, moved.window), (receipt_job, Some(site.w4)));
    // Paper a runner holds under its lease, or already printed, does not move.
    assert!(matches!(
        s.move_print_job(receipt_job, Some(site.w3), Actor::at(None, Utc::now()))
            .await,
        Err(StorageError::InvalidTransition { .. })
    ));
    s.mark_print_job_printed(receipt_job, 0, chrono::Utc::now())
        .await
        .unwrap();
    assert!(matches!(
        s.move_print_job(receipt_job, None, Actor::at(None, Utc::now()))
            .await,
        Err(StorageError::InvalidTransition { .. })
    ));
}
both_backends!(paper_prints_only_at_its_own_window);

async fn sessions_say_who_is_at_each_window(db: &TestDb) {
    let site = site(db).await;
    let s = &db.store;
    // Whole seconds: stored times keep microseconds only.
    let t0 = Utc::now().duration_trunc(TimeDelta::seconds(1)).unwrap() - TimeDelta::minutes(30);
    s.open_session(site.w3, site.c07, t0).await.unwrap();
    // Stale unless refreshed: the kiosk refreshes it every minute.
    let live = s
        .live_sessions(site.info.id, t0 + TimeDelta::minutes(1))
        .await
        .unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(
        (live[0].window_number, live[0].staff_code.as_str()),
        (3, "C07")
    );
    assert_eq!(live[0].signed_in_at, t0);
    assert!(
        s.live_sessions(site.info.id, t0 + SESSION_STALE + TimeDelta::seconds(1))
            .await
            .unwrap()
            .is_empty(),
        "a session not refreshed is a kiosk that is gone"
    );
    assert!(
        s.touch_session(site.w3, site.c07, t0 + TimeDelta::minutes(5))
            .await
            .unwrap()
    );
    assert_eq!(
        s.live_sessions(site.info.id, t0 + TimeDelta::minutes(7))
            .await
            .unwrap()
            .len(),
        1
    );

    // C08 signs in at window 3: C07's session there ends. C07 then signs in at window 4.
    let t1 = t0 + TimeDelta::minutes(10);
    s.open_session(site.w3, site.c08, t1).await.unwrap();
    assert!(!s.touch_session(site.w3, site.c07, t1).await.unwrap());
    s.open_session(site.w4, site.c07, t1).await.unwrap();
    let live = s.live_sessions(site.info.id, t1).await.unwrap();
    let at: Vec<(i64, &str)> = live
        .iter()
        .map(|l| (l.window_number, l.staff_code.as_str()))
        .collect();
    assert_eq!(at, vec![(3, "C08"), (4, "C07")]);

    // Signing out ends it at once; the spans give each clerk's time at each window.
    let t2 = t1 + TimeDelta::minutes(2);
    s.close_session(site.w4, site.c07, t2).await.unwrap();
    let live = s.live_sessions(site.info.id, t2).await.unwrap();
    assert_eq!(live.len(), 1);
    let spans = s
        .session_spans(
            site.info.id,
            t0 - TimeDelta::hours(1),
            t2 + TimeDelta::hours(1),
        )
        .await
        .unwrap();
    let secs: Vec<(i64, &str, i64)> = spans
        .iter()
        .map(|sp| {
            (
                sp.window_number,
                sp.staff_code.as_str(),
                (sp.end - sp.start).num_seconds(),
            )
        })
        .collect();
    assert_eq!(secs, vec![(3, "C07", 600), (3, "C08", 0), (4, "C07", 120)]);
}
both_backends!(sessions_say_who_is_at_each_window);

/// Idle time in the report: signed-in time not spent serving, per window and per clerk.
async fn report_idle_time_comes_from_sessions(db: &TestDb) {
    let site = site(db).await;
    let s = &db.store;
    let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    // C07 at window 3 from 09:00 to 10:00, serving one worker 09:21–09:31 (600 s).
    s.open_session(site.w3, site.c07, local(day, 9, 0))
        .await
        .unwrap();
    let receipt = intake_at(db, &site, Some(site.w3), local(day, 9, 10)).await;
    let by = |h, m| Actor::at(Some(site.c07), local(day, h, m));
    let called = s.call_next(site.w3, by(9, 20)).await.unwrap().unwrap();
    assert_eq!(Some(called.id), receipt.ticket.map(|t| t.id));
    s.start(called.id, by(9, 21)).await.unwrap();
    s.finish(called.id, Outcome::Mediated, by(9, 31))
        .await
        .unwrap();
    s.close_session(site.w3, site.c07, local(day, 10, 0))
        .await
        .unwrap();
    // C08 at window 4 from 23:50 the day before (counted from midnight), last seen 00:10,
    // never signed out (the kiosk was killed): 600 s in the period, all idle.
    s.open_session(site.w4, site.c08, local(day, 0, 0) - TimeDelta::minutes(10))
        .await
        .unwrap();
    assert!(
        s.touch_session(site.w4, site.c08, local(day, 0, 10))
            .await
            .unwrap()
    );

    let r = reporting::report(s, site.info.id, day, day).await.unwrap();
    let w3 = &r.per_window["3"];
    assert_eq!(
        (w3.served, w3.mean_service_secs, w3.idle_secs),
        (1, Some(600.0), 3000)
    );
    let w4 = &r.per_window["4"];
    assert_eq!((w4.served, w4.idle_secs), (0, 600));
    assert_eq!(r.per_clerk["C07"].idle_secs, 3000);
    assert_eq!(r.per_clerk["C08"].idle_secs, 600);
    // The day before has only C08's ten minutes before midnight.
    let before = reporting::report(
        s,
        site.info.id,
        day.pred_opt().unwrap(),
        day.pred_opt().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(before.per_clerk["C08"].idle_secs, 600);
    assert!(!before.per_clerk.contains_key("C07"));
}
both_backends!(report_idle_time_comes_from_sessions);

/// The dashboard shows who is signed in where and a printer's fault with its paper waiting.
async fn dashboard_shows_sessions_and_printer_faults(db: &TestDb) {
    let site = site(db).await;
    let s = &db.store;
    let now = Utc::now();
    s.open_session(site.w3, site.c07, now - TimeDelta::minutes(20))
        .await
        .unwrap();
    s.touch_session(site.w3, site.c07, now).await.unwrap();
    intake_at(db, &site, Some(site.w3), now - TimeDelta::minutes(2)).await;

    let version = s.change_version().await.unwrap();
    s.set_printer_status(site.w3, PrinterState::Fault, "缺纸 (paper out)", now)
        .await
        .unwrap();
    let after_fault = s.change_version().await.unwrap();
    assert!(
        after_fault > version,
        "a new fault is a change the screens hear of"
    );
    s.set_printer_status(site.w3, PrinterState::Fault, "缺纸 (paper out)", now)
        .await
        .unwrap();
    assert_eq!(
        s.change_version().await.unwrap(),
        after_fault,
        "the same status again is not a change"
    );
    s.set_printer_status(site.w4, PrinterState::Ok, "打印机正常 (ok)", now)
        .await
        .unwrap();

    let printers = s.printers(site.info.id, now).await.unwrap();
    let row = |n| {
        printers
            .iter()
            .find(|p| p.window_number == Some(n))
            .unwrap()
    };
    assert_eq!(row(3).state, Some(PrinterState::Fault));
    assert_eq!(row(3).waiting_jobs, 2);
    assert_eq!(row(4).waiting_jobs, 0);

    let services = db.services("TEST").await;
    let (snap, _) = live::load_snapshot(&services, &SupervisorSettings::default(), Lang::Zh, now)
        .await
        .unwrap();
    let w3 = snap.windows.iter().find(|w| w.number == 3).unwrap();
    assert_eq!(w3.clerk.as_deref(), Some("C07"));
    assert_eq!(
        w3.activity,
        onewindow::supervisor::dashboard::WindowActivity::Idle { minutes: 20 }
    );
    let w4 = snap.windows.iter().find(|w| w.number == 4).unwrap();
    assert_eq!(w4.clerk, None, "nobody signed in at window 4");
    let fault = snap
        .alerts
        .iter()
        .find(|a| a.kind == onewindow::domain::alerts::AlertKind::PrinterFault)
        .expect("a printer fault alert");
    assert_eq!(fault.subject, "3号窗口打印机（缺纸 (paper out)）");
    assert_eq!(fault.figure, 2, "with the two papers waiting for it");
    assert!(
        !snap.alerts.iter().any(|a| a.subject.starts_with("4号窗口")),
        "a healthy idle printer is no alert"
    );
    // Labels, not codes, in the charts.
    assert_eq!(snap.by_route, vec![("劳动人事争议调解".to_string(), 1)]);
    assert_eq!(snap.by_category, vec![("劳动报酬".to_string(), 1)]);
}
both_backends!(dashboard_shows_sessions_and_printer_faults);

/// The spool's record of what happened (issue 15), on both backends: an unconfirmed job is never
/// taken again until a person answers; a retry keeps the real error; a printed job shows no old
/// error but its history keeps it; a job whose lease keeps running out stops.
async fn unconfirmed_history_and_stuck_leases(db: &TestDb) {
    let site = site(db).await;
    let s = &db.store;
    let now = Utc::now();
    let receipt = intake_at(db, &site, Some(site.w3), now).await;
    let (ticket_job, receipt_job) = (receipt.print_jobs[0], receipt.print_jobs[1]);
    let t = |secs| now + TimeDelta::seconds(secs);
    let job = |id| async move {
        s.list_print_jobs(PrintJobFilter {
            id: Some(id),
            ..PrintJobFilter::default()
        })
        .await
        .unwrap()
        .remove(0)
    };

    // The ticket: paper out, then sent but not confirmed.
    let got = s
        .claim_next_print_job(t(1), Some(site.w3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.id, ticket_job);
    s.mark_print_job_failed(ticket_job, "打印机缺纸", Some(t(2)), t(1))
        .await
        .unwrap();
    // A retry asked for by a person keeps the error.
    s.retry_print_job(ticket_job, t(1)).await.unwrap();
    assert_eq!(
        job(ticket_job).await.last_error.as_deref(),
        Some("打印机缺纸")
    );
    let got = s
        .claim_next_print_job(t(2), Some(site.w3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.id, ticket_job);
    s.mark_print_job_unconfirmed(ticket_job, "no answer", 900, t(3))
        .await
        .unwrap();
    assert_eq!(job(ticket_job).await.state, PrintState::Unconfirmed);
    // Never taken again on its own, nor moved, nor retried as if it had not been sent.
    let next = s
        .claim_next_print_job(t(600), Some(site.w3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.id, receipt_job, "only the receipt is due");
    assert!(
        s.move_print_job(ticket_job, Some(site.w4), Actor::at(None, t(4)))
            .await
            .is_err()
    );
    assert!(s.retry_print_job(ticket_job, t(4)).await.is_err());
    // The clerk: it did not come out (补打). Due at once; audited.
    s.resolve_unconfirmed_print_job(ticket_job, false, Actor::at(Some(site.c07), t(5)))
        .await
        .unwrap();
    let again = s
        .claim_next_print_job(t(5), Some(site.w3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, ticket_job);
    s.mark_print_job_printed(ticket_job, 900, t(6))
        .await
        .unwrap();
    let j = job(ticket_job).await;
    assert_eq!((j.state, j.last_error), (PrintState::Printed, None));
    let history = s.print_job_attempts(ticket_job).await.unwrap();
    let outcomes: Vec<_> = history.iter().map(|a| (a.outcome, a.bytes)).collect();
    assert_eq!(
        outcomes,
        vec![
            (PrintState::Pending, 0),
            (PrintState::Unconfirmed, 900),
            (PrintState::Pending, 0),
            (PrintState::Printed, 900),
        ]
    );
    assert_eq!(history[0].error.as_deref(), Some("打印机缺纸"));
    let audit = s.audit_for_case(receipt.case_id).await.unwrap();
    assert!(audit.iter().any(|a| matches!(
        a.event,
        onewindow::domain::audit::AuditEvent::PrintJobResolved {
            came_out: false,
            ..
        }
    )));

    // The receipt was claimed at t(600) and its runner died; every later claim dies too.
    let mut at = 600;
    for _ in 1..PRINT_MAX_CLAIMS {
        at += PRINT_LEASE.num_seconds() + 1;
        let got = s.claim_next_print_job(t(at), Some(site.w3)).await.unwrap();
        assert_eq!(got.map(|j| j.id), Some(receipt_job));
    }
    at += PRINT_LEASE.num_seconds() + 1;
    assert_eq!(
        s.claim_next_print_job(t(at), Some(site.w3)).await.unwrap(),
        None
    );
    let j = job(receipt_job).await;
    assert_eq!(j.state, PrintState::Failed);
    assert!(j.last_error.unwrap_or_default().contains("stopped"));
    // The supervisor sees it: window 3's printer has one stopped job (an alert).
    let rows = s.printers(site.info.id, t(at)).await.unwrap();
    let w3 = rows.iter().find(|r| r.window_number == Some(3)).unwrap();
    assert_eq!(w3.stopped_jobs, 1);
    let snapshot = live::printer_snapshot(w3, t(at), Lang::Zh);
    let alerts = onewindow::domain::alerts::alerts(
        china_time().from_utc_datetime(&t(at).naive_utc()),
        &Default::default(),
        &[],
        &[],
        &[],
        &[snapshot],
    );
    assert!(
        alerts
            .iter()
            .any(|a| a.kind == onewindow::domain::alerts::AlertKind::PrintJobStopped),
        "{alerts:?}"
    );
    // A person can send it again after looking at it.
    s.retry_print_job(receipt_job, t(at)).await.unwrap();
    assert!(
        s.claim_next_print_job(t(at), Some(site.w3))
            .await
            .unwrap()
            .is_some()
    );
}
both_backends!(unconfirmed_history_and_stuck_leases);

/// Upgrading a database made before migration 0021 keeps every print job, a reprint's link to
/// its original included (SQLite rebuilds the table to allow the new state `unconfirmed`).
#[tokio::test]
async fn migration_0021_keeps_jobs_and_reprint_links() {
    let (_dir, url, pool) = testdb::sqlite_migrated_below(21).await;
    sqlx::raw_sql(
        "INSERT INTO print_jobs (id, kind, payload, state, attempts, next_attempt_at, created_at) \
         VALUES (1, 'ticket', '{}', 'printed', 2, '2025-03-10T01:00:00Z', '2025-03-10T01:00:00Z'); \
         INSERT INTO print_jobs (id, kind, payload, state, next_attempt_at, created_at, reprint_of) \
         VALUES (2, 'ticket', '{}', 'pending', '2025-03-10T01:05:00Z', '2025-03-10T01:05:00Z', 1);",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let store = Store::open(&DbUrl::new(url), OpenOptions::default())
        .await
        .unwrap();
    let jobs = store
        .list_print_jobs(PrintJobFilter::default())
        .await
        .unwrap();
    let got: Vec<_> = jobs
        .iter()
        .map(|j| (j.id.0, j.state, j.attempts, j.reprint_of.map(|r| r.0)))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, PrintState::Printed, 2, None),
            (2, PrintState::Pending, 0, Some(1)),
        ]
    );
    store.close().await;
}
