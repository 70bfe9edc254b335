//! The steps of an import, all on the one connection of its transaction: stage every file while
//! reading it, check references between rows, then — when nothing was rejected, or the caller
//! asked for a partial import — write the accepted rows and report.

use super::catalog::Catalog;
use super::folder::Folder;
use super::read::{CsvFile, Next};
use super::rejects;
use super::report::{
    FileReport, ImportError, ImportOptions, ImportPhase, ImportProgress, ImportReport, ImportWarning,
    RowErrors,
};
use super::rows::{self, shown, Value};
use super::stage::{self, Batch};
use super::validate;
use super::write;
use super::OperaFile;
use sqlx::{AnyConnection, Row};

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 10_000;

/// The caller's progress callback and the counts it is given.
pub(crate) struct Tracker<'p> {
    progress: &'p (dyn Fn(ImportProgress) + Sync),
    rows: u64,
    /// Bytes of the files already read.
    bytes_before: u64,
    bytes_total: u64,
}

impl<'p> Tracker<'p> {
    pub fn new(progress: &'p (dyn Fn(ImportProgress) + Sync), bytes_total: u64) -> Self {
        Self { progress, rows: 0, bytes_before: 0, bytes_total }
    }

    fn report(&self, file: OperaFile, phase: ImportPhase, bytes_in_file: u64) {
        (self.progress)(ImportProgress {
            file,
            phase,
            rows_done: self.rows,
            bytes_done: (self.bytes_before + bytes_in_file).min(self.bytes_total),
            bytes_total: self.bytes_total,
        });
    }

    fn phase(&self, file: OperaFile, phase: ImportPhase) {
        self.report(file, phase, 0);
    }
}

/// Warnings of the import, the first [`RowErrors::CAP`] kept.
#[derive(Default)]
struct Warnings {
    list: Vec<ImportWarning>,
    total: u64,
}

impl Warnings {
    fn push(&mut self, warning: ImportWarning) {
        self.total += 1;
        if self.list.len() < RowErrors::CAP {
            self.list.push(warning);
        }
    }
}

/// Runs the import of the opened `files` of `folder` on `conn`, inside the caller's
/// transaction. An error leaves the transaction for the caller to roll back.
pub(crate) async fn run(
    conn: &mut AnyConnection,
    folder: &Folder,
    mut files: Vec<(OperaFile, CsvFile)>,
    catalog: &Catalog,
    options: ImportOptions,
    tracker: &mut Tracker<'_>,
) -> Result<ImportReport, ImportError> {
    stage::create(conn).await?;
    let mut warnings = Warnings::default();
    let mut reports = Vec::new();
    for (file, csv) in &mut files {
        let read = stage_file(conn, folder, *file, csv, catalog, tracker, &mut warnings).await?;
        reports.push(FileReport { file: *file, read, inserted: 0, updated: 0, unchanged: 0, rejected: 0 });
    }
    stage::index(conn).await?;
    for report in &reports {
        tracker.phase(report.file, ImportPhase::Checking);
        validate::check_file(conn, report.file, catalog).await?;
    }
    if folder.path(OperaFile::Borgere).is_some() {
        unknown_areas(conn, &mut warnings).await?;
    }
    let rejected = rejects::summary(conn).await?;
    if !rejected.is_empty() && !options.partial {
        return Err(ImportError::Rejected(rejected.reasons));
    }
    for report in &mut reports {
        tracker.phase(report.file, ImportPhase::Storing);
        let written = write::write_file(conn, report.file).await?;
        report.inserted = written.inserted;
        report.updated = written.updated;
        report.unchanged = written.unchanged;
        report.rejected = rejected.rows.get(&report.file).copied().unwrap_or(0);
    }
    crate::cases::assign_owning_enrollments(conn, None).await?;
    let rejected_files =
        if options.partial { write_rejected_files(conn, folder, &reports).await? } else { Vec::new() };
    stage::drop(conn).await?;
    Ok(ImportReport {
        files: reports,
        warnings: warnings.list,
        warnings_total: warnings.total,
        rejected: rejected.reasons,
        rejected_files,
    })
}

