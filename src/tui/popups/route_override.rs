//! The clerk's change of the route the rules gave (F7 on the intake form): a route and the reason,
//! which is audited and printed. Delete removes an override.

use super::{Answer, RouteReason, RouteTexts};
use crate::app::RouteOverride;
use crate::domain::Route;
use crate::tui::app::{Ctx, Reply};
use crate::tui::screens::intake::Edit;
use crate::tui::text_input::TextInput;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

#[derive(Debug, Clone)]
pub struct OverrideRoute(RouteReason);

impl OverrideRoute {
    /// The dialog over the form's override, if it has one.
    pub fn new(current: Option<&RouteOverride>) -> OverrideRoute {
        OverrideRoute(match current {
            Some(o) => RouteReason {
                route: Some(o.route),
                reason: TextInput::new(&o.reason),
            },
            None => RouteReason::default(),
        })
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Answer {
        match k.code {
            KeyCode::Esc => Answer::Close(Reply::Nothing),
            KeyCode::Delete => Answer::Close(Reply::Edit(Edit::Override(None))),
            KeyCode::Enter => match self.0.given() {
                Some((route, reason)) => {
                    Answer::Close(Reply::Edit(Edit::Override(Some(RouteOverride {
                        route,
                        reason,
                    }))))
                }
                None => Answer::Stay(Reply::Error(ctx.s.override_needs_reason.to_string())),
            },
            _ => {
                self.0.edit(&k, |_| true);
                Answer::Stay(Reply::Nothing)
            }
        }
    }

    pub fn on_paste(&mut self, text: &str) {
        self.0.reason.insert_str(text);
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = ctx.s;
        let text = RouteTexts {
            title: s.override_title,
            label: s.override_reason,
            hint: s.override_hint,
        };
        self.0.draw(f, area, ctx, text, Route::ALL);
    }
}
