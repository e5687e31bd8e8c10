//! Sending a ticket to another queue, with the reason (the case's history keeps both).

use super::{Answer, RouteReason, RouteTexts};
use crate::domain::{Route, TicketNo};
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::Request;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

#[derive(Debug, Clone)]
pub struct Transfer {
    ticket: TicketNo,
    to: RouteReason,
}

/// Only routes with a local queue can take a transfer.
fn has_queue(r: Route) -> bool {
    r != Route::Referral
}

impl Transfer {
    pub fn new(ticket: TicketNo) -> Transfer {
        Transfer {
            ticket,
            to: RouteReason::default(),
        }
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Answer {
        match k.code {
            KeyCode::Esc => Answer::Close(Reply::Nothing),
            KeyCode::Enter => match self.to.given() {
                Some((to, reason)) => Answer::Close(Reply::call(Request::Transfer {
                    ticket: self.ticket.clone(),
                    to,
                    reason,
                    at: ctx.now,
                })),
                None => Answer::Stay(Reply::Error(ctx.s.override_needs_reason.to_string())),
            },
            _ => {
                self.to.edit(&k, has_queue);
                Answer::Stay(Reply::Nothing)
            }
        }
    }

    pub fn on_paste(&mut self, text: &str) {
        self.to.reason.insert_str(text);
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = ctx.s;
        let routes: Vec<Route> = Route::ALL
            .iter()
            .copied()
            .filter(|r| has_queue(*r))
            .collect();
        let title = format!("{} {} →", self.ticket, s.transfer_title);
        let text = RouteTexts {
            title: &title,
            label: s.transfer_reason,
            hint: s.transfer_hint,
        };
        self.to.draw(f, area, ctx, text, &routes);
    }
}
