//! Report figures read from the database (both backends) against a small data set whose answers
//! were worked out by hand, and the XLSX of those figures read back by a spreadsheet library.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/db.rs"]
mod testdb;

use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, Utc};
use onewindow::app::report_files::{Format, render};
use onewindow::config::Lang;
use onewindow::domain::audit::AuditEvent;
use onewindow::domain::{Decision, Flag, IntakeRecord, Route, SiteSettings, Status};
use onewindow::storage::reporting;
use onewindow::storage::*;
use std::collections::BTreeMap;
use std::io::Cursor;
use testdb::TestDb;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn record(cats: &[&str], groups: &[&str], employer: &str) -> IntakeRecord {
    serde_json::from_value(serde_json::json!({
        "applicant": { "name": "张三", "id_number": "11010519491231002X",
                       "phone": "13812345678", "groups": groups },
        "counterparty": { "name": employer },
        "dispute": { "categories": cats },
    }))
    .unwrap()
}

fn decision(route: Route, queue: Option<&str>, flags: Vec<Flag>) -> Decision {
    Decision {
        status: Status::Routed,
        errors: vec![],
        warnings: vec![],
        route: Some(route),
        referral_to: None,
        also: vec![],
        flags,
        deadlines: BTreeMap::new(),
        reasons: vec![],
        queue: queue.map(str::to_string),
    }
}

async fn intake(s: &Store, site: SiteId, at: &str, r: IntakeRecord, d: Decision) -> CaseId {
    s.commit_intake(IntakeCommit::with_jobs(
        site,
        &r,
        &d,
        Actor::at(None, utc(at)),
        None,
        vec![],
    ))
    .await
    .unwrap()
    .case_id
}

async fn serve(s: &Store, w: WindowId, clerk: StaffId, called: &str, done: &str, o: Outcome) {
    let t = s
        .call_next(w, Actor::at(Some(clerk), utc(called)))
        .await
        .unwrap()
        .expect("a waiting ticket");
    s.start(t.id, Actor::at(Some(clerk), utc(called)))
        .await
        .unwrap();
    s.finish(t.id, o, Actor::at(Some(clerk), utc(done)))
        .await
        .unwrap();
}

/// Five cases on 2026-03-10 (Beijing) and one in April:
/// A LD04 → labour mediation, 甲有限公司, called after 60 s, served 600 s at window 1, mediated;
/// B LD03+LD06 → labour mediation, 甲有限责任公司, 120 s, 300 s at window 1, not mediated;
/// D LD04 → arbitration, 甲有限公司, 300 s, 900 s at window 2, accepted;
/// C LD04+LD07, migrant worker, collective → arbitration, 乙公司, still waiting;
/// E LD99 → referral (no queue), 丙家庭.
async fn seed_hand_set(db: &TestDb) -> SiteInfo {
    let s = &db.store;
    let site = s
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
    let w1 = s
        .upsert_window(
            site.id,
            1,
            "一号窗口",
            &[Route::LaborMediation, Route::Arbitration],
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let w2 = s
        .upsert_window(
            site.id,
            2,
            "二号窗口",
            &[Route::Arbitration],
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let c1 = s
        .upsert_staff(site.id, "C01", "王小明", StaffRole::Clerk)
        .await
        .unwrap();
    let c2 = s
        .upsert_staff(site.id, "C02", "李小红", StaffRole::Clerk)
        .await
        .unwrap();
    let t = site.queue(Route::LaborMediation).unwrap().prefix.clone();
    let a = site.queue(Route::Arbitration).unwrap().prefix.clone();
    let lm = |f| decision(Route::LaborMediation, Some(&t), f);
    let ar = |f| decision(Route::Arbitration, Some(&a), f);
    intake(
        s,
        site.id,
        "2026-03-10T01:00:00Z",
        record(&["LD04"], &[], "甲有限公司"),
        lm(vec![]),
    )
    .await;
    intake(
        s,
        site.id,
        "2026-03-10T01:01:00Z",
        record(&["LD03", "LD06"], &[], "甲有限责任公司"),
        lm(vec![]),
    )
    .await;
    intake(
        s,
        site.id,
        "2026-03-10T01:02:00Z",
        record(&["LD04"], &[], "甲有限公司"),
        ar(vec![]),
    )
    .await;
    intake(
        s,
        site.id,
        "2026-03-10T01:03:00Z",
        record(&["LD04", "LD07"], &["migrant_worker"], "乙公司"),
        ar(vec![Flag::Collective]),
    )
    .await;
    intake(
        s,
        site.id,
        "2026-03-10T01:03:30Z",
        record(&["LD99"], &[], "丙家庭"),
        decision(Route::Referral, None, vec![]),
    )
    .await;
    intake(
        s,
        site.id,
        "2026-04-01T01:00:00Z",
        record(&["LD04"], &[], "甲有限公司"),
        lm(vec![]),
    )
    .await;
    serve(
        s,
        w1,
        c1,
        "2026-03-10T01:01:00Z",
        "2026-03-10T01:11:00Z",
        Outcome::Mediated,
    )
    .await;
    serve(
        s,
        w1,
        c1,
        "2026-03-10T01:03:00Z",
        "2026-03-10T01:08:00Z",
        Outcome::NotMediated,
    )
    .await;
    serve(
        s,
        w2,
        c2,
        "2026-03-10T01:07:00Z",
        "2026-03-10T01:22:00Z",
        Outcome::Accepted,
    )
    .await;
    site
}

fn march() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    )
}

