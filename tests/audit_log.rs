//! The audit log on both backends: every write path writes exactly one typed event, carrying who
//! did it and at which window; a transfer says where the ticket went and why; a reprint says who
//! asked for it where; and rows written before the log was typed still read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/db.rs"]
mod testdb;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use onewindow::domain::audit::AuditEvent;
use onewindow::domain::numbering::{StaffNo, TicketNo, WindowNo};
use onewindow::domain::{Route, SiteSettings};
use onewindow::storage::*;
use testdb::TestDb;

/// A working morning in Beijing.
fn t(minutes: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-10T02:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + TimeDelta::minutes(minutes)
}

struct Site {
    info: SiteInfo,
    /// Window 1 serves labour mediation and arbitration, window 2 arbitration.
    w1: WindowId,
    w2: WindowId,
    clerk: StaffId,
}

impl Site {
    fn queue(&self, route: Route) -> QueueId {
        self.info.queue(route).unwrap().id
    }
}

async fn site(s: &Store) -> Site {
    let settings = SiteSettings {
        code: "TEST".into(),
        ..SiteSettings::default()
    };
    let info = s.ensure_site(&settings, t(0)).await.unwrap();
    let both = [Route::LaborMediation, Route::Arbitration];
    let w1 = s.upsert_window(info.id, 1, "", &both, t(0)).await.unwrap();
    let w2 = s
        .upsert_window(info.id, 2, "", &[Route::Arbitration], t(0))
        .await
        .unwrap();
    let clerk = s
        .upsert_staff(info.id, "C01", "王小明", StaffRole::Clerk)
        .await
        .unwrap();
    Site {
        info,
        w1,
        w2,
        clerk,
    }
}

/// A labour-mediation case registered at window 1, with a ticket and a receipt.
async fn intake(s: &Store, site: &Site, at: DateTime<Utc>) -> IntakeReceipt {
    let (record, decision) = (
        testdb::wage_claim(),
        testdb::routed(Route::LaborMediation, "T"),
    );
    let paper = |kind| NewPrintJob {
        kind,
        payload: "{}".into(),
    };
    s.commit_intake(IntakeCommit::with_jobs(
        site.info.id,
        &record,
        &decision,
        Actor::at(Some(site.clerk), at),
        Some(site.w1),
        vec![paper(PrintKind::Ticket), paper(PrintKind::Receipt)],
    ))
    .await
    .unwrap()
}

async fn a_transfer_names_where_it_went_and_why(db: &TestDb) {
    let s = &db.store;
    let site = site(s).await;
    let by = |m| Actor::at(Some(site.clerk), t(m));
    let r = intake(s, &site, t(1)).await;
    let first = s.call_next(site.w1, by(2)).await.unwrap().unwrap();
    s.start(first.id, by(3)).await.unwrap();
    let moved = s
        .transfer(
            first.id,
            site.queue(Route::Arbitration),
            "调解不成，申请仲裁",
            by(4),
        )
        .await
        .unwrap();

    let history = s.audit_for_case(r.case_id).await.unwrap();
    let transfers: Vec<&AuditEntry> = history
        .iter()
        .filter(|e| e.event.action() == "ticket_transferred")
        .collect();
    assert_eq!(transfers.len(), 1, "{history:?}");
    let e = transfers[0];
    assert_eq!(
        e.event,
        AuditEvent::Transferred {
            from_ticket_no: TicketNo::new("T", 1),
            to_ticket_no: moved.ticket_no.clone(),
            to_ticket: moved.id.0,
            reason: "调解不成，申请仲裁".into(),
            from_route: Some(Route::LaborMediation),
            from_queue: Some("T".into()),
            to_route: Some(Route::Arbitration),
            to_queue: Some("Z".into()),
        }
    );
    assert_eq!(e.at, t(4));
    assert_eq!(e.ticket, Some(first.id));
    assert_eq!(e.staff_no, Some(StaffNo("C01".into())));
    assert_eq!(
        e.window_no,
        Some(WindowNo(1)),
        "where the ticket was being served"
    );
}
both_backends!(a_transfer_names_where_it_went_and_why);

