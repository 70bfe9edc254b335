//! `/figur-1`: the memo's missing Figure 1, regenerated from data as a table of scope (rows)
//! against crime-cycle phase (columns) with the initiatives in the cells.

use super::portfolio::initiative_href;
use super::{render, Chrome, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use sikkerby_domain::portfolio::CrimeCyclePhase;

struct Link {
    code: String,
    name: String,
    href: String,
}

struct FigureRow {
    scope: &'static str,
    cells: Vec<Vec<Link>>,
}

#[derive(Template)]
#[template(path = "figure.html")]
struct FigurePage {
    chrome: Chrome,
    phases: Vec<&'static str>,
    rows: Vec<FigureRow>,
}

/// `GET /figur-1`.
pub(super) async fn show(
    State(state): State<AppState>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
    let portfolio = state.store.portfolio().await?;
    let t = context.t();
    let rows = portfolio
        .figure_one()
        .into_iter()
        .map(|(scope, cells)| FigureRow {
            scope: t.scope_heading(scope),
            cells: cells
                .into_iter()
                .map(|(_, members)| {
                    members
                        .into_iter()
                        .map(|i| Link {
                            code: i.code.to_string(),
                            name: i.name.clone(),
                            href: initiative_href(i.code.as_str()),
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    render(&FigurePage {
        chrome: context.chrome(Nav::Figure),
        phases: CrimeCyclePhase::ALL.iter().map(|&p| t.phase(p)).collect(),
        rows,
    })
}
