//! The dashboard drawn at the sizes a centre uses (80×24, 120×40, 160×50), in Chinese and English:
//! every figure appears whole — numbers are reserved first and labels shortened instead — and the
//! hourly chart keeps its hours apart with the values on the bars.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Timelike};
use onewindow::config::Lang;
use onewindow::domain::alerts::{Alert, AlertKind};
use onewindow::supervisor::buffer_text;
use onewindow::supervisor::dashboard::{
    Finished, Inputs, QueueInfo, Snapshot, TicketRow, TicketState, View, WindowInfo, build, draw,
};
use ratatui::{Terminal, backend::TestBackend};

fn at(h: u32, m: u32) -> DateTime<FixedOffset> {
    onewindow::domain::china_time()
        .with_ymd_and_hms(2025, 3, 10, h, m, 0)
        .single()
        .unwrap()
}

/// Visits per hour of the day's tickets, as the database's roll-up counts them.
fn arrivals(today: &[TicketRow]) -> [u64; 24] {
    let mut by_hour = [0; 24];
    for t in today {
        by_hour[t.issued_at.hour() as usize] += 1;
    }
    by_hour
}

fn ticket(
    no: String,
    prefix: &str,
    state: TicketState,
    issued: DateTime<FixedOffset>,
) -> TicketRow {
    TicketRow {
        ticket_no: no,
        queue_prefix: prefix.into(),
        state,
        issued_at: issued,
        reissued_at: issued,
        called_at: None,
        started_at: None,
        finished_at: None,
        window: None,
    }
}

/// Queue names as the site shows them, in `lang`.
fn queues(lang: Lang) -> Vec<QueueInfo> {
    let names = match lang {
        Lang::Zh => [
            "劳动人事争议调解",
            "人民调解",
            "劳动保障监察",
            "劳动人事争议仲裁",
        ],
        Lang::En => [
            "Labour-dispute mediation",
            "People's mediation",
            "Labour inspection",
            "Labour-dispute arbitration",
        ],
    };
    ["T", "R", "J", "Z"]
        .iter()
        .zip(names)
        .map(|(p, n)| QueueInfo {
            prefix: p.to_string(),
            name: n.to_string(),
        })
        .collect()
}

/// 22 waiting for T, 17 for Z, 3 for J; a called and a serving window; busy hours.
fn snapshot(lang: Lang) -> Snapshot {
    let mut today = Vec::new();
    for (prefix, n) in [("T", 22), ("Z", 17), ("J", 3)] {
        for i in 0..n {
            today.push(ticket(
                format!("{prefix}{:03}", 100 + i),
                prefix,
                TicketState::Waiting,
                at(9, 0) + Duration::minutes(i64::from(i)),
            ));
        }
    }
    let mut called = ticket("T015".into(), "T", TicketState::Called, at(8, 10));
    called.called_at = Some(at(10, 57));
    called.window = Some(12);
    let mut serving = ticket("Z011".into(), "Z", TicketState::Serving, at(8, 20));
    serving.reissued_at = at(9, 22);
    serving.called_at = Some(at(9, 31));
    serving.started_at = Some(at(9, 32));
    serving.window = Some(3);
    today.push(called);
    today.push(serving);
    // 12 arrivals at 9 o'clock, 104 at 10, for the chart.
    for i in 0..104 {
        let mut t = ticket(
            format!("R{i:03}"),
            "R",
            TicketState::Done,
            at(10, 0) + Duration::seconds(i),
        );
        t.called_at = Some(at(10, 30));
        t.started_at = Some(at(10, 31));
        t.finished_at = Some(at(10, 40));
        t.window = Some(5);
        today.push(t);
    }
    let windows: Vec<WindowInfo> = [3, 5, 12, 7]
        .into_iter()
        .map(|n| WindowInfo {
            number: n,
            clerk: (n != 7).then(|| format!("C{n:02}")),
            signed_in_at: Some(at(8, 0)),
        })
        .collect();
    let alerts = vec![
        Alert {
            kind: AlertKind::Major,
            subject: "ZZ01-20250310-0003".into(),
            figure: 0,
            count: 1,
            record: Some(1),
            highlight: true,
        },
        Alert {
            kind: AlertKind::LongWait,
            subject: "T 劳动人事争议调解".into(),
            figure: 131,
            count: 22,
            record: None,
            highlight: true,
        },
        Alert {
            kind: AlertKind::RepeatEmployer,
            subject: "郑州恒达建筑工程有限公司".into(),
            figure: 4,
            count: 1,
            record: Some(2),
            highlight: true,
        },
    ];
    build(Inputs {
        now: at(11, 0),
        queues: &queues(lang),
        windows: &windows,
        today: &today,
        finished: &Finished::default(),
        arrivals_today: arrivals(&today),
        arrivals_last_week: std::array::from_fn(|h| u64::from(h == 9)),
        alerts,
        by_category: vec![("劳动报酬（工资、加班费、最低工资）".into(), 1234)],
        by_route: vec![("劳动人事争议调解".into(), 987)],
    })
}

