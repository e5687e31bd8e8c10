//! `onewindow queue list|issue|call|recall|noshow|start|transfer|finish …`: the window's queue
//! operations from a script. Tickets are named by their number of the day (`T001`); `--day`
//! names another Asia/Shanghai day.

use super::Output;
use crate::config::Config;
use crate::domain::numbering::{local_day, local_time};
use crate::storage::{Actor, Outcome, SiteInfo, Store, Ticket, TicketFilter, TicketState};
use anyhow::{Context, anyhow};
use chrono::NaiveDate;

#[derive(Debug, Clone, clap::Args)]
pub struct QueueArgs {
    #[command(subcommand)]
    pub command: QueueCommand,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// The staff member acting (their code).
    #[arg(long, global = true, value_name = "CODE")]
    pub staff: Option<String>,
    /// The day of the tickets named (YYYY-MM-DD, Asia/Shanghai); default today.
    #[arg(long, global = true, value_name = "DATE")]
    pub day: Option<NaiveDate>,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum QueueCommand {
    /// List tickets: the day's waiting tickets in calling order, or all with --state all.
    List {
        /// Only this queue (its ticket prefix, e.g. T).
        #[arg(long, value_name = "PREFIX")]
        queue: Option<String>,
        /// waiting (default), called, serving, done, no_show, transferred or all.
        #[arg(long, default_value = "waiting")]
        state: String,
    },
    /// Issue a ticket in a queue (a walk-in without a registered case).
    Issue {
        /// The queue's ticket prefix, e.g. T.
        queue: String,
        /// Serve it first (PRIORITY).
        #[arg(long)]
        priority: bool,
    },
    /// Call the next ticket for a window.
    Call {
        /// The window's number.
        #[arg(long, value_name = "N")]
        window: i64,
    },
    /// Call a called ticket again.
    Recall { ticket: String },
    /// The called person did not come.
    Noshow { ticket: String },
    /// Start serving a called ticket.
    Start { ticket: String },
    /// Move a ticket to another queue; it keeps its place by original issue time.
    Transfer {
        ticket: String,
        /// The target queue's ticket prefix.
        #[arg(long, value_name = "PREFIX")]
        to: String,
        /// Why (recorded and shown to the next window).
        #[arg(long)]
        reason: String,
    },
    /// Finish serving a ticket with an outcome.
    Finish {
        ticket: String,
        /// mediated, not_mediated, accepted, referred, withdrawn, advised or other.
        #[arg(long)]
        outcome: String,
    },
}

pub async fn run(config: &Config, args: QueueArgs) -> anyhow::Result<()> {
    let store = super::open(config).await?;
    let result = execute(&store, config, &args).await;
    store.close().await;
    result?.print(args.json)
}

pub async fn execute(store: &Store, config: &Config, args: &QueueArgs) -> anyhow::Result<Output> {
    let site = super::site(store, config).await?;
    let staff = super::staff(store, &site, args.staff.as_deref()).await?;
    let by = Actor::at(staff, chrono::Utc::now());
    let day = args.day.unwrap_or_else(|| local_day(&by.at));
    let find = |no: &str| {
        let no = no.trim().to_uppercase();
        async move {
            store
                .ticket_by_no(site.id, day, &no)
                .await
                .with_context(|| format!("ticket {no} of {day}"))
        }
    };
    let ticket = match &args.command {
        QueueCommand::List { queue, state } => return list(store, &site, day, queue, state).await,
        QueueCommand::Issue { queue, priority } => {
            let q = queue_id(&site, queue)?;
            store.issue_ticket(q, None, *priority, by).await?
        }
        QueueCommand::Call { window } => {
            let w = store
                .window_by_number(site.id, *window)
                .await
                .with_context(|| {
                    format!("--window {window}: set it up with `onewindow db window {window}`")
                })?;
            match store.call_next(w.id, by).await? {
                Some(t) => t,
                None => {
                    return Ok(Output {
                        text: format!("窗口 {window}: 无人等候 nobody waiting\n"),
                        json: serde_json::Value::Null,
                    });
                }
            }
        }
        QueueCommand::Recall { ticket } => store.recall(find(ticket).await?.id, by).await?,
        QueueCommand::Noshow { ticket } => store.no_show(find(ticket).await?.id, by).await?,
        QueueCommand::Start { ticket } => store.start(find(ticket).await?.id, by).await?,
        QueueCommand::Transfer { ticket, to, reason } => {
            let to = queue_id(&site, to)?;
            store
                .transfer(find(ticket).await?.id, to, reason, by)
                .await?
        }
        QueueCommand::Finish { ticket, outcome } => {
            let outcome: Outcome = outcome
                .parse()
                .map_err(|e: String| anyhow!("--outcome: {e}"))?;
            store.finish(find(ticket).await?.id, outcome, by).await?
        }
    };
    Ok(Output {
        text: format!("{}\n", line(&ticket)),
        json: serde_json::to_value(&ticket)?,
    })
}

fn queue_id(site: &SiteInfo, prefix: &str) -> anyhow::Result<crate::storage::QueueId> {
    let p = prefix.trim().to_uppercase();
    site.queue_by_prefix(&p).map(|q| q.id).ok_or_else(|| {
        let known: Vec<&str> = site.queues.iter().map(|q| q.prefix.as_str()).collect();
        anyhow!(
            "no queue with prefix {p:?} at site {} (queues: {})",
            site.code,
            known.join(", ")
        )
    })
}

fn line(t: &Ticket) -> String {
    let mut s = format!(
        "{} {:<11} {} {} issued {}",
        t.ticket_no,
        t.state.code(),
        if t.priority { "优先" } else { "  " },
        t.route.zh(),
        local_time(&t.original_issued_at).format("%H:%M:%S"),
    );
    if let Some(o) = t.outcome {
        s.push_str(&format!(" outcome {o}"));
    }
    if let Some(r) = &t.transfer_reason {
        s.push_str(&format!(" transfer: {r}"));
    }
    s
}

async fn list(
    store: &Store,
    site: &SiteInfo,
    day: NaiveDate,
    queue: &Option<String>,
    state: &str,
) -> anyhow::Result<Output> {
    let state = match state {
        "all" => None,
        s => Some(
            s.parse::<TicketState>()
                .map_err(|e| anyhow!("--state: {e}, or all"))?,
        ),
    };
    let queue = match queue {
        Some(p) => Some(queue_id(site, p)?),
        None => None,
    };
    let tickets = store
        .list_tickets(TicketFilter {
            site: Some(site.id),
            queue,
            day: Some(day),
            state,
        })
        .await?;
    let mut text = String::new();
    for t in &tickets {
        text.push_str(&line(t));
        text.push('\n');
    }
    if tickets.is_empty() {
        text.push_str("(none)\n");
    }
    Ok(Output {
        text,
        json: serde_json::to_value(&tickets)?,
    })
}
