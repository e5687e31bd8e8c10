//! The decision panel: where the case goes as the form stands, or what blocks it, with the flags,
//! deadlines and the rules that decided.

use super::State;
use super::draw::label_for;
use crate::config::Lang;
use crate::domain::{Also, Decision, Flag, Route, Status};
use crate::i18n::fill;
use crate::tui::app::Ctx;
use crate::tui::screens::{flag_label, label_of, route_label, truncate, wrap_width};
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

impl State {
    fn field_label_of_path(&self, ctx: &Ctx, path: &str) -> String {
        self.field_of_path(ctx, path)
            .unwrap_or_else(|| path.to_string())
    }

    /// The form's label for a problem's field, when it is one of the form's fields.
    fn field_of_path(&self, ctx: &Ctx, path: &str) -> Option<String> {
        self.form
            .order()
            .into_iter()
            .find(|id| id.path() == path || id.also_shows().contains(&path))
            .map(|id| label_for(ctx, id).trim().to_string())
    }

    /// The warnings, each as "! field：message" (or the message alone when it is about no one
    /// field, like a missing holiday calendar), in the warning colour.
    fn warning_lines(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        let d = &self.decision;
        if d.warnings.is_empty() {
            return vec![];
        }
        let style = Style::new().fg(Color::Yellow);
        let mut lines = vec![Line::styled(
            fill(ctx.s.warnings_n, &[("n", &d.warnings.len().to_string())]),
            style.add_modifier(Modifier::BOLD),
        )];
        for p in &d.warnings {
            let text = (ctx.s.problem)(&p.code, &p.message);
            let line = match self.field_of_path(ctx, &p.field) {
                Some(label) => format!("! {label}{}{text}", ctx.s.colon),
                None => format!("! {text}"),
            };
            lines.push(Line::styled(line, style));
        }
        lines
    }

    /// A deadline as the panel shows it: the date, and a note when its year has no holiday
    /// calendar (the date may still move for a holiday nobody has announced yet).
    fn deadline_text(ctx: &Ctx, date: chrono::NaiveDate) -> String {
        let mut t = date.format("%Y-%m-%d").to_string();
        if !ctx.settings.site.calendar.has_year(date.year()) {
            let note = fill(ctx.s.no_calendar, &[("y", &date.year().to_string())]);
            t.push_str(&format!(" ({note})"));
        }
        t
    }

