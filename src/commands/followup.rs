//! `onewindow followup list|show|record`: cases finished as mediated or referred, or routed to a
//! referral, that are due for a follow-up call (回访), and the results of the calls. The list
//! and `show` give the phone in full to the staff who call (audited as a read for a follow-up
//! call); names stay masked.

use super::Output;
use super::auth::SignInArgs;
use crate::app::auth::Permission;
use crate::app::followup::{contact_label, satisfied_label};
use crate::app::{Acting, Services};
use crate::config::Config;
use crate::domain::followup::FollowUpContact;
use crate::domain::numbering::local_time;
use crate::domain::{Lang, Outcome, Route};
use crate::i18n::{cli::Strings, fill};
use crate::storage::followup::FollowUpRecord;

#[derive(Debug, Clone, clap::Args)]
pub struct FollowupArgs {
    #[command(subcommand)]
    pub command: FollowupCommand,
    /// Days after the case ended before it is due (default: supervisor.followup_days, 7).
    #[arg(long, global = true, value_parser = clap::value_parser!(i64).range(0..=366))]
    pub days: Option<i64>,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// The time to act at (RFC 3339), for trying past dates; default now.
    #[arg(long, global = true, value_name = "TIME")]
    pub at: Option<String>,
    #[command(flatten)]
    pub auth: SignInArgs,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum FollowupCommand {
    /// Cases due for a follow-up call, the longest due first, with the phone to call; with
    /// --recorded, the calls recorded, newest first.
    List {
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=10_000))]
        limit: i64,
        /// The recorded calls instead of the cases due.
        #[arg(long)]
        recorded: bool,
    },
    /// A case's follow-up: when it is due, the phone to call, every call recorded.
    Show { case_no: String },
    /// Record the result of a follow-up call.
    Record {
        case_no: String,
        /// reached, unreachable (the case stays due, to call again) or declined.
        #[arg(long, value_name = "reached|unreachable|declined")]
        result: FollowUpContact,
        /// Whether the worker is satisfied (only with --result reached): yes or no.
        #[arg(long, value_name = "yes|no", value_parser = parse_yes_no)]
        satisfied: Option<bool>,
        /// What was said, in a line or two.
        #[arg(long, default_value = "")]
        note: String,
    },
}

fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "是" | "满意" => Ok(true),
        "no" | "n" | "false" | "否" | "不满意" => Ok(false),
        _ => Err(format!("expected yes or no, not {s:?}")),
    }
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

fn outcome_text(route: Option<Route>, outcome: Option<Outcome>, lang: Lang) -> String {
    match (outcome, route) {
        (Some(o), _) => o.label(lang).to_string(),
        (None, Some(r)) => r.label(lang).to_string(),
        (None, None) => "-".into(),
    }
}

fn record_line(r: &FollowUpRecord, lang: Lang, with_case: bool) -> String {
    let s = Strings::get(lang);
    let mut line = String::new();
    if with_case {
        line.push_str(&format!("{}  {}  ", r.case_no, r.applicant_masked));
    }
    line.push_str(&format!(
        "{}  {} {}  {}",
        local_time(&r.at).format("%Y-%m-%d %H:%M"),
        s.staff,
        r.staff_no.as_deref().unwrap_or("-"),
        contact_label(r.contact, lang),
    ));
    let satisfied = satisfied_label(r.satisfied, lang);
    if !satisfied.is_empty() {
        line.push_str(&format!("  {satisfied}"));
    }
    if !r.note.is_empty() {
        // A note may hold a line break; the list keeps one line per call.
        let note: String = r
            .note
            .chars()
            .map(|c| if c == '\n' { ' ' } else { c })
            .filter(|c| !crate::domain::text::is_hidden(*c))
            .collect();
        line.push_str(&format!("  {}：{note}", s.note));
    }
    line.push('\n');
    line
}

/// The follow-up operation for `by` (signed in by the caller).
pub async fn execute(
    services: &Services,
    args: &FollowupArgs,
    by: &Acting,
) -> anyhow::Result<Output> {
    let lang = services.config().lang;
    let s = Strings::get(lang);
    let now = super::instant(args.at.as_deref(), lang)?;
    match &args.command {
        FollowupCommand::List {
            limit,
            recorded: false,
        } => {
            let due = services
                .followups_to_call(by, now, args.days, *limit)
                .await?;
            let mut text = String::new();
            for d in &due {
                text.push_str(&format!(
                    "{}  {}  {}  {}  {}",
                    d.case_no,
                    outcome_text(d.route, d.outcome, lang),
                    local_time(&d.ended_at).format("%Y-%m-%d"),
                    d.applicant_masked,
                    if d.phone.is_empty() {
                        d.phone_masked.as_str()
                    } else {
                        d.phone.as_str()
                    },
                ));
                if d.attempts > 0 {
                    let calls = fill(s.unreachable_calls, &[("n", &d.attempts.to_string())]);
                    text.push_str(&format!("  {calls}"));
                }
                text.push('\n');
            }
            if due.is_empty() {
                text.push_str(s.no_followup_due);
                text.push('\n');
            }
            Ok(Output {
                text,
                json: serde_json::to_value(&due)?,
            })
        }
        FollowupCommand::List {
            limit,
            recorded: true,
        } => {
            let records = services.followups_recorded(*limit).await?;
            let mut text = String::new();
            for r in &records {
                text.push_str(&record_line(r, lang, true));
            }
            if records.is_empty() {
                text.push_str(s.no_followup_recorded);
                text.push('\n');
            }
            Ok(Output {
                text,
                json: serde_json::to_value(&records)?,
            })
        }
        FollowupCommand::Show { case_no } => {
            let c = services.followup_case(case_no, by, now).await?;
            let mut text = format!(
                "{} {}  {}  {}\n",
                s.followup_case,
                c.case_no,
                c.applicant_masked,
                outcome_text(c.route, c.outcome, lang),
            );
            if !c.followed_up {
                text.push_str(s.not_followed_up);
                text.push('\n');
            } else {
                let days = args
                    .days
                    .unwrap_or(services.config().supervisor.followup_days);
                if let Some(ended) = c.ended_at {
                    let due = local_time(&(ended + chrono::TimeDelta::days(days)));
                    text.push_str(&format!(
                        "{} {}\n",
                        s.due_from,
                        due.format("%Y-%m-%d %H:%M")
                    ));
                }
                let phone = if c.phone.is_empty() {
                    &c.phone_masked
                } else {
                    &c.phone
                };
                text.push_str(&format!("{} {phone}\n", s.phone));
                let closed = c.records.iter().any(FollowUpRecord::closes);
                text.push_str(if closed {
                    s.followup_done
                } else {
                    s.followup_open
                });
                text.push('\n');
            }
            for r in &c.records {
                text.push_str(&record_line(r, lang, false));
            }
            if c.followed_up && c.records.is_empty() {
                text.push_str(s.no_followup_recorded);
                text.push('\n');
            }
            Ok(Output {
                text,
                json: serde_json::to_value(&c)?,
            })
        }
        FollowupCommand::Record {
            case_no,
            result,
            satisfied,
            note,
        } => {
            let case = services
                .record_followup(case_no, *result, *satisfied, note, args.days, by, now)
                .await?;
            let text = format!(
                "{}\n",
                fill(
                    s.followup_recorded,
                    &[("no", case_no.trim()), ("result", result.label(lang))]
                )
            );
            Ok(Output {
                text,
                json: serde_json::json!({
                    "case_id": case, "case_no": case_no.trim(), "result": result.code(),
                    "satisfied": satisfied,
                }),
            })
        }
    }
}
