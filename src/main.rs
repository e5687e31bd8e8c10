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
//! | `kiosk_backend` | the kiosk's `Backend` over storage and printing |
#![forbid(unsafe_code)]

use clap::Parser;
use onewindow::cli::{Cli, Command};
use onewindow::config::{self, Config, Sources};
use onewindow::tui::backend::{Backend, WindowId};
use onewindow::tui::{self, MemoryBackend};
use onewindow::{commands, kiosk_backend, logging, paper};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        None => kiosk(&config, cli.demo),
        Some(Command::Classify { file, at }) => ExitCode::from(commands::classify::run(
            &config,
            &file,
            at.as_deref(),
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )),
        Some(Command::Config) => {
            println!("{config:#?}");
            ExitCode::SUCCESS
        }
        Some(Command::Intake(args)) => block_on(commands::intake::run(&config, args)),
        Some(Command::Queue(args)) => block_on(commands::queue::run(&config, args)),
        Some(Command::Case(args)) => block_on(commands::case::run(&config, args)),
        Some(Command::Db(args)) => block_on(commands::db::run(&config, args)),
        Some(Command::Print { command }) => block_on(print(&config, command)),
        Some(Command::Supervisor(args)) => block_on(commands::supervisor::run(&config, args)),
        Some(Command::Display(args)) => block_on(commands::display::run(&config, args)),
        Some(Command::Report(args)) => block_on(commands::report::run(&config, args)),
        Some(Command::Followup(args)) => block_on(commands::followup::run(&config, args)),
        Some(Command::Seed(args)) => block_on(commands::report::run_seed(&config, args)),
    }
}

/// Runs one command on a fresh runtime; an error is printed plainly and exits non-zero.
fn block_on(f: impl std::future::Future<Output = anyhow::Result<()>>) -> ExitCode {
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(f));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "command failed");
            eprintln!("onewindow: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `print …`: previews and test pages need no database; jobs, retry, reprint and a stored case's
/// preview do.
async fn print(config: &Config, command: commands::print::PrintCommand) -> anyhow::Result<()> {
    let needs_db = !matches!(
        &command,
        commands::print::PrintCommand::Test(_)
            | commands::print::PrintCommand::Preview(commands::print::PreviewArgs {
                sample: true,
                ..
            })
    );
    let store = if needs_db {
        Some(commands::open(config).await?)
    } else {
        None
    };
    let cases = store.clone().map(|store| paper::StoredCases {
        store,
        site: config.site.clone(),
    });
    let env = commands::print::PrintEnv {
        spool: store.as_ref(),
        cases: cases
            .as_ref()
            .map(|c| c as &dyn commands::print::CaseLookup),
        layouts_dir: config.site_folder("layouts"),
        profiles_dir: config.site_folder("printer-profiles"),
        paper: onewindow::print::PaperSettings {
            lang: config.lang.into(),
            ..Default::default()
        },
        timeouts: Default::default(),
        default_profile: config.printer_profile.clone(),
    };
    let mut out = std::io::stdout();
    if let (commands::print::PrintCommand::Move { id, window }, Some(store)) = (&command, &store) {
        return commands::print::move_job(store, &config.site.code, *id, *window, &mut out).await;
    }
    commands::print::run(command, &env, &mut out).await
}

/// The window kiosk: the TUI over the configured database and printer, or over an in-memory demo
/// site with `--demo`.
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
        let backend: Arc<dyn Backend> = if demo {
            Arc::new(MemoryBackend::demo(config.site.clone(), tui::event::now()))
        } else {
            kiosk_backend::open(config).await?
        };
        let options = tui::RunOptions {
            window: WindowId(config.window),
            demo,
            draft_path: config.draft_file.clone(),
        };
        tui::run(config, backend, options).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "kiosk stopped");
            eprintln!("onewindow: {e:#}");
            ExitCode::FAILURE
        }
    }
}
