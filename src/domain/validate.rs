//! Validation of an intake record (§4). Every problem is named at its field path with a stable code
//! and a Chinese message a clerk understands; all problems are reported at once. Errors block
//! routing (rule R0); warnings do not.

use super::age;
use super::codes::{Category, CounterpartyKind, EmploymentStatus, IdType};
use super::decision::Problem;
use super::ids::{self, IdProblem};
use super::intake::{IntakeRecord, Unit};
use super::values::{AmountInput, AmountProblem, DateInput};
use chrono::NaiveDate;

/// Longest name (§4); applied to every name field.
pub const NAME_MAX_CHARS: usize = 50;
pub const NARRATIVE_MAX_CHARS: usize = 2000;
/// Addresses have no limit in §4; this bound only keeps a paste accident off the paper.
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

pub fn validate(r: &IntakeRecord, intake: NaiveDate) -> Validation {
    let mut v = Validation::default();
    applicant(r, intake, &mut v);
    counterparty(r, &mut v);
    let started = employment(r, intake, &mut v);
    dispute(r, intake, started, &mut v);
    v
}

fn applicant(r: &IntakeRecord, intake: NaiveDate, v: &mut Validation) {
    let a = &r.applicant;
    name(v, "applicant.name", &a.name, true);
    let id = a.id_number.trim();
    let carries_birth = matches!(a.id_type, IdType::ResidentId | IdType::ResidencePermit);
    if id.is_empty() {
        v.error("applicant.id_number", "required", "请填写证件号码");
    } else if carries_birth {
        let permit = a.id_type == IdType::ResidencePermit;
        match ids::check_resident_id(id, permit, intake) {
            Ok(birth) => v.birth_date = Some(birth),
            Err(p) => {
                let (code, msg) = match p {
                    IdProblem::Format => ("id_format", "证件号码应为18位：17位数字加1位数字或X"),
                    IdProblem::BirthDate => ("id_birth_date", "证件号码中的出生日期不是有效日期"),
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

    if let Some(g) = &a.guardian {
        name(v, "applicant.guardian.name", &g.name, true);
        phone(v, "applicant.guardian.phone", &g.phone);
    } else if let Some(birth) = v.birth_date
        && age::under(birth, 18, intake)
    {
        v.warning(
            "applicant.guardian",
            "guardian_missing",
            "申请人未满18周岁，请登记监护人（以自己劳动收入为主要生活来源的16、17周岁人员可不登记）",
        );
    }
}

fn counterparty(r: &IntakeRecord, v: &mut Validation) {
    let c = &r.counterparty;
    name(v, "counterparty.name", &c.name, true);
    if let Some(code) = &c.credit_code {
        credit_code(v, "counterparty.credit_code", code);
        if ids::credit_code_is_sole_proprietor(code) && c.kind != CounterpartyKind::Employer {
            v.warning(
                "counterparty.credit_code",
                "credit_code_sole_proprietor",
                "统一社会信用代码以92开头，为个体工商户；个体工商户招用劳动者的属于用人单位，请核对被申请人类型",
            );
        }
    }
    if let Some(addr) = &c.address {
        text(v, "counterparty.address", addr, ADDRESS_MAX_CHARS);
    }
    if let Some(region) = &c.region {
        region_code(v, "counterparty.region", region);
    }
    for (field, unit) in [
        ("counterparty.dispatch_agency", &c.dispatch_agency),
        ("counterparty.general_contractor", &c.general_contractor),
    ] {
        if let Some(Unit {
            name: n,
            credit_code: code,
        }) = unit
        {
            name(v, &format!("{field}.name"), n, true);
            if let Some(code) = code {
                credit_code(v, &format!("{field}.credit_code"), code);
            }
        }
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
        if !d.categories.contains(&claim.category) {
            v.error(
                format!("{base}.category"),
                "claim_category_not_listed",
                format!("请求事项的类别“{}”不在所选争议类别中", claim.category.zh()),
            );
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
            date(v, &format!("{base}.known_on"), k, intake);
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

/// A real date not after the intake; returns it when valid.
fn date(v: &mut Validation, field: &str, d: &DateInput, intake: NaiveDate) -> Option<NaiveDate> {
    match d {
        DateInput::Invalid(text) => {
            v.error(
                field,
                "date_invalid",
                format!("“{text}”不是有效日期，请按20250310或2025-03-10格式输入"),
            );
            None
        }
        DateInput::Valid(date) if *date > intake => {
            v.error(field, "date_after_intake", "日期不能晚于登记日期");
            None
        }
        DateInput::Valid(date) => Some(*date),
    }
}

fn amount(v: &mut Validation, field: &str, a: &AmountInput) {
    if let AmountInput::Invalid { text, problem } = a {
        let msg = match problem {
            AmountProblem::NotANumber => format!("“{text}”不是有效金额，请输入以元为单位的数字"),
            AmountProblem::Negative => "金额不能为负数".to_string(),
            AmountProblem::TooManyDecimals => "金额最多保留两位小数（精确到分）".to_string(),
            AmountProblem::TooLarge => "金额过大，请核对".to_string(),
        };
        let code = match problem {
            AmountProblem::NotANumber => "amount_invalid",
            AmountProblem::Negative => "amount_negative",
            AmountProblem::TooManyDecimals => "amount_decimals",
            AmountProblem::TooLarge => "amount_too_large",
        };
        v.error(field, code, msg);
    }
}

fn name(v: &mut Validation, field: &str, value: &str, required: bool) {
    if required && value.trim().is_empty() {
        v.error(field, "required", "请填写名称");
        return;
    }
    text(v, field, value, NAME_MAX_CHARS);
}

/// No control characters (they would reach the screen and the printer), within the length limit.
fn text(v: &mut Validation, field: &str, value: &str, max: usize) {
    if value.chars().any(char::is_control) {
        v.error(
            field,
            "control_chars",
            "含有不可见的控制字符，请删除后重新输入",
        );
    }
    let n = value.chars().count();
    if n > max {
        v.error(field, "too_long", format!("最多{max}个字，当前{n}个字"));
    }
}

fn phone(v: &mut Validation, field: &str, value: &str) {
    if value.trim().is_empty() {
        v.error(field, "required", "请填写联系电话");
    } else if !ids::phone_valid(value) {
        v.error(
            field,
            "phone_invalid",
            "电话号码格式不正确：手机号为1开头的11位数字，固定电话如0371-12345678，境外号码以+开头",
        );
    }
}

fn credit_code(v: &mut Validation, field: &str, value: &str) {
    if !ids::credit_code_valid(value) {
        v.warning(
            field,
            "credit_code_invalid",
            "统一社会信用代码校验不通过，请核对；不清楚可只填单位名称",
        );
    }
}

fn region_code(v: &mut Validation, field: &str, value: &str) {
    let t = value.trim();
    if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        v.error(field, "region_format", "行政区划代码应为6位数字");
    }
}