/// Reads one file row by row into its staging table, recording the reasons of rows that fail
/// their own checks. Returns the number of data rows read.
async fn stage_file(
    conn: &mut AnyConnection,
    folder: &Folder,
    file: OperaFile,
    csv: &mut CsvFile,
    catalog: &Catalog,
    tracker: &mut Tracker<'_>,
    warnings: &mut Warnings,
) -> Result<u64, ImportError> {
    let mut staged = Batch::stage(file);
    let mut rejects = Batch::rejects();
    let mut read = 0_u64;
    tracker.phase(file, ImportPhase::Reading);
    loop {
        // The record borrows the reader; it is checked into owned values before any await.
        let (line, checked) = match csv.next() {
            Ok(Next::End) => break,
            Ok(Next::Row(fields)) => (fields.line, Ok(rows::check(file, &fields, catalog))),
            Ok(Next::Malformed { line, reason }) => (line, Err(reason)),
            Err(e) => {
                let path = folder.path(file).unwrap_or(&folder.dir).to_owned();
                return Err(ImportError::Io { path, source: e.into() });
            }
        };
        read += 1;
        tracker.rows += 1;
        match checked {
            Ok(checked) => {
                let ok = checked.errors.is_empty();
                for (column, message) in checked.warnings {
                    warnings.push(ImportWarning { file, line, column, message });
                }
                for (column, reason) in checked.errors {
                    rejects.reject(conn, file, line, Some(column), reason).await?;
                }
                let head = [Value::Int(Some(line as i64)), Value::Int(Some(i64::from(ok)))];
                staged.push(conn, head.into_iter().chain(checked.values)).await?;
            }
            Err(reason) => rejects.reject(conn, file, line, None, reason).await?,
        }
        if read.is_multiple_of(PROGRESS_EVERY) {
            tracker.report(file, ImportPhase::Reading, csv.bytes_done());
        }
    }
    staged.flush(conn).await?;
    rejects.flush(conn).await?;
    tracker.bytes_before += csv.bytes_total();
    tracker.phase(file, ImportPhase::Reading);
    Ok(read)
}

/// Warns of accepted citizens whose area is not (yet) known: they are kept, because case and
/// area data may arrive in either order.
async fn unknown_areas(conn: &mut AnyConnection, warnings: &mut Warnings) -> Result<(), sqlx::Error> {
    const WHERE: &str = "FROM opera_stage_borgere s WHERE s.ok = 1 AND s.area_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM area a WHERE a.id = s.area_id)";
    let total: i64 =
        sqlx::query(&format!("SELECT COUNT(*) {WHERE}")).fetch_one(&mut *conn).await?.try_get(0)?;
    let rows = sqlx::query(&format!("SELECT s.line, s.area_id {WHERE} ORDER BY s.line LIMIT $1"))
        .bind(RowErrors::CAP as i64)
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        let area: String = row.try_get("area_id")?;
        warnings.push(ImportWarning {
            file: OperaFile::Borgere,
            line: row.try_get::<i64, _>("line")? as u64,
            column: "omraade",
            message: format!("area {} is not known yet; kept", shown(&area)),
        });
    }
    warnings.total += (total as u64).saturating_sub(rows.len() as u64);
    Ok(())
}

/// Writes `afviste_<file>.csv` for each file with rejected rows, and removes an old one where
/// this import rejected nothing.
async fn write_rejected_files(
    conn: &mut AnyConnection,
    folder: &Folder,
    reports: &[FileReport],
) -> Result<Vec<std::path::PathBuf>, ImportError> {
    let mut written = Vec::new();
    for report in reports {
        let Some(source) = folder.path(report.file) else {
            continue;
        };
        if report.rejected == 0 {
            rejects::remove_stale(&folder.dir, report.file)?;
            continue;
        }
        let target = rejects::rejected_path(&folder.dir, report.file);
        rejects::write_rejected(conn, report.file, source, &target).await?;
        written.push(target);
    }
    Ok(written)
}
