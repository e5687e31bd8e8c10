//! What every rule looks at, computed once from a record that passed validation.

use super::interpretation_two_in_force;
use crate::domain::codes::*;
use crate::domain::intake::IntakeRecord;
use crate::domain::site::SiteSettings;
use chrono::NaiveDate;

/// Everything a rule looks at, computed once from a record that passed validation.
pub struct Facts<'a> {
    pub r: &'a IntakeRecord,
    pub site: &'a SiteSettings,
    pub intake: NaiveDate,
    pub birth: NaiveDate,
    /// (a) unpaid wages without a request for mediation.
    pub matter_unpaid_wages: bool,
    /// (b) unpaid social-insurance contributions.
    pub matter_si_arrears: bool,
    /// (c) ongoing employment without a written contract past the one-month grace.
    pub matter_no_contract: bool,
    pub has_dispute_claims: bool,
}

impl Facts<'_> {
    pub(super) fn has(&self, c: Category) -> bool {
        self.r.dispute.has(c)
    }

    pub(super) fn kind(&self) -> CounterpartyKind {
        self.r.counterparty.kind
    }

    pub(super) fn inspection_matters(&self) -> bool {
        self.matter_unpaid_wages || self.matter_si_arrears || self.matter_no_contract
    }

    pub(super) fn r4_matches(&self) -> bool {
        matches!(
            self.kind(),
            CounterpartyKind::Household
                | CounterpartyKind::Craftsman
                | CounterpartyKind::RuralContractor
        )
    }

    pub(super) fn pension(&self) -> bool {
        self.r.applicant.pension_before_hire == Some(true)
    }

    pub(super) fn r5_matches(&self) -> bool {
        self.pension() && self.intake < interpretation_two_in_force()
    }

    pub(super) fn ld08_unrecognized(&self) -> bool {
        self.has(Category::Ld08)
            && self.r.dispute.injury.as_ref().and_then(|i| i.recognized) == Some(false)
    }

    pub(super) fn date(d: &Option<crate::domain::values::DateInput>) -> Option<NaiveDate> {
        d.as_ref().and_then(|d| d.date())
    }
}

pub(super) fn facts<'a>(
    r: &'a IntakeRecord,
    site: &'a SiteSettings,
    intake: NaiveDate,
    birth: NaiveDate,
) -> Facts<'a> {
    let d = &r.dispute;
    let e = &r.employment;
    // Inspection cannot confirm a labour relationship, so LD01 removes every inspection matter.
    let ld01 = d.has(Category::Ld01);
    let matter_unpaid_wages =
        !ld01 && d.unpaid_wages == Some(true) && d.wants_mediation != Some(true);
    let matter_si_arrears = !ld01 && d.social_insurance_arrears == Some(true);
    let matter_no_contract = !ld01
        && e.status == Some(EmploymentStatus::Ongoing)
        && e.written_contract == Some(false)
        && Facts::date(&e.started_on)
            .is_some_and(|s| intake > crate::domain::calendar::add_months(s, 1));
    let has_dispute_claims = d.categories.iter().any(|c| match c {
        Category::Ld04 => d.unpaid_wages != Some(true),
        Category::Ld07 => d.social_insurance_arrears != Some(true),
        _ => true,
    });
    Facts {
        r,
        site,
        intake,
        birth,
        matter_unpaid_wages,
        matter_si_arrears,
        matter_no_contract,
        has_dispute_claims,
    }
}
