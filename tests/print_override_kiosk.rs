//! F7 → 转介 at the kiosk (issue 12): the dialog lists the referral targets of the domain contract
//! and refuses a referral without one; the notice the kiosk queues names the chosen target and
//! says why in the worker's words, never the clerk's typed reason. Driven by key events on the
//! in-process kiosk over SQLite and PostgreSQL.

#[path = "tui_common/mod.rs"]
mod common;

use crossterm::event::KeyCode;
use onewindow::config::Lang;
use onewindow::domain::{PrintKind, ReferralTo};
use onewindow::print::Document;
use onewindow::tui::harness::Harness;

const CLERK_REASON: &str = "申请人已向法院起诉";

fn refer_to_court(h: &mut Harness) {
    common::sign_in(h);
    common::enter_p04(h);
    h.press(KeyCode::F(7));
    h.press(KeyCode::Char('5'));
    let screen = h.render();
    for t in ReferralTo::ALL {
        assert!(screen.contains(t.zh()), "{} listed: {screen}", t.zh());
    }
    h.type_text(CLERK_REASON);
    h.press(KeyCode::Enter);
    let screen = h.render();
    assert!(
        screen.contains("转介须选择去向"),
        "no referral without a target: {screen}"
    );
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    h.press(KeyCode::F(10));
    let jobs = h
        .block_on(h.services().print_jobs(None, 20))
        .expect("print jobs");
    let notice = jobs
        .iter()
        .find(|j| j.kind == PrintKind::Referral)
        .expect("a referral notice queued");
    let text = Document::from_json(&notice.payload)
        .expect("a document")
        .plain_text();
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(flat.contains("请前往：有管辖权的人民法院"), "{text}");
    assert!(flat.contains("起诉状"), "what to bring: {text}");
    assert!(flat.contains("应由人民法院处理"), "why: {text}");
    assert!(
        !flat.contains(CLERK_REASON) && !flat.contains("改派"),
        "{text}"
    );
    assert_eq!(notice.ticket, None, "a referral has no local ticket");
}

#[test]
fn f7_referral_needs_a_target_and_prints_its_notice() {
    common::on_both_backends(Lang::Zh, 80, 24, refer_to_court);
}
