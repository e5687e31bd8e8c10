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
