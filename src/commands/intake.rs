//! `onewindow intake FILE [--window N] [--staff CODE]`: validate, classify, commit, issue the
//! ticket and queue the print jobs, in one transaction.

use super::Output;
use super::auth::SignInArgs;
use crate::app::auth::Permission;
use crate::app::{Acting, AppError, Services};
use crate::config::Config;
use crate::domain::codes::Code;
use crate::domain::{Decision, Lang, WindowNo};
use crate::i18n::{cli::Strings, fill};
use crate::storage::IntakeReceipt;
use anyhow::{anyhow, bail};
use chrono::Utc;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct IntakeArgs {
    /// The intake file (TOML or JSON): tables applicant, counterparty, employment, dispute and an
    /// optional [site].
    pub file: PathBuf,
    /// The window registering the case (its number).
    #[arg(long, value_name = "N")]
    pub window: Option<i64>,
    /// The clerk registering the case, signed in with their PIN.
    #[command(flatten)]
    pub auth: SignInArgs,
    /// Intake time (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(config: &Config, args: IntakeArgs) -> anyhow::Result<()> {
    let services = Services::open(config).await?;
    let result = async {
        let by = args
            .auth
            .authorize(&services, Permission::Register, "intake")
            .await?;
        let (out, window) = commit(&services, &args, by).await?;
        out.print(args.json)?;
        // Print now, on this window's printer; a printer that is off leaves the jobs pending,
        // nothing is lost.
        let said = services.print_due(window, Utc::now()).await?;
        for outcome in said {
            eprintln!("{}", outcome.words(config.lang));
        }
        Ok(())
    }
    .await;
    services.close().await;
    result
}

/// Registers the file's case for `by` (signed in by the caller); says what was stored.
pub async fn execute(services: &Services, args: &IntakeArgs, by: Acting) -> anyhow::Result<Output> {
    Ok(commit(services, args, by).await?.0)
}

/// [`execute`], also saying at which window the paper was queued.
async fn commit(
    services: &Services,
    args: &IntakeArgs,
    by: Acting,
) -> anyhow::Result<(Output, Option<crate::storage::WindowId>)> {
    let lang = services.config().lang;
    let s = Strings::get(lang);
    let at = super::instant(args.at.as_deref(), lang)?;
    let parsed = crate::app::intake::read_intake_file(&args.file)?;
    if parsed.site.is_some() {
        // The site is the configuration's business: a case file must not rename the centre,
        // change its queues or read files through its calendars.
        bail!(fill(
            s.intake_site_refused,
            &[("file", &args.file.display().to_string())]
        ));
    }
    let window = match args.window {
        None => None,
        Some(n) => {
            let n = u32::try_from(n)
                .map(WindowNo)
                .map_err(|_| anyhow!(fill(s.not_a_window_number, &[("n", &n.to_string())])))?;
            Some(services.station(n, false, at).await?)
        }
    };
    let registered = services
        .register_read(
            &parsed.record,
            &parsed.problems,
            &Acting {
                staff: by.staff,
                window,
            },
            at,
        )
        .await;
    let registered = match registered {
        Ok(r) => r,
        Err(AppError::Blocked(decision)) => {
            let mut msg = fill(
                s.intake_blocked,
                &[
                    ("file", &args.file.display().to_string()),
                    ("n", &decision.errors.len().to_string()),
                ],
            );
            for p in &decision.errors {
                let message = crate::i18n::problems::message(lang, &p.code, &p.message);
                msg.push_str(&format!("\n  {}: {message} ({})", p.field, p.code));
            }
            bail!(msg);
        }
        Err(e) => {
            return Err(anyhow::Error::from(e).context(s.intake_not_registered));
        }
    };
    Ok((
        output(
            &registered.receipt,
            &registered.issued.decision,
            services.config().lang,
        ),
        window.map(|w| w.id),
    ))
}

/// What was registered, in `lang` (labels; `--json` keeps the codes).
fn output(receipt: &IntakeReceipt, decision: &Decision, lang: Lang) -> Output {
    let s = Strings::get(lang);
    let mut text = format!("{}: {}\n", s.intake_case, receipt.case_no);
    let ticket = s.intake_ticket;
    match &receipt.ticket {
        Some(t) => text.push_str(&format!(
            "{ticket}: {} ({}; {})\n",
            t.ticket_no,
            t.route.label(lang),
            fill(s.intake_ahead, &[("n", &t.ahead.to_string())])
        )),
        None => text.push_str(&format!("{ticket}: {}\n", s.intake_no_queue)),
    }
    if let Some(r) = decision.route {
        text.push_str(&format!("{}: {}\n", s.intake_route, r.label(lang)));
    }
    if let Some(to) = decision.referral_to {
        text.push_str(&format!("{}: {}\n", s.intake_referral, to.label(lang)));
    }
    if !decision.flags.is_empty() {
        let flags: Vec<&str> = decision.flags.iter().map(|f| f.label(lang)).collect();
        text.push_str(&format!("{}: {}\n", s.intake_flags, flags.join(s.list_sep)));
    }
    if !decision.also.is_empty() {
        let also: Vec<&str> = decision.also.iter().map(|a| a.label(lang)).collect();
        text.push_str(&format!("{}: {}\n", s.intake_also, also.join(s.list_sep)));
    }
    for (d, date) in &decision.deadlines {
        text.push_str(&format!("{}: {date}\n", d.label(lang)));
    }
    text.push_str(&format!(
        "{}: {}\n",
        s.intake_paper,
        receipt.print_jobs.len()
    ));
    Output {
        text,
        json: serde_json::json!({
            "case_no": receipt.case_no,
            "case_id": receipt.case_id,
            "ticket": receipt.ticket,
            "print_jobs": receipt.print_jobs,
            "decision": decision,
        }),
    }
}
