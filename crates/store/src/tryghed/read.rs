//! Reading the `tryghed/` folder: which files it holds, their headers, their records. The CSV
//! dialect (byte-order mark, `;` or `,` detected from the header, RFC 4180 quoting) is the case
//! extract's own ([`crate::opera::read`]), so both folders read alike.
//!
//! Area data are small (some 10,000 survey answers a year), so a file is read whole: that keeps
//! the checks between rows plain Rust instead of staging tables.

use super::files::TryghedFile;
use super::report::{TryghedImportError, TryghedRowError, TryghedRowErrors};
use crate::opera::folder::{scan_folder, FolderProblem};
use crate::opera::read::{csv_reader, open_dialect};
use std::path::{Path, PathBuf};

/// One record of a file: its line and its fields as read (for the afviste file), or why it
/// could not be read.
pub(crate) struct Record {
    pub line: u64,
    pub raw: csv::ByteRecord,
    /// `Err(reason)` for a record that is not UTF-8 or has the wrong number of fields.
    pub fields: Result<Vec<String>, String>,
}

/// A file read whole, with its columns matched to the canonical ones.
pub(crate) struct RawFile {
    pub file: TryghedFile,
    pub header: csv::ByteRecord,
    /// For each canonical column, the index of its field (`None`: not in the file).
    positions: Vec<Option<usize>>,
    pub records: Vec<Record>,
}

impl RawFile {
    /// The trimmed value of a column in a record's fields; `None` when absent or empty.
    pub fn get<'a>(&self, fields: &'a [String], column: &str) -> Option<&'a str> {
        let index = self.file.columns().iter().position(|c| c.name == column)?;
        let position = self.positions[index]?;
        fields.get(position).map(|v| v.trim()).filter(|v| !v.is_empty())
    }
}

/// The files present in `dir`, in [`TryghedFile::ALL`] order. A file that is not one of the four
/// is an error; `afviste_*` files a partial import left are passed over, as are sub-folders.
pub(crate) fn scan(dir: &Path) -> Result<Vec<(TryghedFile, PathBuf)>, TryghedImportError> {
    scan_folder(dir, TryghedFile::from_file_name).map_err(|problem| match problem {
        FolderProblem::Io(source) => TryghedImportError::Io { path: dir.to_owned(), source },
        FolderProblem::UnknownFile(name) => TryghedImportError::UnknownFile(name),
    })
}

/// Reads every present file; all header errors of the folder are reported together.
pub(crate) fn read_all(files: &[(TryghedFile, PathBuf)]) -> Result<Vec<RawFile>, TryghedImportError> {
    let mut read = Vec::new();
    let mut errors = Vec::new();
    for (file, path) in files {
        match read_file(*file, path)? {
            Ok(raw) => read.push(raw),
            Err(header_errors) => errors.extend(header_errors),
        }
    }
    if errors.is_empty() {
        Ok(read)
    } else {
        Err(TryghedImportError::Rejected(TryghedRowErrors(errors)))
    }
}

type HeaderResult = Result<RawFile, Vec<TryghedRowError>>;

fn read_file(file: TryghedFile, path: &Path) -> Result<HeaderResult, TryghedImportError> {
    let io = |source: std::io::Error| TryghedImportError::Io { path: path.to_owned(), source };
    let (input, delimiter, _) = open_dialect(path).map_err(io)?;
    let mut reader = csv_reader(input, delimiter);
    let header = match reader.byte_headers() {
        Ok(header) => header.clone(),
        Err(e) => return Ok(Err(vec![header_error(file, None, e.to_string())])),
    };
    let positions = match match_header(file, &header) {
        Ok(positions) => positions,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut records = Vec::new();
    let mut raw = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {
                let line = raw.position().map_or(0, |p| p.line());
                records.push(Record { line, raw: raw.clone(), fields: fields(&raw, header.len()) });
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => return Err(io(e.into())),
                _ => {
                    let line = e.position().map_or(0, |p| p.line());
                    let reason = format!("the row cannot be read: {e}");
                    records.push(Record { line, raw: csv::ByteRecord::new(), fields: Err(reason) });
                }
            },
        }
    }
    Ok(Ok(RawFile { file, header, positions, records }))
}

fn fields(raw: &csv::ByteRecord, width: usize) -> Result<Vec<String>, String> {
    if raw.len() != width {
        return Err(format!("the row has {} fields, the header {width}", raw.len()));
    }
    raw.iter()
        .map(|f| String::from_utf8(f.to_vec()).map_err(|_| "the row is not valid UTF-8".to_owned()))
        .collect()
}

fn header_error(file: TryghedFile, column: Option<String>, reason: String) -> TryghedRowError {
    TryghedRowError { file, line: 1, column, reason }
}

/// Maps the header's names (any case, any order) onto the file's canonical columns.
fn match_header(
    file: TryghedFile,
    header: &csv::ByteRecord,
) -> Result<Vec<Option<usize>>, Vec<TryghedRowError>> {
    let columns = file.columns();
    let mut positions = vec![None; columns.len()];
    let mut errors = Vec::new();
    for (position, raw) in header.iter().enumerate() {
        let raw = String::from_utf8_lossy(raw).trim().to_owned();
        let name = raw.to_lowercase();
        match columns.iter().position(|c| c.name == name) {
            None => {
                let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
                let reason = format!("unknown column; the columns are {}", known.join(", "));
                errors.push(header_error(file, Some(raw), reason));
            }
            Some(index) if positions[index].is_some() => {
                errors.push(header_error(file, Some(raw), "the column appears twice".to_owned()))
            }
            Some(index) => positions[index] = Some(position),
        }
    }
    for (column, position) in columns.iter().zip(&positions) {
        if column.required && position.is_none() {
            errors.push(header_error(
                file,
                Some(column.name.to_owned()),
                "required column is missing".into(),
            ));
        }
    }
    if errors.is_empty() {
        Ok(positions)
    } else {
        Err(errors)
    }
}
