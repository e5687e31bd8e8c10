//! Storage benchmark on both backends: intake commit latency, call-next throughput with 32
//! concurrent windows, and the time from a committed change to its arrival at a subscriber in
//! another process.
//!
//! `cargo bench --bench storage` (PostgreSQL: `ONEWINDOW_BENCH_PG`, default
//! `postgres://postgres@127.0.0.1:5432/test`; a fresh database is created and dropped).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use futures::StreamExt;
use onewindow::domain::{Decision, IntakeRecord, Route, SiteSettings, Status};
use onewindow::storage::*;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

const INTAKES: usize = 500;
const WINDOWS: i64 = 32;
const TICKETS: usize = 3200;
const CHANGES: usize = 200;

fn record() -> IntakeRecord {
    serde_json::from_value(serde_json::json!({
        "applicant": { "name": "王丽", "id_number": "41010519900307158X", "phone": "13812345678" },
        "counterparty": { "name": "郑州云启科技有限公司" },
        "employment": { "status": "ended", "started_on": "2021-03-01", "ended_on": "2024-12-01" },
        "dispute": {
            "categories": ["LD03", "LD06"],
            "claims": [{ "category": "LD06", "amount": "40000" }],
            "known_on": "2024-12-01"
        }
    }))
    .unwrap()
}

fn decision() -> Decision {
    Decision {
        status: Status::Routed,
        errors: vec![],
        warnings: vec![],
        route: Some(Route::LaborMediation),
        referral_to: None,
        also: vec![],
        flags: vec![],
        deadlines: BTreeMap::new(),
        reasons: vec![],
        queue: Some("T".into()),
    }
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn bench(name: &str, url: &DbUrl) {
    let store = Store::open(
        url,
        OpenOptions {
            max_connections: WINDOWS as u32 + 4,
            migrate: true,
            ..OpenOptions::default()
        },
    )
    .await
    .unwrap();
    let site = store
        .ensure_site(
            &SiteSettings {
                code: "BENCH".into(),
                ..SiteSettings::default()
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();

    // 1. Intake commit latency, one window committing one case after another.
    let rec = record();
    let dec = decision();
    let mut lat = Vec::with_capacity(INTAKES);
    for _ in 0..INTAKES {
        let t = Instant::now();
        store
            .commit_intake(IntakeCommit::with_jobs(
                site.id,
                &rec,
                &dec,
                Actor::at(None, chrono::Utc::now()),
                None,
                vec![
                    NewPrintJob {
                        kind: PrintKind::Ticket,
                        payload: "x".repeat(300),
                    },
                    NewPrintJob {
                        kind: PrintKind::Receipt,
                        payload: "x".repeat(3000),
                    },
                ],
            ))
            .await
            .unwrap();
        lat.push(t.elapsed());
    }
    lat.sort();
    println!(
        "{name}: intake commit ({INTAKES}): p50 {}  p99 {}  max {}",
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.99)),
        ms(*lat.last().unwrap())
    );

    // 2. Call-next throughput: 32 windows on separate connections empty two queues.
    let routes = [Route::LaborMediation, Route::Arbitration];
    let queues: Vec<QueueId> = routes.iter().map(|r| site.queue(*r).unwrap().id).collect();
    // Drain the intake tickets first so only the issued ones are counted.
    let w0 = store
        .upsert_window(site.id, 999, "", &routes, chrono::Utc::now())
        .await
        .unwrap();
    while store
        .call_next(w0, Actor::at(None, chrono::Utc::now()))
        .await
        .unwrap()
        .is_some()
    {}
    for i in 0..TICKETS {
        store
            .issue_ticket(
                queues[i % 2],
                None,
                i % 10 == 0,
                Actor::at(None, chrono::Utc::now()),
            )
            .await
            .unwrap();
    }
    let mut windows = Vec::new();
    for n in 0..WINDOWS {
        windows.push(
            store
                .upsert_window(site.id, n + 1, "", &routes, chrono::Utc::now())
                .await
                .unwrap(),
        );
    }
    let store = Arc::new(store);
    let start = Instant::now();
    let tasks: Vec<_> = windows
        .into_iter()
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut n = 0usize;
                while store
                    .call_next(w, Actor::at(None, chrono::Utc::now()))
                    .await
                    .unwrap()
                    .is_some()
                {
                    n += 1;
                }
                n
            })
        })
        .collect();
    let mut served = 0;
    for t in tasks {
        served += t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(served, TICKETS);
    println!(
        "{name}: call-next, {WINDOWS} concurrent windows: {served} tickets in {secs:.2} s = {:.0} calls/s",
        served as f64 / secs
    );

    // 3. Change → subscriber in another process.
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args(["--subscriber", url.expose()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "ready");
    let reader = std::thread::spawn(move || {
        let mut arrivals = HashMap::new();
        for line in lines {
            let line = line.unwrap();
            let (id, at) = line.split_once(' ').unwrap();
            arrivals.insert(id.parse::<i64>().unwrap(), at.parse::<i64>().unwrap());
            if arrivals.len() == CHANGES {
                break;
            }
        }
        arrivals
    });
    let mut committed = HashMap::new();
    for _ in 0..CHANGES {
        let t = store
            .issue_ticket(queues[0], None, false, Actor::at(None, chrono::Utc::now()))
            .await
            .unwrap();
        committed.insert(t.id.0, Utc::now().timestamp_micros());
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    let arrivals = reader.join().unwrap();
    child.kill().ok();
    child.wait().ok();
    let mut lat: Vec<Duration> = committed
        .iter()
        .map(|(id, done)| {
            let arrived = arrivals.get(id).expect("every change arrived");
            Duration::from_micros(u64::try_from(arrived - done).unwrap_or(0))
        })
        .collect();
    lat.sort();
    println!(
        "{name}: change -> subscriber in another process ({CHANGES}): p50 {}  p99 {}  max {}",
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.99)),
        ms(*lat.last().unwrap())
    );
    store.close().await;
}

/// The child process of part 3: prints `ready`, then `TICKET_ID ARRIVAL_MICROS` per new ticket.
async fn subscriber(url: &str) {
    let store = Store::open(&DbUrl::new(url), OpenOptions::default())
        .await
        .unwrap();
    let mut changes = store.subscribe().await.unwrap();
    let mut out = std::io::stdout();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    while let Some(e) = changes.next().await {
        let now = Utc::now().timestamp_micros();
        if e.kind == ChangeKind::TicketIssued
            && let Some(t) = e.ticket
        {
            writeln!(out, "{} {now}", t.0).unwrap();
            out.flush().unwrap();
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--subscriber") {
        subscriber(&args[i + 1]).await;
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite = DbUrl::new(format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ));
    bench("sqlite", &sqlite).await;

    use sqlx::Connection;
    let admin = std::env::var("ONEWINDOW_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    match sqlx::PgConnection::connect(&admin).await {
        Err(e) => println!("postgres: SKIPPED, {admin} unreachable: {e}"),
        Ok(mut conn) => {
            let db = format!("ow_bench_{}", std::process::id());
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let (base, _) = admin.rsplit_once('/').unwrap();
            bench("postgres", &DbUrl::new(format!("{base}/{db}"))).await;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE {db} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await
            .unwrap();
        }
    }
}
