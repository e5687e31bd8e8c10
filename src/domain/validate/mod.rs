//! Validation of an intake record (§4). Every problem is named at its field path with a stable code
//! and a Chinese message a clerk understands; all problems are reported at once, warnings on a
//! blocked record too. Errors block routing (rule R0); warnings do not.
//!
//! The record is read normalised (§2, [`IntakeRecord::normalized`]): trimmed, empty = absent,
//! numbers and codes NFKC-normalised. Problems found while reading a file (unknown fields and
//! values, wrong types) come in as `read` problems and are reported first.

mod fields;
#[cfg(test)]
mod tests;

use super::age;
use super::codes::{Category, CounterpartyKind, EmploymentStatus, Group, IdType, Industry};
use super::decision::Problem;
use super::ids::{self, IdProblem};
use super::intake::{IntakeRecord, Unit};
use chrono::NaiveDate;
use fields::*;

/// Longest name (§4); applied to every name field.
pub const NAME_MAX_CHARS: usize = 50;
pub const NARRATIVE_MAX_CHARS: usize = 2000;
pub const ADDRESS_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// The applicant's birth date, from the ID number where it carries one.
    pub birth_date: Option<NaiveDate>,
}

impl Validation {
    fn error(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(Problem {
            field: field.into(),
            code: code.to_string(),
            message: message.into(),
        });
    }

    fn warning(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.warnings.push(Problem {
            field: field.into(),
            code: code.to_string(),
            message: message.into(),
        });
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Problems named at exactly this field (for the form).
    pub fn at<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.errors
            .iter()
            .chain(self.warnings.iter())
            .filter(move |p| p.field == field)
    }
}

/// Validates a record as typed: it is normalised first (§2).
pub fn validate(r: &IntakeRecord, intake: NaiveDate) -> Validation {
    validate_read(&r.normalized(), intake, &[])
}

