//! `/nulstil-adgangskode`: a user sets a new password with the one-time code an administrator
//! gave them (`/admin/brugere`). Open without signing in, since the user cannot sign in; the code
//! (256 random bits) is what authorises, so guessing it is hopeless, and the store uses it up
//! together with the new password (docs/security.md "Resetting a password"). The password is
//! checked against the same policy as every new password and never logged.

use crate::i18n::AdminTexts;
use crate::pages::forms::{text, FormView, Problems, Submitted};
use crate::pages::{render, Chrome, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use sikkerby_store::users::SecurityError;

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    chrome: Chrome,
    form: FormView,
    /// The username, once the new password is saved.
    done: Option<String>,
}

fn page(context: &PageContext, input: Option<&Submitted>, problems: &Problems) -> Result<Response, AppError> {
    let t = context.t().admin;
    let mut form = FormView::new("nulstil", "/nulstil-adgangskode", t.reset_title, context.t().case)
        .with_input(input)
        .text("kode", t.reset_code_label, "")
        .required()
        .password("adgangskode", t.new_password_label)
        .required()
        .hint(t.new_password_hint)
        .password("gentag", t.repeat_password_label)
        .required()
        .problems(problems, None);
    form.submit = t.reset_submit;
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ResetPage { chrome: context.chrome(Nav::None), form, done: None };
    Ok((status, render(&page)?).into_response())
}

/// `GET /nulstil-adgangskode`.
pub(super) async fn form(context: PageContext) -> Result<Response, AppError> {
    page(&context, None, &Problems::default())
}

/// The store's refusal as the form's problem.
fn problem(error: SecurityError, t: &AdminTexts) -> Result<Problems, AppError> {
    let mut problems = Problems::default();
    match error {
        SecurityError::Invalid { field: "code", .. } => problems.add("kode", t.err_reset_code),
        SecurityError::Invalid { field: "password", reason } => {
            let message = if reason.starts_with("must be") {
                t.err_password_length
            } else if reason.starts_with("must not contain") {
                t.err_password_username
            } else {
                t.err_password_weak
            };
            problems.add("adgangskode", message);
        }
        SecurityError::Store(error) => return Err(error.into()),
        other => return Err(AppError::Internal(Box::new(other))),
    }
    Ok(problems)
}

/// `POST /nulstil-adgangskode`.
pub(super) async fn submit(
    State(state): State<AppState>,
    context: PageContext,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let t = context.t().admin;
    // Passwords as typed: a space at either end is part of them.
    let raw = |name: &str| input.get(name).map_or("", String::as_str);
    let (password, repeated) = (raw("adgangskode"), raw("gentag"));
    if password != repeated {
        let mut problems = Problems::default();
        problems.add("gentag", t.err_repeat);
        return page(&context, Some(&input), &problems);
    }
    match state.store.reset_password_with_code(text(&input, "kode"), password, Utc::now()).await {
        Ok(username) => {
            tracing::info!("password set with a reset code");
            let form = FormView::new("nulstil", "/nulstil-adgangskode", t.reset_title, context.t().case);
            let page = ResetPage { chrome: context.chrome(Nav::None), form, done: Some(username) };
            Ok(render(&page)?.into_response())
        }
        Err(error) => page(&context, Some(&input), &problem(error, t)?),
    }
}
