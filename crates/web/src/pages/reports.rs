//! `/rapporter`: make a committee report from a snapshot and download it, list the versions of a
//! report and period, and approve (lock) one. The work is `sikkerby_reports`; this is the form.

use crate::auth::CurrentUser;
use crate::pages::{render, Chrome, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use sikkerby_reports::{OutputFormat, ReportError};
use sikkerby_store::reports::{Snapshot, SnapshotError};

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Chrome,
    kind: String,
    period: String,
    snapshots: Vec<Snapshot>,
    can_approve: bool,
    /// The signed-in user, so that the approve button is not offered on their own versions.
    username: String,
    /// Set when a period that does not fit the report was sent: the form comes back with it.
    period_error: Option<&'static str>,
}

/// The form: which report, for which period, in which format.
#[derive(Debug, Deserialize)]
pub struct ReportForm {
    #[serde(default = "annual")]
    kind: String,
    #[serde(default = "default_period")]
    period: String,
    #[serde(default)]
    format: Option<String>,
}

fn annual() -> String {
    "annual".into()
}

fn default_period() -> String {
    "2013".into()
}

/// `GET /rapporter?kind=&period=`: the form and the versions recorded for that report.
pub async fn show(
    State(state): State<AppState>,
    Query(form): Query<ReportForm>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let snapshots = state.store.report_snapshots(&form.kind, &form.period).await?;
    let page = ReportsPage {
        chrome: context.chrome(Nav::Reports),
        kind: form.kind,
        period: form.period,
        snapshots,
        can_approve: user.role() == sikkerby_domain::access::Role::Manager,
        username: user.user.username.clone(),
        period_error: None,
    };
    Ok(render(&page)?.into_response())
}

/// `POST /rapporter`: records (or reuses) the snapshot and answers with the file.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    context: PageContext,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let format = form.format.unwrap_or_else(|| "pdf".into());
    let made =
        sikkerby_reports::generate(&state.store, &form.kind, &form.period, &format, &user.user.username)
            .await;
    match made {
        Ok((snapshot, _, bytes)) => Ok(download(&snapshot, &format, bytes)),
        // A period typed wrong is shown beside the field, with the form as it was sent (422);
        // kind and format come from selects, so a bad one is a crafted request: the error page.
        Err(ReportError::Period(_)) => {
            let chrome = context.chrome(Nav::Reports);
            let page = ReportsPage {
                period_error: Some(chrome.t.reports.period_error),
                chrome,
                kind: form.kind,
                period: form.period,
                snapshots: Vec::new(),
                can_approve: false,
                username: user.user.username.clone(),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(error) => Err(report_error(error)),
    }
}

/// `GET /rapporter/{id}/{format}`: a recorded snapshot rendered again (byte-identical).
pub async fn fetch(
    State(state): State<AppState>,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let snapshot =
        state.store.report_snapshot(id).await?.ok_or_else(|| AppError::NotFound(format!("report {id}")))?;
    let output =
        OutputFormat::parse(&format).ok_or_else(|| unprocessable("format", "choose pdf, html or xlsx"))?;
    let bytes = sikkerby_reports::regenerate(&state.store, id, output).await.map_err(report_error)?;
    Ok(download(&snapshot, output.extension(), bytes))
}

/// `POST /rapporter/{id}/godkend`: a manager approves and locks a snapshot (not their own).
pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let snapshot =
        sikkerby_reports::approve(&state.store, id, &user.user.username).await.map_err(report_error)?;
    let back = format!("/rapporter?kind={}&period={}", snapshot.snapshot.kind, snapshot.snapshot.period);
    Ok(Redirect::to(&back).into_response())
}

fn download(snapshot: &Snapshot, extension: &str, bytes: Vec<u8>) -> Response {
    let content_type = match extension {
        "pdf" => "application/pdf",
        "html" => "text/html; charset=utf-8",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    let name = format!(
        "sikkerby-{}-{}-v{}.{extension}",
        snapshot.snapshot.kind, snapshot.snapshot.period, snapshot.version
    );
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

fn unprocessable(field: &'static str, message: &str) -> AppError {
    AppError::Unprocessable { field, message: message.to_owned() }
}

/// Bad input names its field (422); anything else is internal.
fn report_error(error: ReportError) -> AppError {
    match error {
        ReportError::Kind(_) => unprocessable("kind", &error.to_string()),
        ReportError::Format(_) => unprocessable("format", &error.to_string()),
        ReportError::Period(_) => unprocessable("period", &error.to_string()),
        // Four eyes: approving one's own report is not allowed (403), not a malformed request.
        ReportError::Snapshot(SnapshotError::SelfApproval) => AppError::Forbidden,
        ReportError::Snapshot(SnapshotError::NotFound(id)) => AppError::NotFound(format!("report {id}")),
        ReportError::Snapshot(ref e @ (SnapshotError::Locked(_) | SnapshotError::NoApprover)) => {
            unprocessable("approver", &e.to_string())
        }
        other => AppError::Internal(Box::new(other)),
    }
}
