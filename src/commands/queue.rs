//! `onewindow queue list|issue|call|recall|noshow|start|transfer|finish …`: the window's queue
//! operations from a script. Tickets are named by their number of the day (`T001`); `--day`
//! names another Asia/Shanghai day.

use super::Output;
use super::auth::SignInArgs;
use crate::app::auth::Permission;
use crate::app::queue::TicketOp;
use crate::app::{Acting, AppError, Services};
use crate::config::Config;
use crate::domain::numbering::{local_day, local_time};
use crate::domain::{Lang, Outcome, TicketNo, TicketState, WindowNo};
use crate::i18n::{cli::Strings, fill};
use crate::storage::Ticket;
use anyhow::{Context, anyhow, bail};
use chrono::{NaiveDate, Utc};

#[derive(Debug, Clone, clap::Args)]
pub struct QueueArgs {
    #[command(subcommand)]
    pub command: QueueCommand,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// The staff member acting, signed in with their PIN.
    #[command(flatten)]
    pub auth: SignInArgs,
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
    /// Issue a ticket in a queue (a walk-in without a registered case); its paper prints at
    /// `--window N`'s printer, or at the first window's printer free.
    Issue {
        /// The queue's ticket prefix, e.g. T.
        queue: String,
        /// Serve it first (PRIORITY).
        #[arg(long)]
        priority: bool,
        /// The window whose printer prints the ticket.
        #[arg(long, value_name = "N")]
        window: Option<i64>,
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
    let services = Services::open(config).await?;
    let result = async {
        let by = args
            .auth
            .authorize(&services, Permission::WorkQueue, "queue")
            .await?;
        let by = may_act(&services, &args, by).await?;
        let window = by.window.as_ref().map(|w| w.id);
        let out = execute(&services, &args, by).await?;
        out.print(args.json)?;
        if let QueueCommand::Issue { .. } = &args.command {
            // The walk-in's ticket prints now, where its job was queued, as an intake's paper
            // does; a printer that is off leaves the job pending for the window's kiosk or
            // `print run`, nothing is lost.
            for outcome in services.print_due(window, Utc::now()).await? {
                eprintln!("{}", outcome.words(config.lang));
            }
        }
        Ok(())
    }
    .await;
    services.close().await;
    result
}

/// Where `by` may act: a clerk calls at the window their kiosk is signed in at and acts on the
/// ticket held there; a supervisor anywhere (the checks are the application's, audited). Gives
/// `by` at the ticket's window, so the audit log names it (a walk-in's: at `--window N`, whose
/// printer prints it).
async fn may_act(services: &Services, args: &QueueArgs, mut by: Acting) -> anyhow::Result<Acting> {
    let at = Utc::now();
    let s = Strings::get(services.config().lang);
    let (ticket, op) = match &args.command {
        QueueCommand::List { .. } | QueueCommand::Issue { window: None, .. } => return Ok(by),
        // A walk-in's ticket prints at `--window N`'s printer.
        QueueCommand::Issue {
            window: Some(n), ..
        } => {
            by.window = Some(services.station(window_no(*n, s)?, false, at).await?);
            return Ok(by);
        }
        QueueCommand::Call { window } => {
            let op = format!("queue call --window {window}");
            let no = window_no(*window, s)?;
            return match services.may_work_window(&by, no, &op, at).await {
                Ok(()) => Ok(by),
                Err(AppError::Forbidden) => Err(anyhow!(fill(s.call_refused, &[("op", &op)]))),
                Err(e) => Err(e.into()),
            };
        }
        QueueCommand::Recall { ticket } => (ticket, "recall"),
        QueueCommand::Noshow { ticket } => (ticket, "noshow"),
        QueueCommand::Start { ticket } => (ticket, "start"),
        QueueCommand::Transfer { ticket, .. } => (ticket, "transfer"),
        QueueCommand::Finish { ticket, .. } => (ticket, "finish"),
    };
    let day = args.day.unwrap_or_else(|| local_day(&at));
    let no = TicketNo::from_stored(ticket.trim().to_uppercase());
    let held = services
        .ticket_on(&no, day)
        .await
        .with_context(|| ticket_of_day(s, &no, day))?;
    let op = format!("queue {op} {no}");
    match services.may_work_ticket(&by, &held, &op, at).await {
        Ok(station) => {
            by.window = station.or(by.window);
            Ok(by)
        }
        Err(AppError::Forbidden) => Err(anyhow!(fill(
            s.ticket_refused,
            &[
                ("op", &op),
                ("no", no.as_str()),
                (
                    "where",
                    match held.window {
                        Some(_) => s.at_another_window,
                        None => s.at_no_window,
                    }
                ),
            ]
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The queue operation for `by` (signed in, and checked by [`may_act`], by the caller).
pub async fn execute(
    services: &Services,
    args: &QueueArgs,
    mut by: Acting,
) -> anyhow::Result<Output> {
    let at = Utc::now();
    let lang = services.config().lang;
    let s = Strings::get(lang);
    let day = args.day.unwrap_or_else(|| local_day(&at));
    let find = |no: &str| {
        let no = TicketNo::from_stored(no.trim().to_uppercase());
        async move {
            services
                .ticket_on(&no, day)
                .await
                .with_context(|| ticket_of_day(s, &no, day))
        }
    };
    let ticket = match &args.command {
        QueueCommand::List { queue, state } => return list(services, day, queue, state).await,
        QueueCommand::Issue {
            queue, priority, ..
        } => {
            let q = services.queue_by_prefix(queue)?;
            services.issue_walk_in(&q, *priority, &by, at).await?
        }
        QueueCommand::Call { window } => {
            let number = window_no(*window, s)?;
            by.window = Some(services.station(number, false, at).await?);
            match services.call_next(&by, at).await {
                Ok(entry) => services.ticket_on(&entry.ticket, local_day(&at)).await?,
                Err(AppError::QueueEmpty) => {
                    return Ok(Output {
                        text: format!(
                            "{}\n",
                            fill(s.nobody_waiting, &[("window", &window.to_string())])
                        ),
                        json: serde_json::Value::Null,
                    });
                }
                Err(AppError::WindowBusy(t)) => {
                    bail!(fill(
                        s.window_still_holds,
                        &[("window", &window.to_string()), ("ticket", t.as_str())]
                    ))
                }
                Err(e) => return Err(e.into()),
            }
        }
        QueueCommand::Recall { ticket } => {
            services
                .ticket_op(TicketOp::Recall, &find(ticket).await?, &by, at)
                .await?
        }
        QueueCommand::Noshow { ticket } => {
            services
                .ticket_op(TicketOp::NoShow, &find(ticket).await?, &by, at)
                .await?
        }
        QueueCommand::Start { ticket } => {
            services
                .ticket_op(TicketOp::Start, &find(ticket).await?, &by, at)
                .await?
        }
        QueueCommand::Transfer { ticket, to, reason } => {
            let to = services.queue_by_prefix(to)?.route;
            services
                .transfer(&find(ticket).await?, to, reason, &by, at)
                .await?
        }
        QueueCommand::Finish { ticket, outcome } => {
            let outcome: Outcome = outcome
                .parse()
                .map_err(|e: String| anyhow!("--outcome: {e}"))?;
            services
                .finish(&find(ticket).await?, outcome, &by, at)
                .await?
        }
    };
    Ok(Output {
        text: format!("{}\n", line(&ticket, lang)),
        json: serde_json::to_value(&ticket)?,
    })
}

/// A ticket as a line of text, in `lang` (labels; `--json` keeps the codes); `case show`
/// lists a case's tickets the same way.
pub(super) fn line(t: &Ticket, lang: Lang) -> String {
    let words = Strings::get(lang);
    let mut s = format!(
        "{} {} {} {} {} {}",
        t.ticket_no,
        super::pad(t.state.label(lang), 11),
        if t.priority { words.priority } else { "  " },
        t.route.label(lang),
        words.issued,
        local_time(&t.original_issued_at).format("%H:%M:%S"),
    );
    if let Some(o) = t.outcome {
        s.push_str(&format!(" {} {}", words.outcome, o.label(lang)));
    }
    if let Some(r) = &t.transfer_reason {
        s.push_str(&format!(
            " {} {}",
            words.transfer_reason,
            crate::domain::text::quote(r)
        ));
    }
    s
}

async fn list(
    services: &Services,
    day: NaiveDate,
    queue: &Option<String>,
    state: &str,
) -> anyhow::Result<Output> {
    let lang = services.config().lang;
    let words = Strings::get(lang);
    let state = match state {
        "all" => None,
        s => Some(
            s.parse::<TicketState>()
                .map_err(|e| anyhow!(fill(words.state_or_all, &[("error", &e)])))?,
        ),
    };
    let queue = match queue {
        Some(p) => Some(services.queue_by_prefix(p)?),
        None => None,
    };
    let tickets = services.tickets_of(day, queue.as_ref(), state).await?;
    let mut text = String::new();
    for t in &tickets {
        text.push_str(&line(t, lang));
        text.push('\n');
    }
    if tickets.is_empty() {
        text.push_str(words.none);
        text.push('\n');
    }
    Ok(Output {
        text,
        json: serde_json::to_value(&tickets)?,
    })
}

/// `--window N` as a window number.
fn window_no(n: i64, s: &Strings) -> anyhow::Result<WindowNo> {
    u32::try_from(n)
        .map(WindowNo)
        .map_err(|_| anyhow!(fill(s.not_a_window_number, &[("n", &n.to_string())])))
}

/// "ticket T001 of 2026-03-10", the context of an error about a named ticket.
fn ticket_of_day(s: &Strings, no: &TicketNo, day: NaiveDate) -> String {
    fill(
        s.ticket_of_day,
        &[("no", no.as_str()), ("day", &day.to_string())],
    )
}
