//! `GET /metrics`: Prometheus metrics in the text exposition format 0.0.4, for monitoring.
//!
//! Only aggregates: request counts and durations by route *template* (`/borgere/{id}`, from
//! axum's `MatchedPath`, never the raw path with its ids), the database pool, how many case-data
//! rows the evaluator holds, the version and the uptime. No label ever carries a value from a
//! request, so no CPR number, name or id can end up here.
//!
//! Who may scrape: no session is needed, but the caller must either connect from this machine
//! (a loopback address, and no proxy header: a request relayed by a local nginx is not local) or
//! send `Authorization: Bearer <token>` with the token configured as `metrics_token`. Anyone
//! else gets 401.
//!
//! The crate is `prometheus` (tikv/rust-prometheus): it writes format 0.0.4 exactly, keeps a
//! registry per application rather than a process-global recorder (so that tests running
//! several servers in one process count separately), and builds without protobuf in a few
//! small dependencies.

use crate::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// The application's metrics. One per [`AppState`]; cheap to share behind an `Arc`.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    in_flight: IntGauge,
    pool_size: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
    case_rows: IntGauge,
    uptime: Gauge,
    started: Instant,
}

/// Request duration buckets in seconds: pages answer in milliseconds, reports take seconds.
const BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric of the application registered.
    pub fn new() -> Self {
        let registry = Registry::new();
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let metric = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
            registry.register(Box::new(metric.clone())).expect("registered once");
            metric
        };
        let gauge = |name: &str, help: &str| {
            let metric = IntGauge::new(name, help).expect("valid metric");
            registry.register(Box::new(metric.clone())).expect("registered once");
            metric
        };
        let requests = counter(
            "sikkerby_http_requests_total",
            "HTTP requests answered, by route template, method and status class.",
            &["route", "method", "status"],
        );
        let opts = HistogramOpts::new("sikkerby_http_request_duration_seconds", "Time to answer a request.")
            .buckets(BUCKETS.to_vec());
        let duration = HistogramVec::new(opts, &["route", "method"]).expect("valid metric");
        registry.register(Box::new(duration.clone())).expect("registered once");
        let build = IntGaugeVec::new(
            Opts::new("sikkerby_build_info", "The running version (always 1)."),
            &["version"],
        )
        .expect("valid metric");
        registry.register(Box::new(build.clone())).expect("registered once");
        build.with_label_values(&[env!("CARGO_PKG_VERSION")]).set(1);
        let uptime =
            Gauge::new("sikkerby_uptime_seconds", "Seconds since the server started.").expect("valid");
        registry.register(Box::new(uptime.clone())).expect("registered once");
        Metrics {
            in_flight: gauge("sikkerby_http_requests_in_flight", "Requests being answered now."),
            pool_size: gauge("sikkerby_db_pool_connections", "Open database connections in the pool."),
            pool_idle: gauge("sikkerby_db_pool_idle_connections", "Idle database connections in the pool."),
            pool_max: gauge("sikkerby_db_pool_max_connections", "The pool's configured maximum."),
            case_rows: gauge("sikkerby_case_data_rows", "Case-data records held by the evaluator."),
            registry,
            requests,
            duration,
            uptime,
            started: Instant::now(),
        }
    }

    /// Records one answered request.
    fn observe(&self, route: &str, method: &str, status: StatusCode, seconds: f64) {
        let class = match status.as_u16() / 100 {
            1 => "1xx",
            2 => "2xx",
            3 => "3xx",
            4 => "4xx",
            _ => "5xx",
        };
        self.requests.with_label_values(&[route, method, class]).inc();
        self.duration.with_label_values(&[route, method]).observe(seconds);
    }

    /// The exposition text, with the gauges read now.
    pub async fn render(&self, state: &AppState) -> String {
        let pool = state.store.pool();
        self.pool_size.set(i64::from(pool.size()));
        self.pool_idle.set(i64::try_from(pool.num_idle()).unwrap_or(i64::MAX));
        self.pool_max.set(i64::from(pool.options().get_max_connections()));
        self.case_rows.set(i64::try_from(state.evaluator.row_count().await).unwrap_or(i64::MAX));
        self.uptime.set(self.started.elapsed().as_secs_f64());
        let mut text = Vec::new();
        // Encoding into a Vec cannot fail but for a metric with invalid labels, which `new` rules out.
        if let Err(error) = TextEncoder::new().encode(&self.registry.gather(), &mut text) {
            tracing::error!(%error, "cannot encode the metrics");
        }
        String::from_utf8(text).unwrap_or_default()
    }
}

/// Method label: the standard methods by name, anything else as `other` (a client could
/// otherwise invent labels without end).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Decrements the in-flight gauge also when a request is dropped half-way (client gone).
struct InFlight<'a>(&'a IntGauge);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Middleware: counts and times every request under its route template (`unmatched` for
/// paths no route knows, which answer 404).
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    // `MatchedPath` holds an `Arc<str>`: cloning it costs no allocation per request.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = method_label(request.method());
    metrics.in_flight.inc();
    let _in_flight = InFlight(&metrics.in_flight);
    let started = Instant::now();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    metrics.observe(route, method, response.status(), started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics` (see the module documentation for who may call it).
pub async fn show(State(state): State<AppState>, request: Request) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    if !may_scrape(peer, request.headers(), state.metrics_token.as_deref()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(WWW_AUTHENTICATE, "Bearer")],
            "metrics: loopback or bearer token only\n",
        )
            .into_response();
    }
    let text = state.metrics.render(&state).await;
    ([(CONTENT_TYPE, prometheus::TEXT_FORMAT)], text).into_response()
}

/// Headers a proxy adds: a request carrying one came from elsewhere, whatever the socket says.
const PROXY_HEADERS: &[&str] = &["forwarded", "x-forwarded-for", "x-real-ip"];

/// Loopback without proxy headers, or the configured bearer token.
fn may_scrape(peer: Option<SocketAddr>, headers: &HeaderMap, token: Option<&str>) -> bool {
    let local =
        peer.is_some_and(|p| p.ip().is_loopback()) && PROXY_HEADERS.iter().all(|h| !headers.contains_key(*h));
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let token_ok = match (token, bearer) {
        (Some(expected), Some(given)) => {
            !expected.is_empty() && constant_time_eq(expected.as_bytes(), given.as_bytes())
        }
        _ => false,
    };
    local || token_ok
}

/// Compares without stopping at the first difference, so that timing does not reveal the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn only_a_direct_local_caller_or_the_right_token_may_scrape() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let remote: SocketAddr = "10.1.2.3:5000".parse().unwrap();
        let none = headers(&[]);
        assert!(may_scrape(Some(local), &none, None));
        assert!(!may_scrape(Some(remote), &none, None));
        assert!(!may_scrape(None, &none, Some("s3cret")));
        let proxied = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert!(!may_scrape(Some(local), &proxied, None), "relayed by a local proxy");
        assert!(may_scrape(Some(remote), &headers(&[("authorization", "Bearer s3cret")]), Some("s3cret")));
        assert!(!may_scrape(Some(remote), &headers(&[("authorization", "Bearer s3cre")]), Some("s3cret")));
        assert!(!may_scrape(Some(remote), &headers(&[("authorization", "Bearer ")]), Some("")));
    }
}
