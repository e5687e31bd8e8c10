//! The monthly report over 1,000,000 cases on both backends (issue 7 target: ≤ 2 s), with the time
//! the seed generator takes to make them.
//!
//! A million cases seeded in about 1 min on SQLite and 2½ min on PostgreSQL (2 shared cores, load
//! ~2); allow ~5 min for both. PostgreSQL seeds that fast since its roll-ups are kept by statement
//! triggers (migration 0012); the row triggers before it had not seeded 800k cases in 25 min.
//!
//! `cargo bench --bench report` (`ONEWINDOW_BENCH_CASES` to change the count;
//! `ONEWINDOW_BENCH_BACKENDS=sqlite` or `postgres` to run one, default both; PostgreSQL:
//! `ONEWINDOW_BENCH_PG`, default `postgres://postgres@127.0.0.1:5432/test`; a fresh database is
//! created and dropped).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use onewindow::domain::SiteSettings;
use onewindow::storage::*;
use std::time::Instant;

async fn run(name: &str, url: &DbUrl, cases: u64) {
    let store = Store::open(url, OpenOptions::default()).await.unwrap();
    let site = store
        .ensure_site(&SiteSettings::default(), chrono::Utc::now())
        .await
        .unwrap();
    let month = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let t = Instant::now();
    let seeded = reporting::seed(&store, &site, cases, month, chrono::Utc::now())
        .await
        .unwrap();
    println!(
        "{name}: seeded {} cases, {} tickets in {:.1} s",
        seeded.cases,
        seeded.tickets,
        t.elapsed().as_secs_f64()
    );
    let to = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let r = reporting::report(&store, site.id, month, to).await.unwrap();
        times.push(t.elapsed().as_secs_f64());
        assert_eq!(r.cases, cases);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{name}: monthly report over {cases} cases: best {:.3} s, median {:.3} s, worst {:.3} s",
        times[0], times[1], times[2]
    );
    store.close().await;
}

fn main() {
    let cases: u64 = std::env::var("ONEWINDOW_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let backends =
        std::env::var("ONEWINDOW_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".to_string());
    let wanted = |name: &str| backends.split(',').any(|b| b.trim() == name);
    rt.block_on(async {
        if wanted("sqlite") {
            let dir = tempfile::tempdir().unwrap();
            let url = DbUrl::new(format!(
                "sqlite://{}",
                dir.path().join("bench.db").display()
            ));
            run("sqlite", &url, cases).await;
            // The disk holds one million-case database at a time.
            drop(dir);
        }
        if !wanted("postgres") {
            return;
        }

        use sqlx::Connection;
        let admin = std::env::var("ONEWINDOW_BENCH_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
        let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await else {
            println!("postgres: SKIPPED, {admin} unreachable");
            return;
        };
        let db = format!("ow_bench_report_{}", std::process::id());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
            .execute(&mut conn)
            .await
            .unwrap();
        let url = DbUrl::new(format!("{}/{db}", admin.rsplit_once('/').unwrap().0));
        run("postgres", &url, cases).await;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await
        .unwrap();
    });
}
