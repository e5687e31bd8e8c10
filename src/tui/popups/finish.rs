//! How the ticket the window holds ended: one outcome of a numbered list.

use super::{Answer, choose, draw_choice};
use crate::domain::{Outcome, TicketNo};
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::Request;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

#[derive(Debug, Clone)]
pub struct Finish {
    ticket: TicketNo,
    cursor: usize,
}

impl Finish {
    pub fn new(ticket: TicketNo) -> Finish {
        Finish { ticket, cursor: 0 }
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Answer {
        let ticket = &self.ticket;
        choose(&mut self.cursor, Outcome::ALL.len(), &k, |i| {
            Reply::call(Request::Finish {
                ticket: ticket.clone(),
                outcome: Outcome::ALL[i],
                at: ctx.now,
            })
        })
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let title = format!("{} {}", self.ticket, ctx.s.finish_title);
        let labels = Outcome::ALL.iter().map(|o| o.label(ctx.lang()));
        draw_choice(f, area, &title, labels, self.cursor);
    }
}
