//! What the audit log records: one typed event per thing a person did, written by one writer in
//! storage and read back by one reader, so a case's history is rendered from these variants and
//! never from strings matched in several places.
//!
//! In the database an event is two columns: `action` (the serde tag, the same strings the log has
//! always used) and `details` (the other fields as JSON). Fields added since a variant was first
//! written are `#[serde(default)]`, so rows already in the field keep reading; a row whose action
//! is unknown here, or whose details do not fit its variant, reads as [`AuditEvent::Unknown`]
//! with its data kept as stored.
//!
//! Row ids of print jobs, windows and queues appear where the log has always stored them; they
//! identify records and are never shown to people.

use super::Lang;
use super::codes::{Outcome, PrintKind, ReadPurpose, ReferralTo, Route, StaffRole, codes};
use super::numbering::{CaseNo, TicketNo};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

codes! {
    /// What kind of thing an audit entry records: the log's actions (the serde tags of
    /// [`AuditEvent`]) with the words a person reads for each, the one label table that
    /// `case audit`, a case's history and every other reader of the log use.
    pub enum AuditKind {
        CaseRegistered = "intake", "登记案件", "Case registered";
        TicketIssued = "issue", "出号", "Ticket issued";
        Called = "ticket_called", "叫号", "Called";
        Recalled = "ticket_recalled", "重呼", "Called again";
        NoShow = "ticket_no_show", "过号", "No-show";
        Started = "ticket_started", "开始办理", "Service started";
        Transferred = "ticket_transferred", "转移", "Transferred";
        Finished = "ticket_finished", "办结", "Finished";
        Reprinted = "reprint", "补打", "Reprinted";
        PrintJobResolved = "print_job_resolved", "确认打印结果", "Print result confirmed";
        PrintJobMoved = "print_job_moved", "改由其他打印机打印", "Print job moved";
        SignedIn = "sign_in", "登录", "Signed in";
        SignInFailed = "sign_in_failed", "登录失败", "Sign-in failed";
        SignInWhileLocked = "sign_in_while_locked", "锁定期间尝试登录", "Sign-in attempt while locked";
        SignedOut = "sign_out", "退出登录", "Signed out";
        StaffUnlocked = "staff_unlocked", "解除锁定", "Lock-out ended";
        StaffSaved = "staff_saved", "保存工作人员", "Staff member saved";
        AccessRefused = "access_refused", "拒绝访问", "Access refused";
        CaseRead = "case_read", "查阅个人信息", "Personal data read";
        AlertAcknowledged = "alert_acknowledged", "确认提醒", "Alert acknowledged";
        WindowReassigned = "window_reassigned", "调整窗口队列", "Window's queues changed";
        FollowUpRecorded = "followup_recorded", "记录回访", "Follow-up recorded";
        CaseAnonymised = "case_anonymised", "个人信息匿名化", "Case anonymised";
        BackupWritten = "backup_written", "备份数据库", "Backup written";
        BackupRestored = "backup_restored", "恢复备份", "Backup restored";
    }
}

/// A clerk sent a case elsewhere than the classification did, and said why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteOverride {
    pub from: Option<Route>,
    pub to: Route,
    /// The referral target of an override to a referral.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_to: Option<ReferralTo>,
    pub reason: String,
}

