//! Classification and routing (§5) and deadlines (§6).
//!
//! The rules R1–R11 are listed in [`RULES`] in the reference's order, each next to the row of the
//! table it implements. The first rule that gives a route decides it; flags, `also` steps, reasons
//! and deadlines accumulate from every rule that matches, whether or not it decides.

use super::age;
use super::calendar::Counted;
use super::codes::*;
use super::decision::{Deadline, Decision, Problem, Reason, Status};
use super::intake::IntakeRecord;
use super::site::SiteSettings;
use super::validate::validate_read;
use chrono::{DateTime, Days, FixedOffset, NaiveDate};
use std::collections::BTreeMap;

/// 解释（二） (法释〔2025〕12号) is in force from this date: R5 before it, R5′ from it on.
pub fn interpretation_two_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or(NaiveDate::MIN)
}

/// Everything a rule looks at, computed once from a record that passed validation.
pub struct Facts<'a> {
    pub r: &'a IntakeRecord,
    pub site: &'a SiteSettings,
    pub intake: NaiveDate,
    pub birth: NaiveDate,
    /// (a) unpaid wages without a request for mediation.
    pub matter_unpaid_wages: bool,
    /// (b) unpaid social-insurance contributions.
    pub matter_si_arrears: bool,
    /// (c) ongoing employment without a written contract past the one-month grace.
    pub matter_no_contract: bool,
    pub has_dispute_claims: bool,
}

impl Facts<'_> {
    fn has(&self, c: Category) -> bool {
        self.r.dispute.has(c)
    }

    fn kind(&self) -> CounterpartyKind {
        self.r.counterparty.kind
    }

    fn inspection_matters(&self) -> bool {
        self.matter_unpaid_wages || self.matter_si_arrears || self.matter_no_contract
    }

    fn r4_matches(&self) -> bool {
        matches!(
            self.kind(),
            CounterpartyKind::Household
                | CounterpartyKind::Craftsman
                | CounterpartyKind::RuralContractor
        )
    }

    fn pension(&self) -> bool {
        self.r.applicant.pension_before_hire == Some(true)
    }

    fn r5_matches(&self) -> bool {
        self.pension() && self.intake < interpretation_two_in_force()
    }

    fn ld08_unrecognized(&self) -> bool {
        self.has(Category::Ld08)
            && self.r.dispute.injury.as_ref().and_then(|i| i.recognized) == Some(false)
    }

    fn date(d: &Option<super::values::DateInput>) -> Option<NaiveDate> {
        d.as_ref().and_then(|d| d.date())
    }
}

/// What a matching rule contributes.
#[derive(Default)]
pub struct Matched {
    /// The route this rule gives, if it gives one (R5′ does not).
    pub route: Option<(Route, Option<ReferralTo>)>,
    pub flags: Vec<Flag>,
    pub also: Vec<Also>,
    pub deadlines: Vec<(Deadline, Counted)>,
    pub text: String,
    pub basis: String,
}

