//! The command line: two options for every command (`--config`, `--set`), the kiosk's own
//! options, and the subcommands, each offering only the options that mean something for it.
//!
//! `--db` and `--lang` are declared by each command that uses them (after the command's name,
//! anywhere among its options). Written before the command (`onewindow --db URL queue list`)
//! they are the kiosk's options given early, and apply to the command if it takes them; a
//! command that does not is refused, as is `--window` or `--demo` before any command: those
//! belong to the kiosk alone. One option is never declared twice on one path with different
//! types (the panic `Mismatch between definition and access` that a global `--lang` caused).

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "onewindow",
    version,
    about = "劳动人事争议一站式受理窗口终端 — intake, classification and routing of labour disputes",
    after_help = "Without a command, onewindow starts the window kiosk."
)]
pub struct Cli {
    /// Configuration file (default: ./onewindow.toml if present). Also ONEWINDOW_CONFIG.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Override any setting: --set site.minimum_wage_monthly=2420 (repeatable).
    #[arg(long = "set", global = true, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Database URL: sqlite://PATH or postgres://… (overrides database.url, ONEWINDOW_DB).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Language of the screen and paper: zh-CN (default) or en.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    #[command(flatten)]
    pub kiosk: KioskOpts,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The kiosk's own options: meaningless for any command.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct KioskOpts {
    /// Open a demo site with sample staff and cases (in memory; the PIN is shown on screen).
    #[arg(long)]
    pub demo: bool,
    /// The window number this terminal stands at (overrides ui.window).
    #[arg(long, value_name = "N")]
    pub window: Option<i64>,
}

/// `--db` for a command that works on the database. Global within its command, so it may
/// follow a nested subcommand (`queue list --db URL`).
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct DbOpt {
    /// Database URL: sqlite://PATH or postgres://… (overrides database.url, ONEWINDOW_DB).
    #[arg(long, global = true, value_name = "URL")]
    pub db: Option<String>,
}

