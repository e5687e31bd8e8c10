//! `onewindow supervisor [--staff CODE]`: the supervisor's sign-in screen, then the live dashboard.
//!
//! Sign-in is the kiosk's own check (`kiosk_backend::sign_in`: Argon2 PIN hash, failures counted
//! and locked out in the database, sign-in audited) with no window; only a supervisor gets the
//! dashboard. Only the database is opened here, never the print spool runner: a supervisor's
//! terminal must not claim and "print" the paper a window is waiting for.

use crate::app::Services;
use crate::config::Config;
use crate::supervisor::live::SupervisorSettings;
use crate::supervisor::sign_in;
use crate::tui::terminal;

#[derive(Debug, Clone, clap::Args)]
pub struct SupervisorArgs {
    /// The supervisor's staff number, filled in on the sign-in screen (the PIN is always typed).
    #[arg(long)]
    pub staff: Option<String>,
    /// Days after a mediated or referred case ended before its follow-up call is due.
    #[arg(long)]
    pub followup_days: Option<i64>,
}

pub async fn run(config: &Config, args: SupervisorArgs) -> anyhow::Result<()> {
    let mut settings: SupervisorSettings = config.supervisor.clone();
    if let Some(d) = args.followup_days {
        settings.followup_days = d;
    }
    let services = Services::open_with(config, crate::storage::OpenOptions::supervisor()).await?;
    services.site()?;
    let lang = config.lang;
    let result = terminal::with_keys(async |terminal, keys| {
        sign_in::run(
            terminal,
            &services,
            lang,
            &settings,
            args.staff.as_deref(),
            keys,
            None,
        )
        .await
    })
    .await;
    services.close().await;
    result
}
