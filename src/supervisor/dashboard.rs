//! The supervisor's dashboard: per-queue and per-window figures, alerts, charts. `build` turns
//! rows from storage into a snapshot (pure, benchmarked with 5,000 waiting tickets); `draw` renders
//! it (pure, never awaits).

use super::strings::{describe_alert, strings};
use crate::config::Lang;
use crate::domain::alerts::Alert;
use chrono::{DateTime, FixedOffset, Timelike};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Row, Table};
use std::collections::BTreeMap;

pub use crate::domain::TicketState;

/// One of today's tickets.
#[derive(Debug, Clone)]
pub struct TicketRow {
    pub ticket_no: String,
    pub queue_prefix: String,
    pub state: TicketState,
    pub issued_at: DateTime<FixedOffset>,
    pub called_at: Option<DateTime<FixedOffset>>,
    pub started_at: Option<DateTime<FixedOffset>>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    pub window: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct QueueInfo {
    pub prefix: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct WindowInfo {
    pub number: i64,
    /// Staff number of the clerk signed in, if any.
    pub clerk: Option<String>,
    pub signed_in_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueStat {
    pub prefix: String,
    pub name: String,
    pub waiting: u32,
    pub longest_wait_min: i64,
    pub mean_wait_min: Option<f64>,
    pub mean_service_min: Option<f64>,
    pub served: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WindowActivity {
    SignedOut,
    Serving { ticket_no: String, minutes: i64 },
    Idle { minutes: i64 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct WindowStat {
    pub number: i64,
    pub clerk: Option<String>,
    pub activity: WindowActivity,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub now: DateTime<FixedOffset>,
    pub queues: Vec<QueueStat>,
    pub windows: Vec<WindowStat>,
    pub alerts: Vec<Alert>,
    pub arrivals_today: [u64; 24],
    pub arrivals_last_week: [u64; 24],
    pub by_category: Vec<(String, u64)>,
    pub by_route: Vec<(String, u64)>,
}

/// Inputs for one snapshot.
pub struct Inputs<'a> {
    pub now: DateTime<FixedOffset>,
    pub queues: &'a [QueueInfo],
    pub windows: &'a [WindowInfo],
    pub today: &'a [TicketRow],
    /// Issue times of the same weekday last week.
    pub last_week_issued: &'a [DateTime<FixedOffset>],
    pub alerts: Vec<Alert>,
    pub by_category: Vec<(String, u64)>,
    pub by_route: Vec<(String, u64)>,
}

fn minutes(a: DateTime<FixedOffset>, b: DateTime<FixedOffset>) -> f64 {
    (b - a).num_seconds() as f64 / 60.0
}

pub fn build(i: Inputs) -> Snapshot {
    #[derive(Default)]
    struct Acc {
        waiting: u32,
        longest: i64,
        wait_sum: f64,
        wait_n: u32,
        service_sum: f64,
        service_n: u32,
        served: u32,
    }
    let mut acc: BTreeMap<&str, Acc> = i
        .queues
        .iter()
        .map(|q| (q.prefix.as_str(), Acc::default()))
        .collect();
    let mut serving_at: BTreeMap<i64, (&str, DateTime<FixedOffset>)> = BTreeMap::new();
    let mut last_done_at: BTreeMap<i64, DateTime<FixedOffset>> = BTreeMap::new();
    let mut arrivals_today = [0u64; 24];
    for t in i.today {
        arrivals_today[t.issued_at.hour() as usize] += 1;
        let Some(a) = acc.get_mut(t.queue_prefix.as_str()) else {
            continue;
        };
        match t.state {
            TicketState::Waiting => {
                a.waiting += 1;
                a.longest = a.longest.max((i.now - t.issued_at).num_minutes());
            }
            TicketState::Serving | TicketState::Called => {
                if let (Some(w), Some(at)) = (t.window, t.started_at.or(t.called_at)) {
                    serving_at.insert(w, (t.ticket_no.as_str(), at));
                }
            }
            TicketState::Done => {
                a.served += 1;
                if let (Some(s), Some(f)) = (t.started_at, t.finished_at) {
                    a.service_sum += minutes(s, f);
                    a.service_n += 1;
                }
                if let (Some(w), Some(f)) = (t.window, t.finished_at) {
                    let e = last_done_at.entry(w).or_insert(f);
                    *e = (*e).max(f);
                }
            }
            // A transferred ticket lives on as the new one in its target queue.
            TicketState::NoShow | TicketState::Transferred => {}
        }
        if let Some(c) = t.called_at {
            a.wait_sum += minutes(t.issued_at, c);
            a.wait_n += 1;
        }
    }
    let mean = |sum: f64, n: u32| (n > 0).then(|| sum / f64::from(n));
    let queues = i
        .queues
        .iter()
        .map(|q| {
            let a = &acc[q.prefix.as_str()];
            QueueStat {
                prefix: q.prefix.clone(),
                name: q.name.clone(),
                waiting: a.waiting,
                longest_wait_min: a.longest,
                mean_wait_min: mean(a.wait_sum, a.wait_n),
                mean_service_min: mean(a.service_sum, a.service_n),
                served: a.served,
            }
        })
        .collect();
    let windows = i
        .windows
        .iter()
        .map(|w| {
            let activity = match (&w.clerk, serving_at.get(&w.number)) {
                (None, _) => WindowActivity::SignedOut,
                (Some(_), Some((ticket, at))) => WindowActivity::Serving {
                    ticket_no: (*ticket).to_string(),
                    minutes: (i.now - *at).num_minutes(),
                },
                (Some(_), None) => {
                    let since = [last_done_at.get(&w.number).copied(), w.signed_in_at]
                        .into_iter()
                        .flatten()
                        .max()
                        .unwrap_or(i.now);
                    WindowActivity::Idle {
                        minutes: (i.now - since).num_minutes(),
                    }
                }
            };
            WindowStat {
                number: w.number,
                clerk: w.clerk.clone(),
                activity,
            }
        })
        .collect();
    let mut arrivals_last_week = [0u64; 24];
    for t in i.last_week_issued {
        arrivals_last_week[t.hour() as usize] += 1;
    }
    Snapshot {
        now: i.now,
        queues,
        windows,
        alerts: i.alerts,
        arrivals_today,
        arrivals_last_week,
        by_category: i.by_category,
        by_route: i.by_route,
    }
}

fn fmt_min(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "—".to_string(), |m| format!("{m:.0} {unit}"))
}

pub fn draw(frame: &mut Frame, snap: &Snapshot, lang: Lang) {
    let s = strings(lang);
    let area = frame.area();
    if area.width < 60 || area.height < 20 {
        frame.render_widget(
            Paragraph::new(s.too_small).alignment(Alignment::Center),
            area,
        );
        return;
    }
    let [title, top, middle, charts, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(snap.queues.len() as u16 + 3),
        Constraint::Min(6),
        Constraint::Length(9),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(format!(
            "{}  {}",
            s.dashboard_title,
            snap.now.format("%Y-%m-%d %H:%M")
        ))
        .style(Style::new().add_modifier(Modifier::BOLD)),
        title,
    );
    draw_queues(frame, snap, lang, top);
    let [windows, alerts] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(middle);
    draw_windows(frame, snap, lang, windows);
    draw_alerts(frame, snap, lang, alerts);
    draw_charts(frame, snap, lang, charts);
    frame.render_widget(
        Paragraph::new(s.keys).style(Style::new().fg(Color::DarkGray)),
        keys,
    );
}

fn draw_queues(frame: &mut Frame, snap: &Snapshot, lang: Lang, area: Rect) {
    let s = strings(lang);
    let header = Row::new(vec![
        s.queue,
        s.waiting,
        s.longest_wait,
        s.mean_wait,
        s.mean_service,
        s.served,
    ])
    .style(Style::new().add_modifier(Modifier::BOLD));
    let rows = snap.queues.iter().map(|q| {
        Row::new(vec![
            format!("{} {}", q.prefix, q.name),
            q.waiting.to_string(),
            format!("{} {}", q.longest_wait_min, s.minutes),
            fmt_min(q.mean_wait_min, s.minutes),
            fmt_min(q.mean_service_min, s.minutes),
            q.served.to_string(),
        ])
    });
    let widths = [
        Constraint::Min(24),
        Constraint::Length(8),
        Constraint::Length(12),
        Constraint::Length(12),
        Constraint::Length(12),
        Constraint::Length(8),
    ];
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(Block::new().borders(Borders::ALL).title(s.queues)),
        area,
    );
}

fn draw_windows(frame: &mut Frame, snap: &Snapshot, lang: Lang, area: Rect) {
    let s = strings(lang);
    let lines: Vec<Line> = snap
        .windows
        .iter()
        .map(|w| {
            let who = w.clerk.clone().unwrap_or_default();
            let what = match &w.activity {
                WindowActivity::SignedOut => s.closed.to_string(),
                WindowActivity::Serving { ticket_no, minutes } => {
                    format!("{} {ticket_no} {minutes}{}", s.serving, s.minutes)
                }
                WindowActivity::Idle { minutes } => format!("{} {minutes}{}", s.idle, s.minutes),
            };
            Line::from(format!("{:>2}  {:<6} {what}", w.number, who))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(s.windows)),
        area,
    );
}

fn draw_alerts(frame: &mut Frame, snap: &Snapshot, lang: Lang, area: Rect) {
    let s = strings(lang);
    let lines: Vec<Line> = if snap.alerts.is_empty() {
        vec![Line::from(s.no_alerts)]
    } else {
        snap.alerts
            .iter()
            .map(|a| {
                let style = if a.highlight {
                    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
                } else {
                    Style::new()
                };
                let mark = if a.highlight { "! " } else { "  " };
                Line::from(Span::styled(
                    format!(
                        "{mark}{}",
                        describe_alert(lang, a.kind, &a.subject, a.figure)
                    ),
                    style,
                ))
            })
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(format!(
            "{} ({})",
            s.alerts,
            snap.alerts.len()
        ))),
        area,
    );
}

fn draw_charts(frame: &mut Frame, snap: &Snapshot, lang: Lang, area: Rect) {
    let s = strings(lang);
    let [arrivals, cats, routes] = Layout::horizontal([
        Constraint::Percentage(50),
        Constraint::Percentage(25),
        Constraint::Percentage(25),
    ])
    .areas(area);
    // Office hours only: the hall is closed at night and empty bars would hide the shape.
    let groups: Vec<BarGroup> = (8..18)
        .map(|h| {
            BarGroup::default()
                .label(Line::from(format!("{h}")))
                .bars(&[
                    Bar::default()
                        .value(snap.arrivals_today[h])
                        .style(Style::new().fg(Color::Cyan)),
                    Bar::default()
                        .value(snap.arrivals_last_week[h])
                        .style(Style::new().fg(Color::DarkGray)),
                ])
        })
        .collect();
    let mut chart = BarChart::default()
        .block(Block::new().borders(Borders::ALL).title(s.arrivals))
        .bar_width(1)
        .bar_gap(0)
        .group_gap(1);
    for g in groups {
        chart = chart.data(g);
    }
    frame.render_widget(chart, arrivals);
    for (title, data, rect) in [
        (s.by_category, &snap.by_category, cats),
        (s.by_route, &snap.by_route, routes),
    ] {
        let lines: Vec<Line> = data
            .iter()
            .map(|(k, v)| Line::from(format!("{k} {v}")))
            .collect();
        frame.render_widget(
            Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(title)),
            rect,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::alerts::AlertKind;
    use chrono::{Duration, TimeZone};
    use ratatui::{Terminal, backend::TestBackend};

    fn at(h: u32, m: u32) -> DateTime<FixedOffset> {
        crate::domain::china_time()
            .with_ymd_and_hms(2025, 3, 10, h, m, 0)
            .single()
            .expect("t")
    }

    fn ticket(no: &str, state: TicketState, issued: DateTime<FixedOffset>) -> TicketRow {
        TicketRow {
            ticket_no: no.into(),
            queue_prefix: no[..1].into(),
            state,
            issued_at: issued,
            called_at: None,
            started_at: None,
            finished_at: None,
            window: None,
        }
    }

    fn sample() -> Snapshot {
        let queues = [
            QueueInfo {
                prefix: "T".into(),
                name: "劳动人事争议调解".into(),
            },
            QueueInfo {
                prefix: "J".into(),
                name: "劳动保障监察".into(),
            },
        ];
        let windows = [
            WindowInfo {
                number: 1,
                clerk: Some("1001".into()),
                signed_in_at: Some(at(8, 30)),
            },
            WindowInfo {
                number: 2,
                clerk: Some("1002".into()),
                signed_in_at: Some(at(8, 30)),
            },
            WindowInfo {
                number: 3,
                clerk: None,
                signed_in_at: None,
            },
        ];
        let mut done = ticket("T001", TicketState::Done, at(8, 40));
        done.called_at = Some(at(8, 50));
        done.started_at = Some(at(8, 52));
        done.finished_at = Some(at(9, 22));
        done.window = Some(2);
        let mut serving = ticket("T002", TicketState::Serving, at(9, 0));
        serving.called_at = Some(at(9, 30));
        serving.started_at = Some(at(9, 31));
        serving.window = Some(1);
        let today = vec![
            done,
            serving,
            ticket("T003", TicketState::Waiting, at(9, 10)),
            ticket("T004", TicketState::Waiting, at(9, 40)),
            ticket("J001", TicketState::Waiting, at(9, 50)),
        ];
        let alerts = vec![Alert {
            kind: AlertKind::Major,
            subject: "ZZ01-20250310-0003".into(),
            figure: 0,
            highlight: true,
        }];
        build(Inputs {
            now: at(10, 0),
            queues: &queues,
            windows: &windows,
            today: &today,
            last_week_issued: &[at(9, 5) - Duration::days(7)],
            alerts,
            by_category: vec![("劳动报酬".into(), 3)],
            by_route: vec![("调解".into(), 2)],
        })
    }

    #[test]
    fn figures_per_queue_and_window() {
        let s = sample();
        let t = &s.queues[0];
        assert_eq!((t.waiting, t.longest_wait_min, t.served), (2, 50, 1));
        // Waits of called tickets: 10 and 30 minutes.
        assert_eq!(t.mean_wait_min, Some(20.0));
        assert_eq!(t.mean_service_min, Some(30.0));
        assert_eq!(s.queues[1].waiting, 1);
        assert_eq!(
            s.windows[0].activity,
            WindowActivity::Serving {
                ticket_no: "T002".into(),
                minutes: 29
            }
        );
        assert_eq!(s.windows[1].activity, WindowActivity::Idle { minutes: 38 });
        assert_eq!(s.windows[2].activity, WindowActivity::SignedOut);
        assert_eq!(s.arrivals_today[9], 4);
        assert_eq!(s.arrivals_last_week[9], 1);
    }

    #[test]
    fn the_dashboard_shows_queues_windows_and_highlighted_alerts() {
        let snap = sample();
        for (lang, w, h, needle) in [
            (Lang::Zh, 120, 40, "重大集体争议 ZZ01-20250310-0003"),
            (Lang::Zh, 80, 24, "劳动人事争议调解"),
            (Lang::En, 120, 40, "Major collective dispute"),
        ] {
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            term.draw(|f| draw(f, &snap, lang)).expect("draw");
            let text = crate::supervisor::buffer_text(term.backend().buffer());
            assert!(text.contains(needle), "{lang:?} {w}x{h}:\n{text}");
        }
        let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        term.draw(|f| draw(f, &snap, Lang::Zh)).expect("draw");
        let text = crate::supervisor::buffer_text(term.backend().buffer());
        assert!(text.contains("正在办理 T002 29分钟"), "{text}");
        assert!(text.contains("未登录"), "{text}");
    }
}
