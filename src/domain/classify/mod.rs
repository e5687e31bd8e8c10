//! Classification and routing (§5) and deadlines (§6).
//!
//! The rules R1–R11 are listed in [`RULES`] in the reference's order, each next to the row of the
//! table it implements. The first rule that gives a route decides it; flags, `also` steps, reasons
//! and deadlines accumulate from every rule that matches, whether or not it decides.
//!
//! | module | what |
//! |---|---|
//! | [`facts`] | what every rule looks at, computed once from a validated record |
//! | [`rules`] | R1–R11 and their table |
//! | [`checks`] | flags, parallel steps and deadlines that do not decide a route |

mod checks;
mod facts;
pub mod rules;
#[cfg(test)]
mod tests;

use super::age;
use super::calendar::Counted;
use super::codes::*;
use super::decision::{Deadline, Decision, Problem, Reason, Status};
use super::intake::IntakeRecord;
use super::site::SiteSettings;
use super::validate::validate_read;
use checks::*;
use chrono::{DateTime, Days, FixedOffset, NaiveDate};
use facts::facts;
use rules::{RULES, injury_recognition};
use std::collections::BTreeMap;

/// 解释（二） (法释〔2025〕12号) is in force from this date: R5 before it, R5′ from it on.
pub fn interpretation_two_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or(NaiveDate::MIN)
}

/// Validates and classifies an intake record registered at `intake_at`.
pub fn classify(
    record: &IntakeRecord,
    site: &SiteSettings,
    intake_at: DateTime<FixedOffset>,
) -> Decision {
    classify_read(record, &[], site, intake_at)
}

