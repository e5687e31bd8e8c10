//! Every scenario of the domain tests, classified by the real `domain::classify`, rendered as a
//! receipt (and a referral notice where routed to a referral), encoded for a 58 mm GB2312 printer
//! and decoded back: personal data only masked, the §8 sentences present, the limitation worded
//! as a warning, never as a bar.

mod support;

use chrono::DateTime;
use onewindow::domain::mask::{mask_id, mask_name};
use onewindow::domain::{Flag, IntakeRecord, Route, SiteSettings, Status, classify::classify};
use onewindow::print::escpos::encode;
use onewindow::print::{CaseInput, Layouts, PaperSettings, Profile};
use serde::Deserialize;
use support::escpos_decoder::decode;

#[derive(Deserialize)]
struct Scenario {
    intake_at: String,
    case: IntakeRecord,
}

#[test]
fn every_scenario_prints_safely() {
    let layouts = Layouts::builtin().expect("layouts");
    let profile = Profile::builtin("generic-58").expect("profile");
    let site = SiteSettings {
        name: "测试调处中心".into(),
        ..SiteSettings::default()
    };
    let mut printed = 0;
    let mut dir: Vec<_> = std::fs::read_dir("tests/scenarios")
        .expect("scenarios")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    dir.sort();
    for path in dir {
        let text = std::fs::read_to_string(&path).expect("read");
        let raw: toml::Value = toml::from_str(&text).expect("toml");
        let Ok(sc) = raw.clone().try_into::<Scenario>() else {
            // A scenario whose input is meant not to parse.
            continue;
        };
        let at = DateTime::parse_from_rfc3339(&sc.intake_at).expect("intake_at");
        let decision = classify(&sc.case, &site, at);
        if decision.status == Status::Blocked {
            continue;
        }
        let input = CaseInput {
            case_no: "SITE-20250310-0001",
            ticket_no: decision.queue.as_ref().map(|_| "T001"),
            record: &sc.case,
            decision: &decision,
            site: &site,
            clerk: "A001",
            issued_at: at.naive_local(),
        };
        let docs = layouts
            .case_documents(&input, &PaperSettings::default())
            .expect("render");
        assert_eq!(
            docs.len(),
            if decision.route == Some(Route::Referral) {
                2
            } else {
                1
            }
        );
        let name = path.display();
        let a = &sc.case.applicant;
        for doc in &docs {
            let d = decode(&encode(doc, &profile).expect("encode"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let all = doc.plain_text().replace([' ', '\n'], "");
            assert!(d.text_lines().iter().all(|l| !l.contains('?')), "{name}");
            if a.name.chars().count() > 1 {
                assert!(!all.contains(&a.name), "{name}: full name on paper");
                assert!(all.contains(&mask_name(&a.name)), "{name}");
            }
            if !a.id_number.is_empty() {
                assert!(!all.contains(&a.id_number), "{name}: id on paper");
            }
            if !a.phone.is_empty() {
                assert!(!all.contains(&a.phone), "{name}: phone on paper");
            }
            for never in ["已过时效", "时效已届满", "丧失", "不予受理", "无法受理"]
            {
                assert!(!all.contains(never), "{name}: {never}");
            }
        }
        let receipt = docs[0].plain_text().replace([' ', '\n'], "");
        assert!(
            receipt.contains(&mask_id(a.id_type, &a.id_number)),
            "{name}"
        );
        assert!(
            receipt.contains("凭证") && receipt.contains("不代表已受理"),
            "{name}"
        );
        assert!(
            receipt.contains("12333") && receipt.contains("12348"),
            "{name}"
        );
        if decision.has_flag(Flag::TimeBarRisk) || decision.has_flag(Flag::TimeBarNear) {
            assert!(receipt.contains("请尽快"), "{name}: limitation warning");
        }
        for (deadline, date) in &decision.deadlines {
            assert!(
                receipt.contains(&format!("{}：{}", deadline.zh(), date.format("%Y-%m-%d"))),
                "{name}: {deadline:?}"
            );
        }
        if let Some(r) = decision.reasons.first() {
            assert!(receipt.contains(&r.basis.replace(' ', "")), "{name}: basis");
        }
        if docs.len() == 2 {
            let referral = docs[1].plain_text().replace([' ', '\n'], "");
            assert!(
                referral.contains("请前往") && referral.contains("不产生中断或中止"),
                "{name}"
            );
        }
        printed += 1;
    }
    assert!(printed >= 30, "only {printed} scenarios printed");
}
