//! The decision panel: where the case goes as the form stands, or what blocks it, with the flags,
//! deadlines and the rules that decided.

use super::State;
use super::draw::label_for;
use crate::domain::{Decision, Status};
use crate::tui::app::Ctx;
use crate::tui::screens::{flag_label, label_of, route_label, wrap_width};
use crate::tui::strings::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

impl State {
    fn field_label_of_path(&self, ctx: &Ctx, path: &str) -> String {
        self.form
            .order()
            .into_iter()
            .find(|id| id.path() == path || id.also_shows().contains(&path))
            .map(|id| label_for(ctx, id).trim().to_string())
            .unwrap_or_else(|| path.to_string())
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
            let room = if compact { 3 } else { 12 };
            for p in d.errors.iter().take(room) {
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
                lines.push(Line::raw(format!(
                    "{}{c}{}",
                    s.referral_to,
                    label_of(lang, r.zh(), r.en())
                )));
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
            let also: Vec<&str> = d
                .also
                .iter()
                .map(|a| label_of(lang, a.zh(), a.en()))
                .collect();
            let sep = if matches!(lang, crate::config::Lang::Zh) {
                "、"
            } else {
                ", "
            };
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
                            v.format("%Y-%m-%d")
                        )
                    })
                    .collect();
                if !dl.is_empty() {
                    lines.push(Line::raw(dl.join("  ")));
                }
                if let Some(r) = d.reasons.first() {
                    lines.push(Line::styled(
                        format!("{} {}（{}）", r.rule, r.text_in(lang), r.basis_in(lang)),
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
                            v.format("%Y-%m-%d")
                        )));
                    }
                }
                if !d.reasons.is_empty() {
                    lines.push(Line::styled(format!("{}{c}", s.reasons), bold));
                    for r in &d.reasons {
                        lines.push(Line::raw(format!("{} {}", r.rule, r.text_in(lang))));
                        lines.push(Line::styled(
                            format!("    {}", r.basis_in(lang)),
                            Style::new().fg(Color::DarkGray),
                        ));
                    }
                }
            }
            if !d.warnings.is_empty() && !compact {
                lines.push(Line::styled(
                    fill(s.warnings_n, &[("n", &d.warnings.len().to_string())]),
                    Style::new().fg(Color::Yellow),
                ));
            }
        }
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
        f.render_widget(Paragraph::new(wrapped).block(block), area);
    }
}
