//! Follow-ups: scheduled by the system when their anchor is recorded, moved when the anchor's
//! date is corrected, recorded by caseworkers, and listed when overdue.

use super::rows::{self, iso};
use super::write::CaseWrite;
use super::{fact_date, invalid, refused, CaseError, Refusal};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sikkerby_domain::cases::{follow_up_due, follow_up_months, Citizen, FollowUp};
use sikkerby_domain::codes::{Anchor, CodeLists};
use sikkerby_domain::portfolio::Portfolio;
use sqlx::{Any, AnyConnection, Row, Transaction};
use std::collections::BTreeSet;

/// What a sync changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowUpSync {
    pub scheduled: usize,
    pub moved: usize,
    pub removed: usize,
}

/// The rows that anchor follow-ups of one kind, with the follow-up they have (if any).
/// `{initiatives}` is replaced by a list of bound parameters, `{citizen}` by an optional filter.
fn anchor_query(anchor: Anchor) -> &'static str {
    match anchor {
        Anchor::ForloebSlut => {
            "SELECT e.id AS anchor_id, e.citizen_id, e.end_date AS anchor_date,
                e.initiative_code FROM enrollment e
             WHERE e.end_date IS NOT NULL AND e.initiative_code IN ({initiatives}) {citizen}"
        }
        Anchor::TilbudStart => {
            "SELECT o.id AS anchor_id, e.citizen_id, o.start_date AS anchor_date,
                e.initiative_code FROM offer o JOIN enrollment e ON e.id = o.enrollment_id
             WHERE e.initiative_code IN ({initiatives}) {citizen}"
        }
        Anchor::TilbudSlut => {
            "SELECT o.id AS anchor_id, e.citizen_id, o.end_date AS anchor_date,
                e.initiative_code FROM offer o JOIN enrollment e ON e.id = o.enrollment_id
             WHERE o.end_date IS NOT NULL AND e.initiative_code IN ({initiatives}) {citizen}"
        }
        // A release anchors a follow-up when it falls on a day the citizen is enrolled.
        Anchor::Loesladelse => {
            "SELECT ev.id AS anchor_id, ev.citizen_id, ev.event_date AS anchor_date,
                e.initiative_code FROM life_event ev JOIN enrollment e ON e.citizen_id = ev.citizen_id
                AND e.start_date <= ev.event_date AND (e.end_date IS NULL OR ev.event_date <= e.end_date)
             WHERE ev.kind = 'loesladelse' AND e.initiative_code IN ({initiatives}) {citizen}"
        }
    }
}

/// One change to make.
enum Change {
    Schedule { anchor_id: String, citizen_id: i64, due: NaiveDate },
    Move { id: String, due: NaiveDate },
}

/// Schedules a follow-up for every anchor that lacks one, moves the open ones whose anchor date
/// changed, and removes system-scheduled open ones whose anchor is gone. `citizen` limits the
/// work to one citizen (a form post); `None` covers the whole database (an import).
pub async fn sync_follow_ups(
    tx: &mut Transaction<'_, Any>,
    codes: &CodeLists,
    portfolio: &Portfolio,
    citizen: Option<i64>,
) -> Result<FollowUpSync, StoreError> {
    let mut summary = FollowUpSync::default();
    for anchor in Anchor::ALL {
        let months_by_initiative: Vec<(String, u32)> = portfolio
            .initiatives
            .iter()
            .filter_map(|i| follow_up_months(codes, i, anchor).map(|m| (i.code.to_string(), m)))
            .collect();
        let changes = anchor_changes(tx, anchor, &months_by_initiative, citizen).await?;
        apply_changes(tx, anchor, &changes, &mut summary).await?;
        summary.removed += remove_orphans(tx, anchor, &months_by_initiative, citizen).await?;
    }
    assign_owning_enrollments(tx, citizen).await?;
    Ok(summary)
}

