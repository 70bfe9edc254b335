//! Restoring a backup in one transaction. The file is read as a stream and checked as it goes
//! (gzip checksums, every table's row count and SHA-256 against the header); any failure rolls
//! the whole restore back.

use super::catalog::{self, Kind, Table};
use super::{
    BackupError, BackupHeader, RestoreOptions, TableEntry, FORMAT, FORMAT_VERSION, REFERENCE_TABLES,
};
use crate::{Backend, Store};
use flate2::read::MultiGzDecoder;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// Bound parameters per INSERT: well under SQLite's and PostgreSQL's limits.
const MAX_PARAMETERS: usize = 900;

impl Store {
    /// Restores the backup at `file` into this (migrated) database and returns its header.
    pub async fn restore(&self, file: &Path, options: RestoreOptions) -> Result<BackupHeader, BackupError> {
        let damaged = |reason: String| BackupError::Damaged { path: file.to_owned(), reason };
        let opened = std::fs::File::open(file).map_err(|source| BackupError::Io {
            action: "opening",
            path: file.to_owned(),
            source,
        })?;
        let mut lines = BufReader::new(MultiGzDecoder::new(BufReader::new(opened))).lines();
        let mut next_line = move || lines.next().transpose().map_err(|e| format!("cannot read it ({e})"));
        let first = next_line().map_err(damaged)?.ok_or_else(|| damaged("it is empty".into()))?;
        let header: BackupHeader =
            serde_json::from_str(&first).map_err(|e| damaged(format!("no backup header ({e})")))?;
        if header.format != FORMAT || header.version > FORMAT_VERSION {
            return Err(damaged(format!("format {} version {} is not known", header.format, header.version)));
        }

        let mut tx = self.pool.begin().await?;
        let conn: &mut AnyConnection = &mut tx;
        let targets = catalog::tables(conn, self.backend).await?;
        check_fits(&header, &catalog::migrations(conn, self.backend).await?, &targets)?;
        if !options.replace {
            refuse_unless_empty(conn, &targets).await?;
        }
        if self.backend == Backend::Sqlite {
            // Checked at commit instead of per statement; reset by the commit.
            sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *conn).await?;
        }
        // Counters never go back, neither below the backup's nor below this database's own.
        let mut counters: HashMap<&str, i64> = HashMap::new();
        for table in &targets {
            counters.insert(&table.name, catalog::counter_value(conn, self.backend, table).await?);
        }
        for entry in &header.tables {
            counters.entry(&entry.name).and_modify(|c| *c = entry.counter.max(*c));
        }
        let enable_triggers = catalog::drop_triggers(conn, self.backend, &targets).await?;
        // A table the backup does not have (added by a later migration) keeps what migrating
        // put there, unless `--replace` and it is not one of those filled by migrating.
        let emptied = targets.iter().rev().filter(|t| {
            header.tables.iter().any(|e| e.name == t.name)
                || (options.replace && !REFERENCE_TABLES.contains(&t.name.as_str()))
        });
        for table in emptied {
            sqlx::query(&format!("DELETE FROM \"{}\"", table.name)).execute(&mut *conn).await?;
        }

        let by_name: HashMap<&str, &Table> = targets.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut sections = header.tables.iter();
        let mut current: Option<Section> = None;
        while let Some(line) = next_line().map_err(damaged)? {
            if line.starts_with('{') {
                if let Some(done) = current.take() {
                    done.finish(conn).await.map_err(|e| e.into_error(file))?;
                }
                let entry =
                    sections.next().ok_or_else(|| damaged("more tables than its header lists".into()))?;
                let marker: Value = serde_json::from_str(&line).map_err(|e| damaged(e.to_string()))?;
                if marker["table"] != entry.name.as_str() {
                    return Err(damaged(format!("expected table {}, found {line}", entry.name)));
                }
                current = Some(Section::new(entry, by_name[entry.name.as_str()]));
            } else {
                let section =
                    current.as_mut().ok_or_else(|| damaged("rows before the first table".into()))?;
                section.push(conn, &line).await.map_err(|e| e.into_error(file))?;
            }
        }
        if let Some(done) = current.take() {
            done.finish(conn).await.map_err(|e| e.into_error(file))?;
        }
        if let Some(missing) = sections.next() {
            return Err(damaged(format!("it ends before table {} (truncated)", missing.name)));
        }

        for table in &targets {
            let at_least = counters.get(table.name.as_str()).copied().unwrap_or(0);
            catalog::set_counter(conn, self.backend, table, at_least).await?;
        }
        for statement in &enable_triggers {
            sqlx::query(statement).execute(&mut *conn).await?;
        }
        tx.commit().await?;
        self.refresh_planner_statistics().await;
        Ok(header)
    }
}

