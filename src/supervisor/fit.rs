//! Fitting text into terminal cells so a number is never cut: the number's width is reserved
//! first and right-aligned; the label gets what is left and is shortened with "…" (display width,
//! so a Chinese character counts two columns).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` shortened to at most `max` columns, ending in "…" when anything was dropped.
pub fn shorten(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` padded with spaces on the left to `cols` columns (right-aligned).
pub fn right(s: &str, cols: usize) -> String {
    format!("{}{s}", " ".repeat(cols.saturating_sub(s.width())))
}

/// `s` padded with spaces on the right to `cols` columns.
pub fn left(s: &str, cols: usize) -> String {
    format!("{s}{}", " ".repeat(cols.saturating_sub(s.width())))
}

/// One line of `cols` columns: `label` on the left, shortened as needed, and `number` whole on
/// the right. When even the number does not fit, the number alone (a cut label is better than a
/// cut figure).
pub fn line(label: &str, number: &str, cols: usize) -> String {
    let n = number.width();
    if n >= cols {
        return number.to_string();
    }
    let room = cols - n - 1;
    let label = shorten(label, room);
    format!("{} {}", left(&label, room), number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_whole_and_labels_give_way() {
        assert_eq!(line("劳动人事争议调解", "22", 12), "劳动人事… 22");
        assert_eq!(width(&line("劳动人事争议调解", "22", 12)), 12);
        assert_eq!(line("T", "17", 8), "T     17");
        assert_eq!(line("anything", "12345", 4), "12345");
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "ab…");
        assert_eq!(right("7", 3), "  7");
    }
}
