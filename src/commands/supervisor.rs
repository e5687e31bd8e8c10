//! `onewindow supervisor [--staff CODE]`: supervisor sign-in, then the live dashboard.
//!
//! Sign-in is the kiosk's own check (`kiosk_backend`: Argon2 PIN hash, failures counted and locked
//! out in the database, sign-in audited); only a supervisor gets the dashboard.

use crate::config::Config;
use crate::storage::supervision;
use crate::supervisor::console;
use crate::supervisor::live::{self, SupervisorSettings};
use crate::tui::backend::{Role, StaffNo};
use anyhow::{Context, bail};
use std::io::Write;

#[derive(Debug, Clone, clap::Args)]
pub struct SupervisorArgs {
    /// The supervisor's staff number (asked for when not given). The PIN is always asked for.
    #[arg(long)]
    pub staff: Option<String>,
    /// Days after a mediated or referred case ended before its follow-up call is due.
    #[arg(long)]
    pub followup_days: Option<i64>,
}

/// Leaves raw mode however the PIN prompt ends.
struct RawMode;

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Reads a line with the typed characters shown as `*`.
fn read_secret(prompt: &str) -> anyhow::Result<String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, read};
    print!("{prompt}");
    std::io::stdout().flush()?;
    crossterm::terminal::enable_raw_mode()?;
    let _guard = RawMode;
    let mut pin = String::new();
    loop {
        if let Event::Key(k) = read()?
            && k.kind != KeyEventKind::Release
        {
            match k.code {
                KeyCode::Enter => break,
                KeyCode::Esc => bail!("sign-in cancelled"),
                KeyCode::Backspace if pin.pop().is_some() => print!("\u{8} \u{8}"),
                KeyCode::Char('c')
                    if k.modifiers
                        .contains(crossterm::event::KeyModifiers::CONTROL) =>
                {
                    bail!("sign-in cancelled")
                }
                KeyCode::Char(c) => {
                    pin.push(c);
                    print!("*");
                }
                _ => {}
            }
            std::io::stdout().flush()?;
        }
    }
    println!("\r");
    Ok(pin)
}

pub async fn run(config: &Config, args: SupervisorArgs) -> anyhow::Result<()> {
    let mut settings: SupervisorSettings = config.supervisor.clone();
    if let Some(d) = args.followup_days {
        settings.followup_days = d;
    }
    let code = match args.staff {
        Some(c) => c,
        None => {
            print!("工号 Staff number: ");
            std::io::stdout().flush()?;
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim().to_string()
        }
    };
    let pin = tokio::task::spawn_blocking(|| read_secret("密码 PIN: ")).await??;
    let kiosk = crate::kiosk_backend::open(config).await?;
    let staff = kiosk
        .sign_in(StaffNo(code.clone()), pin, crate::tui::event::now())
        .await
        .with_context(|| format!("sign-in as {code} failed"))?;
    if staff.role != Role::Supervisor {
        bail!("staff {code} is not a supervisor");
    }
    let store = super::open(config).await?;
    let site = super::site(&store, config).await?;
    let staff_id = supervision::staff_login(&store, site.id, &code)
        .await?
        .map(|s| s.id);
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
                staff_id,
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
