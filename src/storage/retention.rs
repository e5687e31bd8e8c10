//! Retention: anonymising the cases past the centre's retention period (`db purge`). What is
//! removed and what stays is `domain::retention`; here it is applied to every place a case's
//! personal data is stored: the case row and its record, its paper (the print jobs hold the
//! rendered receipt), the reasons typed for its transfers, its follow-up notes, and — when the
//! counterparty is a natural person — the employer name the figures group by (its count moves to
//! an unnamed row, so totals do not change). Statistics, roll-ups and the audit log are kept; each
//! anonymised case gets an audit entry of its own.

use super::db::{Sql, json};
use super::types::{AuditRecord, CaseId, StaffId};
use super::{Result, Store};
use crate::domain::IntakeRecord;
use crate::domain::audit::AuditEvent;
use crate::domain::numbering::CaseNo;
use crate::domain::retention::{anonymised, counterparty_is_a_person};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;

/// When a case closed: its last ticket's end (or call, or issue), else its registration.
const CLOSED_AT: &str = "COALESCE((SELECT MAX(COALESCE(t.finished_at, t.called_at, t.issued_at)) \
     FROM tickets t WHERE t.case_id = c.id), c.created_at)";

impl Store {
    /// How many cases not yet anonymised closed before `closed_before`.
    #[tracing::instrument(skip_all, err)]
    pub async fn count_expired_cases(&self, closed_before: DateTime<Utc>) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM cases c WHERE c.anonymised_at IS NULL AND {CLOSED_AT} < $1"
        );
        let n: i64 = self
            .read()
            .await?
            .scalar(Sql::built(sql).bind(closed_before))
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Anonymises at most `batch` of the cases that closed before `closed_before`, in one
    /// transaction; returns how many (0 when none is left). `at` is when, `by` who ran it.
    #[tracing::instrument(skip_all, err)]
    pub async fn anonymise_expired_cases(
        &self,
        closed_before: DateTime<Utc>,
        batch: i64,
        by: Option<StaffId>,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        let at = super::db::micros(at);
        let mut w = self.write().await?;
        let sql = format!(
            "SELECT c.id, c.case_no, c.record FROM cases c \
             WHERE c.anonymised_at IS NULL AND {CLOSED_AT} < $1 ORDER BY c.id LIMIT $2"
        );
        let rows: Vec<(CaseId, String, Json<IntakeRecord>)> = w
            .fetch_all(Sql::built(sql).bind(closed_before).bind(batch))
            .await?;
        for (id, case_no, record) in &rows {
            let person = counterparty_is_a_person(record.0.counterparty.kind);
            w.execute(
                Sql::new(
                    "UPDATE cases SET applicant_name = '', applicant_id_masked = '', \
                     applicant_phone_masked = '', \
                     counterparty_name = CASE WHEN $2 THEN '' ELSE counterparty_name END, \
                     record = $3, anonymised_at = $4 WHERE id = $1",
                )
                .bind(*id)
                .bind(person)
                .bind(json(&anonymised(&record.0))?)
                .bind(at),
            )
            .await?;
            // Reprints name their original, all of the same case: one statement deletes both.
            w.execute(
                Sql::new(
                    "DELETE FROM print_job_attempts WHERE job_id IN \
                     (SELECT id FROM print_jobs WHERE case_id = $1)",
                )
                .bind(*id),
            )
            .await?;
            w.execute(Sql::new("DELETE FROM print_jobs WHERE case_id = $1").bind(*id))
                .await?;
            w.execute(
                Sql::new(
                    "UPDATE tickets SET transfer_reason = NULL \
                     WHERE case_id = $1 AND transfer_reason IS NOT NULL",
                )
                .bind(*id),
            )
            .await?;
            w.execute(Sql::new("UPDATE followups SET result = '' WHERE case_id = $1").bind(*id))
                .await?;
            if person {
                let facts: Option<(i64, NaiveDate, String, String)> = w
                    .fetch_optional(
                        Sql::new(
                            "SELECT site_id, local_day, employer_name, COALESCE(credit_code, '') \
                             FROM case_facts WHERE case_id = $1",
                        )
                        .bind(*id),
                    )
                    .await?;
                if let Some((site, day, name, code)) = facts {
                    w.execute(
                        Sql::new(
                            "UPDATE employer_rollup SET n = n - 1 WHERE site_id = $1 \
                             AND local_day = $2 AND employer_name = $3 AND credit_code = $4",
                        )
                        .bind(site)
                        .bind(day)
                        .bind(name)
                        .bind(code),
                    )
                    .await?;
                    w.execute(
                        Sql::new(
                            "INSERT INTO employer_rollup (site_id, local_day, employer_name, \
                             credit_code, n) VALUES ($1, $2, '', '', 1) \
                             ON CONFLICT (site_id, local_day, employer_name, credit_code) \
                             DO UPDATE SET n = employer_rollup.n + 1",
                        )
                        .bind(site)
                        .bind(day),
                    )
                    .await?;
                    w.execute(
                        Sql::new(
                            "UPDATE case_facts SET employer_name = '', credit_code = NULL \
                             WHERE case_id = $1",
                        )
                        .bind(*id),
                    )
                    .await?;
                }
            }
            let case_no = CaseNo::parse(case_no)
                .map_err(|_| super::StorageError::Corrupt(format!("case number {case_no:?}")))?;
            w.audit(&AuditRecord {
                at,
                staff: by,
                window: None,
                case: Some(*id),
                ticket: None,
                event: AuditEvent::CaseAnonymised {
                    case_no,
                    closed_before,
                },
            })
            .await?;
        }
        self.commit(w).await?;
        Ok(rows.len() as u64)
    }
}
