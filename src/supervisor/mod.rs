//! The supervisor's sign-in and dashboard, and the waiting-hall display (issue 7).

pub mod console;
pub mod dashboard;
pub mod display;
pub mod fit;
pub mod live;
pub mod sign_in;

/// The screen as text, one line per row, with the cell after a double-width character skipped so
/// Chinese reads as typed (for tests and previews).
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    use unicode_width::UnicodeWidthStr;
    let area = buf.area;
    let mut lines = Vec::with_capacity(area.height as usize);
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = sym.width().saturating_sub(1);
            line.push_str(sym);
        }
        lines.push(line.trim_end().to_string());
    }
    lines.join("\n")
}
