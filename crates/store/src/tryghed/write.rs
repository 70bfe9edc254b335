//! Writes the accepted rows by their keys: a row equal to the stored one is not written at all,
//! so importing the same folder twice changes nothing; new rows are inserted and changed ones
//! updated in multi-row `INSERT … ON CONFLICT DO UPDATE` statements.

use super::check::CheckedFile;
use super::rows::Row;
use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

/// A column value as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(Option<String>),
    Int(i64),
    Real(f64),
}

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    Real,
}

/// A target table: its columns (the key first) and how many form the key.
pub(crate) struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    key: usize,
}

pub(crate) const AREA: Table = Table {
    name: "area",
    columns: &[("id", Kind::Text), ("name", Kind::Text), ("district_id", Kind::Text)],
    key: 1,
};

const AREA_YEAR: Table = Table {
    name: "area_year",
    columns: &[
        ("area_id", Kind::Text),
        ("year", Kind::Int),
        ("district_id", Kind::Text),
        ("population", Kind::Int),
    ],
    key: 2,
};

const POLICE_REPORT: Table = Table {
    name: "police_report",
    columns: &[
        ("area_id", Kind::Text),
        ("year", Kind::Int),
        ("offence_group", Kind::Text),
        ("citizen_facing", Kind::Int),
        ("reports", Kind::Int),
    ],
    key: 4,
};

const SURVEY_RESPONSE: Table = Table {
    name: "survey_response",
    columns: &[
        ("respondent_id", Kind::Text),
        ("year", Kind::Int),
        ("area_id", Kind::Text),
        ("weight", Kind::Real),
        ("safe_neighbourhood", Kind::Int),
        ("safe_night", Kind::Int),
        ("victimised", Kind::Int),
    ],
    key: 2,
};

const AREA_ASSESSMENT: Table = Table {
    name: "area_assessment",
    columns: &[
        ("area_id", Kind::Text),
        ("half_year", Kind::Text),
        ("source", Kind::Text),
        ("assessment", Kind::Int),
        ("text", Kind::Text),
    ],
    key: 3,
};

/// Parameters per statement: far below SQLite's and PostgreSQL's limits.
const MAX_PARAMETERS: usize = 4_000;

/// Rows of one file going in new, changed, or as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

fn text(s: &str) -> Value {
    Value::Text(Some(s.to_owned()))
}

/// The table a row goes to, and its values in the table's column order.
fn values(row: &Row) -> (&'static Table, Vec<Value>) {
    match row {
        Row::Area(r) => (
            &AREA_YEAR,
            vec![text(&r.area), Value::Int(r.year.into()), text(&r.district), Value::Int(r.population)],
        ),
        Row::Report(r) => (
            &POLICE_REPORT,
            vec![
                text(&r.area),
                Value::Int(r.year.into()),
                text(&r.group),
                Value::Int(r.citizen_facing.into()),
                Value::Int(r.count),
            ],
        ),
        Row::Survey(r) => (
            &SURVEY_RESPONSE,
            vec![
                text(&r.respondent),
                Value::Int(r.year.into()),
                text(&r.area),
                Value::Real(r.weight),
                Value::Int(r.neighbourhood),
                Value::Int(r.night),
                Value::Int(r.victimised.into()),
            ],
        ),
        Row::Assessment(r) => (
            &AREA_ASSESSMENT,
            vec![
                text(&r.area),
                text(&r.half_year.to_string()),
                text(&r.source),
                Value::Int(r.assessment),
                Value::Text(r.text.clone()),
            ],
        ),
    }
}

fn key_of(values: &[Value], key: usize) -> String {
    values[..key]
        .iter()
        .map(|v| match v {
            Value::Text(t) => t.clone().unwrap_or_default(),
            Value::Int(n) => n.to_string(),
            Value::Real(x) => x.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

fn read_value(row: &AnyRow, index: usize, kind: Kind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        Kind::Text => Value::Text(row.try_get(index)?),
        Kind::Int => Value::Int(row.try_get(index)?),
        Kind::Real => Value::Real(row.try_get(index)?),
    })
}

/// The stored rows of a table by key.
async fn stored(conn: &mut AnyConnection, table: &Table) -> Result<HashMap<String, Vec<Value>>, sqlx::Error> {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    let sql = format!("SELECT {} FROM {}", names.join(", "), table.name);
    let mut out = HashMap::new();
    for row in sqlx::query(&sql).fetch_all(&mut *conn).await? {
        let values = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| read_value(&row, i, *kind))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(key_of(&values, table.key), values);
    }
    Ok(out)
}

/// Writes the rows of one checked file, returning the counts.
pub(crate) async fn write_file(conn: &mut AnyConnection, file: &CheckedFile) -> Result<Written, sqlx::Error> {
    let Some(first) = file.rows.first() else { return Ok(Written::default()) };
    let table = values(first).0;
    let rows: Vec<Vec<Value>> = file.rows.iter().map(|r| values(r).1).collect();
    upsert_changed(conn, table, rows).await
}

/// Upserts the rows that are new or differ from the stored ones.
pub(crate) async fn upsert_changed(
    conn: &mut AnyConnection,
    table: &Table,
    rows: Vec<Vec<Value>>,
) -> Result<Written, sqlx::Error> {
    let existing = stored(conn, table).await?;
    let mut written = Written::default();
    let mut changed = Vec::new();
    for row in rows {
        match existing.get(&key_of(&row, table.key)) {
            Some(old) if *old == row => written.unchanged += 1,
            Some(_) => {
                written.updated += 1;
                changed.push(row);
            }
            None => {
                written.inserted += 1;
                changed.push(row);
            }
        }
    }
    let per_statement = (MAX_PARAMETERS / table.columns.len()).max(1);
    for chunk in changed.chunks(per_statement) {
        upsert(conn, table, chunk).await?;
    }
    Ok(written)
}

async fn upsert(conn: &mut AnyConnection, table: &Table, rows: &[Vec<Value>]) -> Result<(), sqlx::Error> {
    let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
    let width = names.len();
    let tuples: Vec<String> = (0..rows.len())
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let updates: Vec<String> = names[table.key..].iter().map(|n| format!("{n} = excluded.{n}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) DO UPDATE SET {}",
        table.name,
        names.join(", "),
        tuples.join(", "),
        names[..table.key].join(", "),
        updates.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for value in rows.iter().flatten() {
        query = match value {
            Value::Text(t) => query.bind(t.clone()),
            Value::Int(n) => query.bind(*n),
            Value::Real(x) => query.bind(*x),
        };
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Upserts the areas of `omraader.csv`: name and district from each area's latest year. The
/// seed's own fields (the memo's wording) stay as they are.
pub(crate) async fn write_areas(conn: &mut AnyConnection, file: &CheckedFile) -> Result<(), sqlx::Error> {
    let mut latest: HashMap<&str, (i32, &str, &str)> = HashMap::new();
    for row in &file.rows {
        let Row::Area(a) = row else { continue };
        let entry = latest.entry(&a.area).or_insert((a.year, &a.name, &a.district));
        if a.year >= entry.0 {
            *entry = (a.year, &a.name, &a.district);
        }
    }
    let mut rows: Vec<Vec<Value>> = latest
        .into_iter()
        .map(|(id, (_, name, district))| vec![text(id), text(name), text(district)])
        .collect();
    rows.sort_by_key(|row| key_of(row, 1));
    upsert_changed(conn, &AREA, rows).await?;
    Ok(())
}
