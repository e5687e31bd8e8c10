//! Recognising the same employer across cases (§9 repeat employers; issue 7 early warning):
//! by unified social credit code when there is a valid one, else by a normalised name.

use super::ids;

/// The key under which cases against one employer are counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EmployerKey {
    CreditCode(String),
    Name(String),
}

impl EmployerKey {
    pub fn of(name: &str, credit_code: Option<&str>) -> EmployerKey {
        match credit_code.map(str::trim) {
            Some(code) if ids::credit_code_valid(code) => EmployerKey::CreditCode(code.to_string()),
            _ => EmployerKey::Name(normalize_name(name)),
        }
    }

    /// The text stored in the database column `employer_key`.
    pub fn as_text(&self) -> String {
        match self {
            EmployerKey::CreditCode(c) => format!("code:{c}"),
            EmployerKey::Name(n) => format!("name:{n}"),
        }
    }
}

/// Folds the ways one name is written: full-width ASCII and brackets, spaces, and the long and
/// short forms of the company suffix, so 「郑州恒达建筑工程有限责任公司 」 and
/// 「郑州恒达建筑工程(有限公司)」 count as one employer.
pub fn normalize_name(name: &str) -> String {
    let folded: String = name
        .chars()
        .filter_map(|c| match c {
            // Full-width ASCII block to half-width.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            '\u{3000}' => None,
            c if c.is_whitespace() => None,
            c => Some(c.to_ascii_uppercase()),
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '·' | '.' | '-'))
        .collect();
    folded
        .replace("有限责任公司", "有限公司")
        .replace("股份有限公司", "有限公司")
}

/// Groups cases per employer: rows with a valid credit code by the code; a row without one joins
/// the coded employer whose normalised name it shares, when exactly one does, else it counts under
/// its normalised name. So the same employer written with and without its code counts once, and
/// two employers with different codes and the same name stay apart.
pub fn group(rows: &[super::alerts::EmployerDay]) -> Vec<super::alerts::EmployerCases> {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    let mut codes_of_name: HashMap<String, BTreeSet<String>> = HashMap::new();
    for r in rows {
        if let EmployerKey::CreditCode(c) = EmployerKey::of(&r.name, r.credit_code.as_deref()) {
            codes_of_name
                .entry(normalize_name(&r.name))
                .or_default()
                .insert(c);
        }
    }
    type Acc = (BTreeMap<chrono::NaiveDate, u64>, BTreeMap<String, u64>);
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| !r.name.trim().is_empty() || r.credit_code.is_some())
    {
        let key = match EmployerKey::of(&r.name, r.credit_code.as_deref()) {
            EmployerKey::Name(n) => match codes_of_name.get(&n) {
                Some(codes) if codes.len() == 1 => {
                    EmployerKey::CreditCode(codes.iter().next().cloned().unwrap_or_default())
                }
                _ => EmployerKey::Name(n),
            },
            k => k,
        };
        let g = groups.entry(key.as_text()).or_default();
        *g.0.entry(r.day).or_default() += r.cases;
        *g.1.entry(r.name.trim().to_string()).or_default() += r.cases;
    }
    groups
        .into_iter()
        .map(|(key, (per_day, names))| super::alerts::EmployerCases {
            key,
            // Most written name; ties to the first in order.
            name: names
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(n, _)| n.clone())
                .unwrap_or_default(),
            per_day,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_employer_written_differently() {
        let a = EmployerKey::of("郑州恒达建筑工程有限责任公司 ", None);
        let b = EmployerKey::of("郑州恒达建筑工程（有限公司）", Some("bad code"));
        let c = EmployerKey::of("郑州 恒达建筑工程有限公司", Some(""));
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_ne!(a, EmployerKey::of("郑州恒达建设工程有限公司", None));
    }

    #[test]
    fn a_valid_credit_code_wins_over_the_name() {
        let a = EmployerKey::of("甲公司", Some("91410100MA9G2K7P6N"));
        let b = EmployerKey::of("甲公司郑州分部", Some("91410100MA9G2K7P6N"));
        assert_eq!(a, b);
        assert_eq!(a.as_text(), "code:91410100MA9G2K7P6N");
    }
}
