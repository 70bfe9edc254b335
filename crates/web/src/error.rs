//! The web layer's one error type. Handlers return `Result<_, AppError>`; the response is JSON
//! for the API and, through [`crate::pages::html_errors`], an HTML page for everything else.
//! A 5xx body never says what went wrong inside: the cause chain goes to the log only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use sikkerby_store::StoreError;
use utoipa::ToSchema;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (404).
    #[error("{0} not found")]
    NotFound(String),
    /// Not signed in (401); the guard normally redirects to `/login` before a handler runs.
    #[error("sign in first")]
    Unauthorized,
    /// Signed in, but the role (or a CSRF check) does not allow it (403).
    #[error("forbidden")]
    Forbidden,
    /// A caseworker opens a citizen without having given a purpose in this session: answered
    /// with a redirect (303) to the purpose form `/borgere/{id}/formaal`.
    #[error("a purpose is needed for citizen {0}")]
    PurposeNeeded(i64),
    /// The request names something that cannot be valid (422), with the field at fault.
    #[error("invalid {field}: {message}")]
    Unprocessable { field: &'static str, message: String },
    /// The request body is over the size limit (413).
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// The request body did not arrive within the server's body timeout (408).
    #[error("the request body arrived too slowly")]
    RequestTimeout,
    /// Anything else (500): logged in full, reported to the client as "internal error" only.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// The HTTP status the error maps to.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::PurposeNeeded(_) => StatusCode::SEE_OTHER,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        AppError::Internal(Box::new(error))
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(Box::new(error))
    }
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable machine-readable code: `not_found`, `unauthorized`, `forbidden`,
    /// `unprocessable`, `payload_too_large`, `request_timeout`, `internal`.
    #[schema(example = "not_found")]
    pub error: String,
    /// A human-readable message; never internal details for `internal`.
    #[schema(example = "initiative NOPE not found")]
    pub message: String,
    /// The request field at fault, for `unprocessable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Marks a response as an error response, so that the HTML layer can replace its body with a
/// page in the reader's language.
#[derive(Debug, Clone, Copy)]
pub struct ErrorMarker(pub StatusCode);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let AppError::PurposeNeeded(id) = self {
            return axum::response::Redirect::to(&format!("/borgere/{id}/formaal")).into_response();
        }
        let plain = |code: &str| ErrorBody { error: code.into(), message: self.to_string(), field: None };
        let body = match &self {
            AppError::NotFound(_) => plain("not_found"),
            AppError::Unauthorized => plain("unauthorized"),
            AppError::PayloadTooLarge { .. } => plain("payload_too_large"),
            AppError::RequestTimeout => plain("request_timeout"),
            AppError::Forbidden | AppError::PurposeNeeded(_) => plain("forbidden"),
            AppError::Unprocessable { field, .. } => ErrorBody {
                error: "unprocessable".into(),
                message: self.to_string(),
                field: Some((*field).to_owned()),
            },
            AppError::Internal(cause) => {
                tracing::error!(error = %cause_chain(cause.as_ref()), "request failed");
                ErrorBody { error: "internal".into(), message: "internal error".into(), field: None }
            }
        };
        let mut response = (status, Json(body)).into_response();
        response.extensions_mut().insert(ErrorMarker(status));
        response
    }
}

/// The error and all its sources, `: `-separated, for the log.
pub(crate) fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The fallback for paths that match no route.
pub async fn not_found() -> AppError {
    AppError::NotFound("page".into())
}
