//! Device tokens (OWASP "Slow down online guessing attacks with device cookies"): a random token
//! given to a browser when it signs in, kept as a long-lived cookie, stored here as its SHA-256.
//! At the next sign-in the token shows that this browser has known the password before, so the
//! lockout that guessing from elsewhere triggers does not stop it (see
//! [`Store::verify_login_from`]). A token is bound to one user, expires after
//! [`DEVICE_DAYS`], and all of a user's tokens end with a new password.

use crate::audit::{parse_timestamp, timestamp};
use crate::sessions::token_hash;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sqlx::Row;

/// How long a browser stays known after signing in.
pub const DEVICE_DAYS: i64 = 90;
/// Tokens kept per user; a browser beyond this many forgets the oldest.
const MAX_DEVICES_PER_USER: i64 = 20;

impl Store {
    /// Records that a browser signed in as `user_id` at `now`; returns the token for its cookie.
    pub async fn remember_device(&self, user_id: i64, now: DateTime<Utc>) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM login_device WHERE user_id = $1 AND expires_at <= $2")
            .bind(user_id)
            .bind(timestamp(now))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM login_device WHERE user_id = $1 AND token_hash NOT IN (SELECT token_hash
             FROM login_device WHERE user_id = $2 ORDER BY created_at DESC LIMIT $3)",
        )
        .bind(user_id)
        .bind(user_id)
        .bind(MAX_DEVICES_PER_USER - 1)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO login_device (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(timestamp(now))
        .bind(timestamp(now + Duration::days(DEVICE_DAYS)))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Whether `token` is a live device token of the user called `username` (the rate limit asks
    /// before the password is checked; a malformed token costs no query).
    pub async fn is_known_device_of(
        &self,
        username: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(hash) = token_hash(token) else { return Ok(false) };
        let row = sqlx::query(
            "SELECT d.expires_at FROM login_device d JOIN app_user u ON u.id = d.user_id
             WHERE d.token_hash = $1 AND u.username = $2",
        )
        .bind(hash)
        .bind(super::normalise_username(username))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(parse_timestamp(&row.try_get::<String, _>("expires_at")?)? > now),
            None => Ok(false),
        }
    }

    /// Whether `token` is a live device token of `user_id`.
    pub(crate) async fn is_known_device(
        &self,
        user_id: i64,
        token: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(hash) = token.and_then(token_hash) else { return Ok(false) };
        let row = sqlx::query("SELECT expires_at FROM login_device WHERE token_hash = $1 AND user_id = $2")
            .bind(hash)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(parse_timestamp(&row.try_get::<String, _>("expires_at")?)? > now),
            None => Ok(false),
        }
    }
}
