//! Document → ESC/POS bytes for one printer profile.
//!
//! The `escpos` crate builds the plain commands (`ESC @`, `ESC a`, `ESC E`, `GS !`, `ESC d`, the
//! `GS ( k` QR sequence) into an in-memory driver. Everything the crate gets wrong for Chinese
//! printers is sent as raw bytes here (0.20.1):
//! - its text encoder is UTF-8, which prints mojibake: text goes out as GBK two-byte pairs (never
//!   GB18030 four-byte forms), after `FS &` (Chinese mode); pure-ASCII lines after `FS .`;
//!   `FS S 0 0` once so a Chinese character is exactly two columns;
//! - `partial_cut` sends `GS V 65 1`: we send `GS V 66 0` (feed to the cutter, partial cut) or
//!   `GS V 65 0`, and only when the profile has a cutter;
//! - no CODE128: `GS k 73`;
//! - bit images go out as one block: `GS v 0` in bands ([`super::raster`]);
//! - `real_time_status` appends a stray NUL: status queries are sent by [`super::transport`].
//!
//! A line with a character the printer cannot encode, or any non-ASCII character on a printer
//! without a Chinese font, is printed as a raster image; nothing is ever replaced by `?`.

use super::document::{Align, Document, PaperLine, Size, Style, sanitize};
use super::profile::{ChineseEncoding, Profile};
use super::raster;
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption};
use std::cell::RefCell;
use std::rc::Rc;

pub const ESC: u8 = 0x1b;
pub const GS: u8 = 0x1d;
pub const FS: u8 = 0x1c;
pub const LF: u8 = 0x0a;

#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("escpos: {0}")]
    Escpos(String),
}

impl From<escpos::errors::PrinterError> for EncodeError {
    fn from(e: escpos::errors::PrinterError) -> Self {
        EncodeError::Escpos(e.to_string())
    }
}

/// An in-memory driver: the crate writes its commands here.
#[derive(Clone, Default)]
struct Buffer(Rc<RefCell<Vec<u8>>>);

