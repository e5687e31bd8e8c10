//! The form a clerk left unfinished (a crash, a kill, a power cut), offered back after sign-in:
//! `y` takes it back, `n` throws it away.

use super::Answer;
use crate::i18n::fill;
use crate::tui::app::{Ctx, Reply};
use crate::tui::draft::Draft;
use crate::tui::effect::Effect;
use crate::tui::keys::typed;
use crate::tui::screens::{boxed, centered, clear_area};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone)]
pub struct DraftOffer(Box<Draft>);

impl DraftOffer {
    pub fn new(draft: Draft) -> DraftOffer {
        DraftOffer(Box::new(draft))
    }

    pub fn on_key(&mut self, k: KeyEvent) -> Answer {
        match typed(&k).map(|c| c.to_ascii_lowercase()) {
            Some('y') => Answer::Close(Reply::RestoreDraft(self.0.clone())),
            Some('n') => Answer::Close(Reply::Effect(Effect::DiscardDraft)),
            _ => Answer::Stay(Reply::Nothing),
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let s = ctx.s;
        let d = &self.0;
        let text = fill(
            s.draft_found,
            &[
                ("t", &d.saved_at.format("%Y-%m-%d %H:%M").to_string()),
                ("staff", d.staff.as_deref().unwrap_or("—")),
            ],
        );
        let w = (text.width() as u16 + 4)
            .min(area.width.saturating_sub(4))
            .max(20);
        let rows = (text.width() as u16).div_ceil(w.saturating_sub(2).max(1));
        let r = centered(area, w, rows + 2);
        clear_area(f, r);
        f.render_widget(
            Paragraph::new(text)
                .block(boxed(s.screen_intake))
                .wrap(Wrap { trim: false }),
            r,
        );
    }
}
