//! `onewindow print …`: preview, test page, and the print-job spool.
//!
//! `preview --sample` and `test` need nothing but the program; `preview CASE_NO`, `jobs`, `retry`,
//! `reprint` and `move` need the database, which the caller passes in [`PrintEnv`] as the
//! application's services. Without them those subcommands say so and fail. The paper's language
//! is the global `--lang` (configuration `ui.lang`).

use crate::app::{Acting, Services};
use crate::domain::{Lang, PrintState, WindowNo};
use crate::i18n::{cli::Strings, fill};
use crate::print::model::{CaseInput, PaperSettings};
use crate::print::sample::Sample;
use crate::print::transport::{OutgoingJob, Timeouts, Transport};
use crate::print::{DocKind, Document, Layouts, Profile, escpos, preview};
use crate::storage::{PrintJobId, PrintScope};
use anyhow::{Context as _, bail};
use std::io::Write;
use std::path::PathBuf;

/// A print job's number as `print jobs` lists it.
pub type JobId = i64;

#[derive(Debug, Clone, PartialEq, Eq, clap::Subcommand)]
pub enum PrintCommand {
    /// Show a ticket, receipt or referral notice as text, laid out as the printer would.
    Preview(PreviewArgs),
    /// Print a test page (Chinese text, QR code, cut) on a printer, checking its status.
    Test(TestArgs),
    /// List print jobs, newest first.
    Jobs(JobsArgs),
    /// Print what is due now on this machine's printer, without a kiosk, and say what came of
    /// each job.
    Run(RunArgs),
    /// Print a job that has not printed now (after the printer was fixed); for an unconfirmed
    /// job this is 补打: it did not come out.
    Retry { id: JobId },
    /// Print a job again now, exactly as issued (a new job).
    Reprint { id: JobId },
    /// 已打出: an unconfirmed job did come out.
    Confirm { id: JobId },
    /// Every attempt at a job, with its errors (China time).
    History { id: JobId },
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
}

#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct TestArgs {
    #[arg(long)]
    pub profile: String,
    /// tcp://HOST:PORT, a device such as /dev/usb/lp0, or spool:DIR for a spool folder.
    #[arg(long)]
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
#[group(required = true, multiple = false)]
pub struct RunArgs {
    /// The paper of window N (and paper queued at no window).
    #[arg(long, value_name = "N")]
    pub window: Option<u32>,
    /// This job only.
    #[arg(long, value_name = "ID")]
    pub job: Option<JobId>,
    /// Every due job, at any window.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct JobsArgs {
    /// pending | printing | printed | failed | unconfirmed
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}

/// What `run` works with. `services` is `None` where no database is needed or configured.
pub struct PrintEnv<'a> {
    pub services: Option<&'a Services>,
    /// Folders that override the shipped layouts and profiles (`layouts/`, `printer-profiles/`).
    pub layouts_dir: Option<PathBuf>,
    pub profiles_dir: Option<PathBuf>,
    /// Paper language and query QR (language from `[ui] lang`).
    pub paper: PaperSettings,
    pub timeouts: Timeouts,
    /// `[printer] profile`: used when `--profile` is not given.
    pub default_profile: String,
    /// The staff member signed in for the commands on the database.
    pub by: Acting,
}

impl Default for PrintEnv<'_> {
    fn default() -> Self {
        PrintEnv {
            services: None,
            layouts_dir: None,
            profiles_dir: None,
            paper: PaperSettings::default(),
            timeouts: Timeouts::default(),
            default_profile: "generic-58".to_string(),
            by: Acting::default(),
        }
    }
}

