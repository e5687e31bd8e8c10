//! The form ⇄ [`IntakeRecord`]: every field of §2 mapped in both directions.

use super::{FieldId, Form, Value};
use crate::domain::*;
use crate::tui::text_input::TextInput;
use std::collections::BTreeMap;

use FieldId as F;

fn text_of(v: Option<&Value>) -> &str {
    match v {
        Some(Value::Text(t)) => t.text(),
        _ => "",
    }
}

fn opt_text(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_string())
}

/// A date as typed: the ways a clerk writes a date ([`super::typed::typed_date`]) are the date;
/// anything else goes to validation as typed.
fn opt_date(s: &str) -> Option<DateInput> {
    (!s.trim().is_empty()).then(|| match super::typed::typed_date(s) {
        Some(d) => DateInput::Valid(d),
        None => DateInput::parse(s),
    })
}

fn date_text(d: &Option<DateInput>) -> String {
    d.as_ref().map(|d| d.to_string()).unwrap_or_default()
}

fn amount_text(a: &Option<AmountInput>) -> String {
    match a {
        None => String::new(),
        Some(AmountInput::Valid(f)) if f.0 % 100 == 0 => (f.0 / 100).to_string(),
        Some(AmountInput::Valid(f)) => f.yuan_text(),
        Some(AmountInput::Invalid { text, .. }) => text.clone(),
    }
}

fn code_of<T: Copy>(t: Option<T>, code: fn(T) -> &'static str) -> Value {
    Value::Pick(t.map(|t| code(t).to_string()))
}

fn text(s: &str) -> Value {
    Value::Text(TextInput::new(s))
}

impl Form {
    fn text(&self, id: FieldId) -> &str {
        text_of(Some(self.value(id)))
    }

    fn pick<T>(&self, id: FieldId, from_code: fn(&str) -> Option<T>) -> Option<T> {
        match self.value(id) {
            Value::Pick(Some(c)) => from_code(c),
            _ => None,
        }
    }

    fn tri(&self, id: FieldId) -> Option<bool> {
        match self.value(id) {
            Value::Tri(t) => *t,
            _ => None,
        }
    }

    fn multi<T>(&self, id: FieldId, from_code: fn(&str) -> Option<T>) -> Vec<T> {
        match self.value(id) {
            Value::Multi(m) => m.iter().filter_map(|c| from_code(c)).collect(),
            _ => vec![],
        }
    }

    fn unit(&self, name: FieldId, code: FieldId) -> Option<Unit> {
        let (n, c) = (self.text(name), self.text(code));
        (!n.trim().is_empty() || !c.trim().is_empty()).then(|| Unit {
            name: n.to_string(),
            credit_code: opt_text(c),
        })
    }

    /// The record the form stands for. Every field of §2 is mapped; an optional group
    /// (guardian, units, prior agreement, injury) exists as soon as any of its fields is filled.
    pub fn to_record(&self) -> IntakeRecord {
        let guardian = {
            let (n, p) = (self.text(F::GuardianName), self.text(F::GuardianPhone));
            (!n.trim().is_empty() || !p.trim().is_empty()).then(|| Guardian {
                name: n.to_string(),
                phone: p.to_string(),
            })
        };
        let prior = PriorAgreement {
            kind: self.pick(F::AgreementKind, AgreementKind::from_code),
            effective_on: opt_date(self.text(F::AgreementEffectiveOn)),
            performed: self.tri(F::AgreementPerformed),
        };
        let injury = Injury {
            occurred_on: opt_date(self.text(F::InjuryOccurredOn)),
            recognized: self.tri(F::InjuryRecognized),
        };
        let workers = self.text(F::WorkersInvolved).trim();
        let claims = self
            .claims
            .iter()
            .filter_map(|row| {
                let category = match &row[0] {
                    Value::Pick(Some(c)) => Category::from_code(c),
                    _ => None,
                }?;
                Some(Claim {
                    category: Some(category),
                    amount: match &row[1] {
                        Value::Text(t) if !t.text().trim().is_empty() => {
                            Some(AmountInput::parse(t.text()))
                        }
                        _ => None,
                    },
                    known_on: opt_date(text_of(Some(&row[2]))),
                })
            })
            .collect();
        IntakeRecord {
            applicant: Applicant {
                name: self.text(F::ApplicantName).to_string(),
                id_type: self.pick(F::IdType, IdType::from_code).unwrap_or_default(),
                id_number: self.text(F::IdNumber).to_string(),
                birth_date: opt_date(self.text(F::BirthDate)),
                phone: self.text(F::Phone).to_string(),
                groups: self.multi(F::Groups, Group::from_code),
                hardship: self.tri(F::Hardship),
                pension_before_hire: self.tri(F::PensionBeforeHire),
                guardian,
            },
            counterparty: Counterparty {
                kind: self
                    .pick(F::CounterpartyKind, CounterpartyKind::from_code)
                    .unwrap_or_default(),
                name: self.text(F::CounterpartyName).to_string(),
                credit_code: opt_text(self.text(F::CreditCode)),
                address: opt_text(self.text(F::Address)),
                region: opt_text(self.text(F::Region)),
                industry: self.pick(F::Industry, Industry::from_code),
                dispatch_agency: self.unit(F::DispatchName, F::DispatchCreditCode),
                general_contractor: self.unit(F::ContractorName, F::ContractorCreditCode),
            },
            employment: Employment {
                status: self.pick(F::Status, EmploymentStatus::from_code),
                started_on: opt_date(self.text(F::StartedOn)),
                ended_on: opt_date(self.text(F::EndedOn)),
                written_contract: self.tri(F::WrittenContract),
                work_region: opt_text(self.text(F::WorkRegion)),
            },
            dispute: Dispute {
                source: self.pick(F::Source, Source::from_code).unwrap_or_default(),
                categories: self.multi(F::Categories, Category::from_code),
                claims,
                known_on: opt_date(self.text(F::KnownOn)),
                last_interruption_on: opt_date(self.text(F::LastInterruptionOn)),
                // A count that is not a number is kept out of range so validation names it.
                workers_involved: (!workers.is_empty()).then(|| workers.parse().unwrap_or(0)),
                common_claim: self.tri(F::CommonClaim),
                unpaid_wages: self.tri(F::UnpaidWages),
                social_insurance_arrears: self.tri(F::SiArrears),
                iou: self.tri(F::Iou),
                wants_mediation: self.tri(F::WantsMediation),
                already_filed: self
                    .pick(F::AlreadyFiled, AlreadyFiled::from_code)
                    .unwrap_or_default(),
                prior_agreement: (prior != PriorAgreement::default()).then_some(prior),
                injury: (injury != Injury::default()).then_some(injury),
                escalating: self.tri(F::Escalating),
                narrative: opt_text(self.text(F::Narrative)),
            },
        }
    }

