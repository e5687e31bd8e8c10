//! Storage limitation (《个人信息保护法》第十九条): a closed case keeps the worker's personal data for
//! the centre's retention period (`data.retention_years`), then `db purge` anonymises it. What is
//! left is what the statistics and the audit trail need: the case number, its dates, route,
//! flags, categories, claims and outcome, the groups the worker belonged to, and the employer
//! when it is an organisation.
//!
//! A case closes when its last ticket ends (served, no-show or transferred on); a case that never
//! had a ticket (a referral handed over at the window) closes when it is registered.

use super::codes::CounterpartyKind;
use super::intake::IntakeRecord;
use chrono::{DateTime, Months, Utc};

/// Cases that closed before this instant are past a retention of `years` at `now`: the same
/// date and time `years` years earlier (29 February falls back to the 28th).
pub fn closed_before(now: DateTime<Utc>, years: u32) -> Option<DateTime<Utc>> {
    now.checked_sub_months(Months::new(years.checked_mul(12)?))
}

/// Whether the counterparty is a natural person (a household employing a domestic worker, a
/// craftsman, a rural contracting household): then their name is personal data too.
pub fn counterparty_is_a_person(kind: CounterpartyKind) -> bool {
    matches!(
        kind,
        CounterpartyKind::Household
            | CounterpartyKind::Craftsman
            | CounterpartyKind::RuralContractor
    )
}

/// The record without what identifies a person: the applicant's name, ID number, birth date and
/// phone, the guardian, a natural-person counterparty's name, the counterparty's address, and the
/// story in the worker's words. Everything the figures count is kept.
pub fn anonymised(record: &IntakeRecord) -> IntakeRecord {
    let mut r = record.clone();
    let a = &mut r.applicant;
    a.name = String::new();
    a.id_number = String::new();
    a.birth_date = None;
    a.phone = String::new();
    a.guardian = None;
    if counterparty_is_a_person(r.counterparty.kind) {
        r.counterparty.name = String::new();
    }
    r.counterparty.address = None;
    r.dispute.narrative = None;
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::codes::{Category, Group};

    fn record(kind: &str) -> IntakeRecord {
        serde_json::from_value(serde_json::json!({
            "applicant": { "name": "王丽", "id_number": "41010519900307158X", "phone": "13812345678",
                           "birth_date": "1990-03-07", "groups": ["migrant_worker"],
                           "guardian": { "name": "王父", "phone": "13900000000" } },
            "counterparty": { "kind": kind, "name": "孙家", "address": "金水路1号",
                              "credit_code": "91410100QFA99G5B0D" },
            "dispute": { "categories": ["LD04"], "narrative": "老板拖欠三个月工资",
                         "claims": [{ "category": "LD04", "amount": 8600 }] },
        }))
        .unwrap()
    }

    #[test]
    fn personal_fields_go_and_what_the_figures_count_stays() {
        let r = anonymised(&record("household"));
        let text = serde_json::to_string(&r).unwrap();
        for gone in [
            "王丽",
            "41010519900307158X",
            "13812345678",
            "1990-03-07",
            "王父",
            "孙家",
            "金水路",
            "拖欠",
        ] {
            assert!(!text.contains(gone), "{gone} left in {text}");
        }
        assert_eq!(r.applicant.groups, vec![Group::MigrantWorker]);
        assert_eq!(r.dispute.categories, vec![Category::Ld04]);
        assert_eq!(r.dispute.claims.len(), 1);
        assert!(r.dispute.claims[0].amount.is_some());
        // An organisation's name is not personal data: the repeat-employer figures keep it.
        assert_eq!(anonymised(&record("employer")).counterparty.name, "孙家");
    }

    #[test]
    fn the_retention_runs_in_calendar_years() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            closed_before(at("2036-03-10T09:00:00Z"), 10),
            Some(at("2026-03-10T09:00:00Z"))
        );
        assert_eq!(
            closed_before(at("2028-02-29T09:00:00Z"), 1),
            Some(at("2027-02-28T09:00:00Z"))
        );
        assert_eq!(closed_before(at("2036-03-10T09:00:00Z"), u32::MAX), None);
    }
}