type Rule = (&'static str, fn(&Facts) -> Option<Matched>);

/// The routing table of §5, in order. R0 (any error blocks) is applied before it.
pub const RULES: &[Rule] = &[
    ("R1", r1_child_labor),
    ("R2", r2_delegated),
    ("R3", r3_already_filed),
    ("R4", r4_non_labor_counterparty),
    ("R5", r5_pensioner_before),
    ("R5′", r5_pensioner_from),
    ("R6", r6_administrative_bodies),
    ("R7", r7_agreement_unperformed),
    ("R8", r8_injury_unrecognized),
    ("R9", r9_inspection_only),
    ("R10", r10_declines_mediation),
    ("R11", r11_mediation_first),
];

fn route(r: Route) -> Option<(Route, Option<ReferralTo>)> {
    Some((r, None))
}

fn referral(to: ReferralTo) -> Option<(Route, Option<ReferralTo>)> {
    Some((Route::Referral, Some(to)))
}

/// R1: under 16 on `started_on` (else on the intake date), and the intake is within two years of
/// the end of the child labour, i.e. on or before the 2nd anniversary of its end (监察条例第二十条
/// "2年内", counted by 民法典第二百零一、二百零二条: the period starts the day after the end and its
/// last day is the anniversary, not rolled). It ends on the earlier of `ended_on` and the day after
/// the 16th birthday; still going if neither has come → `labor_inspection`, CHILD_LABOR; under 14
/// also `police`.
fn r1_child_labor(f: &Facts) -> Option<Matched> {
    let on = Facts::date(&f.r.employment.started_on).unwrap_or(f.intake);
    if !age::under(f.birth, 16, on) {
        return None;
    }
    let sixteen_over = age::anniversary(f.birth, 16) + Days::new(1);
    let ended = match Facts::date(&f.r.employment.ended_on) {
        Some(e) => e.min(sixteen_over),
        None => sixteen_over,
    };
    // Still going (ended > intake) is inside the window too; the anniversary itself is its last day.
    if f.intake > age::anniversary(ended, 2) {
        return None;
    }
    let under14 = age::under(f.birth, 14, on);
    Some(Matched {
        route: route(Route::LaborInspection),
        flags: vec![Flag::ChildLabor],
        also: if under14 { vec![Also::Police] } else { vec![] },
        text: if under14 {
            "用工时未满16周岁，属使用童工，由劳动保障监察责令改正并处罚；未满14周岁的，同时移送公安机关".into()
        } else {
            "用工时未满16周岁，属使用童工，由劳动保障监察责令改正并处罚".into()
        },
        basis: "《禁止使用童工规定》第二、六、十一条；《劳动保障监察条例》第十一、二十条".into(),
        ..Matched::default()
    })
}

/// R2: delegated by a court or arbitration → `labor_mediation` (`peoples_mediation` for the cases
/// of R4 and R5).
fn r2_delegated(f: &Facts) -> Option<Matched> {
    if f.r.dispute.source == Source::WalkIn {
        return None;
    }
    let civil = f.r4_matches() || f.r5_matches();
    Some(Matched {
        route: route(if civil {
            Route::PeoplesMediation
        } else {
            Route::LaborMediation
        }),
        text: if civil {
            "法院或仲裁机构委派、委托调解的案件，属民事纠纷的由人民调解组织调解".into()
        } else {
            "法院或仲裁机构委派、委托调解的案件，由劳动人事争议调解组织调解".into()
        },
        basis: "人社部发〔2022〕71号（十一）（十六）；《劳动争议调解仲裁法》第十条".into(),
        ..Matched::default()
    })
}

/// R3: already filed for arbitration → `arbitration` (follow-up); already in court → `referral`
/// to `court`.
fn r3_already_filed(f: &Facts) -> Option<Matched> {
    let (route, text) = match f.r.dispute.already_filed {
        AlreadyFiled::Arbitration => (
            route(Route::Arbitration),
            "已申请劳动人事争议仲裁，由仲裁机构跟进处理",
        ),
        AlreadyFiled::Court => (
            referral(ReferralTo::Court),
            "已向人民法院起诉，由人民法院处理，劳动保障监察不再受理",
        ),
        AlreadyFiled::None | AlreadyFiled::Inspection => return None,
    };
    Some(Matched {
        route,
        text: text.into(),
        basis: "《劳动保障监察条例》第二十一条第二款".into(),
        ..Matched::default()
    })
}

/// R4: a household, craftsman or rural contractor is not an employer in law → `peoples_mediation`,
/// NON_LABOR, also `court`.
fn r4_non_labor_counterparty(f: &Facts) -> Option<Matched> {
    if !f.r4_matches() {
        return None;
    }
    Some(Matched {
        route: route(Route::PeoplesMediation),
        flags: vec![Flag::NonLabor],
        also: vec![Also::Court],
        deadlines: vec![civil_limitation(f)],
        text: format!(
            "与{}之间的纠纷不属于劳动争议，可申请人民调解，也可直接向人民法院起诉",
            f.kind().zh()
        ),
        basis: "最高人民法院《关于审理劳动争议案件适用法律问题的解释（一）》第二条；《人民调解法》第二条".into(),
    })
}

/// R5: drawing a pension when hired, intake before 2025-09-01 → `peoples_mediation`, NON_LABOR,
/// also `court`.
fn r5_pensioner_before(f: &Facts) -> Option<Matched> {
    if !f.r5_matches() {
        return None;
    }
    Some(Matched {
        route: route(Route::PeoplesMediation),
        flags: vec![Flag::NonLabor],
        also: vec![Also::Court],
        deadlines: vec![civil_limitation(f)],
        text: "受雇时已依法享受养老保险待遇或领取退休金，按劳务关系处理，可申请人民调解或直接起诉"
            .into(),
        basis: "最高人民法院《关于审理劳动争议案件适用法律问题的解释（一）》第三十二条第一款"
            .into(),
    })
}

/// R5′: drawing a pension when hired, intake on or after 2025-09-01 → no route: flag PENSIONER and
/// go on.
fn r5_pensioner_from(f: &Facts) -> Option<Matched> {
    if !f.pension() || f.r5_matches() {
        return None;
    }
    Some(Matched {
        flags: vec![Flag::Pensioner],
        text: "受雇时已享受养老保险待遇：2025年9月1日起，原按劳务关系处理的规定（解释（一）第三十二条第一款）已废止，本案按一般规则分流"
            .into(),
        basis: "最高人民法院《关于审理劳动争议案件适用法律问题的解释（二）》第二十一条".into(),
        ..Matched::default()
    })
}

/// R6: a social-insurance agency, appraisal committee or occupational-disease body is an
/// administrative matter → `referral`, NON_LABOR.
fn r6_administrative_bodies(f: &Facts) -> Option<Matched> {
    let known = Facts::date(&f.r.dispute.known_on)?;
    let cal = &f.site.calendar;
    let (to, deadlines, text, basis) = match f.kind() {
        CounterpartyKind::SocialInsuranceAgency => (
            ReferralTo::AdministrativeReview,
            vec![(Deadline::AdminReviewBy, cal.days_after(known, 60))],
            "与社会保险经办机构之间的争议不属于劳动争议，应依法申请行政复议（对待遇不予支付等先申请复议），对复议决定不服的可提起行政诉讼",
            "《社会保险法》第八十三条第二款；《行政复议法》第二十三条",
        ),
        CounterpartyKind::AppraisalCommittee => (
            ReferralTo::Reappraisal,
            vec![(Deadline::ReappraisalBy, cal.days_after(known, 15))],
            "对劳动能力鉴定结论不服的，应向上一级劳动能力鉴定委员会申请再次鉴定",
            "《工伤保险条例》第二十六条",
        ),
        CounterpartyKind::OccupationalDiseaseBody => (
            ReferralTo::OccupationalDiseaseAppraisal,
            vec![],
            "对职业病诊断有异议的，应依法申请职业病诊断鉴定",
            "《职业病防治法》第五十二条",
        ),
        _ => return None,
    };
    Some(Matched {
        route: referral(to),
        flags: vec![Flag::NonLabor],
        deadlines,
        text: text.into(),
        basis: basis.into(),
        ..Matched::default()
    })
}

/// R7: an earlier mediation agreement not performed, and neither R4 nor R5 matches →
/// `arbitration`, AGREEMENT_UNPERFORMED; also `court_payment_order` when a claim is LD04–LD06.
fn r7_agreement_unperformed(f: &Facts) -> Option<Matched> {
    let p = f.r.dispute.prior_agreement.as_ref()?;
    if p.performed != Some(false) || f.r4_matches() || f.r5_matches() {
        return None;
    }
    let payment_order = f.r.dispute.claims.iter().any(|c| {
        matches!(
            c.category,
            Some(Category::Ld04 | Category::Ld05 | Category::Ld06)
        )
    });
    Some(Matched {
        route: route(Route::Arbitration),
        flags: vec![Flag::AgreementUnperformed],
        also: if payment_order {
            vec![Also::CourtPaymentOrder]
        } else {
            vec![]
        },
        text: if payment_order {
            "达成调解协议后对方未履行，可依法申请仲裁；拖欠劳动报酬、经济补偿或赔偿金的，也可持调解协议书向人民法院申请支付令".into()
        } else {
            "达成调解协议后对方未履行，可依法申请仲裁".into()
        },
        basis: if payment_order {
            "《劳动争议调解仲裁法》第十五条、第十六条".into()
        } else {
            "《劳动争议调解仲裁法》第十五条".into()
        },
        ..Matched::default()
    })
}

/// R8: work-injury benefits without a recognition decision, without LD01 → `referral` to
/// `injury_recognition`.
fn r8_injury_unrecognized(f: &Facts) -> Option<Matched> {
    if !f.ld08_unrecognized() || f.has(Category::Ld01) {
        return None;
    }
    Some(Matched {
        route: referral(ReferralTo::InjuryRecognition),
        deadlines: injury_recognition(f).into_iter().collect(),
        text: "主张工伤待遇须先经工伤认定；请向社会保险行政部门申请工伤认定，取得认定决定后再就待遇争议申请调解或仲裁".into(),
        basis: "《工伤保险条例》第十七、十八、二十条".into(),
        ..Matched::default()
    })
}

/// R9: inspection matters and no dispute claims → `labor_inspection`; when (b) is the only matter
/// and the site sends contributions to the collection agency → `referral` to `tax_si_collection`.
fn r9_inspection_only(f: &Facts) -> Option<Matched> {
    if !f.inspection_matters() || f.has_dispute_claims {
        return None;
    }
    let only_si = f.matter_si_arrears && !f.matter_unpaid_wages && !f.matter_no_contract;
    let to_collection = only_si && f.site.si_arrears_route == SiArrearsRoute::TaxSiCollection;
    let mut texts = Vec::new();
    let mut bases = Vec::new();
    if f.matter_unpaid_wages {
        texts.push("拖欠工资可向劳动保障监察投诉，由其责令用人单位支付");
        bases.push("《劳动争议调解仲裁法》第九条、《保障农民工工资支付条例》第十条");
    }
    if f.matter_si_arrears {
        texts.push(if to_collection {
            "未足额缴纳社会保险费，由社会保险费征收机构依法责令补缴"
        } else {
            "未足额缴纳社会保险费，可向劳动保障监察投诉，责令补缴"
        });
        bases.push("《社会保险法》第八十三条第三款、《劳动保障监察条例》第十一条第（七）项");
    }
    if f.matter_no_contract {
        texts.push("超过一个月未订立书面劳动合同，可向劳动保障监察投诉，责令改正");
        bases.push("《劳动合同法》第十条、第八十二条、《劳动保障监察条例》第十一条");
    }
    let route_given = if to_collection {
        referral(ReferralTo::TaxSiCollection)
    } else {
        route(Route::LaborInspection)
    };
    Some(Matched {
        route: route_given,
        text: texts.join("；"),
        basis: bases.join("；"),
        ..Matched::default()
    })
}

/// R10: mediation declined → `arbitration`.
fn r10_declines_mediation(f: &Facts) -> Option<Matched> {
    if f.r.dispute.wants_mediation != Some(false) {
        return None;
    }
    Some(Matched {
        route: route(Route::Arbitration),
        text: "当事人不愿调解，可直接申请劳动人事争议仲裁".into(),
        basis: "《劳动法》第七十九条；《劳动争议调解仲裁法》第五条".into(),
        ..Matched::default()
    })
}

/// R11: any other case → `labor_mediation` (先行调解).
fn r11_mediation_first(_: &Facts) -> Option<Matched> {
    Some(Matched {
        route: route(Route::LaborMediation),
        text: "劳动争议先行调解：调解免费，自调解组织收到申请之日起15日内未达成协议的，可申请仲裁"
            .into(),
        basis: "《劳动争议调解仲裁法》第五条、第十条；人社部发〔2022〕71号".into(),
        ..Matched::default()
    })
}

fn civil_limitation(f: &Facts) -> (Deadline, Counted) {
    let known = Facts::date(&f.r.dispute.known_on).unwrap_or(f.intake);
    (
        Deadline::CivilLimitationExpires,
        f.site.calendar.years_after(known, 3),
    )
}

fn injury_recognition(f: &Facts) -> Option<(Deadline, Counted)> {
    let occurred =
        f.r.dispute
            .injury
            .as_ref()
            .and_then(|i| Facts::date(&i.occurred_on))?;
    Some((
        Deadline::InjuryRecognitionBy,
        f.site.calendar.years_after(occurred, 1),
    ))
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

fn flag_reason(flag: Flag, text: &str, basis: &str) -> Reason {
    Reason {
        rule: flag.code().into(),
        text: text.into(),
        basis: basis.into(),
    }
}

fn si_arrears_also(r: SiArrearsRoute) -> Also {
    match r {
        SiArrearsRoute::LaborInspection => Also::LaborInspection,
        SiArrearsRoute::TaxSiCollection => Also::TaxSiCollection,
    }
}

fn facts<'a>(
    r: &'a IntakeRecord,
    site: &'a SiteSettings,
    intake: NaiveDate,
    birth: NaiveDate,
) -> Facts<'a> {
    let d = &r.dispute;
    let e = &r.employment;
    // Inspection cannot confirm a labour relationship, so LD01 removes every inspection matter.
    let ld01 = d.has(Category::Ld01);
    let matter_unpaid_wages =
        !ld01 && d.unpaid_wages == Some(true) && d.wants_mediation != Some(true);
    let matter_si_arrears = !ld01 && d.social_insurance_arrears == Some(true);
    let matter_no_contract = !ld01
        && e.status == Some(EmploymentStatus::Ongoing)
        && e.written_contract == Some(false)
        && Facts::date(&e.started_on).is_some_and(|s| intake > super::calendar::add_months(s, 1));
    let has_dispute_claims = d.categories.iter().any(|c| match c {
        Category::Ld04 => d.unpaid_wages != Some(true),
        Category::Ld07 => d.social_insurance_arrears != Some(true),
        _ => true,
    });
    Facts {
        r,
        site,
        intake,
        birth,
        matter_unpaid_wages,
        matter_si_arrears,
        matter_no_contract,
        has_dispute_claims,
    }
}