/// Validates a record that is already normalised, with the problems found while reading it.
///
/// A value that could not be read is absent from the record; the read problem already names it,
/// so a `required` error at the same field (or above it) is not added, nor a check that depends on
/// it: the ID number is not checked against an unreadable `id_type`, a claim's category not
/// against unreadable categories, a `92` code not against an unreadable `kind`.
pub fn validate_read(r: &IntakeRecord, intake: NaiveDate, read: &[Problem]) -> Validation {
    let mut v = Validation::default();
    applicant(r, intake, &mut v);
    counterparty(r, &mut v);
    let started = employment(r, intake, &mut v);
    dispute(r, intake, started, &mut v);
    if read.is_empty() {
        return v;
    }
    // A read problem at the field, inside it (`dispute.categories[0]` for `dispute.categories`)
    // or around it (`dispute.claims[0]` for `dispute.claims[0].category`; `""` is the file).
    let within = |inner: &str, outer: &str| {
        outer.is_empty()
            || inner == outer
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    let unread = |field: &str| {
        read.iter()
            .any(|p| within(&p.field, field) || within(field, &p.field))
    };
    let keep = |p: &Problem| {
        let depends_on = match (p.field.as_str(), p.code.as_str()) {
            (_, "required") => Some(p.field.as_str()),
            ("applicant.id_number" | "applicant.birth_date", _) => Some("applicant.id_type"),
            (_, "claim_category_not_listed") => Some("dispute.categories"),
            (_, "credit_code_sole_proprietor") => Some("counterparty.kind"),
            _ => None,
        };
        !depends_on.is_some_and(unread)
    };
    let errors = std::mem::take(&mut v.errors);
    v.errors = read.to_vec();
    v.errors.extend(errors.into_iter().filter(|p| keep(p)));
    v.warnings.retain(|p| keep(p));
    v
}

fn applicant(r: &IntakeRecord, intake: NaiveDate, v: &mut Validation) {
    let a = &r.applicant;
    name(v, "applicant.name", &a.name, true);
    let id = a.id_number.as_str();
    let carries_birth = matches!(a.id_type, IdType::ResidentId | IdType::ResidencePermit);
    if id.is_empty() {
        v.error("applicant.id_number", "required", "请填写证件号码");
    } else if no_control(v, "applicant.id_number", id) {
        if carries_birth {
            let permit = a.id_type == IdType::ResidencePermit;
            match ids::check_resident_id(id, permit, intake) {
                Ok(birth) => v.birth_date = Some(birth),
                Err(p) => {
                    let (code, msg) = match p {
                        IdProblem::Format => {
                            ("id_format", "证件号码应为18位：17位数字加1位数字或X")
                        }
                        IdProblem::BirthDate => {
                            ("id_birth_date", "证件号码中的出生日期不是有效日期")
                        }
                        IdProblem::BirthInFuture => {
                            ("id_birth_date", "证件号码中的出生日期晚于登记日期")
                        }
                        IdProblem::Checksum => {
                            ("id_checksum", "证件号码校验位不正确，请核对后重新输入")
                        }
                        IdProblem::PermitRegion => (
                            "id_permit_region",
                            "港澳台居民居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头",
                        ),
                    };
                    v.error("applicant.id_number", code, msg);
                }
            }
        } else {
            let (ok, msg) = match a.id_type {
                IdType::HkmoPass => (
                    ids::hkmo_pass_valid(id),
                    "港澳居民来往内地通行证号码应为H或M加8位或10位数字",
                ),
                IdType::TwPass => (
                    ids::tw_pass_valid(id),
                    "台湾居民来往大陆通行证号码应为8位数字",
                ),
                _ => (ids::passport_valid(id), "护照号码应为5至17位大写字母或数字"),
            };
            if !ok {
                v.error("applicant.id_number", "id_format", msg);
            }
        }
    }

    match (&a.birth_date, carries_birth) {
        (None, false) => v.error("applicant.birth_date", "required", "请填写出生日期"),
        (None, true) => {}
        (Some(b), _) => {
            if let Some(given) = date(v, "applicant.birth_date", b, intake) {
                match (carries_birth, v.birth_date) {
                    (true, Some(from_id)) if from_id != given => v.error(
                        "applicant.birth_date",
                        "birth_date_mismatch",
                        format!(
                            "出生日期与证件号码不一致（证件号码为{}）",
                            from_id.format("%Y-%m-%d")
                        ),
                    ),
                    (false, _) => v.birth_date = Some(given),
                    _ => {}
                }
            }
        }
    }

    phone(v, "applicant.phone", &a.phone);

    // A guardian given in part is kept as given (§4): nothing in it is required, but what is
    // given is checked. Without a phone the guardian cannot be reached: that is the warning.
    let guardian_phone = a.guardian.as_ref().is_some_and(|g| !g.phone.is_empty());
    if let Some(g) = &a.guardian {
        name(v, "applicant.guardian.name", &g.name, false);
        if !g.phone.is_empty() {
            phone(v, "applicant.guardian.phone", &g.phone);
        }
    }
    if !guardian_phone
        && let Some(birth) = v.birth_date
        && age::under(birth, 18, intake)
    {
        v.warning(
            "applicant.guardian",
            "guardian_missing",
            "申请人未满18周岁，请登记监护人及其联系电话（以自己劳动收入为主要生活来源的16、17周岁人员可不登记）",
        );
    }
    if a.in_group(Group::Dispatched) && r.counterparty.dispatch_agency.is_none() {
        v.warning(
            "counterparty.dispatch_agency",
            "dispatch_agency_missing",
            "劳务派遣人员：请登记劳务派遣单位（派遣单位与用工单位为共同当事人）",
        );
    }
}

fn counterparty(r: &IntakeRecord, v: &mut Validation) {
    let c = &r.counterparty;
    name(v, "counterparty.name", &c.name, true);
    if let Some(code) = &c.credit_code
        && credit_code(v, "counterparty.credit_code", code)
        && ids::credit_code_is_sole_proprietor(code)
        && c.kind != CounterpartyKind::Employer
    {
        v.warning(
            "counterparty.credit_code",
            "credit_code_sole_proprietor",
            "统一社会信用代码以92开头，为个体工商户；个体工商户招用劳动者的属于用人单位，请核对被申请人类型",
        );
    }
    if let Some(addr) = &c.address {
        text(v, "counterparty.address", addr, ADDRESS_MAX_CHARS);
    }
    if let Some(region) = &c.region {
        region_code(v, "counterparty.region", region);
    }
    // A unit given in part is kept as given (§4): its name is not required.
    for (field, unit) in [
        ("counterparty.dispatch_agency", &c.dispatch_agency),
        ("counterparty.general_contractor", &c.general_contractor),
    ] {
        if let Some(Unit {
            name: n,
            credit_code: code,
        }) = unit
        {
            name(v, &format!("{field}.name"), n, false);
            if let Some(code) = code {
                credit_code(v, &format!("{field}.credit_code"), code);
            }
        }
    }
    if c.industry == Some(Industry::Construction)
        && r.dispute.has(Category::Ld04)
        && c.general_contractor.is_none()
    {
        v.warning(
            "counterparty.general_contractor",
            "general_contractor_missing",
            "工程建设领域欠薪：请登记施工总承包单位（由其先行清偿）",
        );
    }
}

/// Returns the start date when it is valid, for the checks on `dispute.known_on`.
fn employment(r: &IntakeRecord, intake: NaiveDate, v: &mut Validation) -> Option<NaiveDate> {
    let e = &r.employment;
    let started = e
        .started_on
        .as_ref()
        .and_then(|d| date(v, "employment.started_on", d, intake));
    let ended = e
        .ended_on
        .as_ref()
        .and_then(|d| date(v, "employment.ended_on", d, intake));
    if let (Some(s), Some(en)) = (started, ended)
        && en < s
    {
        v.error(
            "employment.ended_on",
            "ended_before_started",
            "离职日期早于入职日期",
        );
    }
    match (e.status, &e.ended_on) {
        (Some(EmploymentStatus::Ongoing), Some(_)) => v.error(
            "employment.ended_on",
            "ended_on_with_ongoing",
            "用工状态为“在职”，不应填写离职日期",
        ),
        (Some(EmploymentStatus::Ended), None) => v.error(
            "employment.ended_on",
            "required",
            "用工状态为“已离职”，请填写离职日期",
        ),
        _ => {}
    }
    if let Some(region) = &e.work_region {
        region_code(v, "employment.work_region", region);
    }
    started
}

fn dispute(r: &IntakeRecord, intake: NaiveDate, started: Option<NaiveDate>, v: &mut Validation) {
    let d = &r.dispute;
    if d.categories.is_empty() {
        v.error("dispute.categories", "required", "请至少选择一项争议类别");
    }
    match &d.known_on {
        None => v.error(
            "dispute.known_on",
            "required",
            "请填写知道或应当知道权利被侵害的日期",
        ),
        Some(k) => {
            if let (Some(known), Some(s)) = (date(v, "dispute.known_on", k, intake), started)
                && known < s
            {
                v.warning(
                    "dispute.known_on",
                    "known_before_started",
                    "知道权利被侵害的日期早于入职日期，请核对",
                );
            }
        }
    }
    if let Some(li) = &d.last_interruption_on {
        date(v, "dispute.last_interruption_on", li, intake);
    }
    for (i, claim) in d.claims.iter().enumerate() {
        let base = format!("dispute.claims[{i}]");
        match claim.category {
            None => v.error(
                format!("{base}.category"),
                "required",
                "请选择请求事项的争议类别",
            ),
            Some(c) if !d.categories.contains(&c) => v.error(
                format!("{base}.category"),
                "claim_category_not_listed",
                format!("请求事项的类别“{}”不在所选争议类别中", c.zh()),
            ),
            Some(_) => {}
        }
        match &claim.amount {
            None => v.error(
                format!("{base}.amount"),
                "required",
                "请填写请求金额（元，每人）",
            ),
            Some(a) => amount(v, &format!("{base}.amount"), a),
        }
        if let Some(k) = &claim.known_on {
            let field = format!("{base}.known_on");
            if let (Some(known), Some(s)) = (date(v, &field, k, intake), started)
                && known < s
            {
                v.warning(
                    field,
                    "known_before_started",
                    "该项请求知道权利被侵害的日期早于入职日期，请核对",
                );
            }
        }
    }
    let workers = d.workers();
    if workers < 1 {
        v.error(
            "dispute.workers_involved",
            "workers_min",
            "涉及人数至少为1人",
        );
    }
    if workers >= 10 && d.common_claim.is_none() {
        v.error(
            "dispute.common_claim",
            "required",
            "涉及10人以上，请确认是否有共同请求（决定是否按集体争议处理）",
        );
    }
    if let Some(p) = &d.prior_agreement {
        if p.kind.is_none() {
            v.error(
                "dispute.prior_agreement.kind",
                "required",
                "请选择调解协议的类型",
            );
        }
        match &p.effective_on {
            None => v.error(
                "dispute.prior_agreement.effective_on",
                "required",
                "请填写调解协议生效日期",
            ),
            Some(e) => {
                date(v, "dispute.prior_agreement.effective_on", e, intake);
            }
        }
        if p.performed.is_none() {
            v.error(
                "dispute.prior_agreement.performed",
                "required",
                "请确认调解协议是否已履行",
            );
        }
    }
    match &d.injury {
        None if d.has(Category::Ld08) => v.error(
            "dispute.injury",
            "required",
            "争议类别含工伤待遇，请填写受伤日期及是否已认定工伤",
        ),
        None => {}
        Some(inj) => {
            match &inj.occurred_on {
                None => v.error("dispute.injury.occurred_on", "required", "请填写受伤日期"),
                Some(o) => {
                    date(v, "dispute.injury.occurred_on", o, intake);
                }
            }
            if inj.recognized.is_none() {
                v.error(
                    "dispute.injury.recognized",
                    "required",
                    "请确认是否已作出工伤认定决定",
                );
            }
        }
    }
    if let Some(n) = &d.narrative {
        text(v, "dispute.narrative", n, NARRATIVE_MAX_CHARS);
    }
}
