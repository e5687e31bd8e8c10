//! Property tests of the printer column arithmetic: wrapping never overflows a line, never splits
//! or loses a character, whatever the text and the width.

use onewindow::print::width::{text_cols, wrap};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just('7'),
            Just('-'),
            Just(' '),
            Just('劳'),
            Just('动'),
            Just('·'),
            Just('①'),
            Just('：'),
            Just('，'),
            Just('。'),
            Just('（'),
            Just('）'),
            Just('䶮'),
            Just('￥'),
        ],
        0..200,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn wrap_fits_and_keeps_every_character(t in text(), width in 2usize..64) {
        let lines = wrap(&t, width);
        prop_assert!(!lines.is_empty());
        for l in &lines {
            prop_assert!(text_cols(l) <= width, "{:?} over {}", l, width);
        }
        let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let orig: String = t.chars().filter(|c| *c != ' ').collect();
        prop_assert_eq!(joined, orig);
    }
}

#[test]
fn paper_widths() {
    use onewindow::print::Profile;
    let p58 = Profile::builtin("generic-58").expect("58");
    let p80 = Profile::builtin("generic-80").expect("80");
    let epson = Profile::builtin("epson-tm-t88").expect("epson");
    assert_eq!((p58.columns(), p58.media.width.pixels), (32, 384));
    assert_eq!((p80.columns(), p80.media.width.pixels), (48, 576));
    assert_eq!((epson.columns(), epson.media.dpi), (42, 180));
    // 16 Chinese characters fill a 58 mm line exactly; the 17th wraps.
    assert_eq!(wrap(&"劳".repeat(16), 32).len(), 1);
    assert_eq!(wrap(&"劳".repeat(17), 32).len(), 2);
    assert_eq!(wrap(&"劳".repeat(24), 48).len(), 1);
    assert_eq!(wrap(&"劳".repeat(21), 42).len(), 1);
    assert_eq!(wrap(&"劳".repeat(22), 42).len(), 2);
}

/// Text made of words as Chinese paper has them: CJK runs, ASCII words and numbers, closing
/// punctuation after a word (at most two marks, as in "）。"), opening brackets before one.
fn cjk_text() -> impl Strategy<Value = String> {
    let cjk = proptest::collection::vec(
        prop_oneof![
            Just('劳'),
            Just('动'),
            Just('争'),
            Just('议'),
            Just('䶮'),
            Just('·')
        ],
        1..8,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    let ascii = "[A-Za-z0-9-]{1,10}";
    let closing = proptest::sample::select(vec![
        "、", "，", "。", "；", "：", "？", "！", "）", "》", "」", "』", "】", "）。", "》，",
        "，", ",", ".", ";", ":", "?", "!", ")", "",
    ]);
    let opening = proptest::sample::select(vec!["", "", "（", "《", "「", "『", "【", "(", "《"]);
    let space = proptest::sample::select(vec!["", "", " "]);
    proptest::collection::vec(
        (
            opening,
            prop_oneof![cjk, ascii.prop_map(String::from)],
            closing,
            space,
        )
            .prop_map(|(o, w, c, s)| format!("{o}{w}{c}{s}")),
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    /// GB/T 15834 / W3C clreq: at every profile width no line starts with closing punctuation
    /// and none ends with an opening bracket; the lines still fit and keep every character.
    #[test]
    fn wrap_follows_the_chinese_line_breaking_rules(t in cjk_text(), p in 0usize..64) {
        use onewindow::print::width::{is_no_end_char, is_no_start_char};
        let ids = onewindow::print::profile::builtin_ids();
        let id = ids[p % ids.len()];
        let width = onewindow::print::Profile::builtin(id).expect("profile").columns();
        let lines = wrap(&t, width);
        for l in &lines {
            prop_assert!(text_cols(l) <= width, "{:?} over {}", l, width);
            prop_assert!(!l.trim().starts_with(is_no_start_char), "{:?} in {:?}", l, lines);
            prop_assert!(!l.trim().ends_with(is_no_end_char), "{:?} in {:?}", l, lines);
        }
        let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let orig: String = t.chars().filter(|c| *c != ' ').collect();
        prop_assert_eq!(joined, orig);
    }
}

#[test]
fn an_opening_bracket_goes_to_the_next_line_with_its_word() {
    // 58 mm: 16 Chinese characters a line; the 16th would be "（".
    let text = format!("{}（注）", "劳".repeat(15));
    let lines = wrap(&text, 32);
    assert_eq!(lines, vec!["劳".repeat(15), "（注）".to_string()]);
    // Two closing marks after a full line: the break moves back one character.
    let text = format!("{}）。后", "劳".repeat(16));
    let lines = wrap(&text, 32);
    assert_eq!(lines, vec!["劳".repeat(15), "劳）。后".to_string()]);
}
