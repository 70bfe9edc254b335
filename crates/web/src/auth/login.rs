//! `/login` and `/logout`. Signing in checks the rate limit, then the password through the store
//! (Argon2id, lockout, audit; a device cookie from an earlier sign-in passes the lockout and the
//! per-username limit, see docs/security.md), then starts a *new* session: whatever session token the browser
//! brought is ended, never promoted, so a token planted before sign-in is worthless (session
//! fixation). The password is never logged: the form's `Debug` hides it.

use super::cookies::{self, DEVICE_COOKIE, LOGIN_COOKIE};
use super::csrf::same_token;
use super::CurrentUser;
use crate::pages::{render, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use rand::RngCore;
use serde::Deserialize;
use sikkerby_store::audit::{Actor, AuditAction, AuditEntry, AuditResult};
use sikkerby_store::users::login_device::DEVICE_DAYS;
use sikkerby_store::users::LoginError;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// How long the sign-in form's token lives, in seconds.
const FORM_TOKEN_SECONDS: u64 = 3600;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: crate::pages::Chrome,
    message: Option<String>,
    /// A notice that is not an error (signed out).
    notice: Option<&'static str>,
    form_token: String,
    next: String,
    username: String,
    /// Whether the password form is shown (`password_sign_in`).
    password_sign_in: bool,
    /// The sign-in button through the identity provider: the provider's name.
    provider_name: Option<String>,
}

/// The page after a sign-in through the identity provider: it forwards to `next` itself,
/// because the session cookie (`SameSite=Strict`) is not sent along a redirect chain that began
/// at the provider's site, and the first page would ask for a sign-in again.
///
/// Signing out at the provider goes the same way: the site's `form-action 'self'` policy stops a
/// browser from following the sign-out form's redirect to another site.
#[derive(Template)]
#[template(path = "oidc_forward.html")]
struct ForwardPage {
    chrome: crate::pages::Chrome,
    heading: &'static str,
    link: &'static str,
    next: String,
}

/// `?next=` of the sign-in page, and `?ud=1` after signing out.
#[derive(Debug, Deserialize)]
pub(super) struct Next {
    next: Option<String>,
    ud: Option<String>,
}

/// The submitted sign-in form.
#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: String,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm").field("password", &"***").finish_non_exhaustive()
    }
}

/// The client's address, when the server was started with connection info.
pub(super) struct ClientIp(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// A local path to return to after sign-in; anything else (another site, `//host`) is `/`.
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        // No control character or space at all: the URL standard drops a tab or newline, so
        // `/\t/evil.example` would become `//evil.example`, another site.
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub(super) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The sign-in page with a fresh form token (set as a cookie too), a message and a status.
fn page(
    state: &AppState,
    context: &PageContext,
    status: StatusCode,
    message: Option<&str>,
    next: String,
    username: &str,
) -> Result<Response, AppError> {
    page_with(state, context, status, message, None, next, username)
}

/// [`page`] with a notice.
fn page_with(
    state: &AppState,
    context: &PageContext,
    status: StatusCode,
    message: Option<&str>,
    notice: Option<&'static str>,
    next: String,
    username: &str,
) -> Result<Response, AppError> {
    let form_token = random_token();
    let cookie = cookies::set_cookie(
        LOGIN_COOKIE,
        &form_token,
        "/login",
        Some(FORM_TOKEN_SECONDS),
        state.secure_cookies,
    );
    let page = LoginPage {
        chrome: context.chrome(Nav::None),
        message: message.map(str::to_owned),
        notice,
        form_token,
        next,
        username: username.chars().take(64).collect(),
        password_sign_in: state.password_sign_in,
        provider_name: state.oidc.as_ref().map(|p| p.config().provider_name.clone()),
    };
    Ok((status, [(SET_COOKIE, cookie)], render(&page)?).into_response())
}

/// `GET /login`: the form, also to someone signed in (the header says as whom): signing in
/// again replaces that session, so a session planted in the browser is not silently kept.
pub(super) async fn form(
    State(state): State<AppState>,
    Query(query): Query<Next>,
    context: PageContext,
) -> Result<Response, AppError> {
    let next = safe_next(query.next.as_deref());
    let notice = query.ud.is_some().then_some(context.t().auth.logged_out);
    page_with(&state, &context, StatusCode::OK, None, notice, next, "")
}

/// `POST /login`.
pub(super) async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    context: PageContext,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let t = context.t().auth;
    let next = safe_next(Some(&form.next));
    let now = Utc::now();
    if !state.password_sign_in {
        let entry = AuditEntry::new(&Actor::anonymous(), AuditAction::LoginFailed, now)
            .result(AuditResult::Denied)
            .detail("password sign-in switched off");
        state.store.audit(&entry).await?;
        let status = StatusCode::FORBIDDEN;
        return page(&state, &context, status, Some(t.password_sign_in_off), next, "");
    }
    let expected = cookies::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !same_token(expected, &form.csrf_token) {
        return page(
            &state,
            &context,
            StatusCode::FORBIDDEN,
            Some(t.login_expired_form),
            next,
            &form.username,
        );
    }
    let device = cookies::cookie(&headers, DEVICE_COOKIE);
    let known_device = match device {
        Some(token) => state.store.is_known_device_of(&form.username, token, now).await?,
        None => false,
    };
    if !state.login_limiter.attempt(ip, &form.username, known_device) {
        // The store never saw this attempt, so it is audited here (without the username, which
        // may be a password typed into the wrong field).
        let entry = AuditEntry::new(&Actor::anonymous(), AuditAction::LoginFailed, now)
            .result(AuditResult::Denied)
            .detail("rate limited");
        state.store.audit(&entry).await?;
        tracing::warn!("sign-in refused by the rate limit");
        let status = StatusCode::TOO_MANY_REQUESTS;
        return page(&state, &context, status, Some(t.login_rate_limited), next, &form.username);
    }
    let user = match state.store.verify_login_from(&form.username, &form.password, device, now).await {
        Ok(user) => user,
        Err(LoginError::InvalidCredentials) => {
            return page(
                &state,
                &context,
                StatusCode::UNAUTHORIZED,
                Some(t.login_failed),
                next,
                &form.username,
            );
        }
        Err(LoginError::Locked { until }) => {
            let minutes = (until - now).num_minutes() + 1;
            let message = t.login_locked.replace("{minutes}", &minutes.to_string());
            return page(&state, &context, StatusCode::UNAUTHORIZED, Some(&message), next, &form.username);
        }
        Err(LoginError::Store(error)) => return Err(error.into()),
    };
    let (mut response, next) = session_headers(&state, &headers, &user, next, now).await?;
    let secure = state.secure_cookies;
    response.push(cookies::set_cookie(LOGIN_COOKIE, "", "/login", Some(0), secure));
    if !known_device {
        let token = state.store.remember_device(user.id, now).await?;
        let max_age = DEVICE_DAYS as u64 * 24 * 3600;
        response.push(cookies::set_cookie(DEVICE_COOKIE, &token, "/login", Some(max_age), secure));
    }
    let mut redirect = Redirect::to(&next).into_response();
    for cookie in response {
        redirect.headers_mut().append(SET_COOKIE, cookie);
    }
    Ok(redirect)
}

