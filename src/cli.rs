//! The command line: global options and subcommands.

use clap::{Parser, Subcommand};
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
    /// Database URL: sqlite://PATH or postgres://… (overrides database.url, ONEWINDOW_DB).
    #[arg(long, global = true, value_name = "URL")]
    pub db: Option<String>,
    /// Language of the screen and paper: zh-CN (default) or en.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Open a demo site with sample staff and cases (in memory; the PIN is shown on screen).
    #[arg(long, global = true)]
    pub demo: bool,
    /// The window number this terminal stands at (overrides ui.window).
    #[arg(long, global = true, value_name = "N")]
    pub window: Option<i64>,
    /// Override any setting: --set site.minimum_wage_monthly=2420 (repeatable).
    #[arg(long = "set", global = true, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
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
    Config,
    /// Register a case from an intake file: validate, classify, store, issue the ticket, queue
    /// the paper — one transaction.
    Intake(crate::commands::intake::IntakeArgs),
    /// Queue operations: list, issue, call, recall, noshow, start, transfer, finish.
    Queue(crate::commands::queue::QueueArgs),
    /// Show a case with its tickets and history.
    Case(crate::commands::case::CaseArgs),
    /// Set up the database, its windows and staff.
    Db(crate::commands::db::DbArgs),
    /// Paper: preview, test page, print jobs, retry, reprint.
    Print {
        #[command(subcommand)]
        command: crate::commands::print::PrintCommand,
        #[command(flatten)]
        auth: crate::commands::auth::SignInArgs,
    },
    /// The supervisor's live dashboard (sign in with a supervisor's staff number and PIN).
    Supervisor(crate::commands::supervisor::SupervisorArgs),
    /// The full-screen waiting-hall display (ticket and window numbers only).
    Display(crate::commands::display::DisplayArgs),
    /// Statistics report for a period: CSV, XLSX or JSON.
    Report(crate::commands::report::ReportArgs),
    /// Follow-up calls (回访) due after mediated or referred cases.
    Followup(crate::commands::followup::FollowupArgs),
    /// Seed sample cases for trying the report (never on a live database).
    Seed(crate::commands::report::SeedArgs),
}

impl Cli {
    /// `--db` and `--lang` are shorthands for `--set`; they come last so they win.
    pub fn overrides(&self) -> Vec<String> {
        let mut o = self.set.clone();
        if let Some(db) = &self.db {
            o.push(format!("database.url={db}"));
        }
        if let Some(lang) = &self.lang {
            o.push(format!("ui.lang={lang}"));
        }
        if let Some(w) = self.window {
            o.push(format!("ui.window={w}"));
        }
        o
    }
}
