//! Typst markup from the report model. Every text that comes from data (the memo's words, names,
//! assessments) enters the markup only as a typst string literal made by [`lit`], so no
//! character in it can be read as markup or code.

use super::sections;
use crate::display;
use crate::format;
use crate::model::{Document, Figure};
use chrono::NaiveDate;

/// A typst string literal holding `text` verbatim.
pub fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A table cell holding text.
pub fn cell(text: &str) -> String {
    format!("[#{}]", lit(text))
}

/// A table cell for a figure; a withheld one is printed as `<5`.
pub fn figure_cell(text: &str, value: Figure) -> String {
    if value.is_withheld() {
        format!("[#text(style: \"italic\", {})]", lit(text))
    } else {
        cell(text)
    }
}

/// The note under a table with withheld figures.
pub fn suppression_note(threshold: u64) -> String {
    let text = display::suppression_note(threshold);
    format!("#block(above: 4pt)[#text(size: 8pt, style: \"italic\", {})]\n", lit(&format!("Note: {text}.")))
}

/// A table with a header row, the given column widths (typst syntax) and rows of cells.
/// Columns listed in `right` (numbers) are right-aligned below the header.
pub fn table(columns: &str, header: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    // A typst array literal; one element needs its trailing comma.
    let right: String = right.iter().map(|c| format!("{c}, ")).collect();
    let mut out = format!(
        "#table(columns: {columns}, align: (x, y) => if y > 0 and ({right}).contains(x) {{ right }} else {{ left }},\n  table.header("
    );
    out.push_str(&header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(", "));
    out.push_str("),\n");
    for row in rows {
        out.push_str("  ");
        out.push_str(&row.join(", "));
        out.push_str(",\n");
    }
    out.push_str(")\n");
    out
}

fn ymd(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("datetime(year: {}, month: {}, day: {})", date.year(), date.month(), date.day())
}

/// The created date of the snapshot (the first ten characters of RFC 3339).
pub fn created_date(doc: &Document) -> NaiveDate {
    doc.meta.created_at.get(..10).and_then(|d| d.parse().ok()).unwrap_or(doc.report.as_of)
}

fn preamble(doc: &Document) -> String {
    let report = &doc.report;
    let title = report.kind.title();
    let running = format!("{title} · {} · version {}", report.period.label, doc.meta.version);
    format!(
        "#set document(title: {title}, author: \"Sikker By\", date: {date})\n\
         #set page(paper: \"a4\", margin: (x: 18mm, top: 22mm, bottom: 20mm),\n\
         \x20 header: context {{ if counter(page).get().first() > 1 {{ set text(size: 8pt, fill: luma(90)); {running} }} }},\n\
         \x20 footer: context {{ set text(size: 8pt, fill: luma(90)); [Sikker By · Beskæftigelses- og Integrationsforvaltningen #h(1fr) Side #counter(page).display() af #counter(page).final().first()] }})\n\
         #set text(font: \"Libertinus Serif\", size: 10pt, lang: \"da\")\n\
         #set par(justify: false, leading: 0.6em)\n\
         #set table(stroke: 0.4pt + luma(170), inset: (x: 4pt, y: 3pt))\n\
         #show table: set text(size: 8.5pt)\n\
         #show table.cell.where(y: 0): set text(weight: \"bold\")\n\
         #show heading.where(level: 1): set block(above: 1.5em, below: 0.8em)\n\
         #show heading.where(level: 2): set block(above: 1.2em, below: 0.6em)\n",
        title = lit(title),
        date = ymd(created_date(doc)),
        running = lit(&running),
    )
}

fn title_block(doc: &Document) -> String {
    let report = &doc.report;
    let meta = &doc.meta;
    let period = display::period_line(report);
    let approval = match &meta.approved_by {
        Some(who) => format!("godkendt af {who}"),
        None => "ikke godkendt (udkast)".to_owned(),
    };
    let facts = [
        ("Modtagere", report.kind.recipients().to_owned()),
        ("Version", format!("{} · {approval}", meta.version)),
        ("Udarbejdet", format!("{} af {}", format::date(created_date(doc)), meta.created_by)),
        ("Dataversion", meta.data_version.chars().take(12).collect()),
    ];
    let mut out = format!(
        "#text(size: 18pt, weight: \"bold\", {})\n#v(2pt)\n#text(size: 12pt, {})\n#v(6pt)\n",
        lit(report.kind.title()),
        lit(&period)
    );
    out.push_str("#grid(columns: (auto, 1fr), column-gutter: 10pt, row-gutter: 4pt,\n");
    for (label, value) in facts {
        out.push_str(&format!("  text(weight: \"bold\", {}), {},\n", lit(label), lit(&value)));
    }
    out.push_str(")\n#line(length: 100%, stroke: 0.5pt + luma(150))\n");
    out
}

/// The whole typst document.
pub fn document(doc: &Document) -> String {
    let mut out = preamble(doc);
    out.push_str(&title_block(doc));
    out.push_str(&sections::body(doc));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_a_string_literal_that_cannot_escape() {
        assert_eq!(lit("a \"b\" \\ #c [d] $e$"), "\"a \\\"b\\\" \\\\ #c [d] $e$\"");
        assert_eq!(lit("linje\nto"), "\"linje\\nto\"");
    }
}
