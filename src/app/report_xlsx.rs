//! The filed report as an XLSX workbook: one worksheet per sheet of `report_files`, number
//! cells with their formats, real dates, a frozen and repeated header row, and native charts.

use super::report_files::{Cell, Sheet};
use chrono::Datelike;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartType, ExcelDateTime, Format as XlsxFormat, Workbook,
};

/// The number formats of the XLSX (Excel's built-in codes, which WPS reads too).
pub const COUNT_FORMAT: &str = "#,##0";
pub const MINUTES_FORMAT: &str = "0.0";
pub const PERCENT_FORMAT: &str = "0.0%";
pub const DATE_FORMAT: &str = "yyyy-mm-dd";

pub(super) fn xlsx(sheets: &[Sheet]) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = XlsxFormat::new().set_bold();
    let count = XlsxFormat::new().set_num_format(COUNT_FORMAT);
    let minutes = XlsxFormat::new().set_num_format(MINUTES_FORMAT);
    let percent = XlsxFormat::new().set_num_format(PERCENT_FORMAT);
    let date = XlsxFormat::new().set_num_format(DATE_FORMAT);
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.title)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, if c == 0 { 24 } else { 14 })?;
        }
        // The header stays in view while scrolling and is printed on every page.
        ws.set_freeze_panes(1, 0)?;
        ws.set_repeat_rows(0, 0)?;
        for (r, row) in s.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => {
                        ws.write(r, c, t.as_str())?;
                    }
                    Cell::Int(n) => {
                        ws.write_number_with_format(r, c, *n as f64, &count)?;
                    }
                    Cell::Minutes(m) => {
                        ws.write_number_with_format(r, c, *m, &minutes)?;
                    }
                    Cell::Percent(p) => {
                        ws.write_number_with_format(r, c, *p, &percent)?;
                    }
                    Cell::Date(d) => {
                        let day = ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        ws.write_datetime_with_format(r, c, &day, &date)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        let last = s.rows.len() as u32;
        if last == 0 {
            continue;
        }
        let at_col = s.header.len() as u16 + 1;
        for (i, spec) in s.charts.iter().enumerate() {
            let mut chart = Chart::new(spec.kind);
            chart.title().set_name(spec.title);
            for &v in &spec.values {
                let series = chart
                    .add_series()
                    .set_name((s.title, 0, v))
                    .set_categories((s.title, 1, spec.categories, last, spec.categories))
                    .set_values((s.title, 1, v, last, v));
                // Values on the bars and slices, legible when printed.
                match spec.kind {
                    ChartType::Pie => {
                        series.set_data_label(
                            ChartDataLabel::new().show_category_name().show_percentage(),
                        );
                    }
                    ChartType::Column => {
                        series.set_data_label(ChartDataLabel::new().show_value());
                    }
                    _ => {}
                }
            }
            chart.set_width(640).set_height(360);
            ws.insert_chart(1 + (i as u32) * 20, at_col, &chart)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}
