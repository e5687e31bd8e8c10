//! The `onewindow` binary: parses the command line, loads the configuration, starts logging and
//! hands over to a command. All behaviour lives in the library:
//!
//! | module | role |
//! |---|---|
//! | `domain` | pure rules: intake record, validation, classification, deadlines |
//! | `config` | layered settings (defaults → file → `ONEWINDOW_*` → command line) |
//! | `input` | reading intake files |
//! | `logging` | tracing to a file |
//! | `cli` | the command line |
//! | `tui` | the window kiosk |
//! | `app` | the operations people perform, for the kiosk, the supervisor and every command |
#![forbid(unsafe_code)]

use chrono::Utc;
use onewindow::app::{self, Kiosk, Services};
use onewindow::cli::{Cli, Command};
use onewindow::commands;
use onewindow::config::logging;
use onewindow::config::{self, Config, Sources};
use onewindow::domain::WindowNo;
use onewindow::tui;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let cli = Cli::parse_checked();
    let config = match config::load(&Sources::from_process(cli.config.clone(), cli.overrides())) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("onewindow: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    // `classify` is a pure check run in loops by scripts: it leaves no log file behind.
    let logs = !matches!(cli.command, Some(Command::Classify { .. }));
    let _log_guard = match logs.then(|| logging::init(&config.log_file, &config.log_filter)) {
        None => None,
        Some(Ok(g)) => Some(g),
        Some(Err(e)) => {
            eprintln!(
                "onewindow: cannot open log file {}: {e}",
                config.log_file.display()
            );
            return ExitCode::from(2);
        }
    };
    tracing::info!(config = ?config, "start");
    match cli.command {
        None => kiosk(&config, cli.kiosk.demo),
        Some(Command::Classify { file, at }) => ExitCode::from(commands::classify::run(
            &config,
            &file,
            at.as_deref(),
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )),
        Some(Command::Config { .. }) => {
            print!("{}", config.to_toml_masked());
            ExitCode::SUCCESS
        }
        Some(Command::Intake { args, .. }) => {
            block_on(&config, commands::intake::run(&config, args))
        }
        Some(Command::Queue { args, .. }) => block_on(&config, commands::queue::run(&config, args)),
        Some(Command::Case { args, .. }) => block_on(&config, commands::case::run(&config, args)),
        Some(Command::Db { args, .. }) => block_on(&config, commands::db::run(&config, args)),
        Some(Command::Print { command, auth, .. }) => {
            block_on(&config, print(&config, command, auth))
        }
        Some(Command::Supervisor { args, .. }) => {
            block_on(&config, commands::supervisor::run(&config, args))
        }
        Some(Command::Display { args, .. }) => {
            block_on(&config, commands::display::run(&config, args))
        }
        Some(Command::Report { args, .. }) => {
            block_on(&config, commands::report::run(&config, args))
        }
        Some(Command::Followup { args, .. }) => {
            block_on(&config, commands::followup::run(&config, args))
        }
        Some(Command::Seed { args, .. }) => {
            block_on(&config, commands::report::run_seed(&config, args))
        }
    }
}

/// Runs one command on a fresh runtime; an error is printed plainly, in the command's language,
/// and exits non-zero.
fn block_on(config: &Config, f: impl std::future::Future<Output = anyhow::Result<()>>) -> ExitCode {
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(f));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "command failed");
            // In the command's language; the log above keeps the English.
            eprintln!(
                "onewindow: {}",
                onewindow::app::error::error_chain(config.lang, &e)
            );
            ExitCode::FAILURE
        }
    }
}

/// `print …`: previews and test pages need no database; jobs, retry, reprint, move and a stored
/// case's preview do.
async fn print(
    config: &Config,
    command: commands::print::PrintCommand,
    auth: commands::auth::SignInArgs,
) -> anyhow::Result<()> {
    let needs_db = !matches!(
        &command,
        commands::print::PrintCommand::Test(_)
            | commands::print::PrintCommand::Preview(commands::print::PreviewArgs {
                sample: true,
                ..
            })
    );
    let services = if needs_db {
        Some(Services::open(config).await?)
    } else {
        None
    };
    // Paper on the database names people: a signed-in clerk at least.
    let by = match &services {
        Some(s) => match auth
            .authorize(s, app::auth::Permission::Print, "print")
            .await
        {
            Ok(by) => by,
            Err(e) => {
                s.close().await;
                return Err(e);
            }
        },
        None => app::Acting::default(),
    };
    let env = commands::print::PrintEnv {
        services: services.as_ref(),
        layouts_dir: config.site_folder("layouts"),
        profiles_dir: config.site_folder("printer-profiles"),
        paper: onewindow::print::PaperSettings { lang: config.lang },
        timeouts: Default::default(),
        default_profile: config.printer_profile.clone(),
        by,
    };
    let result = commands::print::run(command, &env, &mut std::io::stdout()).await;
    if let Some(s) = &services {
        s.close().await;
    }
    result
}

/// The window kiosk: the TUI over the configured database and printer, or over a demo site in a
/// temporary database with `--demo`.
fn kiosk(config: &Config, demo: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("onewindow: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        // The demo's folder lives as long as the kiosk and is removed when it quits.
        let demo_dir = if demo {
            Some(app::demo::DemoDir::create()?)
        } else {
            None
        };
        let config = match &demo_dir {
            Some(d) => app::demo::config(config, d.path()),
            None => config.clone(),
        };
        let services =
            Services::open_with(&config, onewindow::storage::OpenOptions::kiosk()).await?;
        if demo {
            app::demo::seed(&services, Utc::now()).await?;
        }
        let kiosk = Kiosk::open(services, WindowNo(config.window)).await?;
        let options = tui::RunOptions {
            window: WindowNo(config.window),
            demo,
            drafts_dir: config.drafts_dir.clone(),
            draft_keep_days: config.data.draft_keep_days,
        };
        tui::run(&config, Arc::new(kiosk), options).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "kiosk stopped");
            // In the command's language; the log above keeps the English.
            eprintln!(
                "onewindow: {}",
                onewindow::app::error::error_chain(config.lang, &e)
            );
            ExitCode::FAILURE
        }
    }
}
