//! The XLSX report: the same figures as real numbers (shares with a percent format, money in
//! millions and kroner), one sheet per part, for readers who calculate further. A withheld
//! figure is the text `<5` with the note below the table. The creation date is the snapshot's,
//! so the same snapshot gives the same bytes.

use crate::display;
use crate::format::to_f64;
use crate::model::{BudgetRow, BudgetSection, CriterionRow, Document, Figure, Measure, Report};
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use sikkerby_domain::budget::BudgetCell;

/// The column headers of the criteria sheet; tests read the sheet back by these.
pub const CRITERIA_HEADER: [&str; 13] = [
    "Indsats",
    "Kriterium",
    "Memoets ord",
    "Status",
    "Værdi",
    "Tæller",
    "Nævner",
    "Ukendt",
    "Mål",
    "Interval nedre",
    "Interval øvre",
    "Fremskrevet",
    "Statuskode",
];

struct Formats {
    bold: Format,
    percent: Format,
    number: Format,
    decimal: Format,
    millions: Format,
    kroner: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            bold: Format::new().set_bold(),
            percent: Format::new().set_num_format("0.0%"),
            number: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.0"),
            millions: Format::new().set_num_format("#,##0.0##"),
            kroner: Format::new().set_num_format("#,##0"),
        }
    }
}

/// Renders the document as an XLSX workbook.
pub fn render(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created = crate::pdf::markup::created_date(doc);
    let date = ExcelDateTime::from_ymd(created.year() as u16, created.month() as u8, created.day() as u8)?;
    let title = format!("{} {}", doc.report.kind.title(), doc.report.period.label);
    workbook.set_properties(
        &DocProperties::new().set_creation_datetime(&date).set_title(&title).set_author("Sikker By"),
    );
    let f = Formats::new();
    criteria_sheet(workbook.add_worksheet(), doc, &f)?;
    trend_sheet(workbook.add_worksheet(), &doc.report)?;
    if let Some(budget) = &doc.report.budget {
        budget_sheet(workbook.add_worksheet(), budget, doc.report.threshold, &f)?;
    }
    if let Some(index) = &doc.report.index {
        let sheet = workbook.add_worksheet().set_name("Tryghedsindeks")?;
        header_row(sheet, &["Område", "Bydel", "Indeks T", "Kategori"], index.areas.len(), &f.bold)?;
        for (i, a) in index.areas.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, &a.name)?;
            sheet.write_string(row, 1, display::district(&a.district))?;
            if let Some(t) = a.t {
                sheet.write_number_with_format(row, 2, t, &f.decimal)?;
            }
            sheet.write_string(row, 3, display::category(&a.category))?;
        }
    }
    workbook.save_to_buffer()
}

/// Writes the bold header row, freezes it and puts a filter over it and the `data_rows` below, so
/// that a reader who scrolls or sorts a long sheet keeps the column names in view. Every sheet
/// with a header row, in the report and in the table downloads, goes through here.
pub(crate) fn header_row<S: AsRef<str>>(
    sheet: &mut Worksheet,
    headers: &[S],
    data_rows: usize,
    bold: &Format,
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h.as_ref(), bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = headers.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, data_rows as u32, last_col)?;
    Ok(())
}

fn rows(report: &Report) -> impl Iterator<Item = &CriterionRow> {
    report.goal.iter().chain(report.initiatives.iter().flat_map(|s| &s.criteria))
}

/// Writes a figure: a number in `format`, or `<5` / nothing.
fn write_figure(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Figure,
    format: &Format,
    threshold: u64,
) -> Result<(), XlsxError> {
    match value {
        Figure::Value(v) => sheet.write_number_with_format(row, col, v, format).map(|_| ()),
        Figure::Suppressed(mark) => sheet.write_string(row, col, mark.label(threshold)).map(|_| ()),
        Figure::Missing => Ok(()),
    }
}

