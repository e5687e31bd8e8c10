//! The one yes/no question before a key that throws work away or leaves: discarding the form,
//! signing out with a form not submitted, quitting, marking a ticket no-show. The screen that
//! owns the key opens it with what would happen; `y` (or Enter) does it, `n` or Esc does not.

use super::{Answer, show};
use crate::app::queue::TicketOp;
use crate::domain::TicketNo;
use crate::i18n::fill;
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::{Effect, Request};
use crate::tui::keys::typed;
use crate::tui::screens::intake::Edit;
use crate::tui::screens::wrap_width;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

/// What a yes does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// Clear the intake form and its draft.
    DiscardForm,
    /// Sign out although the form is not submitted (it stays in the clerk's draft).
    SignOut,
    Quit,
    /// Mark the ticket the window holds as not having come.
    NoShow(TicketNo),
}

#[derive(Debug, Clone)]
pub struct Confirm {
    what: Confirmed,
}

impl Confirm {
    pub fn new(what: Confirmed) -> Confirm {
        Confirm { what }
    }

    pub fn what(&self) -> &Confirmed {
        &self.what
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Answer {
        let yes = k.code == KeyCode::Enter
            || matches!(typed(&k).map(|c| c.to_ascii_lowercase()), Some('y'));
        let no = k.code == KeyCode::Esc
            || matches!(typed(&k).map(|c| c.to_ascii_lowercase()), Some('n'));
        if no {
            return Answer::Close(Reply::Nothing);
        }
        if !yes {
            return Answer::Stay(Reply::Nothing);
        }
        Answer::Close(match &self.what {
            Confirmed::DiscardForm => Reply::Edit(Edit::Discard),
            Confirmed::SignOut => Reply::SignOut,
            Confirmed::Quit => Reply::Effect(Effect::Quit),
            Confirmed::NoShow(t) => Reply::call(Request::Ticket {
                op: TicketOp::NoShow,
                ticket: t.clone(),
                at: ctx.now,
            }),
        })
    }

    fn question(&self, ctx: &Ctx) -> String {
        let s = ctx.s;
        match &self.what {
            Confirmed::DiscardForm => s.confirm_discard.to_string(),
            Confirmed::SignOut => s.confirm_sign_out.to_string(),
            Confirmed::Quit => s.confirm_quit.to_string(),
            Confirmed::NoShow(t) => fill(s.confirm_no_show, &[("t", t.as_str())]),
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let width = (area.width as usize).saturating_sub(8).clamp(10, 50);
        let mut lines: Vec<Line<'static>> = wrap_width(&self.question(ctx), width)
            .into_iter()
            .map(Line::raw)
            .collect();
        lines.push(Line::styled(
            ctx.s.confirm_hint,
            Style::new().add_modifier(Modifier::DIM),
        ));
        show(f, area, ctx.s.confirm_title, lines, 30);
    }
}
