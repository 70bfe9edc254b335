//! Login sessions, kept in the database so that several web instances share them.
//!
//! A session is identified by a random 256-bit token that the browser holds in a cookie; the
//! database keeps only its SHA-256, so a copy of the table lets nobody in. A session ends after
//! [`IDLE_TIMEOUT_MINUTES`] without a request or [`ABSOLUTE_TIMEOUT_HOURS`] after login, whichever
//! comes first. Each session has its own CSRF secret for the web's forms.
//!
//! The web's flow: after [`Store::verify_login`] succeeds, [`Store::create_session`] (deleting
//! any session the browser already had, or [`Store::rotate_session`] to keep it) so that a token
//! planted before login is worthless (session fixation); on each request
//! [`Store::session_by_token`], then [`Session::csrf_matches`] for every unsafe method; on logout
//! [`Store::delete_session`]; now and then [`Store::purge_expired_sessions`].

use crate::audit::{append, parse_timestamp, timestamp, AuditAction, AuditEntry};
use crate::users::User;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A session ends this long after its last request.
pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
/// A session ends this long after login, however active.
pub const ABSOLUTE_TIMEOUT_HOURS: i64 = 8;
/// A session's last request is written back at most this often. Writing it on every request
/// would make every page view a database write (the load benchmark's dashboard spent most of its
/// time there); against a 30-minute idle timeout, a minute of slack ends a session at most a
/// minute early, never late.
pub const LAST_SEEN_RESOLUTION_SECONDS: i64 = 60;

/// When a session ends: after `idle` without a request or `absolute` after sign-in, whichever
/// comes first. The defaults are [`IDLE_TIMEOUT_MINUTES`] and [`ABSOLUTE_TIMEOUT_HOURS`]; a
/// server sets its own from its configuration ([`Store::with_session_limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(IDLE_TIMEOUT_MINUTES),
            absolute: Duration::hours(ABSOLUTE_TIMEOUT_HOURS),
        }
    }
}

/// The secret the browser holds. `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// The token for the cookie (64 hex digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(***)")
    }
}