pub async fn run(
    cmd: PrintCommand,
    env: &PrintEnv<'_>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let lang = env.paper.lang;
    let s = Strings::get(lang);
    let job_n = |id: JobId| fill(s.print_job_n, &[("id", &id.to_string())]);
    match cmd {
        PrintCommand::Preview(a) => preview_cmd(a, env, out).await,
        PrintCommand::Test(a) => test_cmd(a, env, out).await,
        PrintCommand::Jobs(a) => jobs_cmd(a, need_services(env)?, lang, out).await,
        PrintCommand::Run(a) => {
            let services = need_services(env)?;
            let scope = match (a.window, a.job) {
                (Some(n), _) => PrintScope::Window(Some(
                    services
                        .station(WindowNo(n), false, now)
                        .await
                        .with_context(|| fill(s.window_n, &[("n", &n.to_string())]))?
                        .id,
                )),
                (None, Some(id)) => PrintScope::Job(PrintJobId(id)),
                (None, None) => PrintScope::All,
            };
            print_now(services, scope, lang, out, now).await
        }
        PrintCommand::Retry { id } => {
            let services = need_services(env)?;
            services
                .retry_print_job(PrintJobId(id), &env.by, now)
                .await
                .with_context(|| job_n(id))?;
            writeln!(out, "{}", fill(s.job_due_now, &[("id", &id.to_string())]))?;
            print_now(services, PrintScope::Job(PrintJobId(id)), lang, out, now).await
        }
        PrintCommand::Confirm { id } => {
            need_services(env)?
                .confirm_print_job(PrintJobId(id), &env.by, now)
                .await
                .with_context(|| job_n(id))?;
            writeln!(out, "{}", fill(s.job_confirmed, &[("id", &id.to_string())]))?;
            Ok(())
        }
        PrintCommand::History { id } => {
            let attempts = need_services(env)?
                .print_job_attempts(PrintJobId(id))
                .await
                .with_context(|| job_n(id))?;
            writeln!(
                out,
                "{}  {}  {}  {}",
                super::pad(s.history_at, 26),
                super::pad(s.history_outcome, 11),
                super::lpad(s.history_bytes, 6),
                s.error
            )?;
            for a in attempts {
                writeln!(
                    out,
                    "{:<26}  {}  {:>6}  {}",
                    crate::domain::numbering::local_time(&a.at).format("%Y-%m-%d %H:%M:%S %:z"),
                    super::pad(a.outcome.label(lang), 11),
                    a.bytes,
                    a.error.unwrap_or_default()
                )?;
            }
            Ok(())
        }
        PrintCommand::Move { id, window } => {
            let to = match window {
                0 => None,
                n => Some(u32::try_from(n).map(WindowNo).map_err(|_| {
                    anyhow::anyhow!(fill(s.not_a_window_number, &[("n", &n.to_string())]))
                })?),
            };
            need_services(env)?
                .move_print_job(PrintJobId(id), to, &env.by, now)
                .await
                .with_context(|| job_n(id))?;
            let (id, window) = (id.to_string(), window.to_string());
            match to {
                Some(_) => writeln!(
                    out,
                    "{}",
                    fill(s.job_moved_to, &[("id", &id), ("window", &window)])
                )?,
                None => writeln!(out, "{}", fill(s.job_moved_first_free, &[("id", &id)]))?,
            }
            Ok(())
        }
        PrintCommand::Reprint { id } => {
            let services = need_services(env)?;
            let new = services
                .reprint_job(PrintJobId(id), &env.by, now)
                .await
                .with_context(|| job_n(id))?;
            writeln!(
                out,
                "{}",
                fill(
                    s.job_reprint_queued,
                    &[("new", &new.to_string()), ("id", &id.to_string())]
                )
            )?;
            print_now(services, PrintScope::Job(new), lang, out, now).await
        }
    }
}

/// Prints the due jobs of `scope` on the configured printer and says what came of each.
async fn print_now(
    services: &Services,
    scope: PrintScope,
    lang: Lang,
    out: &mut (dyn Write + Send),
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let said = services.print_now(scope, now).await?;
    if said.is_empty() {
        writeln!(out, "{}", Strings::get(lang).nothing_due)?;
    }
    for outcome in said {
        writeln!(out, "{}", outcome.words(lang))?;
    }
    Ok(())
}

fn need_services<'a>(env: &PrintEnv<'a>) -> anyhow::Result<&'a Services> {
    env.services
        .context(Strings::get(env.paper.lang).needs_database)
}

