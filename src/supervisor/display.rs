//! The waiting-hall board: the latest call in large digits, recent calls, waiting counts per queue.
//! Only ticket numbers and window numbers appear: no personal data reaches the hall.

use crate::config::Lang;
use crate::i18n::dashboard::strings;
use crate::i18n::fill;
use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use tui_big_text::{BigText, PixelSize};

/// One call as the hall sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub ticket_no: String,
    pub window: i64,
    pub at: DateTime<FixedOffset>,
}

/// Waiting count for one queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCount {
    pub name: String,
    pub prefix: String,
    pub waiting: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Board {
    pub site_name: String,
    /// Newest first.
    pub calls: Vec<Call>,
    pub queues: Vec<QueueCount>,
    /// Set while the database is away: the board is the last one read, and says since when.
    pub stale_since: Option<DateTime<FixedOffset>>,
}

impl Board {
    /// Records a call; the board keeps the latest `keep` calls, newest first.
    pub fn push_call(&mut self, call: Call, keep: usize) {
        self.calls.retain(|c| c.ticket_no != call.ticket_no);
        self.calls.insert(0, call);
        self.calls.truncate(keep);
    }
}

/// What a voice caller says for a call ("请T012号到3号窗口").
pub fn announcement(lang: Lang, call: &Call) -> String {
    fill(
        strings(lang).announcement,
        &[("t", &call.ticket_no), ("w", &call.window.to_string())],
    )
}

/// What the voice says for a call: the ticket number read out character by character ("T015" is
/// "T 零 一 五", never the quantity "T 零十五" or "一千五"), so a worker hears the number printed on
/// the ticket.
pub fn spoken(lang: Lang, call: &Call) -> String {
    let s = strings(lang);
    let chars: Vec<String> = call
        .ticket_no
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_digit(10) {
            Some(d) => s.spoken_digits[d as usize].to_string(),
            None => c.to_ascii_uppercase().to_string(),
        })
        .collect();
    let ticket = chars.join(" ");
    fill(s.spoken, &[("t", &ticket), ("w", &call.window.to_string())])
}

pub fn draw(frame: &mut Frame, board: &Board, lang: Lang) {
    let s = strings(lang);
    let area = frame.area();
    if area.width < 40 || area.height < 12 {
        frame.render_widget(
            Paragraph::new(s.too_small).alignment(Alignment::Center),
            area,
        );
        return;
    }
    let [title, main, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(9),
        Constraint::Length(4),
    ])
    .areas(area);
    let heading = if board.site_name.is_empty() {
        s.hall_title
    } else {
        board.site_name.as_str()
    };
    match board.stale_since {
        Some(since) => frame.render_widget(
            Paragraph::new(
                s.board_stale
                    .replace("{since}", &since.format("%H:%M:%S").to_string()),
            )
            .alignment(Alignment::Center)
            .style(Style::new().fg(Color::Black).bg(Color::Yellow)),
            title,
        ),
        None => frame.render_widget(
            Paragraph::new(heading)
                .alignment(Alignment::Center)
                .style(Style::new().add_modifier(Modifier::BOLD)),
            title,
        ),
    }
    let [now, recent] =
        Layout::horizontal([Constraint::Percentage(68), Constraint::Percentage(32)]).areas(main);
    draw_now(frame, board, lang, now);
    draw_recent(frame, board, lang, recent);
    draw_waiting(frame, board, lang, bottom);
}

fn draw_now(frame: &mut Frame, board: &Board, lang: Lang, area: Rect) {
    let s = strings(lang);
    let block = Block::new().borders(Borders::ALL);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(call) = board.calls.first() else {
        frame.render_widget(
            Paragraph::new(s.no_calls_yet).alignment(Alignment::Center),
            inner,
        );
        return;
    };
    // The big line is ASCII only (ticket → window), the 8×8 font has no Chinese; the sentence
    // under it says the same in words.
    let big = format!("{}>{}", call.ticket_no, call.window);
    let size = if inner.width as usize >= big.len() * 8 && inner.height >= 10 {
        PixelSize::Full
    } else {
        PixelSize::Quadrant
    };
    let rows = if size == PixelSize::Full { 8 } else { 4 };
    let [big_area, words] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(1)]).areas(inner);
    let text = BigText::builder()
        .pixel_size(size)
        .style(Style::new().fg(Color::Yellow))
        .lines(vec![big.into()])
        .centered()
        .build();
    frame.render_widget(text, big_area);
    frame.render_widget(
        Paragraph::new(
            Line::from(announcement(lang, call)).style(Style::new().add_modifier(Modifier::BOLD)),
        )
        .alignment(Alignment::Center),
        words,
    );
}