async fn a_reprint_says_who_asked_for_it_and_where(db: &TestDb) {
    let s = &db.store;
    let site = site(s).await;
    let r = intake(s, &site, Utc::now() - TimeDelta::minutes(5)).await;
    let receipt = r.print_jobs[1];
    for _ in 0..2 {
        let job = s
            .claim_next_print_job(Utc::now(), Some(site.w1))
            .await
            .unwrap()
            .unwrap();
        s.mark_print_job_printed(job.id, 0, Utc::now())
            .await
            .unwrap();
    }
    let at = Utc::now();
    let copy = s
        .reprint(
            receipt,
            Actor::at_window(Some(site.clerk), Some(site.w2), at),
        )
        .await
        .unwrap();

    let history = s.audit_for_case(r.case_id).await.unwrap();
    let e = history.last().unwrap();
    assert_eq!(
        e.event,
        AuditEvent::Reprinted {
            kind: PrintKind::Receipt,
            print_job: receipt.0,
            new_print_job: copy.0,
        }
    );
    assert_eq!((e.staff, e.window), (Some(site.clerk), Some(site.w2)));
    assert_eq!(
        (e.staff_no.clone(), e.window_no),
        (Some(StaffNo("C01".into())), Some(WindowNo(2)))
    );
    assert_eq!(
        e.at,
        at.duration_trunc(TimeDelta::microseconds(1)).unwrap(),
        "the time handed in"
    );
}
both_backends!(a_reprint_says_who_asked_for_it_and_where);

/// Writes an audit row as the code before the typed log did (`details` as that code built it).
async fn old_row(
    db: &TestDb,
    at: DateTime<Utc>,
    staff: Option<StaffId>,
    action: &str,
    case: Option<CaseId>,
    ticket: Option<TicketId>,
    details: serde_json::Value,
) {
    const INSERT: &str = "INSERT INTO audit_log (at, staff_id, window_id, action, case_id, \
                          ticket_id, details) VALUES ($1, $2, NULL, $3, $4, $5, $6)";
    let url = db.url.expose();
    let details = sqlx::types::Json(details);
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(INSERT)
            .bind(at)
            .bind(staff.map(|s| s.0))
            .bind(action)
            .bind(case.map(|c| c.0))
            .bind(ticket.map(|t| t.0))
            .bind(details)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(INSERT)
            .bind(at)
            .bind(staff.map(|s| s.0))
            .bind(action)
            .bind(case.map(|c| c.0))
            .bind(ticket.map(|t| t.0))
            .bind(details)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
}

