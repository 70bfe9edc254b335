//! `GET /healthz`: the process is up and the database answers.

use super::dto::HealthDto;
use crate::error::ErrorBody;
use crate::{AppError, AppState};
use axum::extract::State;
use axum::Json;

/// 200 `{"status":"ok"}` once the database has answered a `SELECT 1`; 500 otherwise.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "Up, and the database answers", body = HealthDto),
        (status = 500, description = "The database does not answer", body = ErrorBody),
    )
)]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<HealthDto>, AppError> {
    sqlx::query("SELECT 1").execute(state.store.pool()).await.map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok(Json(HealthDto { status: "ok".into() }))
}
