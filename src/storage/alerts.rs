//! Alerts kept as records (issue 14, migration 0023): raised once — case alerts by a trigger when
//! the case is stored, repeat-employer warnings by the dashboard — and kept until a supervisor
//! acknowledges them with a note. The acknowledgement is one statement on the open row, so two
//! supervisors pressing A together acknowledge it once; it is audited and announced like any
//! change so every screen drops it.

use super::db::Sql;
use super::types::{Actor, AuditRecord, ChangeIds, ChangeKind, SiteId, StaffId};
use super::{Result, Store};
use crate::domain::Route;
use crate::domain::alerts::AlertKind;
use crate::domain::audit::AuditEvent;
use crate::domain::decision::Deadline;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// An alert record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub id: i64,
    pub kind: AlertKind,
    pub subject: String,
    pub label: String,
    pub raised_at: DateTime<Utc>,
    pub figure: i64,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<StaffId>,
    pub note: Option<String>,
    pub seen_day: Option<NaiveDate>,
    pub seen_count: Option<i64>,
}

type Row = (
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    i64,
    Option<DateTime<Utc>>,
    Option<StaffId>,
    Option<String>,
    Option<NaiveDate>,
    Option<i64>,
);

const SELECT: &str = "SELECT id, kind, subject, label, raised_at, figure, acknowledged_at, \
     acknowledged_by, note, seen_day, seen_count FROM alerts";

fn rows(rows: Vec<Row>) -> Vec<AlertRow> {
    rows.into_iter()
        .filter_map(|r| {
            // A kind this build does not know (a newer version wrote it) is left out, not an error.
            Some(AlertRow {
                id: r.0,
                kind: AlertKind::from_record_code(&r.1)?,
                subject: r.2,
                label: r.3,
                raised_at: r.4,
                figure: r.5,
                acknowledged_at: r.6,
                acknowledged_by: r.7,
                note: r.8,
                seen_day: r.9,
                seen_count: r.10,
            })
        })
        .collect()
}

/// An unfinished case near one of the deadlines the dashboard watches.
#[derive(Debug, Clone)]
pub struct DeadlineCase {
    pub case_no: String,
    pub route: Option<Route>,
    pub deadlines: BTreeMap<Deadline, NaiveDate>,
}

impl Store {
    /// Alerts not yet acknowledged, oldest first.
    #[tracing::instrument(skip_all, err)]
    pub async fn open_alerts(&self, site: SiteId) -> Result<Vec<AlertRow>> {
        let sql = format!("{SELECT} WHERE site_id = $1 AND acknowledged_at IS NULL ORDER BY id");
        let r: Vec<Row> = self
            .read()
            .await?
            .fetch_all(Sql::built(sql).bind(site))
            .await?;
        Ok(rows(r))
    }

    /// The latest `limit` acknowledged alerts, newest acknowledgement first.
    #[tracing::instrument(skip_all, err)]
    pub async fn alert_history(&self, site: SiteId, limit: i64) -> Result<Vec<AlertRow>> {
        let sql = format!(
            "{SELECT} WHERE site_id = $1 AND acknowledged_at IS NOT NULL \
             ORDER BY acknowledged_at DESC, id DESC LIMIT $2"
        );
        let r: Vec<Row> = self
            .read()
            .await?
            .fetch_all(Sql::built(sql).bind(site).bind(limit))
            .await?;
        Ok(rows(r))
    }

    /// The latest acknowledged record of each repeat employer (its `seen_day` and `seen_count`
    /// say whether a case came since).
    #[tracing::instrument(skip_all, err)]
    pub async fn acknowledged_employers(&self, site: SiteId) -> Result<Vec<AlertRow>> {
        let sql = format!(
            "{SELECT} a WHERE site_id = $1 AND kind = 'REPEAT_EMPLOYER' \
             AND acknowledged_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM alerts b \
             WHERE b.site_id = a.site_id AND b.kind = a.kind AND b.subject = a.subject \
             AND b.id > a.id) ORDER BY id"
        );
        let r: Vec<Row> = self
            .read()
            .await?
            .fetch_all(Sql::built(sql).bind(site))
            .await?;
        Ok(rows(r))
    }

