//! `/opfoelgninger`: the overdue follow-ups, oldest first, narrowed by caseworker code and
//! centre, as of today (or `as_of`, for the demo data of 2012–2014), each linking to the citizen.

use super::case_access::{overdue_follow_ups, WORKLIST_LIMIT};
use super::forms::{long_date, optional, optional_date, today, FormView, Problems, Submitted};
use super::timeline::Labels;
use super::{render, Chrome, Nav, PageContext};
use crate::auth::CurrentUser;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sikkerby_store::cases::{OverdueFollowUp, WorklistFilter};

/// One overdue follow-up.
struct Row {
    due_iso: String,
    due: String,
    days: i64,
    href: String,
    cpr: String,
    name: Option<String>,
    initiative: String,
    anchor: &'static str,
    caseworker: String,
    centre: String,
}

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorklistPage {
    chrome: Chrome,
    form: FormView,
    as_of: String,
    rows: Vec<Row>,
    truncated: bool,
    valid: bool,
}

/// `GET /opfoelgninger?sagsbehandlerkode=&center=&as_of=`.
pub(super) async fn show(
    State(state): State<AppState>,
    Query(input): Query<Submitted>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let t = context.t().case;
    let mut p = Problems::default();
    let caseworker_code = optional(&input, "sagsbehandlerkode", &mut p, t);
    let centre = optional(&input, "center", &mut p, t);
    let as_of = optional_date(&input, "as_of", &mut p, t).unwrap_or_else(today);
    let form = FormView::new("filter", "/opfoelgninger", t.wl_legend, t)
        .get(t.wl_button)
        .with_input(Some(&input))
        .text("sagsbehandlerkode", t.fld_caseworker, "")
        .text("center", t.fld_centre, "")
        .text("as_of", t.fld_as_of, "")
        .hint(t.as_of_hint)
        .problems(&p, None);
    let valid = p.is_empty();
    let mut found = if valid {
        overdue_follow_ups(
            &state,
            &user,
            as_of,
            &WorklistFilter { caseworker_code, centre, within_centres: None },
        )
        .await?
    } else {
        Vec::new()
    };
    let truncated = found.len() as i64 > WORKLIST_LIMIT;
    found.truncate(WORKLIST_LIMIT as usize);
    let portfolio = state.store.portfolio().await?;
    let codes = state.store.code_lists().await?;
    let labels = Labels { lang: context.lang, portfolio: &portfolio, codes: &codes };
    let rows = found.iter().map(|o| row(o, &labels)).collect();
    let as_of = long_date(as_of, context.lang);
    let page = WorklistPage { chrome: context.chrome(Nav::Worklist), form, as_of, rows, truncated, valid };
    let status = if valid { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(&page)?).into_response())
}

fn row(o: &OverdueFollowUp, labels: &Labels) -> Row {
    let t = labels.lang.texts().case;
    Row {
        due_iso: o.follow_up.due.to_string(),
        due: labels.date(o.follow_up.due),
        days: o.days_overdue,
        href: format!("/borgere/{}", o.citizen.id),
        cpr: o.citizen.cpr_masked.clone(),
        name: o.citizen.name.clone(),
        initiative: labels.initiative(&o.initiative),
        anchor: t.anchor(o.follow_up.anchor),
        caseworker: o.caseworker_code.clone().unwrap_or_default(),
        centre: o.centre.clone().unwrap_or_default(),
    }
}
