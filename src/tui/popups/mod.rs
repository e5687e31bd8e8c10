//! Dialogs over a screen, each with its state, its keys and its drawing: the picker list of a
//! form field, the route override, the transfer, the finish, the reprint and the draft offer.
//! A popup answers each key with whether it stays open and what it asks of the app
//! ([`Answer`]); the app applies the reply, routing changes of the form to the intake screen.
//! What several of them share is here: the numbered choice list, the route-and-reason editor and
//! the box they are drawn in.

mod confirm;
mod draft_offer;
mod finish;
mod picker;
mod reprint;
mod route_override;
mod transfer;
mod unconfirmed;

pub use confirm::{Confirm, Confirmed};
pub use draft_offer::DraftOffer;
pub use finish::Finish;
pub use picker::Picker;
pub use reprint::Reprint;
pub use route_override::OverrideRoute;
pub use transfer::Transfer;
pub use unconfirmed::Unconfirmed;

use crate::domain::Route;
use crate::tui::app::{Ctx, Reply};
use crate::tui::form::Form;
use crate::tui::keys::{edit_text, list_move, typed};
use crate::tui::screens::{boxed, centered, clear_area, route_label};
use crate::tui::text_input::TextInput;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone)]
pub enum Popup {
    Picker(Picker),
    Override(OverrideRoute),
    Transfer(Transfer),
    Finish(Finish),
    Reprint(Reprint),
    DraftOffer(DraftOffer),
    Unconfirmed(Unconfirmed),
    Confirm(Confirm),
}

/// A popup's answer to a key.
#[derive(Debug)]
pub enum Answer {
    /// The popup stays open; the reply is for the app.
    Stay(Reply),
    /// The popup closes; the reply is for the app.
    Close(Reply),
}

impl Popup {
    /// `form` is the intake form, whose options and values the picker shows.
    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx, form: &Form) -> Answer {
        match self {
            Popup::Picker(p) => p.on_key(k, form),
            Popup::Override(p) => p.on_key(k, ctx),
            Popup::Transfer(p) => p.on_key(k, ctx),
            Popup::Finish(p) => p.on_key(k, ctx),
            Popup::Reprint(p) => p.on_key(k, ctx),
            Popup::DraftOffer(p) => p.on_key(k),
            Popup::Unconfirmed(p) => p.on_key(k, ctx),
            Popup::Confirm(p) => p.on_key(k, ctx),
        }
    }

    /// Pasted text goes into a typed reason; the other popups take none.
    pub fn on_paste(&mut self, text: &str) {
        match self {
            Popup::Override(p) => p.on_paste(text),
            Popup::Transfer(p) => p.on_paste(text),
            Popup::Picker(_)
            | Popup::Finish(_)
            | Popup::Reprint(_)
            | Popup::DraftOffer(_)
            | Popup::Unconfirmed(_)
            | Popup::Confirm(_) => {}
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, form: &Form) {
        match self {
            Popup::Picker(p) => p.draw(f, area, ctx, form),
            Popup::Override(p) => p.draw(f, area, ctx),
            Popup::Transfer(p) => p.draw(f, area, ctx),
            Popup::Finish(p) => p.draw(f, area, ctx),
            Popup::Reprint(p) => p.draw(f, area, ctx),
            Popup::DraftOffer(p) => p.draw(f, area, ctx),
            Popup::Unconfirmed(p) => p.draw(f, area, ctx),
            Popup::Confirm(p) => p.draw(f, area, ctx),
        }
    }
}

/// The keys of a numbered list that closes on a choice: Esc cancels, Enter takes the highlighted
/// line, a digit takes its line, the arrows move the highlight.
fn choose(
    cursor: &mut usize,
    n: usize,
    k: &KeyEvent,
    chosen: impl FnOnce(usize) -> Reply,
) -> Answer {
    let pick = match (k.code, typed(k).and_then(|c| c.to_digit(10))) {
        (KeyCode::Esc, _) => return Answer::Close(Reply::Nothing),
        (KeyCode::Enter, _) => Some(*cursor),
        (_, Some(d)) if d >= 1 && (d as usize) <= n => Some(d as usize - 1),
        _ => None,
    };
    match pick {
        Some(i) => Answer::Close(chosen(i)),
        None => {
            *cursor = list_move(*cursor, n, k);
            Answer::Stay(Reply::Nothing)
        }
    }
}

