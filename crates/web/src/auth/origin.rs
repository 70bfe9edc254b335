//! The `Origin` check of requests that change something (OWASP's "verifying origin with standard
//! headers"), in front of the CSRF token: a browser sends `Origin` with every POST, so a form
//! posted from another site is refused even before its token is looked at, and so is the
//! sign-in form (which has no session token). A request without `Origin` (an API client, an old
//! browser) is left to the token. The origin must be the configured public origin
//! (`public_origin`, e.g. `https://sikkerby.kk.dk`), or, when none is configured, have the
//! request's own `Host`.

use axum::http::header::{HOST, ORIGIN};
use axum::http::HeaderMap;

/// Whether the request's `Origin`, if any, is this site's.
pub(super) fn allowed(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let Some(origin) = headers.get(ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    match public_origin {
        Some(expected) => origin.eq_ignore_ascii_case(expected.trim_end_matches('/')),
        None => {
            // `null` (a sandboxed frame, a redirect across sites) has no host and is refused.
            let authority = origin.split_once("://").map(|(_, rest)| rest);
            let host = headers.get(HOST).and_then(|h| h.to_str().ok());
            matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&'static str>, host: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static(host));
        if let Some(origin) = origin {
            headers.insert(ORIGIN, HeaderValue::from_static(origin));
        }
        headers
    }

    #[test]
    fn only_this_sites_origin_passes_and_a_missing_one_is_left_to_the_token() {
        assert!(allowed(&headers(None, "127.0.0.1:8080"), None));
        assert!(allowed(&headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"), None));
        for bad in ["https://evil.example", "null", "http://127.0.0.1:8081", "http://127.0.0.1:8080.evil"] {
            assert!(!allowed(&headers(Some(bad), "127.0.0.1:8080"), None), "{bad}");
        }
        let public = Some("https://sikkerby.kk.dk");
        assert!(allowed(&headers(Some("https://sikkerby.kk.dk"), "127.0.0.1:8080"), public));
        assert!(!allowed(&headers(Some("http://sikkerby.kk.dk"), "sikkerby.kk.dk"), public), "scheme counts");
    }
}
