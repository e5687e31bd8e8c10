//! The device-independent document: what a layout renders to and what the spool stores.
//!
//! It holds paragraphs, not printed lines: wrapping depends on the printer's columns, so it is
//! done by [`Document::lines`] for a given width, the same way for the preview and the encoder.
//! A reprint decodes the stored document and so prints exactly what was issued.

use super::width::{text_cols, wrap};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Character size: normal, double height, or double width and height.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    #[default]
    Normal,
    Tall,
    Double,
}

impl Size {
    /// How many columns one printed column takes at this size.
    pub fn width_factor(self) -> usize {
        match self {
            Size::Double => 2,
            Size::Normal | Size::Tall => 1,
        }
    }

    pub fn height_factor(self) -> usize {
        match self {
            Size::Normal => 1,
            Size::Tall | Size::Double => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Style {
    #[serde(default)]
    pub align: Align,
    #[serde(default)]
    pub bold: bool,
    #[serde(default)]
    pub size: Size,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "block", rename_all = "snake_case")]
pub enum Block {
    /// One paragraph, wrapped to the paper width when printed.
    Text {
        text: String,
        style: Style,
    },
    /// A separator line made of one character repeated across the paper.
    Rule {
        ch: char,
    },
    Qr {
        data: String,
    },
    /// CODE128 barcode (ASCII only).
    Barcode {
        data: String,
    },
    Feed {
        lines: u8,
    },
    Cut,
}

/// Which paper a document is; the spool stores it with the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Ticket,
    Receipt,
    Referral,
    Test,
}

impl DocKind {
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Ticket => "ticket",
            DocKind::Receipt => "receipt",
            DocKind::Referral => "referral",
            DocKind::Test => "test",
        }
    }

    pub fn from_code(s: &str) -> Option<DocKind> {
        [
            DocKind::Ticket,
            DocKind::Receipt,
            DocKind::Referral,
            DocKind::Test,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocKind,
    pub blocks: Vec<Block>,
}

/// A line as it goes on paper at a given width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperLine {
    Text { text: String, style: Style },
    Qr(String),
    Barcode(String),
    Feed(u8),
    Cut,
}

/// Removes what must never reach the printer from text typed by a person: every control
/// character (C0 including ESC, GS, FS, DLE, and DEL and C1), which would otherwise start a printer
/// command, and the byte-order mark. Tabs and line breaks become spaces. `¥` becomes the
/// full-width `￥`, which is in GBK (the half-width one is not).
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            '¥' => Some('￥'),
            '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

impl Document {
    pub fn new(kind: DocKind) -> Self {
        Document {
            kind,
            blocks: Vec::new(),
        }
    }

    /// Adds a paragraph; the text is sanitized here, so no path into a document skips it.
    pub fn text(&mut self, text: &str, style: Style) {
        self.blocks.push(Block::Text {
            text: sanitize(text),
            style,
        });
    }

    pub fn push(&mut self, block: Block) {
        let block = match block {
            Block::Text { text, style } => Block::Text {
                text: sanitize(&text),
                style,
            },
            Block::Qr { data } => Block::Qr {
                data: sanitize(&data),
            },
            Block::Barcode { data } => Block::Barcode {
                data: sanitize(&data).chars().filter(char::is_ascii).collect(),
            },
            other => other,
        };
        self.blocks.push(block);
    }

    /// A copy printed again: `mark` (【补打】) and `when` centred and bold above everything
    /// else, so nobody takes it for the first issue. A copy of a copy keeps one mark, the new.
    pub fn marked(&self, mark: &str, when: &str) -> Document {
        let mut blocks = vec![Block::Text {
            text: sanitize(&format!("{mark} {when}")),
            style: Style {
                align: Align::Center,
                bold: true,
                size: Size::Normal,
            },
        }];
        let earlier = |b: &Block| matches!(b, Block::Text { text, .. } if text.starts_with(mark));
        let skip = usize::from(self.blocks.first().is_some_and(earlier));
        blocks.extend(self.blocks.iter().skip(skip).cloned());
        Document {
            kind: self.kind,
            blocks,
        }
    }

    pub fn to_json(&self) -> String {
        // A Document has only strings, enums and numbers: serialisation cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<Document, serde_json::Error> {
        serde_json::from_str(s)
    }

    /// The lines as printed on paper `columns` wide (font A columns).
    pub fn lines(&self, columns: usize) -> Vec<PaperLine> {
        let mut out = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Text { text, style } => {
                    let w = (columns / style.size.width_factor()).max(2);
                    for l in wrap(&sanitize(text), w) {
                        out.push(PaperLine::Text {
                            text: l,
                            style: *style,
                        });
                    }
                }
                Block::Rule { ch } => {
                    let c = if ch.is_control() { '-' } else { *ch };
                    let n = columns / text_cols(&c.to_string()).max(1);
                    out.push(PaperLine::Text {
                        text: c.to_string().repeat(n),
                        style: Style::default(),
                    });
                }
                Block::Qr { data } => out.push(PaperLine::Qr(sanitize(data))),
                Block::Barcode { data } => out.push(PaperLine::Barcode(data.clone())),
                Block::Feed { lines } => out.push(PaperLine::Feed(*lines)),
                Block::Cut => out.push(PaperLine::Cut),
            }
        }
        out
    }

    /// All the text of the document, one paragraph per line (tests and logs of content checks).
    pub fn plain_text(&self) -> String {
        let mut s = String::new();
        for b in &self.blocks {
            if let Block::Text { text, .. } = b {
                s.push_str(text);
                s.push('\n');
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_never_survive() {
        let evil = "张\u{1b}@\u{1d}V\u{0}\u{1c}&\u{10}\u{4}\u{1}三\u{7f}\u{9b}¥";
        let s = sanitize(evil);
        assert_eq!(s, "张@V&三￥");
        assert!(s.chars().all(|c| !c.is_control()));
    }

    #[test]
    fn round_trips_as_json() {
        let mut d = Document::new(DocKind::Receipt);
        d.text("登记回执", Style::default());
        d.push(Block::Qr { data: "X".into() });
        d.push(Block::Cut);
        let back = Document::from_json(&d.to_json()).expect("json");
        assert_eq!(back, d);
    }

    #[test]
    fn a_copy_of_a_copy_keeps_one_mark() {
        let mut d = Document::new(DocKind::Ticket);
        d.text("T001", Style::default());
        let once = d.marked("【补打】", "2025-03-10 10:00");
        let twice = once.marked("【补打】", "2025-03-10 11:00");
        assert_eq!(twice.plain_text(), "【补打】 2025-03-10 11:00\nT001\n");
        assert_eq!(once.blocks.len(), 2);
    }
}
