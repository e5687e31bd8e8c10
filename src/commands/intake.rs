//! `onewindow intake FILE [--window N] [--staff CODE]`: validate, classify, commit, issue the
//! ticket and queue the print jobs, in one transaction.

use super::Output;
use super::auth::SignInArgs;
use crate::app::auth::Permission;
use crate::app::{Acting, AppError, Services};
use crate::config::Config;
use crate::domain::{Decision, Lang, WindowNo};
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
        for line in said {
            eprintln!("{line}");
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
    let at = super::instant(args.at.as_deref())?;
    let parsed = crate::app::intake::read_intake_file(&args.file)?;
    if parsed.site.is_some() {
        // The site is the configuration's business: a case file must not rename the centre,
        // change its queues or read files through its calendars.
        bail!(
            "{}: [site] is not allowed in a case to register (it is read by `classify` only); \
             site settings come from the configuration",
            args.file.display()
        );
    }
    let window = match args.window {
        None => None,
        Some(n) => {
            let n = u32::try_from(n)
                .map(WindowNo)
                .map_err(|_| anyhow!("--window {n}: not a window number"))?;
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
            let mut msg = format!(
                "{}: not registered: {} validation error(s)",
                args.file.display(),
                decision.errors.len()
            );
            for p in &decision.errors {
                msg.push_str(&format!("\n  {}: {} ({})", p.field, p.message, p.code));
            }
            bail!(msg);
        }
        Err(e) => {
            return Err(anyhow::Error::from(e)
                .context("the intake was not registered (nothing was stored)"));
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
    let mut text = format!("{}: {}\n", lang.pick("案件编号", "case"), receipt.case_no);
    let ticket = lang.pick("排队号", "ticket");
    match &receipt.ticket {
        Some(t) => text.push_str(&format!(
            "{ticket}: {} ({}; {})\n",
            t.ticket_no,
            t.route.label(lang),
            match lang {
                Lang::Zh => format!("前面等候 {} 人", t.ahead),
                Lang::En => format!("{} ahead", t.ahead),
            }
        )),
        None => text.push_str(&format!(
            "{ticket}: {}\n",
            lang.pick("无（本中心无此队列）", "none (no local queue)")
        )),
    }
    if let Some(r) = decision.route {
        text.push_str(&format!(
            "{}: {}\n",
            lang.pick("分流", "route"),
            r.label(lang)
        ));
    }
    if let Some(to) = decision.referral_to {
        text.push_str(&format!(
            "{}: {}\n",
            lang.pick("转介", "referral to"),
            to.label(lang)
        ));
    }
    if !decision.flags.is_empty() {
        let flags: Vec<&str> = decision.flags.iter().map(|f| f.label(lang)).collect();
        text.push_str(&format!(
            "{}: {}\n",
            lang.pick("标记", "flags"),
            flags.join(lang.pick("、", ", "))
        ));
    }
    if !decision.also.is_empty() {
        let also: Vec<&str> = decision.also.iter().map(|a| a.label(lang)).collect();
        text.push_str(&format!(
            "{}: {}\n",
            lang.pick("同时可", "also"),
            also.join(lang.pick("、", ", "))
        ));
    }
    for (d, date) in &decision.deadlines {
        text.push_str(&format!("{}: {date}\n", lang.pick(d.zh(), d.en())));
    }
    text.push_str(&format!(
        "{}: {}\n",
        lang.pick("待打印", "paper queued"),
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
