//! A figure table as a download (docs/formats.md, "Table exports"): the rows a page shows, in
//! CSV for Danish Excel (`;`, decimal comma, UTF-8 with BOM, CRLF) or in XLSX with a frozen
//! header row and a filter. The cells are the page's own texts, already published under
//! disclosure control, so a download can hold nothing the page does not show; a withheld cell
//! keeps its mark (`<5`, `·`) and the table its legend.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum TableCell {
    /// Words (a group's name).
    Text(String),
    /// A figure in the table's notation (Danish "1.203", "51,4 %", "49,0–73,3 %"; English
    /// "1,203", "51.4 %"); a number in XLSX where it is one.
    Figure(String),
    /// A withheld figure: its mark.
    Withheld(String),
}

/// A table with its title, column headings, rows and the notes printed under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<TableCell>>,
    pub notes: Vec<String>,
    /// How the figures are written: the page's language's notation.
    pub notation: Notation,
}

/// How a figure's digits are grouped and its decimals marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Notation {
    /// `1.203`, `51,4`.
    #[default]
    Danish,
    /// `1,203`, `51.4`.
    English,
}

impl TableCell {
    fn text(&self) -> &str {
        match self {
            TableCell::Text(t) | TableCell::Figure(t) | TableCell::Withheld(t) => t,
        }
    }
}

/// The table as CSV for Danish Excel: the title, a blank line, the header, the rows, a blank
/// line and the notes.
pub fn to_csv(table: &Table) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let line = |out: &mut String, fields: &mut dyn Iterator<Item = &str>| {
        let quoted: Vec<String> = fields.map(csv_field).collect();
        out.push_str(&quoted.join(";"));
        out.push_str("\r\n");
    };
    line(&mut out, &mut std::iter::once(table.title.as_str()));
    out.push_str("\r\n");
    line(&mut out, &mut table.headers.iter().map(String::as_str));
    for row in &table.rows {
        line(&mut out, &mut row.iter().map(TableCell::text));
    }
    if !table.notes.is_empty() {
        out.push_str("\r\n");
        for note in &table.notes {
            line(&mut out, &mut std::iter::once(note.as_str()));
        }
    }
    out.into_bytes()
}

/// A CSV field: quoted where it holds a separator, a quote or a line break; a text that a
/// spreadsheet would run as a formula (`=`, `+`, `@`, a tab) is prefixed with `'`.
fn csv_field(text: &str) -> String {
    let text =
        if text.starts_with(['=', '+', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The table as an XLSX workbook: the header row bold and frozen, a filter over the columns,
/// figures as numbers where they are one (percentages as percentages), marks as text.
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Tabel")?;
    let (bold, percent, number) = (
        Format::new().set_bold(),
        Format::new().set_num_format("0.0%"),
        Format::new().set_num_format("#,##0.###"),
    );
    crate::xlsx::header_row(sheet, &table.headers, table.rows.len(), &bold)?;
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                TableCell::Figure(text) => match figure_number(text, table.notation) {
                    Some((value, true)) => sheet.write_number_with_format(r, c, value / 100.0, &percent)?,
                    Some((value, false)) => sheet.write_number_with_format(r, c, value, &number)?,
                    None => sheet.write_string(r, c, text)?,
                },
                other => sheet.write_string(r, c, other.text())?,
            };
        }
    }
    let last_row = table.rows.len() as u32;
    sheet.set_column_width(0, 28)?;
    let lines = std::iter::once(&table.title).chain(&table.notes);
    for (row, line) in (last_row + 2..).zip(lines) {
        sheet.write_string(row, 0, line)?;
    }
    workbook.save_to_buffer()
}

/// A figure as a number: in Danish notation `1.203` → 1203, `51,4 %` → (51.4, percent), in
/// English `1,203` and `51.4 %`; `None` for anything else (an interval, a dash, words).
fn figure_number(text: &str, notation: Notation) -> Option<(f64, bool)> {
    let (digits, percent) = match text.trim().strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (text.trim(), false),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '-') {
        return None;
    }
    let (group, decimal) = match notation {
        Notation::Danish => ('.', ','),
        Notation::English => (',', '.'),
    };
    let value = digits.replace(group, "").replace(decimal, ".").parse::<f64>().ok()?;
    Some((value, percent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            title: "Særtræk C4 efter center, 2013".into(),
            headers: vec!["Center".into(), "Resultat".into(), "Antal".into()],
            rows: vec![
                vec![
                    TableCell::Text("JKU Nord; Øst".into()),
                    TableCell::Figure("51,4 %".into()),
                    TableCell::Figure("1.203".into()),
                ],
                vec![
                    TableCell::Text("=HYPERLINK(\"x\")".into()),
                    TableCell::Withheld("<5".into()),
                    TableCell::Figure("49,0–73,3 %".into()),
                ],
            ],
            notes: vec!["«<5»: et antal under diskretionsgrænsen".into()],
            notation: Notation::Danish,
        }
    }

    #[test]
    fn the_csv_is_for_danish_excel_and_runs_no_formula() {
        let csv = String::from_utf8(to_csv(&table())).unwrap();
        assert!(csv.starts_with("\u{feff}Særtræk C4 efter center, 2013\r\n\r\nCenter;Resultat;Antal\r\n"));
        assert!(csv.contains("\"JKU Nord; Øst\";51,4 %;1.203\r\n"), "{csv}");
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\";<5;49,0–73,3 %\r\n"), "{csv}");
        assert!(csv.ends_with("\r\n«<5»: et antal under diskretionsgrænsen\r\n"));
    }

    #[test]
    fn danish_figures_become_numbers_and_the_rest_stays_text() {
        assert_eq!(figure_number("1.203", Notation::Danish), Some((1203.0, false)));
        assert_eq!(figure_number("51,4 %", Notation::Danish), Some((51.4, true)));
        assert_eq!(figure_number("49,0–73,3 %", Notation::Danish), None);
        assert_eq!(figure_number("<5", Notation::Danish), None);
        assert_eq!(figure_number("", Notation::Danish), None);
    }

    #[test]
    fn english_figures_are_read_in_english_notation() {
        assert_eq!(figure_number("121.4", Notation::English), Some((121.4, false)));
        assert_eq!(figure_number("1,203", Notation::English), Some((1203.0, false)));
        assert_eq!(figure_number("51.4 %", Notation::English), Some((51.4, true)));
        assert_eq!(figure_number("121.4", Notation::Danish), Some((1214.0, false)), "the reason it matters");
    }

    #[test]
    fn the_xlsx_is_a_workbook() {
        let bytes = to_xlsx(&table()).unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip container");
    }
}
