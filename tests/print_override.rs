//! A clerk's override to a referral (F7 → 转介), English paper and the missing-calendar note
//! (issue 12), printed by the real binary from SQLite and PostgreSQL to the in-process fake
//! network printer, the bytes decoded: the notice names the chosen referral target, where to go
//! and what to bring, and says why in the worker's words (the clerk's typed reason is in the
//! history, not on paper); an override to a referral without a target is refused; English paper
//! gives reasons and legal bases in English with the Chinese statute title beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[path = "common/db.rs"]
mod testdb;

use chrono::{Datelike, Utc};
use onewindow::app::{AppError, CaseEvent, RouteOverride};
use onewindow::domain::{HolidayCalendar, Lang, ReferralTo, Route};
use std::path::Path;
use support::escpos_decoder::decode;
use support::fake_printer::{FakePrinter, Mode};
use testdb::{TestDb, clerk_at_window_1, wage_claim_at, zz01_printing_to};

const BOSS_PIN: &str = "246810";
const CLERK_REASON: &str = "当事人称已向法院起诉，窗口核实后改派";

/// `onewindow ARGS` on `url` for site ZZ01 printing to `printer`, run as supervisor S01.
fn ok(dir: &Path, url: &str, printer: &str, args: &[&str]) -> String {
    let to = format!("printer.to={printer}");
    let mut all = vec!["--db", url, "--set", "site.code=ZZ01", "--set", &to];
    all.extend(args);
    all.extend(["--staff", "S01", "--pin-stdin"]);
    let run = support::cli::onewindow(dir, &[], &all, &format!("{BOSS_PIN}\n"));
    assert!(run.success, "onewindow {args:?} failed: {}", run.stderr);
    run.stdout
}

/// Each paper the printer received (split at its cut): its text with every line break and
/// space removed, so a sentence wrapped over lines is still found whole.
fn papers(printer: &FakePrinter) -> Vec<String> {
    let decoded = decode(&printer.jobs().concat()).expect("the printer's bytes decode");
    decoded.papers().iter().map(|p| flat(&p.text)).collect()
}

fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn has(paper: &str, text: &str) -> bool {
    paper.contains(&flat(text))
}

async fn override_to_referral(db: &TestDb) {
    let printer = FakePrinter::start(Mode::Normal).await;
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.expose().to_string();
    let s = zz01_printing_to(&url, &printer.url(), Lang::Zh).await;
    let now = Utc::now();
    let clerk = clerk_at_window_1(&s, now, BOSS_PIN).await;
    let record = wage_claim_at(now);

    // A referral needs its target.
    let no_target = RouteOverride {
        route: Route::Referral,
        referral_to: None,
        reason: CLERK_REASON.into(),
    };
    let refused = s.register(&record, Some(&no_target), &clerk, now).await;
    assert!(matches!(refused, Err(AppError::Invalid(_))), "{refused:?}");

    let to_court = RouteOverride {
        referral_to: Some(ReferralTo::Court),
        ..no_target
    };
    let reg = s
        .register(&record, Some(&to_court), &clerk, now)
        .await
        .expect("registered");
    assert_eq!(reg.issued.ticket, None, "a referral has no local queue");
    assert_eq!(reg.issued.decision.referral_to, Some(ReferralTo::Court));

    ok(dir.path(), &url, &printer.url(), &["print", "run", "--all"]);
    let all = papers(&printer);
    assert_eq!(all.len(), 1, "the referral notice alone");
    let notice = &all[0];
    assert!(has(notice, "转介告知书"), "{notice}");
    assert!(
        has(notice, "请前往：有管辖权的人民法院"),
        "where to go: {notice}"
    );
    for item in ["起诉状", "劳动合同、工资记录等证据", "已有的仲裁或调解文书"]
    {
        assert!(has(notice, item), "what to bring ({item}): {notice}");
    }
    assert!(
        has(
            notice,
            "经窗口工作人员审查，您的事项不在本中心办理，应由人民法院处理"
        ),
        "why, in the worker's words: {notice}"
    );
    assert!(!has(notice, CLERK_REASON), "the clerk's words stay inside");
    assert!(!has(notice, "改派"), "no internal wording: {notice}");
    assert_eq!(decode(&printer.jobs().concat()).unwrap().cuts(), 1);

    // The clerk's reason and the target are in the case's history.
    let view = s.case_view(&reg.issued.case_no).await.unwrap();
    let line = view
        .history
        .iter()
        .find(|h| matches!(h.event, CaseEvent::RouteOverridden { .. }))
        .map(|h| (onewindow::i18n::kiosk::strings(onewindow::domain::Lang::Zh).event)(&h.event))
        .expect("the override in the history");
    assert_eq!(line, format!("改派至转介：人民法院（{CLERK_REASON}）"));
}