async fn figures_match_the_hand_computed_set(db: &TestDb) {
    let site = seed_hand_set(db).await;
    let (from, to) = march();
    let r = reporting::report(&db.store, site.id, from, to)
        .await
        .unwrap();
    assert_eq!(r.cases, 5);
    assert_eq!(r.by_category["LD04"], 3);
    assert_eq!(r.by_category["LD03"], 1);
    assert_eq!(r.by_category["LD99"], 1);
    assert_eq!(r.by_category_group["pay"], 3);
    assert_eq!(r.by_category_group["termination"], 1);
    assert_eq!(r.by_category_group["social_insurance"], 1);
    assert_eq!(r.by_route["labor_mediation"], 2);
    assert_eq!(r.by_route["arbitration"], 2);
    assert_eq!(r.by_route["referral"], 1);
    assert_eq!(r.by_outcome["mediated"], 1);
    assert_eq!(r.by_outcome["not_mediated"], 1);
    assert_eq!(r.by_outcome["accepted"], 1);
    // 1 mediated of 2 with a mediation result; 2 of 5 routed cases went to mediation.
    assert_eq!(r.mediation_success_rate, Some(0.5));
    assert_eq!(r.mediation_share, Some(0.4));
    // Waits 60, 120, 300: mean 160, median 120, p90 at rank 1.8 = 120 + 0.8 × 180.
    assert_eq!(r.waits.served, 3);
    assert_eq!(r.waits.mean_secs, Some(160.0));
    assert_eq!(r.waits.median_secs, Some(120.0));
    let p90 = r.waits.p90_secs.unwrap();
    assert!((p90 - 264.0).abs() < 1e-9, "{p90}");
    assert_eq!(r.per_window["1"].served, 2);
    assert_eq!(r.per_window["1"].mean_service_secs, Some(450.0));
    assert_eq!(r.per_window["2"].served, 1);
    assert_eq!(r.per_window["2"].mean_service_secs, Some(900.0));
    assert_eq!(r.per_clerk["C01"].served, 2);
    assert_eq!(r.per_clerk["C02"].mean_service_secs, Some(900.0));
    assert_eq!(r.collective, 1);
    assert_eq!(r.major, 0);
    assert_eq!(r.key_groups["migrant_worker"], 1);
    // 甲有限责任公司 is the same employer as 甲有限公司; the April case is outside the period.
    assert_eq!(r.repeat_respondents, vec![("甲有限公司".to_string(), 3)]);

    // The same figures in the file a manager opens.
    let bytes = render(&r, from, to, "测试调解中心", Lang::Zh, Format::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("opens as xlsx");
    let summary = wb.worksheet_range("概况").expect("summary sheet");
    let rows: Vec<Vec<Data>> = summary.rows().map(|r| r.to_vec()).collect();
    let find = |label: &str| {
        rows.iter()
            .find(|r| r[0] == Data::String(label.into()))
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("{label} missing: {rows:?}"))
    };
    assert_eq!(find("登记案件数"), Data::Float(5.0));
    assert_eq!(find("调解成功率"), Data::Float(0.5));
    assert_eq!(find("调解分流占比"), Data::Float(0.4));

    // April alone: one case, nothing served.
    let april = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    let r = reporting::report(&db.store, site.id, april, april)
        .await
        .unwrap();
    assert_eq!(r.cases, 1);
    assert_eq!(r.waits.served, 0);
    assert!(r.repeat_respondents.is_empty());
}
both_backends!(figures_match_the_hand_computed_set);