/// §6 `limitation_expires`: the earliest over the categories of anchor + 1 year.
fn limitation_expires(f: &Facts) -> Option<Counted> {
    let d = &f.r.dispute;
    let e = &f.r.employment;
    let case_known = Facts::date(&d.known_on)?;
    let interruption = Facts::date(&d.last_interruption_on);
    let mut earliest: Option<Counted> = None;
    for &cat in &d.categories {
        let anchor = match cat {
            // Wages owed during an ongoing relationship are not time-barred (第二十七条第四款).
            Category::Ld04 if e.status == Some(EmploymentStatus::Ongoing) => continue,
            Category::Ld04 if e.status == Some(EmploymentStatus::Ended) => {
                Facts::date(&e.ended_on)?
            }
            // Its year runs from the recognition decision.
            Category::Ld08
                if f.r.dispute.injury.as_ref().and_then(|i| i.recognized) != Some(true) =>
            {
                continue;
            }
            _ => d
                .claims
                .iter()
                .filter(|c| c.category == Some(cat))
                .map(|c| Facts::date(&c.known_on).unwrap_or(case_known))
                .min()
                .unwrap_or(case_known),
        };
        let anchor = match interruption {
            Some(i) if i > anchor => i,
            _ => anchor,
        };
        let c = f.site.calendar.years_after(anchor, 1);
        if earliest.is_none_or(|e| c.date < e.date) {
            earliest = Some(c);
        }
    }
    earliest
}

