//! What an import or export tells its caller: options, progress, the report, rejected rows and
//! the errors. No text made here holds a full CPR number: reasons name a citizen by the masked
//! form `DDMMYY-xxxx` or by file and line.

use super::files::OperaFile;
use crate::StoreError;
use std::fmt;
use std::ops::Deref;
use std::path::PathBuf;

/// How an import treats rejected rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Store the valid rows and write the rejected ones to `afviste_<file>.csv` beside the
    /// input, instead of storing nothing when any row is rejected.
    pub partial: bool,
}

/// What an import is doing when it reports progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportPhase {
    /// Reading and checking the rows of `file` one by one.
    Reading,
    /// Checking references between rows and against the database, for `file`.
    Checking,
    /// Writing the accepted rows of `file` to the database.
    Storing,
}

/// Progress of an import, reported every 10,000 rows and at each change of file or phase.
/// `rows_done` and the byte counts run over the whole folder, so that one bar can show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    pub file: OperaFile,
    pub phase: ImportPhase,
    pub rows_done: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// One reason why a row was rejected: `forloeb.csv:17: column slut: end … is before start …`.
/// `F` is the kind of file: the OPERA extract's ([`RowError`]) or the area data's
/// (`crate::tryghed::TryghedRowError`), so both imports report rows alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRowError<F> {
    pub file: F,
    /// The line on which the row starts (the header is line 1).
    pub line: u64,
    /// The column at fault as named in the file's header, when one is.
    pub column: Option<String>,
    pub reason: String,
}

/// A rejected row of the OPERA extract.
pub type RowError = FileRowError<OperaFile>;

impl<F: fmt::Display> fmt::Display for FileRowError<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "{}:{}: column {column}: {}", self.file, self.line, self.reason),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.reason),
        }
    }
}

/// The reasons of rejected rows in file and line order, capped at [`RowErrors::CAP`]; `more`
/// counts those left out. Derefs to the list, so it reads like a `Vec<RowError>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowErrors {
    rows: Vec<RowError>,
    pub more: u64,
    /// Rows rejected (a row may have several reasons).
    rejected_rows: u64,
}

impl RowErrors {
    /// How many reasons are listed at most.
    pub const CAP: usize = 1000;

    pub(crate) fn new(rows: Vec<RowError>, more: u64, rejected_rows: u64) -> Self {
        Self { rows, more, rejected_rows }
    }

    /// All reasons, listed or not.
    pub fn total(&self) -> u64 {
        self.rows.len() as u64 + self.more
    }

    /// How many rows were rejected, listed or not; fewer than [`RowErrors::total`] when a row
    /// has several reasons.
    pub fn rejected_rows(&self) -> u64 {
        self.rejected_rows
    }
}

impl From<Vec<RowError>> for RowErrors {
    fn from(rows: Vec<RowError>) -> Self {
        let mut lines: Vec<(OperaFile, u64)> = rows.iter().map(|r| (r.file, r.line)).collect();
        lines.sort_unstable();
        lines.dedup();
        Self { rejected_rows: lines.len() as u64, rows, more: 0 }
    }
}

impl Deref for RowErrors {
    type Target = Vec<RowError>;
    fn deref(&self) -> &Self::Target {
        &self.rows
    }
}

impl IntoIterator for RowErrors {
    type Item = RowError;
    type IntoIter = std::vec::IntoIter<RowError>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a> IntoIterator for &'a RowErrors {
    type Item = &'a RowError;
    type IntoIter = std::slice::Iter<'a, RowError>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

impl fmt::Display for RowErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for row in &self.rows {
            writeln!(f, "{row}")?;
        }
        if self.more > 0 {
            writeln!(f, "… and {} more", self.more)?;
        }
        Ok(())
    }
}

/// Something accepted that the user should know about: a CPR number failing modulus 11, a
/// substitute number, an area not yet known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    pub file: OperaFile,
    pub line: u64,
    pub column: &'static str,
    pub message: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: column {}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Row counts of one file of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileReport {
    pub file: OperaFile,
    /// Data rows read (the header not counted).
    pub read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

/// The outcome of a successful import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// One entry per file present in the folder, in [`OperaFile::ALL`] order.
    pub files: Vec<FileReport>,
    /// The first [`RowErrors::CAP`] warnings; `warnings_total` counts all.
    pub warnings: Vec<ImportWarning>,
    pub warnings_total: u64,
    /// Reasons of the rows a partial import left out (empty otherwise).
    pub rejected: RowErrors,
    /// The `afviste_<file>.csv` files a partial import wrote.
    pub rejected_files: Vec<PathBuf>,
}

impl ImportReport {
    /// The counts of one file, if it was in the folder.
    pub fn file(&self, file: OperaFile) -> Option<&FileReport> {
        self.files.iter().find(|f| f.file == file)
    }
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read or write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{0} is not a file of an OPERA extract (borgere.csv, forloeb.csv, tilbud.csv, \
         fritidsjob.csv, haendelser.csv, opfoelgninger.csv)"
    )]
    UnknownFile(String),
    #[error("rows were rejected, so nothing was stored:\n{0}")]
    Rejected(RowErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Store(StoreError::Database(e))
    }
}

/// One file written by an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    pub file: OperaFile,
    pub path: PathBuf,
    pub rows: u64,
}

/// The files an export wrote, in [`OperaFile::ALL`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub files: Vec<ExportedFile>,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ExportError {
    fn from(e: sqlx::Error) -> Self {
        ExportError::Store(StoreError::Database(e))
    }
}
