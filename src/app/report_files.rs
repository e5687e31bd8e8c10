//! The report as files a centre files upward: CSV (UTF-8 with a BOM so Excel/WPS read the
//! Chinese), XLSX, or JSON. The figures come from `domain::stats` and `domain::report_filing`;
//! this only lays them out. Times are in minutes and shares in percent everywhere a person
//! reads them. The XLSX has real number cells with number formats (counts `#,##0`, minutes
//! `0.0`, shares `0.0%`), real date cells, window numbers as numbers, a frozen header row on
//! every sheet, and native charts (intakes per day by route, outcome shares, hourly load) that
//! WPS and Excel draw and print themselves (written in `report_xlsx`).

pub use super::report_xlsx::{COUNT_FORMAT, DATE_FORMAT, MINUTES_FORMAT, PERCENT_FORMAT};

use crate::config::Lang;
use crate::domain::codes::{Also, Code, Flag, ReferralTo, TicketState};
use crate::domain::report_filing::{Filing, Headline, change, minutes, ratio};
use crate::domain::stats::{Report, Workload};
use crate::domain::{Category, Group, Outcome, Route};
use chrono::NaiveDate;
use rust_xlsxwriter::ChartType;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// Everything the filed report holds: the monthly statistics, the filing figures, and the
/// headline figures of the two periods it is compared with.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FiledReport {
    pub report: Report,
    pub filing: Filing,
    pub current: Headline,
    pub previous: Headline,
    pub last_year: Headline,
}

impl FiledReport {
    /// The statistics alone (no filing figures, no comparison), as the dashboard's quick
    /// export makes them.
    pub fn of(report: Report) -> FiledReport {
        FiledReport {
            report,
            ..FiledReport::default()
        }
    }
}

/// A sheet of the report: a title, a header row, rows of cells, and the charts drawn from it.
pub(super) struct Sheet {
    pub(super) title: &'static str,
    pub(super) header: Vec<&'static str>,
    pub(super) rows: Vec<Vec<Cell>>,
    pub(super) charts: Vec<ChartSpec>,
}

impl Sheet {
    fn new(title: &'static str, header: Vec<&'static str>, rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet {
            title,
            header,
            rows,
            charts: vec![],
        }
    }
}

/// A chart over a sheet's rows: categories from one column, one series per value column.
pub(super) struct ChartSpec {
    pub(super) kind: ChartType,
    pub(super) title: &'static str,
    pub(super) categories: u16,
    pub(super) values: Vec<u16>,
}

pub(super) enum Cell {
    Text(String),
    /// A count (also a window number): a whole number.
    Int(i64),
    /// A duration in minutes.
    Minutes(f64),
    /// A share, 0.25 = 25 %.
    Percent(f64),
    Date(NaiveDate),
    Empty,
}

fn t(zh: &'static str, en: &'static str, lang: Lang) -> &'static str {
    lang.pick(zh, en)
}

fn int(n: u64) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn pct(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Percent)
}

