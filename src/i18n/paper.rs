//! Every fixed sentence printed on paper, each written once with its Chinese and English side by
//! side. Layouts reach them as `{{ t.NAME }}`; entries marked `#[serde(skip)]` are for the code
//! that builds the views (date and number patterns, per-destination tables), not for layouts.
//!
//! Wording rules from the domain reference (§8): the receipt records registration, not acceptance;
//! a limitation date is a warning to act quickly, never "your claim is barred"; a referral notice
//! makes no claim to interrupt any period.

use super::{Lang, catalogue};
use crate::domain::ReferralTo;
use serde::Serialize;

catalogue! {
    #[derive(Debug, Clone, Serialize)]
    pub struct Strings {
        /// After a label (`申请人：`, `Applicant: `).
        colon: &'static str = (
            "：",
            ": ",
        ),
        /// Between list items (`、`, `, `).
        list_sep: &'static str = (
            "、",
            ", ",
        ),
        /// Brackets around an aside (full-width in Chinese).
        paren_open: &'static str = (
            "（",
            " (",
        ),
        paren_close: &'static str = (
            "）",
            ")",
        ),
        ticket_title: &'static str = (
            "排队号",
            "Queue ticket",
        ),
        ticket_no: &'static str = (
            "号码",
            "Number",
        ),
        destination: &'static str = (
            "办理事项",
            "Service",
        ),
        window_group: &'static str = (
            "窗口",
            "Windows",
        ),
        issued_at: &'static str = (
            "取号时间",
            "Issued",
        ),
        registered_at: &'static str = (
            "登记时间",
            "Registered",
        ),
        people_ahead: &'static str = (
            "前面等候",
            "Ahead of you",
        ),
        /// After the number of people ahead ("Ahead of you: 4 waiting", no plural to get wrong).
        people_unit: &'static str = (
            "人",
            " waiting",
        ),
        estimated_wait: &'static str = (
            "预计等候",
            "Estimated wait",
        ),
        minutes_unit: &'static str = (
            "分钟",
            " min",
        ),
        priority_mark: &'static str = (
            "【优先】",
            "[PRIORITY]",
        ),
        ticket_footer: &'static str = (
            "请留意叫号，过号请重新取号。",
            "Please watch the display. If you miss your call, take a new ticket.",
        ),
        /// In place of the window numbers when no window serves the queue yet.
        windows_unknown: &'static str = (
            "请听叫号",
            "as called",
        ),

        receipt_title: &'static str = (
            "劳动争议登记回执",
            "Labour dispute registration receipt",
        ),
        /// The title of a receipt for a dispute that is not a labour dispute (人民调解, household,
        /// services): it is not a labour dispute receipt.
        receipt_title_other: &'static str = (
            "纠纷登记回执",
            "Dispute registration receipt",
        ),
        /// Between dispute categories: a category name may itself contain 、.
        category_sep: &'static str = (
            "；",
            "; ",
        ),
        /// After an amount of a collective case: each claim and the total are per worker.
        per_person: &'static str = (
            "（每人）",
            " per worker",
        ),
        case_no: &'static str = (
            "登记编号",
            "Registration no.",
        ),
        clerk: &'static str = (
            "经办人工号",
            "Clerk",
        ),
        applicant: &'static str = (
            "申请人",
            "Applicant",
        ),
        id_number: &'static str = (
            "证件号码",
            "ID",
        ),
        counterparty: &'static str = (
            "被申请人",
            "Against",
        ),
        categories: &'static str = (
            "争议事项",
            "Matters",
        ),
        claimed_amount: &'static str = (
            "请求金额合计",
            "Total claimed",
        ),
        yuan: &'static str = (
            "元",
            " yuan",
        ),
        route: &'static str = (
            "办理去向",
            "Sent to",
        ),
        reason: &'static str = (
            "理由",
            "Reason",
        ),
        basis: &'static str = (
            "依据",
            "Basis",
        ),
        also: &'static str = (
            "您还可以同时",
            "You may also",
        ),
        deadlines: &'static str = (
            "重要日期",
            "Key dates",
        ),
        time_bar_warning: &'static str = (
            "提醒：按登记信息推算，申请仲裁的时效可能已经届满或即将届满。时效是否届满由仲裁机构依法认定，也可能存在中断、中止等情形。请尽快申请，不要等待。",
            "Note: from what you told us, the time limit for arbitration may have passed or be about to pass. Whether it has is decided by the arbitration body, and it may have been interrupted or suspended. Apply as soon as possible.",
        ),
        time_bar_near_warning: &'static str = (
            "提醒：申请仲裁的时效即将届满，请尽快（最好在今天）提出申请。",
            "Note: the time limit for arbitration ends very soon. Apply as soon as possible, preferably today.",
        ),
        bring_title: &'static str = (
            "办理时请携带",
            "Please bring",
        ),
        bring_items: [&'static str; 5] = (
            [
                "本人身份证件原件及复印件",
                "劳动合同或其他能证明劳动关系的材料（工牌、工作服、考勤卡等）",
                "工资条、银行流水、考勤记录",
                "与单位沟通的聊天记录、短信、录音",
                "证人姓名及联系方式",
            ],
            [
                "Your ID document (original and copy)",
                "Labour contract or other proof of employment (badge, uniform, time card)",
                "Pay slips, bank statements, attendance records",
                "Chat records, messages, recordings with the employer",
                "Names and contacts of witnesses",
            ],
        ),
        /// What to bring for a dispute that is not a labour dispute (no proof of employment).
        bring_items_other: [&'static str; 4] = (
            [
                "本人身份证件原件及复印件",
                "与纠纷有关的合同、协议、收据、转账记录等材料",
                "聊天记录、短信、录音等证据",
                "证人姓名及联系方式",
            ],
            [
                "Your ID document (original and copy)",
                "Contracts, agreements, receipts or transfer records about the dispute",
                "Chat records, messages, recordings",
                "Names and contacts of witnesses",
            ],
        ),
        /// Before and after the date in the 凭证 sentence.
        voucher_before: &'static str = (
            "本回执可作为您于",
            "This receipt proves that on ",
        ),
        voucher_after: &'static str = (
            "向本窗口请求权利救济的凭证。",
            " you asked this window for a remedy.",
        ),
        not_acceptance: &'static str = (
            "本回执仅证明您已登记，不代表已受理；是否受理由有管辖权的机构依法决定。",
            "It records registration only, not acceptance: only the competent body decides whether to accept the case.",
        ),
        free_notice: &'static str = (
            "劳动争议调解、仲裁和劳动保障监察均不收取任何费用。",
            "Mediation, arbitration and labour inspection are free of charge.",
        ),
        free_notice_other: &'static str = (
            "人民调解不收取任何费用。",
            "People's mediation is free of charge.",
        ),
        legal_aid_title: &'static str = (
            "咨询与法律援助",
            "Advice and legal aid",
        ),
        hotline_hrss: &'static str = (
            "12333 人社服务热线",
            "12333 Human resources and social security",
        ),
        hotline_legal_aid: &'static str = (
            "12348 法律援助热线",
            "12348 Legal aid",
        ),
        privacy_notice: &'static str = (
            "您的个人信息仅用于办理本争议，依法保密；回执已隐去部分信息。",
            "Your personal data is used only for this dispute and kept confidential; parts are masked on this receipt.",
        ),
        privacy_notice_referral: &'static str = (
            "您的个人信息仅用于办理本事项，依法保密；本告知书已隐去部分信息。",
            "Your personal data is used only for this matter and kept confidential; parts are masked on this notice.",
        ),
        query_hint: &'static str = (
            "扫码查询办理进度",
            "Scan to check progress",
        ),
        ticket_ref: &'static str = (
            "排队号",
            "Ticket",
        ),
        /// The mark at the top of a copy printed again (补打), before the time it was printed.
        reprint_mark: &'static str = (
            "【补打】",
            "[REPRINT]",
        ),

        referral_title: &'static str = (
            "转介告知书",
            "Referral notice",
        ),
        referral_why: &'static str = (
            "本事项不属于本窗口办理范围，原因",
            "This matter is not handled at this window because",
        ),
        referral_where: &'static str = (
            "请前往",
            "Please go to",
        ),
        referral_deadline_note: &'static str = (
            "以下期限不因本次登记而停止计算，请尽快办理：",
            "These time limits keep running despite this registration; act quickly:",
        ),
        referral_no_interruption: &'static str = (
            "本告知书不产生中断或中止任何期限的效力。",
            "This notice does not interrupt or suspend any time limit.",
        ),
        referral_bring_extra: &'static str = (
            "本告知书",
            "This notice",
        ),

        test_title: &'static str = (
            "打印测试页",
            "Printer test page",
        ),
        test_line: &'static str = (
            "中文：调解仲裁￥12.5①张·三",
            "中文：调解仲裁￥12.5①张·三",
        ),

        /// The date as written in the 凭证 sentence (a `chrono` pattern).
        #[serde(skip)]
        date_long: &'static str = ("%Y年%m月%d日", "%Y-%m-%d"),
        /// The windows serving a ticket's queue, `{numbers}` joined by `list_sep` (`1、3号`).
        #[serde(skip)]
        window_numbers: &'static str = ("{numbers}号", "{numbers}"),
        /// Beside a deadline in a year the site has no holiday calendar for.
        #[serde(skip)]
        no_calendar: &'static str = (
            "{year}年节假日安排尚未公布，此日期仅按周末顺延，可能推后",
            "no holiday calendar for {year} yet: counted over weekends only, it may move later",
        ),
        /// Where a referral sends the worker, as printed on the notice.
        #[serde(skip)]
        referral_place: fn(ReferralTo) -> &'static str = (
            |to| match to {
                ReferralTo::Court => {
                    "有管辖权的人民法院（用人单位所在地或劳动合同履行地）立案窗口"
                }
                ReferralTo::AdministrativeReview => {
                    "作出决定的社会保险经办机构的本级人民政府（行政复议机关），对复议决定不服可依法提起行政诉讼"
                }
                ReferralTo::Reappraisal => "省、自治区、直辖市劳动能力鉴定委员会（申请再次鉴定）",
                ReferralTo::OccupationalDiseaseAppraisal => {
                    "设区的市级卫生健康主管部门（职业病诊断鉴定）"
                }
                ReferralTo::InjuryRecognition => {
                    "用人单位所在地设区的市级人力资源社会保障行政部门（工伤认定窗口）"
                }
                ReferralTo::TaxSiCollection => "当地社会保险费征收机构（税务部门）",
            },
            |to| match to {
                ReferralTo::Court => {
                    "the competent people's court (where the employer is or where the work was done), case-filing window"
                }
                ReferralTo::AdministrativeReview => {
                    "the people's government above the social-insurance agency (administrative review); a lawsuit may follow its decision"
                }
                ReferralTo::Reappraisal => {
                    "the provincial work-ability appraisal committee (reappraisal)"
                }
                ReferralTo::OccupationalDiseaseAppraisal => {
                    "the city health authority (occupational disease appraisal)"
                }
                ReferralTo::InjuryRecognition => {
                    "the city human resources and social security bureau where the employer is (injury recognition)"
                }
                ReferralTo::TaxSiCollection => {
                    "the local social-insurance collection agency (tax bureau)"
                }
            },
        ),
        /// What to bring to the body a referral sends the worker to, besides the ID document.
        #[serde(skip)]
        referral_papers: fn(ReferralTo) -> &'static [&'static str] = (
            |to| match to {
                ReferralTo::Court => &[
                    "身份证件",
                    "起诉状",
                    "劳动合同、工资记录等证据",
                    "已有的仲裁或调解文书",
                ],
                ReferralTo::AdministrativeReview => &[
                    "身份证件",
                    "社会保险经办机构的决定或告知文书",
                    "缴费及待遇相关材料",
                ],
                ReferralTo::Reappraisal => &["身份证件", "劳动能力鉴定结论", "病历、诊断证明"],
                ReferralTo::OccupationalDiseaseAppraisal => {
                    &["身份证件", "职业病诊断证明书", "职业史、接触史材料"]
                }
                ReferralTo::InjuryRecognition => &[
                    "身份证件",
                    "劳动关系证明",
                    "医疗诊断证明",
                    "事故经过及证人材料",
                ],
                ReferralTo::TaxSiCollection => &["身份证件", "劳动关系证明", "社会保险缴费记录"],
            },
            |to| match to {
                ReferralTo::Court => &[
                    "ID document",
                    "Statement of claim",
                    "Contract, pay records and other evidence",
                    "Any arbitration or mediation papers",
                ],
                ReferralTo::AdministrativeReview => &[
                    "ID document",
                    "The agency's decision or notice",
                    "Contribution and benefit records",
                ],
                ReferralTo::Reappraisal => {
                    &["ID document", "The appraisal conclusion", "Medical records"]
                }
                ReferralTo::OccupationalDiseaseAppraisal => &[
                    "ID document",
                    "The diagnosis certificate",
                    "Work and exposure history",
                ],
                ReferralTo::InjuryRecognition => &[
                    "ID document",
                    "Proof of employment",
                    "Medical certificate",
                    "Account of the accident, witnesses",
                ],
                ReferralTo::TaxSiCollection => {
                    &["ID document", "Proof of employment", "Contribution records"]
                }
            },
        ),
    }
}

/// The paper table of `lang` (the name the print code has always used).
pub fn strings(lang: Lang) -> &'static Strings {
    Strings::get(lang)
}

/// The date as written in the 凭证 sentence.
pub fn date_long(lang: Lang, d: chrono::NaiveDate) -> String {
    d.format(strings(lang).date_long).to_string()
}

/// Where a referral sends the worker, as printed on the notice.
pub fn referral_where(lang: Lang, to: ReferralTo) -> &'static str {
    (strings(lang).referral_place)(to)
}

/// What to bring to the body a referral sends the worker to, besides the ID document.
pub fn referral_bring(lang: Lang, to: ReferralTo) -> &'static [&'static str] {
    (strings(lang).referral_papers)(to)
}