    pub fn from_record(r: &IntakeRecord) -> Form {
        let a = &r.applicant;
        let c = &r.counterparty;
        let e = &r.employment;
        let d = &r.dispute;
        let opt = |s: &Option<String>| text(s.as_deref().unwrap_or(""));
        let unit_name = |u: &Option<Unit>| text(u.as_ref().map_or("", |u| u.name.as_str()));
        let unit_code = |u: &Option<Unit>| {
            text(
                u.as_ref()
                    .and_then(|u| u.credit_code.as_deref())
                    .unwrap_or(""),
            )
        };
        let pa = d.prior_agreement.clone().unwrap_or_default();
        let inj = d.injury.clone().unwrap_or_default();
        let fixed: BTreeMap<FieldId, Value> = [
            (F::ApplicantName, text(&a.name)),
            (F::IdType, code_of(Some(a.id_type), IdType::code)),
            (F::IdNumber, text(&a.id_number)),
            (F::BirthDate, text(&date_text(&a.birth_date))),
            (F::Phone, text(&a.phone)),
            (
                F::Groups,
                Value::Multi(a.groups.iter().map(|g| g.code().to_string()).collect()),
            ),
            (F::Hardship, Value::Tri(a.hardship)),
            (F::PensionBeforeHire, Value::Tri(a.pension_before_hire)),
            (
                F::GuardianName,
                text(a.guardian.as_ref().map_or("", |g| g.name.as_str())),
            ),
            (
                F::GuardianPhone,
                text(a.guardian.as_ref().map_or("", |g| g.phone.as_str())),
            ),
            (
                F::CounterpartyKind,
                code_of(Some(c.kind), CounterpartyKind::code),
            ),
            (F::CounterpartyName, text(&c.name)),
            (F::CreditCode, opt(&c.credit_code)),
            (F::Address, opt(&c.address)),
            (F::Region, opt(&c.region)),
            (F::Industry, code_of(c.industry, Industry::code)),
            (F::DispatchName, unit_name(&c.dispatch_agency)),
            (F::DispatchCreditCode, unit_code(&c.dispatch_agency)),
            (F::ContractorName, unit_name(&c.general_contractor)),
            (F::ContractorCreditCode, unit_code(&c.general_contractor)),
            (F::Status, code_of(e.status, EmploymentStatus::code)),
            (F::StartedOn, text(&date_text(&e.started_on))),
            (F::EndedOn, text(&date_text(&e.ended_on))),
            (F::WrittenContract, Value::Tri(e.written_contract)),
            (F::WorkRegion, opt(&e.work_region)),
            (F::Source, code_of(Some(d.source), Source::code)),
            (
                F::Categories,
                Value::Multi(d.categories.iter().map(|c| c.code().to_string()).collect()),
            ),
            (F::KnownOn, text(&date_text(&d.known_on))),
            (
                F::LastInterruptionOn,
                text(&date_text(&d.last_interruption_on)),
            ),
            (
                F::WorkersInvolved,
                text(
                    &d.workers_involved
                        .map(|w| w.to_string())
                        .unwrap_or_default(),
                ),
            ),
            (F::CommonClaim, Value::Tri(d.common_claim)),
            (F::UnpaidWages, Value::Tri(d.unpaid_wages)),
            (F::SiArrears, Value::Tri(d.social_insurance_arrears)),
            (F::Iou, Value::Tri(d.iou)),
            (F::WantsMediation, Value::Tri(d.wants_mediation)),
            (
                F::AlreadyFiled,
                code_of(Some(d.already_filed), AlreadyFiled::code),
            ),
            (F::AgreementKind, code_of(pa.kind, AgreementKind::code)),
            (F::AgreementEffectiveOn, text(&date_text(&pa.effective_on))),
            (F::AgreementPerformed, Value::Tri(pa.performed)),
            (F::InjuryOccurredOn, text(&date_text(&inj.occurred_on))),
            (F::InjuryRecognized, Value::Tri(inj.recognized)),
            (F::Escalating, Value::Tri(d.escalating)),
            (F::Narrative, opt(&d.narrative)),
        ]
        .into_iter()
        .collect();
        let claims = d
            .claims
            .iter()
            .map(|c| {
                [
                    Value::Pick(c.category.map(|k| k.code().to_string())),
                    text(&amount_text(&c.amount)),
                    text(&date_text(&c.known_on)),
                ]
            })
            .collect();
        Form { fixed, claims }
    }
}
