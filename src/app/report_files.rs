//! The monthly report as files: CSV (UTF-8 with a BOM so Excel/WPS read the Chinese), XLSX with
//! Chinese headers, or JSON. The figures come from `domain::stats`; this only lays them out.

use crate::config::Lang;
use crate::domain::stats::{Report, Workload};
use crate::domain::{Category, Group, Outcome, Route};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format as XlsxFormat, Workbook};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A sheet of the report: a title and rows of cells.
struct Sheet {
    title: &'static str,
    header: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn t(zh: &'static str, en: &'static str, lang: Lang) -> &'static str {
    lang.pick(zh, en)
}

fn opt(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Number)
}

fn label<T: Copy>(
    code: &str,
    from: fn(&str) -> Option<T>,
    zh: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
    lang: Lang,
) -> String {
    match from(code) {
        Some(v) => match lang {
            Lang::Zh => zh(v).to_string(),
            Lang::En => en(v).to_string(),
        },
        None => code.to_string(),
    }
}

fn sheets(r: &Report, from: NaiveDate, to: NaiveDate, site: &str, lang: Lang) -> Vec<Sheet> {
    let num = |n: u64| Cell::Number(n as f64);
    let text = |s: &str| Cell::Text(s.to_string());
    let summary = Sheet {
        title: t("概况", "Summary", lang),
        header: vec![t("指标", "Figure", lang), t("数值", "Value", lang)],
        rows: vec![
            vec![text(t("单位", "Site", lang)), text(site)],
            vec![
                text(t("统计期间", "Period", lang)),
                text(&format!("{from} – {to}")),
            ],
            vec![
                text(t("登记案件数", "Cases registered", lang)),
                num(r.cases),
            ],
            vec![
                text(t("调解成功率", "Mediation success rate", lang)),
                opt(r.mediation_success_rate),
            ],
            vec![
                text(t("调解分流占比", "Share routed to mediation", lang)),
                opt(r.mediation_share),
            ],
            vec![
                text(t("服务人次", "Tickets served", lang)),
                num(r.waits.served),
            ],
            vec![
                text(t("平均等候（秒）", "Mean wait (s)", lang)),
                opt(r.waits.mean_secs),
            ],
            vec![
                text(t("等候中位数（秒）", "Median wait (s)", lang)),
                opt(r.waits.median_secs),
            ],
            vec![
                text(t("等候第90百分位（秒）", "90th percentile wait (s)", lang)),
                opt(r.waits.p90_secs),
            ],
            vec![
                text(t("集体争议", "Collective disputes", lang)),
                num(r.collective),
            ],
            vec![
                text(t("重大集体争议", "Major collective disputes", lang)),
                num(r.major),
            ],
        ],
    };
    let counted = |title,
                   head: &'static str,
                   map: &std::collections::BTreeMap<String, u64>,
                   name: &dyn Fn(&str) -> String| Sheet {
        title,
        header: vec![head, t("案件数", "Cases", lang)],
        rows: map
            .iter()
            .map(|(k, v)| vec![Cell::Text(name(k)), Cell::Number(*v as f64)])
            .collect(),
    };
    let workload =
        |title, head: &'static str, map: &std::collections::BTreeMap<String, Workload>| Sheet {
            title,
            header: vec![
                head,
                t("服务人次", "Served", lang),
                t("平均服务时长（秒）", "Mean service (s)", lang),
                t("空闲时长（秒）", "Idle (s)", lang),
            ],
            rows: map
                .iter()
                .map(|(k, w)| {
                    vec![
                        Cell::Text(k.clone()),
                        Cell::Number(w.served as f64),
                        opt(w.mean_service_secs),
                        Cell::Number(w.idle_secs as f64),
                    ]
                })
                .collect(),
        };
    vec![
        summary,
        counted(
            t("争议类别", "Categories", lang),
            t("类别", "Category", lang),
            &r.by_category,
            &|c| {
                format!(
                    "{c} {}",
                    label(c, Category::from_code, Category::zh, Category::en, lang)
                )
            },
        ),
        counted(
            t("统计分组", "Category groups", lang),
            t("分组", "Group", lang),
            &r.by_category_group,
            &|g| g.to_string(),
        ),
        counted(
            t("分流去向", "Routes", lang),
            t("去向", "Route", lang),
            &r.by_route,
            &|c| label(c, Route::from_code, Route::zh, Route::en, lang),
        ),
        counted(
            t("办理结果", "Outcomes", lang),
            t("结果", "Outcome", lang),
            &r.by_outcome,
            &|c| label(c, Outcome::from_code, Outcome::zh, Outcome::en, lang),
        ),
        workload(
            t("窗口工作量", "Windows", lang),
            t("窗口", "Window", lang),
            &r.per_window,
        ),
        workload(
            t("人员工作量", "Clerks", lang),
            t("工号", "Staff no.", lang),
            &r.per_clerk,
        ),
        counted(
            t("重点群体", "Key groups", lang),
            t("群体", "Group", lang),
            &r.key_groups,
            &|c| label(c, Group::from_code, Group::zh, Group::en, lang),
        ),
        Sheet {
            title: t("重复被申请人", "Repeat respondents", lang),
            header: vec![t("用人单位", "Employer", lang), t("案件数", "Cases", lang)],
            rows: r
                .repeat_respondents
                .iter()
                .map(|(n, c)| vec![Cell::Text(n.clone()), Cell::Number(*c as f64)])
                .collect(),
        },
    ]
}

/// Renders the report in the chosen format.
pub fn render(
    r: &Report,
    from: NaiveDate,
    to: NaiveDate,
    site: &str,
    lang: Lang,
    format: Format,
) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Json => {
            let v = serde_json::json!({ "site": site, "from": from, "to": to, "report": r });
            Ok(serde_json::to_vec_pretty(&v)?)
        }
        Format::Csv => Ok(csv(&sheets(r, from, to, site, lang))),
        Format::Xlsx => xlsx(&sheets(r, from, to, site, lang)),
    }
}

fn csv_field(s: &str) -> String {
    // Formula-looking text is quoted with a leading apostrophe so a spreadsheet never runs it.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv(sheets: &[Sheet]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    for s in sheets {
        out.push_str(&csv_field(s.title));
        out.push_str("\r\n");
        out.push_str(
            &s.header
                .iter()
                .map(|h| csv_field(h))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
        for row in &s.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => csv_field(t),
                    Cell::Number(n) => format!("{n}"),
                    Cell::Empty => String::new(),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn xlsx(sheets: &[Sheet]) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = XlsxFormat::new().set_bold();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.title)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, 22)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) => {
                        ws.write(r, c as u16, t.as_str())?;
                    }
                    Cell::Number(n) => {
                        ws.write(r, c as u16, *n)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}
