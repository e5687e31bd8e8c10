//! The closed vocabularies of the domain reference (§1–§3), as enums whose serde names are the
//! codes used in intake files, JSON output and the database.

use super::Lang;
use serde::{Deserialize, Serialize};

/// A closed vocabulary stored and exchanged as text: the one mechanism by which every such enum
/// is written to files, JSON and the database, and shown to people by its label.
pub trait Code: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// Every value, in the order of the reference.
    const ALL: &'static [Self];
    /// The name of the vocabulary, for messages about an unknown code.
    const NAME: &'static str;
    /// The code as written in files and the database.
    fn code(self) -> &'static str;
    /// The term a Chinese reader sees.
    fn zh(self) -> &'static str;
    /// The term an English reader sees.
    fn en(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
    /// The term in a language: labels, not codes, wherever a person reads.
    fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

/// Declares a code enum together with its wire name and Chinese label, so the table of codes reads
/// like the reference it comes from.
macro_rules! codes {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as written in files and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The Chinese term a clerk and a worker read.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)+ }
            }

            /// The English term, for the English UI.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The term in a language.
            pub fn label(self, lang: $crate::domain::Lang) -> &'static str {
                <$name as $crate::domain::codes::Code>::label(self, lang)
            }
        }

        impl $crate::domain::codes::Code for $name {
            const ALL: &'static [$name] = $name::ALL;
            const NAME: &'static str = stringify!($name);
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn zh(self) -> &'static str {
                $name::zh(self)
            }
            fn en(self) -> &'static str {
                $name::en(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                $name::from_code(s).ok_or_else(|| {
                    format!(
                        "unknown {} {s:?} (expected one of: {})",
                        stringify!($name),
                        [$($code),+].join(", ")
                    )
                })
            }
        }
    };
}
pub(crate) use codes;

codes! {
    /// Where a case is sent (§1).
    pub enum Route {
        LaborMediation = "labor_mediation", "劳动人事争议调解", "Labour-dispute mediation";
        PeoplesMediation = "peoples_mediation", "人民调解", "People's mediation";
        LaborInspection = "labor_inspection", "劳动保障监察", "Labour inspection";
        Arbitration = "arbitration", "劳动人事争议仲裁", "Labour-dispute arbitration";
        Referral = "referral", "转介", "Referral";
    }
}

codes! {
    /// Where a referral sends the worker (§1, only with route `referral`).
    pub enum ReferralTo {
        Court = "court", "人民法院", "People's court";
        AdministrativeReview = "administrative_review", "行政复议/行政诉讼", "Administrative review";
        Reappraisal = "reappraisal", "劳动能力再鉴定", "Work-ability reappraisal";
        OccupationalDiseaseAppraisal = "occupational_disease_appraisal", "职业病诊断鉴定", "Occupational disease appraisal";
        InjuryRecognition = "injury_recognition", "工伤认定", "Work-injury recognition";
        TaxSiCollection = "tax_si_collection", "社会保险费征收机构", "Social-insurance collection agency";
    }
}

codes! {
    /// Parallel steps printed beside the route (§1 `also`).
    pub enum Also {
        LegalAid = "legal_aid", "法律援助", "Legal aid";
        Union = "union", "工会", "Trade union";
        LaborInspection = "labor_inspection", "劳动保障监察投诉", "Labour inspection complaint";
        TaxSiCollection = "tax_si_collection", "社会保险费征收机构", "Social-insurance collection agency";
        CourtPaymentOrder = "court_payment_order", "支付令", "Court payment order";
        Court = "court", "直接起诉", "Sue in court directly";
        Police = "police", "公安机关", "Police";
        InjuryRecognition = "injury_recognition", "工伤认定", "Work-injury recognition";
    }
}

codes! {
    /// Flags on a decision (§5).
    pub enum Flag {
        NonLabor = "NON_LABOR", "非劳动争议", "Not a labour dispute";
        ChildLabor = "CHILD_LABOR", "童工", "Child labour";
        Pensioner = "PENSIONER", "已享受养老保险待遇", "Drawing a pension";
        AgreementUnperformed = "AGREEMENT_UNPERFORMED", "调解协议未履行", "Mediation agreement not performed";
        Collective = "COLLECTIVE", "集体争议", "Collective dispute";
        Major = "MAJOR", "重大集体争议", "Major collective dispute";
        Escalating = "ESCALATING", "矛盾激化", "Escalating";
        Migrant = "MIGRANT", "农民工", "Migrant worker";
        Dispatch = "DISPATCH", "劳务派遣", "Dispatched worker";
        Platform = "PLATFORM", "新就业形态", "Platform worker";
        Minor = "MINOR", "未成年人", "Minor";
        ConstructionArrears = "CONSTRUCTION_ARREARS", "工程建设领域欠薪", "Construction wage arrears";
        OutOfArea = "OUT_OF_AREA", "非本辖区", "Outside this area";
        TimeBarRisk = "TIME_BAR_RISK", "时效风险", "Limitation risk";
        TimeBarNear = "TIME_BAR_NEAR", "时效将届满", "Limitation ends soon";
        FinalAwardLikely = "FINAL_AWARD_LIKELY", "可能一裁终局", "Final award likely";
        Priority = "PRIORITY", "优先", "Priority";
    }
}

