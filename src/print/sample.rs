//! A sample case for `print preview --sample`, the test page, the snapshot tests and the bench.
//! Long Chinese names and addresses on purpose: they must wrap on 58 mm paper.

use super::model::{CaseInput, TicketInput};
use crate::domain::*;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;

pub struct Sample {
    pub record: IntakeRecord,
    pub decision: Decision,
    pub referral: Decision,
    pub site: SiteSettings,
    pub issued_at: NaiveDateTime,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl Sample {
    pub fn new() -> Sample {
        let record = IntakeRecord {
            applicant: Applicant {
                name: "买买提·艾力江·阿不都热合曼".to_string(),
                id_type: IdType::ResidentId,
                id_number: "65010219900307158X".to_string(),
                phone: "13812345678".to_string(),
                groups: vec![Group::MigrantWorker],
                ..Applicant::default()
            },
            counterparty: Counterparty {
                name: "乌鲁木齐市天山区某某建筑劳务分包有限责任公司第三项目部（某某花园二期工地）"
                    .to_string(),
                address: Some(
                    "新疆维吾尔自治区乌鲁木齐市天山区解放南路某某号某某大厦二十三层2301室"
                        .to_string(),
                ),
                industry: Some(Industry::Construction),
                ..Counterparty::default()
            },
            employment: Employment {
                status: Some(EmploymentStatus::Ended),
                started_on: Some(date(2024, 3, 1).into()),
                ended_on: Some(date(2025, 1, 20).into()),
                written_contract: Some(false),
                work_region: Some("650102".to_string()),
            },
            dispute: Dispute {
                categories: vec![Category::Ld04, Category::Ld02],
                claims: vec![
                    Claim {
                        category: Some(Category::Ld04),
                        amount: Some(Fen(2_345_678).into()),
                        known_on: None,
                    },
                    Claim {
                        category: Some(Category::Ld02),
                        amount: Some(Fen(3_600_000).into()),
                        known_on: None,
                    },
                ],
                known_on: Some(date(2025, 1, 20).into()),
                wants_mediation: Some(true),
                ..Dispute::default()
            },
        };
        let decision = Decision {
            status: Status::Routed,
            errors: vec![],
            warnings: vec![],
            route: Some(Route::LaborMediation),
            referral_to: None,
            also: vec![Also::LegalAid, Also::LaborInspection],
            flags: vec![
                Flag::Migrant,
                Flag::ConstructionArrears,
                Flag::TimeBarNear,
                Flag::Priority,
            ],
            deadlines: BTreeMap::from([
                (Deadline::LimitationExpires, date(2026, 1, 20)),
                (Deadline::MediationPeriodEnds, date(2026, 1, 30)),
            ]),
            reasons: vec![
                Reason {
                    rule: "R11".to_string(),
                    text: "劳动争议先行调解：调解免费、快捷，15日内未达成协议的可以申请仲裁"
                        .to_string(),
                    basis: "《劳动争议调解仲裁法》第五条、第十条；人社部发〔2022〕71号".to_string(),
                },
                Reason {
                    rule: "CONSTRUCTION_ARREARS".to_string(),
                    text: "工程建设领域拖欠农民工工资，施工总承包单位先行清偿".to_string(),
                    basis: "《保障农民工工资支付条例》第三十条".to_string(),
                },
            ],
            queue: Some("T".to_string()),
        };
        let referral = Decision {
            status: Status::Routed,
            errors: vec![],
            warnings: vec![],
            route: Some(Route::Referral),
            referral_to: Some(ReferralTo::InjuryRecognition),
            also: vec![Also::LegalAid],
            flags: vec![Flag::Migrant],
            deadlines: BTreeMap::from([(Deadline::InjuryRecognitionBy, date(2026, 2, 3))]),
            reasons: vec![Reason {
                rule: "R8".to_string(),
                text: "工伤待遇争议须先经工伤认定；尚未认定的，请先申请工伤认定".to_string(),
                basis: "《工伤保险条例》第十七条、第十八条、第二十条".to_string(),
            }],
            queue: None,
        };
        let site = SiteSettings {
            code: "TSQ".to_string(),
            name: "天山区劳动人事争议多元调处中心".to_string(),
            ..SiteSettings::default()
        };
        Sample {
            record,
            decision,
            referral,
            site,
            issued_at: date(2025, 3, 10).and_hms_opt(9, 30, 0).unwrap_or_default(),
        }
    }

    pub fn case_input(&self) -> CaseInput<'_> {
        CaseInput {
            case_no: "TSQ-20250310-0001",
            ticket_no: Some("T001"),
            record: &self.record,
            decision: &self.decision,
            site: &self.site,
            clerk: "A017",
            issued_at: self.issued_at,
        }
    }

    pub fn referral_input(&self) -> CaseInput<'_> {
        CaseInput {
            case_no: "TSQ-20250310-0002",
            ticket_no: None,
            decision: &self.referral,
            ..self.case_input()
        }
    }

    pub fn ticket_input(&self) -> TicketInput<'_> {
        TicketInput {
            ticket_no: "T001",
            route: Route::LaborMediation,
            windows: &[3, 4, 5],
            issued_at: self.issued_at,
            people_ahead: 4,
            estimated_wait_min: 20,
            priority: true,
        }
    }
}

impl Default for Sample {
    fn default() -> Self {
        Sample::new()
    }
}
