//! A strict ESC/POS decoder for the tests: it knows the length of every command the encoder may
//! send, tracks Chinese mode, decodes GBK pairs, and fails on anything else (an unknown command,
//! a truncated one, a byte ≥ 0x80 outside Chinese mode, a control byte in text).

use encoding_rs::GBK;
use onewindow::print::raster::Bitmap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecStyle {
    /// 0 left, 1 centre, 2 right.
    pub align: u8,
    pub bold: bool,
    pub width: u8,
    pub height: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Init,
    /// A printed line of text (ended by LF), with the style it was printed in.
    Text {
        line: String,
        style: DecStyle,
    },
    /// One `GS v 0` band.
    Raster(Bitmap),
    Qr(String),
    Barcode(String),
    Feed(u8),
    Cut {
        partial: bool,
    },
    StatusQuery(u8),
}

/// One unit of the stream: how many bytes it takes and whether it is a real-time status query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Status(u8),
    Other(usize),
}

fn need(buf: &[u8], n: usize) -> Option<()> {
    (buf.len() >= n).then_some(())
}

/// The next unit at the start of `buf` (`Ok(None)`: more bytes are needed).
pub fn next_unit(buf: &[u8], chinese: bool) -> Result<Option<Unit>, String> {
    let Some(&b0) = buf.first() else {
        return Ok(None);
    };
    let len =
        |n: usize| -> Result<Option<Unit>, String> { Ok(need(buf, n).map(|_| Unit::Other(n))) };
    match b0 {
        0x10 => {
            if buf.len() < 3 {
                return Ok(None);
            }
            match (buf[1], buf[2]) {
                (0x04, n @ 1..=4) => Ok(Some(Unit::Status(n))),
                other => Err(format!("unknown DLE command {other:02x?}")),
            }
        }
        0x1b => {
            let Some(&c) = buf.get(1) else {
                return Ok(None);
            };
            match c {
                b'@' => len(2),
                b'a' | b'E' | b'd' | b'!' | b'M' => len(3),
                other => Err(format!(
                    "unknown ESC command 0x{other:02x} ({:?})",
                    other as char
                )),
            }
        }
        0x1d => {
            let Some(&c) = buf.get(1) else {
                return Ok(None);
            };
            match c {
                b'!' | b'h' | b'w' | b'H' => len(3),
                b'V' => {
                    let Some(&m) = buf.get(2) else {
                        return Ok(None);
                    };
                    match m {
                        0 | 1 | 48 | 49 => len(3),
                        65 | 66 => len(4),
                        other => Err(format!("GS V {other}: unknown cut mode")),
                    }
                }
                b'v' => {
                    if buf.len() < 8 {
                        return Ok(None);
                    }
                    if buf[2] != b'0' || buf[3] > 3 && !(48..=51).contains(&buf[3]) {
                        return Err(format!("GS v {:?}: malformed", &buf[2..4]));
                    }
                    let x = buf[4] as usize + 256 * buf[5] as usize;
                    let y = buf[6] as usize + 256 * buf[7] as usize;
                    if x == 0 || y == 0 {
                        return Err("GS v 0 with an empty image".into());
                    }
                    len(8 + x * y)
                }
                b'(' => {
                    if buf.len() < 5 {
                        return Ok(None);
                    }
                    if buf[2] != b'k' {
                        return Err(format!("GS ( {:?}: unknown", buf[2] as char));
                    }
                    let n = buf[3] as usize + 256 * buf[4] as usize;
                    len(5 + n)
                }
                b'k' => {
                    let Some(&m) = buf.get(2) else {
                        return Ok(None);
                    };
                    if (65..=79).contains(&m) {
                        let Some(&n) = buf.get(3) else {
                            return Ok(None);
                        };
                        len(4 + n as usize)
                    } else {
                        Err(format!("GS k {m}: only the length-prefixed forms are sent"))
                    }
                }
                other => Err(format!(
                    "unknown GS command 0x{other:02x} ({:?})",
                    other as char
                )),
            }
        }
        0x1c => {
            let Some(&c) = buf.get(1) else {
                return Ok(None);
            };
            match c {
                b'&' | b'.' => len(2),
                b'S' => len(4),
                other => Err(format!(
                    "unknown FS command 0x{other:02x} ({:?})",
                    other as char
                )),
            }
        }
        0x0a => len(1),
        b if b < 0x20 || b == 0x7f => Err(format!("control byte 0x{b:02x} in the stream")),
        b if b < 0x80 => len(1),
        b if chinese && (0x81..=0xfe).contains(&b) => {
            let Some(&t) = buf.get(1) else {
                return Ok(None);
            };
            if (0x40..=0xfe).contains(&t) && t != 0x7f {
                len(2)
            } else {
                Err(format!("bad GBK pair {b:02x} {t:02x}"))
            }
        }
        b => Err(format!(
            "byte 0x{b:02x} outside Chinese mode (code-page text is never sent)"
        )),
    }
}