async fn followup_lists_mediated_and_referred_cases_after_the_delay(db: &TestDb) {
    let site = seed_hand_set(db).await;
    use onewindow::storage::followup;
    // Mediated A ended 01:11Z on 10 March; with a 7-day delay it is due from 17 March.
    let before = utc("2026-03-17T01:00:00Z");
    assert_eq!(
        followup::due_count(&db.store, site.id, before, 7)
            .await
            .unwrap(),
        0
    );
    let after = utc("2026-03-18T00:00:00Z");
    let due = followup::due(&db.store, site.id, after, 7, 50)
        .await
        .unwrap();
    assert_eq!(
        due.len(),
        2,
        "the mediated case and the referral (issue 14); not-mediated and accepted are not due"
    );
    // The referral was registered (01:03:30) before the mediated case ended (01:11).
    assert_eq!(due[0].route, Some(Route::Referral));
    assert_eq!(due[0].outcome, None);
    let due = &due[1..];
    assert_eq!(due[0].outcome, Some(Outcome::Mediated));
    assert_eq!(due[0].applicant_masked, "张*");
    assert!(!due[0].applicant_masked.contains('三'));
    let reached = onewindow::domain::followup::FollowUpResult::checked(
        onewindow::domain::followup::FollowUpContact::Reached,
        Some(true),
        "当事人满意",
    )
    .unwrap();
    let done = followup::record(
        &db.store,
        site.id,
        &due[0].case_no,
        &reached,
        7,
        None,
        after,
    )
    .await
    .unwrap();
    assert!(matches!(done, followup::Recorded::Stored(_)), "{done:?}");
    assert_eq!(
        followup::due_count(&db.store, site.id, after, 7)
            .await
            .unwrap(),
        1,
        "the referral is still due"
    );
    let err = followup::record(&db.store, site.id, "NOPE-1", &reached, 7, None, after)
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::NotFound(_)), "{err}");
    let case = db
        .store
        .case_by_no(&onewindow::domain::numbering::CaseNo::parse(&due[0].case_no).unwrap())
        .await
        .unwrap();
    let audit = db.store.audit_for_case(case.id).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| matches!(a.event, AuditEvent::FollowUpRecorded { .. })),
        "{audit:?}"
    );
}
both_backends!(followup_lists_mediated_and_referred_cases_after_the_delay);

async fn seeded_month_reports_every_case(db: &TestDb) {
    let site = db
        .store
        .ensure_site(&SiteSettings::default(), chrono::Utc::now())
        .await
        .unwrap();
    let month = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let seeded = reporting::seed(&db.store, &site, 1600, month, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(seeded.cases, 1600);
    let r = reporting::report(
        &db.store,
        site.id,
        month,
        NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(r.cases, 1600);
    // Eight templates, 200 cases each; two of them (LD04 mediated, people's mediation) mediated
    // plus the collective one: 600 mediated, 200 not mediated.
    assert_eq!(r.by_outcome["mediated"], 600);
    assert_eq!(r.mediation_success_rate, Some(0.75));
    assert_eq!(r.collective, 200);
    assert_eq!(r.waits.served, seeded.tickets);
    // Sample cases are not emergencies: no alert records for the 200 collective ones.
    assert_eq!(db.store.open_alerts(site.id).await.unwrap(), vec![]);
    assert!(r.per_window.len() == 4, "{:?}", r.per_window.keys());
}
both_backends!(seeded_month_reports_every_case);
