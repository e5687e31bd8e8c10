//! Text entry as it reaches the kiosk: input-method characters, bracketed paste, double-width
//! editing in a field; the idle lock and its resume; submit refused on errors, and refused while
//! the database is away with the form kept.

#[path = "tui_common/mod.rs"]
mod common;
mod support;

use crossterm::event::KeyCode;
use onewindow::config::Lang;
use onewindow::tui::app::{Action, Screen};
use onewindow::tui::form::FieldId;

/// PostgreSQL behind a proxy the test cuts: a submit made before the health check has noticed
/// fails within the pool's time-out, names no ticket and keeps the whole form; when the
/// database is back the same form goes in.
#[test]
fn submit_while_the_database_is_away_keeps_the_form() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = rt.block_on(common::testdb::TestDb::postgres()) else {
        return;
    };
    rt.block_on(db.store.close());
    let proxy =
        support::tcp_proxy::TcpProxy::start(&support::tcp_proxy::upstream_of(db.url.expose()));
    let url = proxy.url_for(db.url.expose());
    let mut h = onewindow::tui::harness::Harness::on_database(
        Lang::Zh,
        80,
        24,
        common::site(),
        onewindow::tui::harness::Start::Staffed,
        common::now(),
        Some(&url),
    );
    common::sign_in(&mut h);
    common::enter_p04(&mut h);
    proxy.cut();
    let started = std::time::Instant::now();
    h.press(KeyCode::F(10));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(h.app.screen, Screen::Intake);
    assert!(h.render().contains("提交未成功"), "{}", h.render());
    assert!(!h.draft_discarded);
    assert_eq!(h.app.intake.form.to_record(), common::p04_as_entered());
    h.tick_until("数据库:重新连接中", std::time::Duration::from_secs(5));
    proxy.restore();
    h.tick_until("数据库:已连接", std::time::Duration::from_secs(10));
    h.press(KeyCode::F(10));
    assert_eq!(h.app.screen, Screen::Ticket);
    assert!(h.render().contains("T001"), "{}", h.render());
    drop(h);
    drop(proxy);
    drop(db);
}

#[test]
fn paste_and_ime_text_land_in_the_field() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    // An input method commits whole characters; a paste arrives as one string.
    h.type_text("欧阳");
    h.paste("娜娜\n");
    let rec = h.app.intake.form.to_record();
    assert_eq!(rec.applicant.name, "欧阳娜娜");
    // Edit in the middle of double-width text.
    h.press(KeyCode::Left);
    h.press(KeyCode::Left);
    h.press(KeyCode::Backspace);
    h.type_text("丽");
    assert_eq!(h.app.intake.form.to_record().applicant.name, "欧丽娜娜");
    assert!(h.render().contains("欧丽娜娜"));
    assert!(h.last_draft.is_some(), "every change asks for a draft save");
}

#[test]
fn tri_state_distinguishes_absent_from_no() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.press(KeyCode::PageUp); // to 请求事项
    h.press(KeyCode::PageUp); // to 争议情况
    for _ in 0..9 {
        h.press(KeyCode::Tab);
    }
    assert_eq!(h.app.intake.focus, FieldId::WantsMediation);
    assert_eq!(h.app.intake.form.to_record().dispute.wants_mediation, None);
    h.press(KeyCode::Char('n'));
    assert_eq!(
        h.app.intake.form.to_record().dispute.wants_mediation,
        Some(false)
    );
    h.press(KeyCode::Up);
    h.press(KeyCode::Backspace);
    assert_eq!(h.app.intake.form.to_record().dispute.wants_mediation, None);
}

#[test]
fn declining_mediation_changes_the_live_decision() {
    let mut h = common::harness(Lang::Zh, 120, 40);
    common::sign_in(&mut h);
    common::enter_p04(&mut h);
    assert!(h.render().contains("去向：劳动人事争议调解"));
    h.press(KeyCode::PageUp);
    for _ in 0..9 {
        h.press(KeyCode::Tab);
    }
    h.press(KeyCode::Char('n'));
    assert!(h.render().contains("去向：劳动人事争议仲裁"));
}

#[test]
fn claims_can_be_added_and_removed() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.ctrl('n');
    h.ctrl('n');
    assert_eq!(h.app.intake.form.claim_count(), 2);
    h.ctrl('d');
    assert_eq!(h.app.intake.form.claim_count(), 1);
}

#[test]
fn idle_lock_resumes_where_the_clerk_was() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.type_text("王丽");
    h.dispatch(Action::Tick(common::now() + chrono::Duration::minutes(14)));
    assert_eq!(h.app.screen, Screen::Intake);
    h.dispatch(Action::Tick(common::now() + chrono::Duration::minutes(15)));
    assert_eq!(h.app.screen, Screen::SignIn);
    assert!(h.app.staff.is_none());
    h.type_text("123456");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Intake);
    assert_eq!(h.app.intake.form.to_record().applicant.name, "王丽");
}

#[test]
fn sign_out_returns_to_sign_in() {
    let mut h = common::harness(Lang::En, 80, 24);
    common::sign_in(&mut h);
    h.press(KeyCode::F(9));
    assert_eq!(h.app.screen, Screen::SignIn);
    assert!(h.render().contains("Signed out"));
}

#[test]
fn small_terminal_shows_a_message_at_any_size() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    for (w, ht) in [(79, 24), (80, 23), (20, 5), (1, 1), (0, 0)] {
        h.resize(w, ht);
        let _ = h.render();
    }
    h.resize(80, 24);
    assert!(h.render().contains("姓名"));
}

#[test]
fn first_run_setup_then_the_supervisor_signs_in() {
    let mut h = common::empty_harness(Lang::Zh, 80, 24);
    assert_eq!(h.app.screen, Screen::Setup);
    for (i, text) in [
        "ZZ01",
        "郑州中心",
        "1,2",
        "9001",
        "周主任",
        "246810",
        "246810",
    ]
    .iter()
    .enumerate()
    {
        h.type_text(text);
        if i < 6 {
            h.press(KeyCode::Tab);
        }
    }
    h.press(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::SignIn);
    h.type_text("246810");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Intake);
    assert!(h.render().contains("9001 周主任（值班负责人）"));
}
