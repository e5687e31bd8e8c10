//! The intake form: every field of the intake record (§2) as something a clerk edits, and the
//! mapping between the form and [`IntakeRecord`] in both directions.
//!
//! Values are kept as the clerk typed them (text for dates and amounts, codes for pickers,
//! three states for optional yes/no) so that nothing is lost while it is still wrong; the record is
//! derived from them on every change, and validation names the problems by field path.

use super::text_input::TextInput;
use crate::domain::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Applicant,
    Counterparty,
    Employment,
    Dispute,
    Claims,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Applicant,
        Section::Counterparty,
        Section::Employment,
        Section::Dispute,
        Section::Claims,
    ];

    pub fn index(self) -> usize {
        Section::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldId {
    ApplicantName,
    IdType,
    IdNumber,
    BirthDate,
    Phone,
    Groups,
    Hardship,
    PensionBeforeHire,
    GuardianName,
    GuardianPhone,
    CounterpartyKind,
    CounterpartyName,
    CreditCode,
    Address,
    Region,
    Industry,
    DispatchName,
    DispatchCreditCode,
    ContractorName,
    ContractorCreditCode,
    Status,
    StartedOn,
    EndedOn,
    WrittenContract,
    WorkRegion,
    Source,
    Categories,
    KnownOn,
    LastInterruptionOn,
    WorkersInvolved,
    CommonClaim,
    UnpaidWages,
    SiArrears,
    Iou,
    WantsMediation,
    AlreadyFiled,
    AgreementKind,
    AgreementEffectiveOn,
    AgreementPerformed,
    InjuryOccurredOn,
    InjuryRecognized,
    Escalating,
    Narrative,
    ClaimCategory(usize),
    ClaimAmount(usize),
    ClaimKnownOn(usize),
    /// The "add a claim" row at the end of the claims section.
    AddClaim,
}

use FieldId as F;

/// The fixed fields by section, in the order the clerk meets them.
pub const APPLICANT: &[FieldId] = &[
    F::ApplicantName,
    F::IdType,
    F::IdNumber,
    F::BirthDate,
    F::Phone,
    F::Groups,
    F::Hardship,
    F::PensionBeforeHire,
    F::GuardianName,
    F::GuardianPhone,
];
pub const COUNTERPARTY: &[FieldId] = &[
    F::CounterpartyKind,
    F::CounterpartyName,
    F::CreditCode,
    F::Address,
    F::Region,
    F::Industry,
    F::DispatchName,
    F::DispatchCreditCode,
    F::ContractorName,
    F::ContractorCreditCode,
];
pub const EMPLOYMENT: &[FieldId] = &[
    F::Status,
    F::StartedOn,
    F::EndedOn,
    F::WrittenContract,
    F::WorkRegion,
];
pub const DISPUTE: &[FieldId] = &[
    F::Source,
    F::Categories,
    F::KnownOn,
    F::LastInterruptionOn,
    F::WorkersInvolved,
    F::CommonClaim,
    F::UnpaidWages,
    F::SiArrears,
    F::Iou,
    F::WantsMediation,
    F::AlreadyFiled,
    F::AgreementKind,
    F::AgreementEffectiveOn,
    F::AgreementPerformed,
    F::InjuryOccurredOn,
    F::InjuryRecognized,
    F::Escalating,
    F::Narrative,
];

/// A code list a picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickList {
    IdType,
    CounterpartyKind,
    Industry,
    Status,
    Source,
    AlreadyFiled,
    AgreementKind,
    Category,
    Group,
    /// The categories chosen for this case (a claim's category must be one of them).
    ClaimCategory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Amount,
    Number,
    /// One code; `optional` pickers can be cleared back to "not given".
    Pick(PickList, bool),
    Multi(PickList),
    /// Yes / no / not given: absent is different from "no" (§2).
    Tri,
    Button,
}

