//! `onewindow db migrate|window|staff|backup|restore|purge`: set up the database, its windows and
//! its staff; back it up, restore it, and anonymise the cases past the retention period.

use super::Output;
use super::auth::SignInArgs;
use crate::app::auth::Permission;
use crate::app::{Acting, AppError, Services};
use crate::config::Config;
use crate::domain::{Lang, Route, StaffNo, StaffRole, WindowNo};
use crate::i18n::{cli::Strings, fill};
use crate::storage::DbUrl;
use anyhow::{anyhow, bail};
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// The supervisor running the command (not needed for `migrate`, for the first supervisor
    /// of an empty database, nor to restore into an empty one).
    #[command(flatten)]
    pub auth: SignInArgs,
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
    /// Create or change a staff member; deactivate, reactivate or unlock one. On an empty
    /// database the first staff member is a supervisor with a PIN, created without signing in.
    Staff {
        code: String,
        /// Their name (needed to create or rename; not with --deactivate, --reactivate or
        /// --unlock alone).
        name: Option<String>,
        /// clerk, supervisor or follow-up (回访员: makes the follow-up calls and nothing else)
        /// (default: as before; a new staff member is a clerk).
        #[arg(long)]
        role: Option<String>,
        /// Set their sign-in PIN (4–12 digits, stored only as an Argon2 hash): asked for without
        /// echo, or with --pin-stdin the next line of standard input (after yours).
        #[arg(long)]
        set_pin: bool,
        /// They may no longer sign in anywhere.
        #[arg(long, conflicts_with = "reactivate")]
        deactivate: bool,
        /// They may sign in again.
        #[arg(long)]
        reactivate: bool,
        /// End their lock-out after wrong PINs before its time.
        #[arg(long)]
        unlock: bool,
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
        if *replace {
            // Replacing a live database is a supervisor's act, checked on that database.
            let services = Services::open(config).await?;
            let by = args
                .auth
                .authorize(&services, Permission::ManageData, "db restore --replace")
                .await;
            services.close().await;
            by?;
        }
        let c = crate::app::data::restore(config, from, *replace, chrono::Utc::now()).await?;
        let url = DbUrl::new(config.database_url.clone());
        let text = format!(
            "{}\n",
            fill(
                Strings::get(config.lang).db_restored,
                &[
                    ("from", &from.display().to_string()),
                    ("url", &url.to_string()),
                    ("contents", &contents(&c, config.lang)),
                ]
            )
        );
        return Ok(Output {
            text,
            json: serde_json::json!({ "database": url.redacted(), "from": from, "contents": c }),
        });
    }
    let services = Services::open(config).await?;
    let result = command(&services, args).await;
    services.close().await;
    result
}

/// The supervisor a command acts as.
async fn supervisor(
    services: &Services,
    args: &DbArgs,
    need: Permission,
    operation: &str,
) -> anyhow::Result<Acting> {
    args.auth.authorize(services, need, operation).await
}

