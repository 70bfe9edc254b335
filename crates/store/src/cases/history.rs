//! The history of corrected facts: who changed which field of which record, when, from what,
//! to what and why. Written only by a committing `CaseWrite` (`super::write`), read with the
//! citizen's timeline.

use crate::audit::{parse_timestamp, timestamp};
use crate::StoreError;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The kind of record a corrected fact belongs to; the codes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Enrollment,
    Offer,
    FollowUp,
    Event,
}

impl RecordKind {
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Enrollment => "forloeb",
            RecordKind::Offer => "tilbud",
            RecordKind::FollowUp => "opfoelgning",
            RecordKind::Event => "haendelse",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [RecordKind::Enrollment, RecordKind::Offer, RecordKind::FollowUp, RecordKind::Event]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// One changed field, as a write notes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldChange {
    pub kind: RecordKind,
    pub record_id: String,
    /// The form field (and CSV column): `slut`, `afslutningsaarsag`, `udfoert`, `status`, `dato`.
    pub field: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: String,
    pub by: String,
}

/// One stored correction, as the citizen page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub kind: RecordKind,
    pub record_id: String,
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Stores the changes of one write, all with the same time.
pub(crate) async fn store(
    conn: &mut AnyConnection,
    citizen_id: i64,
    changes: &[FieldChange],
) -> Result<(), StoreError> {
    let at = timestamp(Utc::now());
    for change in changes {
        sqlx::query(
            "INSERT INTO case_history (citizen_id, record_kind, record_id, field, old_value, new_value,
                 reason, changed_by, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(citizen_id)
        .bind(change.kind.code())
        .bind(&change.record_id)
        .bind(change.field)
        .bind(change.from.as_deref())
        .bind(change.to.as_deref())
        .bind(&change.reason)
        .bind(&change.by)
        .bind(&at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The query of a citizen's corrections, oldest first.
pub(crate) const CORRECTIONS_SQL: &str =
    "SELECT record_kind, record_id, field, old_value, new_value, reason, changed_by, changed_at
     FROM case_history WHERE citizen_id = $1 ORDER BY id";

pub(crate) fn correction(row: &AnyRow) -> Result<Correction, StoreError> {
    let kind: String = row.try_get("record_kind")?;
    let at: String = row.try_get("changed_at")?;
    Ok(Correction {
        kind: RecordKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown record kind {kind:?}")))?,
        record_id: row.try_get("record_id")?,
        field: row.try_get("field")?,
        from: row.try_get("old_value")?,
        to: row.try_get("new_value")?,
        reason: row.try_get("reason")?,
        by: row.try_get("changed_by")?,
        at: parse_timestamp(&at)?,
    })
}
