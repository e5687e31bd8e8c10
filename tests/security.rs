//! Issue 13 "Trust", on both backends: the lock-out holds under parallel attempts (in one process
//! and as ten real processes), unknown numbers answer like known ones, a clerk's right PIN is no
//! supervisor's, and every refusal is audited.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "common/db.rs"]
mod testdb;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use onewindow::app::{AppError, Services};
use onewindow::domain::{SiteSettings, StaffNo, StaffRole};
use onewindow::storage::SiteInfo;
use testdb::{Raw, TestDb};

const BOSS_PIN: &str = "246810";
const CLERK_PIN: &str = "135790";

async fn seed(db: &TestDb) -> SiteInfo {
    let s = &db.store;
    let site = s
        .ensure_site(
            &SiteSettings {
                code: "TEST".into(),
                name: "测试中心".into(),
                ..SiteSettings::default()
            },
            Utc::now(),
        )
        .await
        .unwrap();
    for (code, role, pin) in [
        ("S01", StaffRole::Supervisor, BOSS_PIN),
        ("C07", StaffRole::Clerk, CLERK_PIN),
    ] {
        let id = s.upsert_staff(site.id, code, "某某", role).await.unwrap();
        let hash = onewindow::app::pin::hash(pin).unwrap();
        s.set_pin_hash(id, &hash).await.unwrap();
    }
    site
}

fn china(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&onewindow::domain::china_time())
}

/// How many audit rows have `action`.
async fn audited(db: &TestDb, action: &str) -> usize {
    let raw = Raw::open(&db.url).await;
    let n = raw
        .texts(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action = '{action}'"
        ))
        .await;
    raw.close().await;
    n[0].parse().unwrap()
}

async fn ten_at_once(
    services: &Services,
    staff: &str,
    pin: &str,
    at: DateTime<Utc>,
) -> Vec<AppError> {
    let tries: Vec<_> = (0..10)
        .map(|_| {
            let (services, staff, pin) = (services.clone(), StaffNo(staff.into()), pin.to_string());
            tokio::spawn(async move {
                services
                    .sign_in(&staff, pin, None, StaffRole::Supervisor, china(at))
                    .await
            })
        })
        .collect();
    let mut errors = Vec::new();
    for t in tries {
        errors.push(t.await.unwrap().expect_err("a wrong PIN never signs in"));
    }
    errors
}

async fn parallel_wrong_pins_get_five_checks_and_the_lock_holds(db: &TestDb) {
    seed(db).await;
    let services = db.services("TEST").await;
    let t0 = Utc::now();
    let errors = ten_at_once(&services, "S01", "000000", t0).await;
    assert_eq!(
        audited(db, "sign_in_failed").await,
        5,
        "five PIN checks, no more"
    );
    assert_eq!(
        audited(db, "sign_in_while_locked").await,
        5,
        "the rest refused unchecked"
    );
    let locked = errors
        .iter()
        .filter(|e| matches!(e, AppError::LockedOut { .. }))
        .count();
    assert!(locked >= 5, "{errors:?}");
    // The right PIN during the lock is refused, and does not clear it.
    let at = t0 + Duration::minutes(14);
    let right = services
        .sign_in(
            &StaffNo("S01".into()),
            BOSS_PIN.into(),
            None,
            StaffRole::Supervisor,
            china(at),
        )
        .await;
    assert!(
        matches!(right, Err(AppError::LockedOut { .. })),
        "{right:?}"
    );
    let right = services
        .sign_in(
            &StaffNo("S01".into()),
            BOSS_PIN.into(),
            None,
            StaffRole::Supervisor,
            china(at),
        )
        .await;
    assert!(
        matches!(right, Err(AppError::LockedOut { .. })),
        "{right:?}"
    );
    assert_eq!(audited(db, "sign_in_failed").await, 5);
    // After the lock, another round gets five more checks at most.
    let t1 = t0 + Duration::minutes(16);
    ten_at_once(&services, "S01", "000000", t1).await;
    assert_eq!(audited(db, "sign_in_failed").await, 10);
    let t2 = t1 + Duration::minutes(16);
    let who = services
        .sign_in(
            &StaffNo("S01".into()),
            BOSS_PIN.into(),
            None,
            StaffRole::Supervisor,
            china(t2),
        )
        .await
        .unwrap();
    assert_eq!(who.staff.number.as_str(), "S01");
}
both_backends!(parallel_wrong_pins_get_five_checks_and_the_lock_holds);

async fn an_unknown_number_answers_like_a_known_one(db: &TestDb) {
    seed(db).await;
    let services = db.services("TEST").await;
    let at = Utc::now();
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..6 {
        for (code, into) in [("S01", &mut known), ("NOBODY", &mut unknown)] {
            let r = services
                .sign_in(
                    &StaffNo(code.into()),
                    "000000".into(),
                    None,
                    StaffRole::Clerk,
                    china(at),
                )
                .await;
            into.push(r.unwrap_err());
        }
    }
    assert_eq!(known, unknown);
    assert!(matches!(known[5], AppError::LockedOut { .. }), "{known:?}");
}
both_backends!(an_unknown_number_answers_like_a_known_one);

async fn a_clerks_right_pin_is_no_supervisors(db: &TestDb) {
    seed(db).await;
    let services = db.services("TEST").await;
    let at = china(Utc::now());
    let clerk = StaffNo("C07".into());
    let as_boss = services
        .sign_in(&clerk, CLERK_PIN.into(), None, StaffRole::Supervisor, at)
        .await;
    assert_eq!(as_boss, Err(AppError::BadCredentials { attempts_left: 4 }));
    // At a window the same PIN is right.
    services
        .sign_in(&clerk, CLERK_PIN.into(), None, StaffRole::Clerk, at)
        .await
        .unwrap();
}
both_backends!(a_clerks_right_pin_is_no_supervisors);
