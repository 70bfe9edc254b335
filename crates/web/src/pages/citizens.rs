//! `/borgere`: find a citizen by CPR prefix or name (the CPR number masked in the list), and
//! `/borgere/ny`: register a citizen, confirming a CPR warning where there is one.

use super::case_access::{find_citizens, SEARCH_LIMIT};
use super::forms::{checked, long_date, required, text, FormView, Problems, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::auth::citizen::{registering_centre, registration, Registered, RECEIVED, REGISTRATION};
use crate::auth::CurrentUser;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use sikkerby_domain::access::Purpose;
use sikkerby_domain::geography::Geography;
use sikkerby_store::audit::{audited_write, AuditAction, AuditEntry};
use sikkerby_store::cases::{CitizenSummary, NewCitizen};

/// One citizen in the search result.
struct Row {
    href: String,
    cpr: String,
    name: Option<String>,
    birth: String,
    sex: &'static str,
    area: String,
    enrollments: i64,
}

#[derive(Template)]
#[template(path = "citizens.html")]
struct SearchPage {
    chrome: Chrome,
    form: FormView,
    searched: bool,
    rows: Vec<Row>,
    truncated: bool,
}

/// `GET /borgere?q=`: the search form and, when a query is given, the matching citizens.
pub(super) async fn search(
    State(state): State<AppState>,
    Query(input): Query<Submitted>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let t = context.t().case;
    let mut problems = Problems::default();
    let query = text(&input, "q").to_owned();
    if query.chars().count() > 100 {
        problems.add("q", t.msg_too_long);
    }
    let form = FormView::new("soeg", "/borgere", t.search_legend, t)
        .get(t.search_button)
        .with_input(Some(&input))
        .text("q", t.search_label, "")
        .hint(t.search_hint)
        .problems(&problems, None);
    let searched = !query.is_empty() && problems.is_empty();
    let mut found = if searched { find_citizens(&state, &user, &query).await? } else { Vec::new() };
    let truncated = found.len() as i64 > SEARCH_LIMIT;
    found.truncate(SEARCH_LIMIT as usize);
    let geography = state.store.geography().await?;
    let rows = found.iter().map(|s| row(s, &geography, &context)).collect();
    let page = SearchPage { chrome: context.chrome(Nav::Citizens), form, searched, rows, truncated };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(&page)?).into_response())
}

fn row(s: &CitizenSummary, geography: &Geography, context: &PageContext) -> Row {
    let c = &s.citizen;
    Row {
        href: format!("/borgere/{}", c.id),
        cpr: c.cpr_masked.clone(),
        name: c.name.clone(),
        birth: long_date(c.birth_date, context.lang),
        sex: context.t().case.sex(&c.sex),
        area: c.area_id.as_deref().map(|id| geography.area_name(id)).unwrap_or_default(),
        enrollments: s.enrollments,
    }
}

#[derive(Template)]
#[template(path = "citizen_new.html")]
struct NewPage {
    chrome: Chrome,
    form: FormView,
    received: Option<&'static str>,
}

/// The registration form, with the input and problems of an attempt.
async fn new_form(
    state: &AppState,
    context: &PageContext,
    input: Option<&Submitted>,
    problems: &Problems,
) -> Result<FormView, AppError> {
    let t = context.t().case;
    let areas = state.store.geography().await?.areas;
    let options = areas.into_iter().map(|a| (a.id, a.name)).collect();
    let mut form = FormView::new("borger", "/borgere/ny", t.new_legend, t).with_input(input);
    form.submit = t.new_submit;
    Ok(form
        .text("cpr", t.fld_cpr, "")
        .required()
        .hint(t.cpr_hint)
        .text("navn", t.fld_name, "")
        .select("omraade", t.fld_area, Some(t.choose), options, "")
        .problems(problems, Some(("bekraeft", t.confirm_cpr))))
}

/// `GET /borgere/ny`; `?modtaget=1` is the receipt of a registration that did not lead to a
/// citizen of the user's centres (the same words whatever it came to, see [`Registered`]).
pub(super) async fn new(
    State(state): State<AppState>,
    Query(query): Query<Submitted>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
    let form = new_form(&state, &context, None, &Problems::default()).await?;
    let received = query.contains_key("modtaget").then(|| context.lang.takeover().received);
    render(&NewPage { chrome: context.chrome(Nav::Citizens), form, received })
}

/// `POST /borgere/ny`: registers the citizen and shows the receipt (or their page when one of
/// the user's centres holds them already), or shows the form again.
pub(super) async fn create(
    State(state): State<AppState>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let t = context.t().case;
    let mut problems = Problems::default();
    let cpr = required(&input, "cpr", &mut problems, t);
    let area = text(&input, "omraade").to_owned();
    let geography = state.store.geography().await?;
    if !area.is_empty() && !geography.areas.iter().any(|a| a.id == area) {
        problems.add("omraade", t.msg_choose);
    }
    if let (Some(cpr), true) = (cpr, problems.is_empty()) {
        let name = Some(text(&input, "navn").to_owned()).filter(|n| !n.is_empty());
        let centre = registering_centre(&user, None);
        let confirm_warnings = checked(&input, "bekraeft");
        let detail = format!("created: a new citizen held by {}", centre.as_deref().unwrap_or("no centre"));
        let typed_name = name.clone();
        let new = NewCitizen { cpr, name, area_id: Some(area), confirm_warnings, centre };
        // A new citizen's audit row commits with them (the store sets the new id); an existing
        // one's is written by `registration`.
        let entry = AuditEntry::new(&user.actor(), AuditAction::RegisterAttempt, Utc::now())
            .purpose(Purpose::Casework, REGISTRATION)
            .detail(detail);
        match audited_write(entry, state.store.register_citizen(&new)).await {
            Ok(outcome) => return registered_answer(&state, &user, outcome, typed_name).await,
            Err(error) => problems = Problems::from_case(error, "cpr", context.lang)?,
        }
    }
    let form = new_form(&state, &context, Some(&input), &problems).await?;
    let page = NewPage { chrome: context.chrome(Nav::Citizens), form, received: None };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// The answer to a registration that was not refused for its input (see [`Registered`]).
async fn registered_answer(
    state: &AppState,
    user: &CurrentUser,
    outcome: sikkerby_store::cases::Registration,
    typed_name: Option<String>,
) -> Result<Response, AppError> {
    let to = match registration(state, user, outcome, typed_name).await? {
        Registered::Own(id) => format!("/borgere/{id}"),
        Registered::Received => RECEIVED.to_owned(),
    };
    Ok(Redirect::to(&to).into_response())
}
