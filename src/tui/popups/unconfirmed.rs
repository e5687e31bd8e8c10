//! Paper the printer did not confirm (sent, then no answer, the connection closed, or paper out
//! right after it): the clerk looks at the printer and says whether it came out (已打出) or
//! asks for it again (补打). Nothing prints twice unless the clerk says so.

use super::{Answer, choose, draw_choice};
use crate::domain::PrintKind;
use crate::i18n::fill;
use crate::storage::PrintJobId;
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::Request;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

#[derive(Debug, Clone)]
pub struct Unconfirmed {
    job: PrintJobId,
    paper: PrintKind,
    cursor: usize,
}

impl Unconfirmed {
    pub fn new(job: PrintJobId, paper: PrintKind) -> Unconfirmed {
        Unconfirmed {
            job,
            paper,
            cursor: 0,
        }
    }

    /// 1 已打出, 2 补打. Esc leaves the question for the next status check.
    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Answer {
        let (job, paper) = (self.job, self.paper);
        choose(&mut self.cursor, 2, &k, |i| {
            Reply::call(Request::ResolvePrint {
                job,
                paper,
                came_out: i == 0,
                at: ctx.now,
            })
        })
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let title = fill(
            ctx.s.unconfirmed_title,
            &[("p", self.paper.label(ctx.lang()))],
        );
        let labels = [
            ctx.s.unconfirmed_came_out_choice,
            ctx.s.unconfirmed_again_choice,
        ];
        draw_choice(f, area, &title, labels.into_iter(), self.cursor);
    }
}
