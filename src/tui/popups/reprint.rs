//! Printing a case's paper again: which paper, from a numbered list.

use super::{Answer, Popup, choose, draw_choice};
use crate::domain::{CaseNo, PrintKind};
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::Request;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

#[derive(Debug, Clone)]
pub struct Reprint {
    case_no: CaseNo,
    cursor: usize,
}

impl Reprint {
    /// The popup for a case's paper (`p` on the ticket, the queue and the case view); nothing
    /// when no case is at hand.
    pub fn open(case_no: Option<CaseNo>) -> Reply {
        match case_no {
            Some(case_no) => Reply::Open(Popup::Reprint(Reprint { case_no, cursor: 0 })),
            None => Reply::Nothing,
        }
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Answer {
        let case_no = &self.case_no;
        choose(&mut self.cursor, PrintKind::ALL.len(), &k, |i| {
            Reply::call(Request::Reprint {
                case_no: case_no.clone(),
                paper: PrintKind::ALL[i],
                at: ctx.now,
            })
        })
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let title = format!("{} {}", ctx.s.reprint_title, self.case_no);
        let labels = PrintKind::ALL.iter().map(|p| p.label(ctx.lang()));
        draw_choice(f, area, &title, labels, self.cursor);
    }
}
