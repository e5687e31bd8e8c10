//! `onewindow case show CASE_NO [--full]`: a case with its decision, tickets, print jobs and
//! history, masked unless a supervisor asks for it in full; `case audit CASE_NO`: every audit
//! entry of a case, reads included (supervisors). Both signed in and audited.

use super::Output;
use super::auth::SignInArgs;
use crate::app::auth::Permission;
use crate::app::cases::CaseFile;
use crate::app::{Acting, Services};
use crate::config::Config;
use crate::domain::audit::AuditEvent;
use crate::domain::numbering::{CaseNo, local_time};
use crate::domain::{Lang, ReadPurpose};
use crate::i18n::{cli::Strings, fill};
use crate::storage::AuditEntry;
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
    let lang = services.config().lang;
    let case = services
        .case_record(&no)
        .await
        .with_context(|| fill(Strings::get(lang).case_n, &[("no", no.as_str())]))?;
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
    let mut text = format!("{} {no}\n", Strings::get(lang).audit_heading);
    for e in &entries {
        text.push_str(&format!(
            "{}  {}  {}\n",
            local_time(&e.at).format("%Y-%m-%d %H:%M:%S"),
            described(e, lang),
            who(e, lang),
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
    let lang = services.config().lang;
    let l = Strings::get(lang);
    let CaseFile {
        case,
        tickets,
        print_jobs: jobs,
        history,
    } = services
        .read_case_file(&no, by, ReadPurpose::Show, full, chrono::Utc::now())
        .await
        .with_context(|| fill(l.case_n, &[("no", no.as_str())]))?;

    // In full (a supervisor's `--full`, checked and audited as such) the text shows what the
    // JSON does; otherwise the masked forms, as on paper. Typed text is shown printable only.
    let a = &case.record.applicant;
    let (name, id, phone) = if full {
        (
            crate::domain::text::quote(&a.name),
            crate::domain::text::quote(&a.id_number),
            crate::domain::text::quote(&a.phone),
        )
    } else {
        (
            case.applicant_masked.clone(),
            case.applicant_id_masked.clone(),
            case.applicant_phone_masked.clone(),
        )
    };
    let sep = l.list_sep;
    let mut text = format!(
        "{} {}  {} {}\n{} {name} ({id}, {phone})\n{} {}\n",
        l.case,
        case.case_no,
        l.registered,
        local_time(&case.created_at).format("%Y-%m-%d %H:%M:%S"),
        l.applicant,
        l.counterparty,
        case.counterparty_name,
    );
    if let Some(r) = case.route {
        text.push_str(&format!("{} {}\n", l.route, r.label(lang)));
    }
    if let Some(to) = case.referral_to {
        text.push_str(&format!("{} {}\n", l.referred_to, to.label(lang)));
    }
    if !case.flags.is_empty() {
        let f: Vec<&str> = case.flags.iter().map(|f| f.label(lang)).collect();
        text.push_str(&format!("{} {}\n", l.flags, f.join(sep)));
    }
    if !case.decision.also.is_empty() {
        let a: Vec<&str> = case.decision.also.iter().map(|a| a.label(lang)).collect();
        text.push_str(&format!("{} {}\n", l.also, a.join(sep)));
    }
    for t in &tickets {
        text.push_str(&format!("{} {}\n", l.ticket, super::queue::line(t, lang)));
    }
    for j in &jobs {
        text.push_str(&format!(
            "{} {} {} {} ({} {})\n",
            l.print_job,
            j.id,
            j.kind.label(lang),
            j.state.label(lang),
            l.attempts,
            j.attempts
        ));
    }
    if !history.is_empty() {
        text.push_str(&format!("{}\n", l.history));
    }
    for h in &history {
        text.push_str(&format!(
            "{}  {}  {}\n",
            local_time(&h.at).format("%Y-%m-%d %H:%M:%S"),
            described(h, lang),
            who(h, lang),
        ));
    }
    // Follow-up calls (issue 14), in the site's language like `followup show`.
    let followups = services.followup_records(case.id).await?;
    for f in &followups {
        use crate::app::followup::{contact_label, satisfied_label};
        text.push_str(&format!(
            "{} {} {} {} {}\n",
            l.followup,
            local_time(&f.at).format("%Y-%m-%d %H:%M"),
            contact_label(f.contact, lang),
            satisfied_label(f.satisfied, lang),
            f.note
                .chars()
                .map(|c| if c == '\n' { ' ' } else { c })
                .filter(|c| !crate::domain::text::is_hidden(*c))
                .collect::<String>(),
        ));
    }
    Ok(Output {
        text,
        json: serde_json::json!({
            "case": case,
            "tickets": tickets,
            "print_jobs": jobs,
            "history": history,
            "followups": followups,
        }),
    })
}

/// An audit entry as a person reads it in `lang` (`--json` keeps the codes): the kiosk's own
/// wording for what happened to the case (a transfer names its new ticket and queue), the
/// audit log's label table ([`AuditKind`](crate::domain::audit::AuditKind)) for reads, refusals
/// and bookkeeping, the stored action only for one this version does not know.
fn described(e: &AuditEntry, lang: Lang) -> String {
    let strings = crate::i18n::kiosk::strings(lang);
    let words = Strings::get(lang);
    let lines: Vec<String> = crate::app::cases::history_entries(e)
        .iter()
        .map(|h| (strings.event)(&h.event))
        .collect();
    if !lines.is_empty() {
        return lines.join(words.clause_sep);
    }
    let mut s = e.event.label(lang).to_string();
    // A read says what for and whether in full: who saw a worker's data is what the log is for.
    if let AuditEvent::CaseRead {
        purpose, unmasked, ..
    } = &e.event
    {
        s.push_str(&format!("{}{}", words.colon, purpose.label(lang)));
        if *unmasked {
            s.push_str(words.in_full);
        }
    }
    s
}

/// Who did it and where, by the numbers people use (never row ids).
fn who(e: &AuditEntry, lang: Lang) -> String {
    let words = Strings::get(lang);
    format!(
        "{} {}  {} {}",
        words.staff,
        e.staff_no.as_ref().map(|s| s.as_str()).unwrap_or("-"),
        words.window,
        e.window_no
            .map(|w| w.to_string())
            .unwrap_or_else(|| "-".into()),
    )
}
