//! Users who sign in through the municipality's identity provider (OpenID Connect): created or
//! updated at each sign-in from what the provider says (role, centres and caseworker codes come
//! from the provider's groups, mapped by the web's configuration), and the sign-ins on their way
//! to the provider ([`PendingSignIn`]). The web checks the ID token; the store records the result
//! and audits it, refused or not, in the same transaction as the change.

use super::admin::{check_centres, replace_centres};
use super::caseworker_codes::{check_codes, replace_codes};
use super::{SecurityError, User};
use crate::audit::{append, parse_timestamp, timestamp, Actor, AuditAction, AuditEntry, AuditResult};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sikkerby_domain::access::Role;
use sqlx::{AnyConnection, Row};

/// What a stored password hash of an external user is: not a PHC string, so no password ever
/// matches it (the local sign-in runs Argon2 against its dummy hash instead).
const NO_PASSWORD: &str = "!external";

/// A verified sign-in at the provider, mapped to Sikker By's access.
#[derive(Debug, Clone)]
pub struct ExternalSignIn {
    /// The ID token's `iss` and `sub`: together they name the person for good.
    pub issuer: String,
    pub subject: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub centres: Vec<String>,
    pub caseworker_codes: Vec<String>,
}

/// A sign-in sent to the provider, as kept until its answer comes back.
#[derive(Clone)]
pub struct PendingSignIn {
    pub nonce: String,
    pub pkce_verifier: String,
    /// The local path to go to afterwards.
    pub next_path: String,
    browser_hash: String,
}

impl std::fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingSignIn").field("next_path", &self.next_path).finish_non_exhaustive()
    }
}

