//! `onewindow db migrate|window|staff|backup|restore|purge`: set up the database, its windows and
//! its staff; back it up, restore it, and anonymise the cases past the retention period.

use super::Output;
use super::auth::SignInArgs;
use crate::app::auth::Permission;
use crate::app::{Acting, AppError, Services};
use crate::config::Config;
use crate::domain::{Lang, Route, StaffNo, StaffRole, WindowNo};
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
        let text = match config.lang {
            Lang::Zh => format!(
                "已从 {} 恢复 {url}：{}\n",
                from.display(),
                contents(&c, Lang::Zh)
            ),
            Lang::En => format!(
                "restored {url} from {}: {}\n",
                from.display(),
                contents(&c, Lang::En)
            ),
        };
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
    match &args.command {
        DbCommand::Migrate => {
            let text = match (services.site(), lang) {
                (Ok(site), _) => {
                    let queues = site
                        .queues
                        .iter()
                        .map(|q| format!("{} ({})", q.prefix, q.route.label(lang)))
                        .collect::<Vec<_>>()
                        .join(lang.pick("、", ", "));
                    match lang {
                        Lang::Zh => format!(
                            "数据库 {url} 已是最新；站点 {} 的队列：{queues}\n",
                            site.code
                        ),
                        Lang::En => format!(
                            "database {url} is up to date; site {} has queues {queues}\n",
                            site.code
                        ),
                    }
                }
                (Err(_), Lang::Zh) => format!(
                    "数据库 {url} 已是最新；尚未设置站点：请先启动窗口终端（`onewindow`）完成首次设置\n"
                ),
                (Err(_), Lang::En) => format!(
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
                    "{} {number} {name}: {}\n",
                    lang.pick("窗口", "window"),
                    served.join(lang.pick("、", ", "))
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
                text: match lang {
                    Lang::Zh => {
                        format!("{url} 已备份到 {}：{}\n", to.display(), contents(&c, lang))
                    }
                    Lang::En => format!(
                        "backup of {url} written to {}: {}\n",
                        to.display(),
                        contents(&c, lang)
                    ),
                },
                json: serde_json::json!({ "database": url.redacted(), "to": to, "contents": c }),
            })
        }
        DbCommand::Restore { .. } => unreachable_restore(),
        DbCommand::Purge { dry_run, at } => {
            let at = super::instant(at.as_deref())?;
            let by = supervisor(services, args, Permission::ManageData, "db purge").await?;
            let p = services.purge(at, *dry_run, &by).await?;
            let before = crate::domain::numbering::local_time(&p.closed_before);
            let before = before.format("%Y-%m-%d %H:%M");
            let text = match (lang, p.dry_run) {
                (Lang::Zh, dry) => format!(
                    "{before} 前结案的 {} 件案件（保存期限 {} 年）{}\n",
                    p.cases,
                    p.retention_years,
                    if dry {
                        "将被匿名化"
                    } else {
                        "已匿名化"
                    }
                ),
                (Lang::En, dry) => format!(
                    "{} case(s) closed before {before} (retention {} years) {}\n",
                    p.cases,
                    p.retention_years,
                    if dry {
                        "would be anonymised"
                    } else {
                        "anonymised"
                    }
                ),
            };
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
    // The first staff member of an empty database is its supervisor, created without signing
    // in (there is nobody to sign in as); from then on only a supervisor manages staff.
    let by = if services.needs_setup().await? {
        let (Some(StaffRole::Supervisor), true, Some(name)) = (role, c.set_pin, c.name) else {
            bail!(
                "this database has no staff yet: the first is a supervisor with a PIN, e.g. \
                 `onewindow db staff 9001 NAME --role supervisor --set-pin`"
            );
        };
        let pin = args.auth.pin(&format!("new PIN for {no}: "))?;
        let site = services.site()?;
        let lang = services.config().lang;
        // Decided in one transaction: of parallel first attempts exactly one creates a member.
        return match services.create_first_supervisor(&no, name, pin, at).await {
            Ok(_) => Ok(Output {
                text: staff_done(&no, &[saved(StaffRole::Supervisor, lang)], &site.code, lang),
                json: serde_json::json!({
                    "code": no.as_str(), "done": [saved_code(StaffRole::Supervisor)],
                    "site": site.code
                }),
            }),
            Err(AppError::InvalidState) => bail!(
                "db staff {no}: the database has staff now (a first supervisor was created \
                 meanwhile): sign in as a supervisor with --staff"
            ),
            Err(AppError::Invalid(m)) => bail!("--set-pin: {m}"),
            Err(e) => Err(e.into()),
        };
    } else {
        Some(supervisor(services, args, Permission::ManageStaff, "db staff").await?)
    };
    let site = services.site()?;
    // What was done, in words for the text and as codes for `--json` (the role differs).
    let lang = services.config().lang;
    let mut said = Vec::new();
    let mut done = Vec::new();
    if c.name.is_some() || c.role.is_some() || c.set_pin {
        let existing = services.staff_role(&no).await?;
        let name = match (c.name, &existing) {
            (Some(n), _) => n.to_string(),
            (None, Some((_, name))) => name.clone(),
            (None, None) => bail!("staff {no}: a new staff member needs a name"),
        };
        let role = role
            .or(existing.as_ref().map(|e| e.0))
            .unwrap_or(StaffRole::Clerk);
        let pin = if c.set_pin {
            Some(args.auth.pin(&format!("new PIN for {no}: "))?)
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
        let (zh, en) = if active {
            ("已恢复", "reactivated")
        } else {
            ("已停用", "deactivated")
        };
        said.push(lang.pick(zh, en).to_string());
        done.push(en.to_string());
    }
    if let (true, Some(by)) = (c.unlock, &by) {
        let was = services.unlock_staff(by, &no, at).await?;
        let (zh, en) = if was {
            ("已解除锁定", "unlocked")
        } else {
            ("未被锁定", "was not locked")
        };
        said.push(lang.pick(zh, en).to_string());
        done.push(en.to_string());
    }
    if said.is_empty() {
        bail!(
            "db staff {no}: nothing to do (give a NAME, --role, --set-pin, --deactivate, --reactivate or --unlock)"
        );
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
    match lang {
        Lang::Zh => format!("已保存（{}）", role.label(lang)),
        Lang::En => format!("saved ({})", role.label(lang)),
    }
}

/// What `--json` says was done: the role by its code, for scripts.
fn saved_code(role: StaffRole) -> String {
    format!("saved ({role})")
}

/// `db staff`'s sentence: what was done to staff member `no`, at which site.
fn staff_done(no: &StaffNo, said: &[String], site: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("工作人员 {no} {}（站点 {site}）\n", said.join("，")),
        Lang::En => format!("staff {no} {} at site {site}\n", said.join(", ")),
    }
}

/// What a backup or a restore holds, in words.
fn contents(c: &crate::storage::backup::Contents, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "案件 {} 件，排队号 {} 个，记录 {} 条",
            c.cases, c.tickets, c.audit_rows
        ),
        Lang::En => format!(
            "{} cases, {} tickets, {} audit entries",
            c.cases, c.tickets, c.audit_rows
        ),
    }
}

/// `execute` answers a restore before it opens the database.
fn unreachable_restore() -> anyhow::Result<Output> {
    Err(anyhow!("db restore runs without opening the database"))
}
