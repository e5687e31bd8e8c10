//! Logging with `tracing` to a file: the terminal belongs to the UI. The filter comes from
//! `ONEWINDOW_LOG` (or `log.filter`). Never log ID numbers or phone numbers; mask them first. The
//! file is created 0600.

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts file logging; keep the guard alive for the life of the process so lines are flushed.
pub fn init(file: &Path, filter: &str) -> anyhow::Result<WorkerGuard> {
    if file.file_name().is_none() {
        anyhow::bail!("log file {} has no file name", file.display());
    }
    // Opened here, not by the appender, so that the file is 0600 (it names staff and cases).
    let appender = super::files::append_private(file)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_new(filter)?
                // sqlx warns about a URL parameter it does not know with its value: a
                // `PASSWORD=…` in another case would reach the log in clear.
                .add_directive("sqlx_postgres::options::parse=error".parse()?),
        )
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|e| anyhow::anyhow!("logging: {e}"))?;
    Ok(guard)
}
