//! Alerts kept as records (issue 14, migration 0023): raised once — case alerts by a trigger when
//! the case is stored, repeat-employer warnings by the dashboard — and kept until a supervisor
//! acknowledges them with a note. The acknowledgement is one statement on the open row, so two
//! supervisors pressing A together acknowledge it once; it is audited and announced like any
//! change so every screen drops it.

use super::db::Sql;
use super::types::{Actor, AuditRecord, ChangeIds, ChangeKind, SiteId, StaffId};
use super::{Result, Store};
use crate::domain::alerts::{AlertKind, EmployerDay};
use crate::domain::audit::AuditEvent;
use crate::domain::decision::Decision;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;

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

/// A case whose deadlines the dashboard watches.
#[derive(Debug, Clone)]
pub struct DeadlineCase {
    pub case_no: String,
    pub decision: Decision,
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

    /// Cases per employer and day from `from` on (the employer roll-up: employing counterparties
    /// only).
    #[tracing::instrument(skip_all, err)]
    pub async fn employer_days(&self, site: SiteId, from: NaiveDate) -> Result<Vec<EmployerDay>> {
        let r: Vec<(NaiveDate, String, String, i64)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT local_day, employer_name, credit_code, CAST(n AS BIGINT) \
                     FROM employer_rollup WHERE site_id = $1 AND local_day >= $2 AND n > 0 \
                     AND employer_name <> ''",
                )
                .bind(site)
                .bind(from),
            )
            .await?;
        Ok(r.into_iter()
            .map(|(day, name, code, n)| EmployerDay {
                day,
                name,
                credit_code: (!code.is_empty()).then_some(code),
                cases: u64::try_from(n).unwrap_or(0),
            })
            .collect())
    }

    /// Unfinished cases registered from `from` on, with their decisions (for deadline alerts).
    #[tracing::instrument(skip_all, err)]
    pub async fn unfinished_cases(
        &self,
        site: SiteId,
        from: NaiveDate,
    ) -> Result<Vec<DeadlineCase>> {
        let r: Vec<(String, Json<Decision>)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT c.case_no, c.decision FROM case_facts f JOIN cases c ON c.id = f.case_id \
                     WHERE f.site_id = $1 AND f.local_day >= $2 AND f.outcome IS NULL ORDER BY c.id",
                )
                .bind(site)
                .bind(from),
            )
            .await?;
        Ok(r.into_iter()
            .map(|(case_no, d)| DeadlineCase {
                case_no,
                decision: d.0,
            })
            .collect())
    }
}
