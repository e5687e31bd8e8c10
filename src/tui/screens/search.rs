//! Search by case number, name or phone; names and phones are masked in the list.

use super::{pad, route_label, truncate};
use crate::domain::mask::{mask_name, mask_phone};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let s = app.s;
    let lang = app.settings.lang;
    let [input, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let c = s.colon;
    let prompt = format!(" {}{c}", s.search_prompt);
    let (shown, col) = app
        .search
        .query
        .view((input.width as usize).saturating_sub(prompt.width() + 1));
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt.clone(), Style::new().add_modifier(Modifier::BOLD)),
            Span::styled(shown, Style::new().add_modifier(Modifier::UNDERLINED)),
        ])),
        input,
    );
    if app.popup.is_none() && !app.help {
        f.set_cursor_position(Position::new(
            input.x + (prompt.width() + col) as u16,
            input.y,
        ));
    }
    let fixed = [20usize, 10, 12, 24];
    let rest = (list.width as usize).saturating_sub(2 + fixed.iter().sum::<usize>() + fixed.len());
    let widths = [fixed[0], fixed[1], fixed[2], fixed[3], rest.max(4)];
    let header = s
        .search_headers
        .iter()
        .zip(widths)
        .map(|(h, w)| pad(h, w))
        .collect::<Vec<_>>()
        .join(" ");
    let mut lines = vec![Line::styled(
        format!("  {header}"),
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )];
    let rows = list.height.saturating_sub(1) as usize;
    let start = (app.search.selected + 1).saturating_sub(rows);
    for (i, hit) in app.search.results.iter().enumerate().skip(start).take(rows) {
        let cells = [
            hit.case_no.to_string(),
            mask_name(&hit.applicant_name),
            mask_phone(&hit.phone),
            hit.counterparty_name.clone(),
            hit.route.map_or("—", |r| route_label(lang, r)).to_string(),
        ];
        let text = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| pad(&truncate(c, w), w))
            .collect::<Vec<_>>()
            .join(" ");
        if i == app.search.selected {
            lines.push(Line::styled(
                format!("▶ {text}"),
                Style::new().add_modifier(Modifier::REVERSED),
            ));
        } else {
            lines.push(Line::raw(format!("  {text}")));
        }
    }
    f.render_widget(Paragraph::new(lines), list);
}
