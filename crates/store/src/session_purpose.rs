//! What the web needs to bind every read of a citizen to a purpose and to the user's centres
//! (DOMAIN.md §9): the purpose given once per citizen and session, and the centres that hold a
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

/// Who holds a citizen's enrollments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CitizenCentres {
    /// How many enrollments the citizen has (with or without a centre).
    pub enrollments: i64,
    /// The distinct centres of those enrollments.
    pub centres: Vec<String>,
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
        .bind(purpose.text.trim())
        .bind(i64::from(purpose.registered))
        .bind(timestamp(purpose.set_at))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The purpose a session gave for a citizen, if any.
    pub async fn session_purpose(
        &self,
        token: &str,
        citizen_id: i64,
    ) -> Result<Option<SessionPurpose>, StoreError> {
        let Some(hash) = token_hash(token) else { return Ok(None) };
        let row = sqlx::query(
            "SELECT purpose_code, purpose_text, registered, set_at FROM session_purpose
             WHERE token_hash = $1 AND citizen_id = $2",
        )
        .bind(&hash)
        .bind(citizen_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let code: String = row.try_get("purpose_code")?;
        Ok(Some(SessionPurpose {
            purpose: Purpose::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            text: row.try_get("purpose_text")?,
            registered: row.try_get::<i64, _>("registered")? != 0,
            set_at: parse_timestamp(&row.try_get::<String, _>("set_at")?)?,
        }))
    }

    /// The centres holding a citizen's enrollments; `None` when there is no such citizen.
    pub async fn citizen_centres(&self, citizen_id: i64) -> Result<Option<CitizenCentres>, StoreError> {
        let exists = sqlx::query("SELECT id FROM citizen WHERE id = $1")
            .bind(citizen_id)
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let rows = sqlx::query("SELECT centre FROM enrollment WHERE citizen_id = $1 ORDER BY centre")
            .bind(citizen_id)
            .fetch_all(&self.pool)
            .await?;
        let mut centres: Vec<String> = Vec::new();
        for row in &rows {
            let centre: Option<String> = row.try_get("centre")?;
            if let Some(centre) = centre.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()) {
                if !centres.contains(&centre) {
                    centres.push(centre);
                }
            }
        }
        Ok(Some(CitizenCentres { enrollments: rows.len() as i64, centres }))
    }
}
