//! Follow-up calls (回访, issues 7 and 14): a case finished as mediated or referred, or routed to
//! a referral at intake, is due for a call `after_days` days after it ended (a referral: after it
//! was registered), until a call reaches the worker or the worker declines; an unreachable call
//! keeps it due. Records are append-only; each one also goes to the audit log.

use super::db::{Sql, Text};
use super::{AuditRecord, CaseId, Outcome, Result, SiteId, StaffId, StorageError, Store};
use crate::domain::Route;
use crate::domain::audit::AuditEvent;
use crate::domain::followup::{FollowUpContact, FollowUpResult, followed_up};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

/// A case due for its follow-up call. `phone` is the applicant's number in full, for the caller
/// to dial: the application layer hands it only to staff who may call, and audits the read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpDue {
    pub case_id: CaseId,
    pub case_no: String,
    pub route: Option<Route>,
    pub outcome: Option<Outcome>,
    /// When the case ended (or, for a referral without an outcome, was registered).
    pub ended_at: DateTime<Utc>,
    pub applicant_masked: String,
    pub phone_masked: String,
    /// Empty once the case is anonymised.
    pub phone: String,
    /// Unreachable calls so far.
    pub attempts: i64,
}

/// One recorded call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpRecord {
    pub case_no: String,
    pub at: DateTime<Utc>,
    pub staff_no: Option<String>,
    /// `None` for a call recorded before results were structured (free text only).
    pub contact: Option<FollowUpContact>,
    pub satisfied: Option<bool>,
    pub note: String,
    pub applicant_masked: String,
}

impl FollowUpRecord {
    /// Whether this record ended the follow-up (legacy free-text records did).
    pub fn closes(&self) -> bool {
        self.contact.is_none_or(FollowUpContact::closes)
    }
}

/// What became of an attempt to record a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    Stored(CaseId),
    /// Neither mediated nor referred, nor a referral: nobody calls about it.
    NotFollowedUp,
    /// Due only from this time.
    NotDueUntil(DateTime<Utc>),
    /// A call already reached the worker or was declined.
    AlreadyClosed(FollowUpRecord),
}

/// When a case ended: its finish if it has an outcome, else its registration (a referral).
const ENDED_AT: &str = "COALESCE(f.finished_at, c.created_at)";

fn due_where() -> String {
    // The three ways a case becomes due, each read through an index (0010, 0028) and only then
    // joined: one condition over `COALESCE(finished_at, created_at)` read every case of the site,
    // a million in a busy month, on every reload of the dashboard. The outer query repeats no
    // site condition: SQLite then read the site's cases to probe the three parts.
    format!(
        "FROM (SELECT case_id FROM case_facts WHERE site_id = $1 \
              AND outcome IN ('mediated', 'referred') AND finished_at <= $2 \
              UNION ALL SELECT e.case_id FROM case_facts e JOIN cases d ON d.id = e.case_id \
              WHERE e.site_id = $1 AND e.outcome IN ('mediated', 'referred') \
              AND e.finished_at IS NULL AND d.created_at <= $2 \
              UNION ALL SELECT e.case_id FROM case_facts e JOIN cases d ON d.id = e.case_id \
              WHERE e.site_id = $1 AND e.route = 'referral' AND e.outcome IS NULL \
              AND d.created_at <= $2) AS due \
         JOIN case_facts f ON f.case_id = due.case_id JOIN cases c ON c.id = f.case_id \
         WHERE {ENDED_AT} <= $2 \
         AND NOT EXISTS (SELECT 1 FROM followups u WHERE u.case_id = f.case_id \
              AND (u.contact IS NULL OR u.contact <> 'unreachable'))"
    )
}

fn cutoff(now: DateTime<Utc>, after_days: i64) -> DateTime<Utc> {
    now - TimeDelta::days(after_days)
}

type DueRow = (
    CaseId,
    String,
    Option<Text<Route>>,
    Option<Text<Outcome>>,
    DateTime<Utc>,
    String,
    String,
    Option<String>,
    i64,
);

