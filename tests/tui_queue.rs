//! The window's queue over the real services and a temporary SQLite database: order, call next,
//! recall, no-show, start, transfer with reason, finish with outcome, case history, search
//! masking, reprint — and the keys act on the ticket the window holds.

#[path = "tui_common/mod.rs"]
mod common;

use crossterm::event::KeyCode;
use onewindow::app::{AppError, CaseEvent, DbStatus, Health, PrinterHealth};
use onewindow::config::Lang;
use onewindow::domain::{Outcome, PrintKind, StaffNo, TicketNo, TicketState};
use onewindow::tui::app::{Action, Screen};
use onewindow::tui::harness::Harness;

fn tickets(h: &Harness) -> Vec<(String, TicketState)> {
    h.app
        .queue
        .entries
        .iter()
        .map(|e| (e.ticket.to_string(), e.state))
        .collect()
}

fn selected(h: &Harness) -> String {
    h.app.queue.entries[h.app.queue.selected].ticket.to_string()
}

fn t(no: &str) -> TicketNo {
    TicketNo::from_stored(no.to_string())
}

/// A time written as RFC 3339 (`2025-03-10T07:58:00+08:00`).
fn at(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).expect("time")
}

/// A staffed kiosk whose clock starts at `start`, clerk signed in. The tests that use it jump
/// the clock by hours; the idle lock is not what they are about, so it is off.
fn signed_in_at(start: &str) -> Harness {
    let mut h = Harness::new(
        Lang::Zh,
        120,
        40,
        common::site(),
        onewindow::tui::harness::Start::Staffed,
        at(start),
    );
    h.app.settings.idle_lock_minutes = 0;
    common::sign_in(&mut h);
    h
}

