//! The list of a picker field of the intake form: one code to choose (Enter), or several to turn
//! on and off (Space).

use super::{Answer, list_lines, show};
use crate::tui::app::{Ctx, Reply};
use crate::tui::form::{FieldId, Form, Kind, PickList, Value, options};
use crate::tui::keys::list_move;
use crate::tui::screens::intake::Edit;
use crate::tui::screens::label_of;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

#[derive(Debug, Clone)]
pub struct Picker {
    field: FieldId,
    /// The highlighted option.
    cursor: usize,
}

impl Picker {
    pub fn new(field: FieldId, cursor: usize) -> Picker {
        Picker { field, cursor }
    }

    /// The field's list, and whether it takes many codes.
    fn list(&self) -> Option<(PickList, bool)> {
        match self.field.kind() {
            Kind::Pick(list, _) => Some((list, false)),
            Kind::Multi(list) => Some((list, true)),
            _ => None,
        }
    }

    pub fn on_key(&mut self, k: KeyEvent, form: &Form) -> Answer {
        let Some((list, multi)) = self.list() else {
            return Answer::Close(Reply::Nothing);
        };
        let opts = options(list, form);
        let code = opts.get(self.cursor).map(|o| o.0);
        match k.code {
            KeyCode::Esc => Answer::Close(Reply::Nothing),
            KeyCode::Enter if !multi => Answer::Close(Reply::Edit(Edit::Pick(self.field, code))),
            KeyCode::Enter => Answer::Close(Reply::Nothing),
            KeyCode::Char(' ') if multi => {
                Answer::Stay(Reply::Edit(Edit::Toggle(self.field, code)))
            }
            _ => {
                self.cursor = list_move(self.cursor, opts.len(), &k);
                Answer::Stay(Reply::Nothing)
            }
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, form: &Form) {
        let Some((list, multi)) = self.list() else {
            return;
        };
        let s = ctx.s;
        let chosen: Vec<String> = match form.value(self.field) {
            Value::Multi(m) => m.clone(),
            Value::Pick(Some(p)) => vec![p.clone()],
            _ => vec![],
        };
        let items: Vec<String> = options(list, form)
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
                let key = if list == PickList::Category {
                    o.0.trim_start_matches("LD").to_string()
                } else {
                    (i + 1).to_string()
                };
                format!("{key:>2} {mark} {}", label_of(ctx.lang(), o.1, o.2))
            })
            .collect();
        let mut lines = list_lines(&items, Some(self.cursor));
        lines.push(Line::styled(
            s.picker_hint,
            Style::new().add_modifier(Modifier::DIM),
        ));
        show(f, area, (s.label)(self.field), lines, 0);
    }
}