fn mins(secs: Option<f64>) -> Cell {
    secs.map_or(Cell::Empty, |s| Cell::Minutes(minutes(s)))
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// The label of a stored code in `lang`; an unknown code is shown as stored.
fn label_of<T: Code>(code: &str, lang: Lang) -> String {
    T::from_code(code).map_or_else(|| code.to_string(), |v| v.label(lang).to_string())
}

fn summary(r: &FiledReport, from: NaiveDate, to: NaiveDate, site: &str, lang: Lang) -> Sheet {
    let (s, f) = (&r.report, &r.filing);
    let unfinished: u64 = f.unfinished.values().sum();
    let row = |zh, en, v| vec![text(t(zh, en, lang)), v];
    Sheet::new(
        t("概况", "Summary", lang),
        vec![t("指标", "Figure", lang), t("数值", "Value", lang)],
        vec![
            row("单位", "Site", text(site)),
            row("统计起始日", "From", Cell::Date(from)),
            row("统计截止日", "To", Cell::Date(to)),
            row("登记案件数", "Cases registered", int(s.cases)),
            row(
                "调解成功率",
                "Mediation success rate",
                pct(s.mediation_success_rate),
            ),
            row(
                "调解分流占比",
                "Share routed to mediation",
                pct(s.mediation_share),
            ),
            row("服务人次", "Tickets served", int(s.waits.served)),
            row(
                "平均等候（分钟）",
                "Mean wait (min)",
                mins(s.waits.mean_secs),
            ),
            row(
                "等候中位数（分钟）",
                "Median wait (min)",
                mins(s.waits.median_secs),
            ),
            row(
                "等候第90百分位（分钟）",
                "90th percentile wait (min)",
                mins(s.waits.p90_secs),
            ),
            row("过号（未到）", "No-shows", int(f.no_shows)),
            row("未办结排队号", "Unfinished tickets", int(unfinished)),
            row("集体争议", "Collective disputes", int(s.collective)),
            row("重大集体争议", "Major collective disputes", int(s.major)),
            row(
                "回访完成率",
                "Follow-up completion",
                pct(f.followup.completion_rate),
            ),
        ],
    )
}

fn comparison(r: &FiledReport, lang: Lang) -> Sheet {
    let (c, p, y) = (&r.current, &r.previous, &r.last_year);
    let counted = |zh, en, get: fn(&Headline) -> u64| {
        let now = get(c) as f64;
        vec![
            text(t(zh, en, lang)),
            int(get(c)),
            int(get(p)),
            pct(change(now, get(p) as f64)),
            int(get(y)),
            pct(change(now, get(y) as f64)),
        ]
    };
    let rate = |zh, en, get: fn(&Headline) -> Option<f64>, cell: fn(Option<f64>) -> Cell| {
        let diff = |b: Option<f64>| match (get(c), b) {
            (Some(a), Some(b)) => change(a, b),
            _ => None,
        };
        vec![
            text(t(zh, en, lang)),
            cell(get(c)),
            cell(get(p)),
            pct(diff(get(p))),
            cell(get(y)),
            pct(diff(get(y))),
        ]
    };
    let minutes_cell = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Minutes);
    let mut rows = vec![
        vec![
            text(t("起始日", "From", lang)),
            Cell::Date(c.from),
            Cell::Date(p.from),
            Cell::Empty,
            Cell::Date(y.from),
            Cell::Empty,
        ],
        vec![
            text(t("截止日", "To", lang)),
            Cell::Date(c.to),
            Cell::Date(p.to),
            Cell::Empty,
            Cell::Date(y.to),
            Cell::Empty,
        ],
        counted("登记案件数", "Cases registered", |h| h.cases),
        counted("服务人次", "Tickets served", |h| h.served),
        counted("过号（未到）", "No-shows", |h| h.no_shows),
    ];
    rows.push(rate(
        "调解成功率",
        "Mediation success rate",
        |h| h.mediation_success_rate,
        pct,
    ));
    rows.push(rate(
        "平均等候（分钟）",
        "Mean wait (min)",
        |h| h.mean_wait_minutes,
        minutes_cell,
    ));
    Sheet::new(
        t("同比环比", "Comparison", lang),
        vec![
            t("指标", "Figure", lang),
            t("本期", "This period", lang),
            t("上期", "Previous period", lang),
            t("环比", "Change", lang),
            t("去年同期", "Same period last year", lang),
            t("同比", "Change", lang),
        ],
        rows,
    )
}

/// Counts per code with their share of `whole`, most first.
fn shares<T: Code>(
    title: &'static str,
    head: &'static str,
    map: &BTreeMap<String, u64>,
    whole: u64,
    lang: Lang,
) -> Sheet {
    shares_named(title, head, map, whole, lang, &|k| label_of::<T>(k, lang))
}

