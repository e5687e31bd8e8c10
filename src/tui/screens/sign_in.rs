//! Sign-in (also the idle lock) and the first-run set-up.

use super::{boxed, centered, pad};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

const LABEL_W: usize = 22;

fn field<'a>(label: &str, value: String, focused: bool, width: usize) -> Line<'a> {
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

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let s = app.s;
    let si = &app.sign_in;
    let mut lines = vec![Line::raw("")];
    if si.idle_locked {
        lines.push(Line::styled(
            format!(" {}", s.idle_locked),
            Style::new().fg(Color::Yellow),
        ));
        lines.push(Line::raw(""));
    }
    lines.push(field(
        s.staff_no,
        si.staff_no.text().to_string(),
        !si.on_pin,
        16,
    ));
    lines.push(field(
        s.pin,
        "•".repeat(si.pin.text().chars().count()),
        si.on_pin,
        16,
    ));
    lines.push(Line::raw(""));
    if let Some(m) = &si.message {
        lines.push(Line::styled(format!(" {m}"), Style::new().fg(Color::Red)));
    }
    if app.settings.demo {
        lines.push(Line::styled(
            format!(" {}", s.demo_credentials),
            Style::new().fg(Color::Yellow),
        ));
    }
    let w = 56u16;
    let h = lines.len() as u16 + 2;
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let title = if app.settings.site.name.is_empty() {
        s.screen_sign_in.to_string()
    } else {
        format!("{} · {}", app.settings.site.name, s.screen_sign_in)
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(boxed(&title))
            .wrap(Wrap { trim: false }),
        r,
    );
    if app.popup.is_none() && !app.help {
        let row = if si.idle_locked { 3 } else { 1 } + u16::from(si.on_pin);
        let col = if si.on_pin {
            si.pin.text().chars().count()
        } else {
            si.staff_no.cursor_column()
        };
        f.set_cursor_position(Position::new(
            r.x + 2 + LABEL_W as u16 + col as u16,
            r.y + 1 + row,
        ));
    }
}

pub fn draw_setup(app: &App, f: &mut Frame, area: Rect) {
    let s = app.s;
    let st = &app.setup;
    let mut lines = vec![Line::raw(format!(" {}", s.setup_intro)), Line::raw("")];
    for (i, label) in s.setup_fields.iter().enumerate() {
        let v = st.fields[i].text();
        let shown = if i == 5 {
            "•".repeat(v.chars().count())
        } else {
            v.to_string()
        };
        lines.push(field(label, shown, st.focus == i, 30));
    }
    if let Some(m) = &st.message {
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
    if app.help {
        return;
    }
    let col = st.fields.get(st.focus).map_or(0, |t| t.cursor_column());
    f.set_cursor_position(Position::new(
        r.x + 2 + LABEL_W as u16 + col as u16,
        r.y + 3 + st.focus as u16,
    ));
}
