//! Backup and restore of the whole database (`db backup --to FILE`, `db restore --from FILE`).
//!
//! - SQLite: `VACUUM INTO` writes a consistent, compacted copy while kiosks keep working; a
//!   restore checks the copy (`quick_check`, its migrations) and puts it in place of the database
//!   file, removing the old `-wal`/`-shm` first so they are never replayed onto it.
//! - PostgreSQL: `pg_dump --format=custom` of the database the URL names, taken in a snapshot
//!   exported by a read-only transaction so the counts reported are those of the dump; `pg_restore
//!   --single-transaction` puts it back, all or nothing. Both tools come from the `PATH` and must
//!   be at least the server's major version. The connection is handed to them in `PG*`
//!   environment variables, so a password never appears on a command line.
//!
//! A backup holds every personal datum the database holds: it is written 0600, through a 0700
//! temporary folder next to it, and never over an existing file.

use super::db::{Pool, Sql};
use super::types::AuditRecord;
use super::{Backend, DbUrl, OpenOptions, Result, StorageError, Store, sqlite};
use crate::config::files;
use crate::domain::audit::AuditEvent;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What a database holds, as a backup and a restore report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Contents {
    pub cases: i64,
    pub tickets: i64,
    pub audit_rows: i64,
}

impl Contents {
    /// The audit entry of a backup written, or restored, holding these rows.
    fn event(self, restored: bool) -> AuditEvent {
        let Contents {
            cases,
            tickets,
            audit_rows,
        } = self;
        if restored {
            AuditEvent::BackupRestored {
                cases,
                tickets,
                audit_rows,
            }
        } else {
            AuditEvent::BackupWritten {
                cases,
                tickets,
                audit_rows,
            }
        }
    }
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

fn invalid(message: impl Into<String>) -> StorageError {
    StorageError::Invalid(message.into())
}

fn io_error(path: &Path, e: std::io::Error) -> StorageError {
    invalid(format!("{}: {e}", path.display()))
}

/// A 0700 folder next to the destination, removed when dropped: the copy is made in it and
/// renamed into place, so no other user can read it half-written.
struct Staging(PathBuf);

impl Staging {
    fn next_to(dest: &Path) -> Result<Staging> {
        let dir = files::parent_of(dest);
        files::private_dir(dir).map_err(|e| io_error(dir, e))?;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!(".onewindow-tmp-{}-{n}", std::process::id()));
        std::fs::create_dir(&path).map_err(|e| io_error(&path, e))?;
        files::set_mode(&path, files::DIR_MODE).map_err(|e| io_error(&path, e))?;
        Ok(Staging(path))
    }

