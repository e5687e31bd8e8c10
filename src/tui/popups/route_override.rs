//! The clerk's change of the route the rules gave (F7 on the intake form): a route, for a
//! referral where the worker is sent (↑↓ among the referral targets of the domain contract, §1),
//! and the reason, which is audited; the worker's paper says why in the worker's words. Delete
//! removes an override.

use super::{Answer, RouteReason, list_lines, show};
use crate::app::RouteOverride;
use crate::domain::{ReferralTo, Route};
use crate::tui::app::{Ctx, Reply};
use crate::tui::screens::intake::Edit;
use crate::tui::screens::route_label;
use crate::tui::text_input::TextInput;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone)]
pub struct OverrideRoute {
    to: RouteReason,
    /// The highlighted referral target (an index in [`ReferralTo::ALL`]); `None` until the clerk
    /// picks one, so a referral is never sent to a target nobody chose.
    target: Option<usize>,
}

impl OverrideRoute {
    /// The dialog over the form's override, if it has one.
    pub fn new(current: Option<&RouteOverride>) -> OverrideRoute {
        match current {
            Some(o) => OverrideRoute {
                to: RouteReason {
                    route: Some(o.route),
                    reason: TextInput::new(&o.reason),
                },
                target: o
                    .referral_to
                    .and_then(|t| ReferralTo::ALL.iter().position(|x| *x == t)),
            },
            None => OverrideRoute {
                to: RouteReason::default(),
                target: None,
            },
        }
    }

    fn referral(&self) -> bool {
        self.to.route == Some(Route::Referral)
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Answer {
        match k.code {
            KeyCode::Esc => Answer::Close(Reply::Nothing),
            KeyCode::Delete => Answer::Close(Reply::Edit(Edit::Override(None))),
            KeyCode::Up | KeyCode::Down if self.referral() => {
                let n = ReferralTo::ALL.len();
                self.target = Some(match (self.target, k.code) {
                    (None, KeyCode::Up) => n - 1,
                    (None, _) => 0,
                    (Some(i), KeyCode::Up) => i.checked_sub(1).unwrap_or(n - 1),
                    (Some(i), _) => (i + 1) % n,
                });
                Answer::Stay(Reply::Nothing)
            }
            KeyCode::Enter => {
                let referral_to = self.target.and_then(|i| ReferralTo::ALL.get(i).copied());
                match self.to.given() {
                    Some((Route::Referral, _)) if referral_to.is_none() => {
                        Answer::Stay(Reply::Error(ctx.s.referral_needs_target.to_string()))
                    }
                    Some((route, reason)) => {
                        Answer::Close(Reply::Edit(Edit::Override(Some(RouteOverride {
                            route,
                            referral_to: referral_to.filter(|_| route == Route::Referral),
                            reason,
                        }))))
                    }
                    None => Answer::Stay(Reply::Error(ctx.s.override_needs_reason.to_string())),
                }
            }
            _ => {
                self.to.edit(&k, |_| true);
                Answer::Stay(Reply::Nothing)
            }
        }
    }

    pub fn on_paste(&mut self, text: &str) {
        self.to.reason.insert_str(text);
    }

    /// The routes (numbered), for a referral its targets under them, then the reason with the
    /// cursor in it and a hint.
    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = ctx.s;
        let lang = ctx.lang();
        let mut lines: Vec<Line> = Route::ALL
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mark = if Some(*r) == self.to.route {
                    "●"
                } else {
                    "○"
                };
                Line::raw(format!("{} {mark} {}", i + 1, route_label(lang, *r)))
            })
            .collect();
        if self.referral() {
            lines.push(Line::raw(ctx.s.refer_to_list.to_string()));
            let targets: Vec<String> = ReferralTo::ALL
                .iter()
                .map(|t| format!("   {}", t.label(lang)))
                .collect();
            lines.extend(list_lines(&targets, self.target));
        }
        let reason_row = lines.len();
        lines.push(Line::raw(format!(
            "{}{}{}",
            s.override_reason,
            s.colon,
            self.to.reason.text()
        )));
        lines.push(Line::styled(
            s.override_hint,
            Style::new().add_modifier(Modifier::DIM),
        ));
        let r = show(f, area, s.override_title, lines, 40);
        // The colon after the label is two columns in either language (`：` or `: `).
        let x = r.x + 2 + (s.override_reason.width() + 2 + self.to.reason.cursor_column()) as u16;
        let y = r.y + 1 + reason_row as u16;
        if x < r.x + r.width && y < r.y + r.height {
            f.set_cursor_position(Position::new(x, y));
        }
    }
}
