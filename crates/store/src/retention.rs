//! Retention (docs/domain.md §9): deleting a citizen's personal data once their retention date has
//! passed, leaving a tombstone that identifies nobody.
//!
//! A citizen's retention date is `citizen.retention_date` when set (it always wins), else it is
//! computed: [`RETENTION_YEARS_AFTER_LAST_END`] years after the last end of any of their
//! enrollments and placements, and only when none of them is still open. A citizen with neither
//! has no computed date and is kept until someone sets one. The data are deleted on the
//! retention date itself (`retention date <= as of`).
//!
//! Deleting removes the citizen's takeover requests, correction history, follow-ups, offers, enrollments,
//! placements and life events and then the citizen row with the CPR number and name, and writes a `citizen_tombstone` (internal
//! id, birth year, sex, area, deletion date), enough for aggregates, and a `retention_delete` audit
//! row, all in one transaction per citizen. The audit log and the disclosure register keep the
//! internal id only, and the id is never given to another citizen (identity columns on PostgreSQL,
//! AUTOINCREMENT on SQLite). Figures published before the deletion stay reproducible because a
//! report snapshot stores the evaluated figures and their inputs, not references to the rows.
//! Re-importing an extract that still holds the citizen would register them again as new.

use crate::audit::{append, Actor, AuditAction, AuditEntry};
use crate::cases::rows::{iso, opt_date, parse_iso};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate, Utc};
use sikkerby_domain::access::Purpose;
use sikkerby_domain::calendar::add_months;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Years after the last enrollment or placement ended that a citizen's data are kept [assumed;
/// the municipality's retention schedule decides].
pub const RETENTION_YEARS_AFTER_LAST_END: i32 = 5;

/// Which rule set a citizen's retention date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionRule {
    /// `citizen.retention_date`.
    Explicit,
    /// [`RETENTION_YEARS_AFTER_LAST_END`] after the last end.
    Computed,
}

impl RetentionRule {
    pub fn code(self) -> &'static str {
        match self {
            RetentionRule::Explicit => "explicit",
            RetentionRule::Computed => "computed",
        }
    }
}

/// A citizen whose retention date has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionDue {
    pub citizen_id: i64,
    pub retention_date: NaiveDate,
    pub rule: RetentionRule,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RetentionReport {
    /// Internal ids of the citizens deleted, in order.
    pub deleted: Vec<i64>,
}

/// A non-identifying remainder of a deleted citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    pub id: i64,
    pub birth_year: i32,
    pub sex: String,
    pub area_id: Option<String>,
    pub deleted_on: NaiveDate,
}

/// The retention date of a citizen: the explicit date, else the computed one (none while an
/// enrollment or placement is open or when there was none).
pub fn retention_date(
    explicit: Option<NaiveDate>,
    last_end: Option<NaiveDate>,
    anything_open: bool,
) -> Option<(NaiveDate, RetentionRule)> {
    if let Some(date) = explicit {
        return Some((date, RetentionRule::Explicit));
    }
    let last_end = last_end.filter(|_| !anything_open)?;
    Some((add_months(last_end, 12 * RETENTION_YEARS_AFTER_LAST_END), RetentionRule::Computed))
}

const CANDIDATES: &str = "
    SELECT c.id, c.retention_date,
           (SELECT MAX(e.end_date) FROM enrollment e WHERE e.citizen_id = c.id) AS enrollment_end,
           (SELECT MAX(p.end_date) FROM placement p WHERE p.citizen_id = c.id) AS placement_end,
           (SELECT COUNT(*) FROM enrollment e WHERE e.citizen_id = c.id AND e.end_date IS NULL)
         + (SELECT COUNT(*) FROM placement p WHERE p.citizen_id = c.id AND p.end_date IS NULL) AS open_count
    FROM citizen c
    WHERE c.retention_date <= $1
       OR (c.retention_date IS NULL AND (EXISTS (SELECT 1 FROM enrollment e WHERE e.citizen_id = c.id)
                                      OR EXISTS (SELECT 1 FROM placement p WHERE p.citizen_id = c.id)))
    ORDER BY c.id";

