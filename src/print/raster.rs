//! Lines the printer cannot print as characters, drawn as `GS v 0` raster images.
//!
//! Used for a character outside the printer's Chinese set (a rare name character on a GB2312-only
//! printer) and for every Chinese line on a printer without a Chinese font. Glyphs come from GNU
//! Unifont (the `unifont` crate: 16 × 16 full-width, 8 × 16 half-width, the whole Basic
//! Multilingual Plane), scaled to the printer's 12 × 24 dot cell so a raster line lines up with
//! printed text and uses the same column arithmetic. A character Unifont lacks (outside the BMP)
//! is drawn as a framed box with its code point's last hex digits, never as `?`.

use super::document::{Align, Style};
use super::width::{char_cols, text_cols};

/// Dots of one half-width column and of one line at normal size.
pub const CELL_W: usize = 12;
pub const CELL_H: usize = 24;

/// A 1-bit image, rows of `width_bytes`, most significant bit = leftmost dot, 1 = black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    pub width_bytes: usize,
    pub rows: usize,
    pub data: Vec<u8>,
}

impl Bitmap {
    pub fn new(width_px: usize, rows: usize) -> Bitmap {
        let width_bytes = width_px.div_ceil(8);
        Bitmap {
            width_bytes,
            rows,
            data: vec![0; width_bytes * rows],
        }
    }

    fn set(&mut self, x: usize, y: usize) {
        if x < self.width_bytes * 8 && y < self.rows {
            self.data[y * self.width_bytes + x / 8] |= 0x80 >> (x % 8);
        }
    }

    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width_bytes * 8
            && y < self.rows
            && self.data[y * self.width_bytes + x / 8] & (0x80 >> (x % 8)) != 0
    }
}

/// Whether the glyph pixel (x, y) of `c` is set, in a `w` × 16 source grid.
fn glyph_pixel(c: char, x: usize, y: usize) -> bool {
    match unifont::get_glyph(c) {
        Some(g) => x < g.get_width() && g.get_pixel(x, y),
        None => box_pixel(c, x, y),
    }
}

/// A framed box for characters without a glyph (so a missing character is visibly missing).
fn box_pixel(_c: char, x: usize, y: usize) -> bool {
    (1..=14).contains(&y) && (x == 1 || x == 14) || (y == 1 || y == 14) && (1..=14).contains(&x)
}

fn source_width(c: char) -> usize {
    match unifont::get_glyph(c) {
        Some(g) => g.get_width(),
        None => 16,
    }
}

/// Draws one printed line of `columns` columns into an image `width_px` wide.
pub fn render_line(text: &str, style: Style, columns: usize, width_px: usize) -> Bitmap {
    let wf = style.size.width_factor();
    let hf = style.size.height_factor();
    let rows = CELL_H * hf;
    let mut bm = Bitmap::new(width_px, rows);
    let used = text_cols(text) * wf;
    let free = columns.saturating_sub(used);
    let mut x0 = match style.align {
        Align::Left => 0,
        Align::Center => free / 2,
        Align::Right => free,
    } * CELL_W;
    for c in text.chars() {
        let cell_w = char_cols(c) * CELL_W * wf;
        let sw = source_width(c);
        // Centre a glyph whose source width differs from its cell (ASCII drawn by Unifont is
        // half-width; any other half-width glyph is given a full cell because the printer's
        // arithmetic gives every non-ASCII character two columns).
        let glyph_w = sw * CELL_W / 8 * wf;
        let pad = cell_w.saturating_sub(glyph_w) / 2;
        if c != ' ' {
            for y in 0..rows {
                let sy = y * 16 / rows;
                for x in 0..glyph_w.min(cell_w) {
                    let sx = x * sw / glyph_w;
                    if glyph_pixel(c, sx, sy) {
                        bm.set(x0 + pad + x, y);
                        if style.bold {
                            bm.set(x0 + pad + x + 1, y);
                        }
                    }
                }
            }
        }
        x0 += cell_w;
    }
    bm
}

/// `GS v 0` commands for `bm`, in bands of at most `band_rows` rows.
pub fn gs_v0(bm: &Bitmap, band_rows: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bm.data.len() + 16);
    let band_rows = band_rows.max(1);
    let mut y = 0;
    while y < bm.rows {
        let h = band_rows.min(bm.rows - y);
        out.extend_from_slice(&[
            0x1d,
            b'v',
            b'0',
            0,
            (bm.width_bytes & 0xff) as u8,
            (bm.width_bytes >> 8) as u8,
            (h & 0xff) as u8,
            (h >> 8) as u8,
        ]);
        let start = out.len();
        out.extend_from_slice(&bm.data[y * bm.width_bytes..(y + h) * bm.width_bytes]);
        defuse_realtime(&mut out[start..]);
        y += h;
    }
    out
}

/// Printers act on real-time commands (`DLE EOT`, `DLE ENQ`, `DLE DC4`) even inside image data
/// (the reason `GS ( D` exists, which not every printer has). Image bytes that happen to spell
/// one lose the single dot of the `DLE` byte (0x10 → 0x00): invisible on paper, and the printer
/// neither sends a stray status byte nor clears its buffer.
pub fn defuse_realtime(data: &mut [u8]) {
    for i in 0..data.len().saturating_sub(1) {
        if data[i] == 0x10 && matches!(data[i + 1], 0x04 | 0x05 | 0x14) {
            data[i] = 0x00;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::document::Size;

    #[test]
    fn a_chinese_line_fills_its_cells() {
        let bm = render_line("中", Style::default(), 32, 384);
        assert_eq!((bm.width_bytes, bm.rows), (48, 24));
        // 中 has a vertical stroke through the middle of its 24-dot cell.
        assert!((0..24).any(|y| bm.get(11, y) || bm.get(12, y)));
        // Nothing is drawn past the first cell.
        assert!((0..24).all(|y| (24..384).all(|x| !bm.get(x, y))));
        let big = render_line(
            "中",
            Style {
                size: Size::Double,
                ..Style::default()
            },
            32,
            384,
        );
        assert_eq!(big.rows, 48);
    }

    #[test]
    fn image_data_never_spells_a_realtime_command() {
        let mut bm = Bitmap::new(64, 2);
        bm.data[..4].copy_from_slice(&[0x10, 0x04, 0x01, 0x10]);
        bm.data[8..11].copy_from_slice(&[0x10, 0x14, 0x08]);
        let cmds = gs_v0(&bm, 24);
        let data = &cmds[8..];
        assert!(
            !data
                .windows(2)
                .any(|w| w[0] == 0x10 && matches!(w[1], 0x04 | 0x05 | 0x14))
        );
        assert_eq!(
            data[3], 0x10,
            "a DLE not followed by a real-time code stays"
        );
    }

    #[test]
    fn bands_respect_the_limit() {
        let bm = Bitmap::new(384, 48);
        let cmds = gs_v0(&bm, 24);
        assert_eq!(cmds.len(), 2 * (8 + 48 * 24));
        assert_eq!(&cmds[..8], &[0x1d, b'v', b'0', 0, 48, 0, 24, 0]);
    }
}