codes! {
    /// Dispute categories (§3).
    pub enum Category {
        Ld01 = "LD01", "确认劳动关系", "Confirm labour relationship";
        Ld02 = "LD02", "订立/履行/变更劳动合同", "Conclude/perform/change contract";
        Ld03 = "LD03", "解除、终止劳动合同", "Dismissal / termination";
        Ld04 = "LD04", "劳动报酬", "Pay (wages, overtime, minimum wage)";
        Ld05 = "LD05", "经济补偿", "Severance pay";
        Ld06 = "LD06", "赔偿金", "Damages";
        Ld07 = "LD07", "社会保险", "Social insurance";
        Ld08 = "LD08", "工伤待遇", "Work-injury benefits";
        Ld09 = "LD09", "工作时间、休息休假", "Working time, rest and leave";
        Ld10 = "LD10", "福利", "Welfare";
        Ld11 = "LD11", "培训、服务期", "Training, service period";
        Ld12 = "LD12", "劳动保护", "Labour protection";
        Ld13 = "LD13", "竞业限制", "Non-competition";
        Ld14 = "LD14", "集体合同", "Collective contract";
        Ld15 = "LD15", "人事争议", "Personnel dispute";
        Ld16 = "LD16", "档案、社保转移、离职证明", "Files, SI transfer, leaving certificate";
        Ld99 = "LD99", "其他", "Other";
    }
}

codes! {
    /// Applicant groups (§2 `applicant.groups`).
    pub enum Group {
        MigrantWorker = "migrant_worker", "农民工", "Migrant worker";
        Dispatched = "dispatched", "劳务派遣", "Dispatched worker";
        PlatformWorker = "platform_worker", "新就业形态", "Platform worker";
        PublicInstitution = "public_institution", "事业单位人员", "Public institution staff";
        Disabled = "disabled", "残疾人", "Disabled";
        Pregnant = "pregnant", "孕期女职工", "Pregnant";
    }
}

codes! {
    /// Identity document types (§2 `applicant.id_type`).
    pub enum IdType {
        ResidentId = "resident_id", "居民身份证", "Resident ID card";
        ResidencePermit = "residence_permit", "港澳台居民居住证", "HK/Macao/Taiwan residence permit";
        HkmoPass = "hkmo_pass", "港澳居民来往内地通行证", "HK/Macao travel permit";
        TwPass = "tw_pass", "台湾居民来往大陆通行证", "Taiwan travel permit";
        Passport = "passport", "护照", "Passport";
    }
}

codes! {
    /// Who the worker's claim is against (§2 `counterparty.kind`).
    pub enum CounterpartyKind {
        Employer = "employer", "用人单位", "Employer";
        Household = "household", "家庭或个人（家政服务）", "Household (domestic service)";
        Craftsman = "craftsman", "个体工匠", "Craftsman";
        RuralContractor = "rural_contractor", "农村承包经营户", "Rural contracting household";
        SocialInsuranceAgency = "social_insurance_agency", "社会保险经办机构", "Social-insurance agency";
        AppraisalCommittee = "appraisal_committee", "劳动能力鉴定委员会", "Work-ability appraisal committee";
        OccupationalDiseaseBody = "occupational_disease_body", "职业病诊断/鉴定机构", "Occupational disease body";
    }
}

codes! {
    /// Counterparty industry (§2).
    pub enum Industry {
        Construction = "construction", "建筑施工", "Construction";
        Manufacturing = "manufacturing", "制造业", "Manufacturing";
        Catering = "catering", "餐饮", "Catering";
        Transport = "transport", "交通运输", "Transport";
        Platform = "platform", "平台经济", "Platform";
        Services = "services", "服务业", "Services";
        Other = "other", "其他", "Other";
    }
}

codes! {
    /// Employment status (§2 `employment.status`).
    pub enum EmploymentStatus {
        Ongoing = "ongoing", "在职", "Ongoing";
        Ended = "ended", "已离职", "Ended";
    }
}

codes! {
    /// How the case came to the window (§2 `dispute.source`).
    pub enum Source {
        WalkIn = "walk_in", "来访", "Walk-in";
        CourtDelegated = "court_delegated", "法院委派/委托", "Delegated by a court";
        ArbitrationDelegated = "arbitration_delegated", "仲裁委托", "Delegated by arbitration";
    }
}

codes! {
    /// Where the dispute was already filed (§2 `dispute.already_filed`).
    pub enum AlreadyFiled {
        None = "none", "未申请", "Not filed";
        Arbitration = "arbitration", "已申请仲裁", "Arbitration";
        Court = "court", "已起诉", "Court";
        Inspection = "inspection", "已投诉监察", "Inspection";
    }
}

