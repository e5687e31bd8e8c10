//! Dashboard frame build time with 5,000 waiting tickets (target ≤ 5 ms): building the snapshot
//! from rows, computing alerts, and drawing one 120×40 frame. `cargo bench --bench dashboard`.

use chrono::{Duration, TimeZone};
use onewindow::config::Lang;
use onewindow::domain::alerts::{AlertSettings, CaseSnapshot, WaitingTicket, alerts};
use onewindow::domain::china_time;
use onewindow::supervisor::dashboard::{
    Finished, Inputs, QueueInfo, TicketRow, TicketState, View, WindowInfo, build, draw,
};
use ratatui::{Terminal, backend::TestBackend};
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let now = china_time()
        .with_ymd_and_hms(2025, 3, 10, 16, 0, 0)
        .single()
        .expect("time");
    let prefixes = ["T", "R", "J", "Z"];
    let queues: Vec<QueueInfo> = prefixes
        .iter()
        .map(|p| QueueInfo {
            prefix: p.to_string(),
            name: format!("队列{p}"),
        })
        .collect();
    let windows: Vec<WindowInfo> = (1..=12)
        .map(|n| WindowInfo {
            number: n,
            clerk: Some(format!("10{n:02}")),
            signed_in_at: Some(now - Duration::hours(7)),
        })
        .collect();
    let tickets: Vec<TicketRow> = (0..5000)
        .map(|i| TicketRow {
            ticket_no: format!("{}{:04}", prefixes[i % 4], i),
            queue_prefix: prefixes[i % 4].to_string(),
            state: TicketState::Waiting,
            issued_at: now - Duration::seconds((i as i64 * 7) % 25_000),
            reissued_at: now - Duration::seconds((i as i64 * 7) % 25_000),
            called_at: None,
            started_at: None,
            finished_at: None,
            window: None,
        })
        .collect();
    let cases: Vec<CaseSnapshot> = (0..5000)
        .map(|i| CaseSnapshot {
            case_no: format!("ZZ01-20250310-{i:04}"),
            route: None,
            deadlines: BTreeMap::new(),
        })
        .collect();
    let waiting: Vec<WaitingTicket> = tickets
        .iter()
        .map(|t| WaitingTicket {
            queue: t.queue_prefix.clone(),
            since: t.issued_at,
        })
        .collect();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let settings = AlertSettings::default();
    let mut samples = Vec::new();
    for round in 0..250 {
        let t = Instant::now();
        let a = alerts(now, &settings, &[], &cases, &waiting, &[]);
        let snap = build(Inputs {
            now,
            queues: &queues,
            windows: &windows,
            today: &tickets,
            finished: &Finished::default(),
            arrivals_today: [0; 24],
            arrivals_last_week: [0; 24],
            alerts: a,
            by_category: vec![],
            by_route: vec![],
        });
        terminal
            .draw(|f| draw(f, &snap, Lang::Zh, &View::default()))
            .expect("draw");
        if round >= 50 {
            samples.push(t.elapsed());
        }
    }
    samples.sort();
    let p = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    println!(
        "dashboard frame (5,000 waiting tickets, 5,000 open cases, alerts + build + draw 120x40): p50 {:?}, p99 {:?}, max {:?}",
        p(0.5),
        p(0.99),
        samples[samples.len() - 1]
    );
}
