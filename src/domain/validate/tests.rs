use super::*;
use crate::domain::testing::{d, record};
use crate::domain::values::{AmountInput, DateInput};
use crate::domain::{Claim, Guardian};

fn intake() -> NaiveDate {
    d("2025-03-10")
}

fn fields(problems: &[Problem]) -> Vec<(&str, &str)> {
    problems
        .iter()
        .map(|p| (p.field.as_str(), p.code.as_str()))
        .collect()
}

#[test]
fn the_base_record_is_valid() {
    let v = validate(&record(), intake());
    assert!(v.errors.is_empty() && v.warnings.is_empty(), "{v:?}");
}

/// A 17-year-old (born 2008-01-01).
fn minor() -> IntakeRecord {
    let mut r = record();
    r.applicant.id_number = "410105200801011237".into();
    r
}

/// §4: a guardian given in part is kept; without a phone it is the guardian warning.
#[test]
fn a_guardian_without_a_phone_is_the_warning_not_an_error() {
    let mut r = minor();
    r.applicant.guardian = Some(Guardian {
        name: "李四".into(),
        phone: " ".into(),
    });
    let v = validate(&r, intake());
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert_eq!(
        fields(&v.warnings),
        [("applicant.guardian", "guardian_missing")]
    );

    // A phone without a name is a guardian who can be reached: nothing to say.
    r.applicant.guardian = Some(Guardian {
        name: String::new(),
        phone: "13912345678".into(),
    });
    let v = validate(&r, intake());
    assert!(v.errors.is_empty() && v.warnings.is_empty(), "{v:?}");

    // What is given is still checked.
    r.applicant.guardian = Some(Guardian {
        name: "李四".into(),
        phone: "12345".into(),
    });
    let v = validate(&r, intake());
    assert_eq!(
        fields(&v.errors),
        [("applicant.guardian.phone", "phone_invalid")]
    );
}

/// §4: a dispatch agency or general contractor given in part is kept as given.
#[test]
fn units_given_in_part_are_not_errors() {
    let mut r = record();
    r.applicant.groups = vec![Group::Dispatched];
    r.counterparty.industry = Some(Industry::Construction);
    r.dispute.categories.push(Category::Ld04);
    let code_only = Unit {
        name: String::new(),
        credit_code: Some("91350100MA8RT2KX2E".into()),
    };
    r.counterparty.dispatch_agency = Some(code_only.clone());
    r.counterparty.general_contractor = Some(Unit {
        name: "某建设集团有限公司".into(),
        credit_code: None,
    });
    let v = validate(&r, intake());
    assert!(v.errors.is_empty() && v.warnings.is_empty(), "{v:?}");

    // A unit with nothing in it names no one: that is the missing unit.
    r.counterparty.dispatch_agency = Some(Unit {
        name: "  ".into(),
        credit_code: Some(String::new()),
    });
    r.counterparty.general_contractor = None;
    let v = validate(&r, intake());
    let w = fields(&v.warnings);
    assert!(
        w.contains(&("counterparty.dispatch_agency", "dispatch_agency_missing"))
            && w.contains(&(
                "counterparty.general_contractor",
                "general_contractor_missing"
            )),
        "{w:?}"
    );
}

/// §4: warnings are reported on blocked records too.
#[test]
fn a_blocked_record_still_reports_its_warnings() {
    let mut r = record();
    r.applicant.phone = "2381234567".into();
    r.applicant.groups = vec![Group::Dispatched];
    r.counterparty.industry = Some(Industry::Construction);
    r.dispute.categories.push(Category::Ld04);
    let decision = crate::domain::classify(
        &r,
        &crate::domain::SiteSettings::default(),
        crate::domain::testing::at("2025-03-10"),
    );
    assert_eq!(decision.status, crate::domain::Status::Blocked);
    let w = fields(&decision.warnings);
    assert!(
        w.contains(&("counterparty.dispatch_agency", "dispatch_agency_missing"))
            && w.contains(&(
                "counterparty.general_contractor",
                "general_contractor_missing"
            )),
        "{w:?}"
    );
}

/// §4: a claim's own `known_on` before `started_on` warns at the claim.
#[test]
fn a_claims_known_on_before_the_start_warns_at_the_claim() {
    let mut r = record();
    r.dispute.claims[0].known_on = Some(d("2021-02-28").into());
    let v = validate(&r, intake());
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert_eq!(
        fields(&v.warnings),
        [("dispute.claims[0].known_on", "known_before_started")]
    );
    r.dispute.claims[0].known_on = Some(d("2021-03-01").into());
    assert!(validate(&r, intake()).warnings.is_empty(), "same day");
}

