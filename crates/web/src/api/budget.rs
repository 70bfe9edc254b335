//! `GET /api/v1/budget`.

use super::dto::BudgetDto;
use crate::{AppError, AppState};
use axum::extract::State;
use axum::Json;

/// The budget table with its cells and the totals computed from them.
#[utoipa::path(
    get,
    path = "/api/v1/budget",
    tag = "budget",
    responses((status = 200, description = "Tabel 1 of the memo", body = BudgetDto))
)]
pub async fn show(State(state): State<AppState>) -> Result<Json<BudgetDto>, AppError> {
    let budget = state.store.budget().await?;
    Ok(Json(BudgetDto::from(&budget)))
}
