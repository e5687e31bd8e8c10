//! What a clerk types and sees at the intake form: an input method's full-width digits, dates
//! written the ways people write them, the birth date taken from the ID, Esc that asks before
//! it throws the form away, warnings at their field and in the decision panel, labels instead of
//! codes, and a panel that scrolls instead of cutting off.

#[path = "tui_common/mod.rs"]
mod common;

use crossterm::event::{KeyCode, KeyModifiers};
use onewindow::config::Lang;
use onewindow::domain::{DateInput, Route};
use onewindow::tui::app::Screen;
use onewindow::tui::form::{FieldId, Form};
use onewindow::tui::harness::Harness;

fn signed_in(lang: Lang, w: u16, h: u16) -> Harness {
    let mut h = common::harness(lang, w, h);
    common::sign_in(&mut h);
    h
}

/// Puts a scenario's record in the form, as if typed, with every field left (problems shown).
fn load(h: &mut Harness, scenario: &str) {
    let (record, _) = common::scenario(scenario);
    h.app.intake.form = Form::from_record(&record);
    h.app.intake.recompute(&h.app.settings.site, h.app.now);
    // Leaving every field shows its problems: walk the form once.
    let n = h.app.intake.form.order().len();
    for _ in 0..n {
        h.press(KeyCode::Tab);
    }
}

#[test]
fn full_width_digits_and_dates_as_people_write_them() {
    let mut h = signed_in(Lang::Zh, 120, 40);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    // An input method in full-width mode: digits and a lower-case x.
    h.type_text("４１０１０５１９９００３０７１５８ｘ");
    h.press(KeyCode::Tab);
    let r = h.app.intake.form.to_record();
    assert_eq!(r.applicant.id_number, "41010519900307158X");
    // The birth date came from the ID.
    assert_eq!(
        r.applicant.birth_date,
        Some(DateInput::parse("1990-03-07")),
        "{r:?}"
    );
    assert!(h.render().contains("1990-03-07"));
    h.press(KeyCode::Tab);
    h.type_text("１３８１２３４５６７８");
    assert_eq!(h.app.intake.form.to_record().applicant.phone, "13812345678");

    // Employment dates typed four ways.
    h.press(KeyCode::PageDown);
    h.press(KeyCode::PageDown);
    h.press(KeyCode::Char('2'));
    for (typed, want) in [
        ("2021/3/1", "2021-03-01"),
        ("２０２１年３月１日", "2021-03-01"),
        ("20210301", "2021-03-01"),
        ("2021-3-1", "2021-03-01"),
    ] {
        assert_eq!(h.app.intake.focus, FieldId::StartedOn);
        h.ctrl('u');
        h.type_text(typed);
        let r = h.app.intake.form.to_record();
        assert_eq!(
            r.employment.started_on,
            Some(DateInput::parse(want)),
            "{typed}"
        );
        // Leaving the field shows the date one way.
        h.press(KeyCode::Tab);
        assert!(h.render().contains(want), "{typed}");
        h.press(KeyCode::BackTab);
    }
    h.ctrl('u');
    h.type_text("2021/2/30");
    h.press(KeyCode::Tab);
    assert!(
        h.render().contains("2021/2/30"),
        "no such day stays as typed"
    );
    assert!(
        h.app
            .intake
            .decision
            .errors
            .iter()
            .any(|p| p.field == "employment.started_on"),
        "and validation names it"
    );
}

#[test]
fn a_birth_date_typed_by_the_clerk_is_kept() {
    let mut h = signed_in(Lang::Zh, 120, 40);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_text("1990-03-08");
    h.press(KeyCode::BackTab);
    h.type_text("41010519900307158X");
    let r = h.app.intake.form.to_record();
    assert_eq!(r.applicant.birth_date, Some(DateInput::parse("1990-03-08")));
}

