//! The output of classification (§7): what the receipt, the queue and the JSON output are made of.

use super::Lang;
use super::codes::{Also, Flag, ReferralTo, Route};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Routed,
    Blocked,
}

/// One validation problem, named at its field (`dispute.claims[0].amount`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    /// Stable machine code (`id_checksum`, `required`, …); messages may be reworded, codes not.
    pub code: String,
    /// What the clerk reads, in Chinese.
    pub message: String,
}

/// A rule that matched, with the text and legal basis printed for the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// `R1`…`R11`, `R5′`, or a flag code for a flag's basis.
    pub rule: String,
    pub text: String,
    pub basis: String,
}

impl Reason {
    /// What the worker reads, in `lang`: the stored Chinese text, or its English meaning by
    /// rule (a rule the English table does not know says so in English, never in Chinese).
    pub fn text_in(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.text.clone(),
            Lang::En => super::english::reason(&self.rule)
                .map_or_else(|| format!("Rule {}", self.rule), str::to_string),
        }
    }

    /// The legal basis in `lang`: in English, statute names in English with the Chinese title
    /// kept beside them.
    pub fn basis_in(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.basis.clone(),
            Lang::En => super::english::basis(&self.basis),
        }
    }
}

/// The rule of the reason a clerk's override puts first; the worker reads it, so it says in
/// the worker's words where the matter goes, never the clerk's typed reason (that goes to the
/// audit log and the case history).
pub const OVERRIDE_RULE: &str = "OVERRIDE";
/// [`OVERRIDE_RULE`] for an override to a referral: why the matter is not handled here.
pub const OVERRIDE_REFERRAL_RULE: &str = "OVERRIDE_REFERRAL";
/// First-contact responsibility (首问负责), the basis of a window's re-routing.
const OVERRIDE_BASIS: &str = "人社部发〔2022〕71号（首问负责）";

/// Named deadlines of §6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    LimitationExpires,
    CivilLimitationExpires,
    MediationPeriodEnds,
    AdminReviewBy,
    ReappraisalBy,
    InjuryRecognitionBy,
}

impl Deadline {
    pub const ALL: [Deadline; 6] = [
        Deadline::LimitationExpires,
        Deadline::CivilLimitationExpires,
        Deadline::MediationPeriodEnds,
        Deadline::AdminReviewBy,
        Deadline::ReappraisalBy,
        Deadline::InjuryRecognitionBy,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Deadline::LimitationExpires => "limitation_expires",
            Deadline::CivilLimitationExpires => "civil_limitation_expires",
            Deadline::MediationPeriodEnds => "mediation_period_ends",
            Deadline::AdminReviewBy => "admin_review_by",
            Deadline::ReappraisalBy => "reappraisal_by",
            Deadline::InjuryRecognitionBy => "injury_recognition_by",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Deadline::LimitationExpires => "劳动争议仲裁时效届满日",
            Deadline::CivilLimitationExpires => "民事诉讼时效届满日",
            Deadline::MediationPeriodEnds => "调解期限届满日",
            Deadline::AdminReviewBy => "申请行政复议截止日",
            Deadline::ReappraisalBy => "申请再次鉴定截止日",
            Deadline::InjuryRecognitionBy => "申请工伤认定截止日",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Deadline::LimitationExpires => "Arbitration limitation expires",
            Deadline::CivilLimitationExpires => "Civil limitation expires",
            Deadline::MediationPeriodEnds => "Mediation period ends",
            Deadline::AdminReviewBy => "Apply for administrative review by",
            Deadline::ReappraisalBy => "Apply for reappraisal by",
            Deadline::InjuryRecognitionBy => "Apply for injury recognition by",
        }
    }

    /// The deadline's label in `lang`.
    pub fn from_code(code: &str) -> Option<Deadline> {
        Deadline::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// A deadline's name is a label like any code's: `label(lang)` wherever a person reads it.
impl super::codes::Code for Deadline {
    const ALL: &'static [Deadline] = &Deadline::ALL;
    const NAME: &'static str = "Deadline";
    fn code(self) -> &'static str {
        Deadline::code(self)
    }
    fn zh(self) -> &'static str {
        Deadline::zh(self)
    }
    fn en(self) -> &'static str {
        Deadline::en(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub status: Status,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub route: Option<Route>,
    pub referral_to: Option<ReferralTo>,
    pub also: Vec<Also>,
    pub flags: Vec<Flag>,
    pub deadlines: BTreeMap<Deadline, NaiveDate>,
    pub reasons: Vec<Reason>,
    /// The ticket prefix of the route's queue; `None` for a referral without a local queue.
    pub queue: Option<String>,
}

impl Decision {
    pub fn has_flag(&self, f: Flag) -> bool {
        self.flags.contains(&f)
    }

    pub fn has_also(&self, a: Also) -> bool {
        self.also.contains(&a)
    }

    /// Served first in the queue (§5 PRIORITY).
    pub fn is_priority(&self) -> bool {
        self.has_flag(Flag::Priority)
    }

    /// The decision as a clerk re-routed it: route `to` (with `referral_to` for a referral),
    /// the ticket prefix of its queue (`queue`), and a first reason the worker can read.
    pub fn overridden(
        mut self,
        to: Route,
        referral_to: Option<ReferralTo>,
        queue: Option<String>,
    ) -> Decision {
        let reason = if to == Route::Referral {
            Reason {
                rule: OVERRIDE_REFERRAL_RULE.into(),
                text: format!(
                    "经窗口工作人员审查，您的事项不在本中心办理，应由{}处理，请按下列指引前往。",
                    referral_to.map_or("有关部门", ReferralTo::zh)
                ),
                basis: OVERRIDE_BASIS.into(),
            }
        } else {
            Reason {
                rule: OVERRIDE_RULE.into(),
                text: format!("经窗口工作人员审查，您的事项改由“{}”办理。", to.zh()),
                basis: OVERRIDE_BASIS.into(),
            }
        };
        self.reasons.insert(0, reason);
        self.route = Some(to);
        self.referral_to = if to == Route::Referral {
            referral_to
        } else {
            None
        };
        self.queue = queue;
        self
    }

    /// Raises a supervisor alert at once (§5: MAJOR, ESCALATING, CHILD_LABOR).
    pub fn needs_alert(&self) -> bool {
        self.has_flag(Flag::Major)
            || self.has_flag(Flag::Escalating)
            || self.has_flag(Flag::ChildLabor)
    }
}
