//! The independent SQL of C1–C10 (`criteria.sql`), its dialect macros expanded for SQLite or
//! PostgreSQL, and its result rows read back. `bench/duckdb_criteria.py` expands the same file
//! for DuckDB in the same way.

use chrono::NaiveDate;
use sqlx::{AnyPool, Row};
use std::collections::BTreeMap;

pub const CRITERIA_SQL: &str = include_str!("criteria.sql");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// `col + n` calendar months, clamped to the month's last day, as ISO text.
fn plus_months(dialect: Dialect, col: &str, n: u32) -> String {
    match dialect {
        // SQLite's date(x, '+3 months') overflows (30 Nov → 2 Mar): where the day does not
        // exist in the target month, take that month's last day instead.
        Dialect::Sqlite => {
            let month_end = format!("date({col}, 'start of month', '+{} months', '-1 day')", n + 1);
            format!(
                "(CASE WHEN CAST(strftime('%d', {col}) AS INTEGER) > CAST(strftime('%d', {month_end}) AS INTEGER) \
                 THEN {month_end} ELSE date({col}, '+{n} months') END)"
            )
        }
        // PostgreSQL's interval arithmetic already clamps.
        Dialect::Postgres => {
            format!("to_char(CAST({col} AS DATE) + INTERVAL '{n} months', 'YYYY-MM-DD')")
        }
    }
}

fn day_number(dialect: Dialect, x: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("CAST(julianday({x}) AS INTEGER)"),
        Dialect::Postgres => format!("(CAST({x} AS DATE) - DATE '2000-01-01')"),
    }
}

/// Ties on the same day are broken by the record's id in byte order (docs/domain.md §7 leaves them
/// open; see crates/domain/src/engine/cohorts.rs). Both test databases collate ids bytewise
/// (SQLite BINARY, PostgreSQL C.UTF-8).
fn row_order(_dialect: Dialect, alias: &str) -> String {
    format!("{alias}.id")
}

/// Replaces every `NAME(arg)` (arguments hold no parentheses) by `expand(arg)`.
fn replace_macro(sql: &str, name: &str, expand: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    let open = format!("{name}(");
    while let Some(at) = rest.find(&open) {
        let boundary = rest[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let args_from = at + open.len();
        let close = args_from + rest[args_from..].find(')').expect("macro argument closed");
        out.push_str(&rest[..at]);
        if boundary {
            out.push_str(&expand(rest[args_from..close].trim()));
        } else {
            out.push_str(&rest[at..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The criteria SQL for a dialect, a period and an as-of date.
pub fn expand(sql: &str, dialect: Dialect, from: NaiveDate, to: NaiveDate, as_of: NaiveDate) -> String {
    let sql = replace_macro(sql, "PLUS12", |c| plus_months(dialect, c, 12));
    let sql = replace_macro(&sql, "PLUS3", |c| plus_months(dialect, c, 3));
    let sql = replace_macro(&sql, "DAYNUM", |c| day_number(dialect, c));
    let sql = replace_macro(&sql, "ROWORDER", |c| row_order(dialect, c));
    let quoted = |d: NaiveDate| format!("'{d}'");
    sql.replace(":from", &quoted(from))
        .replace(":to", &quoted(to))
        .replace(":as_of", &quoted(as_of))
        .replace(":last", &quoted(to.min(as_of)))
}

/// One result row: a criterion, overall or for one centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub successes: u64,
    pub members: u64,
    pub unknown: u64,
    pub pending: u64,
}

/// The SQL's figures: `(criterion, None)` overall, `(criterion, Some(centre))` per centre.
pub type Figures = BTreeMap<(String, Option<String>), Tally>;

pub async fn run(pool: &AnyPool, sql: &str) -> Figures {
    let rows = sqlx::query(sql).fetch_all(pool).await.expect("criteria SQL runs");
    let count = |row: &sqlx::any::AnyRow, col: &str| -> u64 {
        let n: i64 = row.try_get(col).expect("an integer column");
        u64::try_from(n).expect("a count is not negative")
    };
    rows.iter()
        .map(|row| {
            let key = (row.try_get::<String, _>("criterion").unwrap(), row.try_get("grp").unwrap());
            let tally = Tally {
                successes: count(row, "successes"),
                members: count(row, "members"),
                unknown: count(row, "unknown"),
                pending: count(row, "pending"),
            };
            (key, tally)
        })
        .collect()
}

/// Evaluates one plus-months expression, to check the macro on its own.
pub async fn plus_three_months(pool: &AnyPool, dialect: Dialect, date: &str) -> String {
    let expr = plus_months(dialect, &format!("'{date}'"), 3);
    let row = sqlx::query(&format!("SELECT {expr} AS d")).fetch_one(pool).await.expect("date SQL runs");
    row.try_get("d").expect("a date as text")
}
