//! The form's fields: which there are, in which section, of which kind, under which path
//! validation names them, and the options a picker offers.

use super::Form;
use crate::domain::*;

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

impl Kind {
    /// Whether the field takes typed text (dates and amounts are typed too).
    pub fn is_typed(self) -> bool {
        matches!(self, Kind::Text | Kind::Date | Kind::Amount | Kind::Number)
    }
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
