//! The window's queue: tickets with wait times and flags; names masked (the screen faces the room).

use super::{flag_label, pad, route_label, truncate};
use crate::domain::Flag;
use crate::domain::TicketState;
use crate::domain::mask::mask_name;
use crate::tui::app::App;
use crate::tui::strings::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Flags worth a glance in a queue row (the case view has them all).
const SHOWN: [Flag; 7] = [
    Flag::ChildLabor,
    Flag::Major,
    Flag::Escalating,
    Flag::Collective,
    Flag::TimeBarNear,
    Flag::Minor,
    Flag::Migrant,
];

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let s = app.s;
    let lang = app.settings.lang;
    let wide = area.width >= 110;
    let widths: [usize; 6] = if wide {
        [8, 22, 8, 34, 12, 10]
    } else {
        [6, 18, 7, 19, 10, 10]
    };
    let header: String = s
        .queue_headers
        .iter()
        .zip(widths)
        .map(|(h, w)| pad(h, w))
        .collect::<Vec<_>>()
        .join(" ");
    let mut lines = vec![Line::styled(
        format!("  {header}"),
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )];
    if app.queue.entries.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("  {}", s.queue_empty),
            Style::new().fg(Color::DarkGray),
        ));
    }
    let rows = area.height.saturating_sub(1) as usize;
    let start = (app.queue.selected + 1).saturating_sub(rows);
    for (i, e) in app.queue.entries.iter().enumerate().skip(start).take(rows) {
        let wait = (app.now - e.issued_at).num_minutes().max(0);
        let mut flags: Vec<&str> = SHOWN
            .iter()
            .filter(|fl| e.flags.contains(fl))
            .map(|fl| flag_label(lang, *fl))
            .collect();
        if e.priority {
            flags.insert(0, "★");
        }
        let cells = [
            e.ticket.to_string(),
            route_label(lang, e.route).to_string(),
            fill(s.minutes, &[("n", &wait.to_string())]),
            flags.join(" "),
            mask_name(&e.applicant_name),
            e.state.label(lang).to_string(),
        ];
        let text: String = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| pad(&truncate(c, w), w))
            .collect::<Vec<_>>()
            .join(" ");
        let mut style = match e.state {
            TicketState::Called => Style::new().fg(Color::Cyan),
            TicketState::Serving => Style::new().fg(Color::Green),
            _ if e.priority => Style::new().fg(Color::Yellow),
            _ => Style::new(),
        };
        let marker = if i == app.queue.selected {
            style = style.add_modifier(Modifier::REVERSED);
            "▶ "
        } else {
            "  "
        };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(text, style),
        ]));
    }
    f.render_widget(Paragraph::new(lines), area);
}