/// Cases due at `now`, the longest due first.
#[tracing::instrument(skip_all, err)]
pub async fn due(
    store: &Store,
    site: SiteId,
    now: DateTime<Utc>,
    after_days: i64,
    limit: i64,
) -> Result<Vec<FollowUpDue>> {
    let mut c = store.read().await?;
    let sql = format!(
        "SELECT c.id, c.case_no, f.route, f.outcome, {ENDED_AT}, c.applicant_name, \
         c.applicant_phone_masked, {phone}, \
         (SELECT COUNT(*) FROM followups u WHERE u.case_id = c.id) \
         {where_} ORDER BY {ENDED_AT}, c.id LIMIT $3",
        phone = c.dialect().record_phone,
        where_ = due_where()
    );
    let rows: Vec<DueRow> = c
        .fetch_all(
            Sql::built(sql)
                .bind(site)
                .bind(cutoff(now, after_days))
                .bind(limit),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(case_id, case_no, route, outcome, ended_at, name, masked, phone, attempts)| {
                FollowUpDue {
                    case_id,
                    case_no,
                    route: route.map(|r| r.0),
                    outcome: outcome.map(|o| o.0),
                    ended_at,
                    applicant_masked: crate::domain::mask::mask_name(&name),
                    phone_masked: masked,
                    phone: phone.unwrap_or_default(),
                    attempts,
                }
            },
        )
        .collect())
}

/// How many cases are due at `now` (the dashboard's count).
#[tracing::instrument(skip_all, err)]
pub async fn due_count(
    store: &Store,
    site: SiteId,
    now: DateTime<Utc>,
    after_days: i64,
) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) {}", due_where());
    store
        .read()
        .await?
        .scalar(Sql::built(sql).bind(site).bind(cutoff(now, after_days)))
        .await
}

type RecordRow = (
    String,
    DateTime<Utc>,
    Option<String>,
    Option<Text<FollowUpContact>>,
    Option<bool>,
    String,
    String,
);

const RECORDS: &str = "SELECT c.case_no, u.at, s.code, u.contact, u.satisfied, u.result, \
     c.applicant_name FROM followups u JOIN cases c ON c.id = u.case_id \
     LEFT JOIN staff s ON s.id = u.staff_id";

fn record_of(r: RecordRow) -> FollowUpRecord {
    let (case_no, at, staff_no, contact, satisfied, note, name) = r;
    FollowUpRecord {
        case_no,
        at,
        staff_no,
        contact: contact.map(|c| c.0),
        satisfied,
        note,
        applicant_masked: crate::domain::mask::mask_name(&name),
    }
}

/// The calls recorded at the site, newest first.
#[tracing::instrument(skip_all, err)]
pub async fn recorded(store: &Store, site: SiteId, limit: i64) -> Result<Vec<FollowUpRecord>> {
    let rows: Vec<RecordRow> = store
        .read()
        .await?
        .fetch_all(
            Sql::built(format!(
                "{RECORDS} WHERE c.site_id = $1 ORDER BY u.at DESC, u.id DESC LIMIT $2"
            ))
            .bind(site)
            .bind(limit),
        )
        .await?;
    Ok(rows.into_iter().map(record_of).collect())
}

/// The calls recorded about one case, oldest first.
#[tracing::instrument(skip_all, err)]
pub async fn records_of_case(store: &Store, case: CaseId) -> Result<Vec<FollowUpRecord>> {
    let rows: Vec<RecordRow> = store
        .read()
        .await?
        .fetch_all(
            Sql::built(format!(
                "{RECORDS} WHERE u.case_id = $1 ORDER BY u.at, u.id"
            ))
            .bind(case),
        )
        .await?;
    Ok(rows.into_iter().map(record_of).collect())
}

/// A case as follow-up sees it: whether it is followed up, from when, its phone, its calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpCase {
    pub case_id: CaseId,
    pub case_no: String,
    pub route: Option<Route>,
    pub outcome: Option<Outcome>,
    pub followed_up: bool,
    pub ended_at: Option<DateTime<Utc>>,
    pub applicant_masked: String,
    pub phone_masked: String,
    pub phone: String,
    pub records: Vec<FollowUpRecord>,
}

