//! What the commands print for people: an audit entry, a ticket, a print job, said in labels of
//! the chosen language (`--lang`, zh-CN by default), never in the codes `--json` keeps.
//!
//! Every word comes from a label table (`label(lang)` of the code enums, [`AuditKind`] of the
//! audit log, [`Permission`] of the access rules) or from [`Lang::pick`] beside it, so a command
//! in English shows no Chinese term and neither language shows a stored code.
//!
//! [`AuditKind`]: crate::domain::audit::AuditKind

use crate::app::auth::Permission;
use crate::domain::audit::AuditEvent;
use crate::domain::numbering::local_time;
use crate::domain::{Lang, Route};
use crate::storage::{PrintJob, Ticket};

/// The label of `code` in a vocabulary, or the text as stored when this version does not know
/// it (a free text field such as the alert kind).
fn or_stored<'a>(label: Option<&'static str>, stored: &'a str) -> &'a str {
    label.unwrap_or(stored)
}

fn routes(list: &[Route], lang: Lang) -> String {
    let sep = lang.pick("、", ", ");
    list.iter()
        .map(|r| r.label(lang))
        .collect::<Vec<_>>()
        .join(sep)
}

/// One audit entry as a line a person reads: its kind, then what it concerns.
pub fn audit_event(event: &AuditEvent, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut s = event.label(lang).to_string();
    let mut add = |part: String| {
        s.push(' ');
        s.push_str(&part);
    };
    match event {
        AuditEvent::CaseRegistered {
            case_no,
            route,
            ticket_no,
            route_override,
            ..
        } => {
            add(case_no.to_string());
            if let Some(r) = route {
                add(r.label(lang).to_string());
            }
            if let Some(t) = ticket_no {
                add(format!("{} {t}", l("排队号", "ticket")));
            }
            if let Some(o) = route_override {
                let from = o.from.map(|r| r.label(lang)).unwrap_or("-");
                add(format!(
                    "{} {from} → {}{}{}",
                    l("改派", "overridden"),
                    o.to.label(lang),
                    l("：", ": "),
                    o.reason
                ));
            }
        }
        AuditEvent::TicketIssued {
            ticket_no,
            priority,
            route,
        } => {
            add(ticket_no.to_string());
            if let Some(r) = route {
                add(r.label(lang).to_string());
            }
            if *priority {
                add(crate::domain::Flag::Priority.label(lang).to_string());
            }
        }
        AuditEvent::Called { ticket_no } => add(ticket_no.to_string()),
        AuditEvent::Recalled { ticket_no }
        | AuditEvent::NoShow { ticket_no }
        | AuditEvent::Started { ticket_no } => {
            if let Some(t) = ticket_no {
                add(t.to_string());
            }
        }
        AuditEvent::Transferred {
            from_ticket_no,
            to_ticket_no,
            reason,
            to_route,
            ..
        } => {
            add(format!("{from_ticket_no} → {to_ticket_no}"));
            if let Some(r) = to_route {
                add(r.label(lang).to_string());
            }
            add(format!("{}{reason}", l("原因：", "reason: ")));
        }
        AuditEvent::Finished { outcome, ticket_no } => {
            if let Some(t) = ticket_no {
                add(t.to_string());
            }
            add(format!(
                "{}{}",
                l("结果：", "outcome: "),
                outcome.label(lang)
            ));
        }
        AuditEvent::Reprinted {
            kind,
            print_job,
            new_print_job,
        } => add(format!(
            "{} {} {print_job} → {new_print_job}",
            kind.label(lang),
            l("打印任务", "print job")
        )),
        AuditEvent::PrintJobResolved {
            kind,
            print_job,
            came_out,
        } => add(format!(
            "{} {} {print_job}{}",
            kind.label(lang),
            l("打印任务", "print job"),
            if *came_out {
                l("：已打出", ": came out")
            } else {
                l("：未打出，补打", ": did not come out, printed again")
            }
        )),
        AuditEvent::PrintJobMoved {
            print_job,
            to_window,
            ..
        } => add(format!(
            "{} {print_job}{}",
            l("打印任务", "print job"),
            match to_window {
                Some(_) => l("：改到其他窗口", ": to another window"),
                None => l("：由首个空闲打印机打印", ": to the first printer free"),
            }
        )),
        AuditEvent::SignedIn { window } | AuditEvent::SignedOut { window } => match window {
            Some(w) => add(format!("{} {w}", l("窗口", "window"))),
            None => add(l("值班负责人看板", "supervisor's console").to_string()),
        },
        AuditEvent::SignInFailed {
            failed_attempts,
            locked_until,
            staff_no,
        } => {
            if let Some(no) = staff_no {
                add(format!("{} {no}", l("工号", "staff no.")));
            }
            add(format!(
                "{}{failed_attempts}",
                l("连续失败次数：", "failed attempts: ")
            ));
            if let Some(t) = locked_until {
                add(format!(
                    "{}{}",
                    l("锁定至 ", "locked until "),
                    local_time(t).format("%Y-%m-%d %H:%M")
                ));
            }
        }
        AuditEvent::SignInWhileLocked {
            locked_until,
            staff_no,
        } => {
            if let Some(no) = staff_no {
                add(format!("{} {no}", l("工号", "staff no.")));
            }
            add(format!(
                "{}{}",
                l("锁定至 ", "locked until "),
                local_time(locked_until).format("%Y-%m-%d %H:%M")
            ));
        }
        AuditEvent::StaffUnlocked { staff_no, .. } => {
            add(format!("{} {staff_no}", l("工号", "staff no.")))
        }
        AuditEvent::StaffSaved {
            staff_no,
            role,
            active,
            pin_set,
        } => {
            add(format!(
                "{} {staff_no} {}",
                l("工号", "staff no."),
                role.label(lang)
            ));
            if !active {
                add(l("（已停用）", "(deactivated)").to_string());
            }
            if *pin_set {
                add(l("（已设密码）", "(PIN set)").to_string());
            }
        }
        AuditEvent::AccessRefused {
            operation,
            needs,
            staff_no,
        } => {
            add(operation.clone());
            add(format!(
                "{}{}",
                l("需要权限：", "needs: "),
                or_stored(Permission::from_code(needs).map(|p| p.label(lang)), needs)
            ));
            if let Some(no) = staff_no {
                add(format!("{} {no}", l("工号", "staff no.")));
            }
        }
        AuditEvent::CaseRead {
            case_no,
            purpose,
            unmasked,
            results,
        } => {
            add(purpose.label(lang).to_string());
            if let Some(no) = case_no {
                add(no.to_string());
            }
            if *unmasked {
                add(l("（完整个人信息）", "(in full)").to_string());
            }
            if let Some(n) = results {
                add(format!("{}{n}", l("结果数：", "results: ")));
            }
        }
        AuditEvent::AlertAcknowledged { key, kind, note } => {
            // The kind is the dashboard's name of a flag or an alert; a flag shows its label.
            let flag = crate::domain::Flag::ALL
                .iter()
                .find(|f| f.code().eq_ignore_ascii_case(kind) || format!("{f:?}") == *kind);
            add(format!(
                "{key} {}",
                or_stored(flag.map(|f| f.label(lang)), kind)
            ));
            if let Some(n) = note {
                add(format!("{}{n}", l("备注：", "note: ")));
            }
        }
        AuditEvent::WindowReassigned {
            number,
            before_routes,
            routes: now,
            ..
        } => {
            add(format!("{} {number}", l("窗口", "window")));
            add(format!(
                "{} → {}",
                routes(before_routes, lang),
                routes(now, lang)
            ));
        }
        AuditEvent::FollowUpRecorded { result_chars } => {
            add(format!("{}{result_chars}", l("记录字数：", "characters: ")))
        }
        AuditEvent::CaseAnonymised { case_no, .. } => add(case_no.to_string()),
        AuditEvent::BackupWritten {
            cases,
            tickets,
            audit_rows,
        }
        | AuditEvent::BackupRestored {
            cases,
            tickets,
            audit_rows,
        } => add(format!(
            "{cases} {}, {tickets} {}, {audit_rows} {}",
            l("件案件", "cases"),
            l("个排队号", "tickets"),
            l("条记录", "audit entries")
        )),
        AuditEvent::Unknown { details, .. } => {
            add(serde_json::Value::Object(details.clone()).to_string())
        }
    }
    s
}