codes! {
    /// The kind of an earlier mediation agreement (§2 `dispute.prior_agreement.kind`).
    pub enum AgreementKind {
        LaborMediation = "labor_mediation", "劳动人事争议调解协议", "Labour mediation agreement";
        PeoplesMediation = "peoples_mediation", "人民调解协议", "People's mediation agreement";
    }
}

codes! {
    /// Where unpaid social-insurance contributions go at this site (§2 `si_arrears_route`).
    pub enum SiArrearsRoute {
        LaborInspection = "labor_inspection", "劳动保障监察", "Labour inspection";
        TaxSiCollection = "tax_si_collection", "社会保险费征收机构", "Social-insurance collection agency";
    }
}

codes! {
    /// How a served ticket ended (§9 finish with an outcome).
    pub enum Outcome {
        Mediated = "mediated", "调解成功", "Mediated";
        NotMediated = "not_mediated", "调解不成", "Not mediated";
        Accepted = "accepted", "已受理", "Accepted";
        Referred = "referred", "已转介", "Referred";
        Withdrawn = "withdrawn", "撤回", "Withdrawn";
        Advised = "advised", "已解答", "Advice given";
        Other = "other", "其他", "Other";
    }
}

codes! {
    /// Where a ticket is in its life (§9): waiting → called (recalled) → serving → done, or
    /// called → no_show; waiting, called or serving → transferred (a new ticket waits elsewhere).
    pub enum TicketState {
        Waiting = "waiting", "等候", "Waiting";
        Called = "called", "已叫号", "Called";
        Serving = "serving", "办理中", "Serving";
        Done = "done", "已办结", "Done";
        NoShow = "no_show", "过号", "No-show";
        Transferred = "transferred", "已转移", "Transferred";
    }
}

codes! {
    /// The papers a window prints (§8).
    pub enum PrintKind {
        Ticket = "ticket", "排队号", "Queue ticket";
        Receipt = "receipt", "登记回执", "Intake receipt";
        Referral = "referral", "告知书", "Referral notice";
    }
}

codes! {
    /// Where a print job is: pending (due at `next_attempt_at`), printing (leased to a runner),
    /// printed (the printer confirmed it), failed for good, or unconfirmed (sent, but the printer
    /// did not confirm it: a person says whether it came out).
    pub enum PrintState {
        Pending = "pending", "待打印", "Pending";
        Printing = "printing", "打印中", "Printing";
        Printed = "printed", "已打印", "Printed";
        Failed = "failed", "打印失败", "Failed";
        Unconfirmed = "unconfirmed", "可能未打出", "Unconfirmed";
    }
}

codes! {
    /// What a staff member is: which permissions each role holds is the one table
    /// `app::auth::Permission::held_by`. A follow-up caller (回访员) makes the follow-up calls
    /// and is neither a window clerk nor a supervisor.
    pub enum StaffRole {
        Clerk = "clerk", "窗口工作人员", "Window clerk";
        Supervisor = "supervisor", "值班负责人", "Supervisor";
        FollowUp = "follow_up", "回访员", "Follow-up caller";
    }
}

codes! {
    /// Why personal data was read (the access record 《个人信息保护法》 asks for).
    pub enum ReadPurpose {
        Open = "open", "打开案件", "Case opened";
        Search = "search", "查询案件", "Search";
        Show = "show", "查看案件", "Case shown";
        Export = "export", "导出", "Export";
        Print = "print", "打印", "Print";
        Audit = "audit", "查看访问记录", "Audit read";
        FollowUp = "follow_up", "回访致电", "Follow-up call";
    }
}

/// The defaults §2 gives for absent fields. (The enums come from a macro, so `#[default]` cannot be
/// written on a variant.)
macro_rules! default_code {
    ($($name:ident = $variant:ident;)+) => {$(
        #[allow(clippy::derivable_impls)]
        impl Default for $name {
            fn default() -> Self {
                $name::$variant
            }
        }
    )+};
}

default_code! {
    IdType = ResidentId;
    CounterpartyKind = Employer;
    Source = WalkIn;
    AlreadyFiled = None;
    SiArrearsRoute = LaborInspection;
}

codes! {
    /// The statistics groups of the dispute categories (§3), as reports count them.
    pub enum CategoryGroup {
        Pay = "pay", "劳动报酬", "Pay";
        SocialInsurance = "social_insurance", "社会保险", "Social insurance";
        Termination = "termination", "解除终止", "Dismissal and termination";
        Other = "other", "其他", "Other";
    }
}

impl Category {
    /// The statistics group of §3: 劳动报酬 (LD04), 社会保险 (LD07, LD08), 解除终止 (LD03, LD05,
    /// LD06), 其他.
    pub fn statistics_group(self) -> CategoryGroup {
        match self {
            Category::Ld04 => CategoryGroup::Pay,
            Category::Ld07 | Category::Ld08 => CategoryGroup::SocialInsurance,
            Category::Ld03 | Category::Ld05 | Category::Ld06 => CategoryGroup::Termination,
            _ => CategoryGroup::Other,
        }
    }
}