impl FieldId {
    pub fn section(self) -> Section {
        if APPLICANT.contains(&self) {
            Section::Applicant
        } else if COUNTERPARTY.contains(&self) {
            Section::Counterparty
        } else if EMPLOYMENT.contains(&self) {
            Section::Employment
        } else if DISPUTE.contains(&self) {
            Section::Dispute
        } else {
            Section::Claims
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            F::IdType => Kind::Pick(PickList::IdType, false),
            F::CounterpartyKind => Kind::Pick(PickList::CounterpartyKind, false),
            F::Industry => Kind::Pick(PickList::Industry, true),
            F::Status => Kind::Pick(PickList::Status, true),
            F::Source => Kind::Pick(PickList::Source, false),
            F::AlreadyFiled => Kind::Pick(PickList::AlreadyFiled, false),
            F::AgreementKind => Kind::Pick(PickList::AgreementKind, true),
            F::ClaimCategory(_) => Kind::Pick(PickList::ClaimCategory, false),
            F::Categories => Kind::Multi(PickList::Category),
            F::Groups => Kind::Multi(PickList::Group),
            F::BirthDate
            | F::StartedOn
            | F::EndedOn
            | F::KnownOn
            | F::LastInterruptionOn
            | F::AgreementEffectiveOn
            | F::InjuryOccurredOn
            | F::ClaimKnownOn(_) => Kind::Date,
            F::ClaimAmount(_) => Kind::Amount,
            F::WorkersInvolved => Kind::Number,
            F::Hardship
            | F::PensionBeforeHire
            | F::WrittenContract
            | F::CommonClaim
            | F::UnpaidWages
            | F::SiArrears
            | F::Iou
            | F::WantsMediation
            | F::AgreementPerformed
            | F::InjuryRecognized
            | F::Escalating => Kind::Tri,
            F::AddClaim => Kind::Button,
            _ => Kind::Text,
        }
    }

    /// The field path validation uses (`applicant.id_number`, `dispute.claims[0].amount`).
    pub fn path(self) -> String {
        let p = match self {
            F::ApplicantName => "applicant.name",
            F::IdType => "applicant.id_type",
            F::IdNumber => "applicant.id_number",
            F::BirthDate => "applicant.birth_date",
            F::Phone => "applicant.phone",
            F::Groups => "applicant.groups",
            F::Hardship => "applicant.hardship",
            F::PensionBeforeHire => "applicant.pension_before_hire",
            F::GuardianName => "applicant.guardian.name",
            F::GuardianPhone => "applicant.guardian.phone",
            F::CounterpartyKind => "counterparty.kind",
            F::CounterpartyName => "counterparty.name",
            F::CreditCode => "counterparty.credit_code",
            F::Address => "counterparty.address",
            F::Region => "counterparty.region",
            F::Industry => "counterparty.industry",
            F::DispatchName => "counterparty.dispatch_agency.name",
            F::DispatchCreditCode => "counterparty.dispatch_agency.credit_code",
            F::ContractorName => "counterparty.general_contractor.name",
            F::ContractorCreditCode => "counterparty.general_contractor.credit_code",
            F::Status => "employment.status",
            F::StartedOn => "employment.started_on",
            F::EndedOn => "employment.ended_on",
            F::WrittenContract => "employment.written_contract",
            F::WorkRegion => "employment.work_region",
            F::Source => "dispute.source",
            F::Categories => "dispute.categories",
            F::KnownOn => "dispute.known_on",
            F::LastInterruptionOn => "dispute.last_interruption_on",
            F::WorkersInvolved => "dispute.workers_involved",
            F::CommonClaim => "dispute.common_claim",
            F::UnpaidWages => "dispute.unpaid_wages",
            F::SiArrears => "dispute.social_insurance_arrears",
            F::Iou => "dispute.iou",
            F::WantsMediation => "dispute.wants_mediation",
            F::AlreadyFiled => "dispute.already_filed",
            F::AgreementKind => "dispute.prior_agreement.kind",
            F::AgreementEffectiveOn => "dispute.prior_agreement.effective_on",
            F::AgreementPerformed => "dispute.prior_agreement.performed",
            F::InjuryOccurredOn => "dispute.injury.occurred_on",
            F::InjuryRecognized => "dispute.injury.recognized",
            F::Escalating => "dispute.escalating",
            F::Narrative => "dispute.narrative",
            F::ClaimCategory(i) => return format!("dispute.claims[{i}].category"),
            F::ClaimAmount(i) => return format!("dispute.claims[{i}].amount"),
            F::ClaimKnownOn(i) => return format!("dispute.claims[{i}].known_on"),
            F::AddClaim => "dispute.claims",
        };
        p.to_string()
    }

