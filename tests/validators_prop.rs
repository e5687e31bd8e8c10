//! Property tests of the ID and credit-code validators: every generated valid number passes, and
//! every single-character corruption of it fails.

use chrono::{Days, NaiveDate};
use onewindow::domain::ids::{
    check_resident_id, credit_code_check_char, credit_code_valid, resident_id_check_char,
};
use proptest::prelude::*;

const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn intake() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 10).expect("date")
}

/// A valid resident ID: any 6-digit region, a real birth date not after the intake, any sequence.
fn resident_id() -> impl Strategy<Value = String> {
    (0u32..1_000_000, 0u64..45_000, 0u32..1000).prop_map(|(region, days, seq)| {
        let birth = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date") + Days::new(days);
        let birth = birth.min(intake());
        let body = format!("{region:06}{}{seq:03}", birth.format("%Y%m%d"));
        let check = resident_id_check_char(&body).expect("17 digits");
        format!("{body}{check}")
    })
}

fn credit_code() -> impl Strategy<Value = String> {
    proptest::collection::vec(0usize..31, 17).prop_map(|idx| {
        let body: String = idx
            .iter()
            .map(|i| CREDIT_CHARS.as_bytes()[*i] as char)
            .collect();
        let check = credit_code_check_char(&body).expect("valid body");
        format!("{body}{check}")
    })
}

proptest! {
    #[test]
    fn valid_resident_ids_pass(id in resident_id()) {
        prop_assert!(check_resident_id(&id, false, intake()).is_ok(), "{id}");
        // Lower-case x is accepted.
        let lower = id.to_ascii_lowercase();
        prop_assert!(check_resident_id(&lower, false, intake()).is_ok(), "{lower}");
    }

    #[test]
    fn any_single_character_corruption_of_a_resident_id_fails(
        id in resident_id(),
        pos in 0usize..18,
        replacement in prop::sample::select(vec!['0','1','2','3','4','5','6','7','8','9','X']),
    ) {
        let mut chars: Vec<char> = id.chars().collect();
        prop_assume!(chars[pos] != replacement);
        chars[pos] = replacement;
        let corrupt: String = chars.into_iter().collect();
        prop_assert!(check_resident_id(&corrupt, false, intake()).is_err(), "{id} -> {corrupt}");
    }

    #[test]
    fn valid_credit_codes_pass(code in credit_code()) {
        prop_assert!(credit_code_valid(&code), "{code}");
    }

    #[test]
    fn any_single_character_corruption_of_a_credit_code_fails(
        code in credit_code(),
        pos in 0usize..18,
        replacement in "[0-9A-Z]",
    ) {
        let replacement = replacement.chars().next().expect("one char");
        let mut chars: Vec<char> = code.chars().collect();
        prop_assume!(chars[pos] != replacement);
        chars[pos] = replacement;
        let corrupt: String = chars.into_iter().collect();
        prop_assert!(!credit_code_valid(&corrupt), "{code} -> {corrupt}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// No text of any script or length may panic a checker (§2); each answers yes or no.
    #[test]
    fn checkers_take_any_text_without_panicking(s in "\\PC{0,40}|.{0,40}") {
        let _ = check_resident_id(&s, false, intake());
        let _ = check_resident_id(&s, true, intake());
        let valid = credit_code_valid(&s);
        // Only an 18-character code can pass.
        prop_assert!(!valid || s.trim().chars().count() == 18, "{s:?}");
    }

    /// 18 characters of any script: the length the credit-code check splits at.
    #[test]
    fn eighteen_characters_of_any_script_are_checked(s in "\\PC{18}") {
        let valid = credit_code_valid(&s);
        prop_assert!(!valid || s.chars().all(|c| CREDIT_CHARS.contains(c)), "{s:?}");
    }
}
