//! `/admin/brugere`: the administrator's user list and changes (docs/security.md "User
//! administration"). Every change goes through the store, which checks the rules (centres and
//! caseworker codes against the role, a partner's source and districts, the last administrator,
//! one's own account) and audits it
//! in the change's transaction. A new user gets no password from the administrator: the answer
//! is a one-time code with which the user chooses one (`/nulstil-adgangskode`).

use super::forms::{text, FormView, Problems, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::auth::CurrentUser;
use crate::i18n::AdminTexts;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use sikkerby_domain::access::{AssessmentSource, Role};
use sikkerby_store::users::{AccessChange, NewUser, PartnerAccess, PartnerAssignment, SecurityError, User};

/// One row of the list.
struct UserRow {
    href: String,
    username: String,
    name: String,
    role: &'static str,
    centres: String,
    codes: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    rows: Vec<UserRow>,
    form: FormView,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    chrome: Chrome,
    username: String,
    action: String,
    form: FormView,
    active: bool,
    locked: bool,
    saved: bool,
    /// A refusal of the state change (one's own account, the last administrator).
    refused: Option<&'static str>,
    /// The user signs in through the identity provider: no password, no reset code.
    external: bool,
}

#[derive(Template)]
#[template(path = "admin_code.html")]
struct CodePage {
    chrome: Chrome,
    username: String,
    code: String,
}

/// A comma-separated list as typed, trimmed, without empty parts.
fn list(input: &Submitted, name: &str) -> Vec<String> {
    text(input, name).split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect()
}

fn role_options(context: &PageContext) -> Vec<(String, String)> {
    Role::ALL.iter().map(|r| (r.code().to_owned(), context.t().auth.role(*r).to_owned())).collect()
}

/// The role chosen in the form, or the problem with it.
fn chosen_role(input: &Submitted, problems: &mut Problems, t: &AdminTexts) -> Option<Role> {
    let role = Role::parse(text(input, "rolle")).ok();
    if role.is_none() {
        problems.add("rolle", t.err_role);
    }
    role
}

/// A partner's source and districts as chosen in the form (an unknown source: the problem).
fn partner_access(input: &Submitted, problems: &mut Problems, t: &AdminTexts) -> PartnerAccess {
    let source = match text(input, "kilde") {
        "" => None,
        code => {
            let source = AssessmentSource::parse(code).ok();
            if source.is_none() {
                problems.add("kilde", t.err_source);
            }
            source
        }
    };
    PartnerAccess { source, districts: list(input, "bydele") }
}

/// A refusal of the store as a problem of the form's field; anything else is an error.
fn problem(error: SecurityError, t: &AdminTexts) -> Result<Problems, AppError> {
    let mut problems = Problems::default();
    match error {
        SecurityError::Invalid { field: "username", .. } => problems.add("brugernavn", t.err_username),
        SecurityError::Conflict(_) => problems.add("brugernavn", t.err_username_taken),
        SecurityError::Invalid { field: "centre", .. } => problems.add("centre", t.err_centre),
        SecurityError::Invalid { field: "caseworker_code", .. } => problems.add("koder", t.err_code),
        SecurityError::Invalid { field: "role", .. } => problems.add("rolle", t.err_role),
        SecurityError::Invalid { field: "source", .. } => problems.add("kilde", t.err_source),
        SecurityError::Invalid { field: "district", .. } => problems.add("bydele", t.err_district),
        SecurityError::OwnAccount { .. } => problems.add("rolle", t.err_own_account),
        SecurityError::LastAdmin => problems.add("rolle", t.err_last_admin),
        other => return Err(store_error(other)),
    }
    Ok(problems)
}

/// A user's current access, as the change form shows it.
struct Current<'a> {
    user: &'a User,
    codes: &'a [String],
    partner: Option<&'a PartnerAssignment>,
}

/// The fields of role, centres, codes and a partner's source and districts, shared by the
/// create and the change form.
fn access_fields(form: FormView, context: &PageContext, current: Option<&Current>) -> FormView {
    let (t, idx) = (context.t().admin, context.t().idx);
    let role = current.map_or("", |c| c.user.role.code());
    let centres = current.map(|c| c.user.centres.join(", ")).unwrap_or_default();
    let codes = current.map(|c| c.codes.join(", ")).unwrap_or_default();
    let partner = current.and_then(|c| c.partner);
    let source = partner.map_or("", |p| p.source.code());
    let districts = partner.map(|p| p.districts.join(", ")).unwrap_or_default();
    let sources = AssessmentSource::ALL.iter().map(|s| (s.code().to_owned(), idx.source(s.code()))).collect();
    form.select("rolle", t.role_label, Some(t.role_choose), role_options(context), role)
        .required()
        .text("centre", t.centres_label, &centres)
        .hint(t.centres_hint)
        .text("koder", t.codes_label, &codes)
        .hint(t.codes_hint)
        .select("kilde", t.source_label, Some(t.source_none), sources, source)
        .text("bydele", t.districts_label, &districts)
        .hint(t.districts_hint)
}

