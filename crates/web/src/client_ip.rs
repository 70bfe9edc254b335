//! The client's address behind a reverse proxy. With `trusted_proxy_header` configured (e.g.
//! `X-Forwarded-For`), the address the proxy appended last to that header replaces the socket's
//! peer address for everything downstream: the sign-in rate limit, the `/metrics` access check.
//!
//! Trust it only when the server can be reached through the proxy alone (bind to a private or
//! loopback address): a client that can talk to the server directly could write the header
//! itself. The last entry is used because proxies append; earlier entries are the client's word.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// The header's type, for configuration code that has no `axum` of its own.
pub use axum::http::HeaderName;

/// Middleware (only where a header is configured): replaces [`ConnectInfo`] by the proxy's view
/// of the client.
pub async fn from_trusted_header(
    State(header): State<HeaderName>,
    mut request: Request,
    next: Next,
) -> Response {
    let forwarded =
        request.headers().get_all(&header).iter().next_back().and_then(|v| last_address(v.to_str().ok()?));
    if let (Some(ip), Some(ConnectInfo(peer))) =
        (forwarded, request.extensions().get::<ConnectInfo<SocketAddr>>().copied())
    {
        request.extensions_mut().insert(ConnectInfo(SocketAddr::new(ip, peer.port())));
    }
    next.run(request).await
}

/// The last address of a comma-separated header value, if it is one.
fn last_address(value: &str) -> Option<IpAddr> {
    value.rsplit(',').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::last_address;

    #[test]
    fn the_address_the_nearest_proxy_appended_counts() {
        assert_eq!(last_address("1.2.3.4, 203.0.113.9"), "203.0.113.9".parse().ok());
        assert_eq!(last_address("2001:db8::1"), "2001:db8::1".parse().ok());
        assert_eq!(last_address("unknown"), None);
    }
}
