//! Test databases for the supervisor tests: a temporary SQLite file, or a fresh PostgreSQL
//! database (dropped afterwards, even when the test panics). The same rules as
//! `tests/storage_story.rs`: PostgreSQL is `ONEWINDOW_TEST_PG` or
//! `postgres://postgres@127.0.0.1:5432/test`; under `CI=true` an unreachable server fails the test,
//! elsewhere the test says loudly that it skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use onewindow::domain::{Decision, IntakeRecord, Route, Status};
use onewindow::storage::{DbUrl, OpenOptions, Store};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

const PG_ADMIN_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";
static SEQ: AtomicU32 = AtomicU32::new(0);

pub enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres { admin: String, db: String },
}

pub struct TestDb {
    pub url: DbUrl,
    pub store: Store,
    _cleanup: Cleanup,
}

fn pg_admin_url() -> String {
    std::env::var("ONEWINDOW_TEST_PG").unwrap_or_else(|_| PG_ADMIN_DEFAULT.to_string())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn pg_unreachable<T>(why: &str) -> Option<T> {
    if in_ci() {
        panic!(
            "CI=true and PostgreSQL at {} is unreachable: {why}",
            pg_admin_url()
        );
    }
    eprintln!(
        "\n!!!!! SKIPPED: PostgreSQL at {} is unreachable ({why}); this PostgreSQL test did NOT \
         run. Start it or set CI=true to make this a failure. !!!!!\n",
        pg_admin_url()
    );
    None
}

async fn open(url: &DbUrl) -> Store {
    Store::open(
        url,
        OpenOptions {
            max_connections: 8,
            migrate: true,
            ..OpenOptions::default()
        },
    )
    .await
    .expect("open store")
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = DbUrl::new(format!("sqlite://{}", dir.path().join("ow.db").display()));
        TestDb {
            store: open(&url).await,
            url,
            _cleanup: Cleanup::Sqlite(dir),
        }
    }

    pub async fn postgres() -> Option<TestDb> {
        use sqlx::Connection;
        let admin = pg_admin_url();
        let mut conn =
            match tokio::time::timeout(Duration::from_secs(5), sqlx::PgConnection::connect(&admin))
                .await
            {
                Ok(Ok(c)) => c,
                Ok(Err(e)) => return pg_unreachable(&e.to_string()),
                Err(_) => return pg_unreachable("timed out"),
            };
        let db = format!(
            "ow_super_{}_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::SeqCst),
            chrono::Utc::now().timestamp_subsec_nanos()
        );
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => DbUrl::new(format!("{base}/{db}")),
            None => panic!("ONEWINDOW_TEST_PG has no database part: {admin}"),
        };
        Some(TestDb {
            store: open(&url).await,
            url,
            _cleanup: Cleanup::Postgres { admin, db },
        })
    }

    /// The application's services on this database, for the site `code`.
    pub async fn services(&self, code: &str) -> onewindow::app::Services {
        self.services_on(self.store.clone(), code).await
    }

    /// The application's services on `store` (a pool on this database), for the site `code`.
    pub async fn services_on(&self, store: Store, code: &str) -> onewindow::app::Services {
        let cfg = onewindow::config::load(&onewindow::config::Sources {
            file: None,
            env: vec![],
            overrides: vec![
                format!("database.url={}", self.url.expose()),
                format!("site.code={code}"),
            ],
        })
        .expect("config");
        onewindow::app::Services::with_store(store, &cfg)
            .await
            .expect("services")
    }

    /// Destroys the database as a disk failure or a dropped database would: the SQLite file and
    /// its WAL files are deleted; the PostgreSQL database is dropped and created again, empty.
    /// Close every pool on it first.
    pub async fn destroy(&self) {
        match &self._cleanup {
            Cleanup::Sqlite(dir) => {
                for f in ["ow.db", "ow.db-wal", "ow.db-shm"] {
                    let _ = std::fs::remove_file(dir.path().join(f));
                }
                assert!(!dir.path().join("ow.db").exists());
            }
            Cleanup::Postgres { admin, db } => {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
                for sql in [
                    format!("DROP DATABASE {db} WITH (FORCE)"),
                    format!("CREATE DATABASE {db}"),
                ] {
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut conn)
                        .await
                        .unwrap();
                }
            }
        }
    }

    /// Another pool on the same database: what another process would have.
    pub async fn another_connection(&self) -> Store {
        open(&self.url).await
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let Cleanup::Postgres { admin, db } = self else {
            return;
        };
        let (admin, db) = (admin.clone(), db.clone());
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&admin).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await
                .map(|_| ())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database (left behind): {dropped:?}");
        }
    }
}