async fn english_paper(db: &TestDb) {
    let printer = FakePrinter::start(Mode::Normal).await;
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.expose().to_string();
    let s = zz01_printing_to(&url, &printer.url(), Lang::En).await;
    let now = Utc::now();
    let clerk = clerk_at_window_1(&s, now, BOSS_PIN).await;
    let reg = s
        .register(&wage_claim_at(now), None, &clerk, now)
        .await
        .expect("registered");
    let referral = RouteOverride {
        route: Route::Referral,
        referral_to: Some(ReferralTo::InjuryRecognition),
        reason: CLERK_REASON.into(),
    };
    s.register(&wage_claim_at(now), Some(&referral), &clerk, now)
        .await
        .expect("registered");
    ok(
        dir.path(),
        &url,
        &printer.url(),
        &["--lang", "en", "print", "run", "--all"],
    );
    let all = papers(&printer);
    assert_eq!(all.len(), 3, "ticket, receipt, notice: {all:?}");
    let receipt = &all[1];
    assert!(
        has(receipt, "Labour dispute registration receipt"),
        "{receipt}"
    );
    assert!(
        has(
            receipt,
            "Labour disputes are mediated first: mediation is free"
        ),
        "the reason in English: {receipt}"
    );
    assert!(
        has(
            receipt,
            "Labour Dispute Mediation and Arbitration Law 《劳动争议调解仲裁法》"
        ),
        "the basis in English beside the Chinese title: {receipt}"
    );
    assert!(!has(receipt, "劳动争议先行调解"), "no Chinese reason text");

    // The deadline in a year without a holiday calendar says so beside it.
    let calendar = HolidayCalendar::official();
    let mut noted = 0;
    for date in reg.issued.decision.deadlines.values() {
        let note = format!("no holiday calendar for {} yet", date.year());
        assert_eq!(
            has(receipt, &note),
            !calendar.has_year(date.year()),
            "{date}: {receipt}"
        );
        noted += usize::from(!calendar.has_year(date.year()));
    }
    if !calendar.has_year(now.year() + 1) {
        assert!(
            noted > 0,
            "the limitation date a year ahead has no calendar"
        );
    }

    let notice = &all[2];
    assert!(has(notice, "Referral notice"), "{notice}");
    assert!(
        has(
            notice,
            "After review at the window, your matter is not handled here"
        ),
        "{notice}"
    );
    assert!(
        has(
            notice,
            "the city human resources and social security bureau"
        ),
        "{notice}"
    );
    assert!(
        has(notice, "Account of the accident, witnesses"),
        "{notice}"
    );
    assert!(
        has(
            notice,
            "MOHRSS Doc. [2022] 71 (first-contact responsibility)"
        ),
        "{notice}"
    );
    assert!(
        !has(notice, CLERK_REASON) && !has(notice, "改派"),
        "{notice}"
    );
}

async fn missing_calendar_in_chinese(db: &TestDb) {
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
    ok(dir.path(), &url, &printer.url(), &["print", "run", "--all"]);
    let receipt = &papers(&printer)[1];
    let calendar = HolidayCalendar::official();
    for (name, date) in &reg.issued.decision.deadlines {
        let line = format!("{}：{}", name.zh(), date.format("%Y-%m-%d"));
        let note = format!("（{}年节假日安排尚未公布", date.year());
        assert!(has(receipt, &line), "{line}: {receipt}");
        assert_eq!(
            has(receipt, &format!("{line}{note}")),
            !calendar.has_year(date.year()),
            "{line}: {receipt}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_of_overrides_english_and_calendars_on_sqlite() {
    override_to_referral(&TestDb::sqlite().await).await;
    english_paper(&TestDb::sqlite().await).await;
    missing_calendar_in_chinese(&TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_of_overrides_english_and_calendars_on_postgres() {
    for run in 0..3 {
        let Some(db) = TestDb::postgres().await else {
            return;
        };
        match run {
            0 => override_to_referral(&db).await,
            1 => english_paper(&db).await,
            _ => missing_calendar_in_chinese(&db).await,
        }
    }
}
