//! The routing rules R1–R11 of §5, each beside the row of the reference it implements.

use super::facts::Facts;
use crate::domain::age;
use crate::domain::calendar::Counted;
use crate::domain::codes::*;
use crate::domain::decision::Deadline;
use chrono::Days;

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

pub(super) fn civil_limitation(f: &Facts) -> (Deadline, Counted) {
    let known = Facts::date(&f.r.dispute.known_on).unwrap_or(f.intake);
    (
        Deadline::CivilLimitationExpires,
        f.site.calendar.years_after(known, 3),
    )
}

pub(super) fn injury_recognition(f: &Facts) -> Option<(Deadline, Counted)> {
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
