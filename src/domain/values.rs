//! Input values that are checked by validation rather than by parsing, so that a bad date or amount
//! is reported at its field together with every other problem instead of aborting the whole file.

use super::text::normalize_code;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A date as typed: `YYYY-MM-DD`, `YYYYMMDD` or a TOML date. Keeps the text when it is not a real
/// date so validation can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateInput {
    Valid(NaiveDate),
    Invalid(String),
}

impl DateInput {
    /// Reads a date as typed. The text is NFKC-normalised and trimmed first (§2), so an input
    /// method's full-width `２０２５－０３－１０` is the same date. Only the two written forms are
    /// dates: a sign, a short year or a time of day is kept as invalid text for validation to name.
    pub fn parse(text: &str) -> Self {
        let t = normalize_code(text);
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let parsed = match t.len() {
            _ if !t.is_ascii() => None,
            8 if digits(&t) => NaiveDate::parse_from_str(&t, "%Y%m%d").ok(),
            10 if t.as_bytes()[4] == b'-'
                && t.as_bytes()[7] == b'-'
                && digits(&t[..4])
                && digits(&t[5..7])
                && digits(&t[8..]) =>
            {
                NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok()
            }
            _ => None,
        };
        match parsed {
            Some(d) => DateInput::Valid(d),
            None => DateInput::Invalid(text.to_string()),
        }
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            DateInput::Valid(d) => Some(*d),
            DateInput::Invalid(_) => None,
        }
    }
}

impl From<NaiveDate> for DateInput {
    fn from(d: NaiveDate) -> Self {
        DateInput::Valid(d)
    }
}

impl fmt::Display for DateInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateInput::Valid(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            DateInput::Invalid(s) => f.write_str(s),
        }
    }
}

impl Serialize for DateInput {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A TOML date literal (unquoted 2025-03-10) arrives as a toml datetime; accept it too.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Toml(toml::value::Datetime),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Text(s) => DateInput::parse(&s),
            Raw::Toml(dt) => DateInput::parse(&dt.to_string()),
        })
    }
}

/// An amount of money in yuan as typed; valid amounts are exact integer fen (分).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountInput {
    Valid(Fen),
    Invalid {
        text: String,
        problem: AmountProblem,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountProblem {
    NotANumber,
    Negative,
    TooManyDecimals,
    TooLarge,
}

/// Money in integer fen: never a float, so sums and thresholds are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fen(pub i64);

impl Fen {
    pub fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan * 100)
    }

    /// Yuan with two decimals, e.g. `3000.00`.
    pub fn yuan_text(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.yuan_text())
    }
}

/// The largest amount accepted (§4: at most 100,000,000 yuan), in fen.
pub const MAX_AMOUNT: Fen = Fen(100_000_000 * 100);

