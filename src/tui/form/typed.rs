//! What a clerk types, read the way they mean it: an input method's full-width digits and letters
//! in number and code fields, dates written the ways people write them, and the birth date an ID
//! number already carries.

use super::{FieldId, Kind};
use chrono::NaiveDate;

use FieldId as F;

/// Fields whose text is a number or a code: full-width characters from an input method become
/// their ASCII forms as they are typed, and letters are upper case (ID `x`, credit codes).
pub fn folds_width(id: FieldId) -> bool {
    matches!(
        id,
        F::IdNumber
            | F::Phone
            | F::GuardianPhone
            | F::CreditCode
            | F::DispatchCreditCode
            | F::ContractorCreditCode
            | F::Region
            | F::WorkRegion
    ) || matches!(id.kind(), Kind::Date | Kind::Amount | Kind::Number)
}

/// One typed character as a number or code field keeps it: `１`→`1`, `Ｘ`/`x`→`X`, the
/// ideographic space → a space. Other characters (年, 月, 日 in a date) stay as they are.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_uppercase()
}

pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// A date as a clerk writes it: `2025-03-10`, `2025-3-10`, `2025/3/10`, `2025.3.10`,
/// `20250310`, `2025年3月10日` (full-width digits too). `None` when it is none of these or not a
/// real day.
pub fn typed_date(text: &str) -> Option<NaiveDate> {
    let t = fold(text);
    let t = t.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(t, "%Y%m%d").ok();
    }
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月'])
        .map(str::trim)
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str, max_len: usize| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    if y.len() != 4 {
        return None;
    }
    let year = i32::try_from(number(y, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(m, 2)?, number(d, 2)?)
}

/// The text a date field shows once the clerk leaves it: the date in the form's one way of
/// writing it, or the text as typed when it is no date (validation then names it).
pub fn tidy_date(text: &str) -> String {
    match typed_date(text) {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_as_people_write_them() {
        for t in [
            "2025-03-10",
            "2025-3-10",
            "2025/3/10",
            "2025/03/10",
            "2025.3.10",
            "20250310",
            "2025年3月10日",
            "2025年03月10日",
            "２０２５年３月１０日",
            "２０２５／３／１０",
            " 2025/3/10 ",
        ] {
            assert_eq!(typed_date(t), day(2025, 3, 10), "{t}");
        }
        for t in [
            "2025/2/30",
            "25/3/10",
            "2025/3",
            "2025/3/10/1",
            "2025年3月",
            "",
            "年月日",
            "2025/+3/10",
            "2025/003/10",
            "日",
        ] {
            assert_eq!(typed_date(t), None, "{t}");
        }
    }

    #[test]
    fn full_width_becomes_ascii() {
        assert_eq!(
            fold("４１０１０５１９９００３０７１５８ｘ"),
            "41010519900307158X"
        );
        assert_eq!(fold("１３８　１２３４"), "138 1234");
        assert_eq!(fold("年"), "年");
    }
}
