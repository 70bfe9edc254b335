//! `/budget`: the memo's Tabel 1 with computed totals, both kinds of empty cell explained, and a
//! stacked bar chart of the same figures.

use super::portfolio::initiative_href;
use super::{render, Chrome, Nav, PageContext};
use crate::charts::{Series, StackedBars};
use crate::format::CellView;
use crate::i18n::Lang;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use sikkerby_domain::budget::Budget;

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
}

/// `GET /budget`.
pub(super) async fn show(
    State(state): State<AppState>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
    let budget = state.store.budget().await?;
    let lang = context.lang;
    render(&BudgetPage {
        chrome: context.chrome(Nav::Budget),
        years: budget.years.clone(),
        lines: lines(&budget, lang),
        totals: budget.totals().into_iter().map(|(_, total)| lang.millions(total)).collect(),
        chart: chart(&budget, lang).to_svg(|amount| lang.millions(amount)),
    })
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