/// A ticket as the queue commands list it: number, state, queue, and how it ended.
pub fn ticket_line(t: &Ticket, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut s = format!(
        "{} {} {}{} {}{}",
        t.ticket_no,
        t.state.label(lang),
        t.route.label(lang),
        if t.priority {
            format!(" {}", crate::domain::Flag::Priority.label(lang))
        } else {
            String::new()
        },
        l("取号 ", "issued "),
        local_time(&t.original_issued_at).format("%H:%M:%S"),
    );
    if let Some(o) = t.outcome {
        s.push_str(&format!(" {}{}", l("结果：", "outcome: "), o.label(lang)));
    }
    if let Some(r) = &t.transfer_reason {
        s.push_str(&format!(" {}{r}", l("转移原因：", "transferred: ")));
    }
    s
}

/// A print job as `print jobs` and `case show` name it: kind and state in words.
pub fn print_job(j: &PrintJob, lang: Lang) -> (&'static str, &'static str) {
    (j.kind.label(lang), j.state.label(lang))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::audit::RouteOverride;
    use crate::domain::{Outcome, TicketNo};

    #[test]
    fn an_entry_reads_in_labels_in_either_language() {
        let transfer = AuditEvent::Transferred {
            from_ticket_no: TicketNo::new("T", 1),
            to_ticket_no: TicketNo::new("Z", 2),
            to_ticket: 9,
            reason: "调解不成".into(),
            from_route: Some(Route::LaborMediation),
            from_queue: Some("T".into()),
            to_route: Some(Route::Arbitration),
            to_queue: Some("Z".into()),
        };
        let zh = audit_event(&transfer, Lang::Zh);
        assert!(zh.starts_with("转移 T001 → Z002 劳动人事争议仲裁"), "{zh}");
        let en = audit_event(&transfer, Lang::En);
        assert!(
            en.starts_with("Transferred T001 → Z002 Labour-dispute arbitration"),
            "{en}"
        );

        let finished = AuditEvent::Finished {
            outcome: Outcome::NotMediated,
            ticket_no: Some(TicketNo::new("T", 1)),
        };
        assert_eq!(audit_event(&finished, Lang::Zh), "办结 T001 结果：调解不成");
        assert_eq!(
            audit_event(&finished, Lang::En),
            "Finished T001 outcome: Not mediated"
        );

        let registered = AuditEvent::CaseRegistered {
            case_no: crate::domain::CaseNo::parse("TEST-20260310-0001").unwrap(),
            route: Some(Route::Arbitration),
            ticket_no: Some(TicketNo::new("Z", 1)),
            print_jobs: vec![1],
            route_override: Some(RouteOverride {
                from: Some(Route::LaborMediation),
                to: Route::Arbitration,
                reason: "已调解不成".into(),
            }),
        };
        let en = audit_event(&registered, Lang::En);
        assert!(
            en.contains("overridden Labour-dispute mediation → Labour-dispute arbitration"),
            "{en}"
        );
        // Codes that are not English words (`arbitration` is both, and so may appear).
        for code in [
            "intake",
            "labor_mediation",
            "TEST-20260310-0001 arbitration",
        ] {
            assert!(!en.contains(code), "{code} in {en}");
        }
    }
}
