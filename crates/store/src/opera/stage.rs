//! Staging tables: every row of the folder is first written to a temporary table of its file,
//! with its line number and whether its own checks passed, so that references between rows can
//! be checked set-based in SQL against "the folder ∪ the database" without holding the folder
//! in memory. Rejection reasons go to a temporary table too.
//!
//! The tables are created inside the import's transaction, so a rollback (or a killed process)
//! takes them away with everything else; a successful import drops them before it commits.
//! Temporary tables are private to the connection, so two imports cannot see each other's rows.

use super::files::OperaFile;
use super::rows::Value;
use sqlx::AnyConnection;

/// Parameters per INSERT: below SQLite's limit of 32,766 and PostgreSQL's of 65,535, and large
/// enough that statement overhead is small beside the rows.
const MAX_PARAMETERS: usize = 12_000;

/// The staging table of a file.
pub(crate) fn table(file: OperaFile) -> &'static str {
    match file {
        OperaFile::Borgere => "opera_stage_borgere",
        OperaFile::Forloeb => "opera_stage_forloeb",
        OperaFile::Tilbud => "opera_stage_tilbud",
        OperaFile::Fritidsjob => "opera_stage_fritidsjob",
        OperaFile::Haendelser => "opera_stage_haendelser",
        OperaFile::Opfoelgninger => "opera_stage_opfoelgninger",
    }
}

/// The staged columns of a file after `line` and `ok`, in the order [`super::rows::check`]
/// produces its values. The first is the key (`cpr` for citizens, else `id`).
pub(crate) fn columns(file: OperaFile) -> &'static [&'static str] {
    match file {
        OperaFile::Borgere => {
            &["cpr", "birth_date", "sex", "name", "area_id", "substitute_number", "modulus11_warning"]
        }
        OperaFile::Forloeb => &[
            "id",
            "cpr",
            "initiative",
            "start_date",
            "end_date",
            "end_reason",
            "lead",
            "caseworker_code",
            "centre",
        ],
        OperaFile::Tilbud => &["id", "enrollment_id", "offer_type", "start_date", "end_date", "end_reason"],
        OperaFile::Fritidsjob => &["id", "cpr", "employer", "start_date", "end_date"],
        OperaFile::Haendelser => &["id", "cpr", "kind", "event_date", "value"],
        OperaFile::Opfoelgninger => {
            &["id", "cpr", "anchor", "anchor_id", "due_date", "done_date", "status", "anchor_lo", "anchor_hi"]
        }
    }
}

/// The key column of a staging table.
pub(crate) fn key(file: OperaFile) -> &'static str {
    columns(file)[0]
}

fn is_integer(column: &str) -> bool {
    matches!(column, "substitute_number" | "modulus11_warning" | "value")
}

/// SQLite page cache sizes (`PRAGMA cache_size`) of the case tables and of the temporary ones.
pub(crate) type CacheSizes = (i64, i64);

/// SQLite's default page cache is 2 MB per database; an import touches far more pages (indexes
/// of a million rows), and rereading them dominates its time. Gives the connection 64 MiB for
/// the case tables and 64 MiB for the staging tables — a fixed amount, whatever the file size —
/// and returns the sizes before, for [`restore_cache`]. Nothing to do for PostgreSQL.
pub(crate) async fn enlarge_cache(conn: &mut AnyConnection) -> Result<Option<CacheSizes>, sqlx::Error> {
    if conn.backend_name() != "SQLite" {
        return Ok(None);
    }
    let main: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
    let temp: i64 = sqlx::query_scalar("PRAGMA temp.cache_size").fetch_one(&mut *conn).await?;
    sqlx::query("PRAGMA cache_size = -65536").execute(&mut *conn).await?;
    sqlx::query("PRAGMA temp.cache_size = -65536").execute(&mut *conn).await?;
    Ok(Some((main, temp)))
}

/// Gives the pooled connection its cache sizes back, so that it does not keep 128 MiB.
pub(crate) async fn restore_cache(conn: &mut AnyConnection, sizes: CacheSizes) -> Result<(), sqlx::Error> {
    // PRAGMA takes no bound parameters; the values are integers read from SQLite itself.
    sqlx::query(&format!("PRAGMA cache_size = {}", sizes.0)).execute(&mut *conn).await?;
    sqlx::query(&format!("PRAGMA temp.cache_size = {}", sizes.1)).execute(&mut *conn).await?;
    Ok(())
}

