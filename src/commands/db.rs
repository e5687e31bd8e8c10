//! `onewindow db migrate|window|staff|backup|restore|purge`: set up the database, its windows and
//! its staff; back it up, restore it, and anonymise the cases past the retention period.

use super::Output;
use crate::app::{AppError, Services};
use crate::config::Config;
use crate::domain::{Route, StaffNo, StaffRole, WindowNo};
use crate::storage::DbUrl;
use anyhow::anyhow;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum DbCommand {
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Create or change a window and the queues it serves.
    Window {
        /// The window's number.
        number: i64,
        /// Its name on screens (default 窗口N).
        #[arg(long)]
        name: Option<String>,
        /// Routes whose queues it serves, comma-separated (default: every queue of the site).
        #[arg(long, value_delimiter = ',', value_name = "ROUTE,…")]
        routes: Vec<String>,
    },
    /// Create or change a staff member.
    Staff {
        code: String,
        name: String,
        /// clerk (default) or supervisor.
        #[arg(long, default_value = "clerk")]
        role: String,
        /// Read the staff member's sign-in PIN (4–12 digits) from the first line of standard
        /// input; it is stored only as an Argon2 hash.
        #[arg(long)]
        pin_stdin: bool,
    },
    /// Write a consistent copy of the whole database to FILE (0600; never over an existing
    /// file). SQLite: VACUUM INTO; PostgreSQL: pg_dump (custom format).
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Put a backup in place of the database. Stop every kiosk, supervisor screen and display
    /// first. PostgreSQL: restore into an empty database (createdb), or add --replace.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Overwrite a database that already holds a site.
        #[arg(long)]
        replace: bool,
    },
    /// Anonymise the personal fields of the cases closed more than data.retention_years ago;
    /// statistics and the audit trail stay.
    Purge {
        /// Only count the cases that would be anonymised.
        #[arg(long)]
        dry_run: bool,
        /// Purge as of this time (RFC 3339) instead of now, e.g. to see what a date would purge.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
}

pub async fn run(config: &Config, args: DbArgs) -> anyhow::Result<()> {
    execute(config, &args).await?.print(args.json)
}

pub async fn execute(config: &Config, args: &DbArgs) -> anyhow::Result<Output> {
    // A restore must not open (and so migrate) the database it replaces.
    if let DbCommand::Restore { from, replace } = &args.command {
        let c = crate::app::data::restore(config, from, *replace, chrono::Utc::now()).await?;
        let url = DbUrl::new(config.database_url.clone());
        return Ok(Output {
            text: format!(
                "restored {url} from {}: {} cases, {} tickets, {} audit entries\n",
                from.display(),
                c.cases,
                c.tickets,
                c.audit_rows
            ),
            json: serde_json::json!({ "database": url.redacted(), "from": from, "contents": c }),
        });
    }
    let services = Services::open(config).await?;
    let result = command(&services, args).await;
    services.close().await;
    result
}

async fn command(services: &Services, args: &DbArgs) -> anyhow::Result<Output> {
    let url = DbUrl::new(services.config().database_url.clone());
    match &args.command {
        DbCommand::Migrate => {
            let text = match services.site() {
                Ok(site) => format!(
                    "database {url} is up to date; site {} has queues {}\n",
                    site.code,
                    site.queues
                        .iter()
                        .map(|q| format!("{} ({})", q.prefix, q.route))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Err(_) => format!(
                    "database {url} is up to date; no site yet: start the kiosk (`onewindow`) \
                     for the first-run set-up\n"
                ),
            };
            Ok(Output {
                text,
                json: serde_json::json!({
                    "database": url.redacted(),
                    "site": services.site().ok(),
                }),
            })
        }
        DbCommand::Window {
            number,
            name,
            routes,
        } => {
            let routes: Vec<Route> = routes
                .iter()
                .map(|r| {
                    Route::from_code(r.trim())
                        .ok_or_else(|| anyhow!("--routes: unknown route {r:?}"))
                })
                .collect::<anyhow::Result<_>>()?;
            let no = u32::try_from(*number)
                .ok()
                .filter(|n| (1..=999).contains(n))
                .map(WindowNo)
                .ok_or_else(|| anyhow!("window {number}: a window number is 1 to 999"))?;
            let name = name.clone().unwrap_or_else(|| format!("窗口{number}"));
            let w = services
                .save_window(no, &name, &routes, chrono::Utc::now())
                .await?;
            let site = services.site()?;
            let served: Vec<&str> = site
                .queues
                .iter()
                .filter(|q| w.queues.contains(&q.id))
                .map(|q| q.route.code())
                .collect();
            Ok(Output {
                text: format!("window {number} {name} serves {}\n", served.join(", ")),
                json: serde_json::to_value(&w)?,
            })
        }
        DbCommand::Staff {
            code,
            name,
            role,
            pin_stdin,
        } => {
            let role: StaffRole = role.parse().map_err(|e: String| anyhow!("--role: {e}"))?;
            let pin = if *pin_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                Some(line.trim().to_string())
            } else {
                None
            };
            let id = services
                .save_staff(&StaffNo(code.clone()), name, role, pin)
                .await
                .map_err(|e| match e {
                    AppError::Invalid(m) if *pin_stdin => anyhow!("--pin-stdin: {m}"),
                    e => e.into(),
                })?;
            let site = services.site()?;
            Ok(Output {
                text: format!("staff {code} ({role}) saved at site {}\n", site.code),
                json: serde_json::json!({ "id": id, "code": code, "role": role, "site": site.code }),
            })
        }
        DbCommand::Backup { to } => {
            let c = services.backup(to, chrono::Utc::now()).await?;
            Ok(Output {
                text: format!(
                    "backup of {url} written to {}: {} cases, {} tickets, {} audit entries\n",
                    to.display(),
                    c.cases,
                    c.tickets,
                    c.audit_rows
                ),
                json: serde_json::json!({ "database": url.redacted(), "to": to, "contents": c }),
            })
        }
        DbCommand::Restore { .. } => unreachable_restore(),
        DbCommand::Purge { dry_run, at } => {
            let at = super::instant(at.as_deref())?;
            let p = services
                .purge(at, *dry_run, &crate::app::Acting::default())
                .await?;
            let before = crate::domain::numbering::local_time(&p.closed_before);
            let text = if p.dry_run {
                format!(
                    "{} case(s) closed before {} (retention {} years) would be anonymised\n",
                    p.cases,
                    before.format("%Y-%m-%d %H:%M"),
                    p.retention_years
                )
            } else {
                format!(
                    "{} case(s) closed before {} (retention {} years) anonymised\n",
                    p.cases,
                    before.format("%Y-%m-%d %H:%M"),
                    p.retention_years
                )
            };
            Ok(Output {
                text,
                json: serde_json::to_value(p)?,
            })
        }
    }
}

/// `execute` answers a restore before it opens the database.
fn unreachable_restore() -> anyhow::Result<Output> {
    Err(anyhow!("db restore runs without opening the database"))
}
