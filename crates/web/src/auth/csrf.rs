//! Cross-site request forgery: every request that changes something (any method but GET, HEAD
//! and OPTIONS) from a signed-in session must carry the session's CSRF secret, as the hidden form
//! field [`CSRF_FIELD`] (every form of `templates/` has it) or, for a JSON client, the header
//! [`CSRF_HEADER`]. A missing or wrong token is refused with 403 before the handler runs, so
//! nothing is stored. `SameSite=Strict` on the session cookie is a second line, not the only one.

use super::CurrentUser;
use crate::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::Method;
use axum::response::{IntoResponse, Response};

/// The hidden form field that carries the token.
pub const CSRF_FIELD: &str = "csrf_token";
/// The request header that carries the token for API clients.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The largest form body read to find the token (axum's own default limit for extractors).
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// Whether the method may change state and so needs a token.
pub(super) fn needs_token(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Compares two tokens in constant time (for the sign-in form's double submit).
pub(super) fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    !a.is_empty() && a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token of a url-encoded form body, if any.
pub(super) fn form_token(body: &[u8]) -> Option<String> {
    form_urlencoded::parse(body).find(|(key, _)| key == CSRF_FIELD).map(|(_, value)| value.into_owned())
}

/// Checks the token of an unsafe request; hands the request on (its body read and put back) or
/// answers 403.
pub(super) async fn check(request: Request, user: &CurrentUser) -> Result<Request, Response> {
    let refuse = |why: &'static str| {
        tracing::warn!(user_id = user.user.id, reason = why, "CSRF check failed");
        AppError::Forbidden.into_response()
    };
    if let Some(header) = request.headers().get(CSRF_HEADER) {
        let matches = header.to_str().is_ok_and(|token| user.session_csrf_matches(token));
        return if matches { Ok(request) } else { Err(refuse("wrong header token")) };
    }
    let content_type =
        request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let multipart = content_type.starts_with("multipart/form-data");
    if !multipart && !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(refuse("no token"));
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_FORM_BYTES).await {
        Ok(bytes) => bytes,
        // Not a forgery: too big or too slow, said as such (413, 408), not as a refusal.
        Err(error) if crate::server::is_body_timeout(&error) => {
            return Err(AppError::RequestTimeout.into_response())
        }
        Err(_) => return Err(AppError::PayloadTooLarge { limit: MAX_FORM_BYTES }.into_response()),
    };
    let token =
        if multipart { multipart_token(&content_type, bytes.clone()).await } else { form_token(&bytes) };
    match token {
        Some(token) if user.session_csrf_matches(&token) => Ok(Request::from_parts(parts, Body::from(bytes))),
        Some(_) => Err(refuse("wrong form token")),
        None => Err(refuse("no token")),
    }
}

/// The token of a `multipart/form-data` body (a file upload), if any: the forms put it first,
/// so reading stops there.
async fn multipart_token(content_type: &str, body: axum::body::Bytes) -> Option<String> {
    use axum::extract::FromRequest;
    let request = Request::builder().header(CONTENT_TYPE, content_type).body(Body::from(body)).ok()?;
    let mut multipart = axum::extract::Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(CSRF_FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

impl CurrentUser {
    /// Whether a submitted token is this session's (constant time).
    fn session_csrf_matches(&self, token: &str) -> bool {
        same_token(&self.csrf_token, token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_found_in_a_form_body_whatever_its_place() {
        assert_eq!(form_token(b"a=1&csrf_token=abc%20d&b=2").as_deref(), Some("abc d"));
        assert_eq!(form_token(b"a=1"), None);
    }

    #[test]
    fn tokens_match_only_when_equal_and_not_empty() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd") && !same_token("abc", "ab") && !same_token("", ""));
        assert!(needs_token(&Method::POST) && needs_token(&Method::DELETE) && !needs_token(&Method::GET));
    }
}
