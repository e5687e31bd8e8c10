//! Drawing the intake form: the section tabs, the fields of the focused section with their
//! problems, and the decision panel beside the form on a wide terminal, under it on an 80-column
//! one.

use super::State;
use crate::domain::Problem;
use crate::i18n::fill;
use crate::tui::app::Ctx;
use crate::tui::form::{FieldId, Kind, PickList, Section, Value, options};
use crate::tui::screens::{label_of, pad, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Width from which the decision panel sits beside the form.
const SIDE_PANEL_FROM: u16 = 110;
const PANEL_WIDTH: u16 = 44;

impl State {
    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, place_cursor: bool) {
        if area.width >= SIDE_PANEL_FROM {
            let [form, panel] =
                Layout::horizontal([Constraint::Min(40), Constraint::Length(PANEL_WIDTH)])
                    .areas(area);
            self.draw_form(f, form, ctx, place_cursor);
            self.draw_panel(f, panel, ctx, false);
        } else {
            let [form, panel] =
                Layout::vertical([Constraint::Min(8), Constraint::Length(6)]).areas(area);
            self.draw_form(f, form, ctx, place_cursor);
            self.draw_panel(f, panel, ctx, true);
        }
    }

    /// The problems to show at a field: only once the clerk has left it (or tried to submit).
    fn problems_at(&self, id: FieldId) -> Vec<(&Problem, bool)> {
        let path = id.path();
        let touched = self.touched.contains(&path);
        let d = &self.decision;
        let matches = |p: &Problem| {
            (p.field == path && touched)
                || id
                    .also_shows()
                    .iter()
                    .any(|g| p.field == *g && self.touched.contains(*g))
        };
        d.errors
            .iter()
            .filter(|p| matches(p))
            .map(|p| (p, true))
            .chain(d.warnings.iter().filter(|p| matches(p)).map(|p| (p, false)))
            .collect()
    }

    /// The value as shown when the field is not being edited.
    fn value_text(&self, ctx: &Ctx, id: FieldId) -> String {
        let lang = ctx.lang();
        let s = ctx.s;
        let form = &self.form;
        match (id.kind(), form.value(id)) {
            (_, Value::Text(t)) => t.text().to_string(),
            (Kind::Pick(list, _), Value::Pick(Some(code))) => options(list, form)
                .iter()
                .find(|o| o.0 == code)
                .map(|o| {
                    if matches!(list, PickList::ClaimCategory) {
                        format!("{} {}", o.0, label_of(lang, o.1, o.2))
                    } else {
                        label_of(lang, o.1, o.2).to_string()
                    }
                })
                .unwrap_or_else(|| code.clone()),
            (_, Value::Pick(None)) => s.none_chosen.to_string(),
            (Kind::Multi(list), Value::Multi(m)) if m.is_empty() => {
                let _ = list;
                s.none_chosen.to_string()
            }
            (Kind::Multi(list), Value::Multi(m)) => {
                let opts = options(list, form);
                m.iter()
                    .map(|c| {
                        let l = opts
                            .iter()
                            .find(|o| o.0 == c)
                            .map_or("", |o| label_of(lang, o.1, o.2));
                        if list == PickList::Category {
                            format!("{c} {l}")
                        } else {
                            l.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(s.choices_sep)
            }
            (_, Value::Tri(Some(true))) => s.yes.to_string(),
            (_, Value::Tri(Some(false))) => s.no.to_string(),
            (_, Value::Tri(None)) => s.not_given.to_string(),
            (Kind::Button, _) => s.add_claim.to_string(),
            _ => String::new(),
        }
    }

    fn section_tabs(&self, ctx: &Ctx, current: Section, width: u16) -> Line<'static> {
        let mut spans = vec![];
        for (i, sec) in Section::ALL.iter().enumerate() {
            let name = ctx.s.sections[i];
            let errs = self
                .form
                .fields_of(*sec)
                .iter()
                .any(|id| self.problems_at(*id).iter().any(|(_, e)| *e));
            let text = if errs {
                format!(" {name}✗ ")
            } else {
                format!(" {name} ")
            };
            let style = if *sec == current {
                Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            } else if errs {
                Style::new().fg(Color::Red)
            } else {
                Style::new()
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        let _ = width;
        Line::from(spans)
    }

    fn draw_form(&self, f: &mut Frame, area: Rect, ctx: &Ctx, place_cursor: bool) {
        let focus = self.focus;
        let section = focus.section();
        let fields = self.form.fields_of(section);
        let [tabs, list, msg] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        f.render_widget(
            Paragraph::new(self.section_tabs(ctx, section, tabs.width)),
            tabs,
        );

        let rows = list.height as usize;
        let focus_idx = fields.iter().position(|id| *id == focus).unwrap_or(0);
        let start = (focus_idx + 1).saturating_sub(rows);
        let label_w = 22usize;
        let total = list.width as usize;
        let value_w = (total.saturating_sub(label_w + 3)).min(34);
        let msg_w = total.saturating_sub(label_w + 3 + value_w + 1);
        let mut lines = vec![];
        let mut cursor = None;
        for (row, id) in fields.iter().enumerate().skip(start).take(rows) {
            let focused = *id == focus;
            let problems = self.problems_at(*id);
            let marker = if focused { "▶" } else { " " };
            let label = label_for(ctx, *id);
            let label_style = match problems.first() {
                Some((_, true)) => Style::new().fg(Color::Red),
                Some((_, false)) => Style::new().fg(Color::Yellow),
                None if focused => Style::new().add_modifier(Modifier::BOLD),
                None => Style::new(),
            };
            let value = if focused && id.kind().is_typed() {
                match self.form.value(*id) {
                    Value::Text(t) => {
                        let (shown, col) = t.view(value_w.saturating_sub(1));
                        cursor = Some(((label_w + 3 + col) as u16, (row - start) as u16));
                        shown
                    }
                    _ => String::new(),
                }
            } else {
                let mut v = self.value_text(ctx, *id);
                if focused && *id == FieldId::Categories && !self.digits.is_empty() {
                    v = format!("LD{}_ {v}", self.digits);
                }
                truncate(&v, value_w)
            };
            let value_style = if focused {
                Style::new().add_modifier(Modifier::UNDERLINED)
            } else if matches!(self.form.value(*id), Value::Tri(None) | Value::Pick(None))
                || (matches!(self.form.value(*id), Value::Multi(m) if m.is_empty()))
            {
                Style::new().fg(Color::DarkGray)
            } else {
                Style::new()
            };
            let mut spans = vec![
                Span::raw(marker),
                Span::styled(pad(&label, label_w), label_style),
                Span::raw("  "),
                Span::styled(pad(&value, value_w), value_style),
            ];
            if let Some((p, is_err)) = problems.first()
                && msg_w > 6
            {
                let text = (ctx.s.problem)(&p.code, &p.message);
                let mark = if *is_err { "✗" } else { "!" };
                spans.push(Span::styled(
                    truncate(&format!(" {mark}{text}"), msg_w),
                    Style::new().fg(if *is_err { Color::Red } else { Color::Yellow }),
                ));
            }
            lines.push(Line::from(spans));
        }
        f.render_widget(Paragraph::new(lines), list);
        if let Some((x, y)) = cursor
            && place_cursor
        {
            f.set_cursor_position(Position::new(list.x + x, list.y + y));
        }
        // The focused field's problems in full (the row may have cut them).
        let focused_problems = self.problems_at(focus);
        if let Some((p, is_err)) = focused_problems.first() {
            let text = (ctx.s.problem)(&p.code, &p.message);
            f.render_widget(
                Paragraph::new(truncate(
                    &format!(" {} {text}", (ctx.s.label)(focus)),
                    msg.width as usize,
                ))
                .style(Style::new().fg(if *is_err {
                    Color::Red
                } else {
                    Color::Yellow
                })),
                msg,
            );
        }
    }
}

/// A field's label as the form shows it: claim rows numbered, their fields indented under them.
pub(super) fn label_for(ctx: &Ctx, id: FieldId) -> String {
    let l = (ctx.s.label)(id);
    match id {
        FieldId::ClaimCategory(i) => {
            format!(
                "{} {l}",
                fill(ctx.s.claim_row, &[("n", &(i + 1).to_string())])
            )
        }
        FieldId::ClaimAmount(_) | FieldId::ClaimKnownOn(_) => format!("  {l}"),
        _ => l.to_string(),
    }
}