    /// Problems reported on a group (`applicant.guardian`, `dispute.injury`) are shown at the
    /// group's first field, so no message is left without a place on screen.
    pub fn also_shows(self) -> &'static [&'static str] {
        match self {
            F::GuardianName => &["applicant.guardian"],
            F::InjuryOccurredOn => &["dispute.injury"],
            F::AgreementKind => &["dispute.prior_agreement"],
            F::DispatchName => &["counterparty.dispatch_agency"],
            F::ContractorName => &["counterparty.general_contractor"],
            F::AddClaim => &["dispute.claims"],
            _ => &[],
        }
    }
}

/// One field's value as the clerk left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    Text(TextInput),
    Pick(Option<String>),
    Multi(Vec<String>),
    Tri(Option<bool>),
    None,
}

impl Value {
    /// The value as one line of text, for drafts.
    fn raw(&self) -> String {
        match self {
            Value::Text(t) => t.text().to_string(),
            Value::Pick(p) => p.clone().unwrap_or_default(),
            Value::Multi(m) => m.join(","),
            Value::Tri(Some(true)) => "true".into(),
            Value::Tri(Some(false)) => "false".into(),
            Value::Tri(None) | Value::None => String::new(),
        }
    }

    fn from_raw(kind: Kind, raw: &str) -> Value {
        match kind {
            Kind::Text | Kind::Date | Kind::Amount | Kind::Number => {
                Value::Text(TextInput::new(raw))
            }
            Kind::Pick(..) => Value::Pick((!raw.is_empty()).then(|| raw.to_string())),
            Kind::Multi(_) => Value::Multi(
                raw.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            Kind::Tri => Value::Tri(match raw {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }),
            Kind::Button => Value::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    fixed: BTreeMap<FieldId, Value>,
    claims: Vec<[Value; 3]>,
}

impl Default for Form {
    fn default() -> Self {
        Form::from_record(&IntakeRecord::default())
    }
}

/// The form in a file: field path → text, claims as rows. Plain strings so a draft written by
/// one version reads in the next and a half-typed date survives as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormData {
    pub fields: BTreeMap<String, String>,
    pub claims: Vec<[String; 3]>,
}

fn text_of(v: Option<&Value>) -> &str {
    match v {
        Some(Value::Text(t)) => t.text(),
        _ => "",
    }
}

fn opt_text(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_string())
}

fn opt_date(s: &str) -> Option<DateInput> {
    (!s.trim().is_empty()).then(|| DateInput::parse(s))
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
    pub fn all_fixed() -> impl Iterator<Item = FieldId> {
        APPLICANT
            .iter()
            .chain(COUNTERPARTY)
            .chain(EMPLOYMENT)
            .chain(DISPUTE)
            .copied()
    }

    /// The fields of a section in order, including the claim rows and the add row.
    pub fn fields_of(&self, section: Section) -> Vec<FieldId> {
        match section {
            Section::Applicant => APPLICANT.to_vec(),
            Section::Counterparty => COUNTERPARTY.to_vec(),
            Section::Employment => EMPLOYMENT.to_vec(),
            Section::Dispute => DISPUTE.to_vec(),
            Section::Claims => {
                let mut v: Vec<FieldId> = (0..self.claims.len())
                    .flat_map(|i| [F::ClaimCategory(i), F::ClaimAmount(i), F::ClaimKnownOn(i)])
                    .collect();
                v.push(F::AddClaim);
                v
            }
        }
    }

    /// Every focusable field, in tab order.
    pub fn order(&self) -> Vec<FieldId> {
        Section::ALL
            .iter()
            .flat_map(|s| self.fields_of(*s))
            .collect()
    }

    pub fn claim_count(&self) -> usize {
        self.claims.len()
    }

    pub fn value(&self, id: FieldId) -> &Value {
        static NONE: Value = Value::None;
        match id {
            F::ClaimCategory(i) => self.claims.get(i).map_or(&NONE, |r| &r[0]),
            F::ClaimAmount(i) => self.claims.get(i).map_or(&NONE, |r| &r[1]),
            F::ClaimKnownOn(i) => self.claims.get(i).map_or(&NONE, |r| &r[2]),
            _ => self.fixed.get(&id).unwrap_or(&NONE),
        }
    }

    pub fn value_mut(&mut self, id: FieldId) -> Option<&mut Value> {
        match id {
            F::ClaimCategory(i) => self.claims.get_mut(i).map(|r| &mut r[0]),
            F::ClaimAmount(i) => self.claims.get_mut(i).map(|r| &mut r[1]),
            F::ClaimKnownOn(i) => self.claims.get_mut(i).map(|r| &mut r[2]),
            _ => self.fixed.get_mut(&id),
        }
    }

    /// Adds a claim row; its category starts as the only chosen category when there is one.
    pub fn add_claim(&mut self) -> usize {
        let cats = self.chosen_categories();
        let cat = if cats.len() == 1 {
            Some(cats[0].code().to_string())
        } else {
            None
        };
        self.claims.push([
            Value::Pick(cat),
            Value::Text(TextInput::default()),
            Value::Text(TextInput::default()),
        ]);
        self.claims.len() - 1
    }

    pub fn remove_claim(&mut self, i: usize) {
        if i < self.claims.len() {
            self.claims.remove(i);
        }
    }

    pub fn chosen_categories(&self) -> Vec<Category> {
        match self.value(F::Categories) {
            Value::Multi(m) => m.iter().filter_map(|c| Category::from_code(c)).collect(),
            _ => vec![],
        }
    }

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

    pub fn to_data(&self) -> FormData {
        FormData {
            fields: self
                .fixed
                .iter()
                .map(|(id, v)| (id.path(), v.raw()))
                .filter(|(_, raw)| !raw.is_empty())
                .collect(),
            claims: self
                .claims
                .iter()
                .map(|r| [r[0].raw(), r[1].raw(), r[2].raw()])
                .collect(),
        }
    }

    pub fn from_data(data: &FormData) -> Form {
        let mut form = Form::default();
        for id in Form::all_fixed() {
            if let Some(raw) = data.fields.get(&id.path()) {
                form.fixed.insert(id, Value::from_raw(id.kind(), raw));
            }
        }
        for (i, row) in data.claims.iter().enumerate() {
            form.claims.push([
                Value::from_raw(F::ClaimCategory(i).kind(), &row[0]),
                Value::from_raw(F::ClaimAmount(i).kind(), &row[1]),
                Value::from_raw(F::ClaimKnownOn(i).kind(), &row[2]),
            ]);
        }
        form
    }

    /// True when nothing has been entered (defaults only): such a form is not worth a draft.
    pub fn is_blank(&self) -> bool {
        *self == Form::default()
    }
}

/// The options of a picker as (code, Chinese, English).
pub fn options(list: PickList, form: &Form) -> Vec<(&'static str, &'static str, &'static str)> {
    fn all<T: Copy>(
        items: &[T],
        code: fn(T) -> &'static str,
        zh: fn(T) -> &'static str,
        en: fn(T) -> &'static str,
    ) -> Vec<(&'static str, &'static str, &'static str)> {
        items.iter().map(|t| (code(*t), zh(*t), en(*t))).collect()
    }
    match list {
        PickList::IdType => all(IdType::ALL, IdType::code, IdType::zh, IdType::en),
        PickList::CounterpartyKind => all(
            CounterpartyKind::ALL,
            CounterpartyKind::code,
            CounterpartyKind::zh,
            CounterpartyKind::en,
        ),
        PickList::Industry => all(Industry::ALL, Industry::code, Industry::zh, Industry::en),
        PickList::Status => all(
            EmploymentStatus::ALL,
            EmploymentStatus::code,
            EmploymentStatus::zh,
            EmploymentStatus::en,
        ),
        PickList::Source => all(Source::ALL, Source::code, Source::zh, Source::en),
        PickList::AlreadyFiled => all(
            AlreadyFiled::ALL,
            AlreadyFiled::code,
            AlreadyFiled::zh,
            AlreadyFiled::en,
        ),
        PickList::AgreementKind => all(
            AgreementKind::ALL,
            AgreementKind::code,
            AgreementKind::zh,
            AgreementKind::en,
        ),
        PickList::Category => all(Category::ALL, Category::code, Category::zh, Category::en),
        PickList::Group => all(Group::ALL, Group::code, Group::zh, Group::en),
        PickList::ClaimCategory => {
            let chosen = form.chosen_categories();
            let cats: Vec<Category> = if chosen.is_empty() {
                Category::ALL.to_vec()
            } else {
                chosen
            };
            all(&cats, Category::code, Category::zh, Category::en)
        }
    }
}
