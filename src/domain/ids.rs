//! Identity numbers and codes: GB 11643-1999 resident ID, GB 32100-2015 unified social credit code,
//! phone numbers and the pass/passport formats of §4.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Why a resident ID (or residence permit) number is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    /// Not 17 digits followed by a digit or X.
    Format,
    /// The embedded birth date is not a real date.
    BirthDate,
    /// The embedded birth date is after the intake.
    BirthInFuture,
    /// The check character does not match.
    Checksum,
    /// A residence permit must start 810000, 820000 or 830000.
    PermitRegion,
}

/// The check character for the first 17 digits (`"10X98765432"[Σ(dᵢ·wᵢ) mod 11]`).
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(char::from(ID_CHECK[(sum % 11) as usize]))
}

/// Normalises a resident ID as stored: trimmed, lower-case `x` upper-cased.
pub fn normalize_resident_id(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// Checks a GB 11643 number and returns the birth date it carries.
pub fn check_resident_id(
    s: &str,
    permit: bool,
    not_after: NaiveDate,
) -> Result<NaiveDate, IdProblem> {
    let id = normalize_resident_id(s);
    let bytes = id.as_bytes();
    if bytes.len() != 18
        || !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(IdProblem::Format);
    }
    if permit && !["810000", "820000", "830000"].contains(&&id[..6]) {
        return Err(IdProblem::PermitRegion);
    }
    let birth =
        NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").map_err(|_| IdProblem::BirthDate)?;
    if birth > not_after {
        return Err(IdProblem::BirthInFuture);
    }
    if resident_id_check_char(&id[..17]) != Some(char::from(bytes[17])) {
        return Err(IdProblem::Checksum);
    }
    Ok(birth)
}

/// GB 32100 character set: digits and upper-case letters except I, O, S, V, Z; values 0–30.
const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn credit_value(c: char) -> Option<u32> {
    CREDIT_CHARS.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters (`(31 − Σ mod 31) mod 31`).
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(CREDIT_WEIGHTS) {
        sum += credit_value(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    CREDIT_CHARS.chars().nth(check as usize)
}

pub fn credit_code_valid(s: &str) -> bool {
    let s = s.trim();
    // Split by characters, not bytes: 18 characters of another script are more than 18 bytes, and
    // a byte split would land inside a character.
    let chars: Vec<char> = s.chars().collect();
    let [body @ .., check] = chars.as_slice() else {
        return false;
    };
    if chars.len() != 18 {
        return false;
    }
    let body: String = body.iter().collect();
    credit_code_check_char(&body) == Some(*check)
}

/// A `92` code is a 个体工商户.
pub fn credit_code_is_sole_proprietor(s: &str) -> bool {
    s.trim().starts_with("92")
}

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\+\d{6,15})$").expect("phone pattern")
});
static HKMO_PASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[HM]\d{8}(\d{2})?$").expect("hkmo pattern"));
static TW_PASS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{8}$").expect("tw pattern"));
static PASSPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z0-9]{5,17}$").expect("passport pattern"));

/// Mainland mobile, landline (area code with optional hyphen) or international `+` number.
pub fn phone_valid(s: &str) -> bool {
    PHONE.is_match(s.trim())
}

pub fn hkmo_pass_valid(s: &str) -> bool {
    HKMO_PASS.is_match(s.trim())
}

pub fn tw_pass_valid(s: &str) -> bool {
    TW_PASS.is_match(s.trim())
}

pub fn passport_valid(s: &str) -> bool {
    PASSPORT.is_match(s.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn resident_ids() {
        let at = d("2025-03-10");
        assert_eq!(
            check_resident_id("41010519900307158X", false, at),
            Ok(d("1990-03-07"))
        );
        assert_eq!(
            check_resident_id("41010519900307158x", false, at),
            Ok(d("1990-03-07"))
        );
        assert_eq!(
            check_resident_id("410105199003071231", false, at),
            Err(IdProblem::Checksum)
        );
        assert_eq!(
            check_resident_id("4101051990030712", false, at),
            Err(IdProblem::Format)
        );
        assert_eq!(
            check_resident_id("410105199002301231", false, at),
            Err(IdProblem::BirthDate)
        );
        assert_eq!(
            check_resident_id("41010519900307158X", true, at),
            Err(IdProblem::PermitRegion)
        );
    }

    #[test]
    fn credit_codes() {
        assert!(!credit_code_valid("91410100MA44ABCD1G"));
        assert!(!credit_code_valid("9141010"));
        let body = "91350100MA8RT2KX2";
        let check = credit_code_check_char(body).expect("valid body");
        assert!(credit_code_valid(&format!("{body}{check}")));
    }

    #[test]
    fn credit_codes_of_other_scripts_are_invalid_not_a_panic() {
        // 18 Chinese characters are 54 bytes: splitting at byte 17 used to panic.
        assert!(!credit_code_valid("统一社会信用代码统一社会信用代码统一"));
        assert!(!credit_code_valid("9141010０MA44ABCD1G"));
        assert!(!credit_code_valid("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂"));
        assert!(!credit_code_valid(""));
    }

    #[test]
    fn phones_and_passes() {
        for ok in [
            "13812345678",
            "0371-12345678",
            "037112345678",
            "+85291234567",
            "010-1234567",
        ] {
            assert!(phone_valid(ok), "{ok}");
        }
        for bad in [
            "2381234567",
            "12812345678",
            "1381234567",
            "+12345",
            "0371-123456",
        ] {
            assert!(!phone_valid(bad), "{bad}");
        }
        assert!(hkmo_pass_valid("H12345678") && hkmo_pass_valid("M1234567890"));
        assert!(!hkmo_pass_valid("A12345678"));
        assert!(tw_pass_valid("12345678") && !tw_pass_valid("1234567"));
        assert!(passport_valid("E12345678") && !passport_valid("e1234"));
    }
}
