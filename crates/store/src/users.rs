//! Users (docs/domain.md §9): who they are, their role, the centres a caseworker works for, and
//! their password as an Argon2id hash (PHC string, the `argon2` crate's default parameters).
//!
//! Logging in ([`Store::verify_login_from`]) always runs Argon2 once, against a dummy hash when
//! the user does not exist and against the real one when the account is locked, so that the
//! answer takes as long whatever the reason (no enumeration of usernames or locked accounts). It
//! counts failed attempts and locks the account for [`LOCKOUT_MINUTES`] after
//! [`MAX_FAILED_LOGINS`] of them, except for a browser that signed in as the user before (its
//! device cookie, see [`login_device`]): a stranger guessing cannot lock the user out of their
//! own browser (docs/security.md has the whole policy). Every login, failed or not, is
//! audited; an unknown username is not stored (it may be a password typed in the wrong field),
//! and a password never reaches a log line, an error or the audit log.
//!
//! Changes to users are audited as `permission_change` in the same transaction; see [`admin`].

mod admin;
mod caseworker_codes;
pub mod external;
pub mod login_device;
pub mod partner;
pub mod password_policy;
pub mod password_reset;

pub use admin::{check_centres, AccessChange};
pub use caseworker_codes::check_codes as check_caseworker_codes;
pub use partner::{PartnerAccess, PartnerAssignment};
pub use password_policy::{MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH};

use crate::audit::{append, parse_timestamp, timestamp, Actor, AuditAction, AuditEntry, AuditResult};
use crate::{Store, StoreError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use sikkerby_domain::access::{self, Role};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::sync::OnceLock;

/// Failed logins in a row after which the account is locked.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Why an administrative change or a recorded disclosure was refused.
#[derive(Debug, thiserror::Error)]
pub enum SecurityError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("{0}")]
    Conflict(String),
    /// An administrator tried to take away their own access (deactivate, change their role).
    #[error("you cannot {what}")]
    OwnAccount { what: &'static str },
    /// The change would leave no active administrator.
    #[error("the last active administrator must stay one")]
    LastAdmin,
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    #[error("not allowed to {action}")]
    Forbidden { action: &'static str },
    #[error("refused: {0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SecurityError {
    fn from(e: sqlx::Error) -> Self {
        SecurityError::Store(e.into())
    }
}

/// Why a login failed. The web shows the same message for both, unless it chooses to tell a
/// locked-out user when to try again.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("the account is locked until {until}")]
    Locked { until: DateTime<Utc> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LoginError {
    fn from(e: sqlx::Error) -> Self {
        LoginError::Store(e.into())
    }
}

/// A user to create. `password` is hashed and then dropped; it is never stored or logged.
#[derive(Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Option<Role>,
    pub centres: Vec<String>,
    pub password: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("centres", &self.centres)
            .field("password", &"***")
            .finish()
    }
}

/// A user as the application sees them; the password hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The centres a caseworker works for (empty for other roles).
    pub centres: Vec<String>,
    pub active: bool,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// The user as the actor of an audited action.
    pub fn actor(&self) -> Actor {
        Actor { user_id: Some(self.id), username: self.username.clone(), role: Some(self.role) }
    }

    /// Whether the user may read case data held by `centre` (see [`access::can_read_case_data`]).
    pub fn can_read_case_data(&self, centre: Option<&str>) -> bool {
        access::can_read_case_data(self.role, &self.centres, centre)
    }
}

/// Usernames are compared in lower case.
pub(crate) fn normalise_username(name: &str) -> String {
    name.trim().to_lowercase()
}

pub(crate) fn validate_username(name: &str) -> Result<String, SecurityError> {
    let name = normalise_username(name);
    let ok_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !(3..=64).contains(&name.len()) || !ok_chars {
        let reason = "3 to 64 characters: letters a-z, digits, '.', '_' or '-'".into();
        return Err(SecurityError::Invalid { field: "username", reason });
    }
    Ok(name)
}

/// Hashes a password with Argon2id on a blocking thread (it takes tens of milliseconds).
pub(crate) async fn hash_password(password: &str) -> Result<String, SecurityError> {
    let password = password.to_owned();
    let hashed = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await;
    match hashed {
        Ok(Ok(hash)) => Ok(hash),
        _ => Err(SecurityError::Invalid { field: "password", reason: "could not be hashed".into() }),
    }
}

/// A hash of a random password, verified against when the user does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let random = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(random.as_str().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies a password against a PHC hash on a blocking thread; `None` verifies the dummy hash
/// and is always false.
async fn verify_password(hash: Option<String>, password: &str) -> bool {
    let password = password.to_owned();
    let real = hash.is_some();
    let verified = tokio::task::spawn_blocking(move || {
        // A hash that is not a PHC string (an external user's, see `external`) costs the same
        // Argon2 run as an unknown user, so that timing does not tell which users sign in there.
        let hash = hash.filter(|h| PasswordHash::new(h).is_ok()).unwrap_or_else(|| dummy_hash().to_owned());
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await;
    real && verified.unwrap_or(false)
}

const USER_COLUMNS: &str =
    "id, username, display_name, role, active, failed_logins, locked_until, created_at, updated_at";

/// [`USER_COLUMNS`] of the table aliased `u`, for joins (same names in the result).
pub(crate) const USER_COLUMNS_OF_U: &str = "u.id, u.username, u.display_name, u.role, u.active, \
     u.failed_logins, u.locked_until, u.created_at, u.updated_at";

pub(crate) fn user_row(row: &AnyRow, centres: Vec<String>) -> Result<User, StoreError> {
    let role: String = row.try_get("role")?;
    let locked: Option<String> = row.try_get("locked_until")?;
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        centres,
        active: row.try_get::<i64, _>("active")? != 0,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: locked.as_deref().map(parse_timestamp).transpose()?,
        created_at: parse_timestamp(&row.try_get::<String, _>("created_at")?)?,
        updated_at: parse_timestamp(&row.try_get::<String, _>("updated_at")?)?,
    })
}

