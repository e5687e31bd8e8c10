//! Reasons and legal bases in English, for screens and paper alike: the classifier's reasons and
//! bases are Chinese (they are the domain's record); in English each reason's meaning is given
//! by its rule, and each basis with the statute's English name and the Chinese title kept beside
//! it (the title is what an official will look for), articles as `art. 5`. Used through
//! [`super::Reason::text_in`] and [`super::Reason::basis_in`].

/// The reason of rule (or flag, or parallel step) `rule` in English; `None` for a rule this
/// table does not know (the caller then says so in English rather than print Chinese).
pub fn reason(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "R1" => "Child labour: report it to the labour inspection authority, which acts at once",
        "R2" => "The matter was entrusted to another body; go to the body named below",
        "R3" => "The case is already before another body; follow it up there",
        "R4" => {
            "The other party is not an employer: this is a civil dispute for people's mediation or the court"
        }
        "R5" => {
            "You already drew a pension when hired: the relationship is treated as a service relationship (people's mediation or court)"
        }
        "R5′" => {
            "You already drew a pension when hired: since 1 Sept 2025 the old service-relationship rule no longer applies; the general rules decide"
        }
        "R6" => "This decision belongs to an administrative body; apply to the body named below",
        "R7" => {
            "A mediation agreement was not carried out: apply for arbitration (or a court payment order for money owed)"
        }
        "R8" => {
            "Work-injury benefits first need work-injury recognition; apply for it, then mediate or arbitrate the benefits"
        }
        "R9" => "Labour inspection can order the employer to comply",
        "R10" => "You do not want mediation: you may apply for labour arbitration directly",
        "OVERRIDE" => {
            "After review at the window, your matter is sent to the destination shown here"
        }
        "OVERRIDE_REFERRAL" => {
            "After review at the window, your matter is not handled here: the body named below handles it"
        }
        "R11" => {
            "Labour disputes are mediated first: mediation is free; without agreement within 15 days you may apply for arbitration"
        }
        "labor_inspection" => {
            "You may also complain to labour inspection, which can order the employer to pay or comply"
        }
        "tax_si_collection" | "si_arrears" => {
            "For unpaid social insurance you may ask the collection agency to order payment"
        }
        "injury_recognition" => "Apply for work-injury recognition within the time limit",
        "court" => "You may also sue in court directly",
        "court_payment_order" => "You may apply to the court for a payment order",
        "legal_aid" => "You may be entitled to free legal aid",
        "union" => "The trade union can help you",
        "police" => "Report it to the police",
        "OUT_OF_AREA" => {
            "The place of work is outside this centre's area; apply where the work was done or where the employer is"
        }
        "COLLECTIVE" => {
            "A collective dispute: handled with priority, by representatives of the workers"
        }
        "MAJOR" => "A major dispute: reported to the authorities and handled with priority",
        "ESCALATING" => "Risk of escalation: handled with priority",
        "DISPATCH" => "Agency work: the dispatching agency and the user company answer jointly",
        "CONSTRUCTION_ARREARS" => "Wage arrears in construction: the general contractor pays first",
        "TIME_BAR_RISK" => {
            "The time limit for arbitration may have passed; the arbitration body decides"
        }
        "TIME_BAR_NEAR" => "The time limit for arbitration ends very soon",
        "FINAL_AWARD_LIKELY" => {
            "A small claim: the arbitration award is likely final for the employer"
        }
        _ => return None,
    })
}

/// Statute titles: Chinese title → English name.
const STATUTES: &[(&str, &str)] = &[
    (
        "《劳动争议调解仲裁法》",
        "Labour Dispute Mediation and Arbitration Law",
    ),
    ("《劳动合同法》", "Labour Contract Law"),
    ("《劳动法》", "Labour Law"),
    (
        "《劳动保障监察条例》",
        "Regulations on Labour Security Inspection",
    ),
    (
        "《保障农民工工资支付条例》",
        "Regulations on Ensuring Payment of Wages to Migrant Workers",
    ),
    (
        "《工伤保险条例》",
        "Regulations on Work-Related Injury Insurance",
    ),
    ("《社会保险法》", "Social Insurance Law"),
    ("《人民调解法》", "People's Mediation Law"),
    ("《法律援助法》", "Legal Aid Law"),
    (
        "《禁止使用童工规定》",
        "Provisions on the Prohibition of Child Labour",
    ),
    (
        "《职业病防治法》",
        "Law on the Prevention and Control of Occupational Diseases",
    ),
    ("《行政复议法》", "Administrative Reconsideration Law"),
    (
        "《关于审理劳动争议案件适用法律问题的解释（一）》",
        "Interpretation (I) on the Application of Law in Labour Dispute Cases",
    ),
    (
        "《关于审理劳动争议案件适用法律问题的解释（二）》",
        "Interpretation (II) on the Application of Law in Labour Dispute Cases",
    ),
];

