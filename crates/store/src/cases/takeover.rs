//! Takeover requests (docs/case-records.md, "Holder"): a caseworker who registers a CPR number
//! already registered outside their centres asks, without seeing anything of the citizen, for
//! the citizen to be moved to their centre. The centres holding the citizen decide (or a
//! manager; only a manager decides for a citizen held by no centre). A grant makes the
//! requesting centre the holder (`citizen.held_by`) through the one case-write path
//! ([`CaseWrite`]), so the change commits with its audit row and the change log; a refusal
//! goes the same way and changes only the request. Both lock the citizen on PostgreSQL and
//! decide only a request still pending, so two decisions cannot both pass.
//!
//! The centres holding a citizen are read per request ([`Store::citizen_centres`]): there are
//! few pending requests at any time.

use super::write::CaseWrite;
use super::CaseError;
use crate::audit::{append, parse_timestamp, timestamp, AuditEntry};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A request to make, after a registration of a CPR number held outside the user's centres.
#[derive(Debug, Clone)]
pub struct NewTakeover {
    pub citizen_id: i64,
    pub requesting_centre: String,
    pub requested_by: i64,
    /// The name the requester typed (shown back to them; never compared with the stored one).
    pub typed_name: Option<String>,
}

/// Where a request stands; the codes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeoverStatus {
    Pending,
    Granted,
    Refused,
}

impl TakeoverStatus {
    pub fn code(self) -> &'static str {
        match self {
            TakeoverStatus::Pending => "pending",
            TakeoverStatus::Granted => "granted",
            TakeoverStatus::Refused => "refused",
        }
    }

    fn parse(code: &str) -> Result<Self, StoreError> {
        [TakeoverStatus::Pending, TakeoverStatus::Granted, TakeoverStatus::Refused]
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| StoreError::Corrupt(format!("takeover status {code:?}")))
    }
}

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Takeover {
    pub id: i64,
    pub citizen_id: i64,
    pub requesting_centre: String,
    pub requested_by: i64,
    pub typed_name: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub status: TakeoverStatus,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Who is deciding: a caseworker of these centres, or a manager (any request).
#[derive(Debug, Clone, Copy)]
pub enum Decider<'a> {
    Centres(&'a [String]),
    Manager,
}

impl Decider<'_> {
    /// Whether the decider may decide a request for a citizen held by `holders`: a manager
    /// always; a caseworker when one of their centres holds the citizen.
    pub fn may_decide(&self, holders: &[String]) -> bool {
        match self {
            Decider::Manager => true,
            Decider::Centres(own) => holders.iter().any(|h| own.iter().any(|c| c.trim() == h.trim())),
        }
    }
}

const COLUMNS: &str =
    "id, citizen_id, requesting_centre, requested_by, typed_name, requested_at, status, decided_at";

fn takeover(row: &AnyRow) -> Result<Takeover, StoreError> {
    let decided_at: Option<String> = row.try_get("decided_at")?;
    Ok(Takeover {
        id: row.try_get("id")?,
        citizen_id: row.try_get("citizen_id")?,
        requesting_centre: row.try_get("requesting_centre")?,
        requested_by: row.try_get("requested_by")?,
        typed_name: row.try_get("typed_name")?,
        requested_at: parse_timestamp(&row.try_get::<String, _>("requested_at")?)?,
        status: TakeoverStatus::parse(&row.try_get::<String, _>("status")?)?,
        decided_at: decided_at.as_deref().map(parse_timestamp).transpose()?,
    })
}

impl Store {
    /// Stores a request and its audit row in one transaction; returns the request's id.
    pub async fn request_takeover(&self, new: &NewTakeover, audit: &AuditEntry) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO takeover_request (citizen_id, requesting_centre, requested_by, typed_name, requested_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.citizen_id)
        .bind(new.requesting_centre.trim())
        .bind(new.requested_by)
        .bind(new.typed_name.as_deref().map(str::trim).filter(|n| !n.is_empty()))
        .bind(timestamp(Utc::now()))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One request.
    pub async fn takeover(&self, id: i64) -> Result<Option<Takeover>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM takeover_request WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(takeover).transpose()
    }

    /// The pending requests `decider` may decide, oldest first.
    pub async fn takeovers_to_decide(&self, decider: Decider<'_>) -> Result<Vec<Takeover>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM takeover_request WHERE status = 'pending' ORDER BY id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut found = Vec::new();
        for row in &rows {
            let request = takeover(row)?;
            let holders = self.citizen_centres(request.citizen_id).await?.unwrap_or_default().centres;
            if decider.may_decide(&holders) {
                found.push(request);
            }
        }
        Ok(found)
    }

    /// The requests a user made, newest first.
    pub async fn takeovers_requested_by(&self, user_id: i64) -> Result<Vec<Takeover>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM takeover_request WHERE requested_by = $1 ORDER BY id DESC");
        let rows = sqlx::query(&sql).bind(user_id).fetch_all(&self.pool).await?;
        rows.iter().map(takeover).collect()
    }

    /// Grants or refuses a pending request `decider` may decide, as `decided_by`; a grant makes
    /// the requesting centre the citizen's holder. The audit row of a surrounding
    /// `audit::audited_write` commits with it. `NotFound` for a request that does not exist,
    /// is decided already or is not the decider's (one answer for all three).
    pub async fn decide_takeover(
        &self,
        id: i64,
        decider: Decider<'_>,
        decided_by: i64,
        grant: bool,
    ) -> Result<Takeover, CaseError> {
        let not_found = || CaseError::NotFound { what: "overtagelse", id: id.to_string() };
        let request = self.takeover(id).await?.filter(|r| r.status == TakeoverStatus::Pending);
        let request = request.ok_or_else(not_found)?;
        let holders = self.citizen_centres(request.citizen_id).await?.unwrap_or_default().centres;
        if !decider.may_decide(&holders) {
            return Err(not_found());
        }
        let mut write = CaseWrite::begin(self, request.citizen_id).await?;
        let status = if grant { TakeoverStatus::Granted } else { TakeoverStatus::Refused };
        let decided = sqlx::query(
            "UPDATE takeover_request SET status = $1, decided_by = $2, decided_at = $3
             WHERE id = $4 AND status = 'pending'",
        )
        .bind(status.code())
        .bind(decided_by)
        .bind(timestamp(Utc::now()))
        .bind(id)
        .execute(write.conn())
        .await?;
        if decided.rows_affected() != 1 {
            return Err(not_found()); // decided by someone else a moment ago; rolls back
        }
        if grant {
            sqlx::query("UPDATE citizen SET held_by = $1 WHERE id = $2")
                .bind(&request.requesting_centre)
                .bind(request.citizen_id)
                .execute(write.conn())
                .await?;
        }
        write.commit().await?;
        self.takeover(id).await?.ok_or_else(not_found)
    }
}
