//! The web interface of Sikker By: server-rendered pages in Danish (English on request), a JSON
//! API under `/api/v1/` described by an OpenAPI document, and a health check.
//!
//! Handlers are short: extract, call the store, render. The CLI builds an [`AppState`], binds a
//! listener and calls [`serve`]. Every route is behind [`auth`]: a session, a role from the
//! table in `auth/policy.rs`, CSRF on every form, security headers on every response.

pub mod api;
pub mod auth;
pub mod charts;
pub mod client_ip;
pub mod error;
mod exports;
pub mod figures_cache;
pub mod format;
pub mod i18n;
mod links;
pub mod metrics;
pub mod pages;
pub mod results;
pub mod server;

pub use error::AppError;

use auth::rate_limit::{LoginLimiter, LoginLimits};
use axum::extract::{MatchedPath, Request};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Router};
use sikkerby_app::Evaluator;
use sikkerby_store::Store;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The live criteria evaluation over the case data in memory.
    pub evaluator: Evaluator,
    /// Whether cookies are marked `Secure` (sent over HTTPS only). On by default; turn it off
    /// only for plain HTTP on this machine (`sikkerby serve` on a loopback address, the tests),
    /// where a browser would otherwise drop the session cookie.
    pub secure_cookies: bool,
    /// The sign-in rate limit of this process (see [`auth::rate_limit`]).
    pub login_limiter: Arc<LoginLimiter>,
    /// Published figures kept while their inputs are unchanged (see [`figures_cache`]).
    pub figures: Arc<figures_cache::FiguresCache>,
    /// Request counts and durations for `/metrics` (see [`metrics`]).
    pub metrics: Arc<metrics::Metrics>,
    /// The bearer token that opens `/metrics` to callers other than this machine (none: only
    /// loopback callers may scrape).
    pub metrics_token: Option<Arc<str>>,
    /// The proxy header the client's address is taken from (see [`client_ip`]); none: the
    /// socket's peer address.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// The site's public origin (`https://host`), which the `Origin` of a POST must be; none:
    /// the request's own `Host` (see `auth/origin.rs`).
    pub public_origin: Option<Arc<str>>,
    /// The identity provider to sign in through (see [`auth::oidc`]); none: passwords only.
    pub oidc: Option<Arc<auth::oidc::Provider>>,
    /// Whether the local password sign-in is open (the default; the demo's users need it).
    pub password_sign_in: bool,
}

impl AppState {
    /// Loads the case data into the evaluator and bundles it with the store.
    pub async fn load(store: Store) -> Result<Self, sikkerby_store::StoreError> {
        let evaluator = Evaluator::load(store.clone()).await?;
        let login_limiter = Arc::new(LoginLimiter::default());
        let metrics = Arc::new(metrics::Metrics::new());
        Ok(Self {
            store,
            evaluator,
            secure_cookies: true,
            login_limiter,
            figures: Arc::default(),
            metrics,
            metrics_token: None,
            client_ip_header: None,
            public_origin: None,
            oidc: None,
            password_sign_in: true,
        })
    }

    /// Sets whether cookies are `Secure` (see [`AppState::secure_cookies`]).
    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.secure_cookies = secure;
        self
    }

    /// Sets the bearer token of `/metrics` (see [`AppState::metrics_token`]).
    pub fn with_metrics_token(mut self, token: Option<String>) -> Self {
        self.metrics_token = token.map(Arc::from);
        self
    }

    /// Sets the trusted proxy header of the client's address (see [`client_ip`]).
    pub fn with_client_ip_header(mut self, header: Option<axum::http::HeaderName>) -> Self {
        self.client_ip_header = header;
        self
    }

    /// Sets the public origin that POSTs must come from (see [`AppState::public_origin`]).
    pub fn with_public_origin(mut self, origin: Option<String>) -> Self {
        self.public_origin = origin.map(Arc::from);
        self
    }

    /// Signs in through this identity provider (besides passwords, unless those are switched off).
    pub fn with_oidc(mut self, provider: Option<auth::oidc::Provider>) -> Self {
        self.oidc = provider.map(Arc::new);
        self
    }

    /// Opens or closes the local password sign-in.
    pub fn with_password_sign_in(mut self, open: bool) -> Self {
        self.password_sign_in = open;
        self
    }

    /// Replaces the sign-in rate limits (the tests use small ones).
    pub fn with_login_limits(mut self, limits: LoginLimits) -> Self {
        self.login_limiter = Arc::new(LoginLimiter::new(limits));
        self
    }
}

static SYNTHETIC_DATA: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Labels every page as showing synthetic demo data (`serve --demo`). Process-wide on purpose:
/// a demo server holds nothing but the generator's data.
pub fn label_data_as_synthetic() {
    SYNTHETIC_DATA.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether pages carry the synthetic-data label.
pub fn data_is_synthetic() -> bool {
    SYNTHETIC_DATA.load(std::sync::atomic::Ordering::Relaxed)
}

/// The stylesheet, compiled in so the binary is the whole deployment.
const STYLE_CSS: &str = include_str!("../static/style.css");

/// The whole application: pages, API, health check, metrics and static files.
///
/// The layers run outside in: metrics (so that refused requests count too), the client's
/// address behind a proxy, trace, security headers, language, HTML error pages, then the
/// access guard, which (being added with `layer` after the routes) sees the matched route.
pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(pages::router())
        .merge(auth::router())
        .nest("/api/v1", api::router())
        .route("/healthz", get(api::health::healthz))
        .route("/metrics", get(metrics::show))
        .route("/static/style.css", get(stylesheet))
        .fallback(error::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .layer(middleware::from_fn(pages::html_errors))
        .layer(middleware::from_fn(i18n::remember_language))
        .layer(middleware::from_fn_with_state(state.clone(), auth::headers::security_headers))
        .layer(TraceLayer::new_for_http().make_span_with(request_span));
    // Without a trusted proxy header the socket's address stands: no layer to pass through.
    let app = match state.client_ip_header.clone() {
        Some(header) => app.layer(middleware::from_fn_with_state(header, client_ip::from_trusted_header)),
        None => app,
    };
    app.layer(middleware::from_fn_with_state(state.metrics.clone(), metrics::track)).with_state(state)
}

/// One span per request, named by the matched route (never the raw path, which may hold ids).
fn request_span(request: &Request) -> tracing::Span {
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("unmatched");
    tracing::info_span!("http", http.method = %request.method(), http.route = route)
}

async fn stylesheet() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8")], STYLE_CSS)
}

/// Serves the application on `listener` with the default [`server::ServerLimits`] until Ctrl-C
/// or SIGTERM, then lets requests in flight finish.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_with_limits(state, listener, server::ServerLimits::default()).await
}

/// [`serve`] within the given timeouts and connection limit.
pub async fn serve_with_limits(
    state: AppState,
    listener: tokio::net::TcpListener,
    limits: server::ServerLimits,
) -> std::io::Result<()> {
    if let Ok(address) = listener.local_addr() {
        tracing::info!(%address, ?limits, "listening");
    }
    // The client's address reaches the handlers (sign-in rate limit) as `ConnectInfo`.
    server::serve_with_limits(router(state), listener, limits, shutdown_signal()).await
}

/// Resolves on the first Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