/// One thing a person (or a window's print runner) did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action")]
pub enum AuditEvent {
    /// A case was registered, with its ticket and paper when it got them.
    #[serde(rename = "intake")]
    CaseRegistered {
        case_no: CaseNo,
        route: Option<Route>,
        ticket_no: Option<TicketNo>,
        /// Row ids of the print jobs queued with it.
        #[serde(default)]
        print_jobs: Vec<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        route_override: Option<RouteOverride>,
    },
    /// A ticket issued outside an intake (a walk-in, a manual ticket).
    #[serde(rename = "issue")]
    TicketIssued {
        ticket_no: TicketNo,
        priority: bool,
        #[serde(default)]
        route: Option<Route>,
    },
    #[serde(rename = "ticket_called")]
    Called { ticket_no: TicketNo },
    #[serde(rename = "ticket_recalled")]
    Recalled {
        #[serde(default)]
        ticket_no: Option<TicketNo>,
    },
    #[serde(rename = "ticket_no_show")]
    NoShow {
        #[serde(default)]
        ticket_no: Option<TicketNo>,
    },
    #[serde(rename = "ticket_started")]
    Started {
        #[serde(default)]
        ticket_no: Option<TicketNo>,
    },
    /// The ticket ended `transferred` and a new one waits in the target queue, keeping its place.
    #[serde(rename = "ticket_transferred")]
    Transferred {
        #[serde(rename = "from")]
        from_ticket_no: TicketNo,
        #[serde(rename = "to")]
        to_ticket_no: TicketNo,
        /// Row id of the new ticket.
        to_ticket: i64,
        reason: String,
        #[serde(default)]
        from_route: Option<Route>,
        #[serde(default)]
        from_queue: Option<String>,
        #[serde(default)]
        to_route: Option<Route>,
        #[serde(default)]
        to_queue: Option<String>,
    },
    #[serde(rename = "ticket_finished")]
    Finished {
        outcome: Outcome,
        #[serde(default)]
        ticket_no: Option<TicketNo>,
    },
    /// A copy of a printed or failed paper was queued.
    #[serde(rename = "reprint")]
    Reprinted {
        kind: PrintKind,
        print_job: i64,
        new_print_job: i64,
    },
    /// A person said whether an unconfirmed paper came out (`came_out`), or asked for it again.
    #[serde(rename = "print_job_resolved")]
    PrintJobResolved {
        kind: PrintKind,
        print_job: i64,
        came_out: bool,
    },
    /// Waiting paper was sent to another window's printer (`None`: the first one free).
    #[serde(rename = "print_job_moved")]
    PrintJobMoved {
        print_job: i64,
        from_window: Option<i64>,
        to_window: Option<i64>,
    },
    #[serde(rename = "sign_in")]
    SignedIn {
        /// The number of the window signed in at; none for the supervisor's console.
        #[serde(default)]
        window: Option<i64>,
    },
    /// A wrong PIN (or an unknown number, or a role short of what the place needs);
    /// `locked_until` when the number is locked. `staff_no` is the number typed when no staff
    /// member has it.
    #[serde(rename = "sign_in_failed")]
    SignInFailed {
        failed_attempts: i64,
        #[serde(default)]
        locked_until: Option<DateTime<Utc>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff_no: Option<String>,
    },
    /// An attempt on a locked number, refused without its PIN being checked.
    #[serde(rename = "sign_in_while_locked")]
    SignInWhileLocked {
        locked_until: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff_no: Option<String>,
    },
    /// A clerk left the window (sign-out key, idle lock, the kiosk closed).
    #[serde(rename = "sign_out")]
    SignedOut {
        #[serde(default)]
        window: Option<i64>,
    },
    /// A supervisor ended a lock-out before its time.
    #[serde(rename = "staff_unlocked")]
    StaffUnlocked {
        staff_no: String,
        #[serde(default)]
        locked_until: Option<DateTime<Utc>>,
    },
    /// A staff member was created or changed (never the PIN itself, only that one was set).
    #[serde(rename = "staff_saved")]
    StaffSaved {
        staff_no: String,
        role: StaffRole,
        active: bool,
        pin_set: bool,
    },
    /// Something was asked that the acting staff member (or nobody signed in) may not do.
    #[serde(rename = "access_refused")]
    AccessRefused {
        /// What was asked: `case show`, `db staff`, …
        operation: String,
        /// The permission it needs.
        needs: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff_no: Option<String>,
    },
    /// Personal data was read: a case opened, shown, exported or printed, or a search run.
    #[serde(rename = "case_read")]
    CaseRead {
        #[serde(default)]
        case_no: Option<CaseNo>,
        purpose: ReadPurpose,
        /// Whether ID numbers and phones were shown in full.
        #[serde(default)]
        unmasked: bool,
        /// How many cases a search or an export returned.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        results: Option<usize>,
    },
    #[serde(rename = "alert_acknowledged")]
    AlertAcknowledged {
        /// The alert's subject, as the dashboard keys it.
        key: String,
        #[serde(default)]
        kind: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A supervisor changed the queues a window serves.
    #[serde(rename = "window_reassigned")]
    WindowReassigned {
        number: i64,
        /// Row ids of the queues served before.
        #[serde(default)]
        before: Vec<i64>,
        #[serde(default)]
        before_routes: Vec<Route>,
        routes: Vec<Route>,
    },
    /// The result of a follow-up call; only its length is logged, the text is in `followups`.
    #[serde(rename = "followup_recorded")]
    FollowUpRecorded {
        result_chars: usize,
        /// How the call went (absent in entries written before results were structured).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contact: Option<super::followup::FollowUpContact>,
    },
    /// `db purge`: the case closed before `closed_before` and its personal fields were removed.
    #[serde(rename = "case_anonymised")]
    CaseAnonymised {
        case_no: CaseNo,
        closed_before: DateTime<Utc>,
    },
    /// `db backup`: a copy of the whole database was written (counts as of its snapshot).
    #[serde(rename = "backup_written")]
    BackupWritten {
        cases: i64,
        tickets: i64,
        audit_rows: i64,
    },
    /// `db restore`: the database was replaced by a backup holding these rows.
    #[serde(rename = "backup_restored")]
    BackupRestored {
        cases: i64,
        tickets: i64,
        audit_rows: i64,
    },
    /// A row this version does not know, kept as stored.
    #[serde(untagged)]
    Unknown {
        action: String,
        #[serde(flatten)]
        details: serde_json::Map<String, serde_json::Value>,
    },
}

impl AuditEvent {
    // The tags, for queries by action (they are the serde renames above; a test keeps them equal).
    pub const INTAKE: &str = "intake";
    pub const ISSUE: &str = "issue";
    pub const TICKET_CALLED: &str = "ticket_called";
    pub const TICKET_RECALLED: &str = "ticket_recalled";
    pub const TICKET_NO_SHOW: &str = "ticket_no_show";
    pub const TICKET_STARTED: &str = "ticket_started";
    pub const TICKET_TRANSFERRED: &str = "ticket_transferred";
    pub const TICKET_FINISHED: &str = "ticket_finished";
    pub const REPRINT: &str = "reprint";
    pub const PRINT_JOB_MOVED: &str = "print_job_moved";
    pub const PRINT_JOB_RESOLVED: &str = "print_job_resolved";
    pub const SIGN_IN: &str = "sign_in";
    pub const SIGN_IN_FAILED: &str = "sign_in_failed";
    pub const SIGN_IN_WHILE_LOCKED: &str = "sign_in_while_locked";
    pub const SIGN_OUT: &str = "sign_out";
    pub const STAFF_UNLOCKED: &str = "staff_unlocked";
    pub const STAFF_SAVED: &str = "staff_saved";
    pub const ACCESS_REFUSED: &str = "access_refused";
    pub const CASE_READ: &str = "case_read";
    pub const ALERT_ACKNOWLEDGED: &str = "alert_acknowledged";
    pub const WINDOW_REASSIGNED: &str = "window_reassigned";
    pub const FOLLOWUP_RECORDED: &str = "followup_recorded";
    pub const CASE_ANONYMISED: &str = "case_anonymised";
    pub const BACKUP_WRITTEN: &str = "backup_written";
    pub const BACKUP_RESTORED: &str = "backup_restored";

