//! A validation problem's message in the reader's language, by its code. The Chinese is the
//! domain's own message (it says which field and how to fix it, and one code serves several
//! fields with their own words); the English is one sentence per code, written once here.

use super::Lang;

/// English messages by problem code; a code missing here shows the domain's message.
const ENGLISH: &[(&str, &str)] = &[
    // Problems found reading an intake file; the field path printed beside the message names
    // the field (and, for an unknown field, the name typed).
    (
        "unknown_field",
        "not a field of the intake record: check the name",
    ),
    (
        "unknown_value",
        "not one of the allowed values: see the codes in the domain reference",
    ),
    ("wrong_type", "a value of the wrong type for this field"),
    ("required", "required"),
    ("id_format", "ID number has the wrong format"),
    (
        "id_birth_date",
        "the birth date in the ID number is not valid",
    ),
    ("id_checksum", "ID number check digit is wrong"),
    (
        "id_permit_region",
        "residence permit must start 810000, 820000 or 830000",
    ),
    (
        "birth_date_mismatch",
        "birth date differs from the ID number",
    ),
    ("guardian_missing", "applicant under 18: record a guardian"),
    ("credit_code_invalid", "credit code check failed"),
    ("credit_code", "credit code check failed"),
    (
        "credit_code_sole_proprietor",
        "code starts 92 (sole proprietor): check the kind",
    ),
    ("date_invalid", "not a date: type 20250310 or 2025-03-10"),
    ("date_format", "not a date: type 20250310 or 2025-03-10"),
    ("date_after_intake", "date after the intake date"),
    ("ended_before_started", "ended before it started"),
    (
        "ended_on_with_ongoing",
        "employment is ongoing: no end date",
    ),
    (
        "known_before_started",
        "known before employment started: check",
    ),
    (
        "claim_category_not_listed",
        "claim category is not among the categories",
    ),
    ("workers_min", "at least 1 worker"),
    ("too_long", "too long"),
    ("control_chars", "contains control characters"),
    ("control_characters", "contains control characters"),
    ("phone_invalid", "not a valid phone number"),
    ("phone_format", "not a valid phone number"),
    ("region_format", "region code must be 6 digits"),
    ("amount_invalid", "not a valid amount in yuan"),
    ("amount_format", "not a valid amount in yuan"),
    ("amount_negative", "amount must not be negative"),
    ("amount_decimals", "at most 2 decimals"),
    ("amount_too_large", "amount too large"),
    (
        "dispatch_agency_missing",
        "dispatched worker: record the dispatch agency too",
    ),
    (
        "general_contractor_missing",
        "construction arrears: record the general contractor",
    ),
    (
        "calendar_missing",
        "no holiday calendar for a deadline's year",
    ),
];

/// The message of problem `code` in `lang`; `chinese` is the domain's message, shown in Chinese
/// and for a code without an English sentence.
pub fn message(lang: Lang, code: &str, chinese: &str) -> String {
    match lang {
        Lang::Zh => chinese.to_string(),
        Lang::En => ENGLISH
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(chinese, |(_, en)| en)
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_by_code_and_the_domain_s_chinese() {
        assert_eq!(
            message(Lang::En, "id_checksum", "证件号码校验位不正确"),
            "ID number check digit is wrong"
        );
        assert_eq!(
            message(Lang::Zh, "id_checksum", "证件号码校验位不正确"),
            "证件号码校验位不正确"
        );
        assert_eq!(message(Lang::En, "no_such_code", "某条消息"), "某条消息");
    }

    /// Every problem code the domain can raise has its English: the codes are read from the
    /// domain's sources (validation, the file reader, classification), so a new code without a
    /// translation fails here instead of showing Chinese on an English screen.
    #[test]
    fn every_code_the_domain_raises_has_english() {
        let sources = [
            include_str!("../domain/validate/mod.rs"),
            include_str!("../domain/validate/fields.rs"),
            include_str!("../domain/intake_file/record.rs"),
            include_str!("../domain/classify/mod.rs"),
            include_str!("../domain/ids.rs"),
        ];
        let patterns = [
            r#"v\.(?:error|warning)\(\s*[^,]+,\s*"([a-z_0-9]+)""#,
            r#"self\.problem\(\s*[^,]+,\s*"([a-z_0-9]+)""#,
            r#"code:\s*"([a-z_0-9]+)""#,
            r#"=>\s*\(\s*"([a-z_][a-z_0-9]+)""#,
        ];
        let mut seen = Vec::new();
        for p in patterns {
            let re = regex::Regex::new(p).expect("the pattern compiles");
            for src in sources {
                seen.extend(re.captures_iter(src).map(|c| c[1].to_string()));
            }
        }
        seen.sort();
        seen.dedup();
        assert!(seen.len() >= 20, "the scan found the codes: {seen:?}");
        let missing: Vec<&String> = seen
            .iter()
            .filter(|c| !ENGLISH.iter().any(|(code, _)| code == c))
            .collect();
        assert!(missing.is_empty(), "no English for {missing:?}");
    }

    /// A code is listed once, so its English cannot differ between two rows.
    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<&str> = ENGLISH.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }
}