    /// Raises a repeat-employer warning unless one is open for `subject`; an open one gets the
    /// new count. Returns whether a new record was made.
    #[tracing::instrument(skip_all, err)]
    pub async fn raise_employer_alert(
        &self,
        site: SiteId,
        subject: &str,
        label: &str,
        cases: i64,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let mut w = self.write().await?;
        let made = w
            .execute(
                Sql::new(
                    "INSERT INTO alerts (site_id, kind, subject, label, raised_at, figure) \
                     VALUES ($1, 'REPEAT_EMPLOYER', $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(site)
                .bind(subject)
                .bind(label)
                .bind(at)
                .bind(cases),
            )
            .await?;
        if made == 0 {
            w.execute(
                Sql::new(
                    "UPDATE alerts SET figure = $4, label = $3 WHERE site_id = $1 \
                     AND kind = 'REPEAT_EMPLOYER' AND subject = $2 AND acknowledged_at IS NULL \
                     AND (figure <> $4 OR label <> $3)",
                )
                .bind(site)
                .bind(subject)
                .bind(label)
                .bind(cases),
            )
            .await?;
        }
        self.commit(w).await?;
        Ok(made > 0)
    }

    /// Acknowledges the open alert `id` with a note (audited, announced). For a repeat employer,
    /// `seen` is the local day and the employer's cases from that day on. False when it was
    /// acknowledged already (by someone else a moment before).
    #[tracing::instrument(skip_all, err)]
    pub async fn acknowledge_alert_record(
        &self,
        by: Actor,
        id: i64,
        note: &str,
        seen: Option<(NaiveDate, i64)>,
    ) -> Result<bool> {
        let mut w = self.write().await?;
        let done: Option<(String, String)> = w
            .fetch_optional(
                Sql::new(
                    "UPDATE alerts SET acknowledged_at = $2, acknowledged_by = $3, note = $4, \
                     seen_day = $5, seen_count = $6 WHERE id = $1 AND acknowledged_at IS NULL \
                     RETURNING kind, subject",
                )
                .bind(id)
                .bind(by.at)
                .bind(by.staff)
                .bind(note)
                .bind(seen.map(|s| s.0))
                .bind(seen.map(|s| s.1)),
            )
            .await?;
        let Some((kind, subject)) = done else {
            return Ok(false);
        };
        w.audit(&AuditRecord::by(
            by,
            AuditEvent::AlertAcknowledged {
                key: subject,
                kind,
                note: Some(note.to_string()),
            },
        ))
        .await?;
        w.change(ChangeKind::AlertAcknowledged, ChangeIds::default(), by.at);
        self.commit(w).await?;
        Ok(true)
    }

    /// Unfinished cases registered from `from` on whose mediation period ends by `mediation_by`
    /// or whose limitation date falls within `limitation` (for deadline alerts), from the
    /// deadlines kept at intake (migration 0028): the cases near a date, not every unfinished one.
    #[tracing::instrument(skip_all, err)]
    pub async fn near_deadlines(
        &self,
        site: SiteId,
        from: NaiveDate,
        mediation_by: NaiveDate,
        limitation: (NaiveDate, NaiveDate),
    ) -> Result<Vec<DeadlineCase>> {
        type Row = (String, Option<String>, Option<NaiveDate>, Option<NaiveDate>);
        let r: Vec<Row> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT c.case_no, d.route, d.mediation_ends, d.limitation_expires \
                     FROM case_deadlines d JOIN cases c ON c.id = d.case_id \
                     WHERE d.case_id IN (SELECT case_id FROM case_deadlines WHERE site_id = $1 \
                     AND mediation_ends >= $2 AND mediation_ends <= $3 UNION \
                     SELECT case_id FROM case_deadlines WHERE site_id = $1 \
                     AND limitation_expires >= $4 AND limitation_expires <= $5) \
                     AND d.local_day >= $2 ORDER BY d.case_id",
                )
                .bind(site)
                .bind(from)
                .bind(mediation_by)
                .bind(limitation.0)
                .bind(limitation.1),
            )
            .await?;
        Ok(r.into_iter()
            .map(|(case_no, route, mediation, limitation)| DeadlineCase {
                case_no,
                route: route.as_deref().and_then(Route::from_code),
                deadlines: [
                    (Deadline::MediationPeriodEnds, mediation),
                    (Deadline::LimitationExpires, limitation),
                ]
                .into_iter()
                .filter_map(|(k, d)| Some((k, d?)))
                .collect(),
            })
            .collect())
    }
}
