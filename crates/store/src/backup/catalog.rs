//! What the database itself says about its tables: names, columns with their kind, primary
//! keys, foreign keys, triggers and id counters. Read from `sqlite_master`/`pragma_*` and from
//! PostgreSQL's catalog, so a table added by a later migration is backed up without a code
//! change.

use crate::{Backend, StoreError};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// The migration bookkeeping of sqlx: not data, and written by `migrate` itself.
pub(super) const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// How a column's values are written to and read from the backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Integer,
    Real,
    Text,
}

/// One table as the catalog describes it.
#[derive(Debug, Clone)]
pub(super) struct Table {
    pub name: String,
    pub columns: Vec<(String, Kind)>,
    pub primary_key: Vec<String>,
    /// Tables this one refers to by foreign key (itself excluded).
    pub parents: BTreeSet<String>,
    /// The column whose values a counter hands out: PostgreSQL identity or serial, SQLite
    /// AUTOINCREMENT.
    pub counter: Option<String>,
}

impl Table {
    pub fn kind_of(&self, column: &str) -> Option<Kind> {
        self.columns.iter().find(|(name, _)| name == column).map(|(_, kind)| *kind)
    }
}

/// All data tables, parents before children (foreign-key order).
pub(super) async fn tables(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<Table>, StoreError> {
    let names: Vec<String> = match backend {
        Backend::Sqlite => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        ),
        Backend::Postgres => sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
        ),
    }
    .fetch_all(&mut *conn)
    .await?;
    let mut tables = Vec::new();
    for name in names.into_iter().filter(|n| n != MIGRATIONS_TABLE) {
        let table = match backend {
            Backend::Sqlite => sqlite_table(conn, name).await?,
            Backend::Postgres => postgres_table(conn, name).await?,
        };
        tables.push(table);
    }
    Ok(foreign_key_order(tables))
}

async fn sqlite_table(conn: &mut AnyConnection, name: String) -> Result<Table, StoreError> {
    let rows = sqlx::query("SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid")
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?;
    let mut columns = Vec::new();
    let mut keyed = Vec::new();
    for row in &rows {
        let column: String = row.try_get(0)?;
        let declared: String = row.try_get(1)?;
        let pk: i64 = row.try_get(2)?;
        if pk > 0 {
            keyed.push((pk, column.clone()));
        }
        columns.push((column, sqlite_kind(&declared)));
    }
    keyed.sort();
    let primary_key: Vec<String> = keyed.into_iter().map(|(_, c)| c).collect();
    let parents = sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)")
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter(|parent: &String| *parent != name)
        .collect();
    let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
        .bind(&name)
        .fetch_one(&mut *conn)
        .await?;
    let counter = (sql.to_ascii_uppercase().contains("AUTOINCREMENT") && primary_key.len() == 1)
        .then(|| primary_key[0].clone());
    Ok(Table { name, columns, primary_key, parents, counter })
}

/// SQLite's own affinity rules (https://sqlite.org/datatype3.html, 3.1).
fn sqlite_kind(declared: &str) -> Kind {
    let declared = declared.to_ascii_uppercase();
    if declared.contains("INT") {
        Kind::Integer
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|t| declared.contains(t)) {
        Kind::Real
    } else {
        Kind::Text
    }
}

async fn postgres_table(conn: &mut AnyConnection, name: String) -> Result<Table, StoreError> {
    let rows = sqlx::query(
        "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT),
                CAST(is_identity = 'YES' OR column_default LIKE 'nextval(%' AS TEXT)
         FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(&name)
    .fetch_all(&mut *conn)
    .await?;
    let mut columns = Vec::new();
    let mut counter = None;
    for row in &rows {
        let column: String = row.try_get(0)?;
        let data_type: String = row.try_get(1)?;
        // An identity column or a serial one (a sequence as its default).
        let counted: Option<String> = row.try_get(2)?;
        if counted.as_deref() == Some("true") {
            counter = Some(column.clone());
        }
        let kind = match data_type.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Integer,
            "double precision" | "real" => Kind::Real,
            _ => Kind::Text,
        };
        columns.push((column, kind));
    }
    let primary_key = sqlx::query_scalar(
        "SELECT CAST(a.attname AS TEXT) FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = CAST($1 AS regclass) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
    )
    .bind(&name)
    .fetch_all(&mut *conn)
    .await?;
    let parents = sqlx::query_scalar(
        "SELECT DISTINCT CAST(CAST(confrelid AS regclass) AS TEXT) FROM pg_constraint
         WHERE conrelid = CAST($1 AS regclass) AND contype = 'f' AND confrelid <> conrelid",
    )
    .bind(&name)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    Ok(Table { name, columns, primary_key, parents, counter })
}

