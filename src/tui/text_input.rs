//! A single-line text editor that is correct on double-width characters.
//!
//! The cursor is a character index; what the screen needs is a column, so every measurement goes
//! through `unicode-width` (a Chinese character is two columns). Input methods and bracketed paste
//! deliver whole characters or strings, so there is no byte-level editing here at all.

use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextInput {
    text: String,
    /// Index in characters (not bytes, not columns) of the insertion point.
    cursor: usize,
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

impl TextInput {
    pub fn new(text: &str) -> Self {
        let mut t = TextInput::default();
        t.set(text);
        t
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Replaces the whole text and puts the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.text = clean(text);
        self.cursor = self.text.chars().count();
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    pub fn insert_char(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let b = self.byte_at(self.cursor);
        self.text.insert(b, c);
        self.cursor += 1;
    }

    /// Inserts pasted text; line breaks and tabs become spaces (the field is one line) and other
    /// control characters are dropped, so a paste can never smuggle in what validation rejects.
    pub fn insert_str(&mut self, s: &str) {
        let cleaned = clean(s);
        let b = self.byte_at(self.cursor);
        self.text.insert_str(b, &cleaned);
        self.cursor += cleaned.chars().count();
    }

    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let b = self.byte_at(self.cursor);
        self.text.remove(b);
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let b = self.byte_at(self.cursor);
            self.text.remove(b);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Column of the cursor from the start of the text.
    pub fn cursor_column(&self) -> usize {
        self.text.chars().take(self.cursor).map(char_width).sum()
    }

    /// The part of the text that fits in `width` columns with the cursor visible, and the cursor's
    /// column inside it. A wide character is never cut in half: it is either shown whole or not.
    pub fn view(&self, width: usize) -> (String, usize) {
        if width == 0 {
            return (String::new(), 0);
        }
        let chars: Vec<char> = self.text.chars().collect();
        // Scroll so the cursor (plus one column for itself) is inside the window.
        let mut start = 0;
        let col_of = |from: usize, to: usize| -> usize {
            chars[from..to].iter().map(|c| char_width(*c)).sum()
        };
        while start < self.cursor && col_of(start, self.cursor) + 1 > width {
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for c in &chars[start..] {
            let w = char_width(*c);
            if used + w > width {
                break;
            }
            shown.push(*c);
            used += w;
        }
        (shown, col_of(start, self.cursor))
    }
}

fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect::<String>()
        .trim_end_matches(' ')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_double_width_text_by_character() {
        let mut t = TextInput::default();
        for c in "王丽".chars() {
            t.insert_char(c);
        }
        assert_eq!(t.text(), "王丽");
        assert_eq!(t.cursor_column(), 4);
        t.left();
        assert_eq!(t.cursor_column(), 2);
        t.insert_char('小');
        assert_eq!(t.text(), "王小丽");
        assert_eq!(t.cursor_column(), 4);
        t.backspace();
        assert_eq!(t.text(), "王丽");
        t.home();
        t.delete();
        assert_eq!(t.text(), "丽");
        t.end();
        t.insert_char('a');
        assert_eq!(t.cursor_column(), 3);
    }

    #[test]
    fn paste_keeps_one_line() {
        let mut t = TextInput::new("郑州");
        t.insert_str("云启\n科技\u{7}有限公司\r\n");
        assert_eq!(t.text(), "郑州云启 科技有限公司");
        assert_eq!(t.cursor(), t.text().chars().count());
    }

    #[test]
    fn view_never_splits_a_wide_character() {
        let t = TextInput::new("郑州云启科技有限公司");
        // 20 columns of text, cursor at the end: in 9 columns we see whole characters only.
        let (shown, col) = t.view(9);
        assert_eq!(shown, "有限公司");
        assert_eq!(col, 8);
        let mut t = t;
        t.home();
        let (shown, col) = t.view(5);
        assert_eq!(shown, "郑州");
        assert_eq!(col, 0);
    }

    #[test]
    fn mixed_width_cursor_columns() {
        let mut t = TextInput::new("a王b");
        assert_eq!(t.cursor_column(), 4);
        t.left();
        assert_eq!(t.cursor_column(), 3);
        t.left();
        assert_eq!(t.cursor_column(), 1);
    }
}
