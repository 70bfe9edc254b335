//! Access control for the web (docs/domain.md §9): who is signed in, what their role lets them reach,
//! forms that cannot be forged from another site, and a purpose-bound audit row for every look
//! at a citizen's data.
//!
//! - [`guard`] runs on every request: it reads the session from the `sikkerby_session` cookie
//!   (sessions live in the database, so instances share them), looks the route up in the table of
//!   [`policy`] (deny by default), sends the anonymous to `/login` (401 JSON for the API), refuses
//!   other roles with 403 and checks the CSRF token of every non-GET request ([`csrf`]). The
//!   signed-in user reaches handlers as [`CurrentUser`].
//! - [`login`]: the sign-in page (Argon2id and lockout in the store, a rate limit here in
//!   [`rate_limit`]), sign-out, and the session cookie.
//! - [`citizen`]: a caseworker reaches only citizens enrolled with one of their centres, after
//!   giving a purpose once per citizen and session ([`purpose`]); each read and write is audited
//!   with that purpose before anything is shown.
//! - [`oidc`]: sign-in through the municipality's identity provider (OpenID Connect), roles
//!   from its groups.
//! - [`headers`]: the security headers of every response.
//! - [`settings`]: the admin's page for the disclosure threshold.
//! - [`password_reset`]: setting a new password with an administrator's one-time code.

pub mod citizen;
mod cookies;
mod csrf;
mod guard;
pub mod headers;
mod login;
pub mod oidc;
mod origin;
mod password_reset;
pub mod policy;
mod purpose;
pub mod rate_limit;
mod settings;

pub use cookies::SESSION_COOKIE;
pub use csrf::{CSRF_FIELD, CSRF_HEADER};
pub use guard::guard;

use crate::{AppError, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::Router;
use sikkerby_domain::access::Role;
use sikkerby_store::audit::Actor;
use sikkerby_store::sessions::Session;
use sikkerby_store::users::User;

/// A password nobody knows (256 random bits): a user created in the browser has it until they
/// choose their own with a one-time code.
pub(crate) fn random_password() -> String {
    login::random_token()
}

/// The signed-in user of a request, with their session. Handlers take it as an extractor; the
/// guard has put it in the request before any handler of a non-public route runs.
#[derive(Clone)]
pub struct CurrentUser {
    pub user: User,
    /// The session's CSRF secret: every form carries it as the hidden field [`CSRF_FIELD`].
    pub csrf_token: String,
    /// The session token from the cookie (never logged; `Debug` leaves it out).
    session_token: String,
    /// A caseworker's own worklist: their caseworker codes and how many of its follow-ups are
    /// overdue today (the navigation's count); loaded by the guard for a caseworker's pages.
    pub worklist: Option<OwnWorklist>,
}

/// What the navigation and the worklist need to know of a caseworker's own list.
#[derive(Debug, Clone, Default)]
pub struct OwnWorklist {
    pub caseworker_codes: Vec<String>,
    pub overdue: i64,
}

impl std::fmt::Debug for CurrentUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CurrentUser")
            .field("user_id", &self.user.id)
            .field("role", &self.user.role)
            .finish_non_exhaustive()
    }
}

impl CurrentUser {
    pub(crate) fn new(session: Session, session_token: String) -> Self {
        CurrentUser { user: session.user, csrf_token: session.csrf_secret, session_token, worklist: None }
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    /// The user as the actor of an audit row.
    pub fn actor(&self) -> Actor {
        self.user.actor()
    }

    pub(crate) fn session_token(&self) -> &str {
        &self.session_token
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<CurrentUser>().cloned().ok_or(AppError::Unauthorized)
    }
}

/// The routes of access control itself: sign in and out, the purpose question, the settings.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/login/oidc", get(oidc::flow::start))
        .route("/login/oidc/callback", get(oidc::flow::callback))
        .route("/logout", post(login::logout))
        .route("/borgere/{id}/formaal", get(purpose::form).post(purpose::submit))
        .route("/admin/indstillinger", get(settings::show).post(settings::save))
        .route("/nulstil-adgangskode", get(password_reset::form).post(password_reset::submit))
}