/// §5 FINAL_AWARD_LIKELY (route `arbitration` only), judged item by item per worker.
fn final_award_likely(f: &Facts) -> bool {
    let Some(min_wage) = f.site.minimum_wage_monthly else {
        return false;
    };
    let cap = min_wage.0 * 12;
    let d = &f.r.dispute;
    let final_categories = [
        Category::Ld02,
        Category::Ld04,
        Category::Ld05,
        Category::Ld06,
        Category::Ld07,
        Category::Ld09,
        Category::Ld13,
    ];
    let needs_amount = [
        Category::Ld02,
        Category::Ld04,
        Category::Ld05,
        Category::Ld06,
        Category::Ld13,
    ];
    let every_category_covered = d.categories.iter().all(|cat| {
        final_categories.contains(cat)
            && (matches!(cat, Category::Ld07 | Category::Ld09)
                || d.claims.iter().any(|c| c.category == Some(*cat)))
    });
    every_category_covered
        && d.claims.iter().all(|c| {
            let amount = c.amount.as_ref().and_then(|a| a.fen()).map_or(0, |f| f.0);
            // A routed record has every claim's category (validation requires it).
            c.category.is_some_and(|cat| {
                final_categories.contains(&cat) && (!needs_amount.contains(&cat) || amount > 0)
            }) && amount <= cap
        })
}