/// SQL the store does not offer, on a second pool of the test database.
pub enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    pub async fn open(url: &DbUrl) -> Raw {
        match url.backend() {
            Some(onewindow::storage::Backend::Sqlite) => {
                Raw::Sqlite(sqlx::SqlitePool::connect(url.expose()).await.unwrap())
            }
            _ => Raw::Postgres(sqlx::PgPool::connect(url.expose()).await.unwrap()),
        }
    }

    /// The one text column of every row.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        let q = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Raw::Sqlite(p) => sqlx::query_scalar(q).fetch_all(p).await,
            Raw::Postgres(p) => sqlx::query_scalar(q).fetch_all(p).await,
        }
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
    }

    /// Runs statements separated by semicolons; the rows they changed.
    pub async fn execute(&self, sql: &str) -> u64 {
        let q = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()));
        match self {
            Raw::Sqlite(p) => q.execute(p).await.map(|r| r.rows_affected()),
            Raw::Postgres(p) => q.execute(p).await.map(|r| r.rows_affected()),
        }
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
    }

    /// Whole seconds from `a` to `b`, rounded as the roll-up triggers round them.
    pub fn secs(&self, a: &str, b: &str) -> String {
        match self {
            Raw::Sqlite(_) => {
                format!("CAST(ROUND((julianday({b}) - julianday({a})) * 86400.0) AS INTEGER)")
            }
            Raw::Postgres(_) => format!("CAST(ROUND(EXTRACT(EPOCH FROM ({b} - {a}))) AS BIGINT)"),
        }
    }

    pub async fn close(self) {
        match self {
            Raw::Sqlite(p) => p.close().await,
            Raw::Postgres(p) => p.close().await,
        }
    }
}

/// A worker's wage claim against a construction company, for tests that need some case.
pub fn wage_claim() -> IntakeRecord {
    serde_json::from_value(serde_json::json!({
        "applicant": { "name": "张三", "id_number": "11010519491231002X", "phone": "13812345678" },
        "counterparty": { "name": "某某建筑有限公司" },
        "dispute": { "categories": ["LD04"] },
    }))
    .unwrap()
}

/// A wage claim the rules send to mediation (R11, queue T), dated back from `at`.
pub fn wage_claim_at(at: chrono::DateTime<chrono::Utc>) -> IntakeRecord {
    let d = |n: i64| {
        (at - chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    serde_json::from_value(serde_json::json!({
        "applicant": { "name": "王丽", "id_number": "41010519900307158X", "phone": "13812345678" },
        "counterparty": { "kind": "employer", "name": "郑州云启科技有限公司" },
        "employment": { "status": "ended", "started_on": d(400), "ended_on": d(30),
                        "written_contract": true },
        "dispute": { "categories": ["LD04"], "known_on": d(30),
                     "claims": [{ "category": "LD04", "amount": 8600 }],
                     "narrative": "老板拖欠三个月工资" },
    }))
    .unwrap()
}

/// The application on `url` for site ZZ01, its paper in `lang` on an 80 mm printer at `printer`.
pub async fn zz01_printing_to(
    url: &str,
    printer: &str,
    lang: onewindow::domain::Lang,
) -> onewindow::app::Services {
    let cfg = onewindow::config::load(&onewindow::config::Sources {
        file: None,
        env: vec![],
        overrides: vec![
            format!("database.url={url}"),
            "site.code=ZZ01".into(),
            "printer.profile=generic-80".into(),
            format!("printer.to={printer}"),
            format!("ui.lang={}", lang.code()),
        ],
    })
    .unwrap();
    onewindow::app::Services::open(&cfg).await.unwrap()
}

/// Supervisor S01 (PIN `boss_pin`), window 1 (every queue) and clerk 1001, acting there: the
/// staff a test needs before it registers and prints through the application.
pub async fn clerk_at_window_1(
    s: &onewindow::app::Services,
    at: chrono::DateTime<chrono::Utc>,
    boss_pin: &str,
) -> onewindow::app::Acting {
    use onewindow::domain::{StaffNo, StaffRole, WindowNo};
    s.save_staff(
        &StaffNo("S01".into()),
        "李主任",
        StaffRole::Supervisor,
        Some(boss_pin.into()),
    )
    .await
    .unwrap();
    s.save_window(WindowNo(1), "一号窗口", &[], at)
        .await
        .unwrap();
    let no = StaffNo("1001".into());
    let id = s
        .save_staff(&no, "张敏", StaffRole::Clerk, None)
        .await
        .unwrap();
    onewindow::app::Acting {
        staff: Some((id, no)),
        window: Some(s.station(WindowNo(1), false, at).await.unwrap()),
    }
}

/// A decision that routes to `route` and queues the case with ticket prefix `queue`.
pub fn routed(route: Route, queue: &str) -> Decision {
    Decision {
        status: Status::Routed,
        errors: vec![],
        warnings: vec![],
        route: Some(route),
        referral_to: None,
        also: vec![],
        flags: vec![],
        deadlines: Default::default(),
        reasons: vec![],
        queue: Some(queue.to_string()),
    }
}

/// Runs an async test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::testdb::TestDb::sqlite().await;
                super::$name(&db).await;
                db.store.close().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::testdb::TestDb::postgres().await else {
                    return;
                };
                super::$name(&db).await;
                db.store.close().await;
            }
        }
    };
}

/// A SQLite database in a fresh folder holding every migration below `version` (as a centre that
/// is about to upgrade has it): the folder (kept while it lives), the database's URL and a pool
/// on it.
pub async fn sqlite_migrated_below(version: i64) -> (tempfile::TempDir, String, sqlx::SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let mut before = sqlx::migrate!("migrations/sqlite");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before.run(&pool).await.unwrap();
    (dir, url, pool)
}
