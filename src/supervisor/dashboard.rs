//! The supervisor's dashboard: per-queue and per-window figures, alerts, charts. `build` turns
//! rows from storage into a snapshot (pure, benchmarked with 5,000 waiting tickets); `draw` renders
//! it (pure, never awaits).

use super::fit;
use crate::config::Lang;
use crate::domain::alerts::Alert;
use crate::i18n::dashboard::{alert_parts, strings};
use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, List, ListItem, ListState, Paragraph,
};
use std::collections::BTreeMap;

pub use crate::domain::TicketState;

/// One of today's tickets.
#[derive(Debug, Clone)]
pub struct TicketRow {
    pub ticket_no: String,
    pub queue_prefix: String,
    pub state: TicketState,
    /// The issue of the first ticket of the visit: waits count from here (transfers included).
    pub issued_at: DateTime<FixedOffset>,
    /// The issue of this ticket (later than `issued_at` after a transfer).
    pub reissued_at: DateTime<FixedOffset>,
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
    /// The longest wait of a worker waiting now, from the first ticket of the visit.
    pub longest_wait_min: i64,
    /// That worker's time since their ticket was re-issued here, when it was transferred.
    pub longest_since_reissue_min: Option<i64>,
    /// Mean wait of the workers served today (the report's definition, `domain::stats`).
    pub mean_wait_min: Option<f64>,
    pub mean_service_min: Option<f64>,
    pub served: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WindowActivity {
    SignedOut,
    /// Called, the worker not yet at the window: not yet 正在办理.
    Called {
        ticket_no: String,
        minutes: i64,
    },
    Serving {
        ticket_no: String,
        minutes: i64,
    },
    Idle {
        minutes: i64,
    },
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

/// Today's served tickets of one queue that are not held in full, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Served {
    pub tickets: u32,
    /// Sum of the waits of those called (the report's definition), in seconds, and their count.
    pub wait_secs: i64,
    pub waits: u32,
    /// Sum of the services timed, in seconds, and their count.
    pub service_secs: i64,
    pub services: u32,
}

/// Today's tickets that are not held in full (the finished ones, summed by the database: a busy
/// day holds tens of thousands of them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Finished {
    /// By queue prefix.
    pub served: BTreeMap<String, Served>,
    /// When each window (by number) last finished serving a worker.
    pub last_done_at: BTreeMap<i64, DateTime<FixedOffset>>,
}

