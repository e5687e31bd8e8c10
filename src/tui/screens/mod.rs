//! The screens, one module each with its state, its keys and its drawing. Drawing is pure: this
//! module draws the frame around the screen showing (title, hint line, status line), the popup
//! and help over it, or the too-small message, all from `&App`; and it holds the text-measuring
//! helpers every screen and popup draws with.

pub mod case;
pub mod intake;
pub mod queue;
pub mod search;
pub mod setup;
pub mod sign_in;
pub mod ticket;

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Screen, Tone};
use crate::app::{DbStatus, PrinterHealth};
use crate::config::Lang;
use crate::domain::StaffRole;
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, f, area);
        return;
    }
    let [title, body, hint, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    title_bar(app, f, title);
    let ctx = app.ctx();
    // A screen places the terminal's cursor only when nothing is drawn over it.
    let place_cursor = app.popup.is_none() && !app.help;
    match app.screen {
        Screen::Setup => app.setup.draw(f, body, &ctx, place_cursor),
        Screen::SignIn => app.sign_in.draw(f, body, &ctx, place_cursor),
        Screen::Intake => app.intake.draw(f, body, &ctx, place_cursor),
        Screen::Ticket => {
            if let Some(issued) = &app.issued {
                ticket::draw(issued, f, body, &ctx);
            }
        }
        Screen::Queue => app.queue.draw(f, body, &ctx),
        Screen::Case => {
            if let Some(case) = &app.case {
                case::draw(case, f, body, &ctx);
            }
        }
        Screen::Search => app.search.draw(f, body, &ctx, place_cursor),
    }
    hint_line(app, f, hint);
    status_line(app, f, status);
    if let Some(p) = &app.popup {
        p.draw(f, body, &ctx, &app.intake.form);
    }
    if app.help {
        help(app, f, area);
    }
}

