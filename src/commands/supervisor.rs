//! `onewindow supervisor --staff CODE`: the supervisor's live dashboard.

use crate::config::Config;
use crate::storage::StaffRole;
use crate::storage::supervision;
use crate::supervisor::console;
use crate::supervisor::live::{self, SupervisorSettings};
use anyhow::bail;

#[derive(Debug, Clone, clap::Args)]
pub struct SupervisorArgs {
    /// The supervisor's staff number (role supervisor).
    #[arg(long)]
    pub staff: String,
    /// Days after a mediated or referred case ended before its follow-up call is due.
    #[arg(long)]
    pub followup_days: Option<i64>,
}

pub async fn run(config: &Config, args: SupervisorArgs) -> anyhow::Result<()> {
    let mut settings = SupervisorSettings::default();
    if let Some(d) = args.followup_days {
        settings.followup_days = d;
    }
    let store = super::open(config).await?;
    let site = super::site(&store, config).await?;
    // Only a supervisor may run the dashboard. The PIN is checked by the storage sign-in once
    // storage has one; until then the staff number and role are checked here.
    let staff = match supervision::staff_login(&store, site.id, &args.staff).await? {
        Some(s) if s.active && s.role == StaffRole::Supervisor => s,
        Some(s) if !s.active => bail!("staff {} is not active", args.staff),
        Some(_) => bail!("staff {} is not a supervisor", args.staff),
        None => bail!("no staff {} at site {}", args.staff, site.code),
    };
    let lang = config.lang;
    let result = live::with_terminal(|mut terminal| {
        let (store, site) = (store.clone(), site.clone());
        async move {
            let keys = live::spawn_terminal_keys();
            console::run_dashboard(
                &mut terminal,
                &store,
                &site,
                lang,
                &settings,
                Some(staff.id),
                keys,
                None,
            )
            .await
        }
    })
    .await;
    store.close().await;
    result
}