/// A live session and its user, as read for a request.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// Put in every form as a hidden field and compared with [`Session::csrf_matches`].
    pub csrf_secret: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The absolute end; the idle end is [`Session::idle_expires_at`].
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user.username)
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// When the session ends if no further request comes (with the default idle time).
    pub fn idle_expires_at(&self) -> DateTime<Utc> {
        (self.last_seen_at + SessionLimits::default().idle).min(self.expires_at)
    }

    /// Compares a submitted CSRF token with the session's in constant time.
    pub fn csrf_matches(&self, submitted: &str) -> bool {
        let (a, b) = (self.csrf_secret.as_bytes(), submitted.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// A session just made: the token to set as the cookie, and the session.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: SessionToken,
    pub session: Session,
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The stored form of a token: SHA-256, hex. A token that is not 64 hex digits hashes to
/// nothing, so a malformed cookie costs no query.
pub(crate) fn token_hash(token: &str) -> Option<String> {
    let well_formed = token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit());
    well_formed.then(|| hex::encode(Sha256::digest(token.as_bytes())))
}

impl Store {
    /// The store with other session timeouts.
    pub fn with_session_limits(mut self, limits: SessionLimits) -> Self {
        self.session_limits = limits;
        self
    }

    /// The session timeouts in force.
    pub fn session_limits(&self) -> SessionLimits {
        self.session_limits
    }

    /// Starts a session for a user who just logged in.
    pub async fn create_session(&self, user_id: i64, now: DateTime<Utc>) -> Result<NewSession, StoreError> {
        self.insert_session(user_id, now, now + self.session_limits.absolute, now).await
    }

    async fn insert_session(
        &self,
        user_id: i64,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<NewSession, StoreError> {
        let user =
            self.user(user_id).await?.ok_or_else(|| StoreError::Corrupt(format!("no user #{user_id}")))?;
        let token = random_hex();
        let csrf_secret = random_hex();
        sqlx::query(
            "INSERT INTO user_session (token_hash, user_id, csrf_secret, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(&csrf_secret)
        .bind(timestamp(created_at))
        .bind(timestamp(now))
        .bind(timestamp(expires_at))
        .execute(&self.pool)
        .await?;
        let session = Session { user, csrf_secret, created_at, last_seen_at: now, expires_at };
        Ok(NewSession { token: SessionToken(token), session })
    }

    /// The live session with this token, its last request moved to `now` (when the stored one is
    /// older than [`LAST_SEEN_RESOLUTION_SECONDS`]); `None` for an unknown,
    /// expired or malformed token or an inactive user (an expired session is deleted).
    pub async fn session_by_token(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, StoreError> {
        let Some(hash) = token_hash(token) else { return Ok(None) };
        // The session, its user and the user's centres (one row each, or one with NULL) in one
        // query: this runs on every request.
        let sql = format!(
            "SELECT s.csrf_secret, s.created_at AS session_created_at, s.last_seen_at, s.expires_at,
                    c.centre AS user_centre, {}
             FROM user_session s JOIN app_user u ON u.id = s.user_id
             LEFT JOIN user_centre c ON c.user_id = u.id
             WHERE s.token_hash = $1 ORDER BY c.centre",
            crate::users::USER_COLUMNS_OF_U
        );
        let rows = sqlx::query(&sql).bind(&hash).fetch_all(&self.pool).await?;
        let Some(row) = rows.first() else { return Ok(None) };
        let centres = rows
            .iter()
            .filter_map(|r| r.try_get::<Option<String>, _>("user_centre").transpose())
            .collect::<Result<Vec<String>, _>>()?;
        let created_at = parse_timestamp(&row.try_get::<String, _>("session_created_at")?)?;
        let last_seen_at = parse_timestamp(&row.try_get::<String, _>("last_seen_at")?)?;
        let expires_at = parse_timestamp(&row.try_get::<String, _>("expires_at")?)?;
        let idle_end = last_seen_at + self.session_limits.idle;
        let user = Some(crate::users::user_row(row, centres)?).filter(|u| u.active);
        let Some(user) = user.filter(|_| now < expires_at && now < idle_end) else {
            sqlx::query("DELETE FROM user_session WHERE token_hash = $1")
                .bind(&hash)
                .execute(&self.pool)
                .await?;
            return Ok(None);
        };
        let last_seen_at = if now - last_seen_at >= Duration::seconds(LAST_SEEN_RESOLUTION_SECONDS) {
            sqlx::query("UPDATE user_session SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(timestamp(now))
                .bind(&hash)
                .execute(&self.pool)
                .await?;
            now
        } else {
            last_seen_at
        };
        let csrf_secret = row.try_get("csrf_secret")?;
        Ok(Some(Session { user, csrf_secret, created_at, last_seen_at, expires_at }))
    }

    /// Replaces a live session's token (and CSRF secret) with new ones, keeping its user and its
    /// absolute end; the old token stops working. `None` when the old one is not live.
    pub async fn rotate_session(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<NewSession>, StoreError> {
        let Some(old) = self.session_by_token(token, now).await? else { return Ok(None) };
        let hash = token_hash(token);
        sqlx::query("DELETE FROM user_session WHERE token_hash = $1").bind(hash).execute(&self.pool).await?;
        self.insert_session(old.user.id, old.created_at, old.expires_at, now).await.map(Some)
    }

    /// Ends a session (logout) and audits it; false when there was no such session.
    pub async fn delete_session(&self, token: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let Some(hash) = token_hash(token) else { return Ok(false) };
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("DELETE FROM user_session WHERE token_hash = $1 RETURNING user_id")
            .bind(hash)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        if let Some(user) = self.user(row.try_get("user_id")?).await? {
            append(&mut tx, &AuditEntry::new(&user.actor(), AuditAction::Logout, now)).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes every session past its idle or absolute end; returns how many.
    pub async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let idle_cutoff = now - self.session_limits.idle;
        let done = sqlx::query("DELETE FROM user_session WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(timestamp(now))
            .bind(timestamp(idle_cutoff))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// How many live sessions a user has (for the admin page).
    pub async fn session_count(&self, user_id: i64, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM user_session WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3",
        )
        .bind(user_id)
        .bind(timestamp(now))
        .bind(timestamp(now - self.session_limits.idle))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }
}
