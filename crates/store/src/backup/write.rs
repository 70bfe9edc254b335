//! Taking a backup: one consistent read of every table, streamed to a temporary file beside the
//! target, which is renamed over the target only when complete and synced. A backup killed
//! half-way leaves at most a stray temporary file, never a half file under the target's name.

use super::catalog::{self, Kind, Table};
use super::{BackupError, BackupHeader, TableEntry, FORMAT, FORMAT_VERSION};
use crate::{Backend, Store};
use flate2::write::GzEncoder;
use flate2::Compression;
use futures_util::TryStreamExt;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

impl Store {
    /// Writes a backup of the whole database to `out` and returns its header.
    pub async fn backup(&self, out: &Path) -> Result<BackupHeader, BackupError> {
        let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let io = |action, source| BackupError::Io { action, path: out.to_owned(), source };
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            // One snapshot for all tables, so rows committed meanwhile cannot half-appear.
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        // SQLite in WAL mode: the read transaction sees one snapshot from its first read on.
        let tables = catalog::tables(&mut tx, self.backend).await?;
        let migrations = catalog::migrations(&mut tx, self.backend).await?;
        if migrations.is_empty() {
            return Err(BackupError::Schema("this is not a Sikker By database (never migrated)".into()));
        }

        // The rows go to a first temporary file; the header, which needs their counts and
        // hashes, is written in front of them as a gzip member of its own.
        let mut body = partial_file(dir, out).map_err(|e| io("creating a file beside", e))?;
        let mut entries = Vec::new();
        {
            let mut gz = GzEncoder::new(BufWriter::new(body.as_file_mut()), Compression::default());
            for table in &tables {
                let (rows, sha256) = write_table(&mut tx, table, &mut gz).await?;
                let counter = catalog::counter_value(&mut tx, self.backend, table).await?;
                let columns = table.columns.iter().map(|(name, _)| name.clone()).collect();
                entries.push(TableEntry { name: table.name.clone(), columns, rows, sha256, counter });
            }
            gz.finish().and_then(|mut w| w.flush()).map_err(|e| io("writing", e))?;
        }
        tx.rollback().await?;

        let header = BackupHeader {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            source_backend: match self.backend {
                Backend::Sqlite => "sqlite",
                Backend::Postgres => "postgres",
            }
            .to_owned(),
            migrations,
            tables: entries,
        };
        let mut file = partial_file(dir, out).map_err(|e| io("creating a file beside", e))?;
        let mut gz = GzEncoder::new(file.as_file_mut(), Compression::default());
        let line = serde_json::to_string(&header).expect("a header always serialises");
        gz.write_all(line.as_bytes()).and_then(|_| gz.write_all(b"\n")).map_err(|e| io("writing", e))?;
        gz.finish().map_err(|e| io("writing", e))?;
        body.as_file_mut().rewind().map_err(|e| io("writing", e))?;
        std::io::copy(body.as_file_mut(), file.as_file_mut()).map_err(|e| io("writing", e))?;
        file.as_file().sync_all().map_err(|e| io("syncing", e))?;
        file.persist(out).map_err(|e| io("renaming a temporary file to", e.error))?;
        // The rename itself is durable only once the directory is synced.
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io("syncing the folder of", e))?;
        Ok(header)
    }
}

/// A temporary file beside `out`, named `.NAME.*.partial` so that what a kill leaves behind is
/// recognisable (readable by the owner only: a backup holds personal data).
fn partial_file(dir: &Path, out: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".partial").tempfile_in(dir)
}

/// Writes the table's section and returns its row count and hash.
async fn write_table(
    conn: &mut AnyConnection,
    table: &Table,
    out: &mut impl Write,
) -> Result<(u64, String), BackupError> {
    let io = |source| BackupError::Io { action: "writing", path: table.name.clone().into(), source };
    let marker = serde_json::json!({ "table": table.name });
    writeln!(out, "{marker}").map_err(io)?;
    let mut hasher = Sha256::new();
    let mut rows = 0u64;
    let sql = select_sql(table);
    let mut stream = sqlx::query(&sql).fetch(&mut *conn);
    while let Some(row) = stream.try_next().await? {
        let mut line = serde_json::to_string(&row_values(&row, table)?).expect("JSON values serialise");
        line.push('\n');
        hasher.update(line.as_bytes());
        out.write_all(line.as_bytes()).map_err(io)?;
        rows += 1;
    }
    Ok((rows, hex::encode(hasher.finalize())))
}

/// All columns, text read as text whatever the column's declared type, in primary-key order so
/// a row that refers to an earlier row of its own table (a correction) comes after it.
fn select_sql(table: &Table) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(name, kind)| match kind {
            Kind::Text => format!("CAST(\"{name}\" AS TEXT)"),
            _ => format!("\"{name}\""),
        })
        .collect();
    let order: Vec<String> = if table.primary_key.is_empty() {
        (1..=columns.len()).map(|i| i.to_string()).collect()
    } else {
        table.primary_key.iter().map(|c| format!("\"{c}\"")).collect()
    };
    format!("SELECT {} FROM \"{}\" ORDER BY {}", columns.join(", "), table.name, order.join(", "))
}

fn row_values(row: &AnyRow, table: &Table) -> Result<Vec<Value>, sqlx::Error> {
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, (_, kind)) in table.columns.iter().enumerate() {
        let value = match kind {
            Kind::Integer => row.try_get::<Option<i64>, _>(i)?.map(Value::from),
            // serde_json writes the shortest text that reads back as the same f64.
            Kind::Real => row.try_get::<Option<f64>, _>(i)?.map(Value::from),
            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::from),
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(values)
}
