//! Backup and restore of the whole database as one backend-neutral file: a backup taken on
//! SQLite restores into PostgreSQL and the other way round.
//!
//! The file is gzip holding JSON lines. The first line is a [`BackupHeader`]: format version,
//! the migrations applied, and per table its columns, row count, the SHA-256 of its row lines
//! and its id counter. Then, per table in foreign-key order, a line `{"table":"…"}` followed by
//! one JSON array per row. Tables are found in the database's catalog, so a table a later
//! migration adds is included without a code change.
//!
//! A restore is one transaction: a damaged or truncated file, a wrong count or hash, or any
//! refused row leaves the target exactly as it was. The audit log is copied row by row, so its
//! hash chain verifies afterwards.

mod catalog;
mod restore;
mod write;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Written in the header; a restore refuses other formats and newer versions.
pub const FORMAT: &str = "sikkerby-backup";
pub const FORMAT_VERSION: u32 = 1;

/// Tables that migrating and starting the application fill by themselves (the memo's seed,
/// settings, the audit chain's head, the change log and generation counter that tell running servers to reload). A
/// restore replaces them without `--replace`; every other table must be empty, so a restore
/// never silently drops case data. Servers on the database are to be stopped for a restore.
const REFERENCE_TABLES: &[&str] = &[
    "meta",
    "org_unit",
    "initiative",
    "district",
    "area",
    "criterion",
    "budget_line",
    "budget_cell",
    "code_list",
    "audit_head",
    "case_changes",
    "data_generation",
];

/// The first line of a backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupHeader {
    pub format: String,
    pub version: u32,
    /// UTC, RFC 3339.
    pub created_at: String,
    /// `sqlite` or `postgres`: for the reader; the content does not depend on it.
    pub source_backend: String,
    /// Versions of the migrations applied to the database backed up.
    pub migrations: Vec<i64>,
    /// In the order their rows follow (parents before children).
    pub tables: Vec<TableEntry>,
}

/// One table in the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: u64,
    /// SHA-256 (hex) over the table's row lines, each followed by `\n`, as in the file.
    pub sha256: String,
    /// The last id the table's counter handed out (0 if it has none), kept so a restored
    /// database never hands out an id again that a deleted row once had.
    pub counter: i64,
}

/// How a restore treats a target that already holds data.
#[derive(Debug, Clone, Copy, Default)]
pub struct RestoreOptions {
    /// Empty every table first, inside the same transaction, instead of refusing.
    pub replace: bool,
}

/// Why a backup or restore did not happen. Nothing was changed in either case.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a usable backup: {reason}")]
    Damaged { path: PathBuf, reason: String },
    /// The database cannot be backed up, or the backup does not fit it.
    #[error("{0}")]
    Schema(String),
    #[error("the database already holds data ({rows} rows in {table}); restore into an empty database or use --replace")]
    NotEmpty { table: String, rows: i64 },
    #[error(transparent)]
    Store(#[from] crate::StoreError),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Store(e.into())
    }
}