/// Whether a unit switches Chinese mode (used by the fake printer to track it).
pub fn mode_after(unit: &[u8], chinese: bool) -> bool {
    match unit {
        [0x1c, b'&'] => true,
        [0x1c, b'.'] => false,
        [0x1b, b'@'] => false,
        _ => chinese,
    }
}

/// One paper of a printed stream: what came before its cut.
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    /// Its text lines joined with `\n`.
    pub text: String,
    pub qrs: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Decoded {
    pub items: Vec<Item>,
    /// `FS S n1 n2` settings seen.
    pub fs_s: Vec<(u8, u8)>,
    /// Whether each text line containing non-ASCII was printed in Chinese mode.
    pub mode_switches: usize,
}

impl Decoded {
    /// The papers of the stream, split at each cut; a piece without text (a cut alone) is none.
    pub fn papers(&self) -> Vec<Paper> {
        self.items
            .split(|i| matches!(i, Item::Cut { .. }))
            .filter(|items| items.iter().any(|i| matches!(i, Item::Text { .. })))
            .map(|items| Paper {
                text: items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text { line, .. } => Some(line.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                qrs: items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Qr(q) => Some(q.clone()),
                        _ => None,
                    })
                    .collect(),
            })
            .collect()
    }

    pub fn text_lines(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { line, .. } => Some(line.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn qrs(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Qr(d) => Some(d.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn cuts(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i, Item::Cut { .. }))
            .count()
    }

    pub fn bands(&self) -> Vec<&Bitmap> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Raster(b) => Some(b),
                _ => None,
            })
            .collect()
    }

    /// Items with consecutive raster bands joined into one image per printed line.
    pub fn joined(&self) -> Vec<Item> {
        let mut out: Vec<Item> = Vec::new();
        let mut prev_raster = false;
        for i in &self.items {
            match i {
                Item::Raster(b) => {
                    if prev_raster
                        && let Some(Item::Raster(last)) = out.last_mut()
                        && last.width_bytes == b.width_bytes
                    {
                        last.rows += b.rows;
                        last.data.extend_from_slice(&b.data);
                        continue;
                    }
                    out.push(i.clone());
                    prev_raster = true;
                }
                other => {
                    out.push(other.clone());
                    prev_raster = false;
                }
            }
        }
        out
    }
}