/// §5 OUT_OF_AREA: the case belongs to another area's body; the route stays, the reason says where.
fn out_of_area(f: &Facts, route: Route) -> Option<Reason> {
    let prefixes = &f.site.region_prefixes;
    if prefixes.is_empty() {
        return None;
    }
    let outside = |code: &Option<String>| {
        code.as_deref()
            .map(|c| !prefixes.iter().any(|p| c.starts_with(p.as_str())))
    };
    let work = outside(&f.r.employment.work_region);
    if route == Route::LaborInspection {
        if work != Some(true) {
            return None;
        }
        return Some(flag_reason(
            Flag::OutOfArea,
            "用工所在地不在本中心辖区，请向用工所在地的劳动保障监察机构投诉",
            "《劳动保障监察条例》第十三条",
        ));
    }
    let seat = outside(&f.r.counterparty.region);
    if work == Some(true) && seat == Some(true) {
        return Some(flag_reason(
            Flag::OutOfArea,
            "劳动合同履行地和用人单位所在地均不在本中心辖区，请向其中任一地的劳动人事争议仲裁委员会或调解组织申请",
            "《劳动争议调解仲裁法》第二十一条",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{at, d, record};

    /// A worker born on `birth` who worked from `started` to `ended`.
    fn child(birth: &str, id: &str, started: &str, ended: Option<&str>) -> IntakeRecord {
        let mut r = record();
        r.applicant.id_number = id.into();
        assert!(
            id[6..14] == birth.replace('-', ""),
            "test ID carries {birth}"
        );
        r.employment.started_on = Some(d(started).into());
        r.employment.status = Some(if ended.is_some() {
            EmploymentStatus::Ended
        } else {
            EmploymentStatus::Ongoing
        });
        r.employment.ended_on = ended.map(|e| d(e).into());
        r.dispute.known_on = Some(d(started).into());
        r
    }

    fn child_labor(r: &IntakeRecord, intake: &str) -> bool {
        let decision = classify(r, &SiteSettings::default(), at(intake));
        assert_eq!(decision.status, Status::Routed, "{:?}", decision.errors);
        decision.has_flag(Flag::ChildLabor)
    }

    /// 监察条例第二十条 "2年内" counted by 民法典第二百零一、二百零二条: the anniversary of the end
    /// is the last day of the two years.
    #[test]
    fn r1_includes_the_second_anniversary_of_the_end() {
        // 16th birthday 2023-03-09: child labour ends the day after, 2023-03-10.
        let r = child("2007-03-09", "410105200703091237", "2022-06-01", None);
        assert!(child_labor(&r, "2025-03-10"), "on the anniversary");
        assert!(!child_labor(&r, "2025-03-11"), "the day after");
        let decision = classify(&r, &SiteSettings::default(), at("2025-03-10"));
        assert_eq!(decision.route, Some(Route::LaborInspection));
        assert_eq!(decision.reasons[0].rule, "R1");
    }

    #[test]
    fn r1_counts_from_ended_on_when_it_comes_first() {
        let r = child(
            "2008-02-28",
            "410105200802281239",
            "2022-06-01",
            Some("2023-05-31"),
        );
        assert!(child_labor(&r, "2025-05-31"));
        assert!(!child_labor(&r, "2025-06-01"));
    }

    #[test]
    fn r1_anniversary_of_29_february_is_28_february() {
        // Ended on 2024-02-29: the two years end on 2026-02-28, a Saturday; no roll (§5).
        let r = child(
            "2008-02-28",
            "410105200802281239",
            "2022-06-01",
            Some("2024-02-29"),
        );
        assert!(child_labor(&r, "2026-02-28"));
        assert!(!child_labor(&r, "2026-03-01"));
    }
}
