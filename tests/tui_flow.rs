//! The whole intake flow against `MemoryBackend`, driven by keys: sign in, fill p04, see the
//! decision, submit, see the ticket. Also counts the keystrokes p04 takes.

#[path = "tui_common/mod.rs"]
mod common;

use crossterm::event::KeyCode;
use onewindow::config::Lang;
use onewindow::domain::Route;
use onewindow::tui::app::Screen;

#[test]
fn p04_from_sign_in_to_ticket() {
    let mut h = common::harness(Lang::Zh, 120, 40);
    let screen = h.render();
    assert!(screen.contains("工号"), "{screen}");
    common::sign_in(&mut h);
    assert_eq!(h.app.screen, Screen::Intake);
    common::enter_p04(&mut h);

    // The form filled the birth date from the ID number; otherwise the record is p04's.
    assert!(common::p04().0.applicant.birth_date.is_none());
    assert_eq!(h.app.intake.form.to_record(), common::p04_as_entered());
    let screen = h.render();
    assert!(screen.contains("劳动人事争议调解"), "{screen}");
    assert_eq!(h.app.intake.decision.route, Some(Route::LaborMediation));

    h.press(KeyCode::F(10));
    assert_eq!(h.app.screen, Screen::Ticket);
    let screen = h.render();
    assert!(screen.contains("T001"), "{screen}");
    assert!(h.draft_discarded, "a submitted case leaves no draft behind");

    let keys = h.command_keys;
    println!(
        "p04 keystrokes excluding typed text: {keys} (typed characters: {})",
        h.typed_chars
    );
    assert!(keys <= 40, "p04 took {keys} keys");
}

#[test]
fn submit_with_errors_is_refused_and_shows_them() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.type_text("王丽");
    h.press(KeyCode::F(10));
    assert_eq!(h.app.screen, Screen::Intake);
    let screen = h.render();
    assert!(screen.contains("不能提交"), "{screen}");
    assert!(screen.contains("请填写证件号码"), "{screen}");
}
