//! Input values that are checked by validation rather than by parsing, so that a bad date or amount
//! is reported at its field together with every other problem instead of aborting the whole file.

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
    pub fn parse(text: &str) -> Self {
        let t = text.trim();
        let parsed = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            NaiveDate::parse_from_str(t, "%Y%m%d").ok()
        } else if t.len() == 10 {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
        } else {
            None
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

/// Largest amount accepted: 10^12 yuan is far above any claim and keeps fen inside i64.
const MAX_YUAN_DIGITS: usize = 12;

impl AmountInput {
    /// Parses a decimal yuan amount exactly (`3000`, `3000.5`, `3000.50`, `3,000`).
    pub fn parse(text: &str) -> Self {
        let t: String = text
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '_')
            .collect();
        let invalid = |problem| AmountInput::Invalid {
            text: text.to_string(),
            problem,
        };
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(&t)),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.is_empty() && frac_part.is_empty()
            || !digits_ok(int_part)
            || !digits_ok(frac_part)
            || (body.contains('.') && frac_part.is_empty() && int_part.is_empty())
        {
            return invalid(AmountProblem::NotANumber);
        }
        let frac_trimmed = frac_part.trim_end_matches('0');
        if frac_trimmed.len() > 2 {
            return invalid(AmountProblem::TooManyDecimals);
        }
        let int_trimmed = int_part.trim_start_matches('0');
        if int_trimmed.len() > MAX_YUAN_DIGITS {
            return invalid(AmountProblem::TooLarge);
        }
        let yuan: i64 = if int_trimmed.is_empty() {
            0
        } else {
            match int_trimmed.parse() {
                Ok(v) => v,
                Err(_) => return invalid(AmountProblem::NotANumber),
            }
        };
        let mut fen_part = frac_trimmed.to_string();
        while fen_part.len() < 2 {
            fen_part.push('0');
        }
        let fen: i64 = fen_part.parse().unwrap_or(0);
        let total = yuan * 100 + fen;
        if negative && total != 0 {
            return invalid(AmountProblem::Negative);
        }
        AmountInput::Valid(Fen(total))
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
            Raw::Int(i) => AmountInput::parse(&i.to_string()),
            // The shortest text that reads back as the same float is what the person wrote
            // (`3000.5`, `0.1`), so parsing that text is exact; `0.125` stays too precise.
            Raw::Float(f) if f.is_finite() => AmountInput::parse(&format!("{f}")),
            Raw::Float(f) => AmountInput::Invalid {
                text: format!("{f}"),
                problem: AmountProblem::NotANumber,
            },
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
}