/// Draws a numbered list to [`choose`] from.
fn draw_choice<'a>(
    f: &mut Frame,
    area: Rect,
    title: &str,
    labels: impl Iterator<Item = &'a str>,
    cursor: usize,
) {
    let items: Vec<String> = labels
        .enumerate()
        .map(|(i, label)| format!("{} {label}", i + 1))
        .collect();
    show(f, area, title, list_lines(&items, Some(cursor)), 30);
}

/// A route chosen by its number and a reason typed after it: the override and the transfer.
#[derive(Debug, Clone, Default)]
struct RouteReason {
    route: Option<Route>,
    reason: TextInput,
}

/// A route by its number in [`Route::ALL`], from 1.
fn route_by_digit(c: char) -> Option<Route> {
    let i = c.to_digit(10)? as usize;
    Route::ALL.get(i.checked_sub(1)?).copied()
}

impl RouteReason {
    /// A digit chooses a route (of those `allowed`) while no reason is typed; any other key edits
    /// the reason.
    fn edit(&mut self, k: &KeyEvent, allowed: impl Fn(Route) -> bool) {
        match typed(k).and_then(route_by_digit) {
            Some(r) if self.reason.is_empty() && allowed(r) => self.route = Some(r),
            _ => {
                edit_text(&mut self.reason, k);
            }
        }
    }

    /// The route and the reason, once both are given.
    fn given(&self) -> Option<(Route, String)> {
        let reason = self.reason.text().trim();
        match self.route {
            Some(r) if !reason.is_empty() => Some((r, reason.to_string())),
            _ => None,
        }
    }

    /// The routes to choose from (numbered), the reason under them with the cursor in it, a hint.
    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, text: RouteTexts, routes: &[Route]) {
        let mut lines: Vec<Line> = routes
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mark = if Some(*r) == self.route { "●" } else { "○" };
                Line::raw(format!("{} {mark} {}", i + 1, route_label(ctx.lang(), *r)))
            })
            .collect();
        lines.push(Line::raw(format!(
            "{}{}{}",
            text.label,
            ctx.s.colon,
            self.reason.text()
        )));
        lines.push(Line::styled(
            text.hint,
            Style::new().add_modifier(Modifier::DIM),
        ));
        let r = show(f, area, text.title, lines, 40);
        // The colon after the label is two columns in either language (`：` or `: `).
        let x = r.x + 2 + (text.label.width() + 2 + self.reason.cursor_column()) as u16;
        let y = r.y + 1 + routes.len() as u16;
        if x < r.x + r.width && y < r.y + r.height {
            f.set_cursor_position(Position::new(x, y));
        }
    }
}

/// The words of a route-and-reason dialog.
struct RouteTexts<'a> {
    title: &'a str,
    label: &'static str,
    hint: &'static str,
}

fn list_lines(items: &[String], cursor: Option<usize>) -> Vec<Line<'static>> {
    items
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if Some(i) == cursor {
                Line::styled(
                    format!("▶{t}"),
                    Style::new().add_modifier(Modifier::REVERSED),
                )
            } else {
                Line::raw(format!(" {t}"))
            }
        })
        .collect()
}

/// Draws a popup's box in the middle of `area`, wide enough for its lines and title (and at
/// least `min_w`); gives back where it went.
pub(crate) fn show(
    f: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    min_w: u16,
) -> Rect {
    let w = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(10)
        .max(title.width() + 4) as u16
        + 4;
    let w = w.max(min_w);
    let h = lines.len() as u16 + 2;
    let r = centered(area, w, h);
    clear_area(f, r);
    f.render_widget(
        Paragraph::new(lines)
            .block(boxed(title))
            .wrap(Wrap { trim: false }),
        r,
    );
    r
}
