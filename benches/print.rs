//! Printing benchmark (plain binary, `cargo bench --bench print`):
//! - receipt render (layout → document) and encode (document → ESC/POS) per job, on the text
//!   path (generic 80 mm, GBK) and the raster path (Epson TM-T88 class: every Chinese line drawn);
//! - from the commit (render + store the job in a SQLite spool) to the last byte received by a
//!   local fake network printer, through the spool runner with its status checks before and after
//!   the job.

#[path = "../tests/support/mod.rs"]
mod support;

use onewindow::app::spool::{Backoff, PrintRunner, PrintStation};
use onewindow::commands::print::sample_document;
use onewindow::domain::PrintKind;
use onewindow::print::escpos::encode;
use onewindow::print::sample::Sample;
use onewindow::print::transport::{Timeouts, Transport};
use onewindow::print::{DocKind, Layouts, PaperSettings, Profile};
use onewindow::storage::{DbUrl, NewPrintJobFor, OpenOptions, Store};
use std::time::{Duration, Instant};
use support::fake_printer::{FakePrinter, Mode};

fn report(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let pick = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<44} n={:<4} min {:>9.3?}  p50 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
        v.len(),
        v[0],
        pick(0.5),
        pick(0.99),
        v[v.len() - 1]
    );
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    for _ in 0..n / 10 {
        std::hint::black_box(f());
    }
    (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect()
}

fn main() {
    let layouts = Layouts::builtin().expect("layouts");
    let paper = PaperSettings::default();
    let sample = Sample::new();
    let text = Profile::builtin("generic-80").expect("profile");
    let raster = Profile::builtin("epson-tm-t88").expect("profile");
    let doc = sample_document(&layouts, DocKind::Receipt, &text, &paper).expect("render");

    report(
        "receipt render (layout -> document)",
        time(500, || {
            layouts
                .receipt(&sample.case_input(), &paper)
                .expect("render")
        }),
    );
    let n_text = encode(&doc, &text).expect("encode").len();
    report(
        &format!("receipt encode, text path ({n_text} B)"),
        time(500, || encode(&doc, &text).expect("encode")),
    );
    let n_raster = encode(&doc, &raster).expect("encode").len();
    report(
        &format!("receipt encode, raster path ({n_raster} B)"),
        time(200, || encode(&doc, &raster).expect("encode")),
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let dir = std::env::temp_dir().join(format!("ow-print-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("bench folder");
        for profile in [&text, &raster] {
            let printer = FakePrinter::start(Mode::Normal).await;
            let url = DbUrl::new(format!(
                "sqlite://{}",
                dir.join(format!("{}.db", profile.id)).display()
            ));
            let store = Store::open(&url, OpenOptions::default())
                .await
                .expect("spool database");
            let transport = Transport::parse(&printer.url(), Timeouts::default()).expect("target");
            let runner = PrintRunner::new(
                store.clone(),
                PrintStation::default(),
                profile.clone(),
                transport,
                Backoff::default(),
            );
            let wake = runner.waker();
            let (_stop_tx, stop_rx) = tokio::sync::watch::channel(false);
            tokio::spawn(runner.run(stop_rx, Duration::from_secs(3600)));
            let len = encode(&doc, profile).expect("encode").len();
            let mut times = Vec::new();
            for _ in 0..300 {
                let target = printer.total_bytes() + len;
                let t0 = Instant::now();
                let d = layouts
                    .receipt(&sample.case_input(), &paper)
                    .expect("render");
                store
                    .enqueue_print_job(NewPrintJobFor {
                        case: None,
                        ticket: None,
                        window: None,
                        kind: PrintKind::Receipt,
                        payload: d.to_json(),
                        at: chrono::Utc::now(),
                    })
                    .await
                    .expect("enqueue");
                wake.notify_one();
                while printer.total_bytes() < target {
                    printer.received.notified().await;
                }
                times.push(t0.elapsed());
                // Let the runner finish the status check after the job before the next one.
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            report(
                &format!("commit -> last byte at printer ({})", profile.id),
                times,
            );
            store.close().await;
        }
        let _ = std::fs::remove_dir_all(&dir);
    });
}