    /// Makes `file` (inside the folder) 0600, flushes it and renames it to `dest`.
    fn publish(&self, file: &Path, dest: &Path) -> Result<()> {
        files::set_mode(file, files::FILE_MODE).map_err(|e| io_error(file, e))?;
        std::fs::File::open(file)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error(file, e))?;
        std::fs::rename(file, dest).map_err(|e| io_error(dest, e))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Store {
    /// How many cases, tickets and audit rows the database holds.
    pub async fn contents(&self) -> Result<Contents> {
        let mut c = self.read().await?;
        contents_on(&mut c).await
    }

    /// Writes a consistent copy of the whole database to `to`, which must not exist yet; `url` is
    /// the URL this store was opened with (`pg_dump` connects by it). Audited.
    #[tracing::instrument(skip_all, err)]
    pub async fn backup_to(&self, url: &DbUrl, to: &Path, at: DateTime<Utc>) -> Result<Contents> {
        if to.exists() {
            return Err(invalid(format!(
                "{} already exists; a backup never overwrites a file",
                to.display()
            )));
        }
        let staging = Staging::next_to(to)?;
        let file = staging.0.join("backup");
        let contents = match self.backend() {
            Backend::Sqlite => {
                let path = file
                    .to_str()
                    .ok_or_else(|| invalid(format!("{}: not a UTF-8 path", file.display())))?;
                self.read()
                    .await?
                    .execute(Sql::new("VACUUM INTO $1").bind(path))
                    .await?;
                // Counted in the copy itself: it is what a restore will bring back.
                let copy = open_sqlite_read_only(&file).await?;
                let c = copy.contents().await;
                copy.close().await;
                c?
            }
            Backend::Postgres => self.pg_dump(url, &file).await?,
        };
        staging.publish(&file, to)?;
        self.note(contents.event(false), at).await?;
        Ok(contents)
    }

    /// `pg_dump` in a snapshot exported by a read-only transaction that also counts the rows.
    async fn pg_dump(&self, url: &DbUrl, file: &Path) -> Result<Contents> {
        let mut tx = self.begin().await?;
        tx.execute(Sql::new(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        ))
        .await?;
        check_client_version("pg_dump", server_major(&mut tx).await?).await?;
        let snapshot: String = tx.scalar(Sql::new("SELECT pg_export_snapshot()")).await?;
        let contents = contents_on(&mut tx).await?;
        let mut cmd = pg_command("pg_dump", url)?;
        cmd.arg("--format=custom")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg(format!("--snapshot={snapshot}"))
            .arg("--file")
            .arg(file);
        run(cmd, "pg_dump").await?;
        tx.commit().await?;
        Ok(contents)
    }

    /// One audit entry outside any other write (a backup, a restore).
    async fn note(&self, event: AuditEvent, at: DateTime<Utc>) -> Result<()> {
        let mut w = self.write().await?;
        w.audit(&AuditRecord {
            at: super::db::micros(at),
            staff: None,
            window: None,
            case: None,
            ticket: None,
            event,
        })
        .await?;
        self.commit(w).await
    }
}

/// The PostgreSQL server's major version (15 for 15.20).
async fn server_major(c: &mut super::db::Conn) -> Result<i64> {
    let n: i64 = c
        .scalar(Sql::new(
            "SELECT CAST(current_setting('server_version_num') AS BIGINT)",
        ))
        .await?;
    Ok(n / 10_000)
}

async fn contents_on(c: &mut super::db::Conn) -> Result<Contents> {
    let (cases, tickets, audit_rows): (i64, i64, i64) = c
        .fetch_one(Sql::new(
            "SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM tickets), \
             (SELECT COUNT(*) FROM audit_log)",
        ))
        .await?;
    Ok(Contents {
        cases,
        tickets,
        audit_rows,
    })
}

async fn open_sqlite_read_only(path: &Path) -> Result<Store> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    Ok(Store::from_pool(Pool::Sqlite(pool)))
}

/// Puts the backup `from` in place of the database `url` names. Refused when that database holds
/// a site already, unless `replace`; on PostgreSQL also while any other connection uses it.
/// Every kiosk, supervisor screen and display must be stopped first. Audited in the restored
/// database.
#[tracing::instrument(skip_all, err)]
pub async fn restore(
    url: &DbUrl,
    from: &Path,
    replace: bool,
    at: DateTime<Utc>,
) -> Result<Contents> {
    let mut head = [0u8; 16];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(from).map_err(|e| io_error(from, e))?;
        let n = f.read(&mut head).map_err(|e| io_error(from, e))?;
        if n < PG_DUMP_MAGIC.len() {
            return Err(invalid(format!(
                "{} is not a onewindow backup",
                from.display()
            )));
        }
    }
    let backend = url
        .backend()
        .ok_or_else(|| StorageError::UnsupportedUrl(url.redacted()))?;
    match backend {
        Backend::Sqlite if head.starts_with(SQLITE_MAGIC) => {
            restore_sqlite(url, from, replace).await?
        }
        Backend::Postgres if head.starts_with(PG_DUMP_MAGIC) => {
            restore_postgres(url, from, replace).await?
        }
        Backend::Sqlite => {
            return Err(invalid(format!(
                "{} is not a SQLite backup; it cannot restore {}",
                from.display(),
                url.redacted()
            )));
        }
        Backend::Postgres => {
            return Err(invalid(format!(
                "{} is not a pg_dump backup; it cannot restore {}",
                from.display(),
                url.redacted()
            )));
        }
    }
    // Opening migrates a backup made by an older version.
    let store = Store::open(url, OpenOptions::command()).await?;
    let result = async {
        let contents = store.contents().await?;
        store.note(contents.event(true), at).await?;
        Ok(contents)
    }
    .await;
    store.close().await;
    result
}

