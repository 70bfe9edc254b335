//! Downloads of a page's figure table (docs/formats.md, "Table exports"): the one place that
//! turns a [`Table`] built from a published page into a CSV or XLSX response.

use crate::i18n::Lang;
use crate::AppError;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use sikkerby_reports::table::{to_csv, to_xlsx, Table};

/// The formats a table downloads in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// The `format` parameter of a download: `csv` or `xlsx`, else 422 naming it.
    pub fn of(format: Option<&str>, lang: Lang) -> Result<Self, AppError> {
        match format {
            Some("csv") => Ok(ExportFormat::Csv),
            Some("xlsx") => Ok(ExportFormat::Xlsx),
            _ => {
                let message = lang.texts().res.export_format_error.to_owned();
                Err(AppError::Unprocessable { field: "format", message })
            }
        }
    }
}

/// The table as an attachment named `file` (without extension). Not cached: the figures are
/// about young people and change with every case write.
pub fn download(table: &Table, format: ExportFormat, file: &str) -> Result<Response, AppError> {
    let (bytes, mime, extension) = match format {
        ExportFormat::Csv => (to_csv(table), "text/csv; charset=utf-8", "csv"),
        ExportFormat::Xlsx => (
            to_xlsx(table).map_err(|e| AppError::Internal(Box::new(e)))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    Ok(attachment(bytes, mime, file, extension))
}

/// Bytes as a download named `file.extension`, never cached (every download here is about
/// young people or their figures).
pub fn attachment(bytes: Vec<u8>, mime: &str, file: &str, extension: &str) -> Response {
    let disposition = format!("attachment; filename=\"{}.{extension}\"", safe_file_name(file));
    (
        [
            (CONTENT_TYPE, mime.to_owned()),
            (CONTENT_DISPOSITION, disposition),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// Letters, digits and `-` only (a file name from ids and years; nothing to escape).
fn safe_file_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}
