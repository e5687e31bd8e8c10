//! What accumulates beside the route: flags' reasons, parallel steps, the limitation date, the
//! likelihood of a final award and the area check.

use super::facts::Facts;
use crate::domain::calendar::Counted;
use crate::domain::codes::*;
use crate::domain::decision::Reason;

pub(super) fn flag_reason(flag: Flag, text: &str, basis: &str) -> Reason {
    Reason {
        rule: flag.code().into(),
        text: text.into(),
        basis: basis.into(),
    }
}

pub(super) fn si_arrears_also(r: SiArrearsRoute) -> Also {
    match r {
        SiArrearsRoute::LaborInspection => Also::LaborInspection,
        SiArrearsRoute::TaxSiCollection => Also::TaxSiCollection,
    }
}

/// §6 `limitation_expires`: the earliest over the categories of anchor + 1 year.
pub(super) fn limitation_expires(f: &Facts) -> Option<Counted> {
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
pub(super) fn final_award_likely(f: &Facts) -> bool {
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
pub(super) fn out_of_area(f: &Facts, route: Route) -> Option<Reason> {
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
