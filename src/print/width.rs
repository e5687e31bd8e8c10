//! Column arithmetic as the printer counts it.
//!
//! A thermal printer in Chinese mode prints every multi-byte (GBK) character in a full-width cell
//! (24 dots in font A) and every ASCII byte in a half-width cell (12 dots). So on paper `·`, `①`
//! and `：` take two columns, although `unicode-width` calls some of them one. The raster path uses
//! the same grid (12 × 24 dots per half-width cell), so one rule holds for every line we print.

/// Half-width columns one character takes on paper.
pub fn char_cols(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Half-width columns a text takes on paper.
pub fn text_cols(s: &str) -> usize {
    s.chars().map(char_cols).sum()
}

/// Splits `text` into lines of at most `width` columns.
///
/// Never splits a character; keeps runs of ASCII letters and digits (case numbers, dates, phone
/// hotlines) together when they fit on a line of their own; continuation lines keep the leading
/// indentation of the paragraph so lists stay readable. An empty text gives one empty line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let indent_cols = text.chars().take_while(|c| *c == ' ').count();
    // An indent that would leave less than half the line for text is ignored.
    let indent = if indent_cols * 2 <= width && width - indent_cols >= 2 {
        indent_cols
    } else {
        0
    };
    let body = &text[indent_cols..];
    let mut lines = Vec::new();
    let mut line = " ".repeat(indent);
    let mut cols = indent;
    let mut at_start = true;
    for token in tokens(body) {
        let tcols = text_cols(token);
        if cols + tcols <= width {
            line.push_str(token);
            cols += tcols;
            at_start = false;
            continue;
        }
        if token == " " {
            // A break at a space: the space is dropped.
            lines.push(std::mem::take(&mut line));
            line = " ".repeat(indent);
            cols = indent;
            at_start = true;
            continue;
        }
        if !at_start {
            // Closing punctuation may not start a line (禁则): take the character before it
            // along, when that leaves something on this line.
            let carry = if is_no_start(token) {
                let last = line
                    .chars()
                    .last()
                    .filter(|c| !c.is_ascii() && !is_no_start_char(*c));
                match last {
                    Some(c) if line.trim_start().chars().count() > 1 => {
                        line.pop();
                        Some(c)
                    }
                    _ => None,
                }
            } else {
                None
            };
            lines.push(std::mem::take(&mut line));
            line = " ".repeat(indent);
            cols = indent;
            if let Some(c) = carry {
                line.push(c);
                cols += char_cols(c);
            }
        }
        // A token longer than a line is split by characters.
        for c in token.chars() {
            let w = char_cols(c);
            if cols + w > width {
                lines.push(std::mem::take(&mut line));
                line = " ".repeat(indent);
                cols = indent;
            }
            line.push(c);
            cols += w;
        }
        at_start = false;
    }
    let trimmed = line.trim_end().len();
    line.truncate(trimmed);
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line);
    }
    for l in &mut lines {
        let t = l.trim_end().len();
        l.truncate(t);
    }
    lines
}

/// Punctuation that must not start a line.
fn is_no_start_char(c: char) -> bool {
    "，。、；：？！）》」』】〕,.;:?!)%".contains(c)
}

fn is_no_start(token: &str) -> bool {
    token.chars().next().is_some_and(is_no_start_char)
}

/// Tokens for wrapping: a run of ASCII non-space characters, a single space, or one non-ASCII
/// character (Chinese text may break between any two characters).
fn tokens(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let c = rest.chars().next()?;
        let len = if c.is_ascii() && c != ' ' {
            rest.find(|ch: char| !ch.is_ascii() || ch == ' ')
                .unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        let (tok, tail) = rest.split_at(len);
        rest = tail;
        Some(tok)
    })
}

/// Pads `text` to `width` columns for the given alignment (used by the preview and the raster
/// path; text printed as characters is aligned by the printer with `ESC a`).
pub fn align(text: &str, width: usize, align: super::document::Align) -> String {
    use super::document::Align;
    let cols = text_cols(text);
    let free = width.saturating_sub(cols);
    let left = match align {
        Align::Left => 0,
        Align::Center => free / 2,
        Align::Right => free,
    };
    format!("{}{}", " ".repeat(left), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_columns_differ_from_unicode_width() {
        assert_eq!(text_cols("·"), 2);
        assert_eq!(text_cols("①"), 2);
        assert_eq!(text_cols("："), 2);
        assert_eq!(text_cols("买买提·艾力"), 12);
        assert_eq!(text_cols("SITE-20250310-0001"), 18);
        assert_eq!(text_cols("申请人：张*"), 11);
    }

    #[test]
    fn wrapping_never_overflows_or_splits() {
        let text = "被申请人：某某市某某区某某建筑劳务有限公司第三分公司（某某工地项目部）ABC-123";
        for width in [32, 42, 48, 7, 3, 2] {
            let lines = wrap(text, width);
            for l in &lines {
                assert!(text_cols(l) <= width, "{l:?} over {width}");
            }
            let joined: String = lines.concat();
            assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
        }
    }

    #[test]
    fn odd_width_leaves_a_cell_rather_than_splitting_a_character() {
        let lines = wrap("一二三四五六七八", 5);
        assert_eq!(lines, vec!["一二", "三四", "五六", "七八"]);
    }

    #[test]
    fn closing_punctuation_does_not_start_a_line() {
        let lines = wrap("一二三四，五六", 8);
        assert_eq!(lines, vec!["一二三", "四，五六"]);
        for l in wrap(
            "理由：劳动争议先行调解：调解免费、快捷，15日内未达成协议的可以申请仲裁",
            32,
        ) {
            assert!(!is_no_start(&l), "{l:?}");
            assert!(text_cols(&l) <= 32);
        }
    }

    #[test]
    fn ascii_words_stay_together_and_indent_is_kept() {
        let lines = wrap("  案件编号 SITE-20250310-0001", 16);
        assert_eq!(lines, vec!["  案件编号", "  SITE-20250310-", "  0001"]);
        let lines = wrap("call 12333 or 12348 now", 10);
        assert_eq!(lines, vec!["call 12333", "or 12348", "now"]);
    }
}