/// Counts for every code of the vocabulary in the reference's order, zeros included: a form
/// filed upward has a line for each (legal aid, union…; every flag) whether or not it occurred.
fn listed<T: Code>(
    title: &'static str,
    head: &'static str,
    map: &BTreeMap<String, u64>,
    whole: u64,
    lang: Lang,
) -> Sheet {
    Sheet::new(
        title,
        vec![head, t("案件数", "Cases", lang), t("占比", "Share", lang)],
        T::ALL
            .iter()
            .map(|v| {
                let n = map.get(v.code()).copied().unwrap_or(0);
                vec![text(v.label(lang)), int(n), pct(ratio(n, whole))]
            })
            .collect(),
    )
}

fn shares_named(
    title: &'static str,
    head: &'static str,
    map: &BTreeMap<String, u64>,
    whole: u64,
    lang: Lang,
    name: &dyn Fn(&str) -> String,
) -> Sheet {
    let mut v: Vec<(&String, &u64)> = map.iter().filter(|(_, n)| **n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    Sheet::new(
        title,
        vec![head, t("案件数", "Cases", lang), t("占比", "Share", lang)],
        v.into_iter()
            .map(|(k, n)| vec![Cell::Text(name(k)), int(*n), pct(ratio(*n, whole))])
            .collect(),
    )
}

fn daily(f: &Filing, lang: Lang) -> Sheet {
    let mut header = vec![t("日期", "Date", lang), t("登记案件数", "Cases", lang)];
    let routes: Vec<Route> = Route::ALL.to_vec();
    header.extend(routes.iter().map(|r| r.label(lang)));
    header.extend([
        t("服务人次", "Served", lang),
        t("过号", "No-shows", lang),
        t("平均等候（分钟）", "Mean wait (min)", lang),
    ]);
    let rows = f
        .daily
        .iter()
        .map(|d| {
            let mut row = vec![Cell::Date(d.day), int(d.cases)];
            row.extend(
                routes
                    .iter()
                    .map(|r| int(d.by_route.get(r.code()).copied().unwrap_or(0))),
            );
            row.extend([
                int(d.served),
                int(d.no_shows),
                d.mean_wait_minutes.map_or(Cell::Empty, Cell::Minutes),
            ]);
            row
        })
        .collect();
    let mut sheet = Sheet::new(t("每日", "Daily", lang), header, rows);
    sheet.charts.push(ChartSpec {
        kind: ChartType::ColumnStacked,
        title: t("每日登记（按去向）", "Intakes per day by route", lang),
        categories: 0,
        values: (2..2 + routes.len() as u16).collect(),
    });
    sheet
}

fn outcomes(r: &Report, lang: Lang) -> Sheet {
    let whole: u64 = r.by_outcome.values().sum();
    let mut sheet = shares::<Outcome>(
        t("办理结果", "Outcomes", lang),
        t("结果", "Outcome", lang),
        &r.by_outcome,
        whole,
        lang,
    );
    sheet.charts.push(ChartSpec {
        kind: ChartType::Pie,
        title: t("办理结果占比", "Outcome shares", lang),
        categories: 0,
        values: vec![1],
    });
    sheet
}

fn hourly(f: &Filing, lang: Lang) -> Sheet {
    let rows = f
        .hourly
        .iter()
        .enumerate()
        .map(|(h, n)| vec![Cell::Text(format!("{h:02}:00")), int(*n)])
        .collect();
    let mut sheet = Sheet::new(
        t("时段", "Hours", lang),
        vec![t("时段", "Hour", lang), t("登记案件数", "Cases", lang)],
        rows,
    );
    sheet.charts.push(ChartSpec {
        kind: ChartType::Column,
        title: t("分时段登记量", "Hourly load", lang),
        categories: 0,
        values: vec![1],
    });
    sheet
}

fn workload(
    title: &'static str,
    head: &'static str,
    served: &BTreeMap<String, Workload>,
    intakes: &BTreeMap<String, u64>,
    lang: Lang,
) -> Sheet {
    let mut keys: Vec<&String> = served.keys().chain(intakes.keys()).collect();
    keys.sort_by(|a, b| {
        (a.parse::<i64>().ok(), a.as_str()).cmp(&(b.parse::<i64>().ok(), b.as_str()))
    });
    keys.dedup();
    let rows = keys
        .into_iter()
        .map(|k| {
            let w = served.get(k).cloned().unwrap_or_default();
            // A window number is a number (sorts and sums as one); a staff number stays text
            // (it may have leading zeros or letters).
            let key = match k.parse::<i64>() {
                Ok(n) if head == t("窗口", "Window", lang) => Cell::Int(n),
                _ => Cell::Text(k.clone()),
            };
            vec![
                key,
                int(intakes.get(k).copied().unwrap_or(0)),
                int(w.served),
                mins(w.mean_service_secs),
                Cell::Minutes(minutes(w.idle_secs as f64)),
            ]
        })
        .collect();
    Sheet::new(
        title,
        vec![
            head,
            t("登记案件数", "Intakes", lang),
            t("服务人次", "Served", lang),
            t("平均服务时长（分钟）", "Mean service (min)", lang),
            t("空闲时长（分钟）", "Idle (min)", lang),
        ],
        rows,
    )
}

fn queue(f: &Filing, lang: Lang) -> Sheet {
    let mut rows = vec![vec![
        text(t("过号（未到）", "No-show", lang)),
        int(f.no_shows),
    ]];
    for state in [
        TicketState::Waiting,
        TicketState::Called,
        TicketState::Serving,
    ] {
        rows.push(vec![
            Cell::Text(format!(
                "{}：{}",
                t("未办结", "Unfinished", lang),
                state.label(lang)
            )),
            int(f.unfinished.get(state.code()).copied().unwrap_or(0)),
        ]);
    }
    Sheet::new(
        t("排队", "Queue", lang),
        vec![t("排队号", "Tickets", lang), t("数量", "Count", lang)],
        rows,
    )
}

fn followup(f: &Filing, lang: Lang) -> Sheet {
    use crate::domain::followup::FollowUpContact;
    let u = &f.followup;
    let row = |zh, en, v| vec![text(t(zh, en, lang)), v];
    let mut rows = vec![
        row("应回访案件", "Cases to follow up", int(u.cases)),
        row("已完成回访", "Follow-ups completed", int(u.completed)),
        row("回访完成率", "Completion rate", pct(u.completion_rate)),
    ];
    for c in FollowUpContact::ALL {
        rows.push(vec![
            Cell::Text(format!(
                "{}：{}",
                t("回访结果", "Calls", lang),
                c.label(lang)
            )),
            int(u.calls.get(c.code()).copied().unwrap_or(0)),
        ]);
    }
    if let Some(n) = u.calls.get("recorded") {
        rows.push(row(
            "回访结果：已回访（旧记录）",
            "Calls: recorded (free text)",
            int(*n),
        ));
    }
    rows.extend([
        row("满意", "Satisfied", int(u.satisfied)),
        row("不满意", "Not satisfied", int(u.not_satisfied)),
        row("满意率", "Satisfaction rate", pct(u.satisfaction_rate)),
    ]);
    Sheet::new(
        t("回访", "Follow-up", lang),
        vec![t("指标", "Figure", lang), t("数值", "Value", lang)],
        rows,
    )
}

fn sheets(r: &FiledReport, from: NaiveDate, to: NaiveDate, site: &str, lang: Lang) -> Vec<Sheet> {
    let (s, f) = (&r.report, &r.filing);
    let routed: u64 = s.by_route.values().sum();
    let windows: BTreeMap<String, u64> = f
        .intakes_per_window
        .iter()
        .map(|(w, n)| (w.map_or_else(|| "—".to_string(), |w| w.to_string()), *n))
        .collect();
    let clerks: BTreeMap<String, u64> = f
        .intakes_per_clerk
        .iter()
        .map(|(c, n)| (c.clone().unwrap_or_else(|| "—".to_string()), *n))
        .collect();
    let group_sheet = Sheet::new(
        t("统计分组", "Category groups", lang),
        vec![
            t("分组", "Group", lang),
            t("案件数", "Cases", lang),
            t("占比", "Share", lang),
        ],
        s.by_category_group
            .iter()
            .map(|(g, n)| vec![text(g), int(*n), pct(ratio(*n, s.cases))])
            .collect(),
    );
    let mut out = vec![summary(r, from, to, site, lang)];
    // The statistics alone (the dashboard's quick export) have no periods to compare with.
    if r.previous != Headline::default() {
        out.push(comparison(r, lang));
    }
    out.extend([
        daily(f, lang),
        // Categories keep their code beside the name (LD04 劳动报酬): forms filed upward use it.
        shares_named(
            t("争议类别", "Categories", lang),
            t("类别", "Category", lang),
            &s.by_category,
            s.cases,
            lang,
            &|k| format!("{k} {}", label_of::<Category>(k, lang)),
        ),
        group_sheet,
        shares::<Route>(
            t("分流去向", "Routes", lang),
            t("去向", "Route", lang),
            &s.by_route,
            routed,
            lang,
        ),
        outcomes(s, lang),
        listed::<Also>(
            t("指引事项", "Pointers", lang),
            t("事项", "Step", lang),
            &f.also,
            s.cases,
            lang,
        ),
        listed::<ReferralTo>(
            t("转介去向", "Referral destinations", lang),
            t("转介至", "Referred to", lang),
            &f.referral_to,
            f.referral_to.values().sum(),
            lang,
        ),
        listed::<Flag>(
            t("标记", "Flags", lang),
            t("标记", "Flag", lang),
            &f.flags,
            s.cases,
            lang,
        ),
        listed::<Group>(
            t("重点群体", "Key groups", lang),
            t("群体", "Group", lang),
            &s.key_groups,
            s.cases,
            lang,
        ),
        workload(
            t("窗口工作量", "Windows", lang),
            t("窗口", "Window", lang),
            &s.per_window,
            &windows,
            lang,
        ),
        workload(
            t("人员工作量", "Clerks", lang),
            t("工号", "Staff no.", lang),
            &s.per_clerk,
            &clerks,
            lang,
        ),
        queue(f, lang),
        followup(f, lang),
        hourly(f, lang),
        Sheet::new(
            t("重复被申请人", "Repeat respondents", lang),
            vec![t("用人单位", "Employer", lang), t("案件数", "Cases", lang)],
            s.repeat_respondents
                .iter()
                .map(|(n, c)| vec![Cell::Text(n.clone()), int(*c)])
                .collect(),
        ),
    ]);
    out
}

/// Renders the monthly statistics alone (no filing figures, no comparison).
pub fn render(
    r: &Report,
    from: NaiveDate,
    to: NaiveDate,
    site: &str,
    lang: Lang,
    format: Format,
) -> anyhow::Result<Vec<u8>> {
    render_filed(&FiledReport::of(r.clone()), from, to, site, lang, format)
}

/// Renders the filed report in the chosen format.
pub fn render_filed(
    r: &FiledReport,
    from: NaiveDate,
    to: NaiveDate,
    site: &str,
    lang: Lang,
    format: Format,
) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "site": site, "from": from, "to": to,
                "report": r.report,
                "minutes": {
                    "mean_wait": r.report.waits.mean_secs.map(minutes),
                    "median_wait": r.report.waits.median_secs.map(minutes),
                    "p90_wait": r.report.waits.p90_secs.map(minutes),
                },
                "filing": r.filing,
                "comparison": {
                    "current": r.current, "previous": r.previous, "last_year": r.last_year,
                },
            });
            Ok(serde_json::to_vec_pretty(&v)?)
        }
        Format::Csv => Ok(csv(&sheets(r, from, to, site, lang))),
        Format::Xlsx => super::report_xlsx::xlsx(&sheets(r, from, to, site, lang)),
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
                    Cell::Int(n) => n.to_string(),
                    Cell::Minutes(m) => format!("{m:.1}"),
                    Cell::Percent(p) => format!("{:.1}%", p * 100.0),
                    Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
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