/// The outcome of a password check, before it is recorded.
#[derive(Clone, Copy)]
enum Attempt {
    UnknownUser,
    Locked(i64, DateTime<Utc>),
    Wrong(i64),
    Inactive(i64),
    Right(i64),
}

impl Attempt {
    fn user_id(self) -> Option<i64> {
        match self {
            Attempt::UnknownUser => None,
            Attempt::Locked(id, _) | Attempt::Wrong(id) | Attempt::Inactive(id) | Attempt::Right(id) => {
                Some(id)
            }
        }
    }

    /// The audit row's action, result and detail.
    fn audited(self) -> (AuditAction, AuditResult, &'static str) {
        let failed = |detail| (AuditAction::LoginFailed, AuditResult::Denied, detail);
        match self {
            Attempt::Right(_) => (AuditAction::LoginOk, AuditResult::Ok, ""),
            Attempt::UnknownUser => failed("unknown user"),
            Attempt::Locked(..) => failed("account locked"),
            Attempt::Inactive(_) => failed("account inactive"),
            Attempt::Wrong(_) => failed("wrong password"),
        }
    }
}

impl Store {
    /// One user by id.
    pub async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE id = $1");
        let Some(row) = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let centres = self.user_centres(id).await?;
        Ok(Some(user_row(&row, centres)?))
    }

    /// One user by username (case-insensitive).
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query("SELECT id FROM app_user WHERE username = $1")
            .bind(normalise_username(username))
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => self.user(row.try_get("id")?).await,
            None => Ok(None),
        }
    }

    /// Every user, by username.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user ORDER BY username");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut users = Vec::with_capacity(rows.len());
        for row in &rows {
            let centres = self.user_centres(row.try_get("id")?).await?;
            users.push(user_row(row, centres)?);
        }
        Ok(users)
    }

    pub(crate) async fn user_centres(&self, user_id: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT centre FROM user_centre WHERE user_id = $1 ORDER BY centre")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("centre")?)).collect()
    }

    /// Checks a username and password at `now`. On success the failure counter is reset and the
    /// user returned; on failure the attempt is counted and, at [`MAX_FAILED_LOGINS`], the
    /// account locked for [`LOCKOUT_MINUTES`]. Both outcomes are audited.
    pub async fn verify_login(
        &self,
        username: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<User, LoginError> {
        self.verify_login_from(username, password, None, now).await
    }

    /// [`Store::verify_login`] from a browser that brought the device token `device` (see
    /// [`login_device`]): if it signed in as this user before, a lock does not stop the right
    /// password.
    pub async fn verify_login_from(
        &self,
        username: &str,
        password: &str,
        device: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<User, LoginError> {
        let attempt = self.check_password(username, password, device, now).await?;
        let known = match attempt.user_id() {
            Some(id) => self.user(id).await?,
            None => None,
        };
        let actor = known.as_ref().map_or_else(Actor::anonymous, User::actor);
        let mut tx = self.pool.begin().await?;
        match attempt {
            Attempt::Wrong(id) | Attempt::Inactive(id) => count_failure(&mut tx, id, now).await?,
            Attempt::Right(id) => {
                sqlx::query("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Attempt::UnknownUser | Attempt::Locked(..) => {}
        }
        let (action, result, detail) = attempt.audited();
        append(&mut tx, &AuditEntry::new(&actor, action, now).result(result).detail(detail)).await?;
        tx.commit().await?;
        match attempt {
            Attempt::Right(id) => self.user(id).await?.ok_or(LoginError::InvalidCredentials),
            Attempt::Locked(_, until) => Err(LoginError::Locked { until }),
            _ => {
                tracing::warn!(user_id = attempt.user_id(), reason = detail, "login failed");
                Err(LoginError::InvalidCredentials)
            }
        }
    }

    async fn check_password(
        &self,
        username: &str,
        password: &str,
        device: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Attempt, LoginError> {
        let row =
            sqlx::query("SELECT id, password_hash, active, locked_until FROM app_user WHERE username = $1")
                .bind(normalise_username(username))
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else {
            verify_password(None, password).await;
            return Ok(Attempt::UnknownUser);
        };
        let id: i64 = row.try_get("id")?;
        // Argon2 runs whatever the lock says: a locked account must not answer sooner.
        let right = verify_password(Some(row.try_get("password_hash")?), password).await;
        let locked: Option<String> = row.try_get("locked_until")?;
        if let Some(until) = locked.as_deref().map(parse_timestamp).transpose()?.filter(|u| *u > now) {
            if !(right && self.is_known_device(id, device, now).await?) {
                return Ok(Attempt::Locked(id, until));
            }
        }
        let active = row.try_get::<i64, _>("active")? != 0;
        Ok(match (right, active) {
            (false, _) => Attempt::Wrong(id),
            (true, false) => Attempt::Inactive(id),
            (true, true) => Attempt::Right(id),
        })
    }
}

/// Counts a failed login and locks the account when the count reaches the limit (the counter
/// starts again at zero, so the next lock needs as many failures after this one expires).
async fn count_failure(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if row.try_get::<i64, _>("failed_logins")? >= MAX_FAILED_LOGINS {
        let until = now + Duration::minutes(LOCKOUT_MINUTES);
        sqlx::query("UPDATE app_user SET failed_logins = 0, locked_until = $1 WHERE id = $2")
            .bind(timestamp(until))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        tracing::warn!(user_id = id, "account locked after {MAX_FAILED_LOGINS} failed logins");
    }
    Ok(())
}