fn in_list(first_parameter: usize, count: usize) -> String {
    let list: Vec<String> = (0..count).map(|i| format!("${}", first_parameter + i)).collect();
    if list.is_empty() {
        "NULL".to_owned()
    } else {
        list.join(", ")
    }
}

async fn anchor_changes(
    conn: &mut AnyConnection,
    anchor: Anchor,
    months_by_initiative: &[(String, u32)],
    citizen: Option<i64>,
) -> Result<Vec<Change>, StoreError> {
    let citizen_filter = if citizen.is_some() { "AND {alias}.citizen_id = $1" } else { "" };
    let alias = if anchor == Anchor::Loesladelse { "ev" } else { "e" };
    let inner = anchor_query(anchor)
        .replace("{initiatives}", &in_list(2, months_by_initiative.len()))
        .replace("{citizen}", &citizen_filter.replace("{alias}", alias));
    let sql = format!(
        "SELECT a.anchor_id, a.citizen_id, a.anchor_date, a.initiative_code,
                f.id AS follow_up_id, f.due_date, f.done_date
         FROM ({inner}) a LEFT JOIN follow_up f ON f.anchor = '{}' AND f.anchor_id = a.anchor_id
         WHERE {}",
        anchor.code(),
        if citizen.is_some() { "1 = 1" } else { "$1 IS NULL OR 1 = 1" }
    );
    let mut query = sqlx::query(&sql).bind(citizen);
    for (code, _) in months_by_initiative {
        query = query.bind(code);
    }
    let mut seen = BTreeSet::new();
    let mut changes = Vec::new();
    let mut stream = query.fetch(&mut *conn);
    while let Some(row) = stream.try_next().await? {
        let anchor_id: String = row.try_get("anchor_id")?;
        if !seen.insert(anchor_id.clone()) {
            continue;
        }
        let code: String = row.try_get("initiative_code")?;
        let months = months_by_initiative.iter().find(|(c, _)| *c == code).map_or(3, |(_, m)| *m);
        let due = follow_up_due(rows::date(&row, "anchor_date")?, months);
        match row.try_get::<Option<String>, _>("follow_up_id")? {
            None => changes.push(Change::Schedule { anchor_id, citizen_id: row.try_get("citizen_id")?, due }),
            Some(id) => {
                let open = rows::opt_date(&row, "done_date")?.is_none();
                if open && rows::date(&row, "due_date")? != due {
                    changes.push(Change::Move { id, due });
                }
            }
        }
    }
    Ok(changes)
}

async fn apply_changes(
    conn: &mut AnyConnection,
    anchor: Anchor,
    changes: &[Change],
    summary: &mut FollowUpSync,
) -> Result<(), StoreError> {
    for change in changes {
        match change {
            Change::Schedule { anchor_id, citizen_id, due } => {
                sqlx::query(
                    "INSERT INTO follow_up (id, citizen_id, anchor, anchor_id, due_date, scheduled)
                     VALUES ($1, $2, $3, $4, $5, 1)",
                )
                .bind(format!("sb-{}-{anchor_id}", anchor.code()))
                .bind(citizen_id)
                .bind(anchor.code())
                .bind(anchor_id)
                .bind(iso(*due))
                .execute(&mut *conn)
                .await?;
                summary.scheduled += 1;
            }
            Change::Move { id, due } => {
                sqlx::query("UPDATE follow_up SET due_date = $1 WHERE id = $2")
                    .bind(iso(*due))
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                summary.moved += 1;
            }
        }
    }
    Ok(())
}