async fn rows_written_before_the_typed_log_still_read(db: &TestDb) {
    use serde_json::json;
    let s = &db.store;
    let site = site(s).await;
    let r = intake(s, &site, t(1)).await;
    let t001 = r.ticket.as_ref().unwrap().id;
    // The ticket a transfer made, in the arbitration queue.
    let z = s
        .issue_ticket(
            site.queue(Route::Arbitration),
            Some(r.case_id),
            false,
            Actor::at(None, t(5)),
        )
        .await
        .unwrap();
    let (job, w1) = (r.print_jobs[1], site.w1);
    let case = Some(r.case_id);
    // (action, case, ticket, details) as the hand-written inserts stored them.
    let old = [
        (
            "intake",
            case,
            Some(t001),
            json!({ "case_no": r.case_no, "route": "labor_mediation", "ticket_no": "T001",
                    "print_jobs": r.print_jobs }),
        ),
        (
            "issue",
            case,
            Some(z.id),
            json!({ "ticket_no": z.ticket_no, "priority": false }),
        ),
        (
            "ticket_called",
            case,
            Some(t001),
            json!({ "ticket_no": "T001" }),
        ),
        ("ticket_recalled", case, Some(t001), json!({})),
        ("ticket_no_show", case, Some(t001), json!({})),
        ("ticket_started", case, Some(t001), json!({})),
        (
            "ticket_transferred",
            case,
            Some(t001),
            json!({ "from": "T001", "to": z.ticket_no, "to_ticket": z.id, "reason": "转仲裁" }),
        ),
        (
            "ticket_finished",
            case,
            Some(z.id),
            json!({ "outcome": "accepted" }),
        ),
        (
            "reprint",
            case,
            Some(t001),
            json!({ "print_job": job, "new_print_job": 99, "kind": "receipt" }),
        ),
        (
            "print_job_moved",
            case,
            Some(t001),
            json!({ "print_job": job, "from_window": w1, "to_window": null }),
        ),
        (
            "followup_recorded",
            case,
            None,
            json!({ "result_chars": 8 }),
        ),
        ("sign_in", None, None, json!({ "window": 1 })),
        (
            "sign_in_failed",
            None,
            None,
            json!({ "failed_attempts": 5, "locked_until": "2026-03-10T02:40:00Z" }),
        ),
        (
            "alert_acknowledged",
            None,
            None,
            json!({ "key": "TEST-20260310-0001", "kind": "Collective" }),
        ),
        (
            "window_reassigned",
            None,
            None,
            json!({ "number": 2, "before": [site.queue(Route::Arbitration)], "routes": ["labor_mediation"] }),
        ),
        ("case_note", case, None, json!({ "note": "旧系统的记录" })),
    ];
    for (i, (action, case, ticket, details)) in old.into_iter().enumerate() {
        let at = t(10 + i as i64);
        old_row(db, at, Some(site.clerk), action, case, ticket, details).await;
    }

    let read = s.audit_by_staff(site.clerk, t(10)).await.unwrap();
    let events: Vec<AuditEvent> = read.into_iter().map(|e| e.event).collect();
    let no = |s: &str| TicketNo::from_stored(s.into());
    assert_eq!(
        events,
        [
            AuditEvent::CaseRegistered {
                case_no: r.case_no.clone(),
                route: Some(Route::LaborMediation),
                ticket_no: Some(no("T001")),
                print_jobs: r.print_jobs.iter().map(|j| j.0).collect(),
                route_override: None,
            },
            AuditEvent::TicketIssued {
                ticket_no: z.ticket_no.clone(),
                priority: false,
                route: None,
            },
            AuditEvent::Called {
                ticket_no: no("T001")
            },
            AuditEvent::Recalled { ticket_no: None },
            AuditEvent::NoShow { ticket_no: None },
            AuditEvent::Started { ticket_no: None },
            AuditEvent::Transferred {
                from_ticket_no: no("T001"),
                to_ticket_no: z.ticket_no.clone(),
                to_ticket: z.id.0,
                reason: "转仲裁".into(),
                // Filled in from the tickets' queues: the old rows did not say.
                from_route: Some(Route::LaborMediation),
                from_queue: Some("T".into()),
                to_route: Some(Route::Arbitration),
                to_queue: Some("Z".into()),
            },
            AuditEvent::Finished {
                outcome: Outcome::Accepted,
                ticket_no: None
            },
            AuditEvent::Reprinted {
                kind: PrintKind::Receipt,
                print_job: job.0,
                new_print_job: 99
            },
            AuditEvent::PrintJobMoved {
                print_job: job.0,
                from_window: Some(w1.0),
                to_window: None
            },
            AuditEvent::FollowUpRecorded {
                result_chars: 8,
                contact: None,
            },
            AuditEvent::SignedIn { window: Some(1) },
            AuditEvent::SignInFailed {
                failed_attempts: 5,
                locked_until: Some(t(40)),
                staff_no: None,
            },
            AuditEvent::AlertAcknowledged {
                key: "TEST-20260310-0001".into(),
                kind: "Collective".into(),
                note: None,
            },
            AuditEvent::WindowReassigned {
                number: 2,
                before: vec![site.queue(Route::Arbitration).0],
                before_routes: vec![],
                routes: vec![Route::LaborMediation],
            },
            AuditEvent::Unknown {
                action: "case_note".into(),
                details: serde_json::from_value(json!({ "note": "旧系统的记录" })).unwrap(),
            },
        ]
    );
    // The supervisor's screen still finds the acknowledgement.
    assert_eq!(
        s.acknowledged_since(t(10)).await.unwrap(),
        ["TEST-20260310-0001"]
    );
}
both_backends!(rows_written_before_the_typed_log_still_read);

