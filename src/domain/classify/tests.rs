#![allow(clippy::unwrap_used)]

use super::*;
use crate::domain::testing::{at, d, record};

/// A worker born on `birth` who worked from `started` to `ended`.
fn child(birth: &str, id: &str, started: &str, ended: Option<&str>) -> IntakeRecord {
    let mut r = record();
    r.applicant.id_number = id.into();
    assert!(
        id[6..14] == birth.replace('-', ""),
        "test ID carries {birth}"
    );
    r.employment.started_on = Some(d(started).into());
    r.employment.status = Some(if ended.is_some() {
        EmploymentStatus::Ended
    } else {
        EmploymentStatus::Ongoing
    });
    r.employment.ended_on = ended.map(|e| d(e).into());
    r.dispute.known_on = Some(d(started).into());
    r
}

fn child_labor(r: &IntakeRecord, intake: &str) -> bool {
    let decision = classify(r, &SiteSettings::default(), at(intake));
    assert_eq!(decision.status, Status::Routed, "{:?}", decision.errors);
    decision.has_flag(Flag::ChildLabor)
}

/// 监察条例第二十条 "2年内" counted by 民法典第二百零一、二百零二条: the anniversary of the end
/// is the last day of the two years.
#[test]
fn r1_includes_the_second_anniversary_of_the_end() {
    // 16th birthday 2023-03-09: child labour ends the day after, 2023-03-10.
    let r = child("2007-03-09", "410105200703091237", "2022-06-01", None);
    assert!(child_labor(&r, "2025-03-10"), "on the anniversary");
    assert!(!child_labor(&r, "2025-03-11"), "the day after");
    let decision = classify(&r, &SiteSettings::default(), at("2025-03-10"));
    assert_eq!(decision.route, Some(Route::LaborInspection));
    assert_eq!(decision.reasons[0].rule, "R1");
}

#[test]
fn r1_counts_from_ended_on_when_it_comes_first() {
    let r = child(
        "2008-02-28",
        "410105200802281239",
        "2022-06-01",
        Some("2023-05-31"),
    );
    assert!(child_labor(&r, "2025-05-31"));
    assert!(!child_labor(&r, "2025-06-01"));
}

#[test]
fn r1_anniversary_of_29_february_is_28_february() {
    // Ended on 2024-02-29: the two years end on 2026-02-28, a Saturday; no roll (§5).
    let r = child(
        "2008-02-28",
        "410105200802281239",
        "2022-06-01",
        Some("2024-02-29"),
    );
    assert!(child_labor(&r, "2026-02-28"));
    assert!(!child_labor(&r, "2026-03-01"));
}