fn draw_recent(frame: &mut Frame, board: &Board, lang: Lang, area: Rect) {
    let s = strings(lang);
    let lines: Vec<Line> = board
        .calls
        .iter()
        .skip(1)
        .map(|c| {
            Line::from(vec![
                Span::styled(
                    format!("{:>6}", c.ticket_no),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!(
                    "  → {}  ",
                    fill(s.to_window, &[("w", &c.window.to_string())])
                )),
                Span::raw(c.at.format("%H:%M").to_string()),
            ])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(s.recent_calls)),
        area,
    );
}

fn draw_waiting(frame: &mut Frame, board: &Board, lang: Lang, area: Rect) {
    let s = strings(lang);
    let spans: Vec<Span> = board
        .queues
        .iter()
        .flat_map(|q| {
            [
                Span::raw(format!("{}（{}）", q.name, q.prefix)),
                Span::styled(
                    fill(s.people, &[("n", &q.waiting.to_string())]),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw("    "),
            ]
        })
        .collect();
    frame.render_widget(
        Paragraph::new(Line::from(spans))
            .block(Block::new().borders(Borders::ALL).title(s.waiting)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use ratatui::{Terminal, backend::TestBackend};

    fn board() -> Board {
        let at = |m| {
            crate::domain::china_time()
                .with_ymd_and_hms(2025, 3, 10, 9, m, 0)
                .single()
                .expect("t")
        };
        let mut b = Board {
            site_name: "金水区劳动人事争议调解中心".into(),
            ..Board::default()
        };
        b.push_call(
            Call {
                ticket_no: "T011".into(),
                window: 2,
                at: at(1),
            },
            6,
        );
        b.push_call(
            Call {
                ticket_no: "J003".into(),
                window: 1,
                at: at(5),
            },
            6,
        );
        b.push_call(
            Call {
                ticket_no: "T012".into(),
                window: 3,
                at: at(9),
            },
            6,
        );
        b.queues = vec![
            QueueCount {
                name: "劳动人事争议调解".into(),
                prefix: "T".into(),
                waiting: 4,
            },
            QueueCount {
                name: "劳动保障监察".into(),
                prefix: "J".into(),
                waiting: 1,
            },
        ];
        b
    }

    fn render(b: &Board, lang: Lang, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| draw(f, b, lang)).expect("draw");
        crate::supervisor::buffer_text(t.backend().buffer())
    }

    #[test]
    fn the_latest_call_is_said_in_words_and_recent_calls_follow() {
        let text = render(&board(), Lang::Zh, 120, 40);
        assert!(text.contains("请T012号到3号窗口"), "{text}");
        assert!(text.contains("J003"), "{text}");
        assert!(text.contains("T011"), "{text}");
        assert!(text.contains("4 人"), "{text}");
        let en = render(&board(), Lang::En, 120, 40);
        assert!(en.contains("Ticket T012, please go to window 3"), "{en}");
    }

    #[test]
    fn a_recall_moves_the_ticket_to_the_top_once() {
        let mut b = board();
        let at = crate::domain::china_time()
            .with_ymd_and_hms(2025, 3, 10, 9, 20, 0)
            .single()
            .expect("t");
        b.push_call(
            Call {
                ticket_no: "T011".into(),
                window: 2,
                at,
            },
            6,
        );
        assert_eq!(
            b.calls
                .iter()
                .map(|c| c.ticket_no.as_str())
                .collect::<Vec<_>>(),
            ["T011", "T012", "J003"]
        );
    }

    #[test]
    fn ticket_numbers_are_spoken_character_by_character() {
        let at = crate::domain::china_time()
            .with_ymd_and_hms(2025, 3, 10, 9, 0, 0)
            .single()
            .expect("t");
        let call = |no: &str| Call {
            ticket_no: no.into(),
            window: 3,
            at,
        };
        assert_eq!(
            spoken(Lang::Zh, &call("T015")),
            "请 T 零 一 五 号，到 3 号窗口"
        );
        assert_eq!(
            spoken(Lang::Zh, &call("T1005")),
            "请 T 一 零 零 五 号，到 3 号窗口"
        );
        assert_eq!(
            spoken(Lang::En, &call("z011")),
            "Ticket Z 0 1 1, please go to window 3"
        );
    }

    #[test]
    fn small_screens_get_a_message_not_a_panic() {
        let text = render(&board(), Lang::Zh, 30, 8);
        assert!(text.contains("窗口太小"), "{text}");
        let text = render(&board(), Lang::Zh, 80, 24);
        assert!(text.contains("请T012号到3号窗口"), "{text}");
    }
}
