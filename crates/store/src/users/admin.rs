//! Administrative changes to users: create, change role, centres and codes, (de)activate,
//! unlock, set a password. Only an administrator or the system may make them (a user may change their own
//! password); each is audited as `permission_change` in the transaction that makes it, and a
//! refused attempt is audited as `denied`. Deactivating a user or changing their password ends
//! their sessions.

use super::caseworker_codes::{check_codes, replace_codes};
use super::partner::{check_partner, describe, replace_partner, PartnerAccess};
use super::password_policy::validate_password;
use super::{hash_password, validate_username, NewUser, SecurityError, User};
use crate::audit::{append, timestamp, Actor, AuditAction, AuditEntry, AuditResult};
use crate::Store;
use chrono::{DateTime, Utc};
use sikkerby_domain::access::{Permission, Role};
use sqlx::{AnyConnection, Row};

pub fn check_centres(role: Role, centres: &[String]) -> Result<Vec<String>, SecurityError> {
    let mut centres: Vec<String> =
        centres.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    centres.sort();
    centres.dedup();
    if role == Role::Caseworker && centres.is_empty() {
        let reason = "a caseworker works for at least one centre".into();
        return Err(SecurityError::Invalid { field: "centre", reason });
    }
    if role != Role::Caseworker && !centres.is_empty() {
        let reason = "only caseworkers are tied to centres".into();
        return Err(SecurityError::Invalid { field: "centre", reason });
    }
    Ok(centres)
}

