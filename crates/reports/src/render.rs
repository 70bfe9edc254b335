//! The output formats, and one entry point that renders a document in any of them.

use crate::model::Document;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Pdf,
    Html,
    Xlsx,
}

impl OutputFormat {
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Self::Pdf),
            "html" => Some(Self::Html),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Html => "html",
            Self::Xlsx => "xlsx",
        }
    }
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Renders the document; the same document always gives the same bytes.
pub fn render(doc: &Document, format: OutputFormat) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        OutputFormat::Pdf => crate::pdf::render(doc)?,
        OutputFormat::Html => crate::html::render(doc),
        OutputFormat::Xlsx => crate::xlsx::render(doc)?,
    })
}