/// Other fixed words of the bases.
const WORDS: &[(&str, &str)] = &[
    ("最高人民法院", "Supreme People's Court "),
    ("首问负责", "first-contact responsibility"),
    ("人社部发", "MOHRSS Doc. "),
    ("〔", "["),
    ("〕", "] "),
    ("号", ""),
    ("；", "; "),
    ("、", ", "),
    ("，", ", "),
    ("（", " ("),
    ("）", ")"),
];

/// A legal basis in English: statute names in English with the Chinese title beside them,
/// `第五条第三款第（七）项` as `art. 5 para. 3 item (7)`, Chinese numbers as digits.
pub fn basis(zh: &str) -> String {
    let mut out = String::new();
    let mut rest = zh;
    'outer: while let Some(c) = rest.chars().next() {
        for (title, name) in STATUTES {
            if let Some(r) = rest.strip_prefix(title) {
                out.push_str(&format!("{name} {title} "));
                rest = r;
                continue 'outer;
            }
        }
        if let Some((text, len)) = article(rest) {
            out.push_str(&text);
            rest = &rest[len..];
            continue;
        }
        if let Some(n) = numeral_prefix(rest) {
            out.push_str(&number(&rest[..n]).to_string());
            rest = &rest[n..];
            continue;
        }
        for (word, en) in WORDS {
            if let Some(r) = rest.strip_prefix(word) {
                out.push_str(en);
                rest = r;
                continue 'outer;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let mut tidy = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in [(" ,", ","), (" ;", ";"), (" )", ")"), ("( ", "(")] {
        tidy = tidy.replace(from, to);
    }
    tidy
}

/// `第…条`, `第…款`, `第（…）项` at the start of `s`: the English and the bytes taken.
fn article(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix('第')?;
    let (inner, tail, paren) = match body.strip_prefix('（') {
        Some(b) => {
            let end = b.find('）')?;
            (&b[..end], &b[end + '）'.len_utf8()..], true)
        }
        None => {
            let n = numeral_prefix_with_lists(body)?;
            (&body[..n], &body[n..], false)
        }
    };
    let unit = tail.chars().next()?;
    let word = match unit {
        '条' => "art.",
        '款' => "para.",
        '项' => "item",
        _ => return None,
    };
    let numbers: Vec<String> = inner.split('、').map(|n| number(n).to_string()).collect();
    let numbers = numbers.join(", ");
    let text = if paren {
        format!(" {word} ({numbers}) ")
    } else {
        format!(" {word} {numbers} ")
    };
    let taken = s.len() - tail.len() + unit.len_utf8();
    Some((text, taken))
}

fn digit(c: char) -> Option<u32> {
    "零一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
}

fn is_numeral(c: char) -> bool {
    digit(c).is_some() || "十百".contains(c)
}

fn numeral_prefix(s: &str) -> Option<usize> {
    let n: usize = s
        .chars()
        .take_while(|c| is_numeral(*c))
        .map(char::len_utf8)
        .sum();
    (n > 0).then_some(n)
}

/// Chinese numbers separated by 、 (`二、六、十一`).
fn numeral_prefix_with_lists(s: &str) -> Option<usize> {
    let n: usize = s
        .chars()
        .take_while(|c| is_numeral(*c) || *c == '、')
        .map(char::len_utf8)
        .sum();
    (n > 0).then_some(n)
}

/// A Chinese number below a thousand (`三十二` → 32, `十一` → 11, `一百零五` → 105).
fn number(s: &str) -> u32 {
    let (mut total, mut current) = (0, 0);
    for c in s.chars() {
        match c {
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            c => current = digit(c).unwrap_or(0),
        }
    }
    total + current
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_read_in_english_with_the_chinese_title() {
        assert_eq!(
            basis("《劳动争议调解仲裁法》第五条、第十条；人社部发〔2022〕71号"),
            "Labour Dispute Mediation and Arbitration Law 《劳动争议调解仲裁法》 art. 5, art. 10; \
             MOHRSS Doc. [2022] 71"
        );
        assert_eq!(
            basis("《社会保险法》第八十三条第三款、《劳动保障监察条例》第十一条第（七）项"),
            "Social Insurance Law 《社会保险法》 art. 83 para. 3, Regulations on Labour Security \
             Inspection 《劳动保障监察条例》 art. 11 item (7)"
        );
        assert_eq!(
            basis("《禁止使用童工规定》第二、六、十一条"),
            "Provisions on the Prohibition of Child Labour 《禁止使用童工规定》 art. 2, 6, 11"
        );
        assert_eq!(number("一百零五"), 105);
        assert_eq!(number("三十二"), 32);
    }
}