pub(super) async fn replace_centres(
    conn: &mut AnyConnection,
    user_id: i64,
    centres: &[String],
) -> Result<(), SecurityError> {
    sqlx::query("DELETE FROM user_centre WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    for centre in centres {
        sqlx::query("INSERT INTO user_centre (user_id, centre) VALUES ($1, $2)")
            .bind(user_id)
            .bind(centre)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A new role with its centres, caseworker codes and (a partner's) source and districts, for
/// [`Store::set_user_access`].
#[derive(Debug, Clone)]
pub struct AccessChange {
    pub role: Role,
    pub centres: Vec<String>,
    pub caseworker_codes: Vec<String>,
    pub partner: PartnerAccess,
}

/// An administrator may not take away their own access (role, active): another administrator
/// must, so that nobody locks themselves out by a slip.
fn refuse_own_account(actor: &Actor, user_id: i64, what: &'static str) -> Result<(), SecurityError> {
    if actor.user_id == Some(user_id) {
        return Err(SecurityError::OwnAccount { what });
    }
    Ok(())
}

/// Refuses a change that would leave no active administrator besides `user_id`, inside the
/// change's transaction.
async fn keep_an_admin(conn: &mut AnyConnection, user_id: i64) -> Result<(), SecurityError> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM app_user WHERE role = 'admin' AND active = 1 AND id <> $1")
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await?;
    if row.try_get::<i64, _>("n")? == 0 {
        return Err(SecurityError::LastAdmin);
    }
    Ok(())
}

/// Stores a new password hash, lifts a lock, ends the user's sessions and forgets their known
/// browsers, inside the caller's transaction (an administrator's change and a reset code alike).
pub(super) async fn write_password(
    conn: &mut AnyConnection,
    user_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), SecurityError> {
    sqlx::query(
        "UPDATE app_user SET password_hash = $1, failed_logins = 0, locked_until = NULL, updated_at = $2
         WHERE id = $3",
    )
    .bind(hash)
    .bind(timestamp(now))
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM user_session WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    // Browsers trusted under the old password are not trusted under the new one.
    sqlx::query("DELETE FROM login_device WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM password_reset WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

impl Store {
    /// Refuses (and audits) an actor who may not administer users.
    pub(super) async fn authorize_admin(
        &self,
        actor: &Actor,
        action: &'static str,
        now: DateTime<Utc>,
    ) -> Result<(), SecurityError> {
        if actor.is_system() || actor.role.is_some_and(|r| r.has(Permission::Administer)) {
            return Ok(());
        }
        let entry = AuditEntry::new(actor, AuditAction::PermissionChange, now);
        self.audit(&entry.result(AuditResult::Denied).detail(action)).await?;
        Err(SecurityError::Forbidden { action })
    }

    /// Creates a user. The username is stored in lower case and must be new.
    pub async fn create_user(
        &self,
        new: &NewUser,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, SecurityError> {
        self.create_user_with_codes(new, &[], actor, now).await
    }

    /// Creates a user who works under `codes` (caseworkers only), all in one transaction: a bad
    /// code stores no user.
    pub async fn create_user_with_codes(
        &self,
        new: &NewUser,
        codes: &[String],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, SecurityError> {
        self.create_user_with_access(new, codes, &PartnerAccess::default(), actor, now).await
    }

    /// Creates a user with caseworker codes (caseworkers only) and a source and districts
    /// (partners only), all in one transaction: a bad code or district stores no user.
    pub async fn create_user_with_access(
        &self,
        new: &NewUser,
        codes: &[String],
        partner: &PartnerAccess,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, SecurityError> {
        self.authorize_admin(actor, "create a user", now).await?;
        let username = validate_username(&new.username)?;
        let role = new.role.ok_or(SecurityError::Invalid { field: "role", reason: "is required".into() })?;
        let centres = check_centres(role, &new.centres)?;
        let codes = check_codes(role, codes)?;
        let display_name = match new.display_name.trim() {
            "" => username.clone(),
            name => name.chars().take(200).collect(),
        };
        validate_password(&new.password, &username, &display_name)?;
        if self.user_by_username(&username).await?.is_some() {
            return Err(SecurityError::Conflict(format!("username {username:?} is taken")));
        }
        let hash = hash_password(&new.password).await?;
        let mut tx = self.pool.begin().await?;
        let assignment = check_partner(&mut tx, role, partner).await?;
        let row = sqlx::query(
            "INSERT INTO app_user (username, display_name, role, password_hash, active, failed_logins,
                                   created_at, updated_at)
             VALUES ($1, $2, $3, $4, 1, 0, $5, $5) RETURNING id",
        )
        .bind(&username)
        .bind(&display_name)
        .bind(role.code())
        .bind(hash)
        .bind(timestamp(now))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        replace_centres(&mut tx, id, &centres).await?;
        replace_codes(&mut tx, id, &codes).await?;
        replace_partner(&mut tx, id, assignment.as_ref()).await?;
        let detail = format!(
            "user #{id} created with role {role}, caseworker codes [{}]{}",
            codes.join(", "),
            describe(assignment.as_ref())
        );
        append(&mut tx, &AuditEntry::new(actor, AuditAction::PermissionChange, now).detail(detail)).await?;
        tx.commit().await?;
        tracing::info!(user_id = id, role = role.code(), "user created");
        self.user(id).await?.ok_or(SecurityError::NotFound { what: "user", id: id.to_string() })
    }

    /// Changes a user's role, centres and caseworker codes together (checked against the new
    /// role, so that a user who stops being a caseworker keeps no centre or code), in one
    /// transaction with its audit row. Refused for the actor's own account and when it would
    /// leave no active administrator.
    pub async fn set_user_access(
        &self,
        user_id: i64,
        change: &AccessChange,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, SecurityError> {
        self.authorize_admin(actor, "change a role", now).await?;
        let old = self.existing_user(user_id).await?;
        let role = change.role;
        let centres = check_centres(role, &change.centres)?;
        let codes = check_codes(role, &change.caseworker_codes)?;
        if role != old.role {
            refuse_own_account(actor, user_id, "change your own role")?;
        }
        let mut tx = self.pool.begin().await?;
        if old.role == Role::Admin && role != Role::Admin {
            keep_an_admin(&mut tx, user_id).await?;
        }
        let assignment = check_partner(&mut tx, role, &change.partner).await?;
        sqlx::query("UPDATE app_user SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role.code())
            .bind(timestamp(now))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        replace_centres(&mut tx, user_id, &centres).await?;
        replace_codes(&mut tx, user_id, &codes).await?;
        replace_partner(&mut tx, user_id, assignment.as_ref()).await?;
        let detail = format!(
            "user #{user_id} role {} -> {role}, centres [{}], caseworker codes [{}]{}",
            old.role,
            centres.join(", "),
            codes.join(", "),
            describe(assignment.as_ref())
        );
        append(&mut tx, &AuditEntry::new(actor, AuditAction::PermissionChange, now).detail(detail)).await?;
        tx.commit().await?;
        self.existing_user(user_id).await
    }

    /// Activates or deactivates a user; deactivating ends their sessions, activating lifts a lock.
    pub async fn set_user_active(
        &self,
        user_id: i64,
        active: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, SecurityError> {
        self.authorize_admin(actor, "activate or deactivate a user", now).await?;
        let user = self.existing_user(user_id).await?;
        let mut tx = self.pool.begin().await?;
        if !active {
            refuse_own_account(actor, user_id, "deactivate yourself")?;
            if user.role == Role::Admin {
                keep_an_admin(&mut tx, user_id).await?;
            }
        }
        sqlx::query(
            "UPDATE app_user SET active = $1, failed_logins = 0, locked_until = NULL, updated_at = $2
             WHERE id = $3",
        )
        .bind(i64::from(active))
        .bind(timestamp(now))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if !active {
            sqlx::query("DELETE FROM user_session WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let detail = format!("user #{user_id} {}", if active { "activated" } else { "deactivated" });
        append(&mut tx, &AuditEntry::new(actor, AuditAction::PermissionChange, now).detail(detail)).await?;
        tx.commit().await?;
        self.existing_user(user_id).await
    }

    /// Sets a new password (an administrator, or the user themself), lifts a lock and ends the
    /// user's sessions, so that a stolen session dies with the old password.
    pub async fn set_user_password(
        &self,
        user_id: i64,
        password: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), SecurityError> {
        if actor.user_id != Some(user_id) {
            self.authorize_admin(actor, "set another user's password", now).await?;
        }
        let user = self.existing_user(user_id).await?;
        validate_password(password, &user.username, &user.display_name)?;
        let hash = hash_password(password).await?;
        let mut tx = self.pool.begin().await?;
        write_password(&mut tx, user_id, &hash, now).await?;
        let detail = format!("user #{user_id} password changed");
        append(&mut tx, &AuditEntry::new(actor, AuditAction::PermissionChange, now).detail(detail)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Lifts a lock after failed logins (the counter starts again at zero), audited.
    pub async fn unlock_user(
        &self,
        user_id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, SecurityError> {
        self.authorize_admin(actor, "unlock a user", now).await?;
        self.existing_user(user_id).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE app_user SET failed_logins = 0, locked_until = NULL, updated_at = $1 WHERE id = $2",
        )
        .bind(timestamp(now))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let detail = format!("user #{user_id} unlocked");
        append(&mut tx, &AuditEntry::new(actor, AuditAction::PermissionChange, now).detail(detail)).await?;
        tx.commit().await?;
        self.existing_user(user_id).await
    }

    pub(super) async fn existing_user(&self, user_id: i64) -> Result<User, SecurityError> {
        self.user(user_id).await?.ok_or(SecurityError::NotFound { what: "user", id: user_id.to_string() })
    }
}
