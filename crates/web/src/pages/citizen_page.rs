//! `/borgere/{id}`: one citizen with the CPR number masked, the whole case history as a
//! timeline, and the forms that add to it.

use super::case_access::{citizen_id, open_timeline};
use super::citizen_forms::{citizen_forms, Failed, FormContext};
use super::forms::{long_date, today, FormView, Submitted};
use super::history::{history, HistoryRow};
use super::timeline::{entries, Entry, Labels};
use super::{render, Chrome, Nav, PageContext};
use crate::auth::CurrentUser;
use crate::i18n::RecordTexts;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use sikkerby_store::cases::Timeline;

/// The citizen's details.
struct Facts {
    cpr: String,
    name: Option<String>,
    birth: String,
    sex: &'static str,
    area: Option<String>,
    cpr_check: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "citizen.html")]
struct CitizenPage {
    chrome: Chrome,
    facts: Facts,
    saved: bool,
    entries: Vec<Entry>,
    history: Vec<HistoryRow>,
    records: &'static RecordTexts,
    forms: Vec<FormView>,
    /// The subject-access report's download.
    subject_href: String,
}

/// `GET /borgere/{id}`; `?gemt=1` after a successful post says that the change was saved.
pub(super) async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<Submitted>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let id = citizen_id(&raw)?;
    let (name, value) = super::worklist::FROM_WORKLIST;
    if query.get(name).is_some_and(|v| v == value) {
        crate::auth::citizen::carry_follow_up_purpose(&state, &user, id).await?;
    }
    let opened = open_timeline(&state, &user, id).await?;
    page(&state, &context, (&opened.timeline, opened.generation), None, query.contains_key("gemt")).await
}

/// The citizen page, with code lists, portfolio and geography at `generation`; `failed` is a
/// form that comes back with the user's input and problems.
pub(super) async fn page(
    state: &AppState,
    context: &PageContext,
    (timeline, generation): (&Timeline, i64),
    failed: Option<&Failed>,
    saved: bool,
) -> Result<Html<String>, AppError> {
    let portfolio = state.store.portfolio_at(generation).await?;
    let codes = state.store.code_lists_at(generation).await?;
    let geography = state.store.geography_at(generation).await?;
    let labels = Labels { lang: context.lang, portfolio: &portfolio, codes: &codes };
    let today = today();
    let t = context.t().case;
    let c = &timeline.citizen;
    let area = c.area_id.as_deref().map(|id| geography.area_name(id));
    let mut cpr_check = Vec::new();
    if c.modulus11_warning {
        cpr_check.push(t.cpr_mod11_confirmed);
    }
    if c.substitute_number {
        cpr_check.push(t.cpr_substitute);
    }
    let facts = Facts {
        cpr: c.cpr_masked.clone(),
        name: c.name.clone(),
        birth: long_date(c.birth_date, context.lang),
        sex: t.sex(&c.sex),
        area,
        cpr_check,
    };
    let forms = citizen_forms(&FormContext { timeline, labels: &labels, today }, failed);
    render(&CitizenPage {
        chrome: context.chrome(Nav::Citizens),
        facts,
        saved: saved && failed.is_none(),
        entries: entries(timeline, &labels, today),
        history: history(timeline, &labels),
        records: context.lang.records(),
        forms,
        subject_href: format!("/borgere/{}/indsigt", c.id),
    })
}