/// Registers p04 at `when` through the kiosk's session; its ticket.
fn register(h: &mut Harness, when: &str) -> Option<TicketNo> {
    let s = onewindow::app::Submission {
        record: common::p04().0,
        route_override: None,
        at: at(when),
    };
    h.block_on(h.kiosk.submit(s)).expect("registered").ticket
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

/// The keys act on the ticket called to this window: it stays in the list, marked, selected.
/// (On the code before the redesign the called ticket left the list and `s`, `f` and `t` acted
/// on a waiting ticket.)
#[test]
fn the_called_ticket_is_listed_selected_and_the_keys_act_on_it() {
    common::on_both_backends(Lang::Zh, 120, 40, called_ticket_flow);
}

fn called_ticket_flow(h: &mut Harness) {
    common::sign_in(h);
    h.press(KeyCode::F(3));
    // Move the selection away first: after the call it must come back to the called ticket.
    h.press(KeyCode::End);
    h.press(KeyCode::Char('n'));
    assert_eq!(
        tickets(h),
        [
            ("Z001".into(), TicketState::Called),
            ("J001".into(), TicketState::Waiting),
            ("R001".into(), TicketState::Waiting),
        ]
    );
    assert_eq!(selected(h), "Z001");
    let screen = h.render();
    assert!(screen.contains("已叫号"), "{screen}");

    // A second call while Z001 is held is refused, on screen and by the service.
    h.press(KeyCode::Char('n'));
    assert!(h.render().contains("本窗口还有 Z001 未办结"));
    let busy = h.block_on(h.kiosk.call_next(common::now()));
    assert_eq!(busy.expect_err("busy"), AppError::WindowBusy(t("Z001")));
    assert_eq!(
        tickets(h)
            .iter()
            .filter(|t| t.1 == TicketState::Called)
            .count(),
        1,
        "one ticket called at a window"
    );

    // Even with the selection on a waiting ticket, s and f act on the held one.
    h.press(KeyCode::Down);
    h.press(KeyCode::Char('s'));
    assert_eq!(tickets(h)[0], ("Z001".into(), TicketState::Serving));
    assert_eq!(tickets(h)[1], ("J001".into(), TicketState::Waiting));
    // t transfers the held ticket (the selection is back on it after the refresh).
    assert_eq!(selected(h), "Z001");
    h.press(KeyCode::Char('t'));
    h.press(KeyCode::Char('1'));
    h.type_text("先行调解");
    h.press(KeyCode::Enter);
    let z = h
        .block_on(h.services().ticket_of_day(&t("Z001"), common::now().into()))
        .expect("Z001");
    assert_eq!(z.state, TicketState::Transferred);
    let j = h
        .block_on(h.services().ticket_of_day(&t("J001"), common::now().into()))
        .expect("J001");
    assert_eq!(
        j.state,
        TicketState::Waiting,
        "the waiting worker was not moved"
    );
    assert!(h.render().contains("已转移，新号 T001"));
}

#[test]
fn call_start_finish_and_history() {
    common::on_both_backends(Lang::Zh, 80, 24, history_flow);
}

fn history_flow(h: &mut Harness) {
    common::sign_in(h);
    h.press(KeyCode::F(3));
    h.press(KeyCode::Char('n'));
    assert_eq!(tickets(h)[0], ("Z001".into(), TicketState::Called));
    assert!(h.render().contains("请 Z001 号到 1 号窗口"));
    h.press(KeyCode::Char('r'));
    h.press(KeyCode::Char('s'));
    assert_eq!(tickets(h)[0], ("Z001".into(), TicketState::Serving));
    // Z001 is an arbitration ticket: the finish list has no 调解成功, its first outcome is 已受理.
    h.press(KeyCode::Char('f'));
    let popup = h.render();
    assert!(
        popup.contains("已受理") && !popup.contains("调解成功"),
        "{popup}"
    );
    h.press(KeyCode::Char('1'));
    let left: Vec<String> = tickets(h).into_iter().map(|t| t.0).collect();
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
    assert!(events.contains(&CaseEvent::Called(t("Z001"))), "{events:?}");
    assert!(
        events.contains(&CaseEvent::Recalled(t("Z001"))),
        "{events:?}"
    );
    assert!(
        events.contains(&CaseEvent::Started(t("Z001"))),
        "{events:?}"
    );
    assert!(
        events.contains(&CaseEvent::Finished(Outcome::Accepted)),
        "{events:?}"
    );
}

#[test]
fn no_show_and_transfer_need_a_reason() {
    let mut h = common::demo_harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.press(KeyCode::F(3));
    h.press(KeyCode::Char('n'));
    // x asks first; n keeps the ticket, y marks it.
    h.press(KeyCode::Char('x'));
    assert!(h.render().contains("将 Z001 记为过号？"), "{}", h.render());
    h.press(KeyCode::Char('n'));
    assert_eq!(tickets(&h)[0], ("Z001".into(), TicketState::Called));
    h.press(KeyCode::Char('x'));
    h.press(KeyCode::Char('y'));
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
    h.type_text("13900001111");
    h.press(KeyCode::Enter);
    let screen = h.render();
    assert!(screen.contains("刘**"), "{screen}");
    assert!(screen.contains("139****1111"), "{screen}");
    assert!(!screen.contains("刘建国"), "{screen}");
    h.press(KeyCode::Enter);
    // The receipt was printed when the case was registered; wait for the runner to take it.
    let case_no = h.app.case.as_ref().expect("case").case_no.clone();
    let printed = |h: &Harness| {
        h.block_on(h.services().case_file(&case_no))
            .expect("case file")
            .print_jobs
    };
    for _ in 0..100 {
        if printed(&h)
            .iter()
            .all(|j| j.state == onewindow::domain::PrintState::Printed)
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    h.press(KeyCode::Char('p'));
    h.press(KeyCode::Char('2'));
    assert!(h.render().contains("已送打印：登记回执"), "{}", h.render());
    let jobs = printed(&h);
    let copy = jobs
        .iter()
        .find(|j| j.reprint_of.is_some())
        .expect("a reprint job");
    assert_eq!(copy.kind, PrintKind::Receipt);
}

#[test]
fn status_line_says_when_database_or_printer_drop() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    // The database really goes away: the health check finds it closed.
    h.block_on(h.services().close());
    h.tick_until("数据库:重新连接中", std::time::Duration::from_secs(5));
    // The printer's fault as the runner reports it.
    h.dispatch(Action::Health(Ok(Health {
        database: DbStatus::Reconnecting,
        printer: PrinterHealth::PaperOut,
        pending_print_jobs: 2,
        unconfirmed: None,
    })));
    let screen = h.render();
    assert!(screen.contains("打印机:缺纸 待打印2"), "{screen}");
    insta::assert_snapshot!("status_faults_zh_80x24", screen);
}

#[test]
fn sign_in_locks_out_after_five_failures() {
    let h = common::harness(Lang::Zh, 80, 24);
    let at = common::now();
    let clerk = || StaffNo("1001".into());
    for _ in 0..4 {
        let r = h.block_on(h.kiosk.sign_in(clerk(), "000000".into(), at));
        assert!(matches!(r, Err(AppError::BadCredentials { .. })), "{r:?}");
    }
    let r = h.block_on(h.kiosk.sign_in(clerk(), "000000".into(), at));
    assert!(matches!(r, Err(AppError::LockedOut { .. })), "{r:?}");
    // Even the right PIN is refused until the lock runs out.
    let r = h.block_on(h.kiosk.sign_in(clerk(), "123456".into(), at));
    assert!(r.is_err());
    let later = at + chrono::Duration::minutes(16);
    let r = h.block_on(h.kiosk.sign_in(clerk(), "123456".into(), later));
    assert!(r.is_ok(), "{r:?}");
    let empty = h.block_on(h.kiosk.call_next(later));
    assert_eq!(
        empty.expect_err("empty"),
        AppError::QueueEmpty,
        "no cases yet"
    );
}

/// Paper the printer did not confirm is put to the clerk at the next status check ("排队号可能
/// 未打出：已打出 / 补打"); 补打 makes it due again at once (recorded as the clerk's choice), and
/// it is asked no more.
#[test]
fn unconfirmed_paper_is_put_to_the_clerk() {
    use onewindow::storage::{DbUrl, NewPrintJobFor, PrintScope, Store};
    let mut h = common::harness(Lang::Zh, 100, 30);
    common::sign_in(&mut h);
    let store = h
        .block_on(Store::open(
            &DbUrl::new(h.services().config().database_url.clone()),
            Default::default(),
        ))
        .expect("store");
    let now = chrono::Utc::now();
    let window = h
        .block_on(h.services().station(h.kiosk.window(), false, now))
        .expect("station")
        .id;
    // A ticket sent to this window's printer that never answered: queued for later so the
    // kiosk's own runner leaves it, then taken and marked as the runner marks it.
    let later = now + chrono::Duration::hours(1);
    let id = h
        .block_on(store.enqueue_print_job(NewPrintJobFor {
            case: None,
            ticket: None,
            window: Some(window),
            kind: PrintKind::Ticket,
            payload: "{}".into(),
            at: later,
        }))
        .expect("enqueue");
    let taken = h
        .block_on(store.claim_print_job_in(later, PrintScope::Job(id)))
        .expect("claim");
    assert_eq!(taken.map(|j| j.id), Some(id));
    h.block_on(store.mark_print_job_unconfirmed(id, "no answer", 120, later))
        .expect("unconfirmed");
    let health = h.block_on(h.kiosk.health()).expect("health");
    assert_eq!(health.unconfirmed, Some((id, PrintKind::Ticket)));
    h.dispatch(Action::Health(Ok(health)));
    let screen = h.render();
    assert!(
        screen.contains("排队号可能未打出") && screen.contains("已打出") && screen.contains("补打"),
        "{screen}"
    );
    h.press(KeyCode::Char('2'));
    assert!(h.render().contains("已送打印：排队号"), "{}", h.render());
    let job = h
        .block_on(h.services().print_jobs(None, 50))
        .expect("jobs")
        .into_iter()
        .find(|j| j.id == id)
        .expect("job");
    assert_ne!(job.state, onewindow::domain::PrintState::Unconfirmed);
    let health = h.block_on(h.kiosk.health()).expect("health");
    assert_eq!(health.unconfirmed, None, "asked once");
    h.block_on(store.close());
}

/// The kiosk's day is the China-time day of its clock: at UTC midnight (08:00 in China) nothing
/// changes, and at China's midnight (16:00 UTC, while the UTC day goes on) the list is the new
/// day's, whose first ticket shows as soon as it is registered. The clock is the kiosk's own
/// (ticks carry the time), the storage takes it as an argument; nothing here reads the wall clock.
#[test]
fn the_kiosks_day_is_china_time_across_both_midnights() {
    let mut h = signed_in_at("2025-03-10T07:58:00+08:00");
    let list = |h: &mut Harness, when: &str| {
        h.dispatch(Action::Tick(at(when)));
        h.press(KeyCode::F(3));
        tickets(h).into_iter().map(|t| t.0).collect::<Vec<_>>()
    };
    // 07:59 China = 23:59 UTC of the 9th; 08:01 China = 00:01 UTC of the 10th.
    register(&mut h, "2025-03-10T07:59:00+08:00");
    assert_eq!(list(&mut h, "2025-03-10T07:59:30+08:00"), ["T001"]);
    assert_eq!(
        list(&mut h, "2025-03-10T08:01:00+08:00"),
        ["T001"],
        "UTC midnight is no day change for the kiosk"
    );
    register(&mut h, "2025-03-10T23:59:00+08:00");
    assert_eq!(list(&mut h, "2025-03-10T23:59:30+08:00"), ["T001", "T002"]);
    // China midnight: the 11th's first ticket is T001 again and is on the list at once.
    let first = register(&mut h, "2025-03-11T00:00:10+08:00");
    assert_eq!(first.map(|t| t.to_string()).as_deref(), Some("T001"));
    let after = list(&mut h, "2025-03-11T00:00:30+08:00");
    assert_eq!(after, ["T001"], "the list is of the new China day");
    assert!(
        h.render().contains("2025-03-11 00:00"),
        "the status line's clock is China time"
    );
}

/// A worker called before China midnight and served across it stays on the window's list, the
/// window cannot call another until they are finished, and finishing works after midnight.
#[test]
fn a_ticket_held_at_midnight_stays_until_it_is_finished() {
    let mut h = signed_in_at("2025-03-10T23:50:00+08:00");
    register(&mut h, "2025-03-10T23:50:00+08:00");
    register(&mut h, "2025-03-10T23:51:00+08:00");
    h.dispatch(Action::Tick(at("2025-03-10T23:55:00+08:00")));
    h.press(KeyCode::F(3));
    h.press(KeyCode::Char('n'));
    h.press(KeyCode::Char('s'));
    assert_eq!(tickets(&h)[0], ("T001".into(), TicketState::Serving));
    // After midnight: a new day's ticket is waiting too.
    register(&mut h, "2025-03-11T00:01:00+08:00");
    h.dispatch(Action::Tick(at("2025-03-11T00:03:00+08:00")));
    h.press(KeyCode::F(5));
    assert_eq!(
        tickets(&h),
        [
            ("T001".to_string(), TicketState::Serving),
            ("T001".to_string(), TicketState::Waiting)
        ],
        "yesterday's T001 held here, then today's T001 waiting"
    );
    h.press(KeyCode::Char('n'));
    assert!(
        h.render().contains("本窗口还有 T001 未办结"),
        "{}",
        h.render()
    );
    h.press(KeyCode::Char('f'));
    h.press(KeyCode::Char('1'));
    assert!(h.render().contains("已完成"), "{}", h.render());
    assert_eq!(
        tickets(&h),
        [("T001".to_string(), TicketState::Waiting)],
        "finished; today's list goes on"
    );
    // Yesterday's second ticket is not carried over (numbers restart each day).
    h.press(KeyCode::Char('n'));
    assert_eq!(tickets(&h)[0], ("T001".into(), TicketState::Called));
}
