//! The window's queue against `MemoryBackend`: order, call next, recall, no-show, start,
//! transfer with reason, finish with outcome, case history, search masking, reprint.

#[path = "tui_common/mod.rs"]
mod common;

use crossterm::event::KeyCode;
use onewindow::config::Lang;
use onewindow::tui::app::{Action, Screen};
use onewindow::tui::backend::{
    Backend, CaseEvent, DbStatus, Health, Outcome, Paper, PrinterStatus, TicketState,
};
use onewindow::tui::backend::{StaffNo, WindowId};

fn tickets(h: &onewindow::tui::harness::Harness) -> Vec<(String, TicketState)> {
    h.app
        .queue
        .entries
        .iter()
        .map(|e| (e.ticket.0.clone(), e.state))
        .collect()
}

#[test]
fn priority_first_then_issue_time() {
    let mut h = common::demo_harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.press(KeyCode::F(3));
    let order: Vec<String> = tickets(&h).into_iter().map(|t| t.0).collect();
    // Z001 (pregnant: PRIORITY) before J001 and R001, which follow by issue time.
    assert_eq!(order, ["Z001", "J001", "R001"]);
}

#[test]
fn call_start_finish_and_history() {
    let mut h = common::demo_harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.press(KeyCode::F(3));
    h.press(KeyCode::Char('n'));
    assert_eq!(tickets(&h)[0], ("Z001".into(), TicketState::Called));
    assert!(h.render().contains("请 Z001 号到 1 号窗口"));
    h.press(KeyCode::Char('r'));
    h.press(KeyCode::Char('s'));
    assert_eq!(tickets(&h)[0], ("Z001".into(), TicketState::Serving));
    h.press(KeyCode::Char('f'));
    h.press(KeyCode::Char('1'));
    let left: Vec<String> = tickets(&h).into_iter().map(|t| t.0).collect();
    assert_eq!(left, ["J001", "R001"]);

    h.press(KeyCode::F(4));
    h.type_text("陈晓");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::Case);
    let events: Vec<CaseEvent> = h
        .app
        .case
        .as_ref()
        .expect("case")
        .history
        .iter()
        .map(|e| e.event.clone())
        .collect();
    assert!(events.contains(&CaseEvent::Called));
    assert!(events.contains(&CaseEvent::Recalled));
    assert!(events.contains(&CaseEvent::Started));
    assert!(events.contains(&CaseEvent::Finished(Outcome::Mediated)));
}

#[test]
fn no_show_and_transfer_need_a_reason() {
    let mut h = common::demo_harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.press(KeyCode::F(3));
    h.press(KeyCode::Char('n'));
    h.press(KeyCode::Char('x'));
    let order: Vec<String> = tickets(&h).into_iter().map(|t| t.0).collect();
    assert_eq!(order, ["J001", "R001"], "a no-show leaves the list");

    h.press(KeyCode::Char('n'));
    h.press(KeyCode::Char('t'));
    h.press(KeyCode::Char('4'));
    h.press(KeyCode::Enter);
    assert!(h.render().contains("须填写原因"), "no reason, no transfer");
    h.type_text("已申请仲裁");
    h.press(KeyCode::Enter);
    let order: Vec<String> = tickets(&h).into_iter().map(|t| t.0).collect();
    assert!(order.contains(&"Z002".to_string()), "{order:?}");
    assert!(h.render().contains("已转移，新号 Z002"));
}

#[test]
fn search_masks_names_and_phones_and_reprints() {
    let mut h = common::demo_harness(Lang::Zh, 120, 40);
    common::sign_in(&mut h);
    h.press(KeyCode::F(4));
    h.type_text("1390000");
    h.press(KeyCode::Enter);
    let screen = h.render();
    assert!(screen.contains("刘**"), "{screen}");
    assert!(screen.contains("139****1111"), "{screen}");
    assert!(!screen.contains("刘建国"), "{screen}");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Char('p'));
    h.press(KeyCode::Char('2'));
    let printed = h.backend.printed();
    assert_eq!(printed.last().map(|p| p.1), Some(Paper::Receipt));
    assert!(h.render().contains("已送打印：登记回执"));
}

#[test]
fn status_line_says_when_database_or_printer_drop() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.backend.set_health(Health {
        database: DbStatus::Reconnecting,
        printer: PrinterStatus::PaperOut,
        pending_print_jobs: 2,
    });
    for s in 1..=5 {
        h.dispatch(Action::Tick(common::now() + chrono::Duration::seconds(s)));
    }
    let screen = h.render();
    assert!(screen.contains("数据库:重新连接中"), "{screen}");
    assert!(screen.contains("打印机:缺纸 待打印2"), "{screen}");
    insta::assert_snapshot!("status_faults_zh_80x24", screen);
}

#[test]
fn memory_backend_locks_out_after_five_failures() {
    let site = common::site();
    let b = onewindow::tui::MemoryBackend::with_demo_staff(site);
    let at = common::now();
    for _ in 0..4 {
        let r = futures::executor::block_on(b.sign_in(StaffNo("1001".into()), "x".into(), at));
        assert!(matches!(
            r,
            Err(onewindow::tui::backend::BackendError::BadCredentials { .. })
        ));
    }
    let r = futures::executor::block_on(b.sign_in(StaffNo("1001".into()), "x".into(), at));
    assert!(matches!(
        r,
        Err(onewindow::tui::backend::BackendError::LockedOut { .. })
    ));
    // Even the right PIN is refused until the lock runs out.
    let r = futures::executor::block_on(b.sign_in(StaffNo("1001".into()), "123456".into(), at));
    assert!(r.is_err());
    let later = at + chrono::Duration::minutes(16);
    let r = futures::executor::block_on(b.sign_in(StaffNo("1001".into()), "123456".into(), later));
    assert!(r.is_ok());
    let empty = futures::executor::block_on(b.call_next(WindowId(1), StaffNo("1001".into()), at));
    assert!(empty.is_err(), "no cases yet");
}