async fn command(services: &Services, args: &DbArgs) -> anyhow::Result<Output> {
    let url = DbUrl::new(services.config().database_url.clone());
    // Routes and roles in words of `--lang`; `--json` keeps their codes.
    let lang = services.config().lang;
    let s = Strings::get(lang);
    let url_text = url.to_string();
    match &args.command {
        DbCommand::Migrate => {
            let text = match services.site() {
                Ok(site) => {
                    let queues = site
                        .queues
                        .iter()
                        .map(|q| format!("{} ({})", q.prefix, q.route.label(lang)))
                        .collect::<Vec<_>>()
                        .join(s.list_sep);
                    fill(
                        s.db_up_to_date,
                        &[
                            ("url", &url_text),
                            ("site", &site.code),
                            ("queues", &queues),
                        ],
                    )
                }
                Err(_) => fill(s.db_no_site, &[("url", &url_text)]),
            };
            let text = format!("{text}\n");
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
                    Route::from_code(r.trim()).ok_or_else(|| {
                        anyhow!(fill(s.db_unknown_route, &[("route", &format!("{r:?}"))]))
                    })
                })
                .collect::<anyhow::Result<_>>()?;
            let no = u32::try_from(*number)
                .ok()
                .filter(|n| (1..=999).contains(n))
                .map(WindowNo)
                .ok_or_else(|| anyhow!(fill(s.db_window_range, &[("n", &number.to_string())])))?;
            // A stored name, the same in either language (the hall board shows it).
            let name = name.clone().unwrap_or_else(|| format!("窗口{number}"));
            supervisor(services, args, Permission::ManageSite, "db window").await?;
            let w = services
                .save_window(no, &name, &routes, chrono::Utc::now())
                .await?;
            let site = services.site()?;
            let served: Vec<&str> = site
                .queues
                .iter()
                .filter(|q| w.queues.contains(&q.id))
                .map(|q| q.route.label(lang))
                .collect();
            Ok(Output {
                text: format!(
                    "{}\n",
                    fill(
                        s.db_window_saved,
                        &[
                            ("n", &number.to_string()),
                            ("name", &name),
                            ("routes", &served.join(s.list_sep)),
                        ]
                    )
                ),
                json: serde_json::to_value(&w)?,
            })
        }
        DbCommand::Staff {
            code,
            name,
            role,
            set_pin,
            deactivate,
            reactivate,
            unlock,
        } => {
            staff(
                services,
                args,
                StaffChange {
                    code,
                    name: name.as_deref(),
                    role: role.as_deref(),
                    set_pin: *set_pin,
                    active: match (deactivate, reactivate) {
                        (true, _) => Some(false),
                        (_, true) => Some(true),
                        _ => None,
                    },
                    unlock: *unlock,
                },
            )
            .await
        }
        DbCommand::Backup { to } => {
            supervisor(services, args, Permission::ManageData, "db backup").await?;
            let c = services.backup(to, chrono::Utc::now()).await?;
            Ok(Output {
                text: format!(
                    "{}\n",
                    fill(
                        s.db_backed_up,
                        &[
                            ("url", &url_text),
                            ("to", &to.display().to_string()),
                            ("contents", &contents(&c, lang)),
                        ]
                    )
                ),
                json: serde_json::json!({ "database": url.redacted(), "to": to, "contents": c }),
            })
        }
        DbCommand::Restore { .. } => unreachable_restore(lang),
        DbCommand::Purge { dry_run, at } => {
            let at = super::instant(at.as_deref(), lang)?;
            let by = supervisor(services, args, Permission::ManageData, "db purge").await?;
            let p = services.purge(at, *dry_run, &by).await?;
            let before = crate::domain::numbering::local_time(&p.closed_before);
            let before = before.format("%Y-%m-%d %H:%M");
            let template = if p.dry_run {
                s.db_purge_would
            } else {
                s.db_purged
            };
            let text = format!(
                "{}\n",
                fill(
                    template,
                    &[
                        ("before", &before.to_string()),
                        ("n", &p.cases.to_string()),
                        ("years", &p.retention_years.to_string()),
                    ]
                )
            );
            Ok(Output {
                text,
                json: serde_json::to_value(p)?,
            })
        }
    }
}

/// What `db staff` was asked to do.
struct StaffChange<'a> {
    code: &'a str,
    name: Option<&'a str>,
    role: Option<&'a str>,
    set_pin: bool,
    active: Option<bool>,
    unlock: bool,
}

