//! The caseworker codes a user works under (the extract's `sagsbehandlerkode`): the worklist's
//! "Min liste" is the follow-ups of the user's codes. Only caseworkers hold codes; setting them
//! is an administrative change, audited as `permission_change` in its own transaction.

use super::SecurityError;
use crate::audit::{append, timestamp, Actor, AuditAction, AuditEntry};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use sikkerby_domain::access::Role;
use sqlx::Row;

/// The longest code kept; the extract's codes are like `JKU-A17`.
const MAX_CODE_LENGTH: usize = 32;

/// Trims, sorts and de-duplicates codes; refuses an empty or odd one (letters, digits, '-', '_')
/// and any code for a role other than caseworker. Public so that a caller creating a user can
/// refuse bad codes before anything is stored.
pub fn check_codes(role: Role, codes: &[String]) -> Result<Vec<String>, SecurityError> {
    let mut checked = Vec::with_capacity(codes.len());
    for code in codes.iter().map(|c| c.trim()) {
        let ok = code.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'));
        if code.is_empty() || code.chars().count() > MAX_CODE_LENGTH || !ok {
            let reason = format!("1 to {MAX_CODE_LENGTH} characters: letters, digits, '-' or '_'");
            return Err(SecurityError::Invalid { field: "caseworker_code", reason });
        }
        checked.push(code.to_owned());
    }
    checked.sort();
    checked.dedup();
    if role != Role::Caseworker && !checked.is_empty() {
        let reason = "only caseworkers hold caseworker codes".into();
        return Err(SecurityError::Invalid { field: "caseworker_code", reason });
    }
    Ok(checked)
}

/// Replaces a user's codes (checked already) inside the caller's transaction.
pub(super) async fn replace_codes(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    codes: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM user_caseworker_code WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for code in codes {
        sqlx::query("INSERT INTO user_caseworker_code (user_id, code) VALUES ($1, $2)")
            .bind(user_id)
            .bind(code)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// A user's caseworker codes, sorted.
    pub async fn user_caseworker_codes(&self, user_id: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT code FROM user_caseworker_code WHERE user_id = $1 ORDER BY code")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("code")?)).collect()
    }

    /// Replaces a user's caseworker codes (an empty list removes them); returns the codes kept.
    pub async fn set_user_caseworker_codes(
        &self,
        user_id: i64,
        codes: &[String],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, SecurityError> {
        self.authorize_admin(actor, "set caseworker codes", now).await?;
        let user = self.existing_user(user_id).await?;
        let codes = check_codes(user.role, codes)?;
        let mut tx = self.pool.begin().await?;
        replace_codes(&mut tx, user_id, &codes).await?;
        sqlx::query("UPDATE app_user SET updated_at = $1 WHERE id = $2")
            .bind(timestamp(now))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let detail = format!("user #{user_id} caseworker codes [{}]", codes.join(", "));
        append(&mut tx, &AuditEntry::new(actor, AuditAction::PermissionChange, now).detail(detail)).await?;
        tx.commit().await?;
        Ok(codes)
    }
}