/// Every operation a person performs leaves one entry, of its own kind, with its actor; the
/// machinery around them (setting up, queueing and printing paper, sessions) leaves none.
async fn every_write_path_writes_exactly_one_event(db: &TestDb) {
    let s = &db.store;
    let site = site(s).await;
    let clerk = Some(site.clerk);
    let since = Utc::now() - TimeDelta::days(1);
    let seen = std::cell::Cell::new(0);
    let expect = async |action: &str, window: Option<WindowId>| {
        let log = s.audit_by_staff(site.clerk, since).await.unwrap();
        assert_eq!(
            log.len(),
            seen.get() + 1,
            "one new entry for {action}: {log:#?}"
        );
        seen.set(seen.get() + 1);
        let e = log.last().unwrap();
        assert_eq!(e.event.action(), action);
        assert!(
            !matches!(e.event, AuditEvent::Unknown { .. }),
            "{action} reads back typed: {e:?}"
        );
        assert_eq!(e.staff_no, Some(StaffNo("C01".into())), "{action}");
        assert_eq!(e.window, window, "{action}");
    };
    let now = || Utc::now();
    let by = || Actor::at(clerk, Utc::now());

    let r = intake(s, &site, now() - TimeDelta::minutes(10)).await;
    expect("intake", Some(site.w1)).await;
    let extra = s
        .issue_ticket(site.queue(Route::LaborMediation), None, false, by())
        .await
        .unwrap();
    expect("issue", None).await;
    let called = s.call_next(site.w1, by()).await.unwrap().unwrap();
    expect("ticket_called", Some(site.w1)).await;
    s.recall(called.id, by()).await.unwrap();
    expect("ticket_recalled", Some(site.w1)).await;
    s.start(called.id, by()).await.unwrap();
    expect("ticket_started", Some(site.w1)).await;
    let moved = s
        .transfer(called.id, site.queue(Route::Arbitration), "转仲裁", by())
        .await
        .unwrap();
    expect("ticket_transferred", Some(site.w1)).await;
    let again = s.call_next(site.w2, by()).await.unwrap().unwrap();
    assert_eq!(again.id, moved.id);
    expect("ticket_called", Some(site.w2)).await;
    s.start(again.id, by()).await.unwrap();
    expect("ticket_started", Some(site.w2)).await;
    // Mediated, so that the case is followed up below.
    s.finish(again.id, Outcome::Mediated, by()).await.unwrap();
    expect("ticket_finished", Some(site.w2)).await;
    s.call_next(site.w1, by()).await.unwrap().unwrap();
    expect("ticket_called", Some(site.w1)).await;
    s.no_show(extra.id, by()).await.unwrap();
    expect("ticket_no_show", Some(site.w1)).await;

    // Paper: queueing, claiming and marking are the print runner's, not a person's.
    let job = s
        .claim_next_print_job(now(), Some(site.w1))
        .await
        .unwrap()
        .unwrap();
    s.mark_print_job_failed(job.id, "缺纸", Some(now()), now())
        .await
        .unwrap();
    let job = s
        .claim_next_print_job(now(), Some(site.w1))
        .await
        .unwrap()
        .unwrap();
    s.mark_print_job_printed(job.id, 0, now()).await.unwrap();
    s.enqueue_print_job(NewPrintJobFor {
        case: Some(r.case_id),
        ticket: None,
        window: Some(site.w1),
        kind: PrintKind::Receipt,
        payload: "{}".into(),
        at: now(),
    })
    .await
    .unwrap();
    s.open_session(site.w1, site.clerk, now()).await.unwrap();
    s.touch_session(site.w1, site.clerk, now()).await.unwrap();
    let log = s.audit_by_staff(site.clerk, since).await.unwrap();
    assert_eq!(
        log.len(),
        seen.get(),
        "opening a session is its sign-in's: {log:#?}"
    );
    s.close_session(site.w1, site.clerk, now()).await.unwrap();
    expect("sign_out", Some(site.w1)).await;

    s.reprint(job.id, Actor::at_window(clerk, Some(site.w2), now()))
        .await
        .unwrap();
    expect("reprint", Some(site.w2)).await;
    s.move_print_job(r.print_jobs[1], Some(site.w2), by())
        .await
        .unwrap();
    expect("print_job_moved", None).await;
    let later = now() + chrono::TimeDelta::minutes(15);
    s.count_sign_in_attempt(site.info.id, "C01", 5, later, now())
        .await
        .unwrap();
    s.signed_in(site.info.id, "C01", site.clerk, Some(1), now())
        .await
        .unwrap();
    expect("sign_in", Some(site.w1)).await;
    s.count_sign_in_attempt(site.info.id, "C01", 5, later, now())
        .await
        .unwrap();
    s.sign_in_failed(
        site.info.id,
        "C01",
        Some(site.clerk),
        Some(2),
        5,
        later,
        now(),
    )
    .await
    .unwrap();
    expect("sign_in_failed", Some(site.w2)).await;
    s.sign_in_while_locked(site.info.id, "C01", Some(site.clerk), Some(2), later, now())
        .await
        .unwrap();
    expect("sign_in_while_locked", Some(site.w2)).await;
    s.acknowledge_alert(by(), "TEST-20260310-0001", "Collective", Some("已通知"))
        .await
        .unwrap();
    expect("alert_acknowledged", None).await;
    s.reassign_window(site.info.id, 2, &[Route::LaborMediation], by())
        .await
        .unwrap();
    expect("window_reassigned", Some(site.w2)).await;
    let result = onewindow::domain::followup::FollowUpResult::checked(
        onewindow::domain::followup::FollowUpContact::Reached,
        Some(true),
        "已回访，满意",
    )
    .unwrap();
    let done = followup::record(
        s,
        site.info.id,
        r.case_no.as_str(),
        &result,
        0,
        clerk,
        now(),
    )
    .await
    .unwrap();
    assert!(matches!(done, followup::Recorded::Stored(_)), "{done:?}");
    expect("followup_recorded", None).await;
}
both_backends!(every_write_path_writes_exactly_one_event);
