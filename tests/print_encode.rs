//! The ESC/POS stream of every document on every profile, decoded back by a strict decoder and
//! checked against the document: text lines, raster lines (the images must be exactly the
//! Unifont rendering of the expected text), QR payloads, barcodes, feeds and cuts.

mod support;

use onewindow::commands::print::sample_document;
use onewindow::domain::IntakeRecord;
use onewindow::print::document::{Align, PaperLine, Size, Style};
use onewindow::print::escpos::{encode, needs_raster};
use onewindow::print::raster::{gs_v0, render_line};
use onewindow::print::sample::Sample;
use onewindow::print::width::text_cols;
use onewindow::print::{Block, DocKind, Document, Layouts, PaperSettings, Profile};
use support::escpos_decoder::{DecStyle, Item, decode};

#[derive(Debug, PartialEq)]
enum Seen {
    Text(String, Option<DecStyle>),
    Raster(onewindow::print::raster::Bitmap),
    Qr(String),
    Barcode(String),
    Feed(u8),
    Cut,
}

fn dec_style(s: Style) -> DecStyle {
    DecStyle {
        align: match s.align {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        },
        bold: s.bold,
        width: s.size.width_factor() as u8,
        height: s.size.height_factor() as u8,
    }
}

/// What the printer must print for `doc` on `p`.
fn expected(doc: &Document, p: &Profile) -> Vec<Seen> {
    let cols = p.columns();
    let mut v = Vec::new();
    for l in doc.lines(cols) {
        match l {
            PaperLine::Text { text, .. } if text.is_empty() => {
                v.push(Seen::Text(String::new(), None))
            }
            PaperLine::Text { text, style } if needs_raster(&text, p) => {
                // The line drawn in the bundled font, cut into the profile's bands (where image
                // bytes spelling a real-time command lose one dot).
                let bm = render_line(&text, style, cols, p.media.width.pixels);
                let bands = decode(&gs_v0(&bm, p.raster.band_rows)).expect("bands");
                for b in bands.bands() {
                    v.push(Seen::Raster(b.clone()));
                }
            }
            PaperLine::Text { text, style } => v.push(Seen::Text(text, Some(dec_style(style)))),
            PaperLine::Qr(d) => {
                if p.features.qr_code {
                    v.push(Seen::Qr(d));
                    v.push(Seen::Text(String::new(), None));
                } else {
                    v.push(Seen::Text(d, None));
                }
            }
            PaperLine::Barcode(d) => {
                if p.features.barcode_b {
                    v.push(Seen::Barcode(d));
                    v.push(Seen::Text(String::new(), None));
                } else {
                    v.push(Seen::Text(d, None));
                }
            }
            PaperLine::Feed(n) => v.push(Seen::Feed(n)),
            PaperLine::Cut => v.push(if p.can_cut() {
                Seen::Cut
            } else {
                Seen::Feed(4)
            }),
        }
    }
    join_rasters(v)
}

/// Raster lines follow each other without a delimiter, so both sides are compared with
/// consecutive images joined.
fn join_rasters(v: Vec<Seen>) -> Vec<Seen> {
    let mut out: Vec<Seen> = Vec::new();
    for s in v {
        if let (Seen::Raster(b), Some(Seen::Raster(last))) = (&s, out.last_mut())
            && last.width_bytes == b.width_bytes
        {
            last.rows += b.rows;
            last.data.extend_from_slice(&b.data);
            continue;
        }
        out.push(s);
    }
    out
}

fn seen(bytes: &[u8]) -> Vec<Seen> {
    let d = decode(bytes).unwrap_or_else(|e| panic!("stream does not decode: {e}"));
    let v = d
        .joined()
        .into_iter()
        .filter_map(|i| match i {
            Item::Text { line, style } => Some(if line.is_empty() {
                Seen::Text(line, None)
            } else {
                Seen::Text(line, Some(style))
            }),
            Item::Raster(b) => Some(Seen::Raster(b)),
            Item::Qr(d) => Some(Seen::Qr(d)),
            Item::Barcode(d) => Some(Seen::Barcode(d)),
            Item::Feed(n) => Some(Seen::Feed(n)),
            Item::Cut { .. } => Some(Seen::Cut),
            Item::Init | Item::StatusQuery(_) => None,
        })
        .collect();
    join_rasters(v)
}

fn sample_docs(p: &Profile) -> Vec<Document> {
    let layouts = Layouts::builtin().expect("layouts");
    [
        DocKind::Ticket,
        DocKind::Receipt,
        DocKind::Referral,
        DocKind::Test,
    ]
    .into_iter()
    .map(|k| sample_document(&layouts, k, p, &PaperSettings::default()).expect("render"))
    .collect()
}

