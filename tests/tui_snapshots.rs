//! Snapshots of every screen, driven by key events, at 80×24 and 120×40, in Chinese and English.
//! Each `.snap` under `tests/snapshots/` was read before it was accepted.

#[path = "tui_common/mod.rs"]
mod common;

use crossterm::event::KeyCode;
use onewindow::config::Lang;
use onewindow::tui::app::Action;
use onewindow::tui::draft::{DRAFT_VERSION, Draft};
use onewindow::tui::form::Form;
use onewindow::tui::harness::Harness;

const VARIANTS: [(Lang, u16, u16); 4] = [
    (Lang::Zh, 80, 24),
    (Lang::Zh, 120, 40),
    (Lang::En, 80, 24),
    (Lang::En, 120, 40),
];

fn each(name: &str, make: fn(Lang, u16, u16) -> Harness, drive: fn(&mut Harness)) {
    for (lang, w, h) in VARIANTS {
        let mut harness = make(lang, w, h);
        drive(&mut harness);
        let l = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        insta::assert_snapshot!(format!("{name}_{l}_{w}x{h}"), harness.render());
    }
}

fn plain(lang: Lang, w: u16, h: u16) -> Harness {
    common::harness(lang, w, h)
}

fn demo(lang: Lang, w: u16, h: u16) -> Harness {
    common::demo_harness(lang, w, h)
}

fn signed_in(h: &mut Harness) {
    common::sign_in(h);
}

#[test]
fn sign_in() {
    each("sign_in", plain, |_| {});
}

#[test]
fn sign_in_wrong_pin_demo() {
    each("sign_in_wrong_pin_demo", demo, |h| {
        h.type_text("1001");
        h.press(KeyCode::Enter);
        h.type_text("999");
        h.press(KeyCode::Enter);
    });
}

#[test]
fn sign_in_locked_out() {
    each("sign_in_locked_out", plain, |h| {
        h.type_text("1001");
        h.press(KeyCode::Enter);
        for _ in 0..5 {
            h.type_text("000000");
            h.press(KeyCode::Enter);
        }
    });
}

#[test]
fn first_run_setup() {
    each("setup", common::empty_harness, |h| {
        h.type_text("ZZ01");
        h.press(KeyCode::Tab);
        h.type_text("郑州市劳动人事争议调解中心");
        h.press(KeyCode::Tab);
        h.type_text("1,2");
    });
}

#[test]
fn intake_empty() {
    each("intake_empty", plain, signed_in);
}

#[test]
fn intake_messages_when_fields_are_left() {
    each("intake_left_fields", plain, |h| {
        signed_in(h);
        h.type_text("王丽");
        h.press(KeyCode::Tab);
        h.press(KeyCode::Tab);
        h.type_text("410105199003071581");
        h.press(KeyCode::Tab);
        h.press(KeyCode::Tab);
        h.type_text("1381234");
        h.press(KeyCode::Tab);
    });
}

#[test]
fn intake_p04_claims() {
    each("intake_p04_claims", plain, |h| {
        signed_in(h);
        common::enter_p04(h);
    });
}

#[test]
fn intake_p04_dispute_section() {
    each("intake_p04_dispute", plain, |h| {
        signed_in(h);
        common::enter_p04(h);
        h.press(KeyCode::PageUp);
        h.press(KeyCode::Tab);
    });
}

#[test]
fn category_picker() {
    each("picker_categories", plain, |h| {
        signed_in(h);
        h.press(KeyCode::PageUp);
        h.press(KeyCode::PageUp);
        h.press(KeyCode::Tab);
        for c in "0306".chars() {
            h.press(KeyCode::Char(c));
        }
        h.press(KeyCode::Enter);
        h.press(KeyCode::Down);
        h.press(KeyCode::Down);
    });
}

#[test]
fn route_override() {
    each("override", plain, |h| {
        signed_in(h);
        common::enter_p04(h);
        h.press(KeyCode::F(7));
        h.press(KeyCode::Char('4'));
        h.type_text("申请人已明确拒绝调解");
    });
}