/// Creates the staging tables and the table of rejection reasons, empty.
pub(crate) async fn create(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    let sqlite = conn.backend_name() == "SQLite";
    // In SQLite only `INTEGER PRIMARY KEY` is the table's own row id; any other key is a second
    // B-tree to write. In PostgreSQL `INTEGER` is 32 bits, so there the line stays `BIGINT`.
    let line_type = if sqlite { "INTEGER" } else { "BIGINT" };
    for file in OperaFile::ALL {
        let columns: Vec<String> = columns(file)
            .iter()
            .map(|c| format!("{c} {}", if is_integer(c) { "BIGINT" } else { "TEXT" }))
            .collect();
        let sql = format!(
            "CREATE TEMPORARY TABLE {} (line {line_type} PRIMARY KEY, ok BIGINT NOT NULL, {})",
            table(file),
            columns.join(", ")
        );
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    sqlx::query(
        "CREATE TEMPORARY TABLE opera_reject (file BIGINT NOT NULL, line BIGINT NOT NULL,
             col TEXT, reason TEXT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("CREATE INDEX opera_reject_line ON opera_reject (file, line)").execute(&mut *conn).await?;
    Ok(())
}

/// Indexes the keys the checks join on; built after loading, which is faster than keeping
/// them up to date row by row.
pub(crate) async fn index(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for file in OperaFile::ALL {
        let (table, key) = (table(file), key(file));
        let sql = format!("CREATE INDEX {table}_key ON {table} ({key})");
        sqlx::query(&sql).execute(&mut *conn).await?;
        // Temporary tables get no statistics by themselves (PostgreSQL's autovacuum never sees
        // them); without, the planner takes them for empty and joins them by scanning.
        sqlx::query(&format!("ANALYZE {table}")).execute(&mut *conn).await?;
    }
    sqlx::query(
        "CREATE INDEX opera_stage_opfoelgninger_anchor
             ON opera_stage_opfoelgninger (anchor, anchor_id)",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Drops the staging tables (and their indexes) before the import commits.
pub(crate) async fn drop(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    let tables = OperaFile::ALL.map(table);
    for table in tables.iter().chain(&["opera_reject"]) {
        sqlx::query(&format!("DROP TABLE {table}")).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rows waiting to be written to one table in multi-row INSERTs.
pub(crate) struct Batch {
    table: &'static str,
    columns: Vec<&'static str>,
    rows_per_insert: usize,
    values: Vec<Value>,
    /// The statement for a full batch, built at the first flush: the same text every time lets
    /// the driver reuse its prepared statement.
    full_sql: Option<String>,
}

impl Batch {
    /// A batch for the staging table of `file` (`line`, `ok`, then the file's columns).
    pub fn stage(file: OperaFile) -> Self {
        let mut all = vec!["line", "ok"];
        all.extend_from_slice(columns(file));
        Self::new(table(file), all)
    }

    /// A batch for rejection reasons: `file`, `line`, `col`, `reason`.
    pub fn rejects() -> Self {
        Self::new("opera_reject", vec!["file", "line", "col", "reason"])
    }

    fn new(table: &'static str, columns: Vec<&'static str>) -> Self {
        let rows_per_insert = (MAX_PARAMETERS / columns.len()).max(1);
        Self { table, columns, rows_per_insert, values: Vec::new(), full_sql: None }
    }

    /// Adds a row; writes the batch when it is full.
    pub async fn push(
        &mut self,
        conn: &mut AnyConnection,
        row: impl IntoIterator<Item = Value>,
    ) -> Result<(), sqlx::Error> {
        let before = self.values.len();
        self.values.extend(row);
        debug_assert_eq!(self.values.len() - before, self.columns.len());
        if self.values.len() >= self.rows_per_insert * self.columns.len() {
            self.flush(conn).await?;
        }
        Ok(())
    }

    /// Adds a rejection reason (for a batch made by [`Batch::rejects`]).
    pub async fn reject(
        &mut self,
        conn: &mut AnyConnection,
        file: OperaFile,
        line: u64,
        column: Option<&str>,
        reason: String,
    ) -> Result<(), sqlx::Error> {
        let row = [
            Value::Int(Some(file.index())),
            Value::Int(Some(line as i64)),
            Value::Text(column.map(str::to_owned)),
            Value::Text(Some(reason)),
        ];
        self.push(conn, row).await
    }

    /// Writes the rows waiting, if any.
    pub async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let rows = self.values.len() / self.columns.len();
        if rows == 0 {
            return Ok(());
        }
        let numbered = conn.backend_name() != "SQLite";
        let partial_sql;
        let sql = if rows == self.rows_per_insert {
            let (table, columns) = (self.table, &self.columns);
            self.full_sql.get_or_insert_with(|| insert_sql(table, columns, rows, numbered))
        } else {
            partial_sql = insert_sql(self.table, &self.columns, rows, numbered);
            &partial_sql
        };
        let mut query = sqlx::query(sql);
        for value in self.values.drain(..) {
            query = match value {
                Value::Text(text) => query.bind(text),
                Value::Int(number) => query.bind(number),
            };
        }
        query.execute(&mut *conn).await?;
        Ok(())
    }
}

/// `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4), …` for `rows` rows.
///
/// For SQLite the placeholders are anonymous (`?, ?`): SQLite looks a numbered parameter's
/// name up in a list as long as the statement's parameters, which makes binding thousands of
/// them quadratic (200 ms for one 12,000-parameter INSERT instead of a few). This is the one
/// statement of the store whose text differs by backend.
fn insert_sql(table: &str, columns: &[&str], rows: usize, numbered: bool) -> String {
    let width = columns.len();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..width {
            if column > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push('$');
                sql.push_str(&(row * width + column + 1).to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}