/// The backup's migrations must all be applied here, and its columns must exist here.
fn check_fits(header: &BackupHeader, applied: &[i64], targets: &[Table]) -> Result<(), BackupError> {
    if let Some(unknown) = header.migrations.iter().find(|v| !applied.contains(v)) {
        return Err(BackupError::Schema(format!(
            "the backup was made by a newer version (migration {unknown}); upgrade Sikker By first"
        )));
    }
    for entry in &header.tables {
        let table = targets.iter().find(|t| t.name == entry.name).ok_or_else(|| {
            BackupError::Schema(format!("the backup has table {}, this database does not", entry.name))
        })?;
        if let Some(column) = entry.columns.iter().find(|c| table.kind_of(c).is_none()) {
            return Err(BackupError::Schema(format!(
                "the backup has column {}.{column}, this database does not",
                entry.name
            )));
        }
    }
    Ok(())
}

async fn refuse_unless_empty(conn: &mut AnyConnection, targets: &[Table]) -> Result<(), BackupError> {
    for table in targets.iter().filter(|t| !REFERENCE_TABLES.contains(&t.name.as_str())) {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{}\"", table.name))
            .fetch_one(&mut *conn)
            .await?;
        if rows > 0 {
            return Err(BackupError::NotEmpty { table: table.name.clone(), rows });
        }
    }
    Ok(())
}

/// What went wrong inside a table's section.
enum SectionError {
    Damaged(String),
    Database(sqlx::Error),
}

impl SectionError {
    fn into_error(self, file: &Path) -> BackupError {
        match self {
            SectionError::Damaged(reason) => BackupError::Damaged { path: file.to_owned(), reason },
            SectionError::Database(e) => e.into(),
        }
    }
}

impl From<sqlx::Error> for SectionError {
    fn from(e: sqlx::Error) -> Self {
        SectionError::Database(e)
    }
}

/// One table being restored: rows are inserted in batches and counted and hashed as read.
struct Section<'a> {
    entry: &'a TableEntry,
    kinds: Vec<Kind>,
    batch: Vec<Vec<Value>>,
    rows: u64,
    hasher: Sha256,
}

impl<'a> Section<'a> {
    fn new(entry: &'a TableEntry, table: &Table) -> Self {
        let kinds = entry.columns.iter().map(|c| table.kind_of(c).unwrap_or(Kind::Text)).collect();
        Section { entry, kinds, batch: Vec::new(), rows: 0, hasher: Sha256::new() }
    }

    async fn push(&mut self, conn: &mut AnyConnection, line: &str) -> Result<(), SectionError> {
        let name = &self.entry.name;
        self.hasher.update(line.as_bytes());
        self.hasher.update(b"\n");
        self.rows += 1;
        let values: Vec<Value> = serde_json::from_str(line)
            .map_err(|e| SectionError::Damaged(format!("row {} of {name}: {e}", self.rows)))?;
        if values.len() != self.kinds.len() {
            return Err(SectionError::Damaged(format!(
                "row {} of {name} has {} values",
                self.rows,
                values.len()
            )));
        }
        self.batch.push(values);
        if self.batch.len() * self.kinds.len() >= MAX_PARAMETERS {
            self.flush(conn).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), SectionError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let width = self.kinds.len();
        let tuples: Vec<String> = (0..self.batch.len())
            .map(|r| {
                format!(
                    "({})",
                    (1..=width).map(|c| format!("${}", r * width + c)).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        let columns: Vec<String> = self.entry.columns.iter().map(|c| format!("\"{c}\"")).collect();
        let sql = format!(
            "INSERT INTO \"{}\" ({}) VALUES {}",
            self.entry.name,
            columns.join(", "),
            tuples.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for values in self.batch.drain(..) {
            for (i, (value, kind)) in values.into_iter().zip(&self.kinds).enumerate() {
                let column = &self.entry.columns[i];
                let wrong = || {
                    SectionError::Damaged(format!("{}.{column}: unexpected value {value}", self.entry.name))
                };
                query = match (kind, &value) {
                    (Kind::Integer, Value::Null) => query.bind(None::<i64>),
                    (Kind::Real, Value::Null) => query.bind(None::<f64>),
                    (Kind::Text, Value::Null) => query.bind(None::<String>),
                    (Kind::Integer, Value::Number(n)) => query.bind(n.as_i64().ok_or_else(wrong)?),
                    (Kind::Real, Value::Number(n)) => query.bind(n.as_f64().ok_or_else(wrong)?),
                    (Kind::Text, Value::String(s)) => query.bind(s.clone()),
                    _ => return Err(wrong()),
                };
            }
        }
        query.execute(&mut *conn).await?;
        Ok(())
    }

    /// Stores what is left and checks the table against the header.
    async fn finish(mut self, conn: &mut AnyConnection) -> Result<(), SectionError> {
        self.flush(conn).await?;
        let hash = hex::encode(self.hasher.finalize());
        if self.rows != self.entry.rows || hash != self.entry.sha256 {
            return Err(SectionError::Damaged(format!(
                "table {} has {} rows with hash {hash}, its header says {} rows with hash {}",
                self.entry.name, self.rows, self.entry.rows, self.entry.sha256
            )));
        }
        Ok(())
    }
}
