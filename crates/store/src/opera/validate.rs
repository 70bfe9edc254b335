//! Checks between rows, run set-based in SQL over the staging tables and the stored data: ids
//! repeated in a file, references to rows that exist neither in the folder nor in the database,
//! offers outside their enrollment's dates, and follow-ups (see [`super::anchors`]).
//!
//! Each check is a query returning the offending rows in line order, read a page at a time
//! (`line > $1 … LIMIT $2`), so that even a folder where every row is wrong needs little memory.
//! The files are checked in dependency order, and after each file its rejected rows are marked
//! not ok: a row referring to one of them is then rejected too, with a reason naming it, unless
//! the database already holds the row it refers to.

use super::anchors;
use super::catalog::Catalog;
use super::files::OperaFile;
use super::rows::{masked_cpr, shown};
use super::stage::{self, Batch};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Offending rows read per query.
const PAGE: i64 = 5_000;

/// The reasons a check gives for one offending row: (column, reason).
pub(crate) type Reasons = Vec<(&'static str, String)>;

/// Runs every check of `file` and marks its rejected rows.
pub(crate) async fn check_file(
    conn: &mut AnyConnection,
    file: OperaFile,
    catalog: &Catalog,
) -> Result<(), sqlx::Error> {
    run(conn, file, &duplicates_sql(file), |row| duplicate(file, row)).await?;
    match file {
        OperaFile::Borgere => {}
        OperaFile::Forloeb => {
            run(conn, file, &citizen_sql(file), citizen).await?;
            run(conn, file, &stored_offers_sql(), stored_offer).await?;
        }
        OperaFile::Tilbud => run(conn, file, &offer_sql(), offer).await?,
        OperaFile::Fritidsjob | OperaFile::Haendelser => {
            run(conn, file, &citizen_sql(file), citizen).await?;
        }
        OperaFile::Opfoelgninger => {
            run(conn, file, &citizen_sql(file), citizen).await?;
            anchors::check(conn, catalog).await?;
        }
    }
    mark_rejected(conn, file).await
}

/// Pages through the rows `sql` returns (its first column the line, `$1` the last line seen,
/// `$2` the page size) and records the reasons `judge` gives for each.
pub(crate) async fn run(
    conn: &mut AnyConnection,
    file: OperaFile,
    sql: &str,
    judge: impl Fn(&AnyRow) -> Result<Reasons, sqlx::Error>,
) -> Result<(), sqlx::Error> {
    let mut after = 0_i64;
    let mut rejects = Batch::rejects();
    loop {
        let rows = sqlx::query(sql).bind(after).bind(PAGE).fetch_all(&mut *conn).await?;
        let mut reasons = Vec::new();
        for row in &rows {
            after = row.try_get(0)?;
            reasons.extend(judge(row)?.into_iter().map(|r| (after as u64, r)));
        }
        for (line, (column, reason)) in reasons {
            rejects.reject(conn, file, line, Some(column), reason).await?;
        }
        if (rows.len() as i64) < PAGE {
            return rejects.flush(conn).await;
        }
    }
}

/// Marks the rows of `file` that have a rejection reason as not ok.
async fn mark_rejected(conn: &mut AnyConnection, file: OperaFile) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET ok = 0 WHERE ok = 1
             AND line IN (SELECT line FROM opera_reject WHERE file = $1)",
        stage::table(file)
    );
    sqlx::query(&sql).bind(file.index()).execute(&mut *conn).await?;
    Ok(())
}

/// Rows whose key appears on another line of the same file too. Every such row is rejected:
/// which of them is right cannot be told.
fn duplicates_sql(file: OperaFile) -> String {
    let (t, k) = (stage::table(file), stage::key(file));
    format!(
        "SELECT s.line, s.{k} AS k,
             (SELECT MIN(d.line) FROM {t} d WHERE d.{k} = s.{k} AND d.line <> s.line) AS other
         FROM {t} s
         JOIN (SELECT {k} FROM {t} WHERE {k} IS NOT NULL GROUP BY {k} HAVING COUNT(*) > 1) g
             ON g.{k} = s.{k}
         WHERE s.ok = 1 AND s.line > $1
         ORDER BY s.line LIMIT $2"
    )
}

fn duplicate(file: OperaFile, row: &AnyRow) -> Result<Reasons, sqlx::Error> {
    let key: String = row.try_get("k")?;
    let other: i64 = row.try_get("other")?;
    let column = file.key_column();
    let reason = match file {
        OperaFile::Borgere => format!("the same CPR number is on line {other} too"),
        _ => format!("{column} {} is on line {other} too", shown(&key)),
    };
    Ok(vec![(column, reason)])
}

/// Rows whose citizen is neither an accepted row of borgere.csv nor stored.
fn citizen_sql(file: OperaFile) -> String {
    format!(
        "SELECT s.line, s.cpr,
             (SELECT MIN(b.line) FROM opera_stage_borgere b WHERE b.cpr = s.cpr) AS staged
         FROM {} s
         WHERE s.ok = 1 AND s.line > $1
           AND NOT EXISTS (SELECT 1 FROM opera_stage_borgere b WHERE b.cpr = s.cpr AND b.ok = 1)
           AND NOT EXISTS (SELECT 1 FROM citizen c WHERE c.cpr = s.cpr)
         ORDER BY s.line LIMIT $2",
        stage::table(file)
    )
}