#[test]
fn esc_asks_before_the_form_is_thrown_away() {
    let mut h = signed_in(Lang::Zh, 80, 24);
    h.press(KeyCode::Esc);
    assert!(h.app.popup.is_none(), "an empty form asks nothing");
    h.type_text("王丽");
    h.press(KeyCode::Esc);
    assert!(h.render().contains("放弃本次登记？"), "{}", h.render());
    h.press(KeyCode::Char('n'));
    assert_eq!(h.app.intake.form.to_record().applicant.name, "王丽");
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('y'));
    assert_eq!(h.app.intake.form, Form::default());
    assert!(h.draft_discarded, "its draft goes too");
    assert!(h.render().contains("已放弃本次登记"));

    // Ctrl-Q asks; n stays.
    h.ctrl('q');
    assert!(h.render().contains("退出程序？"));
    h.press(KeyCode::Char('n'));
    assert!(!h.app.quit);
    h.ctrl('q');
    h.press(KeyCode::Char('y'));
    assert!(h.app.quit);
}

#[test]
fn f9_with_an_empty_form_signs_out_at_once() {
    let mut h = signed_in(Lang::En, 80, 24);
    h.press(KeyCode::F(9));
    assert_eq!(h.app.screen, Screen::SignIn);
}

#[test]
fn warnings_show_at_their_field_and_in_the_panel() {
    // p07: construction arrears with no general contractor.
    let mut h = signed_in(Lang::Zh, 120, 40);
    load(&mut h, "p07_migrant_collective_wages");
    assert_eq!(h.app.intake.decision.route, Some(Route::LaborInspection));
    assert!(!h.app.intake.decision.warnings.is_empty());
    // In the panel, wherever the focus is.
    let screen = h.render();
    assert!(
        screen.contains("! 施工总承包单位")
            || screen.contains("工程建设领域欠薪：请登记施工总承包"),
        "{screen}"
    );
    // At its field, marked "!" (not "✗").
    while h.app.intake.focus != FieldId::ContractorName {
        h.press(KeyCode::Tab);
    }
    let screen = h.render();
    let row = screen
        .lines()
        .find(|l| l.contains("▶施工总承包单位"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains('!') && !row.contains('✗'), "{row}");

    // p01: a deadline in 2028, a year with no holiday calendar, says so beside it and in the list.
    let mut h = signed_in(Lang::Zh, 120, 40);
    load(&mut h, "p01_household_nanny");
    let screen = h.render();
    assert!(
        screen.contains("2028-02-21 (2028年无节"),
        "beside the deadline: {screen}"
    );
    assert!(
        screen.contains("! 2028年尚无节假日安排"),
        "in the list: {screen}"
    );
    assert!(
        h.app
            .intake
            .decision
            .warnings
            .iter()
            .any(|w| w.code == "calendar_missing")
    );
}

#[test]
fn the_panel_shows_labels_not_codes_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let mut h = signed_in(lang, 120, 40);
        load(&mut h, "p07_migrant_collective_wages");
        let mut seen = String::new();
        // Everything the panel holds, scrolled through.
        for _ in 0..40 {
            seen.push_str(&h.render());
            h.press_with(KeyCode::Down, KeyModifiers::ALT);
        }
        for code in [
            "COLLECTIVE",
            "CONSTRUCTION_ARREARS",
            "legal_aid",
            "TIME_BAR_RISK",
            "labor_inspection",
        ] {
            assert!(!seen.contains(code), "{lang:?}: {code} on screen:\n{seen}");
        }
        let collective = match lang {
            Lang::Zh => "集体争议",
            Lang::En => "Collective dispute",
        };
        assert!(seen.contains(collective), "{seen}");
    }
}

#[test]
fn the_decision_panel_scrolls_instead_of_cutting() {
    let mut h = signed_in(Lang::Zh, 80, 24);
    load(&mut h, "p07_migrant_collective_wages");
    let first = h.render();
    assert!(first.contains("Alt-↑↓滚动"), "the footer says how: {first}");
    let mut all = first.clone();
    for _ in 0..30 {
        h.press_with(KeyCode::Down, KeyModifiers::ALT);
        all.push_str(&h.render());
    }
    // The last reason and the warning were below the fold at first; scrolled, they show.
    assert!(!first.contains("工程建设领域欠薪：请登记"), "{first}");
    assert!(all.contains("工程建设领域欠薪：请登记"), "{all}");
    assert!(all.contains("法律援助"), "{all}");
    // Alt-↑ goes back to the top.
    for _ in 0..40 {
        h.press_with(KeyCode::Up, KeyModifiers::ALT);
    }
    assert_eq!(h.render(), first);
}