    pub(super) fn draw_panel(&self, f: &mut Frame, area: Rect, ctx: &Ctx, compact: bool) {
        let s = ctx.s;
        let lang = ctx.lang();
        let d: &Decision = &self.decision;
        let c = s.colon;
        let mut lines: Vec<Line> = vec![];
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if d.status == Status::Blocked {
            lines.push(Line::styled(
                fill(s.blocked, &[("n", &d.errors.len().to_string())]),
                Style::new().fg(Color::Red),
            ));
            for p in &d.errors {
                lines.push(Line::styled(
                    format!(
                        "· {}{c}{}",
                        self.field_label_of_path(ctx, &p.field),
                        (s.problem)(&p.code, &p.message)
                    ),
                    Style::new().fg(Color::Red),
                ));
            }
        } else {
            let route = d
                .route
                .map(|r| route_label(lang, r).to_string())
                .unwrap_or_default();
            let queue = d
                .queue
                .as_ref()
                .map(|q| fill(s.queue_suffix, &[("q", q)]))
                .unwrap_or_default();
            lines.push(Line::from(vec![
                Span::raw(format!("{}{c}", s.route)),
                Span::styled(format!("{route}{queue}"), bold.fg(Color::Cyan)),
            ]));
            if let Some(r) = d.referral_to {
                lines.push(Line::raw(format!("{}{c}{}", s.referral_to, r.label(lang))));
            }
            if let Some(o) = &self.route_override {
                lines.push(Line::styled(
                    fill(
                        s.overridden,
                        &[("r", route_label(lang, o.route)), ("why", &o.reason)],
                    ),
                    Style::new().fg(Color::Magenta),
                ));
            }
            let flags: Vec<&str> = d.flags.iter().map(|fl| flag_label(lang, *fl)).collect();
            let also: Vec<&str> = d.also.iter().map(|a| a.label(lang)).collect();
            let sep = s.list_sep;
            if compact {
                let mut parts = vec![];
                if !flags.is_empty() {
                    parts.push(format!("{}{c}{}", s.flags, flags.join(sep)));
                }
                if !also.is_empty() {
                    parts.push(format!("{}{c}{}", s.also, also.join(sep)));
                }
                if !parts.is_empty() {
                    lines.push(Line::styled(
                        parts.join("  "),
                        Style::new().fg(Color::Yellow),
                    ));
                }
                let dl: Vec<String> = d
                    .deadlines
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{} {}",
                            label_of(lang, k.zh(), k.en()),
                            Self::deadline_text(ctx, *v)
                        )
                    })
                    .collect();
                if !dl.is_empty() {
                    lines.push(Line::raw(dl.join("  ")));
                }
                for r in &d.reasons {
                    lines.push(Line::styled(
                        format!(
                            "{} {}（{}）",
                            rule_label(lang, &r.rule),
                            r.text_in(lang),
                            r.basis_in(lang)
                        ),
                        Style::new().fg(Color::DarkGray),
                    ));
                }
            } else {
                if !flags.is_empty() {
                    lines.push(Line::styled(
                        format!("{}{c}{}", s.flags, flags.join(sep)),
                        Style::new().fg(Color::Yellow),
                    ));
                }
                if !also.is_empty() {
                    lines.push(Line::raw(format!("{}{c}{}", s.also, also.join(sep))));
                }
                if !d.deadlines.is_empty() {
                    lines.push(Line::styled(format!("{}{c}", s.deadlines), bold));
                    for (k, v) in &d.deadlines {
                        lines.push(Line::raw(format!(
                            "  {} {}",
                            label_of(lang, k.zh(), k.en()),
                            Self::deadline_text(ctx, *v)
                        )));
                    }
                }
                if !d.reasons.is_empty() {
                    lines.push(Line::styled(format!("{}{c}", s.reasons), bold));
                    for r in &d.reasons {
                        lines.push(Line::raw(format!(
                            "{} {}",
                            rule_label(lang, &r.rule),
                            r.text_in(lang)
                        )));
                        lines.push(Line::styled(
                            format!("    {}", r.basis_in(lang)),
                            Style::new().fg(Color::DarkGray),
                        ));
                    }
                }
            }
        }
        // Warnings show whether the record is blocked or routed: they never stop a submit, so
        // the panel is the one place the clerk sees them all.
        lines.extend(self.warning_lines(ctx));
        let block = Block::default()
            .borders(if compact { Borders::TOP } else { Borders::LEFT })
            .title(format!(" {} ", s.decision_title));
        let inner = block.inner(area);
        let width = inner.width as usize;
        let wrapped: Vec<Line> = lines
            .into_iter()
            .flat_map(|l| {
                let style = l.style;
                let spans: Vec<(String, Style)> = l
                    .spans
                    .iter()
                    .map(|sp| (sp.content.to_string(), style.patch(sp.style)))
                    .collect();
                if l.width() <= width {
                    let out: Vec<Span> = spans
                        .into_iter()
                        .map(|(t, st)| Span::styled(t, st))
                        .collect();
                    vec![Line::from(out)]
                } else {
                    let text: String = spans.iter().map(|(t, _)| t.as_str()).collect();
                    let st = spans.first().map_or(style, |(_, st)| *st);
                    wrap_width(&text, width)
                        .into_iter()
                        .map(|t| Line::styled(t, st))
                        .collect()
                }
            })
            .collect();
        // More lines than room: the panel scrolls (Alt-↑/↓), its last row says how.
        let height = inner.height as usize;
        let (shown, footer) = if wrapped.len() > height && height >= 2 {
            let room = height - 1;
            let max = wrapped.len() - room;
            self.panel_max.set(max as u16);
            let top = (self.panel_scroll as usize).min(max);
            let footer = format!(
                "{} {}-{}/{}",
                s.panel_scroll,
                top + 1,
                top + room,
                wrapped.len()
            );
            let shown: Vec<Line> = wrapped.into_iter().skip(top).take(room).collect();
            (shown, Some(footer))
        } else {
            self.panel_max.set(0);
            (wrapped, None)
        };
        f.render_widget(Paragraph::new(shown).block(block), area);
        if let Some(footer) = footer {
            let row = Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1);
            f.render_widget(
                Paragraph::new(truncate(&footer, width)).style(
                    Style::new()
                        .fg(Color::DarkGray)
                        .add_modifier(Modifier::ITALIC),
                ),
                row,
            );
        }
    }
}

/// A reason's rule as a person reads it: a flag, a parallel step or a route by its label; a rule
/// number (`R1`, `R5′`) as it is.
fn rule_label(lang: Lang, rule: &str) -> String {
    Flag::from_code(rule)
        .map(|f| f.label(lang))
        .or_else(|| Also::from_code(rule).map(|a| a.label(lang)))
        .or_else(|| Route::from_code(rule).map(|r| r.label(lang)))
        .unwrap_or(rule)
        .to_string()
}