fn citizen(row: &AnyRow) -> Result<Reasons, sqlx::Error> {
    let cpr = masked_cpr(&row.try_get::<String, _>("cpr")?);
    let reason = match row.try_get::<Option<i64>, _>("staged")? {
        Some(line) => format!("the citizen {cpr} (borgere.csv line {line}) was rejected"),
        None => format!("no citizen {cpr} in borgere.csv or the database"),
    };
    Ok(vec![("cpr", reason)])
}

/// Where an offer lies outside its enrollment, in SQL over the offer's and the enrollment's
/// start and end. An open offer in an ended enrollment lies outside too.
fn outside(o_start: &str, o_end: &str, e_start: &str, e_end: &str) -> String {
    format!(
        "({o_start} < {e_start} OR ({e_end} IS NOT NULL AND \
         ({o_start} > {e_end} OR {o_end} IS NULL OR {o_end} > {e_end})))"
    )
}

/// Offers of the folder whose enrollment is missing or whose dates lie outside it. The
/// enrollment is the folder's accepted row, else the stored one.
fn offer_sql() -> String {
    format!(
        "SELECT x.line, x.enrollment_id, x.start_date, x.end_date, x.found, x.e_start, x.e_end,
         (SELECT MIN(r.line) FROM opera_stage_forloeb r WHERE r.id = x.enrollment_id) AS staged
     FROM (SELECT t.line, t.enrollment_id, t.start_date, t.end_date,
               COALESCE(sf.id, e.id) AS found,
               COALESCE(sf.start_date, e.start_date) AS e_start,
               COALESCE(sf.end_date, e.end_date) AS e_end
           FROM opera_stage_tilbud t
           LEFT JOIN opera_stage_forloeb sf ON sf.id = t.enrollment_id AND sf.ok = 1
           LEFT JOIN enrollment e ON e.id = t.enrollment_id AND sf.id IS NULL
           WHERE t.ok = 1 AND t.line > $1) x
     WHERE x.found IS NULL OR {}
     ORDER BY x.line LIMIT $2",
        outside("x.start_date", "x.end_date", "x.e_start", "x.e_end")
    )
}

fn offer(row: &AnyRow) -> Result<Reasons, sqlx::Error> {
    let id = shown(&row.try_get::<String, _>("enrollment_id")?);
    if row.try_get::<Option<String>, _>("found")?.is_none() {
        let reason = match row.try_get::<Option<i64>, _>("staged")? {
            Some(line) => format!("the enrollment {id} (forloeb.csv line {line}) was rejected"),
            None => format!("no enrollment {id} in forloeb.csv or the database"),
        };
        return Ok(vec![("forloeb_id", reason)]);
    }
    let start: String = row.try_get("start_date")?;
    let end: Option<String> = row.try_get("end_date")?;
    let e_start: String = row.try_get("e_start")?;
    let e_end: Option<String> = row.try_get("e_end")?;
    Ok(vec![outside_reason(&id, &start, end, &e_start, e_end)])
}

/// Says how an offer lies outside its enrollment `id`.
fn outside_reason(
    id: &str,
    start: &str,
    end: Option<String>,
    e_start: &str,
    e_end: Option<String>,
) -> (&'static str, String) {
    let e_end = match e_end {
        Some(e_end) if start >= e_start => e_end,
        _ => {
            let reason = format!("the offer starts {start}, before its enrollment {id} starts {e_start}");
            return ("start", reason);
        }
    };
    if start > e_end.as_str() {
        let reason = format!("the offer starts {start}, after its enrollment {id} ended {e_end}");
        return ("start", reason);
    }
    let reason = match end {
        None => format!("the offer has no end, but its enrollment {id} ended {e_end}"),
        Some(end) => format!("the offer ends {end}, after its enrollment {id} ended {e_end}"),
    };
    ("slut", reason)
}

/// Enrollments of the folder whose new dates would leave a stored offer (one the folder does
/// not bring again) outside them.
fn stored_offers_sql() -> String {
    format!(
        "SELECT s.line, s.id, s.start_date, s.end_date, o.id AS offer_id,
         o.start_date AS o_start, o.end_date AS o_end
     FROM opera_stage_forloeb s
     JOIN offer o ON o.enrollment_id = s.id
     WHERE s.ok = 1 AND s.line > $1
       AND NOT EXISTS (SELECT 1 FROM opera_stage_tilbud t WHERE t.id = o.id)
       AND {}
     ORDER BY s.line LIMIT $2",
        outside("o.start_date", "o.end_date", "s.start_date", "s.end_date")
    )
}

fn stored_offer(row: &AnyRow) -> Result<Reasons, sqlx::Error> {
    let offer = shown(&row.try_get::<String, _>("offer_id")?);
    let start: String = row.try_get("start_date")?;
    let end = row.try_get::<Option<String>, _>("end_date")?.unwrap_or_else(|| "(open)".to_owned());
    let o_start: String = row.try_get("o_start")?;
    let o_end = row.try_get::<Option<String>, _>("o_end")?.unwrap_or_else(|| "(open)".to_owned());
    let reason = format!(
        "the stored offer {offer} ({o_start} to {o_end}) would lie outside the enrollment \
         ({start} to {end})"
    );
    Ok(vec![("start", reason)])
}
