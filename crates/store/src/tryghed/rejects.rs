//! A partial import's `afviste_<file>.csv` beside the input: each rejected row as it was read,
//! plus a column `afvisning` with its reasons. A file this import rejected nothing of loses an
//! afviste file an earlier import left, so the folder never shows rows as rejected that were not.

use super::check::CheckedFile;
use super::report::TryghedImportError;
use crate::opera::REJECTED_PREFIX;
use std::path::{Path, PathBuf};

/// The column the afviste files add for the reasons.
const REASON_COLUMN: &str = "afvisning";

/// Writes the afviste file of `file` (returning its path), or removes a stale one.
pub(crate) fn write_or_remove(dir: &Path, file: &CheckedFile) -> Result<Option<PathBuf>, TryghedImportError> {
    let path = dir.join(format!("{REJECTED_PREFIX}{}", file.file.file_name()));
    let io = |source: std::io::Error| TryghedImportError::Io { path: path.clone(), source };
    if file.rejected.is_empty() {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
            _ => Ok(None),
        };
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_path(&path)
        .map_err(|e| io(e.into()))?;
    let mut header = file.header.clone();
    header.push_field(REASON_COLUMN.as_bytes());
    writer.write_byte_record(&header).map_err(|e| io(e.into()))?;
    for (record, reason) in &file.rejected {
        let mut record = record.clone();
        record.push_field(reason.as_bytes());
        writer.write_byte_record(&record).map_err(|e| io(e.into()))?;
    }
    writer.flush().map_err(io)?;
    Ok(Some(path))
}
