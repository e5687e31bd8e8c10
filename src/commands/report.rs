//! `onewindow report --from DATE --to DATE [--format csv|xlsx|json] [--out FILE]`: the report a
//! centre files for a period (statistics, pointers, referrals, flags, queue, workload, follow-up,
//! a day-by-day series, hourly load, comparison with the previous period and last year); and the
//! seed generator for trying it on a big month.

use super::auth::SignInArgs;
use crate::app::Services;
use crate::app::auth::Permission;
use crate::app::report_files::{Format, render_filed};
use crate::config::Config;
use crate::domain::ReadPurpose;
use crate::i18n::{cli::Strings, fill};
use anyhow::{Context, anyhow, bail};
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// First day (YYYY-MM-DD, Beijing time), included.
    #[arg(long, value_name = "DATE")]
    pub from: NaiveDate,
    /// Last day, included.
    #[arg(long, value_name = "DATE")]
    pub to: NaiveDate,
    /// csv (default), xlsx or json.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Write here instead of standard output (required for xlsx).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The supervisor asking for it.
    #[command(flatten)]
    pub auth: SignInArgs,
}

/// The longest period one report covers (ten years and a few leap days).
const MAX_DAYS: i64 = 3660;

pub async fn run(config: &Config, args: ReportArgs) -> anyhow::Result<()> {
    let s = Strings::get(config.lang);
    let (from, to) = (args.from.to_string(), args.to.to_string());
    let format = Format::parse(&args.format)
        .ok_or_else(|| anyhow!(fill(s.report_format, &[("format", &args.format)])))?;
    if args.to < args.from {
        bail!(fill(
            s.report_to_before_from,
            &[("to", &to), ("from", &from)]
        ));
    }
    // The day-by-day series has a row per day: a filed report covers a month, a quarter or a year.
    if (args.to - args.from).num_days() > MAX_DAYS {
        bail!(fill(
            s.report_too_long,
            &[("from", &from), ("to", &to), ("max", &MAX_DAYS.to_string())]
        ));
    }
    if matches!(format, Format::Xlsx) && args.out.is_none() {
        bail!(s.report_xlsx_needs_out);
    }
    let services = Services::open(config).await?;
    let result = async {
        let by = args
            .auth
            .authorize(&services, Permission::Reports, "report")
            .await?;
        let site = services.site()?;
        let r = services.filed_report(args.from, args.to).await?;
        services
            .audit_read(
                &by,
                None,
                ReadPurpose::Export,
                false,
                None,
                chrono::Utc::now(),
            )
            .await?;
        let bytes = render_filed(&r, args.from, args.to, &site.name, config.lang, format)?;
        match &args.out {
            // 0600: a report names employers and staff.
            Some(path) => crate::config::files::write_private(path, &bytes)
                .with_context(|| fill(s.cannot_write, &[("path", &path.display().to_string())]))?,
            None => std::io::stdout().write_all(&bytes)?,
        }
        anyhow::Ok(())
    }
    .await;
    services.close().await;
    result
}

#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// How many cases to make (each with one served ticket).
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: u64,
    /// The month they are spread over: YYYY-MM.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: String,
    /// A supervisor, once the database has staff.
    #[command(flatten)]
    pub auth: SignInArgs,
}

/// `onewindow db seed --cases N --month YYYY-MM`: sample cases for trying the report. Never on a
/// live database: the cases are numbered SEED-… and count in every figure.
pub async fn run_seed(config: &Config, args: SeedArgs) -> anyhow::Result<()> {
    let s = Strings::get(config.lang);
    let month = NaiveDate::parse_from_str(&format!("{}-01", args.month), "%Y-%m-%d")
        .with_context(|| fill(s.seed_month, &[("month", &args.month)]))?;
    let services = Services::open(config).await?;
    let result = async {
        // A sample database has no staff; once it has, seeding is a supervisor's act.
        if !services.needs_setup().await? {
            args.auth
                .authorize(&services, Permission::ManageData, "seed")
                .await?;
        }
        let started = std::time::Instant::now();
        let seeded = services.seed(args.cases, month, chrono::Utc::now()).await?;
        println!(
            "{}",
            fill(
                s.seeded,
                &[
                    ("cases", &seeded.cases.to_string()),
                    ("tickets", &seeded.tickets.to_string()),
                    ("month", &args.month),
                    ("secs", &format!("{:.1}", started.elapsed().as_secs_f64())),
                ]
            )
        );
        anyhow::Ok(())
    }
    .await;
    services.close().await;
    result
}