    /// What kind of entry this is; `None` for a row this version does not know.
    pub fn kind(&self) -> Option<AuditKind> {
        Some(match self {
            AuditEvent::CaseRegistered { .. } => AuditKind::CaseRegistered,
            AuditEvent::TicketIssued { .. } => AuditKind::TicketIssued,
            AuditEvent::Called { .. } => AuditKind::Called,
            AuditEvent::Recalled { .. } => AuditKind::Recalled,
            AuditEvent::NoShow { .. } => AuditKind::NoShow,
            AuditEvent::Started { .. } => AuditKind::Started,
            AuditEvent::Transferred { .. } => AuditKind::Transferred,
            AuditEvent::Finished { .. } => AuditKind::Finished,
            AuditEvent::Reprinted { .. } => AuditKind::Reprinted,
            AuditEvent::PrintJobMoved { .. } => AuditKind::PrintJobMoved,
            AuditEvent::PrintJobResolved { .. } => AuditKind::PrintJobResolved,
            AuditEvent::SignedIn { .. } => AuditKind::SignedIn,
            AuditEvent::SignInFailed { .. } => AuditKind::SignInFailed,
            AuditEvent::SignInWhileLocked { .. } => AuditKind::SignInWhileLocked,
            AuditEvent::SignedOut { .. } => AuditKind::SignedOut,
            AuditEvent::StaffUnlocked { .. } => AuditKind::StaffUnlocked,
            AuditEvent::StaffSaved { .. } => AuditKind::StaffSaved,
            AuditEvent::AccessRefused { .. } => AuditKind::AccessRefused,
            AuditEvent::CaseRead { .. } => AuditKind::CaseRead,
            AuditEvent::AlertAcknowledged { .. } => AuditKind::AlertAcknowledged,
            AuditEvent::WindowReassigned { .. } => AuditKind::WindowReassigned,
            AuditEvent::FollowUpRecorded { .. } => AuditKind::FollowUpRecorded,
            AuditEvent::CaseAnonymised { .. } => AuditKind::CaseAnonymised,
            AuditEvent::BackupWritten { .. } => AuditKind::BackupWritten,
            AuditEvent::BackupRestored { .. } => AuditKind::BackupRestored,
            AuditEvent::Unknown { .. } => return None,
        })
    }

