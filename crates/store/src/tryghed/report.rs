//! What an import of the area data tells its caller: the rejected rows with file, line and
//! column, the warnings, the row counts per file, and the errors.

use super::files::TryghedFile;
use crate::StoreError;
use std::fmt;
use std::path::PathBuf;

/// One reason why a row was rejected: `survey.csv:17: column vaegt: … is not a number`.
pub type TryghedRowError = crate::opera::FileRowError<TryghedFile>;

/// Rejected rows, in file and line order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TryghedRowErrors(pub Vec<TryghedRowError>);

impl TryghedRowErrors {
    /// How many reasons are printed at most by `Display`.
    pub const SHOWN: usize = 1000;
}

impl fmt::Display for TryghedRowErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for row in self.0.iter().take(Self::SHOWN) {
            writeln!(f, "{row}")?;
        }
        if self.0.len() > Self::SHOWN {
            writeln!(f, "… and {} more", self.0.len() - Self::SHOWN)?;
        }
        Ok(())
    }
}

/// Row counts of one file of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryghedFileReport {
    pub file: TryghedFile,
    /// Data rows read (the header not counted).
    pub read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

/// The outcome of a successful import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TryghedReport {
    /// One entry per file present, in [`TryghedFile::ALL`] order.
    pub files: Vec<TryghedFileReport>,
    /// Accepted rows the user should know about (reports or answers for an area and year that
    /// has no population row, so the index leaves them out).
    pub warnings: Vec<String>,
    /// Reasons of the rows a partial import left out (empty otherwise).
    pub rejected: TryghedRowErrors,
    /// The `afviste_<file>.csv` files a partial import wrote.
    pub rejected_files: Vec<PathBuf>,
}

impl TryghedReport {
    /// The counts of one file, if it was in the folder.
    pub fn file(&self, file: TryghedFile) -> Option<&TryghedFileReport> {
        self.files.iter().find(|f| f.file == file)
    }

    /// True when the import wrote anything.
    pub fn changed(&self) -> bool {
        self.files.iter().any(|f| f.inserted + f.updated > 0)
    }
}

/// Why an import of the area data stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum TryghedImportError {
    #[error("cannot read or write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{0} is not a file of the area data (omraader.csv, anmeldelser.csv, survey.csv, vurderinger.csv)"
    )]
    UnknownFile(String),
    #[error("rows were rejected, so nothing was stored:\n{0}")]
    Rejected(TryghedRowErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TryghedImportError {
    fn from(e: sqlx::Error) -> Self {
        TryghedImportError::Store(StoreError::Database(e))
    }
}
