//! Dialogs over a screen: the picker list, route override, transfer, finish, reprint and the
//! draft offer.

use super::{boxed, centered, label_of, route_label};
use crate::domain::Route;
use crate::domain::{Outcome, PrintKind};
use crate::tui::app::{App, Popup};
use crate::tui::form::{Kind, Value, options};
use crate::tui::strings::fill;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

fn list_lines(items: &[String], cursor: Option<usize>) -> Vec<Line<'static>> {
    items
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if Some(i) == cursor {
                Line::styled(
                    format!("▶{t}"),
                    Style::new().add_modifier(Modifier::REVERSED),
                )
            } else {
                Line::raw(format!(" {t}"))
            }
        })
        .collect()
}

fn show(f: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>, min_w: u16) -> Rect {
    let w = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(10)
        .max(title.width() + 4) as u16
        + 4;
    let w = w.max(min_w);
    let h = lines.len() as u16 + 2;
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .block(boxed(title))
            .wrap(Wrap { trim: false }),
        r,
    );
    r
}

fn route_list(app: &App, chosen: Option<Route>, routes: &[Route]) -> Vec<String> {
    routes
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mark = if Some(*r) == chosen { "●" } else { "○" };
            format!("{} {mark} {}", i + 1, route_label(app.settings.lang, *r))
        })
        .collect()
}

pub fn draw(app: &App, popup: &Popup, f: &mut Frame, area: Rect) {
    let s = app.s;
    let c = s.colon;
    let lang = app.settings.lang;
    match popup {
        Popup::Picker { field, cursor } => {
            let (list, multi) = match field.kind() {
                Kind::Pick(l, _) => (l, false),
                Kind::Multi(l) => (l, true),
                _ => return,
            };
            let chosen: Vec<String> = match app.intake.form.value(*field) {
                Value::Multi(m) => m.clone(),
                Value::Pick(Some(p)) => vec![p.clone()],
                _ => vec![],
            };
            let items: Vec<String> = options(list, &app.intake.form)
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let on = chosen.iter().any(|c| c == o.0);
                    let mark = match (multi, on) {
                        (true, true) => "[x]",
                        (true, false) => "[ ]",
                        (false, true) => "●",
                        (false, false) => "○",
                    };
                    let key = if list == crate::tui::form::PickList::Category {
                        o.0.trim_start_matches("LD").to_string()
                    } else {
                        (i + 1).to_string()
                    };
                    format!("{key:>2} {mark} {}", label_of(lang, o.1, o.2))
                })
                .collect();
            let mut lines = list_lines(&items, Some(*cursor));
            lines.push(Line::styled(
                s.picker_hint,
                Style::new().add_modifier(Modifier::DIM),
            ));
            show(f, area, (s.label)(*field), lines, 0);
        }
        Popup::Override { route, reason } => {
            let mut lines: Vec<Line> = route_list(app, *route, Route::ALL)
                .into_iter()
                .map(Line::raw)
                .collect();
            lines.push(Line::raw(format!(
                "{}{c}{}",
                s.override_reason,
                reason.text()
            )));
            lines.push(Line::styled(
                s.override_hint,
                Style::new().add_modifier(Modifier::DIM),
            ));
            let r = show(f, area, s.override_title, lines, 40);
            set_reason_cursor(
                f,
                r,
                Route::ALL.len(),
                s.override_reason,
                reason.cursor_column(),
            );
        }
        Popup::Transfer {
            route,
            reason,
            ticket,
        } => {
            let routes: Vec<Route> = Route::ALL
                .iter()
                .copied()
                .filter(|r| *r != Route::Referral)
                .collect();
            let mut lines: Vec<Line> = route_list(app, *route, &routes)
                .into_iter()
                .map(Line::raw)
                .collect();
            lines.push(Line::raw(format!(
                "{}{c}{}",
                s.transfer_reason,
                reason.text()
            )));
            lines.push(Line::styled(
                s.transfer_hint,
                Style::new().add_modifier(Modifier::DIM),
            ));
            let title = format!("{} {} →", ticket, s.transfer_title);
            let r = show(f, area, &title, lines, 40);
            set_reason_cursor(
                f,
                r,
                routes.len(),
                s.transfer_reason,
                reason.cursor_column(),
            );
        }
        Popup::Finish { ticket, cursor } => {
            let items: Vec<String> = Outcome::ALL
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{} {}", i + 1, o.label(app.settings.lang)))
                .collect();
            show(
                f,
                area,
                &format!("{ticket} {}", s.finish_title),
                list_lines(&items, Some(*cursor)),
                30,
            );
        }
        Popup::Reprint { case_no, cursor } => {
            let items: Vec<String> = PrintKind::ALL
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{} {}", i + 1, p.label(app.settings.lang)))
                .collect();
            show(
                f,
                area,
                &format!("{} {case_no}", s.reprint_title),
                list_lines(&items, Some(*cursor)),
                30,
            );
        }
        Popup::DraftOffer(d) => {
            let text = fill(
                s.draft_found,
                &[
                    ("t", &d.saved_at.format("%Y-%m-%d %H:%M").to_string()),
                    ("staff", d.staff.as_deref().unwrap_or("—")),
                ],
            );
            let w = (text.width() as u16 + 4)
                .min(area.width.saturating_sub(4))
                .max(20);
            let rows = (text.width() as u16).div_ceil(w.saturating_sub(2).max(1));
            let r = centered(area, w, rows + 2);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(text)
                    .block(boxed(s.screen_intake))
                    .wrap(Wrap { trim: false }),
                r,
            );
        }
    }
}

fn set_reason_cursor(f: &mut Frame, r: Rect, row: usize, label: &str, col: usize) {
    // The colon after the label is two columns in either language (`：` or `: `).
    let x = r.x + 2 + (label.width() + 2 + col) as u16;
    let y = r.y + 1 + row as u16;
    if x < r.x + r.width && y < r.y + r.height {
        f.set_cursor_position(Position::new(x, y));
    }
}
