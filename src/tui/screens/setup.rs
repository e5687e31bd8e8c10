//! The first-run set-up of an empty database: the site, its windows and the first supervisor
//! (PIN typed twice). The checks are the application's ([`SetUpForm::check`]); this screen only
//! shows each problem under its field.

use super::sign_in::{LABEL_W, field};
use super::{boxed, centered};
use crate::app::setup::{SetUpField, SetUpForm, SetUpProblem};
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::Request;
use crate::tui::keys::edit_text;
use crate::tui::text_input::TextInput;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// The fields, in the order of `Strings::setup_fields`.
const SITE_CODE: usize = 0;
const SITE_NAME: usize = 1;
const WINDOWS: usize = 2;
const SUPERVISOR_NO: usize = 3;
const SUPERVISOR_NAME: usize = 4;
const SUPERVISOR_PIN: usize = 5;
const PIN_AGAIN: usize = 6;

#[derive(Debug, Clone, Default)]
pub struct State {
    pub fields: [TextInput; 7],
    pub focus: usize,
    pub message: Option<String>,
    /// What the last Enter found wrong, each shown under its field.
    pub problems: Vec<SetUpProblem>,
}

fn index(field: SetUpField) -> usize {
    match field {
        SetUpField::SiteCode => SITE_CODE,
        SetUpField::SiteName => SITE_NAME,
        SetUpField::Windows => WINDOWS,
        SetUpField::SupervisorNo => SUPERVISOR_NO,
        SetUpField::SupervisorName => SUPERVISOR_NAME,
        SetUpField::Pin => SUPERVISOR_PIN,
        SetUpField::PinAgain => PIN_AGAIN,
    }
}

impl State {
    /// The first supervisor's number, filled in on the sign-in screen once the site is set up.
    pub fn supervisor_no(&self) -> &str {
        self.fields[SUPERVISOR_NO].text()
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Reply {
        let n = self.fields.len();
        match k.code {
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + n - 1) % n,
            KeyCode::Enter if self.focus + 1 < n => self.focus += 1,
            KeyCode::Enter => match self.form().check() {
                Ok(setup) => {
                    self.problems.clear();
                    self.message = None;
                    return Reply::call(Request::SetUp(setup, ctx.now));
                }
                Err(problems) => {
                    // The cursor goes to the first field to correct.
                    if let Some(first) = problems.first() {
                        self.focus = index(first.field);
                    }
                    self.problems = problems;
                    self.message = Some(ctx.s.setup_incomplete.to_string());
                }
            },
            _ => {
                if let Some(t) = self.fields.get_mut(self.focus) {
                    edit_text(t, &k);
                }
            }
        }
        Reply::Nothing
    }

    pub fn on_paste(&mut self, text: &str) -> Reply {
        if let Some(t) = self.fields.get_mut(self.focus) {
            t.insert_str(text);
        }
        Reply::Nothing
    }

    /// The form as typed.
    fn form(&self) -> SetUpForm {
        let f = |i: usize| self.fields[i].text().to_string();
        SetUpForm {
            site_code: f(SITE_CODE),
            site_name: f(SITE_NAME),
            windows: f(WINDOWS),
            supervisor_no: f(SUPERVISOR_NO),
            supervisor_name: f(SUPERVISOR_NAME),
            pin: f(SUPERVISOR_PIN),
            pin_again: f(PIN_AGAIN),
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, place_cursor: bool) {
        let s = ctx.s;
        let mut lines = vec![Line::raw(format!(" {}", s.setup_intro)), Line::raw("")];
        // The row of each field inside the box: a problem line pushes the fields below it down.
        let mut rows = [0u16; 7];
        for (i, label) in s.setup_fields.iter().enumerate() {
            let v = self.fields[i].text();
            let shown = if i == SUPERVISOR_PIN || i == PIN_AGAIN {
                "•".repeat(v.chars().count())
            } else {
                v.to_string()
            };
            rows[i] = lines.len() as u16;
            lines.push(field(label, shown, self.focus == i, 30));
            for p in self.problems.iter().filter(|p| index(p.field) == i) {
                lines.push(Line::styled(
                    format!(" {}{}", " ".repeat(LABEL_W), p.message(ctx.settings.lang)),
                    Style::new().fg(Color::Red),
                ));
            }
        }
        if let Some(m) = &self.message {
            lines.push(Line::raw(""));
            lines.push(Line::styled(format!(" {m}"), Style::new().fg(Color::Red)));
        }
        let w = (s.setup_intro.width() as u16 + 6).max(LABEL_W as u16 + 36);
        let h = lines.len() as u16 + 2;
        let r = centered(area, w, h);
        f.render_widget(
            Paragraph::new(lines)
                .block(boxed(s.screen_setup))
                .wrap(Wrap { trim: false }),
            r,
        );
        if !place_cursor {
            return;
        }
        let col = self.fields.get(self.focus).map_or(0, |t| t.cursor_column());
        f.set_cursor_position(Position::new(
            r.x + 2 + LABEL_W as u16 + col as u16,
            r.y + 1 + rows.get(self.focus).copied().unwrap_or(0),
        ));
    }
}
