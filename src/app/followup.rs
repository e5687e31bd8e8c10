//! Follow-up calls (回访, issue 14) for the staff who make them: the due list and a case's
//! follow-up carry the applicant's phone in full, so the caller can dial it, and every such read
//! is audited with the purpose "follow-up call"; results are structured and refused when the
//! case is not due or its follow-up is already closed.

use super::error::{AppError, AppResult};
use super::{Acting, Services};
use crate::domain::followup::{FollowUpContact, FollowUpResult, ResultProblem};
use crate::domain::numbering::local_time;
use crate::domain::{CaseNo, Lang, ReadPurpose};
use crate::i18n::{cli::Errors, fill};
use crate::storage::CaseId;
use crate::storage::followup::{self, FollowUpCase, FollowUpDue, FollowUpRecord, Recorded};
use chrono::{DateTime, Utc};

impl Services {
    fn followup_days(&self, days: Option<i64>) -> i64 {
        days.unwrap_or(self.config().supervisor.followup_days)
    }

    /// Audits that `by` saw the phone of `case` in full to call the worker.
    async fn audit_followup_read(
        &self,
        by: &Acting,
        case: CaseId,
        case_no: &str,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let case = Some((case, CaseNo::parse(case_no).ok()));
        self.audit_case_read(by, case, ReadPurpose::FollowUp, true, None, at)
            .await
    }

    /// Cases whose follow-up call is due at `now` (`days` after they ended, default the
    /// site's setting), longest due first, with the phone in full; each read is audited.
    pub async fn followups_to_call(
        &self,
        by: &Acting,
        now: DateTime<Utc>,
        days: Option<i64>,
        limit: i64,
    ) -> AppResult<Vec<FollowUpDue>> {
        let site = self.site()?;
        let due =
            followup::due(self.store(), site.id, now, self.followup_days(days), limit).await?;
        for d in &due {
            if !d.phone.is_empty() {
                self.audit_followup_read(by, d.case_id, &d.case_no, now)
                    .await?;
            }
        }
        Ok(due)
    }

    /// A case's follow-up: when it falls due, its calls, and the phone in full (audited).
    pub async fn followup_case(
        &self,
        case_no: &str,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<FollowUpCase> {
        let site = self.site()?;
        let case = followup::case(self.store(), site.id, case_no.trim())
            .await
            .map_err(|e| not_found(e, case_no, self.config().lang))?;
        if case.followed_up && !case.phone.is_empty() {
            self.audit_followup_read(by, case.case_id, &case.case_no, at)
                .await?;
        }
        Ok(case)
    }

    /// The calls of one case, without its phone (for `case show`).
    pub async fn followup_records(&self, case: CaseId) -> AppResult<Vec<FollowUpRecord>> {
        Ok(followup::records_of_case(self.store(), case).await?)
    }

    /// The calls recorded at the site, newest first.
    pub async fn followups_recorded(&self, limit: i64) -> AppResult<Vec<FollowUpRecord>> {
        let site = self.site()?;
        Ok(followup::recorded(self.store(), site.id, limit).await?)
    }

    /// Records the result of a follow-up call (audited). Refused, with a message in `lang`, for
    /// a case nobody follows up, one not yet due and one already closed.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_followup(
        &self,
        case_no: &str,
        contact: FollowUpContact,
        satisfied: Option<bool>,
        note: &str,
        days: Option<i64>,
        by: &Acting,
        at: DateTime<Utc>,
    ) -> AppResult<CaseId> {
        let lang = self.config().lang;
        let words = Errors::get(lang);
        let result = FollowUpResult::checked(contact, satisfied, note)
            .map_err(|p| AppError::Invalid(problem_text(p, lang)))?;
        let site = self.site()?;
        let case_no = case_no.trim();
        let done = followup::record(
            self.store(),
            site.id,
            case_no,
            &result,
            self.followup_days(days),
            by.staff_id(),
            at,
        )
        .await
        .map_err(|e| not_found(e, case_no, lang))?;
        match done {
            Recorded::Stored(id) => Ok(id),
            Recorded::NotFollowedUp => Err(AppError::Invalid(fill(
                words.followup_not_followed_up,
                &[("no", case_no)],
            ))),
            Recorded::NotDueUntil(due) => {
                let due = local_time(&due).format("%Y-%m-%d %H:%M").to_string();
                Err(AppError::Invalid(fill(
                    words.followup_not_due,
                    &[("no", case_no), ("due", &due)],
                )))
            }
            Recorded::AlreadyClosed(r) => {
                let when = local_time(&r.at).format("%Y-%m-%d %H:%M").to_string();
                let what = contact_label(r.contact, lang);
                let who = r.staff_no.unwrap_or_else(|| "-".into());
                Err(AppError::Invalid(fill(
                    words.followup_already,
                    &[
                        ("no", case_no),
                        ("when", &when),
                        ("what", what),
                        ("who", &who),
                    ],
                )))
            }
        }
    }
}

/// A case number that names no case of this site, said with the number.
fn not_found(e: crate::storage::StorageError, case_no: &str, lang: Lang) -> AppError {
    match e {
        crate::storage::StorageError::NotFound(_) => AppError::Invalid(fill(
            crate::i18n::cli::Strings::get(lang).no_case,
            &[("no", &crate::domain::text::quote(case_no.trim()))],
        )),
        other => other.into(),
    }
}

fn problem_text(p: ResultProblem, lang: Lang) -> String {
    let words = Errors::get(lang);
    match p {
        ResultProblem::SatisfiedWithoutContact => words.followup_satisfied_without_contact,
        ResultProblem::NoteTooLong => words.followup_note_too_long,
        ResultProblem::ControlCharacters => words.followup_note_controls,
    }
    .to_string()
}

/// A call's result as a person reads it; a call recorded before results were structured is
/// shown as "recorded".
pub fn contact_label(contact: Option<FollowUpContact>, lang: Lang) -> &'static str {
    match contact {
        Some(c) => c.label(lang),
        None => Errors::get(lang).followup_recorded_label,
    }
}

/// Satisfaction as a person reads it.
pub fn satisfied_label(satisfied: Option<bool>, lang: Lang) -> &'static str {
    match satisfied {
        Some(true) => Errors::get(lang).satisfied,
        Some(false) => Errors::get(lang).not_satisfied,
        None => "",
    }
}
