//! The security headers of every response. The pages use no inline script or style (the
//! stylesheet is `/static/style.css`; charts are SVG elements styled by class), so the policy
//! can forbid both; a page with personal data must not stay in a shared computer's cache, and
//! since nearly every page sits behind sign-in, every response but the stylesheet is `no-store`.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// No inline script or style, nothing from other origins, no framing, forms only to this site.
pub const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Middleware: adds the headers to whatever the inner layers answered.
pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cacheable = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // `same-origin`, not `no-referrer`: nothing leaves for another site, and the browser still
    // names this site in the `Origin` of its own form posts (with `no-referrer` Chromium sends
    // `Origin: null`, which the origin check must refuse).
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !cacheable {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.secure_cookies {
        // Only meaningful over HTTPS, which is what secure cookies say the deployment uses.
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}
