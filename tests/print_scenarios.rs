//! Every scenario of the domain tests, classified by the real `domain::classify`, rendered as a
//! receipt (and a referral notice where routed to a referral), encoded for a 58 mm GB2312 printer
//! and decoded back: personal data only masked, the §8 sentences present, the limitation worded
//! as a warning, never as a bar.

mod support;

use chrono::DateTime;
use onewindow::domain::mask::{mask_id, mask_name};
use onewindow::domain::{Flag, IntakeRecord, Route, SiteSettings, Status, classify::classify};
use onewindow::print::escpos::encode;
use onewindow::print::{CaseInput, DocKind, Layouts, PaperSettings, Profile, TicketInput};
use serde::Deserialize;
use support::escpos_decoder::decode;

#[derive(Deserialize)]
struct Scenario {
    intake_at: String,
    case: IntakeRecord,
}

/// The scenarios whose input parses, sorted by file name.
fn scenarios() -> Vec<(String, Scenario)> {
    let mut dir: Vec<_> = std::fs::read_dir("tests/scenarios")
        .expect("scenarios")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    dir.sort();
    dir.into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).expect("read");
            let raw: toml::Value = toml::from_str(&text).expect("toml");
            // A scenario whose input is meant not to parse is left out.
            let sc = raw.try_into::<Scenario>().ok()?;
            Some((path.display().to_string(), sc))
        })
        .collect()
}

