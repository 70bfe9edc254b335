//! `/rapporter`: make a committee report from a snapshot and download it, list every version,
//! and approve (lock) one. The work is `sikkerby_reports`; the forms are [`super::report_form`],
//! the list [`super::report_list`].

use super::forms::{FormView, Problems};
use super::report_form::{
    check_kind, check_make, confirm_form, kind_form, list_form, make_form, missing, offered, Choice,
};
use super::report_list::{self, Approval, VersionRow, Viewer};
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
use sikkerby_domain::access::Role;
use sikkerby_reports::{OutputFormat, ReportError, ReportKind};
use sikkerby_store::reports::{Snapshot, SnapshotError};

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Chrome,
    kind_form: FormView,
    /// Set when the period lacks data: what is missing, and the button to make it anyway.
    confirm_form: Option<FormView>,
    make_form: FormView,
    list_form: FormView,
    versions: Vec<VersionRow>,
}

/// The page's query: the report chosen (and the period, after an approval) and the list filter.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    list: String,
}

/// The form: which report, for which period, in which format; `confirm` once the warning
/// about missing data was seen.
#[derive(Debug, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    list: String,
}

/// The problems of a request, per form.
#[derive(Default)]
struct FormProblems {
    kind: Problems,
    make: Problems,
    list: Problems,
}

/// `GET /rapporter?kind=&period=&list=`: the forms for the chosen report and every version.
pub async fn show(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let t = context.t().reports;
    let (kind, kind_problems) = match &query.kind {
        Some(kind) => check_kind(t, kind),
        None => (Some(ReportKind::Annual), Problems::default()),
    };
    let kind = kind.unwrap_or(ReportKind::Annual);
    let periods = offered(&state, kind).await?;
    let period = query.period.filter(|p| periods.iter().any(|o| &o.label == p));
    let period = period.or_else(|| periods.first().map(|p| p.label.clone())).unwrap_or_default();
    let choice = Choice { kind, period, format: "pdf".into(), list: query.list };
    let problems = FormProblems { kind: kind_problems, ..Default::default() };
    answer(&state, &context, &user, &choice, &periods, problems, None).await
}

/// `POST /rapporter`: checks the choice, warns once about a period without data, then records
/// (or reuses) the snapshot and answers with the file.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    context: PageContext,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let t = context.t().reports;
    let (kind, kind_problems) = check_kind(t, &form.kind);
    let choice = Choice {
        kind: kind.unwrap_or(ReportKind::Annual),
        period: form.period.trim().to_owned(),
        format: form.format.trim().to_owned(),
        list: form.list,
    };
    let periods = offered(&state, choice.kind).await?;
    let (period, make_problems) = check_make(t, &choice, &periods);
    let Some(period) = period.filter(|_| kind.is_some() && make_problems.is_empty()) else {
        let problems = FormProblems { kind: kind_problems, make: make_problems, ..Default::default() };
        return answer(&state, &context, &user, &choice, &periods, problems, None).await;
    };
    if form.confirm != "ja" {
        let missing = missing(&state, context.lang, choice.kind, &period).await?;
        if !missing.is_empty() {
            let confirm = Some(confirm_form(context.lang, &choice, &period, &missing));
            return answer(&state, &context, &user, &choice, &periods, FormProblems::default(), confirm)
                .await;
        }
    }
    let made = sikkerby_reports::generate(
        &state.store,
        choice.kind.code(),
        &period.label,
        &choice.format,
        &user.user.username,
    )
    .await;
    let (snapshot, _, bytes) = made.map_err(report_error)?;
    Ok(download(&snapshot, &choice.format, bytes))
}

/// The page: the forms as chosen (with any problems: 422) and the list of versions.
async fn answer(
    state: &AppState,
    context: &PageContext,
    user: &CurrentUser,
    choice: &Choice,
    periods: &[sikkerby_reports::ReportPeriod],
    mut problems: FormProblems,
    confirm_form: Option<FormView>,
) -> Result<Response, AppError> {
    let lang = context.lang;
    let t = context.t().reports;
    let filter = match choice.list.as_str() {
        "" => None,
        code => ReportKind::parse(code).or_else(|| {
            problems.list.add("list", t.kind_error);
            None
        }),
    };
    let snapshots = state.store.report_snapshot_list(filter.map(ReportKind::code)).await?;
    let viewer = Viewer { is_manager: user.role() == Role::Manager, username: &user.user.username };
    let refused = [&problems.kind, &problems.make, &problems.list].iter().any(|p| !p.is_empty());
    let page = ReportsPage {
        chrome: context.chrome(Nav::Reports),
        kind_form: kind_form(lang, choice, &problems.kind),
        confirm_form,
        make_form: make_form(lang, choice, periods, &problems.make),
        list_form: list_form(lang, choice, &problems.list),
        versions: report_list::rows(&snapshots, &viewer, lang),
    };
    let status = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
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