#[test]
fn every_profile_prints_every_document_as_laid_out() {
    for p in Profile::all_builtin().expect("profiles") {
        for doc in sample_docs(&p) {
            let bytes = encode(&doc, &p).expect("encode");
            let got = seen(&bytes);
            let want = expected(&doc, &p);
            assert_eq!(got.len(), want.len(), "{} {:?}: item count", p.id, doc.kind);
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(g, w, "{} {:?}: item {i}", p.id, doc.kind);
            }
            // The case is on paper on every profile: as text or as an image of the text.
            if doc.kind == DocKind::Receipt {
                let d = decode(&bytes).expect("decode");
                if p.chinese.encoding != onewindow::print::profile::ChineseEncoding::None {
                    assert!(
                        d.text_lines()
                            .iter()
                            .any(|l| l.contains("TSQ-20250310-0001"))
                    );
                }
                if p.features.qr_code {
                    assert_eq!(d.qrs(), vec!["TSQ-20250310-0001".to_string()]);
                }
            }
        }
    }
}

#[test]
fn printed_lines_never_overflow_the_paper() {
    for p in Profile::all_builtin().expect("profiles") {
        for doc in sample_docs(&p) {
            let d = decode(&encode(&doc, &p).expect("encode")).expect("decode");
            for i in d.items {
                match i {
                    Item::Text { line, style } => assert!(
                        text_cols(&line) * style.width as usize <= p.columns(),
                        "{}: {line:?} overflows {} columns",
                        p.id,
                        p.columns()
                    ),
                    Item::Raster(b) => {
                        assert!(b.width_bytes * 8 <= p.media.width.pixels, "{}", p.id);
                        assert!(
                            !b.data
                                .windows(2)
                                .any(|w| w[0] == 0x10 && matches!(w[1], 4 | 5 | 0x14)),
                            "{}: image data spells a real-time command",
                            p.id
                        );
                        assert!(
                            b.rows <= p.raster.band_rows && b.rows <= 256,
                            "{}: band of {}",
                            p.id,
                            b.rows
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn chinese_goes_out_as_gbk_in_chinese_mode_never_utf8() {
    let p = Profile::builtin("generic-80").expect("p");
    let doc = &sample_docs(&p)[1];
    let bytes = encode(doc, &p).expect("encode");
    assert!(!contains(&bytes, "登记".as_bytes()), "UTF-8 on the wire");
    let (gbk, _, _) = encoding_rs::GBK.encode("登记");
    assert!(contains(&bytes, &gbk));
    // ESC @, then Chinese mode and zero Chinese character spacing.
    assert_eq!(&bytes[..8], &[0x1b, b'@', 0x1c, b'&', 0x1c, b'S', 0, 0]);
    let d = decode(&bytes).expect("decode");
    assert_eq!(d.fs_s, vec![(0, 0)]);
}

#[test]
fn ascii_only_lines_go_out_after_fs_dot() {
    let p = Profile::builtin("generic-58").expect("p");
    let layouts = Layouts::builtin().expect("layouts");
    let doc = layouts
        .test_page(&p, Sample::new().issued_at, onewindow::print::Lang::Zh)
        .expect("test page");
    let bytes = encode(&doc, &p).expect("encode");
    let ruler = b"12345678901234567890123456789012\n";
    let at = bytes
        .windows(ruler.len())
        .position(|w| w == ruler)
        .expect("ruler printed");
    let last_fs = bytes[..at]
        .windows(2)
        .rposition(|w| w[0] == 0x1c && (w[1] == b'.' || w[1] == b'&'));
    assert_eq!(bytes[last_fs.expect("a mode command") + 1], b'.');
    // And the Chinese line after it switches back.
    let d = decode(&bytes).expect("decode");
    assert!(d.mode_switches >= 3);
    assert!(d.text_lines().iter().any(|l| l.contains("调解仲裁")));
}

fn one_line_doc(text: &str) -> Document {
    let mut d = Document::new(DocKind::Receipt);
    d.text(text, Style::default());
    d.push(Block::Cut);
    d
}

#[test]
fn yen_sign_prints_as_fullwidth_yuan() {
    let p = Profile::builtin("generic-58").expect("p");
    let d = decode(&encode(&one_line_doc("金额 ¥100"), &p).expect("encode")).expect("decode");
    assert_eq!(d.text_lines()[0], "金额 ￥100");
}

#[test]
fn rare_characters_are_drawn_never_replaced() {
    let gb2312 = Profile::builtin("generic-58").expect("p");
    let gbk = Profile::builtin("generic-80").expect("p");
    // 喆 is in GBK but not GB 2312; 䶮 is in neither printer's font.
    let line = "申请人：王喆";
    let d = decode(&encode(&one_line_doc(line), &gbk).expect("encode")).expect("decode");
    assert_eq!(d.text_lines()[0], line);
    let d = decode(&encode(&one_line_doc(line), &gb2312).expect("encode")).expect("decode");
    assert!(
        d.text_lines().is_empty(),
        "the line must be an image, not text"
    );
    let img = &d.joined()[1];
    assert_eq!(
        img,
        &Item::Raster(render_line(line, Style::default(), 32, 384)),
        "the image is the line drawn in the bundled font"
    );
    for p in [&gb2312, &gbk] {
        let bytes = encode(&one_line_doc("刘䶮"), p).expect("encode");
        let d = decode(&bytes).expect("decode");
        assert!(d.text_lines().iter().all(|l| !l.contains('?')));
        assert!(!d.bands().is_empty(), "{}: 䶮 drawn", p.id);
    }
}

#[test]
fn a_printer_without_chinese_font_gets_images_for_every_chinese_line() {
    let p = Profile::builtin("epson-tm-t88").expect("p");
    assert_eq!(p.columns(), 42);
    for doc in sample_docs(&p) {
        let bytes = encode(&doc, &p).expect("encode");
        let d = decode(&bytes).expect("decode");
        assert_eq!(
            d.mode_switches, 0,
            "no FS command to an Epson without Chinese font"
        );
        assert!(d.fs_s.is_empty());
        for l in d.text_lines() {
            assert!(l.is_ascii(), "{l:?} sent as text");
        }
        assert!(!d.bands().is_empty());
    }
}

#[test]
fn a_name_full_of_printer_commands_prints_as_harmless_text() {
    let evil = "\u{1b}@\u{1d}V\u{42}\u{0}\u{1c}&\u{10}\u{4}\u{1}某某\u{1b}d\u{9}公司\u{1d}(k\u{7f}";
    let s = Sample::new();
    let mut record: IntakeRecord = s.record.clone();
    record.counterparty.name = evil.to_string();
    record.applicant.name = format!("\u{1b}张{evil}");
    let input = onewindow::print::CaseInput {
        record: &record,
        ..s.case_input()
    };
    let layouts = Layouts::builtin().expect("layouts");
    for p in Profile::all_builtin().expect("profiles") {
        let doc = layouts
            .receipt(&input, &PaperSettings::default())
            .expect("render");
        let bytes = encode(&doc, &p).expect("encode");
        let d = decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.id));
        let cuts = if p.can_cut() { 1 } else { 0 };
        assert_eq!(d.cuts(), cuts, "{}: only the layout's own cut", p.id);
        assert!(!d.items.iter().any(|i| matches!(i, Item::StatusQuery(_))));
        assert!(!d.items.iter().any(|i| matches!(i, Item::Feed(9))));
        if p.chinese.encoding != onewindow::print::profile::ChineseEncoding::None {
            assert!(
                d.text_lines()
                    .iter()
                    .any(|l| l.contains("@VB&某某d 公司(k")),
                "{}: {:?}",
                p.id,
                d.text_lines()
            );
        }
    }
    // A tampered spool payload is sanitised too.
    let json = one_line_doc("x")
        .to_json()
        .replace("\"x\"", "\"\\u001bd\\u0009x\\u001dV\\u0000\"");
    let doc = Document::from_json(&json).expect("json");
    let p = Profile::builtin("generic-80").expect("p");
    let d = decode(&encode(&doc, &p).expect("encode")).expect("decode");
    assert_eq!(d.text_lines()[0], "d xV");
}

#[test]
fn cuts_are_sent_as_raw_partial_cuts_and_only_with_a_cutter() {
    for p in Profile::all_builtin().expect("profiles") {
        let bytes = encode(&one_line_doc("x"), &p).expect("encode");
        assert!(
            !contains(&bytes, &[0x1d, b'V', 65, 1]),
            "the crate's feed-and-full-cut"
        );
        if p.features.paper_part_cut {
            assert!(bytes.ends_with(&[0x1d, b'V', 66, 0]), "{}", p.id);
        } else if !p.can_cut() {
            assert!(!contains(&bytes, &[0x1d, b'V']), "{}", p.id);
            assert!(bytes.ends_with(&[0x1b, b'd', 4]), "{}", p.id);
        }
    }
}

#[test]
fn double_size_lines_wrap_to_half_the_columns() {
    let p = Profile::builtin("generic-58").expect("p");
    let mut doc = Document::new(DocKind::Ticket);
    doc.text(
        "劳动人事争议调解中心第一窗口",
        Style {
            size: Size::Double,
            ..Style::default()
        },
    );
    let d = decode(&encode(&doc, &p).expect("encode")).expect("decode");
    let lines = d.text_lines();
    assert_eq!(lines, vec!["劳动人事争议调解", "中心第一窗口"]);
}