fn create_form(context: &PageContext, input: Option<&Submitted>, problems: &Problems) -> FormView {
    let t = context.t().admin;
    let mut form = FormView::new("opret-bruger", "/admin/brugere", t.create_legend, context.t().case)
        .with_input(input)
        .text("brugernavn", t.display_name_label, "")
        .required()
        .text("navn", t.display_name_label, "");
    // The username's label is the column's: set after the builder made the field.
    if let Some(field) = form.fields.first_mut() {
        field.label = t.col_username.to_owned();
    }
    let mut form = access_fields(form, context, None).problems(problems, None);
    form.submit = t.create_button;
    form
}

async fn users_page(
    state: &AppState,
    context: &PageContext,
    input: Option<&Submitted>,
    problems: &Problems,
) -> Result<Response, AppError> {
    let (t, now) = (context.t().admin, Utc::now());
    let mut rows = Vec::new();
    for u in state.store.users().await? {
        let codes = state.store.user_caseworker_codes(u.id).await?.join(", ");
        // A partner's districts stand where a caseworker's centres do.
        let centres = match state.store.partner_assignment(u.id).await? {
            Some(p) => format!("{}: {}", context.t().idx.source(p.source.code()), p.districts.join(", ")),
            None => u.centres.join(", "),
        };
        let state = match (u.active, u.locked_until.is_some_and(|l| l > now)) {
            (false, _) => t.state_inactive,
            (true, true) => t.state_locked,
            (true, false) => t.state_active,
        };
        rows.push(UserRow {
            href: format!("/admin/brugere/{}", u.id),
            name: u.display_name,
            role: context.t().auth.role(u.role),
            centres,
            codes,
            state,
            username: u.username,
        });
    }
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page =
        UsersPage { chrome: context.chrome(Nav::Users), rows, form: create_form(context, input, problems) };
    Ok((status, render(&page)?).into_response())
}

/// `GET /admin/brugere`.
pub(super) async fn list_users(
    State(state): State<AppState>,
    context: PageContext,
) -> Result<Response, AppError> {
    users_page(&state, &context, None, &Problems::default()).await
}

/// `POST /admin/brugere`: creates the user with a random password nobody knows and answers with
/// a one-time code for the user's own.
pub(super) async fn create(
    State(state): State<AppState>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let t = context.t().admin;
    let mut problems = Problems::default();
    let role = chosen_role(&input, &mut problems, t);
    let codes = list(&input, "koder");
    let partner = partner_access(&input, &mut problems, t);
    let Some(role) = role.filter(|_| problems.is_empty()) else {
        return users_page(&state, &context, Some(&input), &problems).await;
    };
    let new = NewUser {
        username: text(&input, "brugernavn").to_owned(),
        display_name: text(&input, "navn").to_owned(),
        role: Some(role),
        centres: list(&input, "centre"),
        password: crate::auth::random_password(),
    };
    let created =
        match state.store.create_user_with_access(&new, &codes, &partner, &user.actor(), Utc::now()).await {
            Ok(created) => created,
            Err(error) => return users_page(&state, &context, Some(&input), &problem(error, t)?).await,
        };
    code_page(&state, &context, &user, created).await
}

/// A refusal that no field of the form explains: the role, an unknown user, the database.
fn store_error(error: SecurityError) -> AppError {
    match error {
        SecurityError::Forbidden { .. } => AppError::Forbidden,
        SecurityError::NotFound { .. } => AppError::NotFound("user".into()),
        SecurityError::Store(error) => error.into(),
        other => AppError::Internal(Box::new(other)),
    }
}

/// A new one-time code for `target`, shown once.
async fn code_page(
    state: &AppState,
    context: &PageContext,
    user: &CurrentUser,
    target: User,
) -> Result<Response, AppError> {
    let code =
        state.store.issue_password_reset(target.id, &user.actor(), Utc::now()).await.map_err(store_error)?;
    let page = CodePage { chrome: context.chrome(Nav::Users), username: target.username, code };
    Ok(render(&page)?.into_response())
}

/// The user of a path, or 404.
async fn target(state: &AppState, raw: &str) -> Result<User, AppError> {
    let not_found = || AppError::NotFound("user".into());
    let id = raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(not_found)?;
    state.store.user(id).await?.ok_or_else(not_found)
}

