//! Import and export of the OPERA case extract (docs/formats.md, "Case extract"): a folder of up
//! to six CSV files — citizens, enrollments, offers, leisure jobs, life events, follow-ups.
//!
//! An import is all or nothing: the whole folder goes through one database transaction, and a
//! rejected row (or a crash) rolls it back, unless the caller asks for a partial import, which
//! stores the valid rows and writes the rejected ones to `afviste_<file>.csv` beside the input.
//! The steps, each in its module:
//!
//! 1. `folder` lists the folder and `read` checks each header (unknown file or column);
//! 2. `read` streams each file, `rows` checks each row on its own (codes, dates, CPR numbers)
//!    and `stage` writes it, checked or not, to a temporary staging table in batches;
//! 3. `validate` and `anchors` check references between rows in SQL against the folder and
//!    the database, file by file, so that rejection cascades to the rows that refer to a
//!    rejected one;
//! 4. `write` writes the accepted rows, keyed by the extract's ids, and `rejects` reports.
//!
//! Nothing holds a whole file in memory: rows are streamed, checks and reasons are paged.

mod anchors;
mod catalog;
mod export;
mod files;
pub(crate) mod folder;
mod formula;
mod import;
pub(crate) mod line_endings;
pub(crate) mod read;
mod rejects;
mod report;
mod rows;
mod stage;
mod validate;
mod write;

pub use files::{Column, OperaFile, REJECTED_PREFIX};
pub use report::{
    ExportError, ExportReport, ExportedFile, FileReport, FileRowError, ImportError, ImportOptions,
    ImportPhase, ImportProgress, ImportReport, ImportWarning, RowError, RowErrors,
};

use crate::Store;
use catalog::Catalog;
use folder::Folder;
use import::Tracker;
use sqlx::Connection;
use std::path::Path;

impl Store {
    /// Imports the OPERA extract in `dir` (see the module documentation), calling `progress`
    /// every 10,000 rows and at each change of file or phase.
    ///
    /// Errors: [`ImportError::UnknownFile`] for a file that is not one of the six;
    /// [`ImportError::Rejected`] listing every rejected row (header problems included) when
    /// `options.partial` is off — the database is then exactly as before.
    pub async fn import_opera(
        &self,
        dir: &Path,
        options: ImportOptions,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<ImportReport, ImportError> {
        let folder = Folder::scan(dir)?;
        let files = folder.open()?;
        let catalog = Catalog::load(self).await?;
        let bytes_total = files.iter().map(|(_, csv)| csv.bytes_total()).sum();
        let mut tracker = Tracker::new(progress, bytes_total);
        // One connection for the whole import: the transaction and the staging tables live on
        // it, and its SQLite cache is enlarged for the import and given back afterwards.
        let mut conn = self.pool().acquire().await?;
        let cache = stage::enlarge_cache(&mut conn).await?;
        let mut tx = conn.begin().await?;
        let mut outcome = import::run(&mut tx, &folder, files, &catalog, options, &mut tracker).await;
        if let Ok(report) = &outcome {
            // The import is in the audit log, committed with it.
            if let Err(error) = crate::audit::append(&mut tx, &import_audit_entry(report)).await {
                outcome = Err(error.into());
            }
        }
        if outcome.is_ok() {
            // Every running evaluator reloads once the import has committed (`change_log`).
            if let Err(error) = crate::change_log::append_everything(&mut tx).await {
                outcome = Err(error.into());
            }
        }
        let outcome = match outcome {
            Ok(report) => tx.commit().await.map(|()| report).map_err(ImportError::from),
            Err(error) => {
                // The rollback's own failure would hide the reason; the transaction is gone
                // either way, as the connection discards it.
                let _ = tx.rollback().await;
                Err(error)
            }
        };
        if let Some(sizes) = cache {
            stage::restore_cache(&mut conn, sizes).await?;
        }
        if let Ok(report) = &outcome {
            drop(conn);
            self.refresh_planner_statistics().await;
            tracing::info!(
                files = report.files.len(),
                warnings = report.warnings_total,
                rejected = report.rejected.total(),
                "OPERA extract imported"
            );
        }
        outcome
    }
}

/// The audit row of an import: a bulk write of case data by an operator command, with the
/// counts of what it changed (no person named: the rows are the citizens' own records).
fn import_audit_entry(report: &ImportReport) -> crate::audit::AuditEntry {
    use crate::audit::{Actor, AuditAction, AuditEntry};
    let sum = |count: fn(&FileReport) -> u64| report.files.iter().map(count).sum::<u64>();
    let detail = format!(
        "OPERA import: {} rows read, {} new, {} updated, {} rejected",
        sum(|f| f.read),
        sum(|f| f.inserted),
        sum(|f| f.updated),
        sum(|f| f.rejected)
    );
    AuditEntry::new(&Actor::system("opera-import"), AuditAction::WriteCase, chrono::Utc::now()).detail(detail)
}