/// Starts a new session for a user who just signed in: whatever session the browser had ends,
/// the new one has a token never seen before. The session cookie, and where to go (a
/// caseworker's start page is their worklist).
async fn session_headers(
    state: &AppState,
    headers: &HeaderMap,
    user: &sikkerby_store::users::User,
    next: String,
    now: chrono::DateTime<Utc>,
) -> Result<(Vec<axum::http::HeaderValue>, String), AppError> {
    if let Some(old) = cookies::cookie(headers, cookies::SESSION_COOKIE) {
        state.store.delete_session(old, now).await?;
    }
    let session = state.store.create_session(user.id, now).await?;
    tracing::info!(user_id = user.id, role = %user.role, "signed in");
    let next = if next == "/" && user.role == sikkerby_domain::access::Role::Caseworker {
        "/opfoelgninger".to_owned()
    } else {
        next
    };
    Ok((vec![cookies::session(session.token.as_str(), state.secure_cookies)], next))
}

/// [`session_headers`] for a sign-in through the identity provider, answered with a page that
/// forwards to `next` (see [`ForwardPage`]).
pub(super) async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user: &sikkerby_store::users::User,
    next: String,
    now: chrono::DateTime<Utc>,
    context: &PageContext,
) -> Result<Response, AppError> {
    let (cookies, next) = session_headers(state, headers, user, next, now).await?;
    let t = context.t().auth;
    let mut response = forward(context, t.oidc_signed_in, t.oidc_continue, next)?;
    for cookie in cookies {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    Ok(response)
}

/// A [`ForwardPage`] to `next`.
fn forward(
    context: &PageContext,
    heading: &'static str,
    link: &'static str,
    next: String,
) -> Result<Response, AppError> {
    Ok(render(&ForwardPage { chrome: context.chrome(Nav::None), heading, link, next })?.into_response())
}

/// `POST /logout`: ends the session in the database (audited) and deletes the cookie. A user who
/// signed in through the identity provider is sent on to sign out there too (RP-initiated
/// logout), when the provider has an end-session endpoint.
pub(super) async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    context: PageContext,
) -> Result<Response, AppError> {
    state.store.delete_session(user.session_token(), Utc::now()).await?;
    let at_provider = match &state.oidc {
        Some(provider) if state.store.is_external_user(user.user.id).await? => provider.end_session_url(),
        _ => None,
    };
    let mut response = match at_provider {
        Some(next) => {
            forward(&context, context.t().auth.logged_out, context.t().auth.oidc_sign_out_there, next)?
        }
        None => Redirect::to("/login?ud=1").into_response(),
    };
    response.headers_mut().append(SET_COOKIE, cookies::clear_session(state.secure_cookies));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to_after_sign_in() {
        assert_eq!(safe_next(Some("/borgere/12")), "/borgere/12");
        for bad in ["https://evil.example/", "//evil.example/", "/\\evil", "evil", "", "/\t/evil.example/x"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        for control in ['\t', '\n', '\r', '\u{0}', '\u{7f}', '\u{85}', '\u{a0}', '\u{2028}'] {
            assert_eq!(safe_next(Some(&format!("/{control}/evil.example/x"))), "/", "{control:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_form_never_prints_the_password() {
        let form = LoginForm {
            username: "anna".into(),
            password: "hemmeligt-kodeord".into(),
            csrf_token: String::new(),
            next: String::new(),
        };
        assert!(!format!("{form:?}").contains("hemmeligt"));
    }
}
