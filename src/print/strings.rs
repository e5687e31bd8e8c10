//! Every fixed sentence printed on paper, one table per language, so the wording can be reviewed
//! and translated in one place. Layouts reach them as `{{ t.NAME }}`.
//!
//! Wording rules from the domain reference (§8): the receipt records registration, not acceptance;
//! a limitation date is a warning to act quickly, never "your claim is barred"; a referral notice
//! makes no claim to interrupt any period.

use serde::Serialize;

pub use crate::domain::Lang;

#[derive(Debug, Clone, Serialize)]
pub struct Strings {
    /// After a label (`申请人：`, `Applicant: `).
    pub colon: &'static str,
    /// Between list items (`、`, `, `).
    pub list_sep: &'static str,
    /// Brackets around an aside (full-width in Chinese).
    pub paren_open: &'static str,
    pub paren_close: &'static str,
    pub ticket_title: &'static str,
    pub ticket_no: &'static str,
    pub destination: &'static str,
    pub window_group: &'static str,
    pub issued_at: &'static str,
    pub registered_at: &'static str,
    pub people_ahead: &'static str,
    pub people_unit: &'static str,
    pub estimated_wait: &'static str,
    pub minutes_unit: &'static str,
    pub priority_mark: &'static str,
    pub ticket_footer: &'static str,
    /// In place of the window numbers when no window serves the queue yet.
    pub windows_unknown: &'static str,

