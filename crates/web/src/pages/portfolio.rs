//! `/`: the portfolio overview, all initiatives grouped by scope.

use super::{render, Chrome, Nav, PageContext};
use crate::format::{age_band, CellView};
use crate::i18n::Lang;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use sikkerby_domain::access::Role;
use sikkerby_domain::budget::{Budget, BudgetCell};
use sikkerby_domain::portfolio::{Initiative, OrgUnit, Portfolio, Scope};

/// The budget year the overview shows beside each initiative.
const OVERVIEW_BUDGET_YEAR: i32 = 2013;

/// One initiative as a row of the overview.
struct Row {
    code: String,
    href: String,
    name: String,
    anchor: String,
    target: String,
    age_band: Option<String>,
    source: &'static str,
    criteria: Vec<String>,
    budget: CellView,
}

/// The initiatives of one scope.
struct Group {
    heading: &'static str,
    id: &'static str,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct OverviewPage {
    chrome: Chrome,
    groups: Vec<Group>,
}

/// `GET /`; a partner, who sees nothing but the assessment form, is sent on to it.
pub(super) async fn overview(
    State(state): State<AppState>,
    context: PageContext,
) -> Result<Response, AppError> {
    if context.user.as_ref().is_some_and(|u| u.role() == Role::Partner) {
        return Ok(Redirect::to("/vurdering").into_response());
    }
    let portfolio = state.store.portfolio().await?;
    let units = state.store.org_units().await?;
    let budget = state.store.budget().await?;
    let groups = groups(&portfolio, &units, &budget, context.lang);
    Ok(render(&OverviewPage { chrome: context.chrome(Nav::Overview), groups })?.into_response())
}

fn groups(portfolio: &Portfolio, units: &[OrgUnit], budget: &Budget, lang: Lang) -> Vec<Group> {
    let t = lang.texts();
    Scope::ALL
        .into_iter()
        .map(|scope| Group {
            heading: t.scope_heading(scope),
            id: scope.code(),
            rows: portfolio
                .initiatives
                .iter()
                .filter(|i| i.scope == scope)
                .map(|i| row(i, units, budget, lang))
                .collect(),
        })
        .collect()
}

fn row(initiative: &Initiative, units: &[OrgUnit], budget: &Budget, lang: Lang) -> Row {
    let code = initiative.code.as_str();
    let cell = budget_cell(budget, code, OVERVIEW_BUDGET_YEAR).unwrap_or(BudgetCell::NoAllocation);
    Row {
        code: code.to_owned(),
        href: initiative_href(code),
        name: initiative.name.clone(),
        anchor: unit_name(units, &initiative.anchor_unit),
        target: initiative.target_group.description.clone(),
        age_band: age_band(&initiative.target_group, lang),
        source: lang.texts().data_source(initiative.data_source),
        criteria: initiative.criteria.clone(),
        budget: CellView::new(cell, lang),
    }
}

/// The page of an initiative.
pub(super) fn initiative_href(code: &str) -> String {
    format!("/indsatser/{code}")
}

/// A unit's name, or its id where the unit is unknown (the seed check makes that unlikely).
pub(super) fn unit_name(units: &[OrgUnit], id: &str) -> String {
    units.iter().find(|u| u.id == id).map_or_else(|| id.to_owned(), |u| u.name.clone())
}

/// What the budget allocates to an initiative in a year: the sum of its lines where any line has
/// an amount, otherwise the first line's kind of empty cell; `None` when no line is linked.
pub(super) fn budget_cell(budget: &Budget, code: &str, year: i32) -> Option<BudgetCell> {
    let column = budget.years.iter().position(|&y| y == year)?;
    let cells: Vec<BudgetCell> = budget
        .lines
        .iter()
        .filter(|l| l.initiative.as_deref() == Some(code))
        .filter_map(|l| l.cells.get(column).copied())
        .collect();
    if cells.iter().any(|c| matches!(c, BudgetCell::Amount(_))) {
        Some(BudgetCell::Amount(cells.iter().map(|c| c.value()).sum()))
    } else {
        cells.first().copied()
    }
}
