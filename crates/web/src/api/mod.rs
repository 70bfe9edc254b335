//! The JSON API under `/api/v1/`, described by an OpenAPI document generated from the handlers'
//! `#[utoipa::path]` attributes and the DTOs' `ToSchema` derives, so it cannot drift from the code.

pub mod budget;
pub mod dto;
pub mod health;
pub mod initiatives;
pub mod results;

use crate::AppState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

/// The OpenAPI description of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sikker By API",
        description = "The portfolio, criteria and budget of Copenhagen's youth crime-prevention \
                       initiatives (BIF memo of 19 February 2013). Amounts are decimal strings \
                       in DKK million, 2012 prices."
    ),
    paths(initiatives::list, initiatives::get, budget::show, results::list, health::healthz, openapi_json),
    tags(
        (name = "portfolio", description = "The initiatives of the memo"),
        (name = "budget", description = "Tabel 1 of the memo"),
        (name = "results", description = "The success criteria evaluated, disclosure-controlled"),
        (name = "operations", description = "Health and API description"),
    )
)]
pub struct ApiDoc;

/// The API routes, to be nested under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/initiatives", get(initiatives::list))
        .route("/initiatives/{code}", get(initiatives::get))
        .route("/budget", get(budget::show))
        .route("/results", get(results::list))
        .route("/openapi.json", get(openapi_json))
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