async fn remove_orphans(
    conn: &mut AnyConnection,
    anchor: Anchor,
    months_by_initiative: &[(String, u32)],
    citizen: Option<i64>,
) -> Result<usize, StoreError> {
    let citizen_filter = if citizen.is_some() { "AND {alias}.citizen_id = $1" } else { "AND $1 IS NULL" };
    let alias = if anchor == Anchor::Loesladelse { "ev" } else { "e" };
    let inner = anchor_query(anchor)
        .replace("{initiatives}", &in_list(2, months_by_initiative.len()))
        .replace("{citizen}", &citizen_filter.replace("{alias}", alias));
    let scope = if citizen.is_some() { "AND citizen_id = $1" } else { "AND ($1 IS NULL OR 1 = 1)" };
    let sql = format!(
        "DELETE FROM follow_up WHERE scheduled = 1 AND done_date IS NULL AND anchor = '{}' {scope}
           AND anchor_id NOT IN (SELECT a.anchor_id FROM ({inner}) a)",
        anchor.code()
    );
    let mut query = sqlx::query(&sql).bind(citizen);
    for (code, _) in months_by_initiative {
        query = query.bind(code);
    }
    Ok(query.execute(&mut *conn).await?.rows_affected() as usize)
}

/// A follow-up done by a caseworker.
#[derive(Debug, Clone)]
pub struct RecordFollowUp {
    pub done: NaiveDate,
    pub status: String,
    pub done_by: String,
}

/// Narrows the overdue worklist to one caseworker code and/or centre.
#[derive(Debug, Clone, Default)]
pub struct WorklistFilter {
    pub caseworker_code: Option<String>,
    pub centre: Option<String>,
    /// Only follow-ups of enrollments held by one of these centres (a caseworker's worklist).
    pub within_centres: Option<Vec<String>>,
}

/// One line of the overdue worklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueFollowUp {
    pub follow_up: FollowUp,
    pub citizen: Citizen,
    pub initiative: String,
    pub caseworker_code: Option<String>,
    pub centre: Option<String>,
    pub days_overdue: i64,
}

/// The enrollment that owns a follow-up (for its caseworker code and centre), as an expression
/// over the `follow_up` row being updated: the enrollment it ends, the enrollment of the offer it
/// follows, or for a release the enrollment (lowest id) open on the release date.
const OWNING_ENROLLMENT: &str = "CASE follow_up.anchor
    WHEN 'forloeb_slut' THEN (SELECT e.id FROM enrollment e WHERE e.id = follow_up.anchor_id)
    WHEN 'loesladelse' THEN (
        SELECT MIN(e.id) FROM life_event ev JOIN enrollment e ON e.citizen_id = ev.citizen_id
            AND e.start_date <= ev.event_date AND (e.end_date IS NULL OR ev.event_date <= e.end_date)
        WHERE ev.id = follow_up.anchor_id)
    ELSE (SELECT o.enrollment_id FROM offer o WHERE o.id = follow_up.anchor_id)
END";

/// Stores each follow-up's owning enrollment (`follow_up.enrollment_id`), for one citizen or
/// (`None`) for all: run by every follow-up sync and import in the writing transaction, so the
/// worklist joins one indexed column. Only rows whose owner changed are written.
pub(crate) async fn assign_owning_enrollments(
    conn: &mut AnyConnection,
    citizen: Option<i64>,
) -> Result<u64, sqlx::Error> {
    let scope = if citizen.is_some() { "citizen_id = $1" } else { "$1 IS NULL" };
    let sql = format!(
        "UPDATE follow_up SET enrollment_id = {OWNING_ENROLLMENT}
         WHERE {scope} AND enrollment_id IS DISTINCT FROM ({OWNING_ENROLLMENT})"
    );
    Ok(sqlx::query(&sql).bind(citizen).execute(&mut *conn).await?.rows_affected())
}

