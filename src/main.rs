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

use chrono::{DateTime, FixedOffset, Utc};
use clap::Parser;
use onewindow::cli::{Cli, Command};
use onewindow::config::{self, Config, Sources};
use onewindow::domain::{self, china_time};
use onewindow::tui::backend::{Backend, WindowId};
use onewindow::tui::{self, MemoryBackend};
use onewindow::{input, kiosk_backend, logging};
use std::path::Path;
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
    let _log_guard = match logging::init(&config.log_file, &config.log_filter) {
        Ok(g) => Some(g),
        Err(e) => {
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
        Some(Command::Classify { file, at }) => classify(&config, &file, at.as_deref()),
        Some(Command::Config) => {
            println!("{config:#?}");
            ExitCode::SUCCESS
        }
    }
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

fn classify(config: &Config, file: &Path, at: Option<&str>) -> ExitCode {
    let at: DateTime<FixedOffset> = match at {
        None => Utc::now().with_timezone(&china_time()),
        Some(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => t.with_timezone(&china_time()),
            Err(e) => {
                eprintln!(
                    "onewindow: --at `{s}`: not an RFC 3339 time ({e}); e.g. 2025-03-10T09:30:00+08:00"
                );
                return ExitCode::from(2);
            }
        },
    };
    let parsed = match input::read_intake_file(file) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("onewindow: {e}");
            return ExitCode::from(2);
        }
    };
    let mut site = config.site.clone();
    if let Some(t) = &parsed.site {
        let base = file.parent().unwrap_or(Path::new("."));
        let origin = format!("{} [site]", file.display());
        if let Err(e) = config::apply_site_table(&mut site, t, &origin, base) {
            eprintln!("onewindow: {e}");
            return ExitCode::from(2);
        }
    }
    let decision = domain::classify(&parsed.record, &site, at);
    tracing::info!(status = ?decision.status, route = ?decision.route, "classified");
    match serde_json::to_string_pretty(&decision) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("onewindow: {e}");
            ExitCode::FAILURE
        }
    }
}
