//! Checks of follow-ups against what they are anchored on (docs/formats.md, opfoelgninger.csv):
//! the anchored enrollment, offer or release exists (in the folder or the database), has the
//! date the anchor needs, belongs to the follow-up's citizen, and the due date is the anchor
//! date plus the months of the applicable follow-up rule. One anchor has one follow-up.
//!
//! SQL finds each follow-up's anchor record; the due date is checked in Rust, because calendar
//! months (31 Jan + 1 month = 29 Feb) are [`add_months`](sikkerby_domain::calendar::add_months),
//! which neither database computes the same way.

use super::catalog::Catalog;
use super::files::OperaFile;
use super::rows::shown;
use super::validate::{run, Reasons};
use chrono::NaiveDate;
use sikkerby_domain::codes::Anchor;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const FILE: OperaFile = OperaFile::Opfoelgninger;

/// Runs the anchor checks of the staged follow-ups.
pub(crate) async fn check(conn: &mut AnyConnection, catalog: &Catalog) -> Result<(), sqlx::Error> {
    for anchor in Anchor::ALL {
        run(conn, FILE, &anchor_sql(anchor), |row| judge(row, anchor, catalog)).await?;
    }
    run(conn, FILE, SAME_ANCHOR_SQL, same_anchor).await?;
    run(conn, FILE, STORED_ANCHOR_SQL, stored_anchor).await
}

/// Joins the effective enrollment `{r}` refers to: the folder's accepted row, else the stored
/// one (joined only when the folder has none, so COALESCE picks whichever exists).
fn enrollment_join(reference: &str) -> String {
    format!(
        "LEFT JOIN opera_stage_forloeb sf ON sf.id = {reference} AND sf.ok = 1
         LEFT JOIN enrollment e ON e.id = {reference} AND sf.id IS NULL
         LEFT JOIN citizen ec ON ec.id = e.citizen_id"
    )
}

/// How SQL finds the record a follow-up is anchored on: the joins from the follow-up `f`, and
/// expressions over them for the record's id, date, citizen, initiative and kind.
struct AnchorRecord {
    joins: String,
    found: &'static str,
    date: &'static str,
    cpr: &'static str,
    initiative: &'static str,
    kind: &'static str,
    /// The staging table the record would come from, to name a rejected row.
    stage: &'static str,
}

fn record(anchor: Anchor) -> AnchorRecord {
    let via_enrollment = |joins, found, date, stage| AnchorRecord {
        joins,
        found,
        date,
        cpr: "COALESCE(sf.cpr, ec.cpr)",
        initiative: "COALESCE(sf.initiative, e.initiative_code)",
        kind: "CAST(NULL AS TEXT)",
        stage,
    };
    let offer_joins = || {
        format!(
            "LEFT JOIN opera_stage_tilbud st ON st.id = f.anchor_id AND st.ok = 1
             LEFT JOIN offer o ON o.id = f.anchor_id AND st.id IS NULL
             {}",
            enrollment_join("COALESCE(st.enrollment_id, o.enrollment_id)")
        )
    };
    match anchor {
        Anchor::ForloebSlut => via_enrollment(
            enrollment_join("f.anchor_id"),
            "COALESCE(sf.id, e.id)",
            "COALESCE(sf.end_date, e.end_date)",
            "opera_stage_forloeb",
        ),
        Anchor::TilbudStart => via_enrollment(
            offer_joins(),
            "COALESCE(st.id, o.id)",
            "COALESCE(st.start_date, o.start_date)",
            "opera_stage_tilbud",
        ),
        Anchor::TilbudSlut => via_enrollment(
            offer_joins(),
            "COALESCE(st.id, o.id)",
            "COALESCE(st.end_date, o.end_date)",
            "opera_stage_tilbud",
        ),
        Anchor::Loesladelse => AnchorRecord {
            joins: "LEFT JOIN opera_stage_haendelser sh ON sh.id = f.anchor_id AND sh.ok = 1
                    LEFT JOIN life_event le ON le.id = f.anchor_id AND sh.id IS NULL
                    LEFT JOIN citizen lc ON lc.id = le.citizen_id"
                .to_owned(),
            found: "COALESCE(sh.id, le.id)",
            date: "COALESCE(sh.event_date, le.event_date)",
            cpr: "COALESCE(sh.cpr, lc.cpr)",
            initiative: "CAST(NULL AS TEXT)",
            kind: "COALESCE(sh.kind, le.kind)",
            stage: "opera_stage_haendelser",
        },
    }
}

/// The follow-ups with this anchor that may be wrong, with their anchor record: `found` (its
/// id, NULL when missing), `anchor_date`, `anchor_cpr`, `initiative`, `kind` (events) and
/// `staged` (the line of a rejected row of the folder with that id).
fn anchor_sql(anchor: Anchor) -> String {
    let AnchorRecord { joins, found, date, cpr, initiative, kind, stage } = record(anchor);
    // The outer WHERE passes over follow-ups that are certainly right (anchor found, same
    // citizen, a release where one is needed, anchor date in the staged range that makes the
    // due date right); CASE, because any NULL must let the row through to `judge`.
    format!(
        "SELECT x.*, CASE WHEN x.found IS NULL
                 THEN (SELECT MIN(r.line) FROM {stage} r WHERE r.id = x.anchor_id) END AS staged
         FROM (SELECT f.line, f.cpr, f.anchor_id, f.due_date, f.anchor_lo, f.anchor_hi,
                   {found} AS found, {date} AS anchor_date, {cpr} AS anchor_cpr,
                   {initiative} AS initiative, {kind} AS kind
               FROM opera_stage_opfoelgninger f
               {joins}
               WHERE f.ok = 1 AND f.anchor = '{code}' AND f.line > $1) x
         WHERE CASE WHEN x.found IS NOT NULL AND x.anchor_cpr = x.cpr
                     AND COALESCE(x.kind, 'loesladelse') = 'loesladelse'
                     AND x.anchor_date >= x.anchor_lo AND x.anchor_date <= x.anchor_hi
               THEN 0 ELSE 1 END = 1
         ORDER BY x.line LIMIT $2",
        code = anchor.code()
    )
}