impl PendingSignIn {
    /// Whether the answer came back to the browser that started the sign-in (its cookie token).
    pub fn belongs_to(&self, browser_token: &str) -> bool {
        let hash = sha256(browser_token);
        let (a, b) = (hash.as_bytes(), self.browser_hash.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Why an external sign-in was refused by the store.
#[derive(Debug, thiserror::Error)]
pub enum ExternalSignInError {
    /// The username the provider gives belongs to a local user or to another person there.
    #[error("the username {0} is taken by another user")]
    UsernameTaken(String),
    #[error(transparent)]
    Security(#[from] SecurityError),
}

impl From<StoreError> for ExternalSignInError {
    fn from(e: StoreError) -> Self {
        ExternalSignInError::Security(e.into())
    }
}

impl From<sqlx::Error> for ExternalSignInError {
    fn from(e: sqlx::Error) -> Self {
        ExternalSignInError::Security(e.into())
    }
}

impl Store {
    /// Keeps a sign-in sent to the provider until `expires_at`, under the SHA-256 of its state;
    /// forgets pending sign-ins that have expired.
    pub async fn begin_external_sign_in(
        &self,
        state: &str,
        browser_token: &str,
        pending: (&str, &str, &str),
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (nonce, pkce_verifier, next_path) = pending;
        sqlx::query("DELETE FROM oidc_pending WHERE expires_at <= $1")
            .bind(timestamp(now))
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO oidc_pending (state_hash, browser_hash, nonce, pkce_verifier, next_path, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(sha256(state))
        .bind(sha256(browser_token))
        .bind(nonce)
        .bind(pkce_verifier)
        .bind(next_path)
        .bind(timestamp(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes the pending sign-in of `state` out (single use: a second answer with the same state
    /// finds nothing); `None` when unknown, already used or expired.
    pub async fn take_external_sign_in(
        &self,
        state: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<PendingSignIn>, StoreError> {
        let row = sqlx::query(
            "DELETE FROM oidc_pending WHERE state_hash = $1
             RETURNING browser_hash, nonce, pkce_verifier, next_path, expires_at",
        )
        .bind(sha256(state))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        if parse_timestamp(&row.try_get::<String, _>("expires_at")?)? <= now {
            return Ok(None);
        }
        Ok(Some(PendingSignIn {
            nonce: row.try_get("nonce")?,
            pkce_verifier: row.try_get("pkce_verifier")?,
            next_path: row.try_get("next_path")?,
            browser_hash: row.try_get("browser_hash")?,
        }))
    }

    /// The user of an issuer's subject, if they signed in before.
    pub async fn external_user(&self, issuer: &str, subject: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query("SELECT id FROM app_user WHERE external_issuer = $1 AND external_subject = $2")
            .bind(issuer)
            .bind(subject)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => self.user(row.try_get("id")?).await,
            None => Ok(None),
        }
    }

    /// Whether a user signs in through the provider (and so signs out there too).
    pub async fn is_external_user(&self, user_id: i64) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT external_subject FROM app_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get::<Option<String>, _>("external_subject")).transpose()?.flatten().is_some())
    }

    /// Creates or updates the user of a verified sign-in (role, centres, caseworker codes and
    /// name as the provider says now; active again if they had lost access) and audits the
    /// sign-in as `login_ok` with `detail` (acr and amr), all in one transaction.
    pub async fn sign_in_external(
        &self,
        who: &ExternalSignIn,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<User, ExternalSignInError> {
        let centres = check_centres(who.role, &who.centres)?;
        let codes = check_codes(who.role, &who.caseworker_codes)?;
        let existing = self.external_user(&who.issuer, &who.subject).await?;
        let taken = self.user_by_username(&who.username).await?;
        if taken.as_ref().is_some_and(|t| existing.as_ref().is_none_or(|e| e.id != t.id)) {
            let entry = AuditEntry::new(&Actor::anonymous(), AuditAction::LoginFailed, now)
                .result(AuditResult::Denied)
                .detail(format!("{detail}; username taken by another user"));
            self.audit(&entry).await?;
            return Err(ExternalSignInError::UsernameTaken(who.username.clone()));
        }
        let mut tx = self.pool.begin().await?;
        let id = match &existing {
            Some(user) => {
                update_user(&mut tx, user.id, who, now).await?;
                user.id
            }
            None => insert_user(&mut tx, who, now).await?,
        };
        replace_centres(&mut tx, id, &centres).await?;
        replace_codes(&mut tx, id, &codes).await?;
        let actor = Actor { user_id: Some(id), username: who.username.clone(), role: Some(who.role) };
        append(&mut tx, &AuditEntry::new(&actor, AuditAction::LoginOk, now).detail(detail)).await?;
        tx.commit().await?;
        let user = self.user(id).await?;
        Ok(user.ok_or_else(|| StoreError::Corrupt(format!("no user #{id}")))?)
    }

    /// Audits a refused external sign-in (`login_failed`, `denied`, the reason in `detail`). With
    /// `revoke`, a user of this subject who signed in before loses access: deactivated, their
    /// sessions ended (their groups no longer give a role), until a sign-in maps again.
    pub async fn refuse_external_sign_in(
        &self,
        subject: Option<(&str, &str)>,
        detail: &str,
        revoke: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let known = match subject {
            Some((issuer, subject)) => self.external_user(issuer, subject).await?,
            None => None,
        };
        let actor = known.as_ref().map_or_else(Actor::anonymous, User::actor);
        let mut tx = self.pool.begin().await?;
        if let (Some(user), true) = (&known, revoke) {
            sqlx::query("UPDATE app_user SET active = 0, updated_at = $1 WHERE id = $2")
                .bind(timestamp(now))
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM user_session WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        }
        let entry =
            AuditEntry::new(&actor, AuditAction::LoginFailed, now).result(AuditResult::Denied).detail(detail);
        append(&mut tx, &entry).await?;
        tx.commit().await?;
        tracing::warn!(user_id = known.map(|u| u.id), reason = detail, "external sign-in refused");
        Ok(())
    }
}

async fn insert_user(
    conn: &mut AnyConnection,
    who: &ExternalSignIn,
    now: DateTime<Utc>,
) -> Result<i64, ExternalSignInError> {
    let row = sqlx::query(
        "INSERT INTO app_user (username, display_name, role, password_hash, active, created_at, updated_at,
                               external_issuer, external_subject)
         VALUES ($1, $2, $3, $4, 1, $5, $5, $6, $7) RETURNING id",
    )
    .bind(super::normalise_username(&who.username))
    .bind(&who.display_name)
    .bind(who.role.code())
    .bind(NO_PASSWORD)
    .bind(timestamp(now))
    .bind(&who.issuer)
    .bind(&who.subject)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

async fn update_user(
    conn: &mut AnyConnection,
    id: i64,
    who: &ExternalSignIn,
    now: DateTime<Utc>,
) -> Result<(), ExternalSignInError> {
    sqlx::query(
        "UPDATE app_user SET username = $1, display_name = $2, role = $3, active = 1, updated_at = $4
         WHERE id = $5",
    )
    .bind(super::normalise_username(&who.username))
    .bind(&who.display_name)
    .bind(who.role.code())
    .bind(timestamp(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