/// `--lang` for a command that shows or prints text for people.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct LangOpt {
    /// Language of the output and paper: zh-CN (default) or en (overrides ui.lang).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and classify an intake record (TOML or JSON); prints the decision as JSON.
    Classify {
        /// The intake file: tables applicant, counterparty, employment, dispute, optional site.
        file: PathBuf,
        /// Intake time (RFC 3339, e.g. 2025-03-10T09:30:00+08:00); default now in Asia/Shanghai.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
    /// Configuration: check the layered settings and print what is in force.
    Config {
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// Register a case from an intake file: validate, classify, store, issue the ticket, queue
    /// the paper — one transaction.
    Intake {
        #[command(flatten)]
        args: crate::commands::intake::IntakeArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// Queue operations: list, issue, call, recall, noshow, start, transfer, finish.
    Queue {
        #[command(flatten)]
        args: crate::commands::queue::QueueArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// Show a case with its tickets and history.
    Case {
        #[command(flatten)]
        args: crate::commands::case::CaseArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// Set up the database, its windows and staff.
    Db {
        #[command(flatten)]
        args: crate::commands::db::DbArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// Paper: preview, test page, print jobs, retry, reprint.
    Print {
        #[command(subcommand)]
        command: crate::commands::print::PrintCommand,
        #[command(flatten)]
        auth: crate::commands::auth::SignInArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// The supervisor's live dashboard (sign in with a supervisor's staff number and PIN).
    Supervisor {
        #[command(flatten)]
        args: crate::commands::supervisor::SupervisorArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// The full-screen waiting-hall display (ticket and window numbers only).
    Display {
        #[command(flatten)]
        args: crate::commands::display::DisplayArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// Statistics report for a period: CSV, XLSX or JSON.
    Report {
        #[command(flatten)]
        args: crate::commands::report::ReportArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// Follow-up calls (回访) due after mediated or referred cases.
    Followup {
        #[command(flatten)]
        args: crate::commands::followup::FollowupArgs,
        #[command(flatten)]
        db: DbOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// Seed sample cases for trying the report (never on a live database).
    Seed {
        #[command(flatten)]
        args: crate::commands::report::SeedArgs,
        #[command(flatten)]
        db: DbOpt,
    },
}

impl Command {
    /// The command's name as typed.
    fn name(&self) -> &'static str {
        match self {
            Command::Classify { .. } => "classify",
            Command::Config { .. } => "config",
            Command::Intake { .. } => "intake",
            Command::Queue { .. } => "queue",
            Command::Case { .. } => "case",
            Command::Db { .. } => "db",
            Command::Print { .. } => "print",
            Command::Supervisor { .. } => "supervisor",
            Command::Display { .. } => "display",
            Command::Report { .. } => "report",
            Command::Followup { .. } => "followup",
            Command::Seed { .. } => "seed",
        }
    }

    /// The command's `--db`, if it takes one.
    fn db_mut(&mut self) -> Option<&mut DbOpt> {
        match self {
            Command::Classify { .. } => None,
            Command::Config { db, .. }
            | Command::Intake { db, .. }
            | Command::Queue { db, .. }
            | Command::Case { db, .. }
            | Command::Db { db, .. }
            | Command::Print { db, .. }
            | Command::Supervisor { db, .. }
            | Command::Display { db, .. }
            | Command::Report { db, .. }
            | Command::Followup { db, .. }
            | Command::Seed { db, .. } => Some(db),
        }
    }

    /// The command's `--lang`, if it takes one.
    fn lang_mut(&mut self) -> Option<&mut LangOpt> {
        match self {
            Command::Classify { .. } | Command::Seed { .. } => None,
            Command::Config { lang, .. }
            | Command::Intake { lang, .. }
            | Command::Queue { lang, .. }
            | Command::Case { lang, .. }
            | Command::Db { lang, .. }
            | Command::Print { lang, .. }
            | Command::Supervisor { lang, .. }
            | Command::Display { lang, .. }
            | Command::Report { lang, .. }
            | Command::Followup { lang, .. } => Some(lang),
        }
    }
}

impl Cli {
    /// Parses a whole command line, including the rules clap cannot express: the kiosk's
    /// options before a command are refused, and `--db`/`--lang` before a command move onto it
    /// (its own, written after its name, win). Errors are clap's, so they print and exit alike.
    pub fn try_parse_checked<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let mut cli = Cli::try_parse_from(args)?;
        cli.settle()?;
        Ok(cli)
    }

    /// [`Cli::try_parse_checked`] on the process's arguments; a bad line prints clap's message
    /// and exits 2.
    pub fn parse_checked() -> Cli {
        Cli::try_parse_checked(std::env::args_os()).unwrap_or_else(|e| e.exit())
    }

    fn settle(&mut self) -> Result<(), clap::Error> {
        let Some(command) = self.command.as_mut() else {
            return Ok(());
        };
        let name = command.name();
        let refuse = |message: String| Cli::command().error(ErrorKind::ArgumentConflict, message);
        if self.kiosk.demo || self.kiosk.window.is_some() {
            let option = if self.kiosk.demo {
                "--demo"
            } else {
                "--window"
            };
            return Err(refuse(format!(
                "{option} belongs to the kiosk (`onewindow {option} …` without a command), \
                 not to `onewindow {name}`"
            )));
        }
        let not_an_option =
            |option: &str| refuse(format!("{option} is not an option of `onewindow {name}`"));
        // The command's own (written after its name) wins over one written before it.
        match command.db_mut() {
            Some(own) => {
                if let Some(db) = own.db.take() {
                    self.db = Some(db);
                }
            }
            None if self.db.is_some() => return Err(not_an_option("--db")),
            None => {}
        }
        match command.lang_mut() {
            Some(own) => {
                if let Some(lang) = own.lang.take() {
                    self.lang = Some(lang);
                }
            }
            None if self.lang.is_some() => return Err(not_an_option("--lang")),
            None => {}
        }
        Ok(())
    }

    /// `--db`, `--lang` and the kiosk's `--window` as `--set` overrides; they come last so they
    /// win over `--set`. After [`Cli::try_parse_checked`], `db` and `lang` hold the command's.
    pub fn overrides(&self) -> Vec<String> {
        let mut o = self.set.clone();
        if let Some(db) = &self.db {
            o.push(format!("database.url={db}"));
        }
        if let Some(lang) = &self.lang {
            o.push(format!("ui.lang={lang}"));
        }
        if let Some(w) = self.kiosk.window {
            o.push(format!("ui.window={w}"));
        }
        o
    }
}