fn render(snap: &Snapshot, lang: Lang, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, snap, lang, &View::default()))
        .unwrap();
    buffer_text(term.backend().buffer())
}

/// The line of the queue table for `prefix`.
fn queue_line<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(&format!("│{prefix} ")))
        .unwrap_or_else(|| panic!("no row for {prefix}:\n{text}"))
}

fn tokens(line: &str) -> Vec<&str> {
    line.split(|c: char| c.is_whitespace() || c == '│')
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn no_figure_is_cut_at_any_size_in_either_language() {
    for lang in [Lang::Zh, Lang::En] {
        let snap = snapshot(lang);
        for (w, h) in [(80, 24), (120, 40), (160, 50)] {
            let text = render(&snap, lang, w, h);
            let ctx = format!("{lang:?} {w}x{h}:\n{text}");
            // The waiting count is the first figure after the name: 22 and 17, whole.
            for (prefix, waiting) in [("T", "22"), ("Z", "17"), ("J", "3")] {
                let line = queue_line(&text, prefix);
                let t = tokens(line);
                let first_number = t
                    .iter()
                    .skip(1)
                    .find(|t| t.chars().all(|c| c.is_ascii_digit()));
                assert_eq!(first_number, Some(&waiting), "{prefix} in {line:?}\n{ctx}");
            }
            // The longest wait, from the first ticket of the visit.
            assert!(tokens(queue_line(&text, "T")).contains(&"120"), "{ctx}");
            for whole in ["ZZ01-20250310-0003", "1234", "987", "T015 3", "Z011 88"] {
                assert!(text.contains(whole), "{whole:?} missing or cut\n{ctx}");
            }
            let waits = match lang {
                Lang::Zh => "22 人，最长 131 分钟",
                Lang::En => "22 waiting, longest 131 min",
            };
            assert!(text.contains(waits), "{ctx}");
            assert!(
                text.contains(match lang {
                    Lang::Zh => "4 件",
                    Lang::En => "4 cases",
                }),
                "{ctx}"
            );
            // A called ticket is not 正在办理.
            let w12 = text.lines().find(|l| l.contains("T015")).unwrap();
            assert!(
                w12.contains(match lang {
                    Lang::Zh => "已叫号",
                    Lang::En => "Called",
                }),
                "{w12}"
            );
        }
    }
}

#[test]
fn the_hourly_chart_keeps_hours_apart_with_values_on_the_bars() {
    for (w, h) in [(80, 24), (160, 50)] {
        let snap = snapshot(Lang::Zh);
        let text = render(&snap, Lang::Zh, w, h);
        let ctx = format!("{w}x{h}:\n{text}");
        let hours = text
            .lines()
            .find(|l| l.contains(" 8 ") && l.contains(" 9 ") && l.contains("17"))
            .unwrap_or_else(|| panic!("no hour labels\n{ctx}"));
        assert!(
            tokens(hours).windows(2).any(|p| p == ["10", "11"]),
            "hours run together: {hours:?}\n{ctx}"
        );
        // Today's values, on the bars: 43 issued at 9 o'clock, 106 at 10.
        let today_9 = snap.arrivals_today[9].to_string();
        let today_10 = snap.arrivals_today[10].to_string();
        assert!(
            text.contains(&today_9) && text.contains(&today_10),
            "{today_9} {today_10}\n{ctx}"
        );
    }
}

#[test]
fn the_alerts_list_scrolls_to_its_visible_selection() {
    let mut snap = snapshot(Lang::Zh);
    snap.alerts = (0..40)
        .map(|i| Alert {
            kind: AlertKind::Collective,
            subject: format!("ZZ01-20250310-{i:04}"),
            figure: 0,
            count: 1,
            record: Some(i),
            highlight: true,
        })
        .collect();
    for (w, h) in [(80, 24), (160, 50)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let view = View {
            selected: 37,
            flash: false,
        };
        term.draw(|f| draw(f, &snap, Lang::Zh, &view)).unwrap();
        let text = buffer_text(term.backend().buffer());
        let line = text
            .lines()
            .find(|l| l.contains("ZZ01-20250310-0037"))
            .unwrap_or_else(|| panic!("selection scrolled off\n{text}"));
        assert!(line.contains('▶'), "selection marked: {line}");
        assert!(
            !text.contains("ZZ01-20250310-0000"),
            "the top scrolled away\n{text}"
        );
        assert!(text.contains("需处理事项 (40)"), "{text}");
    }
}
