//! `onewindow intake FILE [--window N] [--staff CODE]`: validate, classify, commit, issue the
//! ticket and queue the print jobs, in one transaction.

use super::Output;
use crate::config::{self, Config};
use crate::domain::numbering::local_time;
use crate::domain::{self, Decision, Route, Status};
use crate::storage::{
    Actor, Assigned, IntakeCommit, IntakeReceipt, NewPrintJob, PrintKind, RenderJobs,
};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct IntakeArgs {
    /// The intake file (TOML or JSON): tables applicant, counterparty, employment, dispute and an
    /// optional [site].
    pub file: PathBuf,
    /// The window registering the case (its number).
    #[arg(long, value_name = "N")]
    pub window: Option<i64>,
    /// The clerk registering the case (their staff code).
    #[arg(long, value_name = "CODE")]
    pub staff: Option<String>,
    /// Intake time (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(config: &Config, args: IntakeArgs) -> anyhow::Result<()> {
    let paper = crate::paper::Paper::load(config)?;
    let (out, window) = commit(config, &args, Some(&paper)).await?;
    out.print(args.json)?;
    // Print now, on this window's printer; a printer that is off leaves the jobs pending,
    // nothing is lost.
    let store = super::open(config).await?;
    let said = crate::paper::print_due_jobs(config, &store, window).await;
    store.close().await;
    for line in said? {
        eprintln!("{line}");
    }
    Ok(())
}

/// Runs an intake with print jobs laid out by `paper`, or [`default_print_jobs`] without it.
pub async fn execute(
    config: &Config,
    args: &IntakeArgs,
    paper: Option<&crate::paper::Paper>,
) -> anyhow::Result<Output> {
    Ok(commit(config, args, paper).await?.0)
}

/// [`execute`], also saying at which window the paper was queued.
async fn commit(
    config: &Config,
    args: &IntakeArgs,
    paper: Option<&crate::paper::Paper>,
) -> anyhow::Result<(Output, Option<crate::storage::WindowId>)> {
    let at = super::instant(args.at.as_deref())?;
    let parsed = crate::input::read_intake_file(&args.file)?;
    let mut site = config.site.clone();
    if let Some(t) = &parsed.site {
        let base = args.file.parent().unwrap_or(Path::new("."));
        let origin = format!("{} [site]", args.file.display());
        config::apply_site_table(&mut site, t, &origin, base)?;
    }
    let decision = domain::classify(&parsed.record, &site, local_time(&at));
    if decision.status == Status::Blocked {
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

    let store = super::open(config).await?;
    let site_info = store
        .ensure_site(&site, at)
        .await
        .with_context(|| format!("cannot set up site {}", site.code))?;
    let window = match args.window {
        None => None,
        Some(n) => Some(
            store
                .window_by_number(site_info.id, n)
                .await
                .with_context(|| {
                    format!("--window {n}: set the window up with `onewindow db window {n}`")
                })?
                .id,
        ),
    };
    let staff = super::staff(&store, &site_info, args.staff.as_deref()).await?;
    let receipt = store
        .commit_intake(IntakeCommit {
            site: site_info.id,
            record: &parsed.record,
            decision: &decision,
            by: Actor::at(staff, at),
            window,
            print_jobs: match paper {
                Some(p) => p.renderer(
                    &parsed.record,
                    &decision,
                    &site,
                    args.staff.clone().unwrap_or_default(),
                ),
                None => Box::new(|a: &Assigned| default_print_jobs(&decision, a)) as RenderJobs<'_>,
            },
            route_override: None,
        })
        .await
        .context("the intake was not registered (nothing was stored)")?;
    store.close().await;
    Ok((output(&receipt, &decision), window))
}

fn output(receipt: &IntakeReceipt, decision: &Decision) -> Output {
    let mut text = format!("案件编号 case: {}\n", receipt.case_no);
    match &receipt.ticket {
        Some(t) => text.push_str(&format!(
            "排队号 ticket: {} ({}; {} ahead)\n",
            t.ticket_no,
            t.route.zh(),
            t.ahead
        )),
        None => text.push_str("排队号 ticket: none (no local queue)\n"),
    }
    if let Some(r) = decision.route {
        text.push_str(&format!("分流 route: {} {}\n", r.code(), r.zh()));
    }
    if let Some(to) = decision.referral_to {
        text.push_str(&format!("转介 referral to: {} {}\n", to.code(), to.zh()));
    }
    if !decision.flags.is_empty() {
        let flags: Vec<&str> = decision.flags.iter().map(|f| f.code()).collect();
        text.push_str(&format!("标记 flags: {}\n", flags.join(", ")));
    }
    for (d, date) in &decision.deadlines {
        text.push_str(&format!("{} {}: {date}\n", d.zh(), d.code()));
    }
    text.push_str(&format!(
        "打印 print jobs queued: {}\n",
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

/// The print jobs queued when no renderer is given: the document data as JSON, for the printing
/// side to lay out. A queue ticket and a receipt, or a referral notice for a referral.
pub fn default_print_jobs(decision: &Decision, a: &Assigned) -> Vec<NewPrintJob> {
    let data = serde_json::json!({
        "case_no": a.case_no,
        "at": a.at,
        "ticket": a.ticket,
        "decision": decision,
    })
    .to_string();
    if decision.route == Some(Route::Referral) {
        return vec![NewPrintJob {
            kind: PrintKind::Referral,
            payload: data,
        }];
    }
    let mut jobs = Vec::new();
    if a.ticket.is_some() {
        jobs.push(NewPrintJob {
            kind: PrintKind::Ticket,
            payload: data.clone(),
        });
    }
    jobs.push(NewPrintJob {
        kind: PrintKind::Receipt,
        payload: data,
    });
    jobs
}