/// No decoded line of any scenario's ticket, receipt or referral notice starts with closing
/// punctuation or ends with an opening bracket, on 58 and 80 mm paper (GB/T 15834 禁则).
#[test]
fn every_scenario_breaks_lines_by_the_chinese_rules() {
    use onewindow::print::width::{is_no_end_char, is_no_start_char};
    let layouts = Layouts::builtin().expect("layouts");
    let site = SiteSettings {
        name: "测试调处中心".into(),
        ..SiteSettings::default()
    };
    let mut lines_checked = 0;
    for profile in ["generic-58", "generic-80"] {
        let profile = Profile::builtin(profile).expect("profile");
        for (name, sc) in scenarios() {
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
            let ticket = TicketInput {
                ticket_no: "T001",

                route: decision.route.unwrap_or(Route::LaborMediation),
                windows: &[1, 3],
                issued_at: at.naive_local(),
                people_ahead: 3,
                estimated_wait_min: 15,
                priority: decision.is_priority(),
            };
            let docs = layouts
                .intake_documents(
                    &input,
                    decision.queue.is_some().then_some(&ticket),
                    &PaperSettings::default(),
                )
                .expect("render");
            for doc in &docs {
                let d = decode(&encode(doc, &profile).expect("encode"))
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                for line in d.text_lines() {
                    let t = line.trim();
                    assert!(
                        !t.starts_with(is_no_start_char),
                        "{name} at {} columns: {line:?} starts with closing punctuation",
                        profile.columns()
                    );
                    assert!(
                        !t.ends_with(is_no_end_char),
                        "{name} at {} columns: {line:?} ends with an opening bracket",
                        profile.columns()
                    );
                    lines_checked += 1;
                }
            }
        }
    }
    assert!(lines_checked > 1000, "only {lines_checked} lines checked");
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
    let (mut non_labour, mut collective) = (0, 0);
    for (name, sc) in scenarios() {
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
        let ticket = TicketInput {
            ticket_no: "T001",

            route: decision.route.unwrap_or(Route::LaborMediation),
            windows: &[1, 3],
            issued_at: at.naive_local(),
            people_ahead: 3,
            estimated_wait_min: 15,
            priority: decision.is_priority(),
        };
        let with_ticket = decision.queue.is_some();
        let docs = layouts
            .intake_documents(
                &input,
                with_ticket.then_some(&ticket),
                &PaperSettings::default(),
            )
            .expect("render");
        let referral = decision.route == Some(Route::Referral);
        assert_eq!(docs.len(), if with_ticket { 2 } else { 1 });
        let paper = docs.last().expect("receipt or referral notice");
        let want = if referral {
            DocKind::Referral
        } else {
            DocKind::Receipt
        };
        assert_eq!(paper.kind, want);
        let a = &sc.case.applicant;
        for doc in &docs {
            let d = decode(&encode(doc, &profile).expect("encode"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let all = doc.plain_text().replace([' ', '\n'], "");
            assert!(d.text_lines().iter().all(|l| !l.contains('?')), "{name}");
            for raw in [&a.name, &a.id_number, &a.phone] {
                if raw.chars().count() > 1 {
                    assert!(!all.contains(raw.as_str()), "{name}: {raw} on paper");
                }
            }
            for never in ["已过时效", "时效已届满", "丧失", "不予受理", "无法受理"]
            {
                assert!(!all.contains(never), "{name}: {never}");
            }
        }
        if with_ticket {
            let t = docs[0].plain_text();
            assert!(t.contains("T001"), "{name}");
            assert!(
                !t.contains(&mask_name(&a.name)) && !t.contains(&sc.case.counterparty.name),
                "{name}: personal data on the ticket"
            );
        }
        let text = paper.plain_text().replace([' ', '\n'], "");
        assert!(text.contains(&mask_name(&a.name)), "{name}");
        if referral {
            assert!(
                text.contains("请前往") && text.contains("不产生中断或中止"),
                "{name}"
            );
            assert!(
                !text.contains("凭证"),
                "{name}: a referral claims nothing for any period"
            );
        } else {
            assert!(text.contains(&mask_id(a.id_type, &a.id_number)), "{name}");
            assert!(
                text.contains("凭证") && text.contains("不代表已受理"),
                "{name}"
            );
            if decision.has_flag(Flag::TimeBarRisk) || decision.has_flag(Flag::TimeBarNear) {
                assert!(text.contains("请尽快"), "{name}: limitation warning");
            }
        }
        assert!(text.contains("12333") && text.contains("12348"), "{name}");
        // Wording that fits the paper and the route (issue 15).
        if referral {
            assert!(
                text.contains("本告知书已隐去部分信息") && !text.contains("回执已隐去"),
                "{name}: a notice is not a receipt"
            );
        } else if decision.route == Some(Route::PeoplesMediation) {
            non_labour += 1;
            assert!(text.contains("纠纷登记回执"), "{name}");
            assert!(!text.contains("劳动争议登记回执"), "{name}");
            assert!(
                !text.contains("劳动关系"),
                "{name}: no proof of employment asked"
            );
        } else {
            assert!(text.contains("劳动争议登记回执"), "{name}");
        }
        let categories: Vec<&str> = sc.case.dispute.categories.iter().map(|c| c.zh()).collect();
        if !categories.is_empty() && !referral {
            assert!(
                text.contains(&format!("争议事项：{}", categories.join("；"))),
                "{name}: categories joined with ；"
            );
        }
        let amounts = sc.case.dispute.claims.iter().any(|c| c.amount.is_some());
        if decision.has_flag(Flag::Collective) && amounts && !referral {
            assert!(
                text.contains("元（每人）"),
                "{name}: collective amounts are per worker"
            );
            collective += 1;
        }
        for (deadline, date) in &decision.deadlines {
            assert!(
                text.contains(&format!("{}：{}", deadline.zh(), date.format("%Y-%m-%d"))),
                "{name}: {deadline:?}"
            );
        }
        if let Some(r) = decision.reasons.first() {
            assert!(text.contains(&r.basis.replace(' ', "")), "{name}: basis");
        }
        printed += 1;
    }
    assert!(printed >= 30, "only {printed} scenarios printed");
    assert!(
        non_labour > 0 && collective > 0,
        "{non_labour} 人民调解, {collective} collective"
    );
}

/// English paper is English throughout: apart from names the worker gave (the site, the
/// employer, addresses) and the Chinese statute titles kept beside their English names, no
/// Chinese character is printed on any scenario's ticket, receipt or notice.
#[test]
fn english_paper_is_english() {
    let layouts = Layouts::builtin().expect("layouts");
    let site = SiteSettings {
        name: "Test centre".into(),
        ..SiteSettings::default()
    };
    let paper = PaperSettings {
        lang: onewindow::domain::Lang::En,
    };
    let cjk =
        |c: char| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);
    let mut checked = 0;
    for (name, sc) in scenarios() {
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
        let ticket = TicketInput {
            ticket_no: "T001",
            route: decision.route.unwrap_or(Route::LaborMediation),
            windows: &[1, 3],
            issued_at: at.naive_local(),
            people_ahead: 3,
            estimated_wait_min: 15,
            priority: decision.is_priority(),
        };
        let docs = layouts
            .intake_documents(&input, decision.queue.is_some().then_some(&ticket), &paper)
            .expect("render");
        for doc in &docs {
            let mut text = doc.plain_text().replace(['\n', ' '], "");
            // What the worker gave stays as given.
            let masked = mask_name(&sc.case.applicant.name);
            let id = mask_id(sc.case.applicant.id_type, &sc.case.applicant.id_number);
            let given = [
                Some(sc.case.counterparty.name.as_str()),
                sc.case.counterparty.address.as_deref(),
                Some(masked.as_str()),
                Some(id.as_str()),
            ];
            for g in given.into_iter().flatten() {
                text = text.replace(&g.replace(' ', ""), "");
            }
            // Statute titles are kept in Chinese beside their English names.
            while let (Some(a), Some(b)) = (text.find('《'), text.find('》')) {
                if b < a {
                    break;
                }
                text.replace_range(a..b + '》'.len_utf8(), "");
            }
            let left: String = text.chars().filter(|c| cjk(*c)).collect();
            assert!(
                left.is_empty(),
                "{name}: Chinese on English paper: {left:?} in {text}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} documents");
}