fn due(row: &AnyRow, as_of: NaiveDate) -> Result<Option<RetentionDue>, StoreError> {
    let citizen_id: i64 = row.try_get("id")?;
    let last_end = opt_date(row, "enrollment_end")?.max(opt_date(row, "placement_end")?);
    let open: i64 = row.try_get("open_count")?;
    let found = retention_date(opt_date(row, "retention_date")?, last_end, open > 0);
    Ok(found.filter(|(date, _)| *date <= as_of).map(|(retention_date, rule)| RetentionDue {
        citizen_id,
        retention_date,
        rule,
    }))
}

/// Deleting one citizen's case records, children before parents (foreign keys); the citizen row
/// goes last. The first statement writes, so SQLite takes the write lock at once.
const DELETIONS: [&str; 7] = [
    "DELETE FROM takeover_request WHERE citizen_id = $1",
    "DELETE FROM case_history WHERE citizen_id = $1",
    "DELETE FROM follow_up WHERE citizen_id = $1",
    "DELETE FROM offer WHERE enrollment_id IN (SELECT id FROM enrollment WHERE citizen_id = $1)",
    "DELETE FROM enrollment WHERE citizen_id = $1",
    "DELETE FROM placement WHERE citizen_id = $1",
    "DELETE FROM life_event WHERE citizen_id = $1",
];

impl Store {
    /// Sets (or clears) a citizen's explicit retention date.
    pub async fn set_retention_date(
        &self,
        citizen_id: i64,
        date: Option<NaiveDate>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE citizen SET retention_date = $1 WHERE id = $2")
            .bind(date.map(iso))
            .bind(citizen_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The citizens whose retention date is on or before `as_of` (what a run would delete).
    pub async fn retention_due(&self, as_of: NaiveDate) -> Result<Vec<RetentionDue>, StoreError> {
        let rows = sqlx::query(CANDIDATES).bind(iso(as_of)).fetch_all(&self.pool).await?;
        let mut found = Vec::new();
        for row in &rows {
            found.extend(due(row, as_of)?);
        }
        Ok(found)
    }

    /// Deletes the personal data of every citizen due on `as_of` (see the module docs), one
    /// audited transaction per citizen.
    pub async fn retention_run(
        &self,
        as_of: NaiveDate,
        actor: &Actor,
    ) -> Result<RetentionReport, StoreError> {
        let mut report = RetentionReport::default();
        for due in self.retention_due(as_of).await? {
            self.delete_citizen_data(&due, as_of, actor).await?;
            report.deleted.push(due.citizen_id);
        }
        tracing::info!(deleted = report.deleted.len(), as_of = %as_of, "retention run");
        Ok(report)
    }

    async fn delete_citizen_data(
        &self,
        due: &RetentionDue,
        as_of: NaiveDate,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let id = due.citizen_id;
        let mut tx = self.pool.begin().await?;
        for sql in DELETIONS {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        let row = sqlx::query("DELETE FROM citizen WHERE id = $1 RETURNING birth_date, sex, area_id")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let birth: String = row.try_get("birth_date")?;
        let (sex, area): (String, Option<String>) = (row.try_get("sex")?, row.try_get("area_id")?);
        sqlx::query(
            "INSERT INTO citizen_tombstone (id, birth_year, sex, area_id, deleted_on, rule)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(i64::from(parse_iso(&birth)?.year()))
        .bind(sex)
        .bind(area)
        .bind(iso(as_of))
        .bind(due.rule.code())
        .execute(&mut *tx)
        .await?;
        let text = format!("retention date {} ({})", iso(due.retention_date), due.rule.code());
        let entry =
            AuditEntry::about(actor, AuditAction::RetentionDelete, id, Purpose::Retention, &text, Utc::now());
        append(&mut tx, &entry).await?;
        // "Everything": a deleted citizen leaves the evaluator's data only with a full reload.
        crate::change_log::append_everything(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The tombstone of a deleted citizen.
    pub async fn tombstone(&self, citizen_id: i64) -> Result<Option<Tombstone>, StoreError> {
        let row = sqlx::query(
            "SELECT id, birth_year, sex, area_id, deleted_on FROM citizen_tombstone WHERE id = $1",
        )
        .bind(citizen_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let year: i64 = row.try_get("birth_year")?;
        Ok(Some(Tombstone {
            id: row.try_get("id")?,
            birth_year: i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("birth year {year}")))?,
            sex: row.try_get("sex")?,
            area_id: row.try_get("area_id")?,
            deleted_on: parse_iso(&row.try_get::<String, _>("deleted_on")?)?,
        }))
    }
}