/// Decodes a whole stream; any unknown or truncated command is an error.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let mut d = Decoded::default();
    let mut chinese = false;
    let mut style = DecStyle {
        width: 1,
        height: 1,
        ..DecStyle::default()
    };
    let mut line_bytes: Vec<u8> = Vec::new();
    let mut line_style = style;
    let mut qr_data: Option<String> = None;
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let unit = next_unit(rest, chinese)
            .map_err(|e| format!("at byte {pos}: {e}"))?
            .ok_or_else(|| {
                format!(
                    "at byte {pos}: truncated command {:02x?}",
                    &rest[..rest.len().min(8)]
                )
            })?;
        let n = match unit {
            Unit::Status(q) => {
                d.items.push(Item::StatusQuery(q));
                pos += 3;
                continue;
            }
            Unit::Other(n) => n,
        };
        let u = &rest[..n];
        let in_line = !line_bytes.is_empty();
        match u[0] {
            0x1b => match u[1] {
                b'@' => {
                    d.items.push(Item::Init);
                    style = DecStyle {
                        width: 1,
                        height: 1,
                        ..DecStyle::default()
                    };
                    chinese = false;
                }
                b'a' => {
                    style.align = match u[2] {
                        0 | 48 => 0,
                        1 | 49 => 1,
                        2 | 50 => 2,
                        x => return Err(format!("ESC a {x}")),
                    }
                }
                b'E' => style.bold = u[2] & 1 == 1,
                b'd' => d.items.push(Item::Feed(u[2])),
                b'!' | b'M' => {}
                _ => unreachable!(),
            },
            0x1d => match u[1] {
                b'!' => {
                    style.width = (u[2] >> 4) + 1;
                    style.height = (u[2] & 0x0f) + 1;
                }
                b'h' | b'w' | b'H' => {}
                b'V' => d.items.push(Item::Cut {
                    partial: matches!(u[2], 1 | 49 | 66),
                }),
                b'v' => {
                    let x = u[4] as usize + 256 * u[5] as usize;
                    let y = u[6] as usize + 256 * u[7] as usize;
                    d.items.push(Item::Raster(Bitmap {
                        width_bytes: x,
                        rows: y,
                        data: u[8..].to_vec(),
                    }));
                }
                b'(' => {
                    let body = &u[5..];
                    if body.len() < 2 || body[0] != 49 {
                        return Err(format!("GS ( k: only QR (cn 49) is sent, got {body:02x?}"));
                    }
                    match body[1] {
                        65 | 67 | 69 => {}
                        80 => {
                            if body.get(2) != Some(&48) {
                                return Err("GS ( k store: m must be 48".into());
                            }
                            qr_data = Some(
                                String::from_utf8(body[3..].to_vec())
                                    .map_err(|e| format!("QR data: {e}"))?,
                            );
                        }
                        81 => {
                            let data = qr_data.take().ok_or("QR print without data")?;
                            d.items.push(Item::Qr(data));
                        }
                        f => return Err(format!("GS ( k fn {f} not expected")),
                    }
                }
                b'k' => {
                    let data = &u[4..];
                    let text = String::from_utf8(data.to_vec()).map_err(|e| e.to_string())?;
                    let text = text
                        .strip_prefix("{B")
                        .ok_or("CODE128 must select code set B")?;
                    d.items.push(Item::Barcode(text.to_string()));
                }
                _ => unreachable!(),
            },
            0x1c => match u[1] {
                b'&' => {
                    chinese = true;
                    d.mode_switches += 1;
                }
                b'.' => {
                    chinese = false;
                    d.mode_switches += 1;
                }
                b'S' => d.fs_s.push((u[2], u[3])),
                _ => unreachable!(),
            },
            0x0a => {
                let (text, _, bad) = GBK.decode(&line_bytes);
                if bad {
                    return Err(format!("undecodable GBK in {line_bytes:02x?}"));
                }
                d.items.push(Item::Text {
                    line: text.into_owned(),
                    style: if in_line { line_style } else { style },
                });
                line_bytes.clear();
            }
            _ => {
                if !in_line {
                    line_style = style;
                }
                if n == 2 && !chinese {
                    return Err("GBK pair outside Chinese mode".into());
                }
                line_bytes.extend_from_slice(u);
            }
        }
        if in_line && !matches!(u[0], 0x0a) && u[0] < 0x20 && !matches!(u[0], 0x1c) {
            return Err(format!("command {u:02x?} in the middle of a text line"));
        }
        pos += n;
    }
    if !line_bytes.is_empty() {
        return Err(format!(
            "text without a line feed at the end: {line_bytes:02x?}"
        ));
    }
    Ok(d)
}