async fn user_page(
    state: &AppState,
    context: &PageContext,
    target: &User,
    input: Option<&Submitted>,
    problems: &Problems,
    refused: Option<&'static str>,
) -> Result<(StatusCode, UserPage), AppError> {
    let t = context.t().admin;
    let codes = state.store.user_caseworker_codes(target.id).await?;
    let partner = state.store.partner_assignment(target.id).await?;
    let action = format!("/admin/brugere/{}", target.id);
    let form = FormView::new("adgang", action.clone(), t.access_legend, context.t().case).with_input(input);
    let current = Current { user: target, codes: &codes, partner: partner.as_ref() };
    let mut form = access_fields(form, context, Some(&current)).problems(problems, None);
    form.submit = t.save_button;
    let failed = !problems.is_empty() || refused.is_some();
    let page = UserPage {
        chrome: context.chrome(Nav::Users),
        username: target.username.clone(),
        action,
        form,
        active: target.active,
        locked: target.locked_until.is_some_and(|l| l > Utc::now()),
        saved: false,
        refused,
        external: state.store.is_external_user(target.id).await?,
    };
    let status = if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, page))
}

/// [`user_page`] as the answer.
async fn user_response(
    state: &AppState,
    context: &PageContext,
    target: &User,
    input: Option<&Submitted>,
    problems: &Problems,
    refused: Option<&'static str>,
) -> Result<Response, AppError> {
    let (status, page) = user_page(state, context, target, input, problems, refused).await?;
    Ok((status, render(&page)?).into_response())
}

/// `GET /admin/brugere/{id}` (`?gemt=1` after a change).
pub(super) async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<Submitted>,
    context: PageContext,
) -> Result<Response, AppError> {
    let target = target(&state, &raw).await?;
    let (status, mut page) = user_page(&state, &context, &target, None, &Problems::default(), None).await?;
    page.saved = query.contains_key("gemt");
    Ok((status, render(&page)?).into_response())
}

fn saved(id: i64) -> Response {
    Redirect::to(&format!("/admin/brugere/{id}?gemt=1")).into_response()
}

/// `POST /admin/brugere/{id}`: role, centres and codes.
pub(super) async fn change(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let (target, t) = (target(&state, &raw).await?, context.t().admin);
    let mut problems = Problems::default();
    let role = chosen_role(&input, &mut problems, t);
    let partner = partner_access(&input, &mut problems, t);
    let Some(role) = role.filter(|_| problems.is_empty()) else {
        return user_response(&state, &context, &target, Some(&input), &problems, None).await;
    };
    let (centres, caseworker_codes) = (list(&input, "centre"), list(&input, "koder"));
    let change = AccessChange { role, centres, caseworker_codes, partner };
    match state.store.set_user_access(target.id, &change, &user.actor(), Utc::now()).await {
        Ok(_) => Ok(saved(target.id)),
        Err(error) => user_response(&state, &context, &target, Some(&input), &problem(error, t)?, None).await,
    }
}

/// `POST /admin/brugere/{id}/aktiv` with `aktiv=ja|nej`.
pub(super) async fn set_active(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let (target, t) = (target(&state, &raw).await?, context.t().admin);
    let active = match text(&input, "aktiv") {
        "ja" => true,
        "nej" => false,
        _ => return Err(AppError::Unprocessable { field: "aktiv", message: "must be ja or nej".into() }),
    };
    let refused = match state.store.set_user_active(target.id, active, &user.actor(), Utc::now()).await {
        Ok(_) => return Ok(saved(target.id)),
        Err(SecurityError::OwnAccount { .. }) => t.err_own_account,
        Err(SecurityError::LastAdmin) => t.err_last_admin,
        Err(error) => return Err(store_error(error)),
    };
    user_response(&state, &context, &target, None, &Problems::default(), Some(refused)).await
}

/// `POST /admin/brugere/{id}/engangskode`: a new one-time code, shown once.
pub(super) async fn reset_code(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let target = target(&state, &raw).await?;
    if state.store.is_external_user(target.id).await? {
        let refused = Some(context.t().admin.err_external);
        return user_response(&state, &context, &target, None, &Problems::default(), refused).await;
    }
    code_page(&state, &context, &user, target).await
}

/// `POST /admin/brugere/{id}/laas-op`: lifts a lock after failed logins.
pub(super) async fn unlock(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let target = target(&state, &raw).await?;
    state.store.unlock_user(target.id, &user.actor(), Utc::now()).await.map_err(store_error)?;
    Ok(saved(target.id))
}
