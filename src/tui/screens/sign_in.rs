//! Sign-in, which is also the idle lock: the staff number and PIN, checked by the window's
//! services.

use super::{boxed, centered, pad};
use crate::domain::StaffNo;
use crate::tui::app::{Ctx, Reply};
use crate::tui::effect::Request;
use crate::tui::keys::edit_text;
use crate::tui::text_input::TextInput;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, Default)]
pub struct State {
    pub staff_no: TextInput,
    pub pin: TextInput,
    pub on_pin: bool,
    pub message: Option<String>,
    pub idle_locked: bool,
    pub waiting: bool,
}

impl State {
    /// The lock after the clerk was idle: their number kept, only the PIN to type.
    pub fn idle_locked(staff: &StaffNo) -> State {
        State {
            staff_no: TextInput::new(&staff.0),
            on_pin: true,
            idle_locked: true,
            ..State::default()
        }
    }

    /// After the first-run set-up: the supervisor's number filled in, the PIN to type.
    pub fn staff_from_setup(&mut self, staff_no: &str) {
        self.staff_no.set(staff_no);
        self.on_pin = true;
    }

    /// The services said no: the PIN is typed again under their reason.
    pub fn refuse(&mut self, message: String) {
        self.pin.clear();
        self.message = Some(message);
    }

    pub fn on_key(&mut self, k: KeyEvent, ctx: &Ctx) -> Reply {
        match k.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                self.on_pin = !self.on_pin
            }
            KeyCode::Enter if !self.on_pin => self.on_pin = true,
            KeyCode::Enter => {
                if self.waiting || self.staff_no.is_empty() {
                    return Reply::Nothing;
                }
                self.waiting = true;
                return Reply::call(Request::SignIn {
                    staff: StaffNo(self.staff_no.text().trim().to_string()),
                    pin: self.pin.text().to_string(),
                    at: ctx.now,
                });
            }
            _ => {
                let t = if self.on_pin {
                    &mut self.pin
                } else {
                    &mut self.staff_no
                };
                edit_text(t, &k);
            }
        }
        Reply::Nothing
    }

    /// A number may be pasted; a PIN is always typed.
    pub fn on_paste(&mut self, text: &str) -> Reply {
        if !self.on_pin {
            self.staff_no.insert_str(text);
        }
        Reply::Nothing
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, place_cursor: bool) {
        let s = ctx.s;
        let mut lines = vec![Line::raw("")];
        if self.idle_locked {
            lines.push(Line::styled(
                format!(" {}", s.idle_locked),
                Style::new().fg(Color::Yellow),
            ));
            lines.push(Line::raw(""));
        }
        lines.push(field(
            s.staff_no,
            self.staff_no.text().to_string(),
            !self.on_pin,
            16,
        ));
        lines.push(field(
            s.pin,
            "•".repeat(self.pin.text().chars().count()),
            self.on_pin,
            16,
        ));
        lines.push(Line::raw(""));
        if let Some(m) = &self.message {
            lines.push(Line::styled(format!(" {m}"), Style::new().fg(Color::Red)));
        }
        if ctx.settings.demo {
            lines.push(Line::styled(
                format!(" {}", s.demo_credentials),
                Style::new().fg(Color::Yellow),
            ));
        }
        let w = 56u16;
        let h = lines.len() as u16 + 2;
        let r = centered(area, w, h);
        super::clear_area(f, r);
        let site_name = &ctx.settings.site.name;
        let title = if site_name.is_empty() {
            s.screen_sign_in.to_string()
        } else {
            format!("{} · {}", site_name, s.screen_sign_in)
        };
        f.render_widget(
            Paragraph::new(lines)
                .block(boxed(&title))
                .wrap(Wrap { trim: false }),
            r,
        );
        if place_cursor {
            let row = if self.idle_locked { 3 } else { 1 } + u16::from(self.on_pin);
            let col = if self.on_pin {
                self.pin.text().chars().count()
            } else {
                self.staff_no.cursor_column()
            };
            f.set_cursor_position(Position::new(
                r.x + 2 + LABEL_W as u16 + col as u16,
                r.y + 1 + row,
            ));
        }
    }
}

/// Width of a field's label on the sign-in and set-up screens.
pub(super) const LABEL_W: usize = 22;

/// One labelled field of the sign-in or set-up screen.
pub(super) fn field<'a>(label: &str, value: String, focused: bool, width: usize) -> Line<'a> {
    let style = if focused {
        Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::UNDERLINED)
    };
    Line::from(vec![
        Span::raw(if focused { "▶" } else { " " }),
        Span::raw(pad(label, LABEL_W)),
        Span::styled(pad(&value, width), style),
    ])
}