/// What the anchor record is called in reasons, and the file it comes from.
fn anchored(anchor: Anchor) -> (&'static str, OperaFile) {
    match anchor {
        Anchor::ForloebSlut => ("enrollment", OperaFile::Forloeb),
        Anchor::TilbudStart | Anchor::TilbudSlut => ("offer", OperaFile::Tilbud),
        Anchor::Loesladelse => ("event", OperaFile::Haendelser),
    }
}

fn judge(row: &AnyRow, anchor: Anchor, catalog: &Catalog) -> Result<Reasons, sqlx::Error> {
    let (what, file) = anchored(anchor);
    let id = shown(&row.try_get::<String, _>("anchor_id")?);
    if row.try_get::<Option<String>, _>("found")?.is_none() {
        let reason = match row.try_get::<Option<i64>, _>("staged")? {
            Some(line) => format!("the {what} {id} ({file} line {line}) was rejected"),
            None => format!("no {what} {id} in {file} or the database"),
        };
        return Ok(vec![("anker_id", reason)]);
    }
    if let Some(kind) = row.try_get::<Option<String>, _>("kind")? {
        if kind != Anchor::Loesladelse.code() {
            let reason = format!("the event {id} is a {kind}, not a loesladelse");
            return Ok(vec![("anker_id", reason)]);
        }
    }
    let Some(date) = row.try_get::<Option<String>, _>("anchor_date")? else {
        let reason = format!("the {what} {id} has no end date to anchor a follow-up on");
        return Ok(vec![("anker_id", reason)]);
    };
    let mut reasons = Vec::new();
    if row.try_get::<Option<String>, _>("anchor_cpr")? != row.try_get("cpr")? {
        let reason = format!("the citizen is not the citizen of the {what} {id}");
        reasons.push(("cpr", reason));
    }
    let initiative: Option<String> = row.try_get("initiative")?;
    let due: String = row.try_get("due_date")?;
    if let Some(reason) = wrong_due(catalog, anchor, initiative.as_deref(), &date, &due) {
        reasons.push(("forfald", reason));
    }
    Ok(reasons)
}

/// Why `due` is not a due date a follow-up anchored on `date` may have, if it is not.
fn wrong_due(
    catalog: &Catalog,
    anchor: Anchor,
    initiative: Option<&str>,
    date: &str,
    due: &str,
) -> Option<String> {
    let parse = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let (date, due) = (parse(date)?, parse(due)?);
    let allowed = catalog.due_dates(anchor, initiative, date);
    if allowed.iter().any(|(_, d)| *d == due) {
        return None;
    }
    let expected: Vec<String> = allowed
        .iter()
        .map(|(months, d)| format!("{d} ({} {date} + {months} months)", anchor.code()))
        .collect();
    Some(format!("due {due}, expected {}", expected.join(" or ")))
}

/// Follow-ups of the folder that share their anchor with another row of the folder.
const SAME_ANCHOR_SQL: &str = "
    SELECT f.line, f.anchor, f.anchor_id,
        (SELECT MIN(d.line) FROM opera_stage_opfoelgninger d
         WHERE d.anchor = f.anchor AND d.anchor_id = f.anchor_id AND d.line <> f.line) AS other
    FROM opera_stage_opfoelgninger f
    JOIN (SELECT anchor, anchor_id FROM opera_stage_opfoelgninger
          WHERE anchor IS NOT NULL AND anchor_id IS NOT NULL
          GROUP BY anchor, anchor_id HAVING COUNT(*) > 1) g
        ON g.anchor = f.anchor AND g.anchor_id = f.anchor_id
    WHERE f.ok = 1 AND f.line > $1
    ORDER BY f.line LIMIT $2";

fn same_anchor(row: &AnyRow) -> Result<Reasons, sqlx::Error> {
    let other: i64 = row.try_get("other")?;
    let reason = format!("line {other} has a follow-up on the same anchor");
    Ok(vec![("anker_id", reason)])
}

/// Follow-ups of the folder whose anchor already has another follow-up in the database, one
/// entered or imported rather than scheduled by the system (a scheduled one is replaced).
const STORED_ANCHOR_SQL: &str = "
    SELECT f.line, fu.id AS stored_id
    FROM opera_stage_opfoelgninger f
    JOIN follow_up fu ON fu.anchor = f.anchor AND fu.anchor_id = f.anchor_id
    WHERE f.ok = 1 AND f.line > $1 AND fu.id <> f.id AND fu.scheduled = 0
      AND NOT EXISTS (SELECT 1 FROM opera_stage_opfoelgninger s WHERE s.id = fu.id AND s.ok = 1)
    ORDER BY f.line LIMIT $2";

fn stored_anchor(row: &AnyRow) -> Result<Reasons, sqlx::Error> {
    let stored = shown(&row.try_get::<String, _>("stored_id")?);
    let reason = format!("the stored follow-up {stored} has the same anchor");
    Ok(vec![("anker_id", reason)])
}
