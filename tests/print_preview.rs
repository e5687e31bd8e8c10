//! Snapshot tests of the text preview of each layout on 58 mm and 80 mm paper, with the sample
//! case's long Chinese names and addresses that must wrap; and the rejection of bad layouts.

use onewindow::commands::print::sample_document;
use onewindow::print::width::text_cols;
use onewindow::print::{DocKind, Lang, Layouts, PaperSettings, Profile};

fn document(kind: DocKind, profile: &str, lang: Lang) -> (onewindow::print::Document, usize) {
    let layouts = Layouts::builtin().expect("shipped layouts load");
    let profile = Profile::builtin(profile).expect("profile");
    let paper = PaperSettings { lang };
    let doc = sample_document(&layouts, kind, &profile, &paper).expect("render");
    (doc, profile.columns())
}

fn preview(kind: DocKind, profile: &str, lang: Lang) -> String {
    let (doc, cols) = document(kind, profile, lang);
    onewindow::print::preview::preview(&doc, cols)
}

/// The document's text with its QR payloads, without layout: what the content checks read.
fn content(kind: DocKind) -> String {
    let (doc, _) = document(kind, "generic-80", Lang::Zh);
    let mut s = doc.plain_text().replace(['\n', ' '], "");
    for b in &doc.blocks {
        if let onewindow::print::Block::Qr { data } = b {
            s.push_str(&format!("[QR{data}]"));
        }
    }
    s
}

#[test]
fn previews_on_58_and_80_mm() {
    for (kind, name) in [
        (DocKind::Ticket, "ticket"),
        (DocKind::Receipt, "receipt"),
        (DocKind::Referral, "referral"),
    ] {
        for profile in ["generic-58", "generic-80"] {
            let text = preview(kind, profile, Lang::Zh);
            let cols = Profile::builtin(profile).expect("profile").columns();
            for line in text.lines().filter(|l| l.starts_with('|')) {
                let body = line.trim_start_matches('|');
                let body = body.split("  [").next().unwrap_or(body);
                assert!(
                    text_cols(body) <= cols,
                    "{profile} {name}: {line:?} overflows"
                );
            }
            insta::assert_snapshot!(format!("{name}-{profile}"), text);
        }
    }
}

#[test]
fn english_receipt_preview() {
    insta::assert_snapshot!(
        "receipt-generic-80-en",
        preview(DocKind::Receipt, "generic-80", Lang::En)
    );
}

#[test]
fn receipt_says_what_section_8_requires() {
    let text = content(DocKind::Receipt);
    for must in [
        "TSQ-20250310-0001",
        "A017",
        "买*",
        "6501**********158X",
        "本回执可作为您于2025年03月10日向本窗口请求权利救济的凭证",
        "不代表已受理",
        "不收取任何费用",
        "12333",
        "12348",
        "个人信息",
        "[QRTSQ-20250310-0001]",
        "59456.78元",
        "请尽快",
    ] {
        assert!(text.contains(must), "receipt lacks {must:?}:\n{text}");
    }
    // Masked: the full name, ID and phone never reach paper.
    for never in [
        "艾力江",
        "65010219900307158X",
        "13812345678",
        "已过时效",
        "时效已届满",
        "不予受理",
    ] {
        assert!(!text.contains(never), "receipt shows {never:?}");
    }
}

#[test]
fn ticket_has_no_personal_data() {
    let text = preview(DocKind::Ticket, "generic-58", Lang::Zh);
    for never in ["买", "6501", "1381", "某某建筑"] {
        assert!(!text.contains(never), "ticket shows {never:?}:\n{text}");
    }
    assert!(text.contains("T001"));
    assert!(text.contains("【优先】"));
}

#[test]
fn referral_says_where_and_claims_no_interruption() {
    let text = content(DocKind::Referral);
    for must in [
        "工伤认定",
        "《工伤保险条例》",
        "人力资源社会保障行政部门",
        "申请工伤认定截止日：2026-02-03",
        "不因本次登记而停止计算",
        "不产生中断或中止任何期限的效力",
    ] {
        assert!(text.contains(must), "referral lacks {must:?}:\n{text}");
    }
}

#[test]
fn a_bad_layout_is_rejected_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("receipt.layout"),
        "@center\n{{ t.receipt_title }}\n{{ v.applicant_phone }}\n",
    )
    .expect("write");
    let e = Layouts::load(Some(dir.path())).expect_err("unknown field");
    let msg = e.to_string();
    assert!(msg.contains("receipt.layout:3"), "{msg}");
    assert!(msg.contains("v.applicant_phone"), "{msg}");

    std::fs::write(
        dir.path().join("receipt.layout"),
        "ok\n{% for x in v.also %}\n{{ x }}\n",
    )
    .expect("write");
    let e = Layouts::load(Some(dir.path())).expect_err("malformed");
    assert!(e.to_string().contains("receipt.layout:"), "{e}");
    assert!(e.line >= 2, "{e}");

    std::fs::write(dir.path().join("receipt.layout"), "ok\n\n@doublesize\n").expect("write");
    let e = Layouts::load(Some(dir.path())).expect_err("directive");
    assert_eq!(e.line, 3, "{e}");
}

#[test]
fn an_edited_layout_is_used_without_recompiling() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("ticket.layout"),
        "@center\n@big\n{{ v.ticket_no }}\n@normal\n本窗口自定义文字\n@cut\n",
    )
    .expect("write");
    let layouts = Layouts::load(Some(dir.path())).expect("load");
    let profile = Profile::builtin("generic-58").expect("profile");
    let doc = sample_document(
        &layouts,
        DocKind::Ticket,
        &profile,
        &PaperSettings::default(),
    )
    .expect("render");
    assert!(doc.plain_text().contains("本窗口自定义文字"));
}

/// The ticket and the referral notice in English take their words from the paper catalogue: the
/// window numbers, the people ahead, where to go and what to bring.
#[test]
fn english_ticket_and_referral() {
    let text = |kind| {
        let (doc, _) = document(kind, "generic-80", Lang::En);
        doc.plain_text().replace('\n', " ")
    };
    let ticket = text(DocKind::Ticket);
    for must in [
        "Windows: 3, 4, 5",
        "Ahead of you: 4 waiting",
        "Estimated wait: 20 min",
        "[PRIORITY]",
    ] {
        assert!(ticket.contains(must), "ticket lacks {must:?}:\n{ticket}");
    }
    // Nothing Chinese on an English ticket but the site's own name.
    let site = onewindow::print::sample::Sample::new().site.name;
    let rest = ticket.replace(&site, "");
    assert!(
        !rest
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '：'),
        "{rest}"
    );
    let referral = text(DocKind::Referral);
    for must in [
        "Please go to: the city human resources and social security bureau where the employer is (injury recognition)",
        "Proof of employment",
        "Account of the accident, witnesses",
        "Apply for injury recognition by: 2026-02-03",
        "This notice does not interrupt or suspend any time limit.",
    ] {
        assert!(
            referral.contains(must),
            "referral lacks {must:?}:\n{referral}"
        );
    }
}
