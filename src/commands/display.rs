//! `onewindow display`: the full-screen waiting-hall board, with an optional voice command run for
//! each call (without a shell; the announcement is its last argument).

use crate::app::Services;
use crate::config::Config;
use crate::supervisor::live::{self, SupervisorSettings};
use crate::tui::terminal;

#[derive(Debug, Clone, clap::Args)]
pub struct DisplayArgs {
    /// Program and arguments to run for each call, split on spaces (no shell), e.g.
    /// --voice "espeak-ng -v zh"; the announcement is added as the last argument.
    #[arg(long, value_name = "COMMAND")]
    pub voice: Option<String>,
    /// Stop the voice command after this many seconds (default: supervisor.voice_timeout_secs, 15).
    #[arg(long)]
    pub voice_timeout: Option<u64>,
}

pub async fn run(config: &Config, args: DisplayArgs) -> anyhow::Result<()> {
    // The command line wins over `[supervisor]` in the configuration.
    let mut settings: SupervisorSettings = config.supervisor.clone();
    if let Some(v) = args.voice.as_deref() {
        settings.voice_command = v.split_whitespace().map(str::to_string).collect();
    }
    if let Some(t) = args.voice_timeout {
        settings.voice_timeout_secs = t;
    }
    let services = Services::open_with(config, crate::storage::OpenOptions::display()).await?;
    services.site()?;
    let lang = config.lang;
    let result = terminal::with_keys(async |terminal, keys| {
        live::run_board(terminal, &services, lang, &settings, keys, None).await
    })
    .await;
    services.close().await;
    result
}
