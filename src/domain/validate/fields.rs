//! Checks of one field: dates, amounts, names, text, phones, codes.

use super::{NAME_MAX_CHARS, Validation};
use crate::domain::ids::{self};
use crate::domain::text::{has_hidden, quote};
use crate::domain::values::{AmountInput, AmountProblem, DateInput};
use chrono::NaiveDate;

/// A real date not after the intake; returns it when valid.
pub(super) fn date(
    v: &mut Validation,
    field: &str,
    d: &DateInput,
    intake: NaiveDate,
) -> Option<NaiveDate> {
    match d {
        DateInput::Invalid(text) => {
            v.error(
                field,
                "date_invalid",
                format!(
                    "“{}”不是有效日期，请按20250310或2025-03-10格式输入",
                    quote(text)
                ),
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

pub(super) fn amount(v: &mut Validation, field: &str, a: &AmountInput) {
    if let AmountInput::Invalid { text, problem } = a {
        let msg = match problem {
            AmountProblem::NotANumber => format!(
                "“{}”不是有效金额，请输入以元为单位的数字（可用逗号分隔千位，如3,000.50）",
                quote(text)
            ),
            AmountProblem::Negative => "金额不能为负数".to_string(),
            AmountProblem::TooManyDecimals => "金额最多保留两位小数（精确到分）".to_string(),
            AmountProblem::TooLarge => "金额超过1亿元，请核对".to_string(),
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

/// A name (§4: ≤ 50 characters). Optional names inside a sub-table given in part may be empty.
pub(super) fn name(v: &mut Validation, field: &str, value: &str, required: bool) {
    if value.is_empty() {
        if required {
            v.error(field, "required", "请填写名称");
        }
        return;
    }
    text(v, field, value, NAME_MAX_CHARS);
}

/// No control characters (they would reach the screen and the printer), within the length limit.
pub(super) fn text(v: &mut Validation, field: &str, value: &str, max: usize) {
    no_control(v, field, value);
    let n = value.chars().count();
    if n > max {
        v.error(field, "too_long", format!("最多{max}个字，当前{n}个字"));
    }
}

/// §4: no C0, DEL or C1 control character in any text field. Returns whether the text is clean,
/// so a format check is not reported on top of it.
pub(super) fn no_control(v: &mut Validation, field: &str, value: &str) -> bool {
    if has_hidden(value) {
        v.error(
            field,
            "control_chars",
            "含有不可见的控制字符，请删除后重新输入",
        );
        return false;
    }
    true
}

pub(super) fn phone(v: &mut Validation, field: &str, value: &str) {
    if value.is_empty() {
        v.error(field, "required", "请填写联系电话");
    } else if no_control(v, field, value) && !ids::phone_valid(value) {
        v.error(
            field,
            "phone_invalid",
            "电话号码格式不正确：手机号为1开头的11位数字，固定电话如0371-12345678，境外号码以+开头",
        );
    }
}

/// A bad code is only a warning (§4: employers are often known only by name), but control
/// characters are an error like in every text. Returns whether the code is free of them.
pub(super) fn credit_code(v: &mut Validation, field: &str, value: &str) -> bool {
    if !no_control(v, field, value) {
        return false;
    }
    if !ids::credit_code_valid(value) {
        v.warning(
            field,
            "credit_code_invalid",
            "统一社会信用代码校验不通过，请核对；不清楚可只填单位名称",
        );
    }
    true
}

pub(super) fn region_code(v: &mut Validation, field: &str, value: &str) {
    if no_control(v, field, value)
        && (value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()))
    {
        v.error(field, "region_format", "行政区划代码应为6位数字");
    }
}