async fn preview_cmd(
    a: PreviewArgs,
    env: &PrintEnv<'_>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let layouts = Layouts::load(env.layouts_dir.as_deref())?;
    let profile_id = a.profile.as_deref().unwrap_or(&env.default_profile);
    let profile = Profile::load(env.profiles_dir.as_deref(), profile_id)?;
    let paper = env.paper.clone();
    let s = Strings::get(paper.lang);
    let kind: DocKind = a.layout.into();
    let doc = if a.sample {
        sample_document(&layouts, kind, &profile, &paper)?
    } else {
        let case_no = a.case_no.context(s.preview_needs_case)?;
        let services = env.services.context(s.preview_needs_database)?;
        let no = crate::app::cases::parse_case_no(&case_no)?;
        let case = services
            .stored_paper(&no)
            .await
            .with_context(|| fill(s.no_case, &[("no", &case_no)]))?;
        let record = services.case_record(&no).await?;
        services
            .audit_read(
                &env.by,
                Some(&record),
                crate::domain::ReadPurpose::Print,
                false,
                None,
                chrono::Utc::now(),
            )
            .await?;
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
                bail!(s.preview_stored_layouts)
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

async fn test_cmd(
    a: TestArgs,
    env: &PrintEnv<'_>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let s = Strings::get(env.paper.lang);
    let layouts = Layouts::load(env.layouts_dir.as_deref())?;
    let profile = Profile::load(env.profiles_dir.as_deref(), &a.profile)?;
    let issued = crate::domain::numbering::local_time(&chrono::Utc::now()).naive_local();
    let doc = layouts.test_page(&profile, issued, env.paper.lang)?;
    let bytes = escpos::encode(&doc, &profile)?;
    let text = preview::preview(&doc, profile.columns());
    let mut transport = Transport::parse(&a.to, env.timeouts)?;
    let check = profile.status.dle_eot && transport.two_way();
    if check {
        let before = transport.status().await;
        let status = before.describe();
        writeln!(out, "{}", fill(s.printer_before, &[("status", &status)]))?;
        if before.blocks_printing() {
            bail!(fill(s.test_not_printed, &[("error", &status)]));
        }
    }
    transport
        .send(&OutgoingJob {
            name: "test-page",
            bytes: &bytes,
            preview: &text,
        })
        .await
        .map_err(|e| anyhow::anyhow!(fill(s.test_not_printed, &[("error", &e.to_string())])))?;
    let after = if check {
        // The answer comes after the page's bytes: wait as long as they take to go in.
        let wait = profile
            .status
            .confirm_wait(bytes.len(), env.timeouts.status);
        transport.confirm(wait).await
    } else {
        transport.unasked_status()
    };
    let status = after.describe();
    writeln!(
        out,
        "{}",
        fill(
            s.test_sent,
            &[
                ("to", &transport.describe()),
                ("bytes", &bytes.len().to_string()),
                ("profile", &profile.id),
                ("status", &status),
            ]
        )
    )?;
    if check && after.blocks_printing() {
        bail!(fill(s.test_fault_after, &[("status", &status)]));
    }
    Ok(())
}

async fn jobs_cmd(
    a: JobsArgs,
    services: &Services,
    lang: Lang,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let state = match a.state.as_deref() {
        None => None,
        Some(s) => Some(
            s.parse::<PrintState>()
                .map_err(|e| anyhow::anyhow!("--state: {e}"))?,
        ),
    };
    let jobs = services.print_jobs(state, i64::from(a.limit)).await?;
    let s = Strings::get(lang);
    writeln!(
        out,
        "{}  {}  {}  {}  {}  {}",
        super::lpad(s.jobs_id, 6),
        super::pad(s.jobs_kind, 14),
        super::pad(s.jobs_state, 11),
        super::lpad(s.jobs_try, 3),
        super::pad(s.jobs_created, 16),
        s.error
    )?;
    for j in jobs {
        writeln!(
            out,
            "{:>6}  {}  {}  {:>3}  {:<16}  {}{}",
            j.id,
            super::pad(j.kind.label(lang), 14),
            super::pad(j.state.label(lang), 11),
            j.attempts,
            crate::domain::numbering::local_time(&j.created_at).format("%Y-%m-%d %H:%M"),
            j.last_error.unwrap_or_default(),
            j.reprint_of
                .map(|r| format!(" ({} {r})", s.jobs_reprint_of))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}