#[test]
fn route_overridden_panel() {
    each("overridden", plain, |h| {
        signed_in(h);
        common::enter_p04(h);
        h.press(KeyCode::F(7));
        h.press(KeyCode::Char('4'));
        h.type_text("申请人已明确拒绝调解");
        h.press(KeyCode::Enter);
    });
}

#[test]
fn ticket_issued() {
    each("ticket", plain, |h| {
        signed_in(h);
        common::enter_p04(h);
        h.press(KeyCode::F(10));
    });
}

#[test]
fn queue_waiting() {
    each("queue", demo, |h| {
        signed_in(h);
        h.press(KeyCode::F(3));
    });
}

#[test]
fn queue_called() {
    each("queue_called", demo, |h| {
        signed_in(h);
        h.press(KeyCode::F(3));
        h.press(KeyCode::Char('n'));
    });
}

#[test]
fn queue_transfer() {
    each("queue_transfer", demo, |h| {
        signed_in(h);
        h.press(KeyCode::F(3));
        h.press(KeyCode::Char('n'));
        h.press(KeyCode::Char('t'));
        h.press(KeyCode::Char('4'));
        h.type_text("已申请仲裁");
    });
}

#[test]
fn queue_finish() {
    each("queue_finish", demo, |h| {
        signed_in(h);
        h.press(KeyCode::F(3));
        h.press(KeyCode::Char('n'));
        h.press(KeyCode::Char('s'));
        h.press(KeyCode::Char('f'));
    });
}

#[test]
fn case_view() {
    each("case_view", demo, |h| {
        signed_in(h);
        h.press(KeyCode::F(3));
        h.press(KeyCode::Char('n'));
        h.press(KeyCode::Char('s'));
        h.press(KeyCode::Enter);
    });
}

#[test]
fn reprint() {
    each("reprint", demo, |h| {
        signed_in(h);
        h.press(KeyCode::F(3));
        h.press(KeyCode::Enter);
        h.press(KeyCode::Char('p'));
    });
}

#[test]
fn search() {
    each("search", demo, |h| {
        signed_in(h);
        h.press(KeyCode::F(4));
        // The start of a case number lists that day's cases.
        h.type_text("ZZ01-2025");
        h.press(KeyCode::Enter);
    });
}

#[test]
fn help_overlay() {
    each("help", demo, |h| {
        signed_in(h);
        h.press(KeyCode::F(3));
        h.press(KeyCode::Char('?'));
    });
}

#[test]
fn too_small() {
    each("too_small", plain, |h| {
        signed_in(h);
        h.resize(60, 20);
    });
}

#[test]
fn draft_offer() {
    each("draft_offer", plain, |h| {
        let (p04, at) = common::p04();
        // The clerk's own draft file, as a killed kiosk leaves it: offered when they sign in.
        h.drafts
            .save(&Draft {
                version: DRAFT_VERSION,
                saved_at: at,
                staff: Some("1001".into()),
                form: Form::from_record(&p04).to_data(),
                route_override: None,
            })
            .expect("draft saved");
        signed_in(h);
    });
}

#[test]
fn idle_locked() {
    each("idle_locked", plain, |h| {
        signed_in(h);
        h.type_text("王丽");
        let later = common::now() + chrono::Duration::minutes(16);
        h.dispatch(Action::Tick(later));
    });
}

/// A case with flags, `also` steps and warnings: p07 (12 migrant construction workers unpaid),
/// brought back as a draft and then left field by field.
#[test]
fn decision_panel_with_flags() {
    each("intake_p07_flags", plain, |h| {
        let (p07, at) = common::scenario("p07_migrant_collective_wages");
        // The clerk's own draft file, as a killed kiosk leaves it: offered when they sign in.
        h.drafts
            .save(&Draft {
                version: DRAFT_VERSION,
                saved_at: at,
                staff: Some("1001".into()),
                form: Form::from_record(&p07).to_data(),
                route_override: None,
            })
            .expect("draft saved");
        signed_in(h);
        h.press(KeyCode::Char('y'));
        h.press(KeyCode::PageDown);
        for _ in 0..9 {
            h.press(KeyCode::Tab);
        }
    });
}
