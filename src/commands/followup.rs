//! `onewindow followup list|record`: cases finished as mediated or referred that are due for a
//! follow-up call (回访), and recording its result. Lists show masked names and phones only.

use super::Output;
use crate::config::Config;
use crate::storage::followup;
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
        /// Staff number of who called.
        #[arg(long)]
        staff: Option<String>,
    },
}

pub async fn run(config: &Config, args: FollowupArgs) -> anyhow::Result<()> {
    let store = super::open(config).await?;
    let out = execute(&store, config, &args).await;
    store.close().await;
    out?.print(args.json)
}

pub async fn execute(
    store: &crate::storage::Store,
    config: &Config,
    args: &FollowupArgs,
) -> anyhow::Result<Output> {
    let site = super::site(store, config).await?;
    let days = args.days.unwrap_or(config.supervisor.followup_days);
    match &args.command {
        FollowupCommand::List { limit } => {
            let due = followup::due(store, site.id, Utc::now(), days, *limit).await?;
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
        FollowupCommand::Record {
            case_no,
            result,
            staff,
        } => {
            let staff = super::staff(store, &site, staff.as_deref()).await?;
            let case = followup::record(store, case_no, result, staff, Utc::now()).await?;
            Ok(Output {
                text: format!("follow-up of {case_no} recorded\n"),
                json: serde_json::json!({ "case_id": case, "case_no": case_no }),
            })
        }
    }
}
