//! `onewindow case show CASE_NO [--full]`: a case with its decision, tickets, print jobs and
//! history, masked unless a supervisor asks for it in full; `case audit CASE_NO`: every audit
//! entry of a case, reads included (supervisors). Both signed in and audited.

use super::auth::SignInArgs;
use super::{Output, labels};
use crate::app::auth::Permission;
use crate::app::cases::CaseFile;
use crate::app::{Acting, Services};
use crate::config::Config;
use crate::domain::numbering::{CaseNo, local_time};
use crate::domain::{Lang, ReadPurpose, StaffNo, WindowNo};
use anyhow::Context;

#[derive(Debug, Clone, clap::Args)]
pub struct CaseArgs {
    #[command(subcommand)]
    pub command: CaseCommand,
    /// Print the result as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(flatten)]
    pub auth: SignInArgs,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum CaseCommand {
    /// Show a case by its number (SITE-YYYYMMDD-NNNN), the applicant masked.
    Show {
        case_no: String,
        /// The ID number, phone and name in full (supervisors).
        #[arg(long)]
        full: bool,
    },
    /// Every audit entry of a case: its history and who read it, where and why (supervisors).
    Audit { case_no: String },
}

pub async fn run(config: &Config, args: CaseArgs) -> anyhow::Result<()> {
    let services = Services::open(config).await?;
    let result = async {
        match &args.command {
            CaseCommand::Show { case_no, full } => {
                let (need, op) = if *full {
                    (Permission::ReadUnmasked, "case show --full")
                } else {
                    (Permission::ReadMasked, "case show")
                };
                let by = args.auth.authorize(&services, need, op).await?;
                show(&services, case_no, &by, *full).await
            }
            CaseCommand::Audit { case_no } => {
                let by = args
                    .auth
                    .authorize(&services, Permission::ReadAudit, "case audit")
                    .await?;
                audit(&services, case_no, &by).await
            }
        }
    }
    .await;
    services.close().await;
    result?.print(args.json)
}

/// A case's audit trail, oldest first; reading it is itself audited.
pub async fn audit(services: &Services, case_no: &str, by: &Acting) -> anyhow::Result<Output> {
    let no = CaseNo::parse(case_no)?;
    let case = services
        .case_record(&no)
        .await
        .with_context(|| format!("case {no}"))?;
    services
        .audit_read(
            by,
            Some(&case),
            ReadPurpose::Audit,
            false,
            None,
            chrono::Utc::now(),
        )
        .await?;
    let entries = services.case_audit(&no).await?;
    let lang = services.config().lang;
    let mut text = format!(
        "{} {no} {}\n",
        lang.pick("案件", "Case"),
        lang.pick("访问与操作记录", "audit trail")
    );
    for e in &entries {
        text.push_str(&format!(
            "{}  {}{}\n",
            local_time(&e.at).format("%Y-%m-%d %H:%M:%S"),
            labels::audit_event(&e.event, lang),
            who(e.staff_no.as_ref(), e.window_no, lang),
        ));
    }
    Ok(Output {
        text,
        json: serde_json::to_value(&entries)?,
    })
}

/// A case as `by` may read it (in full only when the caller checked `full`'s permission);
/// the read is audited.
pub async fn show(
    services: &Services,
    case_no: &str,
    by: &Acting,
    full: bool,
) -> anyhow::Result<Output> {
    let no = CaseNo::parse(case_no)?;
    let CaseFile {
        case,
        tickets,
        print_jobs: jobs,
        history,
    } = services
        .read_case_file(&no, by, ReadPurpose::Show, full, chrono::Utc::now())
        .await
        .with_context(|| format!("case {no}"))?;

    let lang = services.config().lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut text = format!(
        "{} {}  {} {}\n{} {} ({}, {})\n{} {}\n",
        l("案件", "Case"),
        case.case_no,
        l("登记", "registered"),
        local_time(&case.created_at).format("%Y-%m-%d %H:%M:%S"),
        l("申请人", "Applicant"),
        case.applicant_masked,
        case.applicant_id_masked,
        case.applicant_phone_masked,
        l("被申请人", "Counterparty"),
        case.counterparty_name,
    );
    if let Some(r) = case.route {
        text.push_str(&format!("{} {}\n", l("分流", "Route"), r.label(lang)));
    }
    if let Some(to) = case.referral_to {
        text.push_str(&format!(
            "{} {}\n",
            l("转介至", "Referred to"),
            to.label(lang)
        ));
    }
    if !case.flags.is_empty() {
        let f: Vec<&str> = case.flags.iter().map(|f| f.label(lang)).collect();
        text.push_str(&format!(
            "{} {}\n",
            l("标记", "Flags"),
            f.join(l("、", ", "))
        ));
    }
    if !case.decision.also.is_empty() {
        let a: Vec<&str> = case.decision.also.iter().map(|a| a.label(lang)).collect();
        text.push_str(&format!(
            "{} {}\n",
            l("同时可", "Also"),
            a.join(l("、", ", "))
        ));
    }
    for t in &tickets {
        text.push_str(&format!(
            "{} {}\n",
            l("排队号", "Ticket"),
            labels::ticket_line(t, lang)
        ));
    }
    for j in &jobs {
        let (kind, state) = labels::print_job(j, lang);
        text.push_str(&format!(
            "{} {} {kind} {state} ({}{})\n",
            l("打印任务", "Print job"),
            j.id,
            l("尝试次数 ", "attempts "),
            j.attempts
        ));
    }
    if !history.is_empty() {
        text.push_str(&format!("{}\n", l("办理记录", "History")));
    }
    for h in &history {
        text.push_str(&format!(
            "{}  {}{}\n",
            local_time(&h.at).format("%Y-%m-%d %H:%M:%S"),
            labels::audit_event(&h.event, lang),
            who(h.staff_no.as_ref(), h.window_no, lang),
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

/// Who did it and where, by the numbers people use (never row ids).
fn who(staff: Option<&StaffNo>, window: Option<WindowNo>, lang: Lang) -> String {
    let mut s = String::new();
    if let Some(no) = staff {
        s.push_str(&format!(" {} {no}", lang.pick("工号", "staff")));
    }
    if let Some(w) = window {
        s.push_str(&format!(" {} {w}", lang.pick("窗口", "window")));
    }
    if s.is_empty() {
        String::new()
    } else {
        format!("  ({})", s.trim_start())
    }
}
