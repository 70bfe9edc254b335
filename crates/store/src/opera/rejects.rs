//! Rejected rows: the summary an import reports, and for a partial import the files
//! `afviste_<file>.csv` beside the input, holding each rejected row as it was read plus a
//! column `afvisning` with its reasons.
//!
//! The reasons stay in the database's staging table; the afviste file is written by reading
//! the input again and the reasons a window of lines at a time, so neither is held whole.

use super::files::{OperaFile, REJECTED_PREFIX};
use super::read::{csv_reader, open_dialect};
use super::report::{ImportError, RowError, RowErrors};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Lines of reasons fetched at a time while writing an afviste file.
const WINDOW: i64 = 20_000;

/// The column the afviste files add for the reasons.
const REASON_COLUMN: &str = "afvisning";

/// What was rejected: rows per file and the reasons, capped.
pub(crate) struct Summary {
    pub rows: HashMap<OperaFile, u64>,
    pub reasons: RowErrors,
}

impl Summary {
    pub fn is_empty(&self) -> bool {
        self.reasons.total() == 0
    }
}

/// Reads the summary of the rejection reasons recorded so far.
pub(crate) async fn summary(conn: &mut AnyConnection) -> Result<Summary, sqlx::Error> {
    let mut rows = HashMap::new();
    let per_file = sqlx::query("SELECT file, COUNT(DISTINCT line) FROM opera_reject GROUP BY file")
        .fetch_all(&mut *conn)
        .await?;
    for row in per_file {
        if let Some(file) = OperaFile::from_index(row.try_get(0)?) {
            rows.insert(file, row.try_get::<i64, _>(1)? as u64);
        }
    }
    let total: i64 =
        sqlx::query("SELECT COUNT(*) FROM opera_reject").fetch_one(&mut *conn).await?.try_get(0)?;
    let first = sqlx::query(
        "SELECT file, line, col, reason FROM opera_reject ORDER BY file, line, col, reason LIMIT $1",
    )
    .bind(RowErrors::CAP as i64)
    .fetch_all(&mut *conn)
    .await?;
    let mut listed = Vec::with_capacity(first.len());
    for row in first {
        listed.push(RowError {
            file: OperaFile::from_index(row.try_get(0)?).unwrap_or(OperaFile::Borgere),
            line: row.try_get::<i64, _>(1)? as u64,
            column: row.try_get(2)?,
            reason: row.try_get(3)?,
        });
    }
    listed.sort_by_key(|r| (r.file, r.line, column_rank(r.file, r.column.as_deref())));
    let more = (total as u64).saturating_sub(listed.len() as u64);
    let rejected_rows = rows.values().sum();
    Ok(Summary { rows, reasons: RowErrors::new(listed, more, rejected_rows) })
}

/// Orders the reasons of one row as the file orders its columns, a reason for the whole row
/// first (the table of reasons keeps no order of its own).
fn column_rank(file: OperaFile, column: Option<&str>) -> usize {
    let columns = file.columns();
    column.map_or(0, |c| {
        1 + columns.iter().position(|known| known.name.eq_ignore_ascii_case(c)).unwrap_or(columns.len())
    })
}

/// Where a partial import leaves the rejected rows of `file` read from `dir`.
pub(crate) fn rejected_path(dir: &Path, file: OperaFile) -> PathBuf {
    dir.join(format!("{REJECTED_PREFIX}{}", file.file_name()))
}

fn io(path: &Path, source: impl Into<std::io::Error>) -> ImportError {
    ImportError::Io { path: path.to_owned(), source: source.into() }
}

/// Writes the rejected rows of `file` (read from `source`) with their reasons to `target`.
pub(crate) async fn write_rejected(
    conn: &mut AnyConnection,
    file: OperaFile,
    source: &Path,
    target: &Path,
) -> Result<(), ImportError> {
    let (input, delimiter, _) = open_dialect(source).map_err(|e| io(source, e))?;
    let mut reader = csv_reader(input, delimiter);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_path(target)
        .map_err(|e| io(target, e))?;
    let mut header = reader.byte_headers().map_err(|e| io(source, e))?.clone();
    header.push_field(REASON_COLUMN.as_bytes());
    writer.write_byte_record(&header).map_err(|e| io(target, e))?;
    let mut record = csv::ByteRecord::new();
    let (mut window_end, mut reasons) = (0_i64, HashMap::new());
    while reader.read_byte_record(&mut record).map_err(|e| io(source, e))? {
        let line = record.position().map_or(0, |p| p.line()) as i64;
        while line >= window_end {
            reasons = reasons_between(conn, file, window_end, window_end + WINDOW).await?;
            window_end += WINDOW;
        }
        if let Some(reason) = reasons.get(&line) {
            let mut marked: csv::ByteRecord =
                record.iter().map(super::formula::neutralise_rejected).collect();
            marked.push_field(&super::formula::neutralise_rejected(reason.as_bytes()));
            writer.write_byte_record(&marked).map_err(|e| io(target, e))?;
        }
    }
    writer.flush().map_err(|e| io(target, e))
}

/// The reasons of the rejected rows of `file` on lines `[from, to)`, joined per line.
async fn reasons_between(
    conn: &mut AnyConnection,
    file: OperaFile,
    from: i64,
    to: i64,
) -> Result<HashMap<i64, String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT line, col, reason FROM opera_reject
         WHERE file = $1 AND line >= $2 AND line < $3 ORDER BY line, col",
    )
    .bind(file.index())
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut listed = Vec::with_capacity(rows.len());
    for row in rows {
        let line: i64 = row.try_get("line")?;
        let column: Option<String> = row.try_get("col")?;
        let reason: String = row.try_get("reason")?;
        let rank = column_rank(file, column.as_deref());
        let text = match column {
            Some(column) => format!("column {column}: {reason}"),
            None => reason,
        };
        listed.push((line, rank, text));
    }
    listed.sort();
    let mut reasons: HashMap<i64, String> = HashMap::new();
    for (line, _, text) in listed {
        let entry = reasons.entry(line).or_default();
        if !entry.is_empty() {
            entry.push_str("; ");
        }
        entry.push_str(&text);
    }
    Ok(reasons)
}

/// Removes an afviste file left by an earlier import when this one rejected nothing of `file`,
/// so that the folder does not show rows as rejected that were not.
pub(crate) fn remove_stale(dir: &Path, file: OperaFile) -> Result<(), ImportError> {
    let path = rejected_path(dir, file);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&path, e)),
        _ => Ok(()),
    }
}
