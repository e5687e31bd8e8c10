//! Reading keys the same way on every screen and popup: chords, typed characters, the editing
//! keys of a text field and the moving keys of a list.

use super::text_input::TextInput;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn ctrl(k: &KeyEvent, c: char) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char(c)
}

/// A plain character to type (IME output and shifted letters included, not Ctrl/Alt chords).
pub fn typed(k: &KeyEvent) -> Option<char> {
    match k.code {
        KeyCode::Char(c)
            if !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// Applies an editing key to a text input; true when the text changed.
pub fn edit_text(t: &mut TextInput, k: &KeyEvent) -> bool {
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        if k.code == KeyCode::Char('u') {
            t.clear();
            return true;
        }
        return false;
    }
    let before = t.text().len();
    match k.code {
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::ALT) => t.insert_char(c),
        KeyCode::Backspace => t.backspace(),
        KeyCode::Delete => t.delete(),
        KeyCode::Left => t.left(),
        KeyCode::Right => t.right(),
        KeyCode::Home => t.home(),
        KeyCode::End => t.end(),
        _ => {}
    }
    t.text().len() != before
}

/// The cursor of a list of `n` after a moving key (any other key leaves it, kept inside the list).
pub fn list_move(cursor: usize, n: usize, k: &KeyEvent) -> usize {
    if n == 0 {
        return 0;
    }
    match k.code {
        KeyCode::Up => cursor.saturating_sub(1),
        KeyCode::Down => (cursor + 1).min(n - 1),
        KeyCode::Home => 0,
        KeyCode::End => n - 1,
        _ => cursor.min(n - 1),
    }
}
