//! How the ticket the window holds ended: one of the outcomes its queue can have
//! ([`outcomes_for`]), as a numbered list.

use super::{Answer, choose, draw_choice};
use crate::domain::queue::outcomes_for;
use crate::domain::{Outcome, Route, TicketNo};
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::Request;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

#[derive(Debug, Clone)]
pub struct Finish {
    ticket: TicketNo,
    outcomes: &'static [Outcome],
    cursor: usize,
}

impl Finish {
    pub fn new(ticket: TicketNo, route: Route) -> Finish {
        Finish {
            ticket,
            outcomes: outcomes_for(route),
            cursor: 0,
        }
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Answer {
        let ticket = &self.ticket;
        let outcomes = self.outcomes;
        choose(&mut self.cursor, outcomes.len(), &k, |i| {
            Reply::call(Request::Finish {
                ticket: ticket.clone(),
                outcome: outcomes[i],
                at: ctx.now,
            })
        })
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let title = format!("{} {}", self.ticket, ctx.s.finish_title);
        let labels = self.outcomes.iter().map(|o| o.label(ctx.lang()));
        draw_choice(f, area, &title, labels, self.cursor);
    }
}
