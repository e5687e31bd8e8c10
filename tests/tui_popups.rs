//! No wide character is cut by a popup: at 80×24, with Chinese text under it at either column
//! parity (so a character straddles the popup's left edge one way or the other), every popup
//! the kiosk opens keeps its whole left border as a terminal shows it. A terminal draws a wide
//! character over two cells; one left just outside the popup would cover the border's column.
//!
//! The popups are opened by the keys a clerk presses; each is then drawn over a screen filled
//! with Chinese, and the frame is read back the way a terminal lays it out.

#[path = "tui_common/mod.rs"]
mod common;

use crossterm::event::KeyCode;
use onewindow::config::Lang;
use onewindow::tui::harness::Harness;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// Each row as a terminal lays it out: (column, symbol) of every symbol it draws; the cell after
/// a wide character is covered by it and never drawn.
fn terminal_rows(buf: &Buffer) -> Vec<Vec<(u16, String)>> {
    let a = buf.area;
    (a.y..a.bottom())
        .map(|y| {
            let mut row = vec![];
            let mut x = a.x;
            while x < a.right() {
                let sym = buf[(x, y)].symbol().to_string();
                let w = sym.width().max(1) as u16;
                row.push((x, sym));
                x += w;
            }
            row
        })
        .collect()
}

/// The popup's box: its top-left corner (the first `┌` below the title row) and height.
fn popup_box(rows: &[Vec<(u16, String)>]) -> (u16, usize, usize) {
    let (top, x) = rows
        .iter()
        .enumerate()
        .find_map(|(y, r)| r.iter().find(|(_, s)| s == "┌").map(|(x, _)| (y, *x)))
        .expect("a popup box");
    let bottom = rows
        .iter()
        .enumerate()
        .skip(top)
        .find(|(_, r)| r.iter().any(|(cx, s)| *cx == x && s == "└"))
        .map(|(y, _)| y)
        .expect("the box's bottom-left corner");
    (x, top, bottom)
}

/// Draws the open popup over Chinese text shifted by `shift` columns and checks its left border.
fn border_intact(h: &Harness, name: &str) {
    let popup = h
        .app
        .popup
        .as_ref()
        .unwrap_or_else(|| panic!("{name}: no popup open"));
    for shift in 0..2u16 {
        let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        let frame = t
            .draw(|f| {
                let area = f.area();
                let line = format!(
                    "{}{}",
                    " ".repeat(shift as usize),
                    "劳动争议调解仲裁".repeat(10)
                );
                let text: Vec<String> = (0..area.height).map(|_| line.clone()).collect();
                f.render_widget(Paragraph::new(text.join("\n")), area);
                let body = Rect::new(0, 1, area.width, area.height - 3);
                popup.draw(f, body, &h.app.ctx(), &h.app.intake.form);
            })
            .expect("draw");
        let rows = terminal_rows(frame.buffer);
        let (x, top, bottom) = popup_box(&rows);
        for (y, row) in rows.iter().enumerate().take(bottom + 1).skip(top) {
            let at_x = row.iter().find(|(cx, _)| *cx == x).map(|(_, s)| s.as_str());
            assert!(
                matches!(at_x, Some("┌" | "│" | "└")),
                "{name} (shift {shift}): row {y} has no left border at column {x}: {:?}",
                row.iter().map(|(_, s)| s.as_str()).collect::<String>()
            );
        }
    }
}

#[test]
fn every_popup_keeps_its_left_border_over_chinese_text() {
    for lang in [Lang::Zh, Lang::En] {
        let mut h = common::demo_harness(lang, 80, 24);
        common::sign_in(&mut h);
        // Intake: the picker of a one-choice field, the route override, the discard question.
        h.press(KeyCode::Tab);
        h.press(KeyCode::Enter);
        border_intact(&h, "picker");
        h.press(KeyCode::Esc);
        h.press(KeyCode::F(7));
        border_intact(&h, "override");
        h.press(KeyCode::Esc);
        h.press(KeyCode::BackTab);
        h.type_text("王丽");
        h.press(KeyCode::Esc);
        border_intact(&h, "confirm discard");
        h.press(KeyCode::Char('n'));
        h.ctrl('q');
        border_intact(&h, "confirm quit");
        h.press(KeyCode::Char('n'));
        // Queue: transfer, no-show question, finish, reprint.
        h.press(KeyCode::F(3));
        h.press(KeyCode::Char('n'));
        h.press(KeyCode::Char('t'));
        border_intact(&h, "transfer");
        h.press(KeyCode::Esc);
        h.press(KeyCode::Char('x'));
        border_intact(&h, "confirm no-show");
        h.press(KeyCode::Char('n'));
        h.press(KeyCode::Char('s'));
        h.press(KeyCode::Char('f'));
        border_intact(&h, "finish");
        h.press(KeyCode::Esc);
        h.press(KeyCode::Char('p'));
        border_intact(&h, "reprint");
        h.press(KeyCode::Esc);
    }
}

/// The help overlay and the real screen under a popup, drawn by the kiosk itself: the title
/// and borders of the popup are all there at 80×24 over the Chinese form.
#[test]
fn the_discard_question_over_the_chinese_form_at_80x24() {
    let mut h = common::harness(Lang::Zh, 80, 24);
    common::sign_in(&mut h);
    h.type_text("王丽");
    h.press(KeyCode::Esc);
    let screen = h.render();
    assert!(screen.contains("┌ 请确认 "), "{screen}");
    assert!(screen.contains("放弃本次登记？"), "{screen}");
    let rows = terminal_rows(h.terminal.backend().buffer());
    let (x, top, bottom) = popup_box(&rows);
    for row in &rows[top..=bottom] {
        assert!(
            row.iter()
                .any(|(cx, s)| *cx == x && matches!(s.as_str(), "┌" | "│" | "└"))
        );
    }
}
