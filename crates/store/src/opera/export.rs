//! Export of the case data as an OPERA extract: the six files with `;` as delimiter, UTF-8
//! without a byte-order mark, ISO dates, CPR numbers as ten digits and the header in the
//! canonical column order, so that an import of the export gives the same data. A value that a
//! spreadsheet would run as a formula is written as text (see [`super::formula`]).
//!
//! Rows are read a page at a time by key (`key > $1 ORDER BY key LIMIT $2`) inside one read
//! transaction, so the files are a consistent snapshot and memory does not grow with the data.

use super::files::OperaFile;
use super::report::{ExportError, ExportReport, ExportedFile};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::{Backend, Store};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Rows read per query.
const PAGE: i64 = 10_000;

/// The query of a file: its first column `k` is the paging key, then one text column per
/// canonical column of the file.
fn query(file: OperaFile) -> &'static str {
    match file {
        OperaFile::Borgere => {
            "SELECT c.id AS k, c.cpr, c.name, c.area_id FROM citizen c
             WHERE c.id > $1 ORDER BY c.id LIMIT $2"
        }
        OperaFile::Forloeb => {
            "SELECT e.id AS k, e.id, c.cpr, e.initiative_code, e.start_date, e.end_date,
                 e.end_reason, e.lead, e.caseworker_code, e.centre
             FROM enrollment e JOIN citizen c ON c.id = e.citizen_id
             WHERE e.id > $1 ORDER BY e.id LIMIT $2"
        }
        OperaFile::Tilbud => {
            "SELECT o.id AS k, o.id, o.enrollment_id, o.offer_type, o.start_date, o.end_date,
                 o.end_reason
             FROM offer o WHERE o.id > $1 ORDER BY o.id LIMIT $2"
        }
        OperaFile::Fritidsjob => {
            "SELECT p.id AS k, p.id, c.cpr, p.employer, p.start_date, p.end_date
             FROM placement p JOIN citizen c ON c.id = p.citizen_id
             WHERE p.id > $1 ORDER BY p.id LIMIT $2"
        }
        OperaFile::Haendelser => {
            "SELECT l.id AS k, l.id, c.cpr, l.kind, l.event_date, CAST(l.value AS TEXT)
             FROM life_event l JOIN citizen c ON c.id = l.citizen_id
             WHERE l.id > $1 ORDER BY l.id LIMIT $2"
        }
        OperaFile::Opfoelgninger => {
            "SELECT f.id AS k, f.id, c.cpr, f.anchor, f.anchor_id, f.due_date, f.done_date,
                 f.status
             FROM follow_up f JOIN citizen c ON c.id = f.citizen_id
             WHERE f.id > $1 ORDER BY f.id LIMIT $2"
        }
    }
}

/// The last key of a page: citizens page by their internal id, the rest by the extract's id.
#[derive(Debug, Clone)]
enum Key {
    Int(i64),
    Text(String),
}

impl Key {
    fn first(file: OperaFile) -> Self {
        match file {
            OperaFile::Borgere => Key::Int(0),
            _ => Key::Text(String::new()),
        }
    }

    fn of(&self, row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(match self {
            Key::Int(_) => Key::Int(row.try_get("k")?),
            Key::Text(_) => Key::Text(row.try_get("k")?),
        })
    }
}

impl Store {
    /// Writes the six files of an OPERA extract with all case data to `dir` (created when
    /// missing), replacing files of the same names.
    pub async fn export_opera(&self, dir: &Path) -> Result<ExportReport, ExportError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| ExportError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        // A read of every citizen's data: in the audit log before anything is read.
        let entry = AuditEntry::new(&Actor::system("opera-export"), AuditAction::Export, chrono::Utc::now())
            .detail("OPERA extract of all case data");
        self.audit(&entry).await?;
        let mut tx = self.pool().begin().await?;
        if self.backend() == Backend::Postgres {
            // One snapshot for all six files; SQLite's read transaction is one already.
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await?;
        }
        let mut report = ExportReport::default();
        for file in OperaFile::ALL {
            let path = dir.join(file.file_name());
            let rows = export_file(&mut tx, file, &path).await?;
            report.files.push(ExportedFile { file, path, rows });
        }
        tx.commit().await?;
        Ok(report)
    }
}

/// Writes one file; returns the number of rows.
async fn export_file(conn: &mut AnyConnection, file: OperaFile, path: &Path) -> Result<u64, ExportError> {
    let io = |source: std::io::Error| ExportError::Io { path: path.to_owned(), source };
    let out = BufWriter::new(File::create(path).map_err(io)?);
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    let header = file.columns().iter().map(|c| c.name);
    writer.write_record(header).map_err(|e| io(e.into()))?;
    let width = file.columns().len();
    let (mut key, mut rows) = (Key::first(file), 0_u64);
    loop {
        let bound = match &key {
            Key::Int(k) => sqlx::query(query(file)).bind(*k),
            Key::Text(k) => sqlx::query(query(file)).bind(k.clone()),
        };
        let page = bound.bind(PAGE).fetch_all(&mut *conn).await?;
        for row in &page {
            let mut fields = Vec::with_capacity(width);
            for index in 1..=width {
                let value = row.try_get::<Option<String>, _>(index)?.unwrap_or_default();
                // Never a formula in a spreadsheet; the import takes the mark off again.
                fields.push(super::formula::neutralise(&value).into_owned());
            }
            writer.write_record(&fields).map_err(|e| io(e.into()))?;
            key = key.of(row)?;
        }
        rows += page.len() as u64;
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    writer.flush().map_err(io)?;
    Ok(rows)
}
