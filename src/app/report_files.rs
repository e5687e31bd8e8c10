//! The report as files a centre files upward: CSV (UTF-8 with a BOM so Excel/WPS read the
//! Chinese), XLSX, or JSON. The figures come from `domain::stats` and `domain::report_filing`;
//! this only lays them out. Times are in minutes and shares in percent everywhere a person
//! reads them. The XLSX has real number cells with number formats (counts `#,##0`, minutes
//! `0.0`, shares `0.0%`), real date cells, window numbers as numbers, a frozen header row on
//! every sheet, and native charts (intakes per day by route, outcome shares, hourly load) that
//! WPS and Excel draw and print themselves (written in `report_xlsx`).

pub use super::report_xlsx::{COUNT_FORMAT, DATE_FORMAT, MINUTES_FORMAT, PERCENT_FORMAT};

use crate::config::Lang;
use crate::domain::codes::{Also, CategoryGroup, Code, Flag, ReferralTo, TicketState};
use crate::domain::report_filing::{Filing, Headline, change, minutes, ratio};
use crate::domain::stats::{Report, Workload};
use crate::domain::{Category, Group, Outcome, Route};
use crate::i18n::fill;
use crate::i18n::report::Strings;
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
    let l = Strings::get(lang);
    let (s, f) = (&r.report, &r.filing);
    let unfinished: u64 = f.unfinished.values().sum();
    let row = |label: &str, v| vec![text(label), v];
    Sheet::new(
        l.summary_sheet,
        vec![l.figure, l.value],
        vec![
            row(l.site, text(site)),
            row(l.from, Cell::Date(from)),
            row(l.to, Cell::Date(to)),
            row(l.cases_registered, int(s.cases)),
            row(l.mediation_success_rate, pct(s.mediation_success_rate)),
            row(l.mediation_share, pct(s.mediation_share)),
            row(l.tickets_served, int(s.waits.served)),
            row(l.mean_wait, mins(s.waits.mean_secs)),
            row(l.median_wait, mins(s.waits.median_secs)),
            row(l.p90_wait, mins(s.waits.p90_secs)),
            row(l.no_shows, int(f.no_shows)),
            row(l.unfinished_tickets, int(unfinished)),
            row(l.collective, int(s.collective)),
            row(l.major, int(s.major)),
            row(l.followup_completion, pct(f.followup.completion_rate)),
        ],
    )
}

