//! The report files open where managers open them: XLSX read back by a spreadsheet library with
//! Chinese headers and the right figures; CSV with a BOM and escaped fields.

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use onewindow::app::report_files::{Format, render};
use onewindow::config::Lang;
use onewindow::domain::employer::EmployerKey;
use onewindow::domain::stats::{CaseRow, ServiceRow, report};
use onewindow::domain::{Category, Outcome, Route};
use std::io::Cursor;

fn data() -> onewindow::domain::stats::Report {
    let case = |cat, route, outcome, employer: &str| CaseRow {
        categories: vec![cat],
        route: Some(route),
        flags: vec![],
        groups: vec![],
        outcome,
        employer: EmployerKey::of(employer, None),
        employer_name: employer.into(),
    };
    report(
        &[
            case(
                Category::Ld04,
                Route::LaborMediation,
                Some(Outcome::Mediated),
                "=甲,公司",
            ),
            case(
                Category::Ld04,
                Route::LaborMediation,
                Some(Outcome::NotMediated),
                "=甲,公司",
            ),
            case(Category::Ld03, Route::Arbitration, None, "乙公司"),
            case(
                Category::Ld04,
                Route::LaborMediation,
                Some(Outcome::Mediated),
                "丙公司",
            ),
        ],
        &[ServiceRow {
            window: "1".into(),
            clerk: "1001".into(),
            wait_secs: Some(90),
            service_secs: Some(600),
        }],
        &[],
    )
}

fn period() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2025, 3, 1).expect("d"),
        NaiveDate::from_ymd_opt(2025, 3, 31).expect("d"),
    )
}

#[test]
fn xlsx_reads_back_with_chinese_headers_and_figures() {
    let (from, to) = period();
    let bytes = render(&data(), from, to, "金水区调解中心", Lang::Zh, Format::Xlsx).expect("xlsx");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("opens as xlsx");
    let names = wb.sheet_names();
    assert!(
        names.contains(&"概况".to_string()) && names.contains(&"争议类别".to_string()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"同比环比".to_string()),
        "statistics alone have no periods to compare: {names:?}"
    );
    let summary = wb.worksheet_range("概况").expect("summary sheet");
    let rows: Vec<Vec<Data>> = summary.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][0], Data::String("指标".into()));
    let find = |label: &str| {
        rows.iter()
            .find(|r| r[0] == Data::String(label.into()))
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("{label} missing"))
    };
    assert_eq!(find("登记案件数"), Data::Float(4.0));
    assert_eq!(find("调解成功率"), Data::Float(2.0 / 3.0));
    assert_eq!(find("调解分流占比"), Data::Float(0.75));
    assert_eq!(find("单位"), Data::String("金水区调解中心".into()));
    let cats = wb.worksheet_range("争议类别").expect("categories");
    let cat_rows: Vec<Vec<Data>> = cats.rows().map(|r| r.to_vec()).collect();
    assert!(
        // The count and its share of the cases (a number cell with a percent format).
        cat_rows.contains(&vec![
            Data::String("LD04 劳动报酬".into()),
            Data::Float(3.0),
            Data::Float(0.75)
        ]),
        "{cat_rows:?}"
    );
}

#[test]
fn csv_has_a_bom_and_never_lets_a_spreadsheet_run_a_name() {
    let (from, to) = period();
    let bytes = render(&data(), from, to, "中心", Lang::Zh, Format::Csv).expect("csv");
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()));
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.contains("登记案件数,4\r\n"), "{text}");
    assert!(
        text.contains("\"'=甲,公司\",2"),
        "formula-looking name quoted and escaped: {text}"
    );
}

#[test]
fn json_and_english_labels() {
    let (from, to) = period();
    let bytes = render(&data(), from, to, "x", Lang::En, Format::Json).expect("json");
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(v["report"]["cases"], 4);
    assert_eq!(v["from"], "2025-03-01");
    let csv =
        String::from_utf8(render(&data(), from, to, "x", Lang::En, Format::Csv).expect("csv"))
            .expect("utf8");
    assert!(csv.contains("Cases registered,4"), "{csv}");
}

/// English files are English throughout: every title, head and label (category groups and queue
/// states included) comes from a catalogue; only what people typed (employer names) stays as it is.
#[test]
fn english_files_have_no_chinese_but_the_data() {
    let (from, to) = period();
    let csv =
        String::from_utf8(render(&data(), from, to, "x", Lang::En, Format::Csv).expect("csv"))
            .expect("utf8");
    assert!(
        csv.contains("Category groups\r\nGroup,Cases,Share\r\nPay,3,75.0%\r\n"),
        "{csv}"
    );
    assert!(csv.contains("Dismissal and termination,1,25.0%"), "{csv}");
    assert!(csv.contains("Unfinished: Waiting,0"), "{csv}");
    // The employer names as the CSV writes them (quoted, the formula sign escaped).
    let typed = ["\"'=甲,公司\"", "乙公司", "丙公司"];
    let rest = typed
        .iter()
        .fold(csv.clone(), |s, name| s.replace(name, ""));
    let chinese: Vec<&str> = rest
        .lines()
        .filter(|l| {
            l.chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '：')
        })
        .collect();
    assert!(
        chinese.is_empty(),
        "Chinese left in English CSV: {chinese:?}"
    );

    let zh = String::from_utf8(render(&data(), from, to, "x", Lang::Zh, Format::Csv).expect("csv"))
        .expect("utf8");
    assert!(
        zh.contains("统计分组\r\n分组,案件数,占比\r\n劳动报酬,3,75.0%\r\n"),
        "{zh}"
    );
    assert!(zh.contains("未办结：等候,0"), "{zh}");
}