impl AmountInput {
    /// Parses a decimal yuan amount exactly (§4): digits, optionally grouped in thousands with `,`
    /// (`3,000`, not `30,00`), and at most two decimals once trailing zeros are dropped (`3000.50`).
    /// No sign other than a leading `-` (reported as negative), no exponent, no other separator.
    /// The text is NFKC-normalised and trimmed first, so full-width `３，０００` reads as 3,000.
    pub fn parse(text: &str) -> Self {
        let invalid = |problem| AmountInput::Invalid {
            text: text.to_string(),
            problem,
        };
        let t = normalize_code(text);
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.as_str()),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let int_digits: String = if int_part.contains(',') {
            // Groups of three after a first group of one to three digits.
            let mut groups = int_part.split(',');
            let first_ok = groups.next().is_some_and(|g| all_digits(g) && g.len() <= 3);
            if !first_ok || !groups.all(|g| all_digits(g) && g.len() == 3) {
                return invalid(AmountProblem::NotANumber);
            }
            int_part.replace(',', "")
        } else if all_digits(int_part) {
            int_part.to_string()
        } else {
            return invalid(AmountProblem::NotANumber);
        };
        let frac = match frac_part {
            None => "",
            Some(f) if all_digits(f) => f.trim_end_matches('0'),
            Some(_) => return invalid(AmountProblem::NotANumber),
        };
        if frac.len() > 2 {
            return invalid(AmountProblem::TooManyDecimals);
        }
        let int_digits = int_digits.trim_start_matches('0');
        // More digits than the cap has cannot be within it (and would not fit an i64).
        if int_digits.len() > 9 {
            return invalid(if negative {
                AmountProblem::Negative
            } else {
                AmountProblem::TooLarge
            });
        }
        let yuan: i64 = if int_digits.is_empty() {
            0
        } else {
            match int_digits.parse() {
                Ok(v) => v,
                Err(_) => return invalid(AmountProblem::NotANumber),
            }
        };
        let fen_part: i64 = match frac.len() {
            0 => 0,
            1 => i64::from(frac.as_bytes()[0] - b'0') * 10,
            _ => i64::from(frac.as_bytes()[0] - b'0') * 10 + i64::from(frac.as_bytes()[1] - b'0'),
        };
        let total = Fen(yuan * 100 + fen_part);
        if negative && total.0 != 0 {
            return invalid(AmountProblem::Negative);
        }
        if total > MAX_AMOUNT {
            return invalid(AmountProblem::TooLarge);
        }
        AmountInput::Valid(total)
    }

    /// An amount written as a whole number (a TOML or JSON integer).
    pub fn from_int(i: i64) -> Self {
        AmountInput::parse(&i.to_string())
    }

    /// An amount written as a number with a fraction. The shortest text that reads back as the
    /// same float is what the person wrote (`3000.5`, `0.1`), so parsing that text is exact;
    /// `0.125` stays too precise. Rust prints floats without an exponent, so `1e3` is `1000`.
    pub fn from_float(f: f64) -> Self {
        if f.is_finite() {
            AmountInput::parse(&format!("{f}"))
        } else {
            AmountInput::Invalid {
                text: format!("{f}"),
                problem: AmountProblem::NotANumber,
            }
        }
    }

    pub fn fen(&self) -> Option<Fen> {
        match self {
            AmountInput::Valid(f) => Some(*f),
            AmountInput::Invalid { .. } => None,
        }
    }
}

impl From<Fen> for AmountInput {
    fn from(f: Fen) -> Self {
        AmountInput::Valid(f)
    }
}

impl Serialize for AmountInput {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AmountInput::Valid(f) => s.collect_str(f),
            AmountInput::Invalid { text, .. } => s.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for AmountInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Int(i) => AmountInput::from_int(i),
            Raw::Float(f) => AmountInput::from_float(f),
            Raw::Text(s) => AmountInput::parse(&s),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_exactly() {
        assert_eq!(AmountInput::parse("3000").fen(), Some(Fen(300_000)));
        assert_eq!(AmountInput::parse("3000.5").fen(), Some(Fen(300_050)));
        assert_eq!(AmountInput::parse("0.10").fen(), Some(Fen(10)));
        assert_eq!(AmountInput::parse("1,234.56").fen(), Some(Fen(123_456)));
        assert_eq!(AmountInput::parse("12.340").fen(), Some(Fen(1234)));
        assert!(matches!(
            AmountInput::parse("0.125"),
            AmountInput::Invalid {
                problem: AmountProblem::TooManyDecimals,
                ..
            }
        ));
        assert!(matches!(
            AmountInput::parse("-5"),
            AmountInput::Invalid {
                problem: AmountProblem::Negative,
                ..
            }
        ));
        assert!(matches!(
            AmountInput::parse("abc"),
            AmountInput::Invalid {
                problem: AmountProblem::NotANumber,
                ..
            }
        ));
        assert!(matches!(
            AmountInput::parse("."),
            AmountInput::Invalid {
                problem: AmountProblem::NotANumber,
                ..
            }
        ));
    }

    fn problem(text: &str) -> Option<AmountProblem> {
        match AmountInput::parse(text) {
            AmountInput::Valid(_) => None,
            AmountInput::Invalid { problem, .. } => Some(problem),
        }
    }

