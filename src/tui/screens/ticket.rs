//! The ticket just issued, its number drawn large so the worker can read it from the counter.
//! Enter starts the next intake; `p` prints the paper again.

use super::{centered, route_label};
use crate::app::Issued;
use crate::i18n::fill;
use crate::tui::app::{Ctx, Reply, Screen};
use crate::tui::popups::Reprint;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// A 5-row block font for what ticket numbers are made of.
fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' => ["███", "█ █", "█ █", "█ █", "███"],
        '1' => [" █ ", "██ ", " █ ", " █ ", "███"],
        '2' => ["███", "  █", "███", "█  ", "███"],
        '3' => ["███", "  █", "███", "  █", "███"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "███", "  █", "███"],
        '6' => ["███", "█  ", "███", "█ █", "███"],
        '7' => ["███", "  █", "  █", "  █", "  █"],
        '8' => ["███", "█ █", "███", "█ █", "███"],
        '9' => ["███", "█ █", "███", "  █", "███"],
        'T' => ["███", " █ ", " █ ", " █ ", " █ "],
        'R' => ["██ ", "█ █", "██ ", "█ █", "█ █"],
        'J' => ["  █", "  █", "  █", "█ █", "███"],
        'Z' => ["███", "  █", " █ ", "█  ", "███"],
        'A' => ["███", "█ █", "███", "█ █", "█ █"],
        'B' => ["██ ", "█ █", "██ ", "█ █", "██ "],
        'C' => ["███", "█  ", "█  ", "█  ", "███"],
        'D' => ["██ ", "█ █", "█ █", "█ █", "██ "],
        'E' => ["███", "█  ", "███", "█  ", "███"],
        'F' => ["███", "█  ", "███", "█  ", "█  "],
        'G' => ["███", "█  ", "█ █", "█ █", "███"],
        'H' => ["█ █", "█ █", "███", "█ █", "█ █"],
        'K' => ["█ █", "█ █", "██ ", "█ █", "█ █"],
        'L' => ["█  ", "█  ", "█  ", "█  ", "███"],
        'M' => ["█ █", "███", "███", "█ █", "█ █"],
        'N' => ["██ ", "█ █", "█ █", "█ █", "█ █"],
        'P' => ["███", "█ █", "███", "█  ", "█  "],
        'S' => ["███", "█  ", "███", "  █", "███"],
        'X' => ["█ █", "█ █", " █ ", "█ █", "█ █"],
        'Y' => ["█ █", "█ █", " █ ", " █ ", " █ "],
        _ => ["   ", "   ", " ▄ ", "   ", "   "],
    }
}

/// The ticket number as five lines of block letters, each glyph doubled in width.
pub fn big(text: &str) -> Vec<String> {
    (0..5)
        .map(|row| {
            text.chars()
                .map(|c| {
                    glyph(c)[row]
                        .chars()
                        .flat_map(|p| [p, p])
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("  ")
        })
        .collect()
}

pub fn on_key(issued: Option<&Issued>, k: KeyEvent) -> Reply {
    match k.code {
        KeyCode::Enter => Reply::Show(Screen::Intake),
        KeyCode::Char('p') => Reprint::open(issued.map(|i| i.case_no.clone())),
        _ => Reply::Nothing,
    }
}

pub fn draw(issued: &Issued, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let s = ctx.s;
    let mut lines: Vec<Line> = vec![];
    let bold = Style::new().add_modifier(Modifier::BOLD);
    match &issued.ticket {
        Some(t) => {
            lines.push(Line::styled(s.ticket_title, bold));
            lines.push(Line::raw(""));
            for row in big(t.as_str()) {
                lines.push(Line::styled(row, Style::new().fg(Color::Cyan)));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(t.to_string(), bold));
            if let Some(r) = issued.route {
                lines.push(Line::raw(route_label(ctx.lang(), r)));
            }
            lines.push(Line::raw(fill(
                s.people_ahead,
                &[("n", &issued.people_ahead.to_string())],
            )));
        }
        None => {
            lines.push(Line::styled(s.no_ticket, bold));
            if let Some(r) = issued.route {
                lines.push(Line::raw(route_label(ctx.lang(), r)));
            }
        }
    }
    lines.push(Line::raw(""));
    let c = s.colon;
    lines.push(Line::raw(format!("{}{c}{}", s.case_no, issued.case_no)));
    lines.push(Line::raw(format!(
        "{}  {}",
        issued.at.format("%Y-%m-%d %H:%M"),
        s.printing
    )));
    let h = lines.len() as u16;
    let r = centered(area, area.width, h);
    f.render_widget(Paragraph::new(lines).alignment(Alignment::Center), r);
}
