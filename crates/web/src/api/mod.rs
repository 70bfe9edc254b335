//! The JSON API under `/api/v1/`, described by an OpenAPI document generated from the handlers'
//! `#[utoipa::path]` attributes and the DTOs' `ToSchema` derives, so it cannot drift from the code.

pub mod budget;
pub mod dto;
pub mod health;
pub mod initiatives;
pub mod results;

use crate::{AppError, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::OpenApi as OpenApiDoc;
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

/// This API's OpenAPI 3.1 document, with the portfolio's initiative codes as the values the
/// `initiative` filter of `/results` takes (the portfolio is data, so they are added here).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json"))
)]
pub async fn openapi_json(State(state): State<AppState>) -> Result<Json<OpenApiDoc>, AppError> {
    let portfolio = state.store.portfolio().await?;
    let codes = portfolio.initiatives.iter().map(|i| i.code.as_str());
    let mut doc = ApiDoc::openapi();
    enumerate_initiatives(&mut doc, codes);
    Ok(Json(doc))
}

/// Makes the `initiative` query parameter of `GET /api/v1/results` an enumeration of `codes`.
fn enumerate_initiatives<'a>(doc: &mut OpenApiDoc, codes: impl Iterator<Item = &'a str>) {
    let schema = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(codes)).build();
    let operation = doc.paths.paths.get_mut("/api/v1/results").and_then(|item| item.get.as_mut());
    let parameters = operation.and_then(|op| op.parameters.as_mut()).into_iter().flatten();
    for parameter in parameters.filter(|p| p.name == "initiative") {
        parameter.schema = Some(schema.clone().into());
    }
}
