//! Property tests of the ID and credit-code validators: every generated valid number passes, and
//! every single-character corruption of it fails.

use chrono::{Days, NaiveDate};
use onewindow::domain::ids::{
    check_resident_id, credit_code_check_char, credit_code_is_sole_proprietor, credit_code_valid,
    hkmo_pass_valid, passport_valid, phone_valid, resident_id_check_char, tw_pass_valid,
};
use onewindow::domain::text::{normalize_code, quote};
use onewindow::domain::values::{AmountInput, DateInput, Fen, MAX_AMOUNT};
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

    /// Every parser of §4 takes any text; a yes is only given to text of the right shape.
    #[test]
    fn every_parser_takes_any_text(s in prop_oneof![
        prop::collection::vec(any::<char>(), 0..30).prop_map(|c| c.into_iter().collect::<String>()),
        "[0-9０-９+\\-－,，.．xX 　]{0,20}",
    ]) {
        let _ = credit_code_is_sole_proprietor(&s);
        let n = normalize_code(&s);
        if phone_valid(&n) || hkmo_pass_valid(&n) || tw_pass_valid(&n) || passport_valid(&n) {
            prop_assert!(n.is_ascii(), "{n:?}");
        }
        match DateInput::parse(&s) {
            DateInput::Valid(d) => prop_assert!(d.to_string().len() == 10, "{d}"),
            DateInput::Invalid(t) => prop_assert_eq!(t, s.clone()),
        }
        if let Some(Fen(f)) = AmountInput::parse(&s).fen() {
            prop_assert!((0..=MAX_AMOUNT.0).contains(&f), "{s:?} -> {f}");
        }
        let q = quote(&s);
        prop_assert!(!q.chars().any(char::is_control), "{q:?}");
    }

    /// Amounts read back exactly from their own text, with or without thousands separators.
    #[test]
    fn amounts_round_trip(fen in 0i64..=MAX_AMOUNT.0) {
        let text = Fen(fen).yuan_text();
        prop_assert_eq!(AmountInput::parse(&text).fen(), Some(Fen(fen)));
        let (int, frac) = text.split_once('.').expect("two decimals");
        let grouped: Vec<String> = int
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        let grouped = format!("{}.{frac}", grouped.join(","));
        prop_assert_eq!(AmountInput::parse(&grouped).fen(), Some(Fen(fen)), "{}", grouped);
    }

    /// 18 characters of any script: the length the credit-code check splits at.
    #[test]
    fn eighteen_characters_of_any_script_are_checked(s in "\\PC{18}") {
        let valid = credit_code_valid(&s);
        prop_assert!(!valid || s.chars().all(|c| CREDIT_CHARS.contains(c)), "{s:?}");
    }
}
