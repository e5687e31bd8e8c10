//! Document → plain text, line by line as the printer lays it out (same wrapping, same columns).
//! Used by `print preview`, the spool folder's `.txt` files and the snapshot tests.

use super::document::{Document, PaperLine, Size};
use super::width::align;

/// The preview of `doc` on paper `columns` wide. Double-width lines are shown with their real
/// alignment and marked `[2x]`; codes and cuts are shown as bracketed notes.
pub fn preview(doc: &Document, columns: usize) -> String {
    let mut out = String::new();
    let edge = format!("+{}+\n", "-".repeat(columns));
    out.push_str(&edge);
    for line in doc.lines(columns) {
        match line {
            PaperLine::Text { text, style } => {
                let mark = match style.size {
                    Size::Normal => "",
                    Size::Tall => "  [tall]",
                    Size::Double => "  [2x]",
                };
                let shown = if style.size == Size::Double {
                    // Padded as the printer pads it: each column is two wide.
                    let cols = columns / 2;
                    let a = align(&text, cols, style.align);
                    let lead = a.chars().take_while(|c| *c == ' ').count();
                    format!("{}{}", " ".repeat(lead * 2), a.trim_start())
                } else {
                    align(&text, columns, style.align)
                };
                let bold = if style.bold { "  [b]" } else { "" };
                out.push_str(&format!("|{shown}{bold}{mark}\n"));
            }
            PaperLine::Qr(d) => out.push_str(&format!("|[QR {d}]\n")),
            PaperLine::Barcode(d) => out.push_str(&format!("|[CODE128 {d}]\n")),
            PaperLine::Feed(n) => {
                for _ in 0..n {
                    out.push_str("|\n");
                }
            }
            PaperLine::Cut => out.push_str(&format!("{}\n", "~".repeat(columns + 2))),
        }
    }
    out
}
