//! The XLSX read back with calamine gives the numbers of the JSON results; every format is
//! byte-identical when made again from the same recorded model; the HTML is self-contained and
//! escapes text from data.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{document, inputs};
use sikkerby_reports::model::Document;
use sikkerby_reports::xlsx::CRITERIA_HEADER;
use sikkerby_reports::{render, OutputFormat, ReportKind};
use std::io::Cursor;

fn column(name: &str) -> usize {
    CRITERIA_HEADER.iter().position(|h| *h == name).unwrap()
}

#[test]
fn the_workbook_holds_the_same_numbers_as_the_json_results() {
    let doc = document(&inputs(ReportKind::Annual, "2013"));
    let bytes = render(&doc, OutputFormat::Xlsx).unwrap();
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("Kriterier").unwrap();
    // The JSON results as `evaluate --format json` prints them: through disclosure control.
    let json: serde_json::Value = serde_json::to_value(common::published(common::evaluation_2013())).unwrap();
    let mut checked = 0;
    for result in json["results"].as_array().unwrap() {
        let id = result["criterion"].as_str().unwrap();
        let row = sheet
            .rows()
            .find(|r| r.get(column("Kriterium")) == Some(&Data::String(id.into())))
            .unwrap_or_else(|| panic!("{id} is not in the sheet"));
        for (field, header) in [("value", "Værdi"), ("numerator", "Tæller"), ("denominator", "Nævner")] {
            let cell = &row[column(header)];
            match result[field].as_f64() {
                Some(expected) => {
                    let Data::Float(found) = cell else { panic!("{id} {field}: {cell:?} is not a number") };
                    assert!((found - expected).abs() < 1e-12, "{id} {field}: {found} ≠ {expected}");
                    checked += 1;
                }
                None if result["suppressed"].as_array().is_some_and(|s| s.iter().any(|f| f == field)) => {
                    assert_eq!(cell, &Data::String("<5".into()), "{id} {field}");
                }
                None => assert_eq!(cell, &Data::Empty, "{id} {field}"),
            }
        }
    }
    assert!(checked >= 7, "only {checked} numbers compared");
}

#[test]
fn the_budget_sheet_has_real_numbers() {
    let doc = document(&inputs(ReportKind::Annual, "2013"));
    let bytes = render(&doc, OutputFormat::Xlsx).unwrap();
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("Budget").unwrap();
    let row = sheet.rows().find(|r| r[0] == Data::String("SSP+".into())).unwrap();
    assert_eq!(row[2], Data::Float(1.7));
    assert_eq!(row[3], Data::Float(1.65));
    let Data::Float(per) = row[6] else { panic!("{:?}", row[6]) };
    assert!((per - 1_700_000.0 / 123.0).abs() < 0.01);
    let drift = sheet.rows().find(|r| r[0] == Data::String("Drift".into())).unwrap();
    assert_eq!(drift[3], Data::String("ikke registreret".into()));
}

fn reparsed(doc: &Document) -> Document {
    serde_json::from_str(&serde_json::to_string(doc).unwrap()).unwrap()
}

#[test]
fn every_format_is_byte_identical_when_made_again_from_the_recorded_model() {
    let doc = document(&inputs(ReportKind::Annual, "2013"));
    for format in [OutputFormat::Pdf, OutputFormat::Html, OutputFormat::Xlsx] {
        let first = render(&reparsed(&doc), format).unwrap();
        let second = render(&reparsed(&reparsed(&doc)), format).unwrap();
        assert!(first == second, "{format:?} differs between two renderings");
    }
}

#[test]
fn the_html_is_self_contained_and_escapes_text_from_data() {
    let doc = document(&inputs(ReportKind::Annual, "2013"));
    let html = String::from_utf8(render(&doc, OutputFormat::Html).unwrap()).unwrap();
    assert!(!html.contains("<script"));
    assert!(!html.contains("<link"));
    assert!(html.contains("<svg"), "inline charts");
    assert!(html.contains("$x$ &lt;b&gt;."), "memo words escaped");
    assert!(html.contains(">Ikke opfyldt<") && html.contains(">Opfyldt<"), "status in words");
    assert!(html.contains("&lt;5 af 10"));
    assert!(html.contains("tal under 5 er skjult af hensyn til diskretion"));
    assert!(
        html.contains("«·»: tal skjult for at et lille tal andetsteds ikke kan regnes ud"),
        "the legend explains both marks"
    );
}

/// The XML of every worksheet of a workbook, in sheet order.
fn sheet_xml(bytes: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("a file name").into_owned())
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .collect();
    names.sort();
    names.iter().map(|name| std::io::read_to_string(archive.by_name(name).unwrap()).unwrap()).collect()
}

#[test]
fn every_sheet_of_the_workbook_keeps_its_header_in_view_and_can_be_filtered() {
    let doc = document(&inputs(ReportKind::Annual, "2013"));
    let sheets = sheet_xml(&render(&doc, OutputFormat::Xlsx).unwrap());
    assert!(sheets.len() >= 3, "criteria, trend and budget sheets: {}", sheets.len());
    for (i, xml) in sheets.iter().enumerate() {
        assert!(
            xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
            "sheet {i}: no frozen header"
        );
        assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet {i}: no filter");
    }
}
