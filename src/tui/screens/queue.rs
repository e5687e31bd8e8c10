//! The window's queue: tickets with wait times and flags; names masked (the screen faces the room).
//! The clerk calls the next ticket, recalls, marks a no-show, starts, transfers and finishes the
//! ticket the window holds, and opens a case or reprints its paper from the selected row.

use super::{flag_label, pad, route_label, truncate};
use crate::app::QueueEntry;
use crate::app::queue::TicketOp;
use crate::domain::Flag;
use crate::domain::TicketState;
use crate::domain::mask::mask_name;
use crate::i18n::fill;
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::Request;
use crate::tui::keys::list_move;
use crate::tui::popups::{Confirm, Confirmed, Finish, Popup, Reprint, Transfer};
use crossterm::event::{KeyCode, KeyEvent};
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

#[derive(Debug, Clone, Default)]
pub struct State {
    pub entries: Vec<QueueEntry>,
    pub selected: usize,
    /// The list could not be read (the database is away): what shows may be out of date, and
    /// an empty list means "unknown", not "nobody waiting".
    pub unknown: bool,
}

impl State {
    /// The list as the services gave it; the selection stays in it, on the held ticket if any.
    pub fn load(&mut self, entries: Vec<QueueEntry>) {
        self.unknown = false;
        self.entries = entries;
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
        if let Some(i) = self.entries.iter().position(QueueEntry::is_held) {
            self.selected = i;
        }
    }

    fn selected_entry(&self) -> Option<&QueueEntry> {
        self.entries.get(self.selected)
    }

    /// The ticket this window holds (called or being served): recall, no-show, start and finish
    /// act on it whatever the selection, since they mean nothing for a ticket still waiting.
    fn held_entry(&self) -> Option<&QueueEntry> {
        self.entries.iter().find(|e| e.is_held())
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Reply {
        if ctx.staff.is_none() {
            return Reply::Nothing;
        }
        let at = ctx.now;
        let op = |op: TicketOp| match self.held_entry() {
            Some(e) => Reply::call(Request::Ticket {
                op,
                ticket: e.ticket.clone(),
                at,
            }),
            None => Reply::Error(ctx.s.nothing_held.to_string()),
        };
        match k.code {
            KeyCode::Up | KeyCode::Down | KeyCode::Home | KeyCode::End => {
                self.selected = list_move(self.selected, self.entries.len(), &k);
                Reply::Nothing
            }
            KeyCode::Char('n') => match self.held_entry() {
                // Refused here and again by the service: a window holds one ticket at a time.
                Some(e) => Reply::Error(fill(ctx.s.window_busy, &[("t", e.ticket.as_str())])),
                None => Reply::call(Request::CallNext { at }),
            },
            KeyCode::Char('r') => op(TicketOp::Recall),
            KeyCode::Char('x') => match self.held_entry() {
                Some(e) => Reply::Open(Popup::Confirm(Confirm::new(Confirmed::NoShow(
                    e.ticket.clone(),
                )))),
                None => Reply::Error(ctx.s.nothing_held.to_string()),
            },
            KeyCode::Char('s') => op(TicketOp::Start),
            KeyCode::Char('g') | KeyCode::F(5) => Reply::call(Request::Queue { at }),
            KeyCode::Char('t') => match self.selected_entry() {
                Some(e) => Reply::Open(Popup::Transfer(Transfer::new(e.ticket.clone()))),
                None => Reply::Nothing,
            },
            KeyCode::Char('f') => match self.held_entry() {
                Some(e) => Reply::Open(Popup::Finish(Finish::new(e.ticket.clone(), e.route))),
                None => Reply::Error(ctx.s.nothing_held.to_string()),
            },
            KeyCode::Char('p') => {
                Reprint::open(self.selected_entry().and_then(|e| e.case_no.clone()))
            }
            KeyCode::Enter => match self.selected_entry().and_then(|e| e.case_no.clone()) {
                Some(c) => Reply::call(Request::CaseView(c)),
                None => Reply::Nothing,
            },
            _ => Reply::Nothing,
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = ctx.s;
        let lang = ctx.lang();
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
        if self.unknown {
            lines.push(Line::styled(
                format!("  {}", s.queue_unknown),
                Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ));
        } else if self.entries.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("  {}", s.queue_empty),
                Style::new().fg(Color::DarkGray),
            ));
        }
        let rows = area.height.saturating_sub(1) as usize;
        let start = (self.selected + 1).saturating_sub(rows);
        for (i, e) in self.entries.iter().enumerate().skip(start).take(rows) {
            let wait = (ctx.now - e.issued_at).num_minutes().max(0);
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
            let marker = if i == self.selected {
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
}