async fn restore_sqlite(url: &DbUrl, from: &Path, replace: bool) -> Result<()> {
    let target = sqlite::path_of(url)?;
    let backup = open_sqlite_read_only(from).await?;
    let checked = async {
        let check: String = backup
            .read()
            .await?
            .scalar(Sql::new("PRAGMA quick_check"))
            .await?;
        if check != "ok" {
            return Err(invalid(format!("{} is damaged: {check}", from.display())));
        }
        let newest: Option<i64> = backup
            .read()
            .await?
            .scalar(Sql::new("SELECT MAX(version) FROM _sqlx_migrations"))
            .await
            .map_err(|_| invalid(format!("{} is not a onewindow database", from.display())))?;
        let known = sqlx::migrate!("migrations/sqlite")
            .iter()
            .map(|m| m.version)
            .max()
            .unwrap_or(0);
        if newest.unwrap_or(0) > known {
            return Err(invalid(format!(
                "{} was written by a newer onewindow (migration {}); upgrade first",
                from.display(),
                newest.unwrap_or(0)
            )));
        }
        Ok(())
    }
    .await;
    backup.close().await;
    checked?;
    if !replace && sqlite_holds_a_site(&target).await? {
        return Err(invalid(format!(
            "{} holds a site already; add --replace to overwrite it with the backup",
            target.display()
        )));
    }
    let staging = Staging::next_to(&target)?;
    let copy = staging.0.join("restore.db");
    std::fs::copy(from, &copy).map_err(|e| io_error(&copy, e))?;
    // The old database's write-ahead log must never be replayed onto the restored file.
    for suffix in ["-wal", "-shm"] {
        let p = files::with_suffix(&target, suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&p, e)),
        }
    }
    staging.publish(&copy, &target)
}

async fn sqlite_holds_a_site(path: &Path) -> Result<bool> {
    if std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) == 0 {
        return Ok(false);
    }
    let store = open_sqlite_read_only(path).await?;
    let sites: Result<i64> = async {
        store
            .read()
            .await?
            .scalar(Sql::new("SELECT COUNT(*) FROM sites"))
            .await
    }
    .await;
    store.close().await;
    // No `sites` table: migrated by nobody, holds nothing of ours.
    Ok(sites.unwrap_or(0) > 0)
}

