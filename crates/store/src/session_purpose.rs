//! What the web needs to bind every read of a citizen to a purpose and to the user's centres
//! (docs/domain.md §9): the purpose given once per citizen and session, and the centres that hold a
//! citizen's enrollments.
//!
//! A purpose belongs to the session (by its token hash) and ends with it; rotating or deleting
//! the session forgets it, so a new login asks again.

use crate::audit::{parse_timestamp, timestamp};
use crate::sessions::token_hash;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use sikkerby_domain::access::Purpose;
use sqlx::Row;

/// The purpose a session's user gave for one citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPurpose {
    pub purpose: Purpose,
    /// The user's own words (required for `andet`); CPR-like numbers are masked when audited.
    pub text: String,
    /// The session registered the citizen itself, so may open them before any enrollment.
    pub registered: bool,
    pub set_at: DateTime<Utc>,
}

/// Who holds a citizen: the centre that registered them and the centres of their enrollments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CitizenCentres {
    /// How many enrollments the citizen has (with or without a centre).
    pub enrollments: i64,
    /// The distinct centres holding the citizen: the registering centre (`citizen.held_by`)
    /// and those of the enrollments.
    pub centres: Vec<String>,
}

/// A citizen's enrollments' centres and the purpose a session gave for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenAccess {
    pub centres: CitizenCentres,
    pub purpose: Option<SessionPurpose>,
}

impl Store {
    /// Records (or replaces) the purpose of a live session for one citizen; false when the
    /// token is not a session's.
    pub async fn set_session_purpose(
        &self,
        token: &str,
        citizen_id: i64,
        purpose: &SessionPurpose,
    ) -> Result<bool, StoreError> {
        let Some(hash) = token_hash(token) else { return Ok(false) };
        let done = sqlx::query(
            "INSERT INTO session_purpose (token_hash, citizen_id, purpose_code, purpose_text, registered, set_at)
             SELECT token_hash, $2, $3, $4, $5, $6 FROM user_session WHERE token_hash = $1
             ON CONFLICT (token_hash, citizen_id) DO UPDATE SET purpose_code = excluded.purpose_code,
                 purpose_text = excluded.purpose_text,
                 registered = CASE WHEN session_purpose.registered = 1 THEN 1 ELSE excluded.registered END,
                 set_at = excluded.set_at",
        )
        .bind(&hash)
        .bind(citizen_id)
        .bind(purpose.purpose.code())
        .bind(sikkerby_domain::terminal_text::strip_controls(&purpose.text).trim())
        .bind(i64::from(purpose.registered))
        .bind(timestamp(purpose.set_at))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The centres holding a citizen's enrollments; `None` when there is no such citizen.
    pub async fn citizen_centres(&self, citizen_id: i64) -> Result<Option<CitizenCentres>, StoreError> {
        Ok(self.citizen_access(None, citizen_id).await?.map(|access| access.centres))
    }

    /// What an access check needs about a citizen, in one query: who holds the enrollments and
    /// the purpose the session (`token`) gave, if any; `None` when there is no such citizen.
    /// One query rather than three, because every citizen page and form post asks it first.
    pub async fn citizen_access(
        &self,
        token: Option<&str>,
        citizen_id: i64,
    ) -> Result<Option<CitizenAccess>, StoreError> {
        // One row per enrollment (one with NULLs when there is none); the purpose repeats.
        let rows = sqlx::query(
            "SELECT c.held_by, e.id AS enrollment_id, e.centre, p.purpose_code, p.purpose_text, p.registered, p.set_at
             FROM citizen c
             LEFT JOIN enrollment e ON e.citizen_id = c.id
             LEFT JOIN session_purpose p ON p.token_hash = $1 AND p.citizen_id = c.id
             WHERE c.id = $2
             ORDER BY e.centre",
        )
        .bind(token.and_then(token_hash))
        .bind(citizen_id)
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let mut centres = CitizenCentres::default();
        let held_by: Option<String> = first.try_get("held_by")?;
        centres.centres.extend(held_by.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()));
        for row in &rows {
            if row.try_get::<Option<String>, _>("enrollment_id")?.is_none() {
                continue;
            }
            centres.enrollments += 1;
            let centre: Option<String> = row.try_get("centre")?;
            if let Some(centre) = centre.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()) {
                if !centres.centres.contains(&centre) {
                    centres.centres.push(centre);
                }
            }
        }
        Ok(Some(CitizenAccess { centres, purpose: purpose_of(first)? }))
    }
}

/// The session's purpose in a row of [`Store::citizen_access`], if the session gave one.
fn purpose_of(row: &sqlx::any::AnyRow) -> Result<Option<SessionPurpose>, StoreError> {
    let Some(code) = row.try_get::<Option<String>, _>("purpose_code")? else { return Ok(None) };
    Ok(Some(SessionPurpose {
        purpose: Purpose::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        text: row.try_get("purpose_text")?,
        registered: row.try_get::<i64, _>("registered")? != 0,
        set_at: parse_timestamp(&row.try_get::<String, _>("set_at")?)?,
    }))
}
