//! One case with its history. The ID number and phone are masked here too: the clerk can ask the
//! worker, and the screen may be seen from the other side of the counter. Esc goes back to where
//! the case was opened from; `p` prints its paper again.

use super::{label_of, route_label};
use crate::app::CaseView;
use crate::domain::mask::{mask_id, mask_phone};
use crate::tui::app::{Ctx, Reply};
use crate::tui::popups::Reprint;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn on_key(case: Option<&CaseView>, k: KeyEvent) -> Reply {
    match k.code {
        KeyCode::Esc | KeyCode::Backspace => Reply::Back,
        KeyCode::Char('p') => Reprint::open(case.map(|c| c.case_no.clone())),
        _ => Reply::Nothing,
    }
}

pub fn draw(case: &CaseView, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let s = ctx.s;
    let c = s.colon;
    let lang = ctx.lang();
    let r = &case.record;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let sep = s.list_sep;
    let mut lines = vec![
        Line::styled(format!("{}{c}{}", s.case_no, case.case_no), bold),
        Line::raw(format!(
            "{}{c}{}   {}{c}{}   {}{c}{}",
            s.registered_at,
            case.registered_at.format("%Y-%m-%d %H:%M"),
            s.screen_ticket,
            case.ticket
                .as_ref()
                .map_or("—".to_string(), |t| t.to_string()),
            s.state,
            case.state.map_or("—", |st| st.label(lang)),
        )),
        Line::raw(format!(
            "{}{c}{}",
            s.route,
            case.route.map_or("—", |rt| route_label(lang, rt))
        )),
        Line::raw(format!(
            "{}{c}{}  {}  {}",
            s.applicant,
            r.applicant.name,
            mask_id(r.applicant.id_type, &r.applicant.id_number),
            mask_phone(&r.applicant.phone)
        )),
        Line::raw(format!("{}{c}{}", s.counterparty, r.counterparty.name)),
        Line::raw(format!(
            "{}{c}{}",
            s.categories,
            r.dispute
                .categories
                .iter()
                .map(|k| format!("{} {}", k.code(), k.label(lang)))
                .collect::<Vec<_>>()
                .join(sep)
        )),
    ];
    for (i, cl) in r.dispute.claims.iter().enumerate() {
        lines.push(Line::raw(format!(
            "  {} {}  {}",
            i + 1,
            cl.category.map_or("", |k| k.code()),
            cl.amount
                .as_ref()
                .and_then(|a| a.fen())
                .map_or(String::new(), |f| f.yuan_text())
        )));
    }
    // Flags and parallel steps by their labels in the kiosk's language, never their codes.
    let flags: Vec<&str> = case
        .decision
        .flags
        .iter()
        .map(|fl| super::flag_label(lang, *fl))
        .collect();
    if !flags.is_empty() {
        lines.push(Line::raw(format!("{}{c}{}", s.flags, flags.join(sep))));
    }
    let also: Vec<&str> = case.decision.also.iter().map(|a| a.label(lang)).collect();
    if !also.is_empty() {
        lines.push(Line::raw(format!("{}{c}{}", s.also, also.join(sep))));
    }
    if !case.decision.deadlines.is_empty() {
        lines.push(Line::raw(format!(
            "{}{c}{}",
            s.deadlines,
            case.decision
                .deadlines
                .iter()
                .map(|(k, v)| format!(
                    "{} {}",
                    label_of(lang, k.zh(), k.en()),
                    v.format("%Y-%m-%d")
                ))
                .collect::<Vec<_>>()
                .join(sep)
        )));
    }
    let head_h = (lines.len() as u16).min(area.height / 2 + 2);
    let [head, hist] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(2)]).areas(area);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), head);
    let rows = hist.height.saturating_sub(1) as usize;
    let history: Vec<Line> = case
        .history
        .iter()
        .rev()
        .take(rows)
        .map(|h| {
            Line::raw(format!(
                "{}  {:<6} {}",
                h.at.format("%m-%d %H:%M"),
                h.staff.as_ref().map_or(String::new(), |st| st.to_string()),
                (s.event)(&h.event)
            ))
        })
        .collect();
    f.render_widget(
        Paragraph::new(history).block(
            Block::default()
                .borders(Borders::TOP)
                .title(format!(" {} ", s.history)),
        ),
        hist,
    );
}
