//! `onewindow followup list|record`: cases finished as mediated or referred that are due for a
//! follow-up call (回访), and recording its result. Lists show masked names and phones only.

use super::Output;
use super::auth::SignInArgs;
use crate::app::auth::Permission;
use crate::app::{Acting, Services};
use crate::config::Config;
use chrono::Utc;

#[derive(Debug, Clone, clap::Args)]
pub struct FollowupArgs {
    #[command(subcommand)]
    pub command: FollowupCommand,
    /// Days after the case ended before it is due (default: supervisor.followup_days, 7).
    #[arg(long, global = true)]
    pub days: Option<i64>,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(flatten)]
    pub auth: SignInArgs,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum FollowupCommand {
    /// Cases due for a follow-up call, the longest due first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Record the result of a follow-up call.
    Record {
        case_no: String,
        #[arg(long)]
        result: String,
    },
}

pub async fn run(config: &Config, args: FollowupArgs) -> anyhow::Result<()> {
    let services = Services::open(config).await?;
    let out = async {
        let by = args
            .auth
            .authorize(&services, Permission::FollowUp, "followup")
            .await?;
        execute(&services, &args, &by).await
    }
    .await;
    services.close().await;
    out?.print(args.json)
}

/// The follow-up operation for `by` (signed in by the caller).
pub async fn execute(
    services: &Services,
    args: &FollowupArgs,
    by: &Acting,
) -> anyhow::Result<Output> {
    let days = args
        .days
        .unwrap_or(services.config().supervisor.followup_days);
    match &args.command {
        FollowupCommand::List { limit } => {
            let due = services.followups_due(Utc::now(), days, *limit).await?;
            let mut text = String::new();
            for d in &due {
                text.push_str(&format!(
                    "{}  {}  {}  {}  {}\n",
                    d.case_no,
                    d.outcome,
                    crate::domain::numbering::local_time(&d.finished_at).format("%Y-%m-%d"),
                    d.applicant_masked,
                    d.phone_masked
                ));
            }
            if due.is_empty() {
                text.push_str("no follow-up due\n");
            }
            Ok(Output {
                text,
                json: serde_json::to_value(&due)?,
            })
        }
        FollowupCommand::Record { case_no, result } => {
            let case = services
                .record_followup(case_no, result, by, Utc::now())
                .await?;
            Ok(Output {
                text: format!("follow-up of {case_no} recorded\n"),
                json: serde_json::json!({ "case_id": case, "case_no": case_no }),
            })
        }
    }
}
