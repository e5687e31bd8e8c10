//! `onewindow db migrate|window|staff`: set up the database, its windows and its staff.

use super::Output;
use crate::config::Config;
use crate::domain::Route;
use crate::storage::{DbUrl, OpenOptions, StaffRole, Store};
use anyhow::{Context, anyhow};

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
}

pub async fn run(config: &Config, args: DbArgs) -> anyhow::Result<()> {
    execute(config, &args).await?.print(args.json)
}

pub async fn execute(config: &Config, args: &DbArgs) -> anyhow::Result<Output> {
    let url = DbUrl::new(config.database_url.clone());
    let store = Store::open(&url, OpenOptions::default())
        .await
        .with_context(|| format!("cannot open or migrate the database {url}"))?;
    let result = async {
        let site = super::site(&store, config).await?;
        match &args.command {
            DbCommand::Migrate => Ok(Output {
                text: format!(
                    "database {url} is up to date; site {} has queues {}\n",
                    site.code,
                    site.queues
                        .iter()
                        .map(|q| format!("{} ({})", q.prefix, q.route))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                json: serde_json::json!({ "database": url.redacted(), "site": site }),
            }),
            DbCommand::Window {
                number,
                name,
                routes,
            } => {
                let routes: Vec<Route> = if routes.is_empty() {
                    site.queues.iter().map(|q| q.route).collect()
                } else {
                    routes
                        .iter()
                        .map(|r| {
                            Route::from_code(r.trim())
                                .ok_or_else(|| anyhow!("--routes: unknown route {r:?}"))
                        })
                        .collect::<anyhow::Result<_>>()?
                };
                let name = name.clone().unwrap_or_else(|| format!("窗口{number}"));
                store
                    .upsert_window(site.id, *number, &name, &routes, chrono::Utc::now())
                    .await?;
                let w = store.window_by_number(site.id, *number).await?;
                Ok(Output {
                    text: format!(
                        "window {number} {name} serves {}\n",
                        routes
                            .iter()
                            .map(|r| r.code())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
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
                    let pin = line.trim().to_string();
                    crate::pin::check_format(&pin).map_err(|e| anyhow!("--pin-stdin: {e}"))?;
                    Some(pin)
                } else {
                    None
                };
                let id = store.upsert_staff(site.id, code, name, role).await?;
                if let Some(pin) = pin {
                    let hash = crate::pin::hash(&pin).map_err(|e| anyhow!(e))?;
                    store.set_pin_hash(id, &hash).await?;
                }
                Ok(Output {
                    text: format!("staff {code} ({role}) saved\n"),
                    json: serde_json::json!({ "id": id, "code": code, "role": role }),
                })
            }
        }
    }
    .await;
    store.close().await;
    result
}