    /// §4: a number, or a string of digits that may use `,` between thousands (no exponents).
    #[test]
    fn amount_strings_group_by_thousands_and_have_no_exponent() {
        assert_eq!(
            AmountInput::parse("12,345,678.9").fen(),
            Some(Fen(1_234_567_890))
        );
        assert_eq!(AmountInput::parse(" 3000 ").fen(), Some(Fen(300_000)));
        for bad in [
            "30,00", "3,0000", ",300", "300,", "1e3", "1E3", "3_000", "+5", "5.", ".5", "3 000",
            "0x10", "١٢",
        ] {
            assert_eq!(problem(bad), Some(AmountProblem::NotANumber), "{bad}");
        }
    }

    /// §4: at most 100,000,000 yuan.
    #[test]
    fn amounts_above_one_hundred_million_yuan_are_too_large() {
        assert_eq!(AmountInput::parse("100,000,000").fen(), Some(MAX_AMOUNT));
        assert_eq!(AmountInput::parse("100000000.00").fen(), Some(MAX_AMOUNT));
        assert_eq!(problem("100000000.01"), Some(AmountProblem::TooLarge));
        assert_eq!(
            problem("99999999999999999999999"),
            Some(AmountProblem::TooLarge)
        );
        assert_eq!(AmountInput::from_float(1e9).fen(), None);
        assert_eq!(AmountInput::from_int(i64::MAX).fen(), None);
        assert_eq!(AmountInput::from_int(i64::MIN).fen(), None);
        assert_eq!(AmountInput::from_float(f64::NAN).fen(), None);
    }

    /// §2: an input method's full-width digits and separators are the same amount.
    #[test]
    fn full_width_amounts_are_normalised() {
        assert_eq!(
            AmountInput::parse("３，０００．５０").fen(),
            Some(Fen(300_050))
        );
        assert_eq!(AmountInput::parse("　８００　").fen(), Some(Fen(80_000)));
    }

    #[test]
    fn float_amounts_from_toml_are_exact() {
        #[derive(Deserialize)]
        struct W {
            a: AmountInput,
        }
        let w: W = toml::from_str("a = 0.1").expect("toml");
        assert_eq!(w.a.fen(), Some(Fen(10)));
        let w: W = toml::from_str("a = 19999.99").expect("toml");
        assert_eq!(w.a.fen(), Some(Fen(1_999_999)));
        let w: W = serde_json::from_str(r#"{"a": 2420}"#).expect("json");
        assert_eq!(w.a.fen(), Some(Fen(242_000)));
    }

    #[test]
    fn dates_accept_both_forms() {
        assert_eq!(
            DateInput::parse("20250310").date(),
            NaiveDate::from_ymd_opt(2025, 3, 10)
        );
        assert_eq!(
            DateInput::parse("2025-03-10").date(),
            NaiveDate::from_ymd_opt(2025, 3, 10)
        );
        assert_eq!(DateInput::parse("2025-02-30").date(), None);
        assert_eq!(DateInput::parse("2025-3-1").date(), None);
    }

    /// §2: dates are NFKC-normalised and trimmed; only the two written forms are dates.
    #[test]
    fn dates_are_normalised_and_strict() {
        let march10 = NaiveDate::from_ymd_opt(2025, 3, 10);
        assert_eq!(DateInput::parse("２０２５－０３－１０").date(), march10);
        assert_eq!(DateInput::parse("２０２５０３１０").date(), march10);
        assert_eq!(DateInput::parse(" 2025-03-10 ").date(), march10);
        for bad in [
            "+2025-3-10",
            "2025/03/10",
            "2025-03-1 ",
            "10-03-2025",
            "2025-03-10T09:00",
            "２０２５年３月１０日",
            "20250310a",
        ] {
            assert_eq!(DateInput::parse(bad).date(), None, "{bad}");
        }
        // A typo keeps the text as typed so the message can quote it.
        assert_eq!(
            DateInput::parse("2025-3-1"),
            DateInput::Invalid("2025-3-1".into())
        );
    }
}
