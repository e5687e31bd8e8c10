//! Shared set-up for the TUI tests: the p04 scenario's record and site, a fixed clock, a harness
//! signed in as the demo clerk, and the keys that enter p04.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset};
use crossterm::event::KeyCode;
use onewindow::config::{Lang, default_site};
use onewindow::domain::{Fen, IntakeRecord, SiteSettings};
use onewindow::tui::harness::{Harness, Start};
use serde::Deserialize;

#[path = "../common/db.rs"]
pub mod testdb;

#[derive(Deserialize)]
struct Scenario {
    intake_at: String,
    case: IntakeRecord,
}

pub fn p04() -> (IntakeRecord, DateTime<FixedOffset>) {
    scenario("p04_dismissal_mediation")
}

/// p04 as the form holds it after [`enter_p04`]: the form fills the birth date from the ID.
pub fn p04_as_entered() -> IntakeRecord {
    let mut r = p04().0;
    r.applicant.birth_date = Some(onewindow::domain::DateInput::parse("1990-03-07"));
    r
}

/// A scenario's record and intake time (its `[site]` and `[expect]` are not needed here).
pub fn scenario(name: &str) -> (IntakeRecord, DateTime<FixedOffset>) {
    let text = std::fs::read_to_string(format!("tests/scenarios/{name}.toml")).expect("scenario");
    let s: Scenario = toml::from_str(&text).expect("scenario parses");
    (
        s.case,
        DateTime::parse_from_rfc3339(&s.intake_at).expect("intake_at"),
    )
}

/// The p04 site settings (minimum wage 2420, threshold 30) under a demo name.
pub fn site() -> SiteSettings {
    let mut site = default_site();
    site.code = "ZZ01".into();
    site.name = "郑州市劳动人事争议调解中心".into();
    site.minimum_wage_monthly = Some(Fen::from_yuan(2420));
    site.major_dispute_threshold = 30;
    site
}

pub fn now() -> DateTime<FixedOffset> {
    p04().1
}

/// A kiosk at window 1 of a set-up site (clerk 1001, PIN 123456) with no cases, over a fresh
/// SQLite database.
pub fn harness(lang: Lang, w: u16, h: u16) -> Harness {
    Harness::new(lang, w, h, site(), Start::Staffed, now())
}

/// The `--demo` site: as [`harness`], with three walk-ins waiting.
pub fn demo_harness(lang: Lang, w: u16, h: u16) -> Harness {
    Harness::new(lang, w, h, site(), Start::Demo, now())
}

/// Runs `flow` on a demo harness over SQLite, then over a fresh PostgreSQL database (unless
/// PostgreSQL is unreachable outside CI, which says so loudly).
pub fn on_both_backends(lang: Lang, w: u16, h: u16, flow: impl Fn(&mut Harness)) {
    flow(&mut demo_harness(lang, w, h));
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = rt.block_on(testdb::TestDb::postgres()) else {
        return;
    };
    rt.block_on(db.store.close());
    let mut h = Harness::on_database(
        lang,
        w,
        h,
        site(),
        Start::Demo,
        now(),
        Some(db.url.expose()),
    );
    flow(&mut h);
    // The harness (and its pool) goes before the database is dropped.
    drop(h);
    drop(db);
}

/// An empty database: the kiosk starts with the first-run set-up.
pub fn empty_harness(lang: Lang, w: u16, h: u16) -> Harness {
    Harness::new(lang, w, h, site(), Start::Empty, now())
}

pub fn sign_in(h: &mut Harness) {
    h.type_text("1001");
    h.press(KeyCode::Enter);
    h.type_text("123456");
    h.press(KeyCode::Enter);
}

/// Enters p04 from a fresh form, as a clerk would: text typed, everything else by keys.
pub fn enter_p04(h: &mut Harness) {
    // 申请人: name, (id type stays 居民身份证), id number, (birth date from the id), phone.
    h.type_text("王丽");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_text("41010519900307158X");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_text("13812345678");
    // 被申请人: kind stays 用人单位; name; credit code.
    h.press(KeyCode::PageDown);
    h.press(KeyCode::Tab);
    h.type_text("郑州云启科技有限公司");
    h.press(KeyCode::Tab);
    h.type_text("91410100QFA99G5B0D");
    // 用工情况: status 2 = 已离职 (moves on), dates, written contract y (moves on).
    h.press(KeyCode::PageDown);
    h.press(KeyCode::Char('2'));
    h.type_text("20210301");
    h.press(KeyCode::Tab);
    h.type_text("20241201");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Char('y'));
    // 争议情况: categories typed as codes 03 and 06, known-on date.
    h.press(KeyCode::PageDown);
    h.press(KeyCode::Tab);
    for c in "0306".chars() {
        h.press(KeyCode::Char(c));
    }
    h.press(KeyCode::Tab);
    h.type_text("20241201");
    // 请求事项: add a row, category 2 = LD06 (moves on), amount.
    h.press(KeyCode::PageDown);
    h.press(KeyCode::Enter);
    h.press(KeyCode::Char('2'));
    h.type_text("40000");
}
