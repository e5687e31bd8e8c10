//! The intake form ⇄ `IntakeRecord` mapping covers every field of §2, in both directions and
//! through the draft format; drafts survive a torn write.

use chrono::{DateTime, NaiveDate};
use onewindow::domain::*;
use onewindow::tui::draft::{DRAFT_VERSION, Draft, DraftStore};
use onewindow::tui::form::Form;

fn d(y: i32, m: u32, day: u32) -> Option<DateInput> {
    NaiveDate::from_ymd_opt(y, m, day).map(DateInput::Valid)
}

/// A record with every field of §2 given (values need not be valid: the form keeps what was typed).
fn every_field() -> IntakeRecord {
    IntakeRecord {
        applicant: Applicant {
            name: "买买提·艾力".into(),
            id_type: IdType::Passport,
            id_number: "E12345678".into(),
            birth_date: d(2008, 5, 6),
            phone: "+85291234567".into(),
            groups: vec![Group::Dispatched, Group::MigrantWorker, Group::Pregnant],
            hardship: Some(true),
            pension_before_hire: Some(false),
            guardian: Some(Guardian {
                name: "艾力".into(),
                phone: "13900001111".into(),
            }),
        },
        counterparty: Counterparty {
            kind: CounterpartyKind::Craftsman,
            name: "某某工坊".into(),
            credit_code: Some("92410100MA0000000X".into()),
            address: Some("郑州市金水区某路1号".into()),
            region: Some("410105".into()),
            industry: Some(Industry::Construction),
            dispatch_agency: Some(Unit {
                name: "某派遣公司".into(),
                credit_code: Some("91410100AAAAAAAAAA".into()),
            }),
            general_contractor: Some(Unit {
                name: "某总包公司".into(),
                credit_code: None,
            }),
        },
        employment: Employment {
            status: Some(EmploymentStatus::Ongoing),
            started_on: d(2024, 1, 2),
            ended_on: Some(DateInput::Invalid("2024-13-01".into())),
            written_contract: Some(false),
            work_region: Some("410100".into()),
        },
        dispute: Dispute {
            source: Source::CourtDelegated,
            categories: vec![Category::Ld08, Category::Ld04, Category::Ld99],
            claims: vec![
                Claim {
                    category: Some(Category::Ld04),
                    amount: Some(AmountInput::Valid(Fen(123_456))),
                    known_on: d(2025, 1, 1),
                },
                Claim {
                    category: Some(Category::Ld08),
                    amount: Some(AmountInput::parse("12.345")),
                    known_on: None,
                },
                Claim {
                    category: Some(Category::Ld99),
                    amount: None,
                    known_on: None,
                },
            ],
            known_on: d(2025, 2, 3),
            last_interruption_on: d(2025, 2, 10),
            workers_involved: Some(12),
            common_claim: Some(true),
            unpaid_wages: Some(false),
            social_insurance_arrears: Some(true),
            iou: Some(true),
            wants_mediation: Some(false),
            already_filed: AlreadyFiled::Inspection,
            prior_agreement: Some(PriorAgreement {
                kind: Some(AgreementKind::PeoplesMediation),
                effective_on: d(2024, 12, 1),
                performed: Some(false),
            }),
            injury: Some(Injury {
                occurred_on: d(2024, 11, 11),
                recognized: Some(true),
            }),
            escalating: Some(true),
            narrative: Some("多次讨薪未果，\"老板\"失联。".into()),
        },
    }
}

#[test]
fn every_field_round_trips_through_the_form() {
    let r = every_field();
    assert_eq!(Form::from_record(&r).to_record(), r);
}

#[test]
fn absent_is_not_false() {
    let r = IntakeRecord::default();
    let back = Form::from_record(&r).to_record();
    assert_eq!(back, r);
    assert_eq!(back.dispute.wants_mediation, None);
    assert_eq!(back.dispute.prior_agreement, None);
    assert_eq!(back.dispute.injury, None);
    assert_eq!(back.applicant.guardian, None);
}

#[test]
fn every_field_round_trips_through_a_draft_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = DraftStore::new(dir.path().join("draft.json"));
    let r = every_field();
    let draft = Draft {
        version: DRAFT_VERSION,
        saved_at: DateTime::parse_from_rfc3339("2025-03-10T09:30:00+08:00").expect("time"),
        staff: Some("1001".into()),
        form: Form::from_record(&r).to_data(),
        route_override: None,
    };
    store.save(&draft).expect("save");
    let back = store.load().expect("load").expect("a draft");
    assert_eq!(back, draft);
    assert_eq!(Form::from_data(&back.form).to_record(), r);
    store.discard().expect("discard");
    assert_eq!(store.load().expect("load"), None);
}

#[test]
fn half_typed_values_survive_a_draft() {
    let mut r = IntakeRecord::default();
    r.employment.started_on = Some(DateInput::parse("202103"));
    r.dispute.claims.push(Claim {
        category: Some(Category::Ld04),
        amount: Some(AmountInput::parse("3000.")),
        known_on: None,
    });
    let form = Form::from_record(&r);
    let back = Form::from_data(&form.to_data());
    assert_eq!(back, form);
    assert_eq!(back.to_record(), form.to_record());
}

#[test]
fn a_torn_write_leaves_the_previous_draft() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("draft.json");
    let store = DraftStore::new(&path);
    let mut r = IntakeRecord::default();
    r.applicant.name = "王丽".into();
    let draft = Draft {
        version: DRAFT_VERSION,
        saved_at: DateTime::parse_from_rfc3339("2025-03-10T09:30:00+08:00").expect("time"),
        staff: None,
        form: Form::from_record(&r).to_data(),
        route_override: None,
    };
    store.save(&draft).expect("save");
    // The power goes while the next save is half written: only the temporary file is torn.
    let full = serde_json::to_string(&draft).expect("json");
    std::fs::write(dir.path().join("draft.json.tmp"), &full[..full.len() / 2]).expect("torn");
    assert_eq!(store.load().expect("load"), Some(draft.clone()));
    // The next save replaces the torn temporary file.
    store.save(&draft).expect("save again");
    assert!(!dir.path().join("draft.json.tmp").exists());
}

#[test]
fn a_damaged_draft_is_reported_not_swallowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("draft.json");
    std::fs::write(&path, "{\"version\": 1, \"saved_at\": \"2025-").expect("write");
    let err = DraftStore::new(&path).load().expect_err("damaged");
    assert!(err.to_string().contains("damaged"), "{err}");
}
