//! Import of the area data behind the safety index (docs/formats.md, "Area data"): the folder
//! `tryghed/` with areas and their population per year, police reports, survey responses and
//! the half-yearly assessments; reading them back as the index's inputs; and the index's
//! configuration, versioned.
//!
//! The rules are the case extract's: header checked by name (any case, any order), `;` or `,`,
//! a byte-order mark or none; every rejected row named by file, line and column; nothing stored
//! when any row is rejected unless `--partial`, which stores the rest and writes the rejected
//! rows beside the input as `afviste_<file>.csv`; the same folder twice changes nothing.
//!
//! Steps: [`read`] lists and reads the folder, [`rows`] checks each row alone, [`check`] checks
//! rows against each other and the database, [`write`] upserts by key inside one transaction.

mod check;
mod config;
mod files;
mod inputs;
mod read;
mod rejects;
mod report;
pub(crate) mod rows;
mod write;

pub use config::{parse_index_config, IndexConfigError, IndexConfigVersion};
pub use files::TryghedFile;
pub use inputs::{AreaAssessment, DistrictYouth};
pub use report::{TryghedFileReport, TryghedImportError, TryghedReport, TryghedRowError, TryghedRowErrors};

use crate::opera::ImportOptions;
use crate::Store;
use check::{Checked, Known};
use sqlx::{AnyConnection, Row as _};
use std::collections::HashSet;
use std::path::Path;

/// The `meta` key counting imports that changed area data; the evaluator's cache of the
/// computed index compares it (with the configuration version) to know when to recompute.
pub(crate) const STAMP_KEY: &str = "tryghed_stamp";

impl Store {
    /// Imports the area data in `dir` (see the module documentation).
    ///
    /// Errors: [`TryghedImportError::UnknownFile`] for a file that is not one of the four;
    /// [`TryghedImportError::Rejected`] listing every rejected row (header problems included)
    /// when `options.partial` is off; the database is then exactly as before.
    pub async fn import_tryghed(
        &self,
        dir: &Path,
        options: ImportOptions,
    ) -> Result<TryghedReport, TryghedImportError> {
        let present = read::scan(dir)?;
        let raw = read::read_all(&present)?;
        let mut tx = self.pool().begin().await?;
        let known = known(&mut tx).await?;
        let checked = check::check_all(&raw, &known);
        if !checked.errors.is_empty() && !options.partial {
            return Err(TryghedImportError::Rejected(TryghedRowErrors(checked.errors)));
        }
        let report = store_checked(&mut tx, checked, dir, options).await?;
        if report.changed() {
            bump_stamp(&mut tx).await?;
        }
        tx.commit().await?;
        if report.changed() {
            self.refresh_planner_statistics().await;
        }
        tracing::info!(files = report.files.len(), rejected = report.rejected.0.len(), "area data imported");
        Ok(report)
    }
}

/// The districts, areas and area-years the database holds.
async fn known(conn: &mut AnyConnection) -> Result<Known, sqlx::Error> {
    let ids = |rows: Vec<sqlx::any::AnyRow>| -> Result<HashSet<String>, sqlx::Error> {
        rows.iter().map(|r| r.try_get::<String, _>(0)).collect()
    };
    let districts = ids(sqlx::query("SELECT id FROM district").fetch_all(&mut *conn).await?)?;
    let areas = ids(sqlx::query("SELECT id FROM area").fetch_all(&mut *conn).await?)?;
    let mut area_years = HashSet::new();
    for row in sqlx::query("SELECT area_id, year FROM area_year").fetch_all(&mut *conn).await? {
        area_years.insert((row.try_get::<String, _>(0)?, row.try_get::<i64, _>(1)? as i32));
    }
    Ok(Known { districts, areas, area_years })
}

async fn store_checked(
    conn: &mut AnyConnection,
    checked: Checked,
    dir: &Path,
    options: ImportOptions,
) -> Result<TryghedReport, TryghedImportError> {
    let mut report = TryghedReport { warnings: checked.warnings, ..TryghedReport::default() };
    for file in &checked.files {
        if file.file == TryghedFile::Omraader {
            write::write_areas(conn, file).await?;
        }
        let written = write::write_file(conn, file).await?;
        report.files.push(TryghedFileReport {
            file: file.file,
            read: file.read,
            inserted: written.inserted,
            updated: written.updated,
            unchanged: written.unchanged,
            rejected: file.rejected.len() as u64,
        });
        if options.partial {
            if let Some(path) = rejects::write_or_remove(dir, file)? {
                report.rejected_files.push(path);
            }
        }
    }
    report.rejected = TryghedRowErrors(checked.errors);
    Ok(report)
}

async fn bump_stamp(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    let current: Option<String> = sqlx::query("SELECT value FROM meta WHERE key = $1")
        .bind(STAMP_KEY)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    let next = current.and_then(|v| v.parse::<i64>().ok()).unwrap_or(0) + 1;
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(STAMP_KEY)
    .bind(next.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