impl Driver for Buffer {
    fn name(&self) -> String {
        "memory".to_string()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// The GBK pair of `c`, if it has one. Private-use characters are refused: they map to GBK's
/// user-defined areas, which print whatever the printer's maker put there.
pub fn gbk_pair(c: char) -> Option<[u8; 2]> {
    if ('\u{e000}'..='\u{f8ff}').contains(&c) {
        return None;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    match (had_errors, bytes.as_ref()) {
        // FE50–FEA0 holds CJK Ext-A characters that older GBK fonts print from their
        // user-defined area: not to be trusted for a name.
        (false, [0xfe, b]) if *b < 0xa1 => None,
        (false, [a, b]) if *a >= 0x81 => Some([*a, *b]),
        _ => None,
    }
}

/// Whether a GBK pair lies in the GB 2312 area (both bytes 0xA1–0xFE, rows up to 0xF7).
pub fn in_gb2312(p: [u8; 2]) -> bool {
    (0xa1..=0xf7).contains(&p[0]) && (0xa1..=0xfe).contains(&p[1])
}

/// The bytes of `c` on this printer in Chinese mode, or `None` when it must be drawn.
pub fn encode_char(c: char, enc: ChineseEncoding) -> Option<Vec<u8>> {
    if c.is_ascii() {
        return if c.is_ascii_control() {
            None
        } else {
            Some(vec![c as u8])
        };
    }
    let pair = gbk_pair(c)?;
    match enc {
        ChineseEncoding::Gbk => Some(pair.to_vec()),
        ChineseEncoding::Gb2312 if in_gb2312(pair) => Some(pair.to_vec()),
        _ => None,
    }
}

/// Whether the line must be printed as an image on this profile.
pub fn needs_raster(text: &str, profile: &Profile) -> bool {
    text.chars()
        .any(|c| encode_char(c, profile.chinese.encoding).is_none())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Chinese,
    SingleByte,
}

/// Encodes `doc` for `profile`.
pub fn encode(doc: &Document, profile: &Profile) -> Result<Vec<u8>, EncodeError> {
    let buf = Buffer::default();
    let mut p = Printer::new(buf.clone(), Protocol::default(), None);
    let chinese = profile.chinese.encoding != ChineseEncoding::None;
    p.init()?;
    if chinese {
        // Chinese mode, then zero left/right spacing so a Chinese character is two columns.
        p.custom(&[FS, b'&', FS, b'S', 0, 0])?;
    }
    let mut mode = if chinese {
        Mode::Chinese
    } else {
        Mode::SingleByte
    };
    let mut cur = Style::default();
    let cols = profile.columns();
    let width_px = profile.media.width.pixels;
    for line in doc.lines(cols) {
        match line {
            PaperLine::Text { text, style } => {
                let text = sanitize(&text);
                if text.is_empty() {
                    p.custom(&[LF])?;
                    continue;
                }
                if needs_raster(&text, profile) && profile.features.bit_image_raster {
                    let bm = raster::render_line(&text, style, cols, width_px);
                    if cur.align != Align::Left {
                        p.justify(JustifyMode::LEFT)?;
                        cur.align = Align::Left;
                    }
                    p.custom(&raster::gs_v0(&bm, profile.raster.band_rows))?;
                    continue;
                }
                set_style(&mut p, &mut cur, style)?;
                let ascii = text.is_ascii();
                if chinese {
                    let want = if ascii {
                        Mode::SingleByte
                    } else {
                        Mode::Chinese
                    };
                    if want != mode {
                        p.custom(if ascii { &[FS, b'.'] } else { &[FS, b'&'] })?;
                        mode = want;
                    }
                }
                let mut bytes = Vec::with_capacity(text.len() + 1);
                for c in text.chars() {
                    // needs_raster said every character encodes; a printer without raster
                    // support gets a box character rather than a wrong one.
                    match encode_char(c, profile.chinese.encoding) {
                        Some(b) => bytes.extend_from_slice(&b),
                        None if chinese && mode == Mode::Chinese => {
                            bytes.extend_from_slice(&[0xa1, 0xf5]) // □
                        }
                        None => bytes.push(b'#'),
                    }
                }
                bytes.push(LF);
                p.custom(&bytes)?;
            }
            PaperLine::Qr(data) => {
                set_style(
                    &mut p,
                    &mut cur,
                    Style {
                        align: Align::Center,
                        ..Style::default()
                    },
                )?;
                if profile.features.qr_code && data.is_ascii() && !data.is_empty() {
                    let module = if cols >= 42 { 6 } else { 5 };
                    p.qrcode_option(
                        &data,
                        QRCodeOption::new(QRCodeModel::Model2, module, QRCodeCorrectionLevel::M),
                    )?;
                    p.custom(&[LF])?;
                } else if data.is_ascii() {
                    if chinese && mode != Mode::SingleByte {
                        p.custom(&[FS, b'.'])?;
                        mode = Mode::SingleByte;
                    }
                    let mut b = data.into_bytes();
                    b.push(LF);
                    p.custom(&b)?;
                }
            }
            PaperLine::Barcode(data) => {
                let data: String = data.chars().filter(|c| c.is_ascii_graphic()).collect();
                if data.is_empty() || data.len() > 250 {
                    continue;
                }
                set_style(
                    &mut p,
                    &mut cur,
                    Style {
                        align: Align::Center,
                        ..Style::default()
                    },
                )?;
                if profile.features.barcode_b {
                    // GS h height, GS w module width, GS H HRI below, GS k 73 (CODE128, code set B).
                    let mut b = vec![GS, b'h', 60, GS, b'w', 2, GS, b'H', 2, GS, b'k', 73];
                    b.push((data.len() + 2) as u8);
                    b.extend_from_slice(b"{B");
                    b.extend_from_slice(data.as_bytes());
                    b.push(LF);
                    p.custom(&b)?;
                } else {
                    if chinese && mode != Mode::SingleByte {
                        p.custom(&[FS, b'.'])?;
                        mode = Mode::SingleByte;
                    }
                    let mut b = data.into_bytes();
                    b.push(LF);
                    p.custom(&b)?;
                }
            }
            PaperLine::Feed(n) => {
                p.feeds(n)?;
            }
            PaperLine::Cut => {
                if profile.features.paper_part_cut {
                    p.custom(&[GS, b'V', 66, 0])?;
                } else if profile.features.paper_full_cut {
                    p.custom(&[GS, b'V', 65, 0])?;
                } else {
                    // No cutter: feed the paper past the tear bar.
                    p.feeds(4)?;
                }
            }
        }
    }
    p.print()?;
    drop(p);
    let bytes = buf.0.borrow().clone();
    Ok(bytes)
}

fn set_style(p: &mut Printer<Buffer>, cur: &mut Style, want: Style) -> Result<(), EncodeError> {
    if want.align != cur.align {
        p.justify(match want.align {
            Align::Left => JustifyMode::LEFT,
            Align::Center => JustifyMode::CENTER,
            Align::Right => JustifyMode::RIGHT,
        })?;
    }
    if want.bold != cur.bold {
        p.bold(want.bold)?;
    }
    if want.size != cur.size {
        match want.size {
            Size::Normal => p.size(1, 1)?,
            Size::Tall => p.size(1, 2)?,
            Size::Double => p.size(2, 2)?,
        };
    }
    *cur = want;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_two_bytes_and_never_four() {
        assert_eq!(gbk_pair('中'), Some([0xd6, 0xd0]));
        assert_eq!(gbk_pair('￥'), Some([0xa3, 0xa4]));
        assert_eq!(gbk_pair('·'), Some([0xa1, 0xa4]));
        // 䶮 (CJK Ext A) sits in GBK's FE50–FEA0 area that printers' fonts do not reliably have;
        // 㐀 is only in GB18030's four-byte area.
        assert_eq!(gbk_pair('㐀'), None);
        assert_eq!(gbk_pair('䶮'), None);
        assert_eq!(
            gbk_pair('€'),
            None,
            "single-byte 0x80 is not a Chinese pair"
        );
        assert_eq!(gbk_pair('\u{e000}'), None);
        // 喆 is in GBK but not in GB 2312.
        let p = gbk_pair('喆').expect("GBK");
        assert!(!in_gb2312(p));
        assert!(in_gb2312(gbk_pair('张').expect("GBK")));
    }
}