async fn staff(services: &Services, args: &DbArgs, c: StaffChange<'_>) -> anyhow::Result<Output> {
    let no = StaffNo(c.code.trim().to_string());
    let role = c.role.map(parse_role).transpose()?;
    let at = chrono::Utc::now();
    let lang = services.config().lang;
    let s = Strings::get(lang);
    // The first staff member of an empty database is its supervisor, created without signing
    // in (there is nobody to sign in as); from then on only a supervisor manages staff.
    let by = if services.needs_setup().await? {
        let (Some(StaffRole::Supervisor), true, Some(name)) = (role, c.set_pin, c.name) else {
            bail!(s.staff_first_needed);
        };
        let pin = args.auth.pin(&new_pin_prompt(&no, lang), lang)?;
        let site = services.site()?;
        // Decided in one transaction: of parallel first attempts exactly one creates a member.
        return match services.create_first_supervisor(&no, name, pin, at).await {
            Ok(_) => Ok(Output {
                text: staff_done(&no, &[saved(StaffRole::Supervisor, lang)], &site.code, lang),
                json: serde_json::json!({
                    "code": no.as_str(), "done": [saved_code(StaffRole::Supervisor)],
                    "site": site.code
                }),
            }),
            Err(AppError::InvalidState) => bail!(fill(s.staff_first_raced, &[("no", no.as_str())])),
            Err(AppError::Invalid(m)) => bail!("--set-pin: {m}"),
            Err(e) => Err(e.into()),
        };
    } else {
        Some(supervisor(services, args, Permission::ManageStaff, "db staff").await?)
    };
    let site = services.site()?;
    // What was done, in words for the text and as codes for `--json` (the role differs).
    let mut said = Vec::new();
    let mut done = Vec::new();
    if c.name.is_some() || c.role.is_some() || c.set_pin {
        let existing = services.staff_role(&no).await?;
        let name = match (c.name, &existing) {
            (Some(n), _) => n.to_string(),
            (None, Some((_, name))) => name.clone(),
            (None, None) => bail!(fill(s.staff_needs_name, &[("no", no.as_str())])),
        };
        let role = role
            .or(existing.as_ref().map(|e| e.0))
            .unwrap_or(StaffRole::Clerk);
        let pin = if c.set_pin {
            Some(args.auth.pin(&new_pin_prompt(&no, lang), lang)?)
        } else {
            None
        };
        services
            .save_staff_as(by.as_ref(), &no, &name, role, pin, at)
            .await
            .map_err(|e| match e {
                AppError::Invalid(m) if c.set_pin => anyhow!("--set-pin: {m}"),
                e => e.into(),
            })?;
        said.push(saved(role, lang));
        done.push(saved_code(role));
    }
    if let (Some(active), Some(by)) = (c.active, &by) {
        services.set_staff_active(by, &no, active, at).await?;
        let (said_now, code) = if active {
            (s.staff_reactivated, "reactivated")
        } else {
            (s.staff_deactivated, "deactivated")
        };
        said.push(said_now.to_string());
        done.push(code.to_string());
    }
    if let (true, Some(by)) = (c.unlock, &by) {
        let was = services.unlock_staff(by, &no, at).await?;
        let (said_now, code) = if was {
            (s.staff_unlocked, "unlocked")
        } else {
            (s.staff_was_not_locked, "was not locked")
        };
        said.push(said_now.to_string());
        done.push(code.to_string());
    }
    if said.is_empty() {
        bail!(fill(s.staff_nothing, &[("no", no.as_str())]));
    }
    Ok(Output {
        text: staff_done(&no, &said, &site.code, lang),
        json: serde_json::json!({ "code": no.as_str(), "done": done, "site": site.code }),
    })
}

/// `--role`: a role's code, with `-` for `_` too (`follow-up` as well as `follow_up`).
fn parse_role(text: &str) -> anyhow::Result<StaffRole> {
    text.trim()
        .replace('-', "_")
        .parse()
        .map_err(|e: String| anyhow!("--role: {e}"))
}

/// "saved (role)" in words of `lang`.
fn saved(role: StaffRole, lang: Lang) -> String {
    fill(
        Strings::get(lang).staff_saved,
        &[("role", role.label(lang))],
    )
}

fn new_pin_prompt(no: &StaffNo, lang: Lang) -> String {
    fill(Strings::get(lang).new_pin_prompt, &[("no", no.as_str())])
}

/// What `--json` says was done: the role by its code, for scripts.
fn saved_code(role: StaffRole) -> String {
    format!("saved ({role})")
}

/// `db staff`'s sentence: what was done to staff member `no`, at which site.
fn staff_done(no: &StaffNo, said: &[String], site: &str, lang: Lang) -> String {
    let s = Strings::get(lang);
    let done = said.join(s.staff_done_sep);
    format!(
        "{}\n",
        fill(
            s.staff_done,
            &[("no", no.as_str()), ("done", &done), ("site", site)]
        )
    )
}

/// What a backup or a restore holds, in words.
fn contents(c: &crate::storage::backup::Contents, lang: Lang) -> String {
    fill(
        Strings::get(lang).db_contents,
        &[
            ("cases", &c.cases.to_string()),
            ("tickets", &c.tickets.to_string()),
            ("audit", &c.audit_rows.to_string()),
        ],
    )
}

/// `execute` answers a restore before it opens the database.
fn unreachable_restore(lang: Lang) -> anyhow::Result<Output> {
    Err(anyhow!(Strings::get(lang).db_restore_opens))
}