/// [`classify`] a record read from a file, with the problems found while reading it (unknown
/// fields and values, wrong types, §2): they block like any validation error and are reported
/// with every other problem.
pub fn classify_read(
    record: &IntakeRecord,
    read: &[Problem],
    site: &SiteSettings,
    intake_at: DateTime<FixedOffset>,
) -> Decision {
    // The intake day is the day in China, whatever offset the instant was given in (§2).
    let intake = intake_at.with_timezone(&super::china_time()).date_naive();
    // Every rule reads the record as validation does: trimmed and normalised (§2).
    let normalized = record.normalized();
    let record = &normalized;
    let v = validate_read(record, intake, read);
    let mut warnings = v.warnings;
    let blocked = |errors, warnings| Decision {
        status: Status::Blocked,
        errors,
        warnings,
        route: None,
        referral_to: None,
        also: vec![],
        flags: vec![],
        deadlines: BTreeMap::new(),
        reasons: vec![],
        queue: None,
    };
    // R0: any error blocks routing.
    let Some(birth) = v.birth_date.filter(|_| v.errors.is_empty()) else {
        return blocked(v.errors, warnings);
    };
    let facts = facts(record, site, intake, birth);

    let mut decided: Option<(Route, Option<ReferralTo>, &str)> = None;
    let mut deciding_reason = None;
    let mut other_reasons = Vec::new();
    let mut flags = Vec::new();
    let mut also = Vec::new();
    let mut counted: Vec<(Deadline, Counted)> = Vec::new();
    for (id, rule) in RULES {
        let Some(m) = rule(&facts) else { continue };
        let reason = Reason {
            rule: (*id).to_string(),
            text: m.text,
            basis: m.basis,
        };
        match (decided, m.route) {
            (None, Some((route, to))) => {
                decided = Some((route, to, id));
                deciding_reason = Some(reason);
            }
            // R10 and R11 are listed only when they decide.
            _ if *id == "R10" || *id == "R11" => {}
            _ => other_reasons.push(reason),
        }
        flags.extend(m.flags);
        also.extend(m.also);
        counted.extend(m.deadlines);
    }
    // R11 always matches, so a route is always decided here.
    let (route, referral_to, decided_by) = decided.unwrap_or((Route::LaborMediation, None, "R11"));

    // Parallel steps that depend on which rule decided (§5, after the table).
    let mut step_reasons = Vec::new();
    let parallel = &mut step_reasons;
    if facts.has_dispute_claims
        && facts.inspection_matters()
        && ["R7", "R10", "R11"].contains(&decided_by)
    {
        if facts.matter_unpaid_wages || facts.matter_no_contract {
            also.push(Also::LaborInspection);
            parallel.push(Reason {
                rule: Also::LaborInspection.code().into(),
                text: if facts.matter_unpaid_wages {
                    "拖欠工资的，在调解、仲裁的同时可向劳动保障监察投诉，由其责令支付".into()
                } else {
                    "超过一个月未订立书面劳动合同的，同时可向劳动保障监察投诉，责令改正".into()
                },
                basis: if facts.matter_unpaid_wages {
                    "《劳动争议调解仲裁法》第九条、《保障农民工工资支付条例》第十条".into()
                } else {
                    "《劳动合同法》第十条、第八十二条、《劳动保障监察条例》第十一条".into()
                },
            });
        }
        if facts.matter_si_arrears {
            let step = si_arrears_also(site.si_arrears_route);
            also.push(step);
            parallel.push(Reason {
                rule: step.code().into(),
                text: format!("未足额缴纳社会保险费的，同时可向{}申请责令补缴", step.zh()),
                basis: "《社会保险法》第八十三条第三款、《劳动保障监察条例》第十一条第（七）项"
                    .into(),
            });
        }
    }
    // After R9, contributions also go to the site's route for them when that differs from the
    // route R9 gave.
    if decided_by == "R9" && facts.matter_si_arrears {
        let step = si_arrears_also(site.si_arrears_route);
        let same = match step {
            Also::LaborInspection => route == Route::LaborInspection,
            _ => referral_to == Some(ReferralTo::TaxSiCollection),
        };
        if !same {
            also.push(step);
            step_reasons.push(Reason {
                rule: step.code().into(),
                text: format!("未足额缴纳社会保险费的，同时可向{}申请责令补缴", step.zh()),
                basis: "《社会保险法》第八十三条第三款；《劳动保障监察条例》第十一条第（七）项"
                    .into(),
            });
        }
    }
    let mut extra_reasons = Vec::new();
    if facts.ld08_unrecognized() && decided_by != "R8" {
        also.push(Also::InjuryRecognition);
        counted.extend(injury_recognition(&facts));
        // Where R8 matched without deciding, its own reason already says this.
        let r8_listed = other_reasons.iter().any(|r: &Reason| r.rule == "R8");
        if !r8_listed {
            step_reasons.push(Reason {
                rule: Also::InjuryRecognition.code().into(),
                text: "工伤待遇以工伤认定为前提，请同时向社会保险行政部门申请工伤认定".into(),
                basis: "《工伤保险条例》第十七条".into(),
            });
        }
    }
    let d = &record.dispute;
    if d.iou == Some(true) && d.categories.iter().all(|c| *c == Category::Ld04) {
        also.push(Also::Court);
        step_reasons.push(Reason {
            rule: Also::Court.code().into(),
            text: "持用人单位书写的工资欠条，可直接向人民法院起诉".into(),
            basis: "最高人民法院《关于审理劳动争议案件适用法律问题的解释（一）》第十五条".into(),
        });
    }

    let non_labor = flags.contains(&Flag::NonLabor);
    let cal = &site.calendar;
    if route == Route::LaborMediation {
        counted.push((Deadline::MediationPeriodEnds, cal.days_after(intake, 15)));
    }
    let limitation = if non_labor {
        None
    } else {
        limitation_expires(&facts)
    };
    if let Some(c) = limitation {
        counted.push((Deadline::LimitationExpires, c));
    }

    // Flags of §5 that do not come from a routing rule.
    let workers = d.workers();
    let collective = workers >= 10 && d.common_claim == Some(true);
    let escalating = d.escalating == Some(true);
    let a = &record.applicant;
    if collective {
        flags.push(Flag::Collective);
        extra_reasons.push(flag_reason(
            Flag::Collective,
            "劳动者一方在十人以上并有共同请求，按集体劳动争议处理，可推举代表参加调解或仲裁",
            "《劳动争议调解仲裁法》第七条",
        ));
        if workers >= i64::from(site.major_dispute_threshold) || escalating {
            flags.push(Flag::Major);
            extra_reasons.push(flag_reason(
                Flag::Major,
                "重大集体劳动人事争议，启动应急联合调处",
                "人社部发〔2022〕71号",
            ));
        }
    }
    if escalating {
        flags.push(Flag::Escalating);
        extra_reasons.push(flag_reason(
            Flag::Escalating,
            "矛盾有激化风险，已报告值班负责人",
            "人社部发〔2022〕71号",
        ));
    }
    if a.in_group(Group::MigrantWorker) {
        flags.push(Flag::Migrant);
    }
    if a.in_group(Group::Dispatched) {
        flags.push(Flag::Dispatch);
        extra_reasons.push(flag_reason(
            Flag::Dispatch,
            "劳务派遣用工发生争议，劳务派遣单位和用工单位为共同当事人",
            "《劳动争议调解仲裁法》第二十二条；《劳动合同法》第五十八条",
        ));
    }
    if a.in_group(Group::PlatformWorker) {
        flags.push(Flag::Platform);
    }
    let minor = age::under(birth, 18, intake);
    if minor {
        flags.push(Flag::Minor);
    }
    if record.counterparty.industry == Some(Industry::Construction) && d.has(Category::Ld04) {
        flags.push(Flag::ConstructionArrears);
        extra_reasons.push(flag_reason(
            Flag::ConstructionArrears,
            "工程建设领域拖欠农民工工资，由施工总承包单位先行清偿",
            "《保障农民工工资支付条例》第三十条",
        ));
    }
    if let Some(reason) = out_of_area(&facts, route) {
        flags.push(Flag::OutOfArea);
        extra_reasons.push(reason);
    }
    let mut time_bar_near = false;
    if let Some(l) = limitation {
        if l.date < intake {
            flags.push(Flag::TimeBarRisk);
            extra_reasons.push(flag_reason(
                Flag::TimeBarRisk,
                "仲裁时效可能已届满，请尽快申请；时效是否届满由对方提出、由受理机构认定，不影响本次登记",
                "《劳动争议调解仲裁法》第二十七条",
            ));
        } else if l.date <= intake + Days::new(6) {
            time_bar_near = true;
            flags.push(Flag::TimeBarNear);
            extra_reasons.push(flag_reason(
                Flag::TimeBarNear,
                "仲裁时效即将届满，请务必在届满日前申请仲裁",
                "《劳动争议调解仲裁法》第二十七条",
            ));
        }
    }
    if route == Route::Arbitration && final_award_likely(&facts) {
        flags.push(Flag::FinalAwardLikely);
        extra_reasons.push(flag_reason(
            Flag::FinalAwardLikely,
            "请求事项可能适用一裁终局：裁决对用人单位为终局裁决，劳动者不服的仍可自收到裁决书之日起15日内向人民法院起诉",
            "《劳动争议调解仲裁法》第四十七条、第四十八条；最高人民法院《关于审理劳动争议案件适用法律问题的解释（一）》第十九条",
        ));
    }
    let child_labor = flags.contains(&Flag::ChildLabor);
    if child_labor
        || collective
        || escalating
        || time_bar_near
        || a.in_group(Group::Disabled)
        || a.in_group(Group::Pregnant)
    {
        flags.push(Flag::Priority);
    }

    let aid_matter = [
        Category::Ld01,
        Category::Ld04,
        Category::Ld07,
        Category::Ld08,
    ]
    .iter()
    .any(|c| d.has(*c));
    let hardship = a.hardship == Some(true);
    let migrant = a.in_group(Group::MigrantWorker);
    let spared_means_test = minor || child_labor || a.in_group(Group::Disabled);
    if aid_matter && (hardship || migrant || spared_means_test || time_bar_near) {
        also.push(Also::LegalAid);
        let mut basis = vec!["《法律援助法》第三十一条"];
        if migrant {
            basis.push("第四十二条第（三）项");
        }
        if spared_means_test {
            basis.push("第四十二条第（一）项");
        }
        if time_bar_near {
            basis.push("第四十四条第（一）项");
        }
        step_reasons.push(Reason {
            rule: Also::LegalAid.code().into(),
            text: "可申请法律援助（免费法律服务）：请拨打12348或到法律援助机构申请".into(),
            basis: basis.join("、"),
        });
    }
    if collective {
        also.push(Also::Union);
    }

    // Deadlines: a date that rests on a year without a calendar may still move; say so.
    let mut deadlines = BTreeMap::new();
    let mut uncertain_years = Vec::new();
    for (name, c) in counted {
        if c.uncertain {
            uncertain_years.push(c.date.format("%Y").to_string());
        }
        deadlines.entry(name).or_insert(c.date);
    }
    if !uncertain_years.is_empty() {
        uncertain_years.sort();
        uncertain_years.dedup();
        warnings.push(Problem {
            field: "deadlines".into(),
            code: "calendar_missing".into(),
            message: format!(
                "{}年尚无节假日安排，相关日期仅按周末顺延，可能因法定节假日而推后",
                uncertain_years.join("、")
            ),
        });
    }

    let mut reasons: Vec<Reason> = deciding_reason.into_iter().collect();
    reasons.extend(other_reasons);
    // Then the flags' bases (§5), then the reasons for parallel steps.
    reasons.extend(extra_reasons);
    reasons.extend(step_reasons);
    flags.sort();
    flags.dedup();
    also.sort();
    also.dedup();
    Decision {
        status: Status::Routed,
        errors: vec![],
        warnings,
        route: Some(route),
        referral_to,
        also,
        flags,
        deadlines,
        reasons,
        queue: site.queue_prefix(route).map(str::to_string),
    }
}
