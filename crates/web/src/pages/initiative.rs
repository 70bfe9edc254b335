//! `/indsatser/{code}`: one initiative with every field, its criteria in the memo's words, the
//! budget lines linked to it, and the memo's own wording beside the structured fields.

use super::portfolio::unit_name;
use super::{render, Chrome, Nav, PageContext};
use crate::auth::CurrentUser;
use crate::format::{age_band, CellView};
use crate::i18n::Lang;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use sikkerby_domain::budget::Budget;
use sikkerby_domain::criteria::CriterionDefinition;
use sikkerby_domain::geography::Geography;
use sikkerby_domain::portfolio::{Initiative, InitiativeCode, MemoWording, OrgUnit};

/// The structured fields of an initiative, formatted for the reader's language.
struct Facts {
    code: String,
    name: String,
    scope: &'static str,
    phases: Vec<&'static str>,
    anchor: String,
    partners: Vec<String>,
    target: String,
    age_band: Option<String>,
    capacity: Option<u32>,
    source: &'static str,
    reporting: Vec<String>,
    areas: Vec<String>,
    notes: String,
}

struct CriterionView {
    id: String,
    memo_words: String,
    definition: String,
    /// The language the definition is written in (`lang` attribute): Danish, or English where
    /// a stored portfolio has no Danish definition.
    definition_lang: &'static str,
}

struct LineView {
    name: String,
    cells: Vec<CellView>,
}

#[derive(Template)]
#[template(path = "initiative.html")]
struct InitiativePage {
    chrome: Chrome,
    facts: Facts,
    criteria: Vec<CriterionView>,
    years: Vec<i32>,
    lines: Vec<LineView>,
    memo: MemoWording,
    /// Entries for the initiative's criteria awaiting the reader's approval, and the first's year.
    pending_reviews: Option<(usize, i32)>,
}

/// `GET /indsatser/{code}`; 404 for a code that is malformed or not in the portfolio.
pub(super) async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let not_found = || AppError::NotFound(format!("initiative {raw}"));
    let code = InitiativeCode::parse(&raw).map_err(|_| not_found())?;
    let initiative = state.store.initiative(code.as_str()).await?.ok_or_else(not_found)?;
    let units = state.store.org_units().await?;
    let geography = state.store.geography().await?;
    let criteria = state.store.criteria().await?;
    let budget = state.store.budget().await?;
    let lang = context.lang;
    let own: Vec<String> = criteria_of(&initiative, &criteria, lang).into_iter().map(|c| c.id).collect();
    let pending_reviews = super::indicators::reviewable(&state, &user, Some(&own)).await?;
    render(&InitiativePage {
        chrome: context.chrome(Nav::None),
        facts: facts(&initiative, &units, &geography, lang),
        criteria: criteria_of(&initiative, &criteria, lang),
        years: budget.years.clone(),
        lines: lines_of(&initiative, &budget, lang),
        memo: trimmed(&initiative.memo),
        pending_reviews,
    })
}

fn facts(i: &Initiative, units: &[OrgUnit], geography: &Geography, lang: Lang) -> Facts {
    let t = lang.texts();
    let reporting = i
        .reporting
        .iter()
        .map(|r| {
            let recipients: Vec<&str> = r.recipients.iter().map(|c| c.abbreviation()).collect();
            format!("{} – {}", recipients.join(", "), t.cadence(r.cadence))
        })
        .collect();
    let areas = i.areas.iter().map(|id| geography.area_name(id)).collect();
    Facts {
        code: i.code.to_string(),
        name: i.name.clone(),
        scope: t.scope(i.scope),
        phases: i.phases.iter().map(|&p| t.phase(p)).collect(),
        anchor: unit_name(units, &i.anchor_unit),
        partners: i.partners.clone(),
        target: i.target_group.description.clone(),
        age_band: age_band(&i.target_group, lang),
        capacity: i.capacity_full_year_places,
        source: t.data_source(i.data_source),
        reporting,
        areas,
        notes: i.notes.clone(),
    }
}

/// The criteria that measure the initiative, in C1…C19 order.
fn criteria_of(i: &Initiative, all: &[CriterionDefinition], lang: Lang) -> Vec<CriterionView> {
    all.iter()
        .filter(|c| c.initiative == i.code.as_str() || i.criteria.contains(&c.id))
        .map(|c| {
            let danish = lang == Lang::Da && !c.definition_da.trim().is_empty();
            CriterionView {
                id: c.id.clone(),
                memo_words: c.memo_words.clone(),
                definition: if danish { c.definition_da.trim() } else { c.definition.trim() }.to_owned(),
                definition_lang: if danish { "da" } else { "en" },
            }
        })
        .collect()
}

fn lines_of(i: &Initiative, budget: &Budget, lang: Lang) -> Vec<LineView> {
    budget
        .lines
        .iter()
        .filter(|l| l.initiative.as_deref() == Some(i.code.as_str()))
        .map(|l| LineView {
            name: l.name.clone(),
            cells: l.cells.iter().map(|&c| CellView::new(c, lang)).collect(),
        })
        .collect()
}

/// The memo's words without the blank lines the seed file wraps them in.
fn trimmed(memo: &MemoWording) -> MemoWording {
    MemoWording {
        description: memo.description.trim().to_owned(),
        success_criteria: memo.success_criteria.trim().to_owned(),
        measurement: memo.measurement.trim().to_owned(),
    }
}
