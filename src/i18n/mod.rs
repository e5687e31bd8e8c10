//! The one way text a person reads is translated: screens, paper, reports and commands alike.
//!
//! Every sentence, heading and label is an entry of a *catalogue*, written once with its Chinese
//! and its English text side by side, so a reviewer sees both together and a translation cannot
//! fall out of step with the other language (a missing language is a compile error; a blank that
//! one language names and the other does not fails [`tests::every_entry_names_the_same_blanks`]).
//! A catalogue is a struct of plain values (`&str`, arrays of them, small functions for text
//! built from data), so code reads `s.title` with the compiler checking every name; templates
//! name their blanks (`{n}`, `{ticket}`) and are filled with [`fill`].
//!
//! The catalogues: `kiosk` (the clerk's screens), `paper` (tickets, receipts and notices, reached
//! by layouts as `{{ t.NAME }}`), `dashboard` (the supervisor's screens and the hall display),
//! `report` (the filed report's sheets), `cli` (what commands print), `problems` (validation
//! messages by code). The labels of codes (routes, categories, flags …) are declared the same way,
//! side by side with their codes, in `domain::codes`; reasons and legal bases in
//! `domain::english`.

pub mod cli;
pub mod dashboard;
pub mod kiosk;
pub mod paper;
pub mod problems;
pub mod report;

pub use crate::domain::Lang;

/// A catalogue's entries: name, Chinese value, English value (debug text).
pub type Entries = Vec<(&'static str, String, String)>;

/// Declares a catalogue: `struct Name { entry: Type = (chinese, english), … }` makes the struct
/// (every entry a public field), its two tables, `Name::get(lang)` and `Name::entries()` (each
/// entry's name and its two values as debug text, for the test of blanks).
macro_rules! catalogue {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = ($zh:expr, $en:expr $(,)?) ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $name {
            /// The table of `lang`.
            pub fn get(lang: $crate::i18n::Lang) -> &'static $name {
                static ZH: $name = $name { $( $field: $zh, )* };
                static EN: $name = $name { $( $field: $en, )* };
                match lang {
                    $crate::i18n::Lang::Zh => &ZH,
                    $crate::i18n::Lang::En => &EN,
                }
            }

            /// Every entry: its name, and its Chinese and English values as debug text.
            #[allow(dead_code)]
            pub fn entries() -> $crate::i18n::Entries {
                let (zh, en) = ($name::get($crate::i18n::Lang::Zh), $name::get($crate::i18n::Lang::En));
                vec![ $( (stringify!($field), format!("{:?}", zh.$field), format!("{:?}", en.$field)), )* ]
            }
        }
    };
}
pub(crate) use catalogue;

/// Fills `{name}` blanks in a template.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in values {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// The `{name}` blanks a text names, sorted (a `{` not closed by `}` before another `{` is text).
pub fn blanks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('}') else { break };
        let name = &rest[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(name.to_string());
        }
        rest = &rest[close + 1..];
    }
    out.sort();
    out
}

/// Entries of a catalogue whose two languages name different blanks, or where one language is
/// blank and the other not: `(entry, chinese, english)`.
pub fn mismatched(
    entries: &[(&'static str, String, String)],
) -> Vec<(&'static str, String, String)> {
    entries
        .iter()
        .filter(|(_, zh, en)| blanks(zh) != blanks(en) || (zh == "\"\"") != (en == "\"\""))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    catalogue! {
        #[derive(Debug)]
        pub struct Sample {
            hello: &'static str = ("你好，{name}", "Hello, {name}"),
            pair: [&'static str; 2] = (["一", "二"], ["one", "two"]),
        }
    }

    #[test]
    fn a_catalogue_gives_each_language_its_table() {
        assert_eq!(Sample::get(Lang::Zh).hello, "你好，{name}");
        assert_eq!(Sample::get(Lang::En).pair, ["one", "two"]);
        assert_eq!(
            fill(Sample::get(Lang::En).hello, &[("name", "王丽")]),
            "Hello, 王丽"
        );
        assert_eq!(Sample::entries().len(), 2);
    }

    #[test]
    fn blanks_are_found_and_compared() {
        assert_eq!(blanks("{b} 与 {a}，{ 不是 } {a}"), ["a", "a", "b"]);
        let bad = vec![("x", "\"{n} 张\"".to_string(), "\"tickets\"".to_string())];
        assert_eq!(mismatched(&bad).len(), 1);
        assert!(mismatched(&Sample::entries()).is_empty());
    }

    /// Every catalogue: both languages name the same blanks, and neither is blank alone.
    #[test]
    fn every_entry_names_the_same_blanks() {
        let all: Vec<(&str, Entries)> = vec![
            ("paper", paper::Strings::entries()),
            ("report", report::Strings::entries()),
            ("kiosk", kiosk::Strings::entries()),
            ("dashboard", dashboard::Strings::entries()),
            ("sign-in", dashboard::SignInStrings::entries()),
            ("cli", cli::Strings::entries()),
            ("errors", cli::Errors::entries()),
        ];
        for (catalogue, entries) in all {
            let bad = mismatched(&entries);
            assert!(bad.is_empty(), "{catalogue}: {bad:#?}");
        }
    }
}
