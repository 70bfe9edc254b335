//! `/budget`: the memo's Tabel 1 with computed totals, both kinds of empty cell explained, a
//! stacked bar chart of the same figures, the actual spend recorded per line and year, and for
//! the secretariat (analysts, managers) the form that records it (`POST /budget/forbrug`).

use super::forms::{text, FormView, Problems, Submitted};
use super::portfolio::initiative_href;
use super::{render, Chrome, Nav, PageContext};
use crate::auth::{policy, CurrentUser};
use crate::charts::{Series, StackedBars};
use crate::format::CellView;
use crate::i18n::Lang;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use sikkerby_domain::budget::{parse_decimal, Budget};
use sikkerby_store::reports::BudgetActual;
use std::collections::{BTreeMap, HashMap};

/// The route that records actual spend; who may use it is the route policy's answer.
const ACTUAL_ROUTE: &str = "/budget/forbrug";

/// One budget line's recorded actual spend per year, formatted (empty: not recorded).
struct ActualRow {
    name: String,
    cells: Vec<String>,
}

struct LineView {
    name: String,
    href: Option<String>,
    cells: Vec<CellView>,
}

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    chrome: Chrome,
    years: Vec<i32>,
    lines: Vec<LineView>,
    totals: Vec<String>,
    /// The chart as SVG markup, built and escaped by [`crate::charts`].
    chart: String,
    /// Lines with any recorded actual spend.
    actuals: Vec<ActualRow>,
    /// The form recording actual spend, for the roles the route policy lets use it.
    actual_form: Option<FormView>,
    saved: bool,
}

/// `GET /budget` (`?gemt=1` after recording actual spend).
pub(super) async fn show(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
    let page = page(&state, &context, None, query.contains_key("gemt")).await?;
    render(&page)
}

/// `POST /budget/forbrug`: records the actual spend of a line in a year, audited by the store
/// in the same transaction; the form comes back with its problems otherwise.
pub(super) async fn record_actual(
    State(state): State<AppState>,
    context: PageContext,
    user: CurrentUser,
    Form(input): Form<Submitted>,
) -> Result<Response, AppError> {
    let lang = context.lang;
    let mut problems = Problems::default();
    let year = text(&input, "aar").parse::<i32>().ok();
    if year.is_none() {
        problems.add("aar", lang.texts().budget_actual_year_invalid);
    }
    let amount = parse_decimal(text(&input, "forbrug"));
    if amount.is_none() {
        problems.add("forbrug", lang.texts().budget_actual_amount_invalid);
    }
    if let (Some(year), Some(amount)) = (year, amount) {
        let actual = BudgetActual { line: text(&input, "linje").to_owned(), year, amount };
        match state.store.record_budget_actual(&actual, &user.actor(), Utc::now()).await {
            Ok(()) => return Ok(Redirect::to("/budget?gemt=1#forbrug").into_response()),
            Err(error) => problems = Problems::from_case(error, "linje", lang)?,
        }
    }
    let page = page(&state, &context, Some((&input, &problems)), false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

async fn page(
    state: &AppState,
    context: &PageContext,
    came_back: Option<(&Submitted, &Problems)>,
    saved: bool,
) -> Result<BudgetPage, AppError> {
    let budget = state.store.budget().await?;
    let lang = context.lang;
    let mut recorded = Vec::new();
    for year in &budget.years {
        recorded.push(state.store.budget_actuals(*year).await?);
    }
    let may_record = policy::allows(ACTUAL_ROUTE, context.user.as_ref().map(CurrentUser::role));
    Ok(BudgetPage {
        chrome: context.chrome(Nav::Budget),
        years: budget.years.clone(),
        lines: lines(&budget, lang),
        totals: budget.totals().into_iter().map(|(_, total)| lang.millions(total)).collect(),
        chart: chart(&budget, lang).to_svg(|amount| lang.millions(amount)),
        actuals: actuals(&budget, &recorded, lang),
        actual_form: may_record.then(|| actual_form(&budget, came_back, lang)),
        saved,
    })
}

/// The lines with recorded spend, each with one cell per budget year.
fn actuals(
    budget: &Budget,
    recorded: &[BTreeMap<String, rust_decimal::Decimal>],
    lang: Lang,
) -> Vec<ActualRow> {
    budget
        .lines
        .iter()
        .filter(|line| recorded.iter().any(|year| year.contains_key(&line.name)))
        .map(|line| ActualRow {
            name: line.name.clone(),
            cells: recorded
                .iter()
                .map(|year| year.get(&line.name).map(|a| lang.millions(*a)).unwrap_or_default())
                .collect(),
        })
        .collect()
}

fn actual_form(budget: &Budget, came_back: Option<(&Submitted, &Problems)>, lang: Lang) -> FormView {
    let t = lang.texts();
    let lines = budget.lines.iter().map(|l| (l.name.clone(), l.name.clone())).collect();
    let years: Vec<(String, String)> = budget.years.iter().map(|y| (y.to_string(), y.to_string())).collect();
    let latest = budget.years.last().map(i32::to_string).unwrap_or_default();
    let form = FormView::new("forbrug", ACTUAL_ROUTE, t.budget_actual_legend, t.case)
        .with_input(came_back.map(|(input, _)| input))
        .select("linje", t.col_budget_line, Some(t.budget_actual_choose_line), lines, "")
        .required()
        .select("aar", t.budget_actual_year, None, years, &latest)
        .required()
        .text("forbrug", t.budget_actual_amount, "")
        .required()
        .hint(t.budget_actual_amount_hint);
    match came_back {
        Some((_, problems)) => form.problems(problems, None),
        None => form,
    }
}

fn lines(budget: &Budget, lang: Lang) -> Vec<LineView> {
    budget
        .lines
        .iter()
        .map(|line| LineView {
            name: line.name.clone(),
            href: line.initiative.as_deref().map(initiative_href),
            cells: line.cells.iter().map(|&c| CellView::new(c, lang)).collect(),
        })
        .collect()
}

/// The budget as a stacked bar chart: one bar per year, one segment per large line and one for
/// the rest.
fn chart(budget: &Budget, lang: Lang) -> StackedBars {
    let t = lang.texts();
    StackedBars {
        label: t.chart_label.to_owned(),
        unit: t.unit_millions.to_owned(),
        categories: budget.years.iter().map(i32::to_string).collect(),
        series: budget
            .lines
            .iter()
            .map(|line| Series {
                name: line.name.clone(),
                values: line.cells.iter().map(|c| c.value()).collect(),
            })
            .collect(),
    }
    .keep_largest(|count| format!("{} ({count})", t.chart_other_lines))
}
