//! The audit log: one writer ([`record`]) used by every write path, one reader
//! ([`Store::audit_for_case`]) that gives typed entries with the staff and window numbers
//! resolved. The event is `domain::audit::AuditEvent`: its tag is the `action` column, its other
//! fields the `details` JSON. The table is append-only (triggers refuse updates and deletes).

use super::db::{Conn, Sql, Text, json};
use super::types::{Actor, AuditEntry, AuditRecord, CaseId, StaffId, TicketId, WindowId};
use super::{Result, Store};
use crate::domain::Route;
use crate::domain::audit::AuditEvent;
use crate::domain::numbering::{StaffNo, WindowNo};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

/// Writes one audit entry in the caller's transaction.
pub(crate) async fn record(conn: &mut Conn, r: &AuditRecord) -> Result<()> {
    let (action, details) = r.event.to_parts();
    conn.execute(
        Sql::new(
            "INSERT INTO audit_log (at, staff_id, window_id, action, case_id, ticket_id, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(r.at)
        .bind(r.staff)
        .bind(r.window)
        .bind(action)
        .bind(r.case)
        .bind(r.ticket)
        .bind(json(&details)?),
    )
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    staff_id: Option<StaffId>,
    staff_no: Option<String>,
    window_id: Option<WindowId>,
    window_no: Option<i64>,
    action: String,
    case_id: Option<CaseId>,
    ticket_id: Option<TicketId>,
    details: Json<serde_json::Value>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> AuditEntry {
        AuditEntry {
            id: r.id,
            at: r.at,
            staff: r.staff_id,
            staff_no: r.staff_no.map(StaffNo),
            window: r.window_id,
            window_no: r
                .window_no
                .and_then(|n| u32::try_from(n).ok())
                .map(WindowNo),
            case: r.case_id,
            ticket: r.ticket_id,
            event: AuditEvent::from_parts(&r.action, r.details.0),
        }
    }
}

const AUDIT_SELECT: &str = "SELECT a.id, a.at, a.staff_id, s.code AS staff_no, a.window_id, \
     w.number AS window_no, a.action, a.case_id, a.ticket_id, a.details FROM audit_log a \
     LEFT JOIN staff s ON s.id = a.staff_id LEFT JOIN windows w ON w.id = a.window_id";

/// The entries a query selects (a `WHERE … ORDER BY` after [`AUDIT_SELECT`]), typed, with what
/// older rows did not record filled in from the tables.
async fn read_entries(c: &mut Conn, sql: Sql<'_>) -> Result<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = c.fetch_all(sql).await?;
    let mut entries: Vec<AuditEntry> = rows.into_iter().map(AuditEntry::from).collect();
    for e in &mut entries {
        complete_transfer(c, e).await?;
    }
    Ok(entries)
}

/// A transfer logged before the log recorded queues names only the tickets; their queues say
/// where it came from and went.
async fn complete_transfer(c: &mut Conn, e: &mut AuditEntry) -> Result<()> {
    let AuditEvent::Transferred {
        to_ticket,
        from_route,
        from_queue,
        to_route,
        to_queue,
        ..
    } = &mut e.event
    else {
        return Ok(());
    };
    if to_route.is_some() {
        return Ok(());
    }
    let queue_of = "SELECT q.route, q.prefix FROM tickets t JOIN queues q ON q.id = t.queue_id \
                    WHERE t.id = $1";
    let to: Option<(Text<Route>, String)> = c
        .fetch_optional(Sql::new(queue_of).bind(*to_ticket))
        .await?;
    if let Some((route, prefix)) = to {
        (*to_route, *to_queue) = (Some(route.0), Some(prefix));
    }
    if let (None, Some(ticket)) = (&from_route, e.ticket) {
        let from: Option<(Text<Route>, String)> =
            c.fetch_optional(Sql::new(queue_of).bind(ticket)).await?;
        if let Some((route, prefix)) = from {
            (*from_route, *from_queue) = (Some(route.0), Some(prefix));
        }
    }
    Ok(())
}

impl Store {
    /// The history of a case, oldest first.
    #[tracing::instrument(skip_all, err)]
    pub async fn audit_for_case(&self, case: CaseId) -> Result<Vec<AuditEntry>> {
        let sql = format!("{AUDIT_SELECT} WHERE a.case_id = $1 ORDER BY a.id");
        read_entries(&mut self.read().await?, Sql::built(sql).bind(case)).await
    }

    /// What a staff member did since `since`, oldest first (sign-ins, acknowledgements, papers).
    #[tracing::instrument(skip_all, err)]
    pub async fn audit_by_staff(
        &self,
        staff: StaffId,
        since: DateTime<Utc>,
    ) -> Result<Vec<AuditEntry>> {
        let sql = format!("{AUDIT_SELECT} WHERE a.staff_id = $1 AND a.at >= $2 ORDER BY a.id");
        let sql = Sql::built(sql).bind(staff).bind(since);
        read_entries(&mut self.read().await?, sql).await
    }

    /// An event that changes nothing else — a refusal, a read of personal data — as one row.
    #[tracing::instrument(skip_all, err)]
    pub async fn audit_event(
        &self,
        staff: Option<StaffId>,
        window: Option<WindowId>,
        case: Option<CaseId>,
        event: AuditEvent,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        w.audit(&AuditRecord {
            at,
            staff,
            window,
            case,
            ticket: None,
            event,
        })
        .await?;
        self.commit(w).await
    }

    /// A supervisor has seen an alert: every supervisor's screen stops highlighting it.
    #[tracing::instrument(skip_all, err)]
    pub async fn acknowledge_alert(
        &self,
        by: Actor,
        key: &str,
        kind: &str,
        note: Option<&str>,
    ) -> Result<()> {
        let mut w = self.write().await?;
        w.audit(&AuditRecord::by(
            by,
            AuditEvent::AlertAcknowledged {
                key: key.to_string(),
                kind: kind.to_string(),
                note: note.map(str::to_string),
            },
        ))
        .await?;
        self.commit(w).await
    }

    /// Keys of the alerts acknowledged since `since`.
    #[tracing::instrument(skip_all, err)]
    pub async fn acknowledged_since(&self, since: DateTime<Utc>) -> Result<Vec<String>> {
        let sql = format!("{AUDIT_SELECT} WHERE a.action = $1 AND a.at >= $2 ORDER BY a.id");
        let sql = Sql::built(sql)
            .bind(AuditEvent::ALERT_ACKNOWLEDGED)
            .bind(since);
        let entries = read_entries(&mut self.read().await?, sql).await?;
        Ok(entries
            .into_iter()
            .filter_map(|e| match e.event {
                AuditEvent::AlertAcknowledged { key, .. } => Some(key),
                _ => None,
            })
            .collect())
    }
}
