//! Text as typed (§2, §4): the normalisation every text field gets before validation, the
//! control-character check, and quoting of a person's text inside a message.

use unicode_normalization::UnicodeNormalization;

/// Trimmed of surrounding whitespace; `None` when nothing is left (an empty value is absent).
pub fn trimmed(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|t| !t.is_empty())
}

/// NFKC-normalised, then trimmed: for numbers and codes (ID, pass and passport numbers, phones,
/// credit codes, region codes, dates, amounts), so an input method's full-width `１３８…` or
/// `４１０１…` is the ASCII a check expects. Names and free text are only trimmed: NFKC would
/// change how a name is written.
pub fn normalize_code(value: &str) -> String {
    let t = value.trim();
    if t.is_ascii() {
        return t.to_string();
    }
    let n: String = t.nfkc().collect();
    n.trim().to_string()
}

/// A C0 control, DEL or a C1 control (§4): they would reach the screen and the printer as
/// commands.
pub fn has_control(value: &str) -> bool {
    value.chars().any(char::is_control)
}

/// Zero-width characters and the byte-order mark: invisible, they make two names that look
/// the same differ (a staff number `1001` and `10\u{200B}01`).
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
    )
}

/// A character no stored text may hold: a control, a bidirectional override or isolate, or a
/// zero-width character.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_zero_width(c)
}

/// Whether `value` holds a character no stored text may hold ([`is_hidden`]).
pub fn has_hidden(value: &str) -> bool {
    value.chars().any(is_hidden)
}

/// The check every stored label gets (staff numbers and names, window and site names and codes,
/// credit codes): not empty, at most `max_chars`, and no control, bidirectional-override or
/// zero-width character. The message names the character, never echoes it.
pub fn check_label(value: &str, max_chars: usize) -> Result<(), String> {
    match label_problem(value, max_chars) {
        None => Ok(()),
        Some(LabelProblem::Empty) => Err("must not be empty".into()),
        Some(LabelProblem::Hidden(c)) => Err(format!(
            "holds the invisible or control character {}",
            code_point(c)
        )),
        Some(LabelProblem::TooLong { chars, max }) => {
            Err(format!("is {chars} characters long; at most {max}"))
        }
    }
}

/// What [`check_label`] refuses, for a front end that words it in its own language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelProblem {
    Empty,
    /// The first hidden character (name it with [`code_point`], never echo it).
    Hidden(char),
    TooLong {
        chars: usize,
        max: usize,
    },
}

/// The problem [`check_label`] finds with `value`, if any.
pub fn label_problem(value: &str, max_chars: usize) -> Option<LabelProblem> {
    if value.trim().is_empty() {
        return Some(LabelProblem::Empty);
    }
    if let Some(c) = value.chars().find(|c| is_hidden(*c)) {
        return Some(LabelProblem::Hidden(c));
    }
    let chars = value.chars().count();
    (chars > max_chars).then_some(LabelProblem::TooLong {
        chars,
        max: max_chars,
    })
}

/// A character as `U+200B`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Longest piece of a person's text quoted in a message.
const QUOTE_MAX_CHARS: usize = 24;

/// A person's text as it may appear inside a message: control characters and bidirectional
/// overrides shown as `\u{…}` escapes so they never reach a terminal or printer as commands, and a
/// long text cut with `…`.
pub fn quote(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == QUOTE_MAX_CHARS {
            out.push('…');
            break;
        }
        if is_hidden(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Bidirectional embedding, override and isolate characters: they reorder what a terminal shows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_refuse_controls_bidi_overrides_and_zero_width_characters() {
        assert!(check_label("张三", 64).is_ok());
        for bad in [
            "a\u{7}b",
            "x\u{202E}y",
            "10\u{200B}01",
            "\u{FEFF}S01",
            "a\u{2066}b",
            "",
        ] {
            let e = check_label(bad, 64).expect_err(bad);
            assert!(!e.contains(bad) || bad.is_empty(), "{e}");
        }
        assert!(check_label("一二三", 2).is_err());
    }

    #[test]
    fn full_width_digits_and_spaces_become_ascii() {
        assert_eq!(normalize_code("　１３８１２３４５６７８ "), "13812345678");
        assert_eq!(
            normalize_code("０３７１－１２３４５６７８"),
            "0371-12345678"
        );
        assert_eq!(
            normalize_code("４１０１０５１９９００３０７１５８Ｘ"),
            "41010519900307158X"
        );
        assert_eq!(normalize_code(" 2025-03-10\t"), "2025-03-10");
    }

    #[test]
    fn empty_after_trimming_is_absent() {
        assert_eq!(trimmed("   "), None);
        assert_eq!(
            trimmed("\u{3000}"),
            None,
            "an ideographic space is whitespace"
        );
        assert_eq!(trimmed(" 张三 "), Some("张三"));
    }

    #[test]
    fn control_characters_of_every_kind_are_found() {
        assert!(has_control("a\u{1}b"), "C0");
        assert!(has_control("a\u{7f}b"), "DEL");
        assert!(has_control("a\u{9b}b"), "C1 (CSI)");
        assert!(!has_control("张三·李"));
    }

    #[test]
    fn quoted_text_has_no_control_characters_and_is_short() {
        let q = quote("\u{1b}[2J\u{9b}31m\u{202e}abc");
        assert!(
            !q.chars().any(|c| c.is_control() || is_bidi_control(c)),
            "{q}"
        );
        assert!(q.contains("\\u{1b}"), "{q}");
        let long = quote(&"长".repeat(1000));
        assert_eq!(long.chars().count(), QUOTE_MAX_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
