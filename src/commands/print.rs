//! `onewindow print …`: preview, test page, and the print-job spool.
//!
//! `preview --sample` and `test` need nothing but the program; `preview CASE_NO`, `jobs`, `retry`
//! and `reprint` need the database, which the caller passes in [`PrintEnv`] (the spool and a
//! case lookup). Without them those subcommands say so and fail.

use crate::domain::{Decision, IntakeRecord, SiteSettings};
use crate::print::model::{CaseInput, PaperSettings};
use crate::print::sample::Sample;
use crate::print::spool::{JobId, PrintJobFilter, PrintJobState, PrintSpool};
use crate::print::transport::{OutgoingJob, Timeouts, Transport};
use crate::print::{DocKind, Document, Lang, Layouts, Profile, escpos, preview};
use anyhow::{Context as _, bail};
use chrono::NaiveDateTime;
use futures::future::BoxFuture;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, clap::Subcommand)]
pub enum PrintCommand {
    /// Show a ticket, receipt or referral notice as text, laid out as the printer would.
    Preview(PreviewArgs),
    /// Print a test page (Chinese text, QR code, cut) on a printer, checking its status.
    Test(TestArgs),
    /// List print jobs, newest first.
    Jobs(JobsArgs),
    /// Make a pending job due now (after the printer was fixed).
    Retry { id: JobId },
    /// Print a job again, exactly as issued (a new job).
    Reprint { id: JobId },
    /// Send paper still waiting to another window's printer (its own printer or kiosk is gone).
    Move {
        id: JobId,
        /// The window whose printer takes it; 0 for the first printer free.
        #[arg(long, value_name = "N")]
        window: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LayoutArg {
    Ticket,
    Receipt,
    Referral,
    Test,
}

impl From<LayoutArg> for DocKind {
    fn from(l: LayoutArg) -> DocKind {
        match l {
            LayoutArg::Ticket => DocKind::Ticket,
            LayoutArg::Receipt => DocKind::Receipt,
            LayoutArg::Referral => DocKind::Referral,
            LayoutArg::Test => DocKind::Test,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct PreviewArgs {
    /// Case number, e.g. SITE-20250310-0001.
    #[arg(required_unless_present = "sample", conflicts_with = "sample")]
    pub case_no: Option<String>,
    /// Preview a built-in sample case instead of a stored one.
    #[arg(long)]
    pub sample: bool,
    #[arg(long, value_enum, default_value = "receipt")]
    pub layout: LayoutArg,
    /// Printer profile (file stem in printer-profiles/); default: the configured one.
    #[arg(long)]
    pub profile: Option<String>,
    /// Paper language; default: the configured one.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct TestArgs {
    #[arg(long)]
    pub profile: String,
    /// tcp://HOST:PORT, a device such as /dev/usb/lp0, or spool:DIR for a spool folder.
    #[arg(long)]
    pub to: String,
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct JobsArgs {
    /// pending | printing | printed | failed
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}

/// A stored case with what its receipt needs; the storage layer provides it.
#[derive(Debug, Clone)]
pub struct StoredCase {
    pub case_no: String,
    pub ticket_no: Option<String>,
    pub record: IntakeRecord,
    pub decision: Decision,
    pub site: SiteSettings,
    pub clerk: String,
    pub issued_at: NaiveDateTime,
}

/// Finds a case by its number (storage implements it; `Ok(None)` when there is none).
pub trait CaseLookup: Send + Sync {
    fn case_by_no<'a>(
        &'a self,
        case_no: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<Option<StoredCase>>>;
}

/// What `run` works with. `spool` and `cases` are `None` where no database is configured.
pub struct PrintEnv<'a, S: PrintSpool> {
    pub spool: Option<&'a S>,
    pub cases: Option<&'a dyn CaseLookup>,
    /// Folders that override the shipped layouts and profiles (`layouts/`, `printer-profiles/`).
    pub layouts_dir: Option<PathBuf>,
    pub profiles_dir: Option<PathBuf>,
    /// Paper language and query QR (language from `[ui] lang`).
    pub paper: PaperSettings,
    pub timeouts: Timeouts,
    /// `[printer] profile`: used when `--profile` is not given.
    pub default_profile: String,
}

impl<S: PrintSpool> Default for PrintEnv<'_, S> {
    fn default() -> Self {
        PrintEnv {
            spool: None,
            cases: None,
            layouts_dir: None,
            profiles_dir: None,
            paper: PaperSettings::default(),
            timeouts: Timeouts::default(),
            default_profile: "generic-58".to_string(),
        }
    }
}

pub async fn run<S: PrintSpool>(
    cmd: PrintCommand,
    env: &PrintEnv<'_, S>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    match cmd {
        PrintCommand::Preview(a) => preview_cmd(a, env, out).await,
        PrintCommand::Test(a) => test_cmd(a, env, out).await,
        PrintCommand::Jobs(a) => jobs_cmd(a, need_spool(env)?, out).await,
        PrintCommand::Retry { id } => {
            let spool = need_spool(env)?;
            let job = find_job(spool, id).await?;
            if job.state == PrintJobState::Printed {
                bail!(
                    "print job {id} was already printed; use `print reprint {id}` to print it again"
                );
            }
            spool
                .mark_print_job_failed(id, "retry requested", chrono::Utc::now())
                .await?;
            writeln!(out, "print job {id} is due now")?;
            Ok(())
        }
        PrintCommand::Move { .. } => {
            bail!("`print move` needs the database storage; run it through `onewindow print move`")
        }
        PrintCommand::Reprint { id } => {
            let spool = need_spool(env)?;
            find_job(spool, id).await?;
            let new = spool.reprint(id).await?;
            writeln!(out, "print job {new} queued (reprint of {id})")?;
            Ok(())
        }
    }
}

fn need_spool<'a, S: PrintSpool>(env: &PrintEnv<'a, S>) -> anyhow::Result<&'a S> {
    env.spool
        .context("this command needs the database (no print spool configured)")
}

async fn find_job<S: PrintSpool>(
    spool: &S,
    id: JobId,
) -> anyhow::Result<crate::print::spool::PrintJob> {
    spool
        .list_print_jobs(&PrintJobFilter {
            id: Some(id),
            ..Default::default()
        })
        .await?
        .into_iter()
        .next()
        .with_context(|| format!("no print job {id}"))
}

async fn preview_cmd<S: PrintSpool>(
    a: PreviewArgs,
    env: &PrintEnv<'_, S>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let layouts = Layouts::load(env.layouts_dir.as_deref())?;
    let profile_id = a.profile.as_deref().unwrap_or(&env.default_profile);
    let profile = Profile::load(env.profiles_dir.as_deref(), profile_id)?;
    let paper = PaperSettings {
        lang: a.lang.map(Lang::from).unwrap_or(env.paper.lang),
        ..env.paper.clone()
    };
    let kind: DocKind = a.layout.into();
    let doc = if a.sample {
        sample_document(&layouts, kind, &profile, &paper)?
    } else {
        let case_no = a.case_no.context("a case number or --sample is needed")?;
        let cases = env
            .cases
            .context("previewing a stored case needs the database")?;
        let case = cases
            .case_by_no(&case_no)
            .await?
            .with_context(|| format!("no case {case_no}"))?;
        let input = CaseInput {
            case_no: &case.case_no,
            ticket_no: case.ticket_no.as_deref(),
            record: &case.record,
            decision: &case.decision,
            site: &case.site,
            clerk: &case.clerk,
            issued_at: case.issued_at,
        };
        match kind {
            DocKind::Receipt => layouts.receipt(&input, &paper)?,
            DocKind::Referral => layouts.referral(&input, &paper)?,
            DocKind::Ticket | DocKind::Test => {
                bail!("a stored case previews as --layout receipt or referral")
            }
        }
    };
    out.write_all(preview::preview(&doc, profile.columns()).as_bytes())?;
    Ok(())
}

/// The sample case rendered with `kind`'s layout.
pub fn sample_document(
    layouts: &Layouts,
    kind: DocKind,
    profile: &Profile,
    paper: &PaperSettings,
) -> anyhow::Result<Document> {
    let s = Sample::new();
    Ok(match kind {
        DocKind::Ticket => layouts.ticket(&s.ticket_input(), &s.site, paper.lang)?,
        DocKind::Receipt => layouts.receipt(&s.case_input(), paper)?,
        DocKind::Referral => layouts.referral(&s.referral_input(), paper)?,
        DocKind::Test => layouts.test_page(profile, s.issued_at, paper.lang)?,
    })
}

async fn test_cmd<S: PrintSpool>(
    a: TestArgs,
    env: &PrintEnv<'_, S>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let layouts = Layouts::load(env.layouts_dir.as_deref())?;
    let profile = Profile::load(env.profiles_dir.as_deref(), &a.profile)?;
    let doc = layouts.test_page(&profile, chrono::Local::now().naive_local(), a.lang.into())?;
    let bytes = escpos::encode(&doc, &profile)?;
    let text = preview::preview(&doc, profile.columns());
    let mut transport = Transport::parse(&a.to, env.timeouts)?;
    let check = profile.status.dle_eot && transport.two_way();
    if check {
        let before = transport.status().await;
        writeln!(out, "printer status before: {}", before.describe())?;
        if before.blocks_printing() {
            bail!("test page not printed: {}", before.describe());
        }
    }
    transport
        .send(&OutgoingJob {
            name: "test-page",
            bytes: &bytes,
            preview: &text,
        })
        .await
        .map_err(|e| anyhow::anyhow!("test page not printed: {e}"))?;
    let after = if check {
        transport.status().await
    } else {
        transport.unasked_status()
    };
    writeln!(
        out,
        "test page sent to {} ({} bytes, profile {}); printer status after: {}",
        transport.describe(),
        bytes.len(),
        profile.id,
        after.describe()
    )?;
    if check && after.blocks_printing() {
        bail!(
            "printer reports a fault after the test page: {}",
            after.describe()
        );
    }
    Ok(())
}

async fn jobs_cmd<S: PrintSpool>(
    a: JobsArgs,
    spool: &S,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let state = match a.state.as_deref() {
        None => None,
        Some("pending") => Some(PrintJobState::Pending),
        Some("printing") => Some(PrintJobState::Printing),
        Some("printed") => Some(PrintJobState::Printed),
        Some("failed") => Some(PrintJobState::Failed),
        Some(other) => bail!("--state {other:?}: expected pending, printing, printed or failed"),
    };
    let jobs = spool
        .list_print_jobs(&PrintJobFilter {
            state,
            limit: Some(a.limit),
            ..Default::default()
        })
        .await?;
    writeln!(
        out,
        "{:>6}  {:<8}  {:<8}  {:>3}  {:<16}  error",
        "id", "kind", "state", "try", "created"
    )?;
    for j in jobs {
        writeln!(
            out,
            "{:>6}  {:<8}  {:<8}  {:>3}  {:<16}  {}{}",
            j.id,
            j.kind.code(),
            j.state.code(),
            j.attempts,
            j.created_at.format("%Y-%m-%d %H:%M"),
            j.last_error.unwrap_or_default(),
            j.reprint_of
                .map(|r| format!(" (reprint of {r})"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// `print move ID --window N`: sends a waiting job to window N's printer (0: any printer).
pub async fn move_job(
    store: &crate::storage::Store,
    site_code: &str,
    id: JobId,
    window: i64,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    use crate::storage::{Actor, PrintJobId};
    let to = if window == 0 {
        None
    } else {
        let site = store.site_by_code(site_code).await?;
        Some(
            store
                .window_by_number(site.id, window)
                .await
                .with_context(|| format!("--window {window}: no such window at site {site_code}"))?
                .id,
        )
    };
    store
        .move_print_job(PrintJobId(id), to, Actor::at(None, chrono::Utc::now()))
        .await
        .with_context(|| format!("print job {id}"))?;
    match to {
        Some(_) => writeln!(out, "print job {id} now prints at window {window}")?,
        None => writeln!(out, "print job {id} now prints at the first printer free")?,
    }
    Ok(())
}
