//! Search by case number, name or phone; names and phones are masked in the list. Enter searches;
//! Enter again on the same words opens the selected case.

use super::{pad, route_label, truncate};
use crate::app::CaseSummary;
use crate::domain::mask::{mask_name, mask_phone};
use crate::tui::app::{Ctx, Reply, Screen};
use crate::tui::effect::Request;
use crate::tui::keys::{edit_text, list_move};
use crate::tui::text_input::TextInput;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default)]
pub struct State {
    pub query: TextInput,
    /// The words the results are for.
    pub searched_for: Option<String>,
    pub results: Vec<CaseSummary>,
    pub selected: usize,
}

impl State {
    pub fn found(&mut self, results: Vec<CaseSummary>) {
        self.results = results;
        self.selected = 0;
    }

    pub fn on_key(&mut self, k: KeyEvent) -> Reply {
        match k.code {
            KeyCode::Esc => Reply::Show(Screen::Queue),
            KeyCode::Up | KeyCode::Down => {
                self.selected = list_move(self.selected, self.results.len(), &k);
                Reply::Nothing
            }
            KeyCode::Enter => {
                let q = self.query.text().trim().to_string();
                if self.searched_for.as_deref() == Some(q.as_str())
                    && let Some(hit) = self.results.get(self.selected)
                {
                    return Reply::call(Request::CaseView(hit.case_no.clone()));
                }
                if q.is_empty() {
                    return Reply::Nothing;
                }
                self.searched_for = Some(q.clone());
                Reply::call(Request::Search(q))
            }
            _ => {
                edit_text(&mut self.query, &k);
                Reply::Nothing
            }
        }
    }

    pub fn on_paste(&mut self, text: &str) -> Reply {
        self.query.insert_str(text);
        Reply::Nothing
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, place_cursor: bool) {
        let s = ctx.s;
        let lang = ctx.lang();
        let [input, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        let c = s.colon;
        let prompt = format!(" {}{c}", s.search_prompt);
        let (shown, col) = self
            .query
            .view((input.width as usize).saturating_sub(prompt.width() + 1));
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(prompt.clone(), Style::new().add_modifier(Modifier::BOLD)),
                Span::styled(shown, Style::new().add_modifier(Modifier::UNDERLINED)),
            ])),
            input,
        );
        if place_cursor {
            f.set_cursor_position(Position::new(
                input.x + (prompt.width() + col) as u16,
                input.y,
            ));
        }
        let fixed = [20usize, 10, 12, 24];
        let rest =
            (list.width as usize).saturating_sub(2 + fixed.iter().sum::<usize>() + fixed.len());
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
        let start = (self.selected + 1).saturating_sub(rows);
        for (i, hit) in self.results.iter().enumerate().skip(start).take(rows) {
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
            if i == self.selected {
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
}
