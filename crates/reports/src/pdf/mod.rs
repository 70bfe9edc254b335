//! The PDF: typst markup generated from the model, compiled with typst as a library in a small
//! in-memory world with embedded fonts, exported with a fixed creation date and document id so
//! that the same snapshot always gives the same bytes.

mod budget;
pub mod markup;
mod sections;
pub mod subject_access;
mod world;

use crate::model::Document;
use chrono::Datelike;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

/// Why typst could not make the PDF (a bug in the markup generator, never in the data).
#[derive(Debug, thiserror::Error)]
#[error("typst: {0}")]
pub struct PdfError(pub String);

/// Renders the document as PDF bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let ident = format!("sikkerby-report-{}-v{}", doc.meta.snapshot_id, doc.meta.version);
    compile(markup::document(doc), markup::created_date(doc), ident)
}

/// Compiles typst markup to PDF bytes with `created` as the document's date and today, and
/// `ident` as its document id (both fixed, so the same markup gives the same bytes).
fn compile(markup: String, created: chrono::NaiveDate, ident: String) -> Result<Vec<u8>, PdfError> {
    let today = Datetime::from_ymd(created.year(), created.month() as u8, created.day() as u8)
        .ok_or_else(|| PdfError(format!("date {created} out of range")))?;
    let world = world::ReportWorld::new(markup, today);
    let compiled = typst::compile::<PagedDocument>(&world);
    let document = compiled.output.map_err(|errors| {
        PdfError(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some("Sikker By".to_owned())),
        timestamp: Some(Timestamp::new_utc(today)),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        PdfError(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })
}

/// The typst source of the document (for debugging a layout).
pub fn source(doc: &Document) -> String {
    markup::document(doc)
}
