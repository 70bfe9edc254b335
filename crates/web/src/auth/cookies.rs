//! The cookies of access control: the session cookie and the short-lived token that protects the
//! sign-in form. Both are `HttpOnly` (no script reads them), `SameSite=Strict` (no other site
//! sends them) and `Secure` unless the state says the site runs on plain HTTP on this machine.

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};

/// The session cookie: the token of a session in the database.
pub const SESSION_COOKIE: &str = "sikkerby_session";
/// The sign-in form's anti-forgery token (double submit: cookie and hidden field must match).
pub(super) const LOGIN_COOKIE: &str = "sikkerby_login";
/// The device token of a browser that signed in before (sent to `/login` only; see
/// `sikkerby_store::users::login_device`): a lockout from guessing elsewhere does not stop it.
pub(super) const DEVICE_COOKIE: &str = "sikkerby_device";
/// The browser's token of a sign-in sent to the identity provider (see `oidc::flow`).
pub(super) const OIDC_COOKIE: &str = "sikkerby_oidc";

/// The value of the first cookie called `name`.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// A `Set-Cookie` value; `max_age` `None` makes a browser-session cookie, `Some(0)` deletes.
pub(super) fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<u64>,
    secure: bool,
) -> HeaderValue {
    with_same_site(name, value, path, max_age, secure, "Strict")
}

/// [`set_cookie`] with `SameSite=Lax`: sent along with a top-level navigation from another site
/// (the identity provider sending the browser back), never with another site's POST or fetch.
pub(super) fn set_cookie_lax(
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<u64>,
    secure: bool,
) -> HeaderValue {
    with_same_site(name, value, path, max_age, secure, "Lax")
}

fn with_same_site(
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<u64>,
    secure: bool,
    same_site: &str,
) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    // Names and values are ours (hex tokens), so the header is always valid.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The session cookie for a new session. No `Max-Age`: the browser forgets it when closed, and
/// the database ends the session after its idle or absolute timeout regardless.
pub(super) fn session(token: &str, secure: bool) -> HeaderValue {
    set_cookie(SESSION_COOKIE, token, "/", None, secure)
}

/// Deletes the session cookie.
pub(super) fn clear_session(secure: bool) -> HeaderValue {
    set_cookie(SESSION_COOKIE, "", "/", Some(0), secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_strict_and_secure_unless_turned_off() {
        let on = session("abc", true);
        assert_eq!(on, "sikkerby_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
        let off = session("abc", false);
        assert!(!off.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("lang=en; sikkerby_session=t0k; x=1"));
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("t0k"));
        assert_eq!(cookie(&headers, "missing"), None);
    }
}