/// Kahn's algorithm: a table comes after every table it refers to, ties in name order so two
/// backups of the same schema list tables alike. A cycle (none today) keeps name order for the
/// rest; SQLite checks foreign keys at commit anyway.
fn foreign_key_order(tables: Vec<Table>) -> Vec<Table> {
    let mut pending: BTreeMap<String, Table> = tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let mut ordered: Vec<Table> = Vec::new();
    while !pending.is_empty() {
        let ready = pending
            .values()
            .find(|t| t.parents.iter().all(|p| !pending.contains_key(p)))
            .map(|t| t.name.clone())
            .unwrap_or_else(|| pending.keys().next().cloned().unwrap_or_default());
        ordered.extend(pending.remove(&ready));
    }
    ordered
}

/// The migration versions applied, in order; none when the database was never migrated.
pub(super) async fn migrations(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<i64>, StoreError> {
    let exists: i64 = match backend {
        Backend::Sqlite => sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = $1"),
        Backend::Postgres => sqlx::query_scalar("SELECT COUNT(*) FROM pg_tables WHERE tablename = $1"),
    }
    .bind(MIGRATIONS_TABLE)
    .fetch_one(&mut *conn)
    .await?;
    if exists == 0 {
        return Ok(Vec::new());
    }
    let versions =
        sqlx::query_scalar(&format!("SELECT version FROM {MIGRATIONS_TABLE} WHERE success ORDER BY version"))
            .fetch_all(&mut *conn)
            .await?;
    Ok(versions)
}

/// The last value the table's id counter handed out (0 if none), which can be above the largest
/// id still present when rows were deleted: a restore keeps it, so ids are never reused.
pub(super) async fn counter_value(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &Table,
) -> Result<i64, StoreError> {
    let Some(column) = &table.counter else { return Ok(0) };
    let value: Option<i64> = match backend {
        Backend::Sqlite => {
            sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = $1")
                .bind(&table.name)
                .fetch_optional(&mut *conn)
                .await?
        }
        Backend::Postgres => {
            let sequence = postgres_sequence(conn, &table.name, column).await?;
            sqlx::query_scalar(&format!(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}"
            ))
            .fetch_optional(&mut *conn)
            .await?
        }
    };
    Ok(value.unwrap_or(0))
}

/// Sets the table's id counter to `at_least` or the largest id present, whichever is larger.
pub(super) async fn set_counter(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &Table,
    at_least: i64,
) -> Result<(), StoreError> {
    let Some(column) = &table.counter else { return Ok(()) };
    let largest: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX({column}) FROM {}", table.name))
        .fetch_one(&mut *conn)
        .await?;
    let value = largest.unwrap_or(0).max(at_least);
    match backend {
        Backend::Sqlite => {
            sqlx::query("DELETE FROM sqlite_sequence WHERE name = $1")
                .bind(&table.name)
                .execute(&mut *conn)
                .await?;
            if value > 0 {
                sqlx::query("INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)")
                    .bind(&table.name)
                    .bind(value)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Backend::Postgres => {
            let sequence = postgres_sequence(conn, &table.name, column).await?;
            // setval(…, 1, false): the next id is 1, as in a fresh table.
            sqlx::query(&format!("SELECT CAST(setval('{sequence}', $1, $2) AS BIGINT)"))
                .bind(value.max(1))
                .bind(value > 0)
                .fetch_one(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

async fn postgres_sequence(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
) -> Result<String, StoreError> {
    let name: Option<String> = sqlx::query_scalar("SELECT pg_get_serial_sequence($1, $2)")
        .bind(table)
        .bind(column)
        .fetch_one(&mut *conn)
        .await?;
    name.ok_or_else(|| StoreError::Corrupt(format!("{table}.{column} has no sequence")))
}

/// Switches the user triggers off (or on again) for the restore: the append-only guards would
/// refuse `--replace`, and a trigger that records changes must not record the restore itself.
/// On SQLite a trigger cannot be disabled, so it is dropped and created again from its stored
/// SQL before the commit; both are transactional.
pub(super) async fn drop_triggers(
    conn: &mut AnyConnection,
    backend: Backend,
    tables: &[Table],
) -> Result<Vec<String>, StoreError> {
    match backend {
        Backend::Sqlite => {
            let triggers: Vec<(String, String)> =
                sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
                    .fetch_all(&mut *conn)
                    .await?;
            for (name, _) in &triggers {
                sqlx::query(&format!("DROP TRIGGER \"{name}\"")).execute(&mut *conn).await?;
            }
            Ok(triggers.into_iter().map(|(_, sql)| sql).collect())
        }
        Backend::Postgres => {
            for table in tables {
                sqlx::query(&format!("ALTER TABLE {} DISABLE TRIGGER USER", table.name))
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(tables.iter().map(|t| format!("ALTER TABLE {} ENABLE TRIGGER USER", t.name)).collect())
        }
    }
}