/// Inputs for one snapshot.
pub struct Inputs<'a> {
    pub now: DateTime<FixedOffset>,
    pub queues: &'a [QueueInfo],
    pub windows: &'a [WindowInfo],
    /// Today's tickets held in full: the open ones, and any finished one not in `finished`.
    pub today: &'a [TicketRow],
    pub finished: &'a Finished,
    /// Visits begun in each hour of today, and of the same weekday last week (one per visit, at
    /// its first ticket: a transfer is not a second arrival).
    pub arrivals_today: [u64; 24],
    pub arrivals_last_week: [u64; 24],
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
        longest_reissue: Option<i64>,
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
    let mut serving_at: BTreeMap<i64, (&str, bool, DateTime<FixedOffset>)> = BTreeMap::new();
    let mut last_done_at: BTreeMap<i64, DateTime<FixedOffset>> = BTreeMap::new();
    for t in i.today {
        let Some(a) = acc.get_mut(t.queue_prefix.as_str()) else {
            continue;
        };
        match t.state {
            TicketState::Waiting => {
                a.waiting += 1;
                let waited = (i.now - t.issued_at).num_minutes();
                if a.waiting == 1 || waited > a.longest {
                    a.longest = waited;
                    a.longest_reissue = (t.reissued_at != t.issued_at)
                        .then(|| (i.now - t.reissued_at).num_minutes());
                }
            }
            TicketState::Serving | TicketState::Called => {
                let serving = t.state == TicketState::Serving;
                if let (Some(w), Some(at)) = (t.window, t.started_at.or(t.called_at)) {
                    serving_at.insert(w, (t.ticket_no.as_str(), serving, at));
                }
            }
            TicketState::Done => {
                a.served += 1;
                // The one definition of a wait (`domain::stats`): first issue of the visit to
                // the call of the ticket that served the worker, over the workers served.
                if let Some(c) = t.called_at {
                    a.wait_sum += minutes(t.issued_at, c);
                    a.wait_n += 1;
                }
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
    }
    for (prefix, f) in &i.finished.served {
        let Some(a) = acc.get_mut(prefix.as_str()) else {
            continue;
        };
        a.served += f.tickets;
        a.wait_sum += f.wait_secs as f64 / 60.0;
        a.wait_n += f.waits;
        a.service_sum += f.service_secs as f64 / 60.0;
        a.service_n += f.services;
    }
    for (w, f) in &i.finished.last_done_at {
        let e = last_done_at.entry(*w).or_insert(*f);
        *e = (*e).max(*f);
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
                longest_since_reissue_min: a.longest_reissue,
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
                (Some(_), Some((ticket, true, at))) => WindowActivity::Serving {
                    ticket_no: (*ticket).to_string(),
                    minutes: (i.now - *at).num_minutes(),
                },
                (Some(_), Some((ticket, false, at))) => WindowActivity::Called {
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
    Snapshot {
        now: i.now,
        queues,
        windows,
        alerts: i.alerts,
        arrivals_today: i.arrivals_today,
        arrivals_last_week: i.arrivals_last_week,
        by_category: i.by_category,
        by_route: i.by_route,
    }
}

/// What the console adds to a snapshot when drawing it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    /// The alert under the cursor.
    pub selected: usize,
    /// A new urgent alert came: the alerts panel flashes.
    pub flash: bool,
}

fn fmt_min(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |m| format!("{m:.0}"))
}

pub fn draw(frame: &mut Frame, snap: &Snapshot, lang: Lang, view: &View) {
    let s = strings(lang);
    let area = frame.area();
    if area.width < 60 || area.height < 20 {
        frame.render_widget(
            Paragraph::new(s.too_small).alignment(Alignment::Center),
            area,
        );
        return;
    }
    // The chart gets more rows on a tall screen; on 24 rows the queues and alerts come first.
    let chart_rows = match area.height {
        0..30 => 7,
        30..45 => 10,
        _ => 14,
    };
    let [title, top, middle, charts, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(snap.queues.len() as u16 + 3),
        Constraint::Min(4),
        Constraint::Length(chart_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut heading = format!(
        "{}  {}",
        s.dashboard_title,
        snap.now.format("%Y-%m-%d %H:%M")
    );
    let mut style = Style::new().add_modifier(Modifier::BOLD);
    if view.flash {
        heading = format!("{heading}  {}", s.new_urgent);
        style = style.fg(Color::White).bg(Color::Red);
    }
    frame.render_widget(Paragraph::new(heading).style(style), title);
    draw_queues(frame, snap, lang, top);
    let [windows, alerts] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(middle);
    draw_windows(frame, snap, lang, windows);
    draw_alerts(frame, snap, lang, view, alerts);
    draw_charts(frame, snap, lang, charts);
    frame.render_widget(
        Paragraph::new(s.keys).style(Style::new().fg(Color::DarkGray)),
        keys,
    );
}

/// The queue table: number columns sized to their widest value (or heading) and right-aligned;
/// the queue's name takes the rest and is shortened when it must.
fn draw_queues(frame: &mut Frame, snap: &Snapshot, lang: Lang, area: Rect) {
    let s = strings(lang);
    let inner = area.width.saturating_sub(2) as usize;
    let numbers: Vec<[String; 5]> = snap
        .queues
        .iter()
        .map(|q| {
            let longest = match q.longest_since_reissue_min {
                Some(r) => format!("{} ({r})", q.longest_wait_min),
                None => q.longest_wait_min.to_string(),
            };
            [
                q.waiting.to_string(),
                longest,
                fmt_min(q.mean_wait_min),
                fmt_min(q.mean_service_min),
                q.served.to_string(),
            ]
        })
        .collect();
    let widest = |heads: &[&str; 5]| -> [usize; 5] {
        std::array::from_fn(|c| {
            numbers
                .iter()
                .map(|r| fit::width(&r[c]))
                .chain([fit::width(heads[c])])
                .max()
                .unwrap_or(0)
        })
    };
    // Full headings when the names keep a useful width, short ones otherwise.
    let long = [
        s.waiting,
        s.longest_wait,
        s.mean_wait,
        s.mean_service,
        s.served,
    ];
    let short = s.short_heads;
    let label_min = 10;
    let mut heads = long;
    let mut cols = widest(&heads);
    if inner.saturating_sub(cols.iter().sum::<usize>() + 5) < label_min {
        heads = short;
        cols = widest(&heads);
    }
    let label_cols = inner.saturating_sub(cols.iter().sum::<usize>() + 5);
    let row = |label: &str, cells: [&str; 5]| -> String {
        let mut line = fit::left(&fit::shorten(label, label_cols), label_cols);
        for (c, cell) in cells.iter().enumerate() {
            line.push(' ');
            line.push_str(&fit::right(cell, cols[c]));
        }
        line
    };
    let mut lines = vec![Line::styled(
        row(s.queue, heads),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for (q, n) in snap.queues.iter().zip(&numbers) {
        lines.push(Line::from(row(
            &format!("{} {}", q.prefix, q.name),
            [&n[0], &n[1], &n[2], &n[3], &n[4]],
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(s.queues)),
        area,
    );
}

fn draw_windows(frame: &mut Frame, snap: &Snapshot, lang: Lang, area: Rect) {
    let s = strings(lang);
    let inner = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = snap
        .windows
        .iter()
        .map(|w| {
            let who = w.clerk.clone().unwrap_or_default();
            // The ticket and the minutes are figures: reserved whole on the right.
            let (what, figure, style) = match &w.activity {
                WindowActivity::SignedOut => {
                    (s.closed, String::new(), Style::new().fg(Color::DarkGray))
                }
                WindowActivity::Called { ticket_no, minutes } => (
                    s.called,
                    format!("{ticket_no} {minutes}{}", s.min_short),
                    Style::new().fg(Color::Yellow),
                ),
                WindowActivity::Serving { ticket_no, minutes } => (
                    s.serving,
                    format!("{ticket_no} {minutes}{}", s.min_short),
                    Style::new().fg(Color::Green),
                ),
                WindowActivity::Idle { minutes } => {
                    (s.idle, format!("{minutes}{}", s.min_short), Style::new())
                }
            };
            let label = format!("{:>2} {who} {what}", w.number);
            Line::styled(fit::line(&label, &figure, inner), style)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(s.windows)),
        area,
    );
}

fn draw_alerts(frame: &mut Frame, snap: &Snapshot, lang: Lang, view: &View, area: Rect) {
    let s = strings(lang);
    // Room for the mark and the highlight symbol.
    let inner = (area.width.saturating_sub(2) as usize).saturating_sub(4);
    let mut block =
        Block::new()
            .borders(Borders::ALL)
            .title(format!("{} ({})", s.alerts, snap.alerts.len()));
    if view.flash {
        block = block.border_style(Style::new().fg(Color::Red).add_modifier(Modifier::BOLD));
    }
    if snap.alerts.is_empty() {
        frame.render_widget(Paragraph::new(s.no_alerts).block(block), area);
        return;
    }
    let items: Vec<ListItem> = snap
        .alerts
        .iter()
        .map(|a| {
            let (label, figure) = alert_parts(lang, a.kind, &a.subject, a.figure, a.count);
            let style = match (a.record.is_some(), a.kind.urgent()) {
                (true, true) => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                (true, false) => Style::new().fg(Color::Red),
                _ => Style::new().fg(Color::Yellow),
            };
            let mark = if a.record.is_some() { "! " } else { "  " };
            ListItem::new(Line::styled(
                format!("{mark}{}", fit::line(&label, &figure, inner)),
                style,
            ))
        })
        .collect();
    let list = List::new(items)
        .block(block)
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
    let mut state =
        ListState::default().with_selected(Some(view.selected.min(snap.alerts.len() - 1)));
    frame.render_stateful_widget(list, area, &mut state);
}

/// Digits of the widest value, at least two columns (so bars are apart and hours legible).
fn bar_cols(values: &[u64]) -> u16 {
    values
        .iter()
        .map(|v| v.to_string().len() as u16)
        .max()
        .unwrap_or(1)
        .max(2)
}

fn draw_charts(frame: &mut Frame, snap: &Snapshot, lang: Lang, area: Rect) {
    let s = strings(lang);
    // On a narrow screen the chart takes more of the row: ten hours of bars with three-digit
    // values need 39 columns.
    let chart_share = if area.width < 100 { 60 } else { 50 };
    let rest = (100 - chart_share) / 2;
    let [arrivals, cats, routes] = Layout::horizontal([
        Constraint::Percentage(chart_share),
        Constraint::Percentage(rest),
        Constraint::Percentage(rest),
    ])
    .areas(area);
    // Office hours only: the hall is closed at night and empty bars would hide the shape. Each
    // hour has a bar wide enough for its value; last week's bar beside it when there is room.
    let hours: Vec<usize> = (8..18).collect();
    let inner = arrivals.width.saturating_sub(2);
    let today: Vec<u64> = hours.iter().map(|h| snap.arrivals_today[*h]).collect();
    let week: Vec<u64> = hours.iter().map(|h| snap.arrivals_last_week[*h]).collect();
    let n = hours.len() as u16;
    let both = bar_cols(&[today.clone(), week.clone()].concat());
    let (bar, with_week, title) = if n * both * 2 + (n - 1) <= inner {
        (both, true, s.arrivals)
    } else {
        (bar_cols(&today), false, s.arrivals_today_only)
    };
    let mut chart = BarChart::default()
        .block(Block::new().borders(Borders::ALL).title(title))
        .bar_width(bar)
        .bar_gap(0)
        .group_gap(1)
        .value_style(Style::new().fg(Color::Black).bg(Color::Cyan));
    for (i, h) in hours.iter().enumerate() {
        let mut bars = vec![
            Bar::default()
                .value(today[i])
                .style(Style::new().fg(Color::Cyan))
                .value_style(Style::new().fg(Color::Black).bg(Color::Cyan)),
        ];
        if with_week {
            bars.push(
                Bar::default()
                    .value(week[i])
                    .style(Style::new().fg(Color::DarkGray))
                    .value_style(Style::new().fg(Color::White).bg(Color::DarkGray)),
            );
        }
        chart = chart.data(
            BarGroup::default()
                .label(Line::from(format!("{h}")).centered())
                .bars(&bars),
        );
    }
    frame.render_widget(chart, arrivals);
    for (title, data, rect) in [
        (s.by_category, &snap.by_category, cats),
        (s.by_route, &snap.by_route, routes),
    ] {
        let cols = rect.width.saturating_sub(2) as usize;
        let lines: Vec<Line> = data
            .iter()
            .map(|(k, v)| Line::from(fit::line(k, &v.to_string(), cols)))
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
    use chrono::TimeZone;
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
            reissued_at: issued,
            called_at: None,
            started_at: None,
            finished_at: None,
            window: None,
        }
    }

    fn sample() -> Snapshot {
        sample_holding(true)
    }

    /// The sample day, its served ticket T001 held in full or summed as the database sums it.
    fn sample_holding(done_in_full: bool) -> Snapshot {
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
        let mut finished = Finished::default();
        let mut today = vec![];
        if done_in_full {
            today.push(done);
        } else {
            finished.served.insert(
                "T".into(),
                Served {
                    tickets: 1,
                    wait_secs: 600,
                    waits: 1,
                    service_secs: 1800,
                    services: 1,
                },
            );
            finished.last_done_at.insert(2, at(9, 22));
        }
        today.extend([
            serving,
            ticket("T003", TicketState::Waiting, at(9, 10)),
            ticket("T004", TicketState::Waiting, at(9, 40)),
            ticket("J001", TicketState::Waiting, at(9, 50)),
        ]);
        let alerts = vec![Alert {
            kind: AlertKind::Major,
            subject: "ZZ01-20250310-0003".into(),
            figure: 0,
            count: 1,
            record: Some(1),
            highlight: true,
        }];
        let mut arrivals_today = [0; 24];
        (arrivals_today[8], arrivals_today[9]) = (1, 4);
        let mut last_week = [0; 24];
        last_week[9] = 1;
        build(Inputs {
            now: at(10, 0),
            queues: &queues,
            windows: &windows,
            today: &today,
            finished: &finished,
            arrivals_today,
            arrivals_last_week: last_week,
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
        // Waits of the workers served (the report's definition): T001's 10 minutes; T002, being
        // served, counts when it is done.
        assert_eq!(t.mean_wait_min, Some(10.0));
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
    }

    #[test]
    fn served_tickets_summed_count_as_when_held_in_full() {
        assert_eq!(sample_holding(false), sample_holding(true));
    }

    #[test]
    fn the_dashboard_shows_queues_windows_and_highlighted_alerts() {
        let snap = sample();
        for (lang, w, h, needle) in [
            (Lang::Zh, 120, 40, "ZZ01-20250310-0003"),
            (Lang::Zh, 80, 24, "劳动人事争议调解"),
            (Lang::En, 120, 40, "Major collective dispute"),
        ] {
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            term.draw(|f| draw(f, &snap, lang, &View::default()))
                .expect("draw");
            let text = crate::supervisor::buffer_text(term.backend().buffer());
            assert!(text.contains(needle), "{lang:?} {w}x{h}:\n{text}");
        }
        let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        term.draw(|f| draw(f, &snap, Lang::Zh, &View::default()))
            .expect("draw");
        let text = crate::supervisor::buffer_text(term.backend().buffer());
        assert!(
            text.contains("正在办理") && text.contains("T002 29分"),
            "{text}"
        );
        assert!(text.contains("未登录"), "{text}");
    }
}
