//! `GET /healthz`: the process is up and the database answers. A load balancer takes an
//! instance out of rotation on anything but 200.

use super::dto::HealthDto;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use std::time::Duration;

/// How long the database may take to answer before the instance counts as down: well below a
/// load balancer's usual check interval, so that a hung database is noticed and not waited on.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

/// 200 `{"status":"ok"}` once the database has answered a `SELECT 1`; 503
/// `{"status":"unavailable"}` when it fails or takes longer than two seconds.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "Up, and the database answers", body = HealthDto),
        (status = 503, description = "The database does not answer", body = HealthDto),
    )
)]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<HealthDto>) {
    let ping = sqlx::query("SELECT 1").execute(state.store.pool());
    let failure = match tokio::time::timeout(DATABASE_TIMEOUT, ping).await {
        Ok(Ok(_)) => return (StatusCode::OK, Json(HealthDto { status: "ok".into() })),
        Ok(Err(error)) => error.to_string(),
        Err(_) => format!("no answer within {DATABASE_TIMEOUT:?}"),
    };
    // The cause goes to the log (it names no person); the body only says "unavailable".
    tracing::warn!(error = %failure, "health check: the database does not answer");
    (StatusCode::SERVICE_UNAVAILABLE, Json(HealthDto { status: "unavailable".into() }))
}
