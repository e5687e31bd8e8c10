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
///
/// Chinese line breaking (GB/T 15834, W3C clreq 禁则): a line never starts with closing
/// punctuation (、，。；：？！）》」』】 and their ASCII equivalents) and never ends with an opening
/// bracket (（《「『【). Where the greedy break would do either, the break moves back (one
/// character is usually enough), so the line stays within the width; only a line made of nothing
/// but punctuation is broken by force.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let indent_cols = text.chars().take_while(|c| *c == ' ').count();
    // An indent that would leave less than half the line for text is ignored.
    let indent = if indent_cols * 2 <= width && width - indent_cols >= 2 {
        indent_cols
    } else {
        0
    };
    let body: Vec<char> = text[indent_cols..].chars().collect();
    let avail = width - indent;
    let mut lines = Vec::new();
    let mut start = 0;
    while start < body.len() {
        let mut end = start;
        let mut cols = 0;
        while end < body.len() && cols + char_cols(body[end]) <= avail {
            cols += char_cols(body[end]);
            end += 1;
        }
        // Every character fits in `avail` (at least 2 columns), so `end > start`.
        let brk = if end == body.len() {
            end
        } else {
            best_break(&body, start, end)
        };
        let mut line = " ".repeat(indent);
        line.extend(&body[start..brk]);
        lines.push(line.trim_end().to_string());
        start = brk;
        // A break at a space: the space is dropped.
        while start < body.len() && body[start] == ' ' {
            start += 1;
        }
    }
    lines.retain(|l| !l.trim().is_empty());
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Where to end the line `body[start..]` that fits up to `end` (exclusive, `end < body.len()`):
/// the last position that respects the punctuation rules and does not split an ASCII word; else
/// the last one that respects the punctuation rules; else `end`.
fn best_break(body: &[char], start: usize, end: usize) -> usize {
    let word = |c: char| c.is_ascii() && c != ' ';
    let allowed = |b: usize| {
        let next = body[b..].iter().find(|c| **c != ' ');
        let prev = body[start..b].iter().rev().find(|c| **c != ' ');
        prev.is_some()
            && !next.is_some_and(|c| is_no_start_char(*c))
            && !prev.is_some_and(|c| is_no_end_char(*c))
    };
    (start + 1..=end)
        .rev()
        .find(|&b| !(word(body[b - 1]) && word(body[b])) && allowed(b))
        .or_else(|| (start + 1..=end).rev().find(|&b| allowed(b)))
        .unwrap_or(end)
}

/// Closing punctuation, which must not start a line.
pub fn is_no_start_char(c: char) -> bool {
    "、，。；：？！）》」』】〕〉〗”’…,.;:?!)]}%".contains(c)
}

/// Opening brackets, which must not end a line.
pub fn is_no_end_char(c: char) -> bool {
    "（《「『【〔〈〖“‘([{".contains(c)
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
            assert!(!l.starts_with(is_no_start_char), "{l:?}");
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
