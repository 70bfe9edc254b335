//! One-time password reset codes (docs/security.md "Resetting a password"). An administrator
//! issues a code for a user ([`Store::issue_password_reset`]) and sees it once; the user sets a
//! new password with it ([`Store::reset_password_with_code`]), which must pass the password
//! policy. The code is 32 random bytes (hex), stored only as its SHA-256, works once, expires
//! after [`RESET_HOURS`], and a new code replaces the user's earlier one. Both steps are audited
//! as `permission_change` in the transaction that makes them; the code itself never reaches the
//! audit log or a log line. A user who signs in through the identity provider gets no code.

use super::admin::write_password;
use super::password_policy::validate_password;
use super::{hash_password, SecurityError};
use crate::audit::{append, parse_timestamp, timestamp, Actor, AuditAction, AuditEntry};
use crate::sessions::token_hash;
use crate::Store;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sqlx::Row;

/// How long a reset code works after it was issued.
pub const RESET_HOURS: i64 = 24;

/// Why a reset code was not accepted: the same answer for an unknown, a used and an expired code.
fn bad_code() -> SecurityError {
    SecurityError::Invalid { field: "code", reason: "is unknown, used or expired".into() }
}

impl Store {
    /// Issues a one-time reset code for `user_id` (administrators only) and returns it: the only
    /// time it exists in clear. An earlier code of the user stops working.
    pub async fn issue_password_reset(
        &self,
        user_id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<String, SecurityError> {
        self.authorize_admin(actor, "issue a password reset code", now).await?;
        self.existing_user(user_id).await?;
        // A local password would let a user of the identity provider past its checks (MFA).
        if self.is_external_user(user_id).await? {
            let reason = "signs in through the identity provider and has no password here".into();
            return Err(SecurityError::Invalid { field: "user", reason });
        }
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let code = hex::encode(bytes);
        let hash = token_hash(&code).ok_or_else(bad_code)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM password_reset WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO password_reset (code_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(hash)
        .bind(user_id)
        .bind(timestamp(now))
        .bind(timestamp(now + Duration::hours(RESET_HOURS)))
        .execute(&mut *tx)
        .await?;
        let detail = format!("user #{user_id} password reset code issued");
        append(&mut tx, &AuditEntry::new(actor, AuditAction::PermissionChange, now).detail(detail)).await?;
        tx.commit().await?;
        Ok(code)
    }

    /// Sets a new password with a reset code and uses the code up. The password is checked
    /// against the policy first (a refused password leaves the code working); the code, the new
    /// hash, the end of the user's sessions and the audit row commit together. Returns the
    /// username, so that the page can offer to sign in.
    pub async fn reset_password_with_code(
        &self,
        code: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<String, SecurityError> {
        let hash = token_hash(code.trim()).ok_or_else(bad_code)?;
        let row = sqlx::query("SELECT user_id, expires_at FROM password_reset WHERE code_hash = $1")
            .bind(&hash)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(bad_code)?;
        let expires = parse_timestamp(&row.try_get::<String, _>("expires_at")?)?;
        if expires <= now {
            return Err(bad_code());
        }
        let user = self.existing_user(row.try_get("user_id")?).await?;
        if self.is_external_user(user.id).await? {
            return Err(bad_code());
        }
        validate_password(password, &user.username, &user.display_name)?;
        let new_hash = hash_password(password).await?;
        let mut tx = self.pool.begin().await?;
        // Deleting by the hash is what uses the code: of two requests at once, one deletes it.
        let used = sqlx::query("DELETE FROM password_reset WHERE code_hash = $1 AND user_id = $2")
            .bind(&hash)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        if used.rows_affected() != 1 {
            return Err(bad_code());
        }
        write_password(&mut tx, user.id, &new_hash, now).await?;
        let detail = format!("user #{} password set with a reset code", user.id);
        let entry = AuditEntry::new(&user.actor(), AuditAction::PermissionChange, now).detail(detail);
        append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(user.username)
    }
}
