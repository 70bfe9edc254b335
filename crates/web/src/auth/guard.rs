//! The middleware in front of every route: session, route table, `Origin`, CSRF.

use super::policy::{self, Access};
use super::{cookies, csrf, CurrentUser};
use crate::{AppError, AppState};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{ALLOW, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;

/// Middleware: reads the session, applies the route table and the CSRF check, and hands the
/// signed-in user to the handler as a [`CurrentUser`].
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let pattern = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
    let access = match pattern.as_deref() {
        // No route matched: the fallback answers 404 to everyone.
        None => Access::Public,
        Some(pattern) => match policy::rule_for(pattern) {
            Some(rule) => rule.access,
            None => return unlisted(pattern),
        },
    };
    let path = request.uri().path();
    // Health checks and scrapes need no session (and must not fail on a session lookup).
    let needs_session = !(path == "/healthz" || path == "/metrics" || path.starts_with("/static/"));
    let token = cookies::cookie(request.headers(), cookies::SESSION_COOKIE).map(str::to_owned);
    let user = match (&token, needs_session) {
        (Some(token), true) => match state.store.session_by_token(token, Utc::now()).await {
            Ok(session) => session.map(|s| CurrentUser::new(s, token.clone())),
            Err(error) => return AppError::from(error).into_response(),
        },
        _ => None,
    };
    let role = user.as_ref().map(CurrentUser::role);
    if !access.allows(role) {
        return match &user {
            None => unauthenticated(&request, token.is_some(), state.secure_cookies),
            Some(user) => {
                tracing::warn!(user_id = user.user.id, role = %user.role(), "route refused for the role");
                with_user(AppError::Forbidden.into_response(), user.clone())
            }
        };
    }
    if let Some(refused) = pattern.as_deref().and_then(|p| method_not_allowed(p, request.method())) {
        return refused;
    }
    if csrf::needs_token(request.method())
        && !super::origin::allowed(request.headers(), state.public_origin.as_deref())
    {
        tracing::warn!(user_id = user.as_ref().map(|u| u.user.id), "request from another origin refused");
        let refused = AppError::Forbidden.into_response();
        return match user {
            Some(user) => with_user(refused, user),
            None => refused,
        };
    }
    let Some(mut user) = user else { return next.run(request).await };
    if wants_own_worklist(&user, &request) {
        match crate::pages::worklist::own_worklist(&state, &user).await {
            Ok(own) => user.worklist = Some(own),
            Err(error) => return with_user(error.into_response(), user),
        }
    }
    // The sign-in form has its own token (there is no session yet when it is filled in).
    if csrf::needs_token(request.method()) && pattern.as_deref() != Some("/login") {
        request = match csrf::check(request, &user).await {
            Ok(request) => request,
            Err(refused) => return with_user(refused, user),
        };
    }
    request.extensions_mut().insert(user.clone());
    with_user(next.run(request).await, user)
}

/// A caseworker's page (not the API, not a form post) shows the count of their overdue
/// follow-ups in the navigation, so it needs their own worklist.
fn wants_own_worklist(user: &CurrentUser, request: &Request) -> bool {
    user.role() == sikkerby_domain::access::Role::Caseworker
        && request.method() == Method::GET
        && !request.uri().path().starts_with("/api/")
}

/// Hands the user back on the response, for the error pages drawn by the layer outside.
fn with_user(mut response: Response, user: CurrentUser) -> Response {
    response.extensions_mut().insert(user);
    response
}

/// A route the table does not know: a programming error, refused (deny by default). Debug builds
/// answer 500 so that the test matrix notices; release builds 403.
fn unlisted(pattern: &str) -> Response {
    tracing::error!(route = pattern, "route missing from the access table (auth/policy.rs); refused");
    let status =
        if cfg!(debug_assertions) { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::FORBIDDEN };
    let body = serde_json::json!({ "error": "unlisted_route", "message": "route not in the access table" });
    (status, Json(body)).into_response()
}

/// 405 with `Allow` for a method the route table does not list for the route (TRACE, PUT, ...),
/// answered here so that such a request is not first refused as a missing CSRF token (403).
/// The table is the source: a method missing from it is refused, never let through unchecked.
fn method_not_allowed(pattern: &str, method: &Method) -> Option<Response> {
    let methods = policy::rule_for(pattern)?.methods;
    let listed = |m: &str| methods.contains(&m);
    if listed(method.as_str()) || (method == Method::HEAD && listed("GET")) {
        return None;
    }
    let allow = methods.join(", ");
    let body = serde_json::json!({ "error": "method_not_allowed", "message": "method not allowed" });
    let mut response = (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response();
    if let Ok(allow) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(ALLOW, allow);
    }
    Some(response)
}

/// Not signed in: 401 JSON for the API, otherwise a redirect to the sign-in page that comes back
/// here afterwards, with the page's query except what may identify a person (a search for a
/// name: [`crate::links::PERSONAL_PARAMETERS`]). A stale session cookie is deleted.
fn unauthenticated(request: &Request, had_cookie: bool, secure: bool) -> Response {
    let path = request.uri().path();
    let mut response = if path.starts_with("/api/") {
        let body = serde_json::json!({ "error": "unauthorized", "message": "sign in first" });
        (StatusCode::UNAUTHORIZED, Json(body)).into_response()
    } else {
        let target = if request.method() == axum::http::Method::GET && path != "/" {
            let next = crate::links::with_query(
                path,
                request.uri().query(),
                &crate::links::PERSONAL_PARAMETERS,
                None,
            );
            format!("/login?next={}", urlencode(&next))
        } else {
            "/login".to_owned()
        };
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&target) {
            response.headers_mut().insert(LOCATION, location);
        }
        response
    };
    if had_cookie {
        response.headers_mut().append(SET_COOKIE, cookies::clear_session(secure));
    }
    response
}

/// Percent-encodes a path for a query value.
fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
