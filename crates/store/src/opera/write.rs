//! Moves the accepted staged rows into the case tables, set-based (`UPDATE … FROM`, then
//! `INSERT … SELECT`), keyed by the extract's ids (citizens by CPR number). A row equal to the
//! stored one is not written at all, so importing the same folder twice changes nothing.

use super::files::OperaFile;
use super::stage;
use sqlx::{AnyConnection, Row};

/// How the staged rows of one file go into their table.
struct Target {
    table: &'static str,
    /// The conflict key: `cpr` for citizens, else the extract's `id`.
    key: &'static str,
    /// (column of the table, expression over the staged row `s` and its citizen `c`); the key
    /// first.
    columns: &'static [(&'static str, &'static str)],
    /// The staged rows and what they join to.
    from: &'static str,
}

/// Rows of one file going in new, changed, or as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// The targets of the six files, in [`OperaFile::ALL`] order.
const TARGETS: [Target; 6] = [
    Target {
        table: "citizen",
        key: "cpr",
        columns: &[
            ("cpr", "s.cpr"),
            ("birth_date", "s.birth_date"),
            ("sex", "s.sex"),
            ("name", "s.name"),
            ("area_id", "s.area_id"),
            ("substitute_number", "s.substitute_number"),
            ("modulus11_warning", "s.modulus11_warning"),
        ],
        from: "opera_stage_borgere s",
    },
    Target {
        table: "enrollment",
        key: "id",
        columns: &[
            ("id", "s.id"),
            ("citizen_id", "c.id"),
            ("initiative_code", "s.initiative"),
            ("start_date", "s.start_date"),
            ("end_date", "s.end_date"),
            ("end_reason", "s.end_reason"),
            ("lead", "s.lead"),
            ("caseworker_code", "s.caseworker_code"),
            ("centre", "s.centre"),
        ],
        from: "opera_stage_forloeb s JOIN citizen c ON c.cpr = s.cpr",
    },
    Target {
        table: "offer",
        key: "id",
        columns: &[
            ("id", "s.id"),
            ("enrollment_id", "s.enrollment_id"),
            ("offer_type", "s.offer_type"),
            ("start_date", "s.start_date"),
            ("end_date", "s.end_date"),
            ("end_reason", "s.end_reason"),
        ],
        from: "opera_stage_tilbud s",
    },
    Target {
        table: "placement",
        key: "id",
        columns: &[
            ("id", "s.id"),
            ("citizen_id", "c.id"),
            ("employer", "s.employer"),
            ("start_date", "s.start_date"),
            ("end_date", "s.end_date"),
        ],
        from: "opera_stage_fritidsjob s JOIN citizen c ON c.cpr = s.cpr",
    },
    Target {
        table: "life_event",
        key: "id",
        columns: &[
            ("id", "s.id"),
            ("citizen_id", "c.id"),
            ("kind", "s.kind"),
            ("event_date", "s.event_date"),
            ("value", "s.value"),
        ],
        from: "opera_stage_haendelser s JOIN citizen c ON c.cpr = s.cpr",
    },
    Target {
        table: "follow_up",
        key: "id",
        columns: &[
            ("id", "s.id"),
            ("citizen_id", "c.id"),
            ("anchor", "s.anchor"),
            ("anchor_id", "s.anchor_id"),
            ("due_date", "s.due_date"),
            ("done_date", "s.done_date"),
            ("status", "s.status"),
        ],
        from: "opera_stage_opfoelgninger s JOIN citizen c ON c.cpr = s.cpr",
    },
];

fn target(file: OperaFile) -> &'static Target {
    &TARGETS[file.index() as usize]
}

/// Writes the accepted rows of `file` and says how many were new, changed or unchanged.
///
/// An UPDATE of the stored rows that differ, then an INSERT of the rows not stored: cheaper
/// than one upsert (no speculative insertion per row), and each statement's row count is
/// directly the updated and the inserted rows.
pub(crate) async fn write_file(conn: &mut AnyConnection, file: OperaFile) -> Result<Written, sqlx::Error> {
    let t = target(file);
    // Every accepted row has its citizen (checked), so the staging table alone gives the count.
    let staged = format!("SELECT COUNT(*) FROM {} WHERE ok = 1", stage::table(file));
    let accepted = count(conn, &staged).await?;
    if file == OperaFile::Opfoelgninger {
        replace_scheduled(conn).await?;
    }
    let updated = sqlx::query(&update_sql(t)).execute(&mut *conn).await?.rows_affected();
    let inserted = sqlx::query(&insert_sql(t)).execute(&mut *conn).await?.rows_affected();
    Ok(Written { inserted, updated, unchanged: accepted.saturating_sub(inserted + updated) })
}

async fn count(conn: &mut AnyConnection, sql: &str) -> Result<u64, sqlx::Error> {
    let n: i64 = sqlx::query(sql).fetch_one(&mut *conn).await?.try_get(0)?;
    Ok(n as u64)
}

/// Updates the stored rows whose accepted staged row differs; equal rows are not touched.
fn update_sql(t: &Target) -> String {
    let (key, key_expr) = (t.key, t.columns[0].1);
    let rest = &t.columns[1..];
    let set: Vec<String> = rest.iter().map(|(c, e)| format!("{c} = {e}")).collect();
    let changed: Vec<String> =
        rest.iter().map(|(c, e)| format!("{}.{c} IS DISTINCT FROM {e}", t.table)).collect();
    format!(
        "UPDATE {table} SET {set} FROM {from}
         WHERE s.ok = 1 AND {table}.{key} = {key_expr} AND ({changed})",
        table = t.table,
        set = set.join(", "),
        from = t.from,
        changed = changed.join(" OR "),
    )
}

/// Inserts the accepted staged rows whose key is not stored yet.
fn insert_sql(t: &Target) -> String {
    let names: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
    let exprs: Vec<&str> = t.columns.iter().map(|(_, e)| *e).collect();
    format!(
        "INSERT INTO {table} ({names}) SELECT {exprs} FROM {from}
         WHERE s.ok = 1 AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{key} = {key_expr})",
        table = t.table,
        names = names.join(", "),
        exprs = exprs.join(", "),
        from = t.from,
        key = t.key,
        key_expr = exprs[0],
    )
}

/// Deletes follow-ups the system scheduled on an anchor that an imported follow-up now covers:
/// the extract's record of the follow-up takes the scheduled one's place.
async fn replace_scheduled(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM follow_up WHERE scheduled = 1 AND EXISTS (
             SELECT 1 FROM opera_stage_opfoelgninger s
             WHERE s.ok = 1 AND s.anchor = follow_up.anchor
               AND s.anchor_id = follow_up.anchor_id AND s.id <> follow_up.id)",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
