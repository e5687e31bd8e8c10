//! The intake record (§2): what the clerk records. Field names are the contract for files, imports
//! and tests; unknown fields are rejected so a misspelt field is never silently ignored.
//!
//! Required fields are still optional here: a missing one is a validation error at its field,
//! reported together with every other problem, rather than a parse failure.

use super::codes::*;
use super::values::{AmountInput, DateInput};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeRecord {
    #[serde(default)]
    pub applicant: Applicant,
    #[serde(default)]
    pub counterparty: Counterparty,
    #[serde(default)]
    pub employment: Employment,
    #[serde(default)]
    pub dispute: Dispute,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_type: IdType,
    #[serde(default)]
    pub id_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<DateInput>,
    #[serde(default)]
    pub phone: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardship: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pension_before_hire: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<Guardian>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counterparty {
    #[serde(default)]
    pub kind: CounterpartyKind,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Industry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_agency: Option<Unit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_contractor: Option<Unit>,
}

/// Another unit that answers for the worker's claims (dispatch agency, general contractor).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Employment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EmploymentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<DateInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<DateInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_contract: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_region: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dispute {
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_on: Option<DateInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_interruption_on: Option<DateInput>,
    /// Absent means one worker; kept signed so that a zero or negative count is a validation error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers_involved: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_claim: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpaid_wages: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_insurance_arrears: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iou: Option<bool>,
    /// `Some(true)` asked for mediation, `Some(false)` declined it, `None` not asked yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wants_mediation: Option<bool>,
    #[serde(default)]
    pub already_filed: AlreadyFiled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_agreement: Option<PriorAgreement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injury: Option<Injury>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalating: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub category: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<AmountInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_on: Option<DateInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorAgreement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AgreementKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_on: Option<DateInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performed: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Injury {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_on: Option<DateInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognized: Option<bool>,
}

impl Dispute {
    pub fn has(&self, c: Category) -> bool {
        self.categories.contains(&c)
    }

    pub fn workers(&self) -> i64 {
        self.workers_involved.unwrap_or(1)
    }
}

impl Applicant {
    pub fn in_group(&self, g: Group) -> bool {
        self.groups.contains(&g)
    }
}