#[test]
fn a_claim_without_a_category_is_required_at_its_path() {
    let mut r = record();
    r.dispute.claims.push(Claim {
        category: None,
        amount: Some(AmountInput::parse("12.345")),
        known_on: None,
    });
    let v = validate(&r, intake());
    assert_eq!(
        fields(&v.errors),
        [
            ("dispute.claims[1].category", "required"),
            ("dispute.claims[1].amount", "amount_decimals")
        ]
    );
}

type Setter = fn(&mut IntakeRecord, String);

/// Every text field of the record, by path, with a setter.
fn text_fields() -> Vec<(&'static str, Setter)> {
    vec![
        ("applicant.name", |r, t| r.applicant.name = t),
        ("applicant.id_number", |r, t| r.applicant.id_number = t),
        ("applicant.phone", |r, t| r.applicant.phone = t),
        ("applicant.guardian.name", |r, t| {
            r.applicant
                .guardian
                .get_or_insert_with(Guardian::default)
                .name = t
        }),
        ("applicant.guardian.phone", |r, t| {
            r.applicant
                .guardian
                .get_or_insert_with(Guardian::default)
                .phone = t
        }),
        ("counterparty.name", |r, t| r.counterparty.name = t),
        ("counterparty.credit_code", |r, t| {
            r.counterparty.credit_code = Some(t)
        }),
        ("counterparty.address", |r, t| {
            r.counterparty.address = Some(t)
        }),
        ("counterparty.region", |r, t| {
            r.counterparty.region = Some(t)
        }),
        ("counterparty.dispatch_agency.name", |r, t| {
            r.counterparty
                .dispatch_agency
                .get_or_insert_with(Unit::default)
                .name = t
        }),
        ("counterparty.dispatch_agency.credit_code", |r, t| {
            r.counterparty
                .dispatch_agency
                .get_or_insert_with(Unit::default)
                .credit_code = Some(t)
        }),
        ("counterparty.general_contractor.name", |r, t| {
            r.counterparty
                .general_contractor
                .get_or_insert_with(Unit::default)
                .name = t
        }),
        ("counterparty.general_contractor.credit_code", |r, t| {
            r.counterparty
                .general_contractor
                .get_or_insert_with(Unit::default)
                .credit_code = Some(t)
        }),
        ("employment.work_region", |r, t| {
            r.employment.work_region = Some(t)
        }),
        ("dispute.narrative", |r, t| r.dispute.narrative = Some(t)),
    ]
}

/// §4: no C0, DEL or C1 control character in any text field, sub-tables included.
#[test]
fn control_characters_are_errors_in_every_text_field() {
    for (field, set) in text_fields() {
        for control in ['\u{7}', '\u{7f}', '\u{85}', '\u{9b}'] {
            let mut r = record();
            set(&mut r, format!("4101{control}05"));
            let v = validate(&r, intake());
            assert!(
                fields(&v.errors).contains(&(field, "control_chars")),
                "{field} {control:?}: {:?}",
                v.errors
            );
            // One problem for one cause: no format error on top of it.
            assert_eq!(v.at(field).count(), 1, "{field}: {v:?}");
        }
    }
}

/// §4: every name ≤ 50, address ≤ 200, narrative ≤ 2000 characters (not bytes).
#[test]
fn length_limits_count_characters() {
    for (field, max) in [
        ("applicant.name", NAME_MAX_CHARS),
        ("applicant.guardian.name", NAME_MAX_CHARS),
        ("counterparty.name", NAME_MAX_CHARS),
        ("counterparty.dispatch_agency.name", NAME_MAX_CHARS),
        ("counterparty.general_contractor.name", NAME_MAX_CHARS),
        ("counterparty.address", ADDRESS_MAX_CHARS),
        ("dispute.narrative", NARRATIVE_MAX_CHARS),
    ] {
        let (_, set) = text_fields()
            .into_iter()
            .find(|(f, _)| *f == field)
            .expect("a text field");
        let mut r = record();
        set(&mut r, "郑".repeat(max));
        assert_eq!(validate(&r, intake()).at(field).count(), 0, "{field}");
        set(&mut r, "郑".repeat(max + 1));
        let v = validate(&r, intake());
        assert_eq!(fields(&v.errors), [(field, "too_long")], "{field}");
    }
}