type CaseRow = (
    CaseId,
    String,
    Option<Text<Route>>,
    Option<Text<Outcome>>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    String,
    String,
    Option<String>,
);

/// The follow-up state of the case numbered `case_no` at `site`.
#[tracing::instrument(skip_all, err)]
pub async fn case(store: &Store, site: SiteId, case_no: &str) -> Result<FollowUpCase> {
    let mut c = store.read().await?;
    let sql = format!(
        "SELECT c.id, c.case_no, f.route, f.outcome, f.finished_at, c.created_at, \
         c.applicant_name, c.applicant_phone_masked, {} \
         FROM cases c JOIN case_facts f ON f.case_id = c.id \
         WHERE c.site_id = $1 AND c.case_no = $2",
        c.dialect().record_phone
    );
    let row: Option<CaseRow> = c
        .fetch_optional(Sql::built(sql).bind(site).bind(case_no))
        .await?;
    drop(c);
    let (id, case_no, route, outcome, finished_at, created_at, name, masked, phone) =
        row.ok_or_else(|| StorageError::NotFound(format!("case {case_no}")))?;
    let (route, outcome) = (route.map(|r| r.0), outcome.map(|o| o.0));
    let is_followed = followed_up(route, outcome);
    Ok(FollowUpCase {
        case_id: id,
        case_no,
        route,
        outcome,
        followed_up: is_followed,
        ended_at: is_followed.then(|| finished_at.unwrap_or(created_at)),
        applicant_masked: crate::domain::mask::mask_name(&name),
        phone_masked: masked,
        phone: phone.unwrap_or_default(),
        records: records_of_case(store, id).await?,
    })
}

/// Records the result of a follow-up call for the case numbered `case_no`, with its audit entry,
/// in one transaction: refused for a case nobody follows up, one not yet due at `at`
/// (`after_days` after it ended), and one whose follow-up a call already closed.
#[tracing::instrument(skip_all, err)]
pub async fn record(
    store: &Store,
    site: SiteId,
    case_no: &str,
    result: &FollowUpResult,
    after_days: i64,
    staff: Option<StaffId>,
    at: DateTime<Utc>,
) -> Result<Recorded> {
    let state = case(store, site, case_no).await?;
    if !state.followed_up {
        return Ok(Recorded::NotFollowedUp);
    }
    if let Some(ended) = state.ended_at {
        let due = ended + TimeDelta::days(after_days);
        if at < due {
            return Ok(Recorded::NotDueUntil(due));
        }
    }
    let mut w = store.write().await?;
    // Checked again inside the writer: another screen may have recorded the closing call since.
    let closed: Option<(DateTime<Utc>, Option<Text<FollowUpContact>>)> = w
        .fetch_optional(
            Sql::new(
                "SELECT at, contact FROM followups WHERE case_id = $1 \
                 AND (contact IS NULL OR contact <> 'unreachable') ORDER BY at, id LIMIT 1",
            )
            .bind(state.case_id),
        )
        .await?;
    if let Some((closed_at, _)) = closed {
        drop(w);
        let first = state
            .records
            .into_iter()
            .find(|r| r.closes() && r.at == closed_at);
        return match first {
            Some(r) => Ok(Recorded::AlreadyClosed(r)),
            None => Err(StorageError::Conflict(format!(
                "the follow-up of {case_no} was just recorded"
            ))),
        };
    }
    w.execute(
        Sql::new(
            "INSERT INTO followups (case_id, at, staff_id, result, contact, satisfied) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(state.case_id)
        .bind(at)
        .bind(staff)
        .bind(result.note.as_str())
        .bind(result.contact.code())
        .bind(result.satisfied),
    )
    .await?;
    w.audit(&AuditRecord {
        at,
        staff,
        window: None,
        case: Some(state.case_id),
        ticket: None,
        event: AuditEvent::FollowUpRecorded {
            result_chars: result.note.chars().count(),
            contact: Some(result.contact),
        },
    })
    .await?;
    store.commit(w).await?;
    Ok(Recorded::Stored(state.case_id))
}
