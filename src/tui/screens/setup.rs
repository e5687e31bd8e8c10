//! The first-run set-up of an empty database: the site, its windows and the first supervisor.

use super::sign_in::{LABEL_W, field};
use super::{boxed, centered};
use crate::app::SetUp;
use crate::domain::{StaffNo, WindowNo};
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

#[derive(Debug, Clone, Default)]
pub struct State {
    pub fields: [TextInput; 6],
    pub focus: usize,
    pub message: Option<String>,
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
            KeyCode::Enter => match self.set_up() {
                Some(s) => return Reply::call(Request::SetUp(s, ctx.now)),
                None => self.message = Some(ctx.s.setup_incomplete.to_string()),
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

    /// The set-up the fields describe, when every one is filled and the windows are numbers.
    fn set_up(&self) -> Option<SetUp> {
        let f: Vec<String> = self
            .fields
            .iter()
            .map(|t| t.text().trim().to_string())
            .collect();
        let windows: Option<Vec<WindowNo>> = f[WINDOWS]
            .split([',', '，', ' '])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().ok().map(WindowNo))
            .collect();
        match windows {
            Some(w) if !w.is_empty() && f.iter().all(|s| !s.is_empty()) => Some(SetUp {
                site_code: f[SITE_CODE].clone(),
                site_name: f[SITE_NAME].clone(),
                windows: w,
                supervisor_no: StaffNo(f[SUPERVISOR_NO].clone()),
                supervisor_name: f[SUPERVISOR_NAME].clone(),
                supervisor_pin: f[SUPERVISOR_PIN].clone(),
            }),
            _ => None,
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, place_cursor: bool) {
        let s = ctx.s;
        let mut lines = vec![Line::raw(format!(" {}", s.setup_intro)), Line::raw("")];
        for (i, label) in s.setup_fields.iter().enumerate() {
            let v = self.fields[i].text();
            let shown = if i == SUPERVISOR_PIN {
                "•".repeat(v.chars().count())
            } else {
                v.to_string()
            };
            lines.push(field(label, shown, self.focus == i, 30));
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
            r.y + 3 + self.focus as u16,
        ));
    }
}