/// §2: text is trimmed; a value empty after trimming is absent.
#[test]
fn empty_text_is_absent() {
    let mut r = record();
    r.counterparty.credit_code = Some(String::new());
    r.counterparty.region = Some(" ".into());
    r.dispute.narrative = Some("\u{3000}".into());
    let v = validate(&r, intake());
    assert!(v.errors.is_empty() && v.warnings.is_empty(), "{v:?}");

    r.applicant.name = "   ".into();
    r.applicant.phone = "\t".into();
    r.dispute.known_on = Some(DateInput::Invalid("  ".into()));
    let v = validate(&r, intake());
    assert_eq!(
        fields(&v.errors),
        [
            ("applicant.name", "required"),
            ("applicant.phone", "required"),
            ("dispute.known_on", "required")
        ]
    );
}

/// §2: ID numbers, phones, credit codes, region codes and dates are NFKC-normalised.
#[test]
fn full_width_digits_are_accepted() {
    let mut r = record();
    r.applicant.id_number = "４１０１０５１９９００３０７１５８ｘ".into();
    r.applicant.phone = "１３８１２３４５６７８".into();
    r.counterparty.credit_code = Some("９１３５０１００ＭＡ８ＲＴ２ＫＸ２Ｅ".into());
    r.counterparty.region = Some("４１０１０５".into());
    r.employment.work_region = Some(" ４１０１０５ ".into());
    r.dispute.known_on = Some(DateInput::parse("２０２５－０２－２０"));
    r.dispute.claims[0].amount = Some(AmountInput::parse("９，０００"));
    let v = validate(&r, intake());
    assert!(v.errors.is_empty() && v.warnings.is_empty(), "{v:?}");
    assert_eq!(
        r.normalized().applicant.id_number,
        "41010519900307158X",
        "stored upper"
    );

    let mut r = record();
    r.applicant.id_type = IdType::HkmoPass;
    r.applicant.id_number = "Ｈ１２３４５６７８".into();
    r.applicant.birth_date = Some(DateInput::parse("１９９００３０７"));
    let v = validate(&r, intake());
    assert!(v.errors.is_empty(), "{:?}", v.errors);
}

fn read(field: &str, code: &str) -> Problem {
    Problem {
        field: field.into(),
        code: code.into(),
        message: String::new(),
    }
}

/// A value the file gave but that could not be read is named once, by the read problem.
#[test]
fn read_problems_come_first_and_are_not_repeated() {
    let mut r = record();
    r.applicant.name = String::new();
    r.dispute.categories.clear();
    r.dispute.claims[0].category = None;
    let problems = [
        read("applicant.name", "wrong_type"),
        read("dispute.categories[0]", "unknown_value"),
        read("dispute.claims[0].category", "unknown_value"),
    ];
    let v = validate_read(&r.normalized(), intake(), &problems);
    assert_eq!(
        fields(&v.errors),
        [
            ("applicant.name", "wrong_type"),
            ("dispute.categories[0]", "unknown_value"),
            ("dispute.claims[0].category", "unknown_value"),
        ]
    );
}

/// A table or list item that is not a table: what it would have held is not required again.
#[test]
fn a_table_that_could_not_be_read_hides_its_required_fields() {
    let mut r = record();
    r.dispute.claims[0] = Claim {
        category: None,
        amount: None,
        known_on: None,
    };
    r.applicant = Default::default();
    let problems = [
        read("applicant", "wrong_type"),
        read("dispute.claims[0]", "wrong_type"),
    ];
    let v = validate_read(&r.normalized(), intake(), &problems);
    assert_eq!(fields(&v.errors), fields(&problems));

    let v = validate_read(
        &IntakeRecord::default(),
        intake(),
        &[read("", "wrong_type")],
    );
    assert_eq!(
        fields(&v.errors),
        [("", "wrong_type")],
        "the file is not a record"
    );
}

/// A check against a value that could not be read would be a guess.
#[test]
fn checks_that_depend_on_an_unread_value_are_not_made() {
    let mut r = record();
    // A passport number read against the default id_type would be a bad resident ID.
    r.applicant.id_number = "E12345678".into();
    r.counterparty.credit_code = Some("92410184L7D3HQ2W86".into());
    r.counterparty.kind = CounterpartyKind::Household;
    let problems = [
        read("applicant.id_type", "unknown_value"),
        read("counterparty.kind", "wrong_type"),
    ];
    let v = validate_read(&r.normalized(), intake(), &problems);
    assert_eq!(fields(&v.errors), fields(&problems));
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
}