impl Store {
    /// Records the outcome of an open follow-up. One already recorded is refused (its outcome
    /// is changed by [`Store::correct`]); the date it was done cannot be after today.
    pub async fn record_follow_up(&self, id: &str, record: &RecordFollowUp) -> Result<(), CaseError> {
        if self.code_lists().await?.follow_up_status(&record.status).is_none() {
            return Err(invalid("status", format!("ukendt status {:?}", record.status)));
        }
        let done_by = record.done_by.trim();
        if done_by.is_empty() {
            return Err(invalid("udfoert_af", "skal udfyldes"));
        }
        fact_date("udfoert", record.done)?;
        let (citizen_id, done) = self.follow_up_state(id).await?;
        if let Some(done) = done {
            return Err(refused("opfoelgning_id", Refusal::AlreadyDone(done)));
        }
        let mut write = CaseWrite::begin(self, citizen_id).await?;
        let updated = sqlx::query(
            "UPDATE follow_up SET done_date = $1, status = $2, done_by = $3
             WHERE id = $4 AND done_date IS NULL",
        )
        .bind(iso(record.done))
        .bind(&record.status)
        .bind(done_by)
        .bind(id)
        .execute(write.conn())
        .await?;
        if updated.rows_affected() == 0 {
            return Err(refused("opfoelgning_id", Refusal::AlreadyDone(record.done)));
        }
        write.commit().await
    }

    /// A follow-up's citizen and the date it was done (if it was).
    pub(super) async fn follow_up_state(&self, id: &str) -> Result<(i64, Option<NaiveDate>), CaseError> {
        let row = sqlx::query("SELECT citizen_id, done_date FROM follow_up WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| CaseError::NotFound { what: "opfølgning", id: id.to_owned() })?;
        Ok((row.try_get("citizen_id")?, rows::opt_date(&row, "done_date")?))
    }

    /// Follow-ups due before `as_of` and not done, oldest first, per caseworker code / centre.
    pub async fn overdue_follow_ups(
        &self,
        as_of: NaiveDate,
        filter: &WorklistFilter,
        limit: i64,
    ) -> Result<Vec<OverdueFollowUp>, StoreError> {
        let scope = filter.within_centres.as_deref().map_or_else(String::new, |centres| {
            format!(" AND {}", super::citizens::centre_in("e.centre", 5, centres))
        });
        let sql = format!(
            "SELECT f.id, f.citizen_id, f.anchor, f.anchor_id, f.due_date, f.done_date, f.status,
                    f.done_by, f.scheduled, c.cpr, c.birth_date, c.sex, c.name, c.area_id,
                    c.substitute_number, c.modulus11_warning, e.initiative_code, e.caseworker_code, e.centre
             FROM follow_up f JOIN citizen c ON c.id = f.citizen_id
             LEFT JOIN enrollment e ON e.id = f.enrollment_id
             WHERE f.done_date IS NULL AND f.due_date < $1
               AND ($2 IS NULL OR e.caseworker_code = $2) AND ($3 IS NULL OR e.centre = $3){scope}
             ORDER BY f.due_date, f.id LIMIT $4"
        );
        let mut query = sqlx::query(&sql)
            .bind(iso(as_of))
            .bind(filter.caseworker_code.as_deref().filter(|c| !c.is_empty()))
            .bind(filter.centre.as_deref().filter(|c| !c.is_empty()))
            .bind(limit);
        for centre in filter.within_centres.as_deref().unwrap_or_default() {
            query = query.bind(centre.trim());
        }
        let found = query.fetch_all(&self.pool).await?;
        found.iter().map(|row| overdue_from_row(row, as_of)).collect()
    }
}

pub(super) fn overdue_from_row(
    row: &sqlx::any::AnyRow,
    as_of: NaiveDate,
) -> Result<OverdueFollowUp, StoreError> {
    let follow_up = rows::follow_up(row)?;
    let mut citizen = rows::citizen_without_id(row)?;
    citizen.id = follow_up.citizen_id;
    Ok(OverdueFollowUp {
        days_overdue: (as_of - follow_up.due).num_days(),
        initiative: row.try_get::<Option<String>, _>("initiative_code")?.unwrap_or_default(),
        caseworker_code: row.try_get("caseworker_code")?,
        centre: row.try_get("centre")?,
        follow_up,
        citizen,
    })
}
