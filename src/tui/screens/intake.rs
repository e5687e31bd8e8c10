//! The intake form with its live decision panel: beside the form on a wide terminal, under it on
//! an 80-column one.

use super::{flag_label, label_of, pad, route_label, truncate, wrap_width};
use crate::domain::{Decision, Problem, Status};
use crate::tui::app::App;
use crate::tui::form::{FieldId, Kind, PickList, Section, Value, options};
use crate::tui::strings::fill;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Width from which the decision panel sits beside the form.
const SIDE_PANEL_FROM: u16 = 110;
const PANEL_WIDTH: u16 = 44;

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    if area.width >= SIDE_PANEL_FROM {
        let [form, panel] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(PANEL_WIDTH)]).areas(area);
        draw_form(app, f, form);
        draw_panel(app, f, panel, false);
    } else {
        let [form, panel] =
            Layout::vertical([Constraint::Min(8), Constraint::Length(6)]).areas(area);
        draw_form(app, f, form);
        draw_panel(app, f, panel, true);
    }
}

/// The problems to show at a field: only once the clerk has left it (or tried to submit).
pub fn problems_at(app: &App, id: FieldId) -> Vec<(&Problem, bool)> {
    let path = id.path();
    let touched = app.intake.touched.contains(&path);
    let d = &app.intake.decision;
    let matches = |p: &Problem| {
        (p.field == path && touched)
            || id
                .also_shows()
                .iter()
                .any(|g| p.field == *g && app.intake.touched.contains(*g))
    };
    d.errors
        .iter()
        .filter(|p| matches(p))
        .map(|p| (p, true))
        .chain(d.warnings.iter().filter(|p| matches(p)).map(|p| (p, false)))
        .collect()
}

fn label_for(app: &App, id: FieldId) -> String {
    let l = (app.s.label)(id);
    match id {
        FieldId::ClaimCategory(i) => {
            format!(
                "{} {l}",
                fill(app.s.claim_row, &[("n", &(i + 1).to_string())])
            )
        }
        FieldId::ClaimAmount(_) | FieldId::ClaimKnownOn(_) => format!("  {l}"),
        _ => l.to_string(),
    }
}

/// The value as shown when the field is not being edited.
pub fn value_text(app: &App, id: FieldId) -> String {
    let lang = app.settings.lang;
    let s = app.s;
    let form = &app.intake.form;
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
                .join(match lang {
                    crate::config::Lang::Zh => "；",
                    crate::config::Lang::En => "; ",
                })
        }
        (_, Value::Tri(Some(true))) => s.yes.to_string(),
        (_, Value::Tri(Some(false))) => s.no.to_string(),
        (_, Value::Tri(None)) => s.not_given.to_string(),
        (Kind::Button, _) => s.add_claim.to_string(),
        _ => String::new(),
    }
}

fn section_tabs(app: &App, current: Section, width: u16) -> Line<'static> {
    let mut spans = vec![];
    for (i, sec) in Section::ALL.iter().enumerate() {
        let name = app.s.sections[i];
        let errs = app
            .intake
            .form
            .fields_of(*sec)
            .iter()
            .any(|id| problems_at(app, *id).iter().any(|(_, e)| *e));
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

fn draw_form(app: &App, f: &mut Frame, area: Rect) {
    let focus = app.intake.focus;
    let section = focus.section();
    let fields = app.intake.form.fields_of(section);
    let [tabs, list, msg] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(section_tabs(app, section, tabs.width)), tabs);

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
        let problems = problems_at(app, *id);
        let marker = if focused { "▶" } else { " " };
        let label = label_for(app, *id);
        let label_style = match problems.first() {
            Some((_, true)) => Style::new().fg(Color::Red),
            Some((_, false)) => Style::new().fg(Color::Yellow),
            None if focused => Style::new().add_modifier(Modifier::BOLD),
            None => Style::new(),
        };
        let is_text = matches!(
            id.kind(),
            Kind::Text | Kind::Date | Kind::Amount | Kind::Number
        );
        let value = if focused && is_text {
            match app.intake.form.value(*id) {
                Value::Text(t) => {
                    let (shown, col) = t.view(value_w.saturating_sub(1));
                    cursor = Some(((label_w + 3 + col) as u16, (row - start) as u16));
                    shown
                }
                _ => String::new(),
            }
        } else {
            let mut v = value_text(app, *id);
            if focused && *id == FieldId::Categories && !app.intake.digits.is_empty() {
                v = format!("LD{}_ {v}", app.intake.digits);
            }
            truncate(&v, value_w)
        };
        let value_style = if focused {
            Style::new().add_modifier(Modifier::UNDERLINED)
        } else if matches!(
            app.intake.form.value(*id),
            Value::Tri(None) | Value::Pick(None)
        ) || (matches!(app.intake.form.value(*id), Value::Multi(m) if m.is_empty()))
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
            let text = (app.s.problem)(&p.code, &p.message);
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
        && app.popup.is_none()
        && !app.help
    {
        f.set_cursor_position(Position::new(list.x + x, list.y + y));
    }
    // The focused field's problems in full (the row may have cut them).
    let focused_problems = problems_at(app, focus);
    if let Some((p, is_err)) = focused_problems.first() {
        let text = (app.s.problem)(&p.code, &p.message);
        f.render_widget(
            Paragraph::new(truncate(
                &format!(" {} {text}", (app.s.label)(focus)),
                msg.width as usize,
            ))
            .style(Style::new().fg(if *is_err { Color::Red } else { Color::Yellow })),
            msg,
        );
    }
}

fn field_label_of_path(app: &App, path: &str) -> String {
    app.intake
        .form
        .order()
        .into_iter()
        .find(|id| id.path() == path || id.also_shows().contains(&path))
        .map(|id| label_for(app, id).trim().to_string())
        .unwrap_or_else(|| path.to_string())
}

fn draw_panel(app: &App, f: &mut Frame, area: Rect, compact: bool) {
    let s = app.s;
    let lang = app.settings.lang;
    let d: &Decision = &app.intake.decision;
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
                    field_label_of_path(app, &p.field),
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
        if let Some(o) = &app.intake.route_override {
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
                    format!("{} {}（{}）", r.rule, r.text, r.basis),
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
                    lines.push(Line::raw(format!("{} {}", r.rule, r.text)));
                    lines.push(Line::styled(
                        format!("    {}", r.basis),
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