    pub receipt_title: &'static str,
    /// The title of a receipt for a dispute that is not a labour dispute (人民调解, household,
    /// services): it is not a labour dispute receipt.
    pub receipt_title_other: &'static str,
    /// Between dispute categories: a category name may itself contain 、.
    pub category_sep: &'static str,
    /// After an amount of a collective case: each claim and the total are per worker.
    pub per_person: &'static str,
    pub case_no: &'static str,
    pub clerk: &'static str,
    pub applicant: &'static str,
    pub id_number: &'static str,
    pub counterparty: &'static str,
    pub categories: &'static str,
    pub claimed_amount: &'static str,
    pub yuan: &'static str,
    pub route: &'static str,
    pub reason: &'static str,
    pub basis: &'static str,
    pub also: &'static str,
    pub deadlines: &'static str,
    pub time_bar_warning: &'static str,
    pub time_bar_near_warning: &'static str,
    pub bring_title: &'static str,
    pub bring_items: [&'static str; 5],
    /// What to bring for a dispute that is not a labour dispute (no proof of employment).
    pub bring_items_other: [&'static str; 4],
    /// Before and after the date in the 凭证 sentence.
    pub voucher_before: &'static str,
    pub voucher_after: &'static str,
    pub not_acceptance: &'static str,
    pub free_notice: &'static str,
    pub free_notice_other: &'static str,
    pub legal_aid_title: &'static str,
    pub hotline_hrss: &'static str,
    pub hotline_legal_aid: &'static str,
    pub privacy_notice: &'static str,
    pub privacy_notice_referral: &'static str,
    pub query_hint: &'static str,
    pub ticket_ref: &'static str,
    /// The mark at the top of a copy printed again (补打), before the time it was printed.
    pub reprint_mark: &'static str,

    pub referral_title: &'static str,
    pub referral_why: &'static str,
    pub referral_where: &'static str,
    pub referral_deadline_note: &'static str,
    pub referral_no_interruption: &'static str,
    pub referral_bring_extra: &'static str,

    pub test_title: &'static str,
    pub test_line: &'static str,
}

pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The date as written in the 凭证 sentence.
pub fn date_long(lang: Lang, d: chrono::NaiveDate) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%m月%d日").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

static ZH: Strings = Strings {
    colon: "：",
    list_sep: "、",
    paren_open: "（",
    paren_close: "）",
    ticket_title: "排队号",
    ticket_no: "号码",
    destination: "办理事项",
    window_group: "窗口",
    issued_at: "取号时间",
    registered_at: "登记时间",
    people_ahead: "前面等候",
    people_unit: "人",
    estimated_wait: "预计等候",
    minutes_unit: "分钟",
    priority_mark: "【优先】",
    ticket_footer: "请留意叫号，过号请重新取号。",
    windows_unknown: "请听叫号",

    receipt_title: "劳动争议登记回执",
    receipt_title_other: "纠纷登记回执",
    category_sep: "；",
    per_person: "（每人）",
    case_no: "登记编号",
    clerk: "经办人工号",
    applicant: "申请人",
    id_number: "证件号码",
    counterparty: "被申请人",
    categories: "争议事项",
    claimed_amount: "请求金额合计",
    yuan: "元",
    route: "办理去向",
    reason: "理由",
    basis: "依据",
    also: "您还可以同时",
    deadlines: "重要日期",
    time_bar_warning: "提醒：按登记信息推算，申请仲裁的时效可能已经届满或即将届满。时效是否届满由仲裁机构依法认定，也可能存在中断、中止等情形。请尽快申请，不要等待。",
    time_bar_near_warning: "提醒：申请仲裁的时效即将届满，请尽快（最好在今天）提出申请。",
    bring_title: "办理时请携带",
    bring_items: [
        "本人身份证件原件及复印件",
        "劳动合同或其他能证明劳动关系的材料（工牌、工作服、考勤卡等）",
        "工资条、银行流水、考勤记录",
        "与单位沟通的聊天记录、短信、录音",
        "证人姓名及联系方式",
    ],
    bring_items_other: [
        "本人身份证件原件及复印件",
        "与纠纷有关的合同、协议、收据、转账记录等材料",
        "聊天记录、短信、录音等证据",
        "证人姓名及联系方式",
    ],
    voucher_before: "本回执可作为您于",
    voucher_after: "向本窗口请求权利救济的凭证。",
    not_acceptance: "本回执仅证明您已登记，不代表已受理；是否受理由有管辖权的机构依法决定。",
    free_notice: "劳动争议调解、仲裁和劳动保障监察均不收取任何费用。",
    free_notice_other: "人民调解不收取任何费用。",
    legal_aid_title: "咨询与法律援助",
    hotline_hrss: "12333 人社服务热线",
    hotline_legal_aid: "12348 法律援助热线",
    privacy_notice: "您的个人信息仅用于办理本争议，依法保密；回执已隐去部分信息。",
    privacy_notice_referral: "您的个人信息仅用于办理本事项，依法保密；本告知书已隐去部分信息。",
    query_hint: "扫码查询办理进度",
    ticket_ref: "排队号",
    reprint_mark: "【补打】",

    referral_title: "转介告知书",
    referral_why: "本事项不属于本窗口办理范围，原因",
    referral_where: "请前往",
    referral_deadline_note: "以下期限不因本次登记而停止计算，请尽快办理：",
    referral_no_interruption: "本告知书不产生中断或中止任何期限的效力。",
    referral_bring_extra: "本告知书",

    test_title: "打印测试页",
    test_line: "中文：调解仲裁￥12.5①张·三",
};

static EN: Strings = Strings {
    colon: ": ",
    list_sep: ", ",
    paren_open: " (",
    paren_close: ")",
    ticket_title: "Queue ticket",
    ticket_no: "Number",
    destination: "Service",
    window_group: "Windows",
    issued_at: "Issued",
    registered_at: "Registered",
    people_ahead: "Waiting ahead",
    people_unit: "",
    estimated_wait: "Estimated wait",
    minutes_unit: "min",
    priority_mark: "[PRIORITY]",
    ticket_footer: "Please watch the display. If you miss your call, take a new ticket.",
    windows_unknown: "as called",

    receipt_title: "Labour dispute registration receipt",
    receipt_title_other: "Dispute registration receipt",
    category_sep: "; ",
    per_person: " per worker",
    case_no: "Registration no.",
    clerk: "Clerk",
    applicant: "Applicant",
    id_number: "ID",
    counterparty: "Against",
    categories: "Matters",
    claimed_amount: "Total claimed",
    yuan: " yuan",
    route: "Sent to",
    reason: "Reason",
    basis: "Basis",
    also: "You may also",
    deadlines: "Key dates",
    time_bar_warning: "Note: from what you told us, the time limit for arbitration may have passed or be about to pass. Whether it has is decided by the arbitration body, and it may have been interrupted or suspended. Apply as soon as possible.",
    time_bar_near_warning: "Note: the time limit for arbitration ends very soon. Apply as soon as possible, preferably today.",
    bring_title: "Please bring",
    bring_items: [
        "Your ID document (original and copy)",
        "Labour contract or other proof of employment (badge, uniform, time card)",
        "Pay slips, bank statements, attendance records",
        "Chat records, messages, recordings with the employer",
        "Names and contacts of witnesses",
    ],
    bring_items_other: [
        "Your ID document (original and copy)",
        "Contracts, agreements, receipts or transfer records about the dispute",
        "Chat records, messages, recordings",
        "Names and contacts of witnesses",
    ],
    voucher_before: "This receipt proves that on ",
    voucher_after: " you asked this window for a remedy.",
    not_acceptance: "It records registration only, not acceptance: only the competent body decides whether to accept the case.",
    free_notice: "Mediation, arbitration and labour inspection are free of charge.",
    free_notice_other: "People's mediation is free of charge.",
    legal_aid_title: "Advice and legal aid",
    hotline_hrss: "12333 Human resources and social security",
    hotline_legal_aid: "12348 Legal aid",
    privacy_notice: "Your personal data is used only for this dispute and kept confidential; parts are masked on this receipt.",
    privacy_notice_referral: "Your personal data is used only for this matter and kept confidential; parts are masked on this notice.",
    query_hint: "Scan to check progress",
    ticket_ref: "Ticket",
    reprint_mark: "[REPRINT]",

    referral_title: "Referral notice",
    referral_why: "This matter is not handled at this window because",
    referral_where: "Please go to",
    referral_deadline_note: "These time limits keep running despite this registration; act quickly:",
    referral_no_interruption: "This notice does not interrupt or suspend any time limit.",
    referral_bring_extra: "This notice",

    test_title: "Printer test page",
    test_line: "中文：调解仲裁￥12.5①张·三",
};

use crate::domain::ReferralTo;

/// Where a referral sends the worker, as printed on the notice.
pub fn referral_where(lang: Lang, to: ReferralTo) -> &'static str {
    match (lang, to) {
        (Lang::Zh, ReferralTo::Court) => {
            "有管辖权的人民法院（用人单位所在地或劳动合同履行地）立案窗口"
        }
        (Lang::Zh, ReferralTo::AdministrativeReview) => {
            "作出决定的社会保险经办机构的本级人民政府（行政复议机关），对复议决定不服可依法提起行政诉讼"
        }
        (Lang::Zh, ReferralTo::Reappraisal) => {
            "省、自治区、直辖市劳动能力鉴定委员会（申请再次鉴定）"
        }
        (Lang::Zh, ReferralTo::OccupationalDiseaseAppraisal) => {
            "设区的市级卫生健康主管部门（职业病诊断鉴定）"
        }
        (Lang::Zh, ReferralTo::InjuryRecognition) => {
            "用人单位所在地设区的市级人力资源社会保障行政部门（工伤认定窗口）"
        }
        (Lang::Zh, ReferralTo::TaxSiCollection) => "当地社会保险费征收机构（税务部门）",
        (Lang::En, ReferralTo::Court) => {
            "the competent people's court (where the employer is or where the work was done), case-filing window"
        }
        (Lang::En, ReferralTo::AdministrativeReview) => {
            "the people's government above the social-insurance agency (administrative review); a lawsuit may follow its decision"
        }
        (Lang::En, ReferralTo::Reappraisal) => {
            "the provincial work-ability appraisal committee (reappraisal)"
        }
        (Lang::En, ReferralTo::OccupationalDiseaseAppraisal) => {
            "the city health authority (occupational disease appraisal)"
        }
        (Lang::En, ReferralTo::InjuryRecognition) => {
            "the city human resources and social security bureau where the employer is (injury recognition)"
        }
        (Lang::En, ReferralTo::TaxSiCollection) => {
            "the local social-insurance collection agency (tax bureau)"
        }
    }
}

/// What to bring to the body a referral sends the worker to, besides the ID document.
pub fn referral_bring(lang: Lang, to: ReferralTo) -> &'static [&'static str] {
    match (lang, to) {
        (Lang::Zh, ReferralTo::Court) => &[
            "身份证件",
            "起诉状",
            "劳动合同、工资记录等证据",
            "已有的仲裁或调解文书",
        ],
        (Lang::Zh, ReferralTo::AdministrativeReview) => &[
            "身份证件",
            "社会保险经办机构的决定或告知文书",
            "缴费及待遇相关材料",
        ],
        (Lang::Zh, ReferralTo::Reappraisal) => &["身份证件", "劳动能力鉴定结论", "病历、诊断证明"],
        (Lang::Zh, ReferralTo::OccupationalDiseaseAppraisal) => {
            &["身份证件", "职业病诊断证明书", "职业史、接触史材料"]
        }
        (Lang::Zh, ReferralTo::InjuryRecognition) => &[
            "身份证件",
            "劳动关系证明",
            "医疗诊断证明",
            "事故经过及证人材料",
        ],
        (Lang::Zh, ReferralTo::TaxSiCollection) => {
            &["身份证件", "劳动关系证明", "社会保险缴费记录"]
        }
        (Lang::En, ReferralTo::Court) => &[
            "ID document",
            "Statement of claim",
            "Contract, pay records and other evidence",
            "Any arbitration or mediation papers",
        ],
        (Lang::En, ReferralTo::AdministrativeReview) => &[
            "ID document",
            "The agency's decision or notice",
            "Contribution and benefit records",
        ],
        (Lang::En, ReferralTo::Reappraisal) => {
            &["ID document", "The appraisal conclusion", "Medical records"]
        }
        (Lang::En, ReferralTo::OccupationalDiseaseAppraisal) => &[
            "ID document",
            "The diagnosis certificate",
            "Work and exposure history",
        ],
        (Lang::En, ReferralTo::InjuryRecognition) => &[
            "ID document",
            "Proof of employment",
            "Medical certificate",
            "Account of the accident, witnesses",
        ],
        (Lang::En, ReferralTo::TaxSiCollection) => {
            &["ID document", "Proof of employment", "Contribution records"]
        }
    }
}
