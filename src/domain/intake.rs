//! The intake record (§2): what the clerk records. Field names are the contract for files, imports
//! and tests; unknown fields are rejected so a misspelt field is never silently ignored.
//!
//! Required fields are still optional here: a missing one is a validation error at its field,
//! reported together with every other problem, rather than a parse failure. A required text that
//! is empty is missing (§2: a value empty after trimming is absent).

use super::codes::*;
use super::text::{normalize_code, trimmed};
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
    /// Required; `None` when the file gave none (or none that could be read), so the claim keeps
    /// its place in the list and its other fields are still checked at their paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
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

impl IntakeRecord {
    /// The record as §2 says validation reads it: every text trimmed, a text empty after trimming
    /// absent; ID, pass and passport numbers, phones, credit codes, region codes, dates and
    /// amounts NFKC-normalised (full-width digits become ASCII); a resident ID's `x` upper-cased
    /// (stored upper, §4). A guardian or unit with nothing left in it is absent.
    pub fn normalized(&self) -> IntakeRecord {
        let mut r = self.clone();
        r.normalize();
        r
    }

    pub fn normalize(&mut self) {
        let a = &mut self.applicant;
        a.name = text(&a.name);
        a.id_number = normalize_code(&a.id_number);
        if matches!(a.id_type, IdType::ResidentId | IdType::ResidencePermit) {
            a.id_number = a.id_number.to_ascii_uppercase();
        }
        date(&mut a.birth_date);
        a.phone = normalize_code(&a.phone);
        if let Some(g) = &mut a.guardian {
            g.name = text(&g.name);
            g.phone = normalize_code(&g.phone);
        }
        if a.guardian
            .as_ref()
            .is_some_and(|g| g.name.is_empty() && g.phone.is_empty())
        {
            a.guardian = None;
        }

        let c = &mut self.counterparty;
        c.name = text(&c.name);
        code(&mut c.credit_code);
        opt_text(&mut c.address);
        code(&mut c.region);
        for unit in [&mut c.dispatch_agency, &mut c.general_contractor] {
            if let Some(u) = unit {
                u.name = text(&u.name);
                code(&mut u.credit_code);
            }
            if unit.as_ref().is_some_and(Unit::is_empty) {
                *unit = None;
            }
        }

        let e = &mut self.employment;
        date(&mut e.started_on);
        date(&mut e.ended_on);
        code(&mut e.work_region);

        let d = &mut self.dispute;
        for claim in &mut d.claims {
            amount(&mut claim.amount);
            date(&mut claim.known_on);
        }
        date(&mut d.known_on);
        date(&mut d.last_interruption_on);
        if let Some(p) = &mut d.prior_agreement {
            date(&mut p.effective_on);
        }
        if let Some(i) = &mut d.injury {
            date(&mut i.occurred_on);
        }
        opt_text(&mut d.narrative);
    }
}

fn text(value: &str) -> String {
    value.trim().to_string()
}

fn opt_text(value: &mut Option<String>) {
    *value = value.as_deref().and_then(trimmed).map(str::to_string);
}

fn code(value: &mut Option<String>) {
    *value = value
        .as_deref()
        .map(normalize_code)
        .filter(|c| !c.is_empty());
}

/// A date typed wrong may be right once normalised; one left empty is absent.
fn date(value: &mut Option<DateInput>) {
    if let Some(DateInput::Invalid(t)) = value {
        *value = trimmed(t).map(DateInput::parse);
    }
}

fn amount(value: &mut Option<AmountInput>) {
    if let Some(AmountInput::Invalid { text, .. }) = value {
        *value = trimmed(text).map(AmountInput::parse);
    }
}

impl Unit {
    /// Neither a name nor a code: it names no unit.
    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.credit_code.is_none()
    }
}