fn too_small(app: &App, f: &mut Frame, area: Rect) {
    let text = fill(
        app.s.too_small,
        &[
            ("w", &MIN_WIDTH.to_string()),
            ("h", &MIN_HEIGHT.to_string()),
            ("cw", &area.width.to_string()),
            ("ch", &area.height.to_string()),
        ],
    );
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn title_bar(app: &App, f: &mut Frame, area: Rect) {
    let s = app.s;
    let screen = match app.screen {
        Screen::Setup => s.screen_setup,
        Screen::SignIn => s.screen_sign_in,
        Screen::Intake => s.screen_intake,
        Screen::Ticket => s.screen_ticket,
        Screen::Queue => s.screen_queue,
        Screen::Case => s.screen_case,
        Screen::Search => s.screen_search,
    };
    let mut spans = vec![
        Span::styled(
            format!(" {} ", s.app_title),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(format!("· {screen}")),
    ];
    if app.settings.demo {
        spans.push(Span::styled(
            format!("  [{}]", s.demo_badge),
            Style::new().fg(Color::Yellow),
        ));
    }
    let left = Line::from(spans);
    let right = truncate(&app.settings.site.name, area.width as usize / 3);
    f.render_widget(
        Paragraph::new(left).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
    let w = right.width() as u16;
    if w > 0 && w + 1 < area.width {
        f.render_widget(
            Paragraph::new(right).style(Style::new().add_modifier(Modifier::REVERSED)),
            Rect::new(area.x + area.width - w - 1, area.y, w, 1),
        );
    }
}

fn hint_line(app: &App, f: &mut Frame, area: Rect) {
    let s = app.s;
    let busy = (app.screen == Screen::Intake && app.intake.submitting)
        || (app.screen == Screen::SignIn && app.sign_in.waiting);
    let (text, style) = match &app.message {
        None if busy => (s.busy.to_string(), Style::new().fg(Color::Cyan)),
        Some((m, Tone::Error)) => (m.clone(), Style::new().fg(Color::Red)),
        Some((m, Tone::Info)) => (m.clone(), Style::new().fg(Color::Green)),
        None => {
            let h = match app.screen {
                Screen::Setup => s.setup_hint,
                Screen::SignIn => s.sign_in_hint,
                Screen::Intake if area.width < 100 => s.intake_hint_short,
                Screen::Intake => s.intake_hint,
                Screen::Ticket => s.ticket_hint,
                Screen::Queue => s.queue_hint,
                Screen::Case => s.case_hint,
                Screen::Search => s.search_hint,
            };
            (h.to_string(), Style::new().fg(Color::DarkGray))
        }
    };
    f.render_widget(
        Paragraph::new(truncate(&format!(" {text}"), area.width as usize)).style(style),
        area,
    );
}

fn status_line(app: &App, f: &mut Frame, area: Rect) {
    let s = app.s;
    let (db, db_style) = match app.health.map(|h| h.database) {
        Some(DbStatus::Connected) => (s.db_connected, Style::new().fg(Color::Green)),
        Some(DbStatus::Reconnecting) => (s.db_reconnecting, Style::new().fg(Color::Red)),
        None => (s.db_unknown, Style::new()),
    };
    let (printer, p_style) = match app.health.map(|h| h.printer) {
        Some(PrinterHealth::Ready) => (s.printer_ready.to_string(), Style::new().fg(Color::Green)),
        Some(PrinterHealth::PaperOut) => {
            (s.printer_paper_out.to_string(), Style::new().fg(Color::Red))
        }
        Some(PrinterHealth::Offline) => {
            (s.printer_offline.to_string(), Style::new().fg(Color::Red))
        }
        None => (s.db_unknown.to_string(), Style::new()),
    };
    let pending = app
        .health
        .map(|h| h.pending_print_jobs)
        .filter(|n| *n > 0)
        .map(|n| format!(" {}", fill(s.printer_pending, &[("n", &n.to_string())])))
        .unwrap_or_default();
    let who = match &app.staff {
        Some(st) if st.role == StaffRole::Supervisor => {
            format!("{} {}（{}）", st.number, st.name, s.supervisor)
        }
        Some(st) => format!("{} {}", st.number, st.name),
        None => s.not_signed_in.to_string(),
    };
    let sep = Span::raw(" │ ");
    let line = Line::from(vec![
        Span::raw(format!(" {}:", s.db)),
        Span::styled(db, db_style),
        sep.clone(),
        Span::raw(format!("{}:", s.printer)),
        Span::styled(format!("{printer}{pending}"), p_style),
        sep.clone(),
        Span::raw(who),
        sep.clone(),
        Span::raw(format!("{} {}", s.window, app.settings.window)),
        sep,
        Span::raw(app.now.format("%Y-%m-%d %H:%M").to_string()),
    ]);
    f.render_widget(
        Paragraph::new(line).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
}

fn help(app: &App, f: &mut Frame, area: Rect) {
    let s = app.s;
    let keys = s.help_keys;
    let key_w = keys.iter().map(|(k, _)| k.width()).max().unwrap_or(0) + 2;
    let mut lines: Vec<Line> = keys
        .iter()
        .map(|(k, d)| {
            Line::from(vec![
                Span::styled(pad(k, key_w), Style::new().add_modifier(Modifier::BOLD)),
                Span::raw(*d),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(s.help_close, Style::new().fg(Color::DarkGray)));
    let w = (lines.iter().map(Line::width).max().unwrap_or(20) as u16 + 4).min(area.width);
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    clear_area(f, r);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", s.help_title)),
        ),
        r,
    );
}

/// Blanks `r` before a popup or box is drawn over what is there. A wide character in the column
/// just left of `r` covers `r`'s first column too: the terminal would draw its right half over
/// the box's left border (and the frame diff skips the cell after a wide character, so the
/// border would never be sent). Such a character is blanked with the area. One whose left half
/// is in `r`'s last column goes with the area itself; the terminal erases its right half when
/// the border overwrites the left.
pub(crate) fn clear_area(f: &mut Frame, r: Rect) {
    f.render_widget(Clear, r);
    let buf = f.buffer_mut();
    if r.x <= buf.area.x {
        return;
    }
    for y in r.top()..r.bottom().min(buf.area.bottom()) {
        let cell = &mut buf[(r.x - 1, y)];
        if cell.symbol().width() > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Pads with spaces to `width` display columns (a Chinese character counts two).
pub(crate) fn pad(s: &str, width: usize) -> String {
    let t = truncate(s, width);
    let n = width.saturating_sub(t.width());
    format!("{t}{}", " ".repeat(n))
}

/// Cuts to at most `width` display columns without splitting a wide character; marks the cut.
pub(crate) fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// The label in the kiosk's language of a (code, Chinese, English) option.
pub(crate) fn label_of(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    (crate::i18n::kiosk::strings(lang).option)(zh, en)
}

pub(crate) fn route_label(lang: Lang, r: crate::domain::Route) -> &'static str {
    r.label(lang)
}

pub(crate) fn flag_label(lang: Lang, fl: crate::domain::Flag) -> &'static str {
    fl.label(lang)
}

pub(crate) fn boxed<'a>(title: &'a str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
}

/// Breaks text into lines of at most `width` display columns, at any character: Chinese has no
/// spaces to break at, so a word wrapper would push a whole sentence onto the next line.
pub(crate) fn wrap_width(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![];
    let mut line = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && !line.is_empty() {
            // Latin words (English reasons, statute names) break at the last space, so the
            // panel never shows "Arbitratio / n"; Chinese text breaks between any characters.
            let carry = if c.is_ascii_alphanumeric() || c.is_ascii_punctuation() {
                word_tail(&line)
            } else {
                None
            };
            match carry {
                Some(at) => {
                    let tail = line[at..].trim_start().to_string();
                    line.truncate(at);
                    lines.push(line.trim_end().to_string());
                    used = tail.width();
                    line = tail;
                }
                None => {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
            }
            if c == ' ' && line.is_empty() {
                continue;
            }
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Where the Latin word that ends `line` starts (at its preceding space), when the line holds
/// more than that word; `None` when the line does not end in such a word.
fn word_tail(line: &str) -> Option<usize> {
    let word = line
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || c.is_ascii_punctuation())
        .last()
        .map(|(i, _)| i)?;
    let before = line[..word].chars().next_back()?;
    (before == ' ' && !line[..word].trim().is_empty()).then_some(word)
}

#[cfg(test)]
mod wrap_tests {
    use super::wrap_width;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn latin_words_break_at_spaces_and_chinese_anywhere() {
        let lines = wrap_width(
            "Labour Dispute Mediation and Arbitration Law 《劳动争议调解仲裁法》 art. 9",
            20,
        );
        assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
        for word in [
            "Labour",
            "Dispute",
            "Mediation",
            "Arbitration",
            "Law",
            "art.",
        ] {
            assert!(
                lines.iter().any(|l| l.split(' ').any(|w| w == word)),
                "{word} whole in {lines:?}"
            );
        }
        assert_eq!(
            wrap_width("劳动争议调解仲裁法", 6),
            vec!["劳动争", "议调解", "仲裁法"]
        );
        // A word longer than the line still breaks, and nothing is lost.
        let long = wrap_width("Supercalifragilistic word", 8);
        assert_eq!(long.concat().replace(' ', ""), "Supercalifragilisticword");
    }
}