fn criteria_sheet(sheet: &mut Worksheet, doc: &Document, f: &Formats) -> Result<(), XlsxError> {
    let report = &doc.report;
    sheet.set_name("Kriterier")?;
    header_row(sheet, &CRITERIA_HEADER, rows(report).count(), &f.bold)?;
    let k = report.threshold;
    let mut row = 1;
    for r in rows(report) {
        let value_format = match r.measure {
            Measure::Share => &f.percent,
            Measure::Mean => &f.decimal,
            _ => &f.number,
        };
        sheet.write_string(row, 0, &r.initiative)?;
        sheet.write_string(row, 1, &r.id)?;
        sheet.write_string(row, 2, &r.words)?;
        sheet.write_string(row, 3, display::status_word(r.status))?;
        write_figure(sheet, row, 4, r.value, value_format, k)?;
        write_figure(sheet, row, 5, r.numerator, &f.number, k)?;
        write_figure(sheet, row, 6, r.denominator, &f.number, k)?;
        write_figure(sheet, row, 7, r.unknown, &f.number, k)?;
        if let Some(t) = r.target {
            sheet.write_number_with_format(row, 8, t, value_format)?;
        }
        if let Some([lo, hi]) = r.interval {
            sheet.write_number_with_format(row, 9, lo, &f.percent)?;
            sheet.write_number_with_format(row, 10, hi, &f.percent)?;
        }
        if let Some(p) = r.projection {
            sheet.write_number_with_format(row, 11, p, value_format)?;
        }
        sheet.write_string(row, 12, r.status.code())?;
        row += 1;
    }
    if report.has_suppressed() {
        sheet.write_string(row + 1, 0, format!("Note: {}.", display::suppression_note(k)))?;
    }
    sheet.set_column_width(2, 60)?;
    sheet.set_column_width(3, 14)?;
    Ok(())
}

fn trend_sheet(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    sheet.set_name("Udvikling")?;
    let mut years: Vec<i32> = rows(report).flat_map(|r| r.trend.iter().map(|p| p.year)).collect();
    years.sort_unstable();
    years.dedup();
    // Years are column names here, so they are written as text like every other header.
    let headers: Vec<String> =
        std::iter::once("Kriterium".to_owned()).chain(years.iter().map(i32::to_string)).collect();
    let with_trend: Vec<&CriterionRow> = rows(report).filter(|r| !r.trend.is_empty()).collect();
    header_row(sheet, &headers, with_trend.len(), &Format::new().set_bold())?;
    let percent = Format::new().set_num_format("0.0%");
    let plain = Format::new().set_num_format("#,##0.0");
    for (row, r) in (1..).zip(with_trend) {
        sheet.write_string(row, 0, &r.id)?;
        let format = if r.measure == Measure::Share { &percent } else { &plain };
        for p in &r.trend {
            let col = years.iter().position(|y| *y == p.year).unwrap_or_default() as u16 + 1;
            write_figure(sheet, row, col, p.value, format, report.threshold)?;
        }
    }
    Ok(())
}

fn budget_sheet(sheet: &mut Worksheet, b: &BudgetSection, k: u64, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("Budget")?;
    let header = [
        "Budgetlinje",
        "Indsats",
        "Budget (mio. kr.)",
        "Forbrug (mio. kr.)",
        "Deltagere",
        "Positive udfald",
        "Kr. pr. deltager",
        "Kr. pr. positivt udfald",
    ];
    // The filter covers the budget lines, not the total below them, so sorting keeps "I alt" last.
    header_row(sheet, &header, b.rows.len(), &f.bold)?;
    for (i, r) in b.rows.iter().enumerate() {
        budget_row(sheet, i as u32 + 1, r, k, f)?;
    }
    let total_row = b.rows.len() as u32 + 1;
    sheet.write_string_with_format(total_row, 0, "I alt", &f.bold)?;
    sheet.write_number_with_format(total_row, 2, to_f64(b.total), &f.millions)?;
    if let Some(a) = b.actual_total {
        sheet.write_number_with_format(total_row, 3, to_f64(a), &f.millions)?;
    }
    sheet.set_column_width(0, 34)?;
    Ok(())
}

fn budget_row(sheet: &mut Worksheet, row: u32, r: &BudgetRow, k: u64, f: &Formats) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, &r.line)?;
    sheet.write_string(row, 1, r.initiative.as_deref().unwrap_or(""))?;
    match r.budget {
        BudgetCell::Amount(a) => sheet.write_number_with_format(row, 2, to_f64(a), &f.millions)?,
        BudgetCell::FundingEnded => sheet.write_string(row, 2, "-")?,
        BudgetCell::NoAllocation => sheet,
    };
    match r.actual {
        Some(a) => sheet.write_number_with_format(row, 3, to_f64(a), &f.millions)?,
        None => sheet.write_string(row, 3, display::NOT_RECORDED)?,
    };
    write_figure(sheet, row, 4, r.participants, &f.number, k)?;
    write_figure(sheet, row, 5, r.successes, &f.number, k)?;
    for (col, cost) in [(6, r.per_participant), (7, r.per_success)] {
        if let Some(c) = cost {
            sheet.write_number_with_format(row, col, to_f64(c), &f.kroner)?;
        }
    }
    Ok(())
}
