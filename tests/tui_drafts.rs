//! Drafts belong to the clerk who typed them (issue 13): kept in their own 0600 file, offered
//! only to them, gone from the screen at sign-out and at the idle lock, deleted at submission and
//! after `data.draft_keep_days`. Driven by keys through the kiosk harness over real storage and
//! real draft files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "tui_common/mod.rs"]
mod common;

use crossterm::event::KeyCode;
use onewindow::config::Lang;
use onewindow::domain::{StaffNo, WindowNo};
use onewindow::tui::app::{Action, Screen};
use onewindow::tui::draft::{DRAFT_VERSION, Draft, Drafts};
use onewindow::tui::harness::Harness;
use std::time::{Duration, SystemTime};

const NAME: &str = "欧阳娜娜";
const ID: &str = "41010519900307158X";

fn sign_in_as(h: &mut Harness, staff: &str, pin: &str) {
    h.type_text(staff);
    h.press(KeyCode::Enter);
    h.type_text(pin);
    h.press(KeyCode::Enter);
    let screen = h.render();
    assert_eq!(
        h.app.staff.as_ref().map(|s| s.number.as_str()),
        Some(staff),
        "{screen}"
    );
}

/// Clerk 1001 starts a form: a name and an ID number.
fn start_a_form(h: &mut Harness) {
    common::sign_in(h);
    h.type_text(NAME);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_text(ID);
    assert!(h.render().contains(ID));
}

fn sees_nothing_of_the_form(h: &mut Harness) {
    let screen = h.render();
    assert!(!screen.contains(NAME) && !screen.contains(ID), "{screen}");
    assert!(
        !screen.contains("发现未提交的草稿"),
        "no draft offered: {screen}"
    );
    assert!(h.app.popup.is_none());
    assert!(h.app.intake.form.to_record().applicant.name.is_empty());
}

#[test]
fn a_second_clerk_never_sees_the_first_clerks_draft_after_sign_out() {
    let mut h = common::harness(Lang::Zh, 120, 40);
    start_a_form(&mut h);
    let file = h.drafts.of(&StaffNo("1001".into())).path().to_path_buf();
    assert!(file.exists(), "the form is in 1001's own file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }

    // A form not submitted: F9 asks first (the form stays as the clerk's draft).
    h.press(KeyCode::F(9));
    assert_eq!(h.app.screen, Screen::Intake);
    assert!(h.render().contains("退出登录？"), "{}", h.render());
    h.press(KeyCode::Char('y'));
    assert_eq!(h.app.screen, Screen::SignIn);
    sees_nothing_of_the_form(&mut h);

    sign_in_as(&mut h, "1002", "112233");
    assert_eq!(h.app.screen, Screen::Intake);
    sees_nothing_of_the_form(&mut h);
    assert!(
        !h.drafts.of(&StaffNo("1002".into())).path().exists(),
        "1002 typed nothing"
    );

    // 1001 comes back: their draft is offered to them, and only to them.
    h.press(KeyCode::F(9));
    common::sign_in(&mut h);
    assert!(h.render().contains("发现未提交的草稿"), "{}", h.render());
    h.press(KeyCode::Char('y'));
    let screen = h.render();
    assert!(screen.contains(NAME) && screen.contains(ID), "{screen}");
}

#[test]
fn after_the_idle_lock_only_the_same_clerk_resumes_their_form() {
    let mut h = common::harness(Lang::Zh, 120, 40);
    start_a_form(&mut h);
    let idle = common::now() + chrono::Duration::minutes(16);
    h.dispatch(Action::Tick(idle));
    assert_eq!(h.app.screen, Screen::SignIn);
    sees_nothing_of_the_form(&mut h);

    // Another clerk takes the window: the locked number is replaced by theirs.
    h.press(KeyCode::Tab);
    for _ in 0..4 {
        h.press(KeyCode::Backspace);
    }
    h.type_text("1002");
    h.press(KeyCode::Enter);
    h.type_text("112233");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Intake);
    sees_nothing_of_the_form(&mut h);

    // 1002 is locked in turn; 1001 unlocks the window after them: offered their own draft.
    h.dispatch(Action::Tick(idle + chrono::Duration::minutes(16)));
    h.press(KeyCode::Tab);
    for _ in 0..4 {
        h.press(KeyCode::Backspace);
    }
    common::sign_in(&mut h);
    assert!(h.render().contains("发现未提交的草稿"), "{}", h.render());
    h.press(KeyCode::Char('y'));
    assert!(h.render().contains(NAME));

    // Locked and unlocked by the same clerk: the form is back as it was, without asking.
    h.dispatch(Action::Tick(idle + chrono::Duration::minutes(40)));
    sees_nothing_of_the_form(&mut h);
    h.type_text("123456");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Intake);
    assert!(h.app.popup.is_none());
    let screen = h.render();
    assert!(screen.contains(NAME) && screen.contains(ID), "{screen}");
}

#[test]
fn submitting_deletes_the_clerks_draft() {
    let mut h = common::harness(Lang::Zh, 120, 40);
    common::sign_in(&mut h);
    common::enter_p04(&mut h);
    let file = h.drafts.of(&StaffNo("1001".into())).path().to_path_buf();
    assert!(file.exists());
    h.press(KeyCode::F(10));
    let screen = h.render();
    assert_eq!(h.app.screen, Screen::Ticket, "{screen}");
    assert!(!file.exists(), "the draft is deleted at submission");
}

#[test]
fn drafts_nobody_came_back_for_are_deleted_after_the_set_days() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = Drafts::new(dir.path().join("drafts"), WindowNo(1));
    let (p04, at) = common::p04();
    let draft = |staff: &str| Draft {
        version: DRAFT_VERSION,
        saved_at: at,
        staff: Some(staff.into()),
        form: onewindow::tui::form::Form::from_record(&p04).to_data(),
        route_override: None,
    };
    drafts.save(&draft("1001")).unwrap();
    drafts.save(&draft("1002")).unwrap();
    let old = drafts.of(&StaffNo("1001".into())).path().to_path_buf();
    let fresh = drafts.of(&StaffNo("1002".into())).path().to_path_buf();
    let eight_days_ago = SystemTime::now() - Duration::from_secs(8 * 86_400);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(eight_days_ago)
        .unwrap();
    // Something else in the folder is never touched.
    let other = dir.path().join("drafts/notes.txt");
    std::fs::write(&other, "x").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&other)
        .unwrap()
        .set_modified(eight_days_ago)
        .unwrap();

    assert_eq!(drafts.prune(7, SystemTime::now()).unwrap(), 1);
    assert!(!old.exists() && fresh.exists() && other.exists());
    // A draft file holding another clerk's form (copied by hand) is not offered.
    std::fs::copy(&fresh, &old).unwrap();
    assert!(drafts.load(&StaffNo("1001".into())).unwrap().is_none());
    assert!(drafts.load(&StaffNo("1002".into())).unwrap().is_some());
}
