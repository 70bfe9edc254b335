//! `/borgere/{id}/formaal`: the purpose of looking at a citizen, asked once per citizen and
//! session before the first read (sagsbehandling, opfølgning, klage, aktindsigt, andet with a
//! text). It is stored with the session and written into every audit row of the reads that
//! follow; the citizen can be told it (`sikkerby audit subject`).

use super::citizen::reachable;
use super::CurrentUser;
use crate::pages::{render, Chrome, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use serde::Deserialize;
use sikkerby_domain::access::Purpose;
use sikkerby_store::session_purpose::SessionPurpose;

/// The longest purpose text kept (the audit log keeps 200 characters).
const MAX_TEXT: usize = 200;

struct PurposeChoice {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "purpose.html")]
struct PurposePage {
    chrome: Chrome,
    action: String,
    choices: Vec<PurposeChoice>,
    text: String,
    errors: Vec<&'static str>,
}

/// The submitted purpose.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PurposeForm {
    #[serde(default)]
    formaal: String,
    #[serde(default)]
    uddybning: String,
}

fn citizen_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| AppError::NotFound("citizen".into()))
}

fn page(
    context: &PageContext,
    id: i64,
    input: &PurposeForm,
    errors: Vec<&'static str>,
) -> Result<Response, AppError> {
    let t = context.t().auth;
    let choices = t
        .purposes()
        .into_iter()
        .map(|(purpose, label)| PurposeChoice {
            code: purpose.code(),
            label,
            selected: purpose.code() == input.formaal,
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = PurposePage {
        chrome: context.chrome(Nav::Citizens),
        action: format!("/borgere/{id}/formaal"),
        choices,
        text: input.uddybning.clone(),
        errors,
    };
    Ok((status, render(&page)?).into_response())
}

/// `GET /borgere/{id}/formaal`: the question (only for a citizen the user may reach at all).
pub(super) async fn form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let id = citizen_id(&raw)?;
    let given = reachable(&state, &user, id).await?;
    let input = given.map_or_else(PurposeForm::default, |p| PurposeForm {
        formaal: p.purpose.code().into(),
        uddybning: p.text,
    });
    page(&context, id, &input, Vec::new())
}

/// `POST /borgere/{id}/formaal`: stores the purpose for this session and goes to the citizen.
pub(super) async fn submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<PurposeForm>,
) -> Result<Response, AppError> {
    let id = citizen_id(&raw)?;
    let given = reachable(&state, &user, id).await?;
    let t = context.t().auth;
    let offered = t.purposes().into_iter().map(|(p, _)| p).find(|p| p.code() == input.formaal.trim());
    let text: String = input.uddybning.trim().chars().take(MAX_TEXT).collect();
    let mut errors = Vec::new();
    match offered {
        None => errors.push(t.purpose_required),
        Some(Purpose::Other) if text.is_empty() => errors.push(t.purpose_other_needs_text),
        Some(_) => {}
    }
    let Some(purpose) = offered.filter(|_| errors.is_empty()) else {
        return page(&context, id, &input, errors);
    };
    let registered = given.is_some_and(|g| g.registered);
    let chosen = SessionPurpose { purpose, text, registered, set_at: Utc::now() };
    state.store.set_session_purpose(user.session_token(), id, &chosen).await?;
    Ok(Redirect::to(&format!("/borgere/{id}")).into_response())
}