    /// The `action` column: the tag the event is stored under.
    pub fn action(&self) -> &str {
        match (self.kind(), self) {
            (_, AuditEvent::Unknown { action, .. }) => action,
            (Some(kind), _) => kind.code(),
            // Only `Unknown` has no kind.
            (None, _) => "",
        }
    }

    /// What a person reads for the entry's kind; a row this version does not know shows its
    /// stored action, the only name it has.
    pub fn label(&self, lang: Lang) -> &str {
        match self.kind() {
            Some(kind) => kind.label(lang),
            None => self.action(),
        }
    }

    /// The event as its two columns: the action and the details object.
    pub fn to_parts(&self) -> (String, serde_json::Value) {
        let mut details = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            // Every variant is a struct, so serde gives an object; nothing else can come back.
            _ => serde_json::Map::new(),
        };
        details.remove("action");
        (
            self.action().to_string(),
            serde_json::Value::Object(details),
        )
    }

    /// The event stored as `action` and `details`. Never fails: what does not fit a known
    /// variant is kept as [`AuditEvent::Unknown`].
    pub fn from_parts(action: &str, details: serde_json::Value) -> AuditEvent {
        let mut map = match details {
            serde_json::Value::Object(map) => map,
            serde_json::Value::Null => serde_json::Map::new(),
            other => serde_json::Map::from_iter([("details".to_string(), other)]),
        };
        map.insert("action".into(), serde_json::Value::String(action.into()));
        // A known action whose details do not fit its variant lands in `Unknown` too (serde
        // tries the untagged variant last), so the row is kept as it is, never re-labelled.
        match serde_json::from_value::<AuditEvent>(serde_json::Value::Object(map.clone())) {
            Ok(event) => event,
            Err(_) => {
                map.remove("action");
                AuditEvent::Unknown {
                    action: action.into(),
                    details: map,
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one_of_each() -> Vec<AuditEvent> {
        let t = || TicketNo::new("T", 1);
        vec![
            AuditEvent::CaseRegistered {
                case_no: CaseNo::parse("TEST-20260310-0001").unwrap(),
                route: Some(Route::Arbitration),
                ticket_no: Some(t()),
                print_jobs: vec![1, 2],
                route_override: Some(RouteOverride {
                    from: Some(Route::LaborMediation),
                    to: Route::Arbitration,
                    referral_to: None,
                    reason: "已调解不成".into(),
                }),
            },
            AuditEvent::TicketIssued {
                ticket_no: t(),
                priority: true,
                route: Some(Route::LaborMediation),
            },
            AuditEvent::Called { ticket_no: t() },
            AuditEvent::Recalled {
                ticket_no: Some(t()),
            },
            AuditEvent::NoShow {
                ticket_no: Some(t()),
            },
            AuditEvent::Started {
                ticket_no: Some(t()),
            },
            AuditEvent::Transferred {
                from_ticket_no: t(),
                to_ticket_no: TicketNo::new("Z", 2),
                to_ticket: 9,
                reason: "转仲裁".into(),
                from_route: Some(Route::LaborMediation),
                from_queue: Some("T".into()),
                to_route: Some(Route::Arbitration),
                to_queue: Some("Z".into()),
            },
            AuditEvent::Finished {
                outcome: Outcome::Other,
                ticket_no: Some(t()),
            },
            AuditEvent::Reprinted {
                kind: PrintKind::Receipt,
                print_job: 3,
                new_print_job: 4,
            },
            AuditEvent::PrintJobMoved {
                print_job: 3,
                from_window: Some(1),
                to_window: None,
            },
            AuditEvent::PrintJobResolved {
                kind: PrintKind::Ticket,
                print_job: 3,
                came_out: false,
            },
            AuditEvent::SignedIn { window: Some(2) },
            AuditEvent::SignInFailed {
                failed_attempts: 5,
                locked_until: Some(DateTime::UNIX_EPOCH),
                staff_no: Some("X99".into()),
            },
            AuditEvent::SignInWhileLocked {
                locked_until: DateTime::UNIX_EPOCH,
                staff_no: None,
            },
            AuditEvent::SignedOut { window: Some(2) },
            AuditEvent::StaffUnlocked {
                staff_no: "C01".into(),
                locked_until: None,
            },
            AuditEvent::StaffSaved {
                staff_no: "C01".into(),
                role: StaffRole::Clerk,
                active: false,
                pin_set: true,
            },
            AuditEvent::AccessRefused {
                operation: "case show".into(),
                needs: "read_unmasked".into(),
                staff_no: Some("C01".into()),
            },
            AuditEvent::CaseRead {
                case_no: Some(CaseNo::parse("TEST-20260310-0001").unwrap()),
                purpose: ReadPurpose::Show,
                unmasked: false,
                results: None,
            },
            AuditEvent::AlertAcknowledged {
                key: "TEST-20260310-0001".into(),
                kind: "Collective".into(),
                note: Some("已通知".into()),
            },
            AuditEvent::WindowReassigned {
                number: 3,
                before: vec![1],
                before_routes: vec![Route::LaborMediation],
                routes: vec![Route::Arbitration],
            },
            AuditEvent::FollowUpRecorded {
                result_chars: 12,
                contact: Some(super::super::followup::FollowUpContact::Unreachable),
            },
            AuditEvent::CaseAnonymised {
                case_no: CaseNo::parse("TEST-20160310-0001").unwrap(),
                closed_before: DateTime::UNIX_EPOCH,
            },
            AuditEvent::BackupWritten {
                cases: 3,
                tickets: 4,
                audit_rows: 20,
            },
            AuditEvent::BackupRestored {
                cases: 3,
                tickets: 4,
                audit_rows: 20,
            },
        ]
    }

    #[test]
    fn every_event_is_stored_under_its_tag_and_reads_back_the_same() {
        for e in one_of_each() {
            let json = serde_json::to_value(&e).unwrap();
            assert_eq!(json["action"], e.action(), "{json}");
            let (action, details) = e.to_parts();
            assert_eq!(AuditEvent::from_parts(&action, details), e);
        }
    }

    #[test]
    fn every_kind_has_a_chinese_and_an_english_label() {
        let events = one_of_each();
        for kind in AuditKind::ALL {
            assert!(
                events.iter().any(|e| e.kind() == Some(*kind)),
                "{kind:?} has an example"
            );
            let (zh, en) = (kind.label(Lang::Zh), kind.label(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty(), "{kind:?}");
            assert_ne!(zh, kind.code(), "{kind:?}: a label, not the code");
            assert_ne!(en, kind.code(), "{kind:?}: a label, not the code");
            assert!(zh.chars().any(|c| c > '\u{2e80}'), "{kind:?} zh: {zh}");
            assert!(en.is_ascii(), "{kind:?} en: {en}");
        }
        // Every tag kept for queries names a kind, and no two kinds share a label.
        for tag in [
            AuditEvent::INTAKE,
            AuditEvent::ISSUE,
            AuditEvent::TICKET_CALLED,
            AuditEvent::TICKET_RECALLED,
            AuditEvent::TICKET_NO_SHOW,
            AuditEvent::TICKET_STARTED,
            AuditEvent::TICKET_TRANSFERRED,
            AuditEvent::TICKET_FINISHED,
            AuditEvent::REPRINT,
            AuditEvent::PRINT_JOB_MOVED,
            AuditEvent::PRINT_JOB_RESOLVED,
            AuditEvent::SIGN_IN,
            AuditEvent::SIGN_IN_FAILED,
            AuditEvent::SIGN_IN_WHILE_LOCKED,
            AuditEvent::SIGN_OUT,
            AuditEvent::STAFF_UNLOCKED,
            AuditEvent::STAFF_SAVED,
            AuditEvent::ACCESS_REFUSED,
            AuditEvent::CASE_READ,
            AuditEvent::ALERT_ACKNOWLEDGED,
            AuditEvent::WINDOW_REASSIGNED,
            AuditEvent::FOLLOWUP_RECORDED,
            AuditEvent::CASE_ANONYMISED,
            AuditEvent::BACKUP_WRITTEN,
            AuditEvent::BACKUP_RESTORED,
        ] {
            assert!(AuditKind::from_code(tag).is_some(), "{tag}");
        }
        for lang in [Lang::Zh, Lang::En] {
            let mut labels: Vec<&str> = AuditKind::ALL.iter().map(|k| k.label(lang)).collect();
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(labels.len(), AuditKind::ALL.len(), "{lang}: {labels:?}");
        }
        let unknown = AuditEvent::from_parts("door_opened", json!({}));
        assert_eq!(
            (unknown.kind(), unknown.label(Lang::En)),
            (None, "door_opened")
        );
    }

    #[test]
    fn the_action_is_the_serde_tag() {
        let e = AuditEvent::Transferred {
            from_ticket_no: TicketNo::new("T", 1),
            to_ticket_no: TicketNo::new("Z", 2),
            to_ticket: 9,
            reason: "调解不成".into(),
            from_route: Some(Route::LaborMediation),
            from_queue: Some("T".into()),
            to_route: Some(Route::Arbitration),
            to_queue: Some("Z".into()),
        };
        let (action, details) = e.to_parts();
        assert_eq!(action, "ticket_transferred");
        assert_eq!(details["from"], "T001");
        assert_eq!(details["to_route"], "arbitration");
        assert!(details.get("action").is_none(), "{details}");
        assert_eq!(AuditEvent::from_parts(&action, details), e);
    }

    #[test]
    fn rows_written_before_the_enum_still_read() {
        // As the hand-written inserts stored them, before from/to routes were recorded.
        let old = AuditEvent::from_parts(
            "ticket_transferred",
            json!({ "from": "T001", "to": "Z002", "to_ticket": 7, "reason": "仲裁" }),
        );
        assert_eq!(
            old,
            AuditEvent::Transferred {
                from_ticket_no: TicketNo::new("T", 1),
                to_ticket_no: TicketNo::new("Z", 2),
                to_ticket: 7,
                reason: "仲裁".into(),
                from_route: None,
                from_queue: None,
                to_route: None,
                to_queue: None,
            }
        );
        assert_eq!(
            AuditEvent::from_parts("ticket_recalled", json!({})),
            AuditEvent::Recalled { ticket_no: None }
        );
        assert_eq!(
            AuditEvent::from_parts("sign_in", json!({ "window": 3 })),
            AuditEvent::SignedIn { window: Some(3) }
        );
    }

    #[test]
    fn what_does_not_fit_is_kept_as_unknown() {
        let e = AuditEvent::from_parts("door_opened", json!({ "door": "east" }));
        assert_eq!(e.action(), "door_opened");
        assert_eq!(e.to_parts().1, json!({ "door": "east" }));
        // A known action whose details are damaged is not silently re-labelled.
        let bad = AuditEvent::from_parts("ticket_finished", json!({ "outcome": "finished" }));
        assert!(matches!(&bad, AuditEvent::Unknown { action, .. } if action == "ticket_finished"));
        assert_eq!(bad.to_parts().1, json!({ "outcome": "finished" }));
    }

    #[test]
    fn an_event_serialises_flat_with_its_action() {
        let e = AuditEvent::Finished {
            outcome: Outcome::Mediated,
            ticket_no: None,
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({ "action": "ticket_finished", "outcome": "mediated", "ticket_no": null })
        );
    }
}