async fn restore_postgres(url: &DbUrl, from: &Path, replace: bool) -> Result<()> {
    let store = Store::open(
        url,
        OpenOptions {
            max_connections: 1,
            migrate: false,
            ..OpenOptions::default()
        },
    )
    .await?;
    let checked = async {
        let mut c = store.read().await?;
        // A kiosk closed a moment ago leaves its server process for a few milliseconds after
        // its socket is gone: look again for up to 2 s before refusing.
        let mut others: i64 = 0;
        for _ in 0..20 {
            others = c
                .scalar(Sql::new(
                    "SELECT COUNT(*) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                ))
                .await?;
            if others == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        if others > 0 {
            return Err(invalid(format!(
                "{others} other connection(s) use this database: stop every kiosk, supervisor \
                 screen and display first"
            )));
        }
        let tables: i64 = c
            .scalar(Sql::new(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
            ))
            .await?;
        if tables > 0 && !replace {
            return Err(invalid(
                "the database is not empty; add --replace to overwrite it with the backup, or \
                 restore into a new database (createdb)",
            ));
        }
        server_major(&mut c).await
    }
    .await;
    store.close().await;
    let server_major = checked?;
    check_client_version("pg_restore", server_major).await?;
    let mut cmd = pg_command("pg_restore", url)?;
    cmd.arg("--no-owner")
        .arg("--no-privileges")
        .arg("--single-transaction")
        .arg("--exit-on-error");
    if replace {
        cmd.arg("--clean").arg("--if-exists");
    }
    cmd.arg("--dbname").arg(database_of(url)?).arg(from);
    run(cmd, "pg_restore").await
}

fn pg_options(url: &DbUrl) -> Result<PgConnectOptions> {
    Ok(PgConnectOptions::from_str(url.expose())?)
}

fn database_of(url: &DbUrl) -> Result<String> {
    let o = pg_options(url)?;
    Ok(o.get_database().unwrap_or(o.get_username()).to_string())
}

/// A PostgreSQL client tool connected to the database `url` names through `PG*` variables.
fn pg_command(program: &str, url: &DbUrl) -> Result<tokio::process::Command> {
    let o = pg_options(url)?;
    let mut cmd = tokio::process::Command::new(program);
    let host = match o.get_socket() {
        Some(dir) => dir.display().to_string(),
        None => o.get_host().to_string(),
    };
    cmd.env("PGHOST", host)
        .env("PGPORT", o.get_port().to_string())
        .env("PGUSER", o.get_username())
        .env("PGDATABASE", database_of(url)?)
        .env("PGAPPNAME", format!("onewindow {program}"))
        .env(
            "PGSSLMODE",
            match o.get_ssl_mode() {
                PgSslMode::Disable => "disable",
                PgSslMode::Allow => "allow",
                PgSslMode::Prefer => "prefer",
                PgSslMode::Require => "require",
                PgSslMode::VerifyCa => "verify-ca",
                PgSslMode::VerifyFull => "verify-full",
            },
        )
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    if let Some(options) = o.get_options() {
        cmd.env("PGOPTIONS", options);
    }
    if let Some(p) = password_of(url.expose()) {
        cmd.env("PGPASSWORD", p);
    }
    Ok(cmd)
}

async fn run(mut cmd: tokio::process::Command, program: &str) -> Result<()> {
    let out = cmd.output().await.map_err(|e| missing_tool(program, e))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said: String = stderr.trim().chars().take(2000).collect();
    Err(invalid(format!(
        "{program} failed ({}): {said}",
        out.status
    )))
}

fn missing_tool(program: &str, e: std::io::Error) -> StorageError {
    if e.kind() == std::io::ErrorKind::NotFound {
        invalid(format!(
            "{program} not found: install the PostgreSQL client tools of the server's version \
             (e.g. postgresql-client) so that {program} is on the PATH"
        ))
    } else {
        invalid(format!("cannot run {program}: {e}"))
    }
}

/// Refuses a client tool older than the server: `pg_dump` cannot read a newer server's catalog,
/// and says so only after connecting.
async fn check_client_version(program: &str, server_major: i64) -> Result<()> {
    let out = tokio::process::Command::new(program)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| missing_tool(program, e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let major = client_major(&text)
        .ok_or_else(|| invalid(format!("{program} --version said {:?}", text.trim())))?;
    if major < server_major {
        return Err(invalid(format!(
            "{program} is version {major} but the server is PostgreSQL {server_major}: install \
             the PostgreSQL {server_major} client tools (e.g. postgresql-client-{server_major})"
        )));
    }
    Ok(())
}

/// The major version in `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)`.
fn client_major(version: &str) -> Option<i64> {
    let after = version.split(')').nth(1)?.trim();
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The password in a database URL (user-info or `password=` parameter), percent-decoded.
fn password_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let from_userinfo = rest[..authority_end]
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, p)| p.to_string());
    let from_query = rest[authority_end..].split_once('?').and_then(|(_, q)| {
        q.split('&').find_map(|kv| {
            kv.split_once('=')
                .filter(|(k, _)| k.eq_ignore_ascii_case("password"))
                .map(|(_, v)| v.to_string())
        })
    });
    from_query.or(from_userinfo).map(|p| percent_decoded(&p))
}

fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_found_in_either_place_and_decoded() {
        assert_eq!(
            password_of("postgres://ow:s%40cret@db:5432/ow").as_deref(),
            Some("s@cret")
        );
        assert_eq!(
            password_of("postgres://ow@db/ow?sslmode=disable&Password=x%2Fy").as_deref(),
            Some("x/y")
        );
        assert_eq!(password_of("postgres://ow@db/ow"), None);
        assert_eq!(password_of("postgres://db/ow"), None);
    }

    #[test]
    fn the_client_major_version_is_read() {
        assert_eq!(
            client_major("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"),
            Some(15)
        );
        assert_eq!(client_major("pg_restore (PostgreSQL) 17beta1"), Some(17));
        assert_eq!(client_major("pg_dump, something else"), None);
        assert_eq!(client_major("pg_dump (PostgreSQL) 9.6.24"), Some(9));
    }
}
