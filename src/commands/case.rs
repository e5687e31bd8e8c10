//! `onewindow case show CASE_NO`: a case with its decision, tickets, print jobs and history.

use super::Output;
use crate::app::Services;
use crate::app::cases::CaseFile;
use crate::config::Config;
use crate::domain::numbering::{CaseNo, local_time};
use anyhow::Context;

#[derive(Debug, Clone, clap::Args)]
pub struct CaseArgs {
    #[command(subcommand)]
    pub command: CaseCommand,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum CaseCommand {
    /// Show a case by its number (SITE-YYYYMMDD-NNNN).
    Show { case_no: String },
}

pub async fn run(config: &Config, args: CaseArgs) -> anyhow::Result<()> {
    let services = Services::open(config).await?;
    let result = match &args.command {
        CaseCommand::Show { case_no } => show(&services, case_no).await,
    };
    services.close().await;
    result?.print(args.json)
}

pub async fn show(services: &Services, case_no: &str) -> anyhow::Result<Output> {
    let no = CaseNo::parse(case_no)?;
    let CaseFile {
        case,
        tickets,
        print_jobs: jobs,
        history,
    } = services
        .case_file(&no)
        .await
        .with_context(|| format!("case {no}"))?;

    let mut text = format!(
        "案件 case {}  登记 {}\n申请人 applicant {} ({}, {})\n被申请人 counterparty {}\n",
        case.case_no,
        local_time(&case.created_at).format("%Y-%m-%d %H:%M:%S"),
        case.applicant_masked,
        case.applicant_id_masked,
        case.applicant_phone_masked,
        case.counterparty_name,
    );
    if let Some(r) = case.route {
        text.push_str(&format!("分流 route {} {}\n", r.code(), r.zh()));
    }
    if !case.flags.is_empty() {
        let f: Vec<&str> = case.flags.iter().map(|f| f.code()).collect();
        text.push_str(&format!("标记 flags {}\n", f.join(", ")));
    }
    for t in &tickets {
        text.push_str(&format!(
            "排队号 ticket {} {} {}\n",
            t.ticket_no,
            t.state,
            t.outcome.map(|o| o.code()).unwrap_or("")
        ));
    }
    for j in &jobs {
        text.push_str(&format!(
            "打印 print job {} {} {} (attempts {})\n",
            j.id, j.kind, j.state, j.attempts
        ));
    }
    for h in &history {
        text.push_str(&format!(
            "{} {}\n",
            local_time(&h.at).format("%Y-%m-%d %H:%M:%S"),
            h.event.action()
        ));
    }
    Ok(Output {
        text,
        json: serde_json::json!({
            "case": case,
            "tickets": tickets,
            "print_jobs": jobs,
            "history": history,
        }),
    })
}