fn comparison(r: &FiledReport, lang: Lang) -> Sheet {
    let l = Strings::get(lang);
    let (c, p, y) = (&r.current, &r.previous, &r.last_year);
    let counted = |label: &str, get: fn(&Headline) -> u64| {
        let now = get(c) as f64;
        vec![
            text(label),
            int(get(c)),
            int(get(p)),
            pct(change(now, get(p) as f64)),
            int(get(y)),
            pct(change(now, get(y) as f64)),
        ]
    };
    let rate = |label: &str, get: fn(&Headline) -> Option<f64>, cell: fn(Option<f64>) -> Cell| {
        let diff = |b: Option<f64>| match (get(c), b) {
            (Some(a), Some(b)) => change(a, b),
            _ => None,
        };
        vec![
            text(label),
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
            text(l.period_from),
            Cell::Date(c.from),
            Cell::Date(p.from),
            Cell::Empty,
            Cell::Date(y.from),
            Cell::Empty,
        ],
        vec![
            text(l.period_to),
            Cell::Date(c.to),
            Cell::Date(p.to),
            Cell::Empty,
            Cell::Date(y.to),
            Cell::Empty,
        ],
        counted(l.cases_registered, |h| h.cases),
        counted(l.tickets_served, |h| h.served),
        counted(l.no_shows, |h| h.no_shows),
    ];
    rows.push(rate(
        l.mediation_success_rate,
        |h| h.mediation_success_rate,
        pct,
    ));
    rows.push(rate(l.mean_wait, |h| h.mean_wait_minutes, minutes_cell));
    Sheet::new(
        l.comparison_sheet,
        vec![
            l.figure,
            l.this_period,
            l.previous_period,
            l.period_change,
            l.last_year,
            l.year_change,
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
    let l = Strings::get(lang);
    Sheet::new(
        title,
        vec![head, l.cases, l.share],
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
    let l = Strings::get(lang);
    let mut v: Vec<(&String, &u64)> = map.iter().filter(|(_, n)| **n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    Sheet::new(
        title,
        vec![head, l.cases, l.share],
        v.into_iter()
            .map(|(k, n)| vec![Cell::Text(name(k)), int(*n), pct(ratio(*n, whole))])
            .collect(),
    )
}

fn daily(f: &Filing, lang: Lang) -> Sheet {
    let l = Strings::get(lang);
    let mut header = vec![l.date, l.cases_registered_col];
    let routes: Vec<Route> = Route::ALL.to_vec();
    header.extend(routes.iter().map(|r| r.label(lang)));
    header.extend([l.served, l.no_shows_col, l.mean_wait]);
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
    let mut sheet = Sheet::new(l.daily_sheet, header, rows);
    sheet.charts.push(ChartSpec {
        kind: ChartType::ColumnStacked,
        title: l.daily_chart,
        categories: 0,
        values: (2..2 + routes.len() as u16).collect(),
    });
    sheet
}

fn outcomes(r: &Report, lang: Lang) -> Sheet {
    let l = Strings::get(lang);
    let whole: u64 = r.by_outcome.values().sum();
    let mut sheet = shares::<Outcome>(l.outcomes_sheet, l.outcome, &r.by_outcome, whole, lang);
    sheet.charts.push(ChartSpec {
        kind: ChartType::Pie,
        title: l.outcomes_chart,
        categories: 0,
        values: vec![1],
    });
    sheet
}

fn hourly(f: &Filing, lang: Lang) -> Sheet {
    let l = Strings::get(lang);
    let rows = f
        .hourly
        .iter()
        .enumerate()
        .map(|(h, n)| vec![Cell::Text(format!("{h:02}:00")), int(*n)])
        .collect();
    let mut sheet = Sheet::new(l.hours_sheet, vec![l.hour, l.cases_registered_col], rows);
    sheet.charts.push(ChartSpec {
        kind: ChartType::Column,
        title: l.hourly_chart,
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
    let l = Strings::get(lang);
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
                Ok(n) if head == l.window => Cell::Int(n),
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
        vec![head, l.intakes, l.served, l.mean_service, l.idle],
        rows,
    )
}

fn queue(f: &Filing, lang: Lang) -> Sheet {
    let l = Strings::get(lang);
    let mut rows = vec![vec![text(l.no_show), int(f.no_shows)]];
    for state in [
        TicketState::Waiting,
        TicketState::Called,
        TicketState::Serving,
    ] {
        rows.push(vec![
            Cell::Text(fill(l.unfinished_in, &[("state", state.label(lang))])),
            int(f.unfinished.get(state.code()).copied().unwrap_or(0)),
        ]);
    }
    Sheet::new(l.queue_sheet, vec![l.tickets, l.count], rows)
}

fn followup(f: &Filing, lang: Lang) -> Sheet {
    let l = Strings::get(lang);
    use crate::domain::followup::FollowUpContact;
    let u = &f.followup;
    let row = |label: &str, v| vec![text(label), v];
    let mut rows = vec![
        row(l.followup_cases, int(u.cases)),
        row(l.followup_completed, int(u.completed)),
        row(l.completion_rate, pct(u.completion_rate)),
    ];
    for c in FollowUpContact::ALL {
        rows.push(vec![
            Cell::Text(fill(l.calls_ended, &[("contact", c.label(lang))])),
            int(u.calls.get(c.code()).copied().unwrap_or(0)),
        ]);
    }
    if let Some(n) = u.calls.get("recorded") {
        rows.push(row(l.calls_recorded, int(*n)));
    }
    rows.extend([
        row(l.satisfied, int(u.satisfied)),
        row(l.not_satisfied, int(u.not_satisfied)),
        row(l.satisfaction_rate, pct(u.satisfaction_rate)),
    ]);
    Sheet::new(l.followup_sheet, vec![l.figure, l.value], rows)
}

fn sheets(r: &FiledReport, from: NaiveDate, to: NaiveDate, site: &str, lang: Lang) -> Vec<Sheet> {
    let l = Strings::get(lang);
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
    let mut out = vec![summary(r, from, to, site, lang)];
    // The statistics alone (the dashboard's quick export) have no periods to compare with.
    if r.previous != Headline::default() {
        out.push(comparison(r, lang));
    }
    out.extend([
        daily(f, lang),
        // Categories keep their code beside the name (LD04 劳动报酬): forms filed upward use it.
        shares_named(
            l.categories_sheet,
            l.category,
            &s.by_category,
            s.cases,
            lang,
            &|k| format!("{k} {}", label_of::<Category>(k, lang)),
        ),
        // Every group of §3, zeros included, in the reference's order.
        listed::<CategoryGroup>(l.groups_sheet, l.group, &s.by_category_group, s.cases, lang),
        shares::<Route>(l.routes_sheet, l.route, &s.by_route, routed, lang),
        outcomes(s, lang),
        listed::<Also>(l.pointers_sheet, l.step, &f.also, s.cases, lang),
        listed::<ReferralTo>(
            l.referrals_sheet,
            l.referred_to,
            &f.referral_to,
            f.referral_to.values().sum(),
            lang,
        ),
        listed::<Flag>(l.flags_sheet, l.flag, &f.flags, s.cases, lang),
        listed::<Group>(
            l.key_groups_sheet,
            l.key_group,
            &s.key_groups,
            s.cases,
            lang,
        ),
        workload(l.windows_sheet, l.window, &s.per_window, &windows, lang),
        workload(l.clerks_sheet, l.staff_no, &s.per_clerk, &clerks, lang),
        queue(f, lang),
        followup(f, lang),
        hourly(f, lang),
        Sheet::new(
            l.repeat_sheet,
            vec![l.employer, l.cases],
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
