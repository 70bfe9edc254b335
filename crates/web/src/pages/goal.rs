//! `/maal`: the goal tracker for Sikker By goal 1 (criterion C19): the count of areas needing
//! marked or intensified effort in the base year and every year since, the target line at half
//! the base count, and the status of each year in words. The table downloads as CSV or XLSX
//! from `/maal/eksport` (`crate::exports`).

use super::figures::{status_view, StatusView};
use super::forms::Submitted;
use super::index_common::{decimal, percent};
use super::{render, Chrome, Nav, PageContext};
use crate::exports::ExportFormat;
use crate::i18n::Lang;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use sikkerby_app::index_criteria::c19_status;
use sikkerby_domain::criteria::Measure;
use sikkerby_reports::chart::{trend_chart, ChartPoint, ChartScale, Trend};
use sikkerby_reports::table::{Table, TableCell};

struct YearRow {
    year: i32,
    count: usize,
    share: String,
    projection: String,
    uncategorised: usize,
    status: StatusView,
}

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage {
    chrome: Chrome,
    memo_words: String,
    base_year: Option<i32>,
    base_count: usize,
    target: String,
    target_year: i32,
    rows: Vec<YearRow>,
    chart: Option<String>,
    /// The table's download (`crate::exports`).
    export: &'static str,
}

/// `GET /maal`.
pub(super) async fn show(
    State(state): State<AppState>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
    render(&build(&state, &context).await?)
}

/// `GET /maal/eksport?format=csv|xlsx`: the goal's table as a download, built from the same page.
pub(super) async fn export(
    State(state): State<AppState>,
    Query(input): Query<Submitted>,
    context: PageContext,
) -> Result<Response, AppError> {
    let format = ExportFormat::of(input.get("format").map(String::as_str), context.lang)?;
    let page = build(&state, &context).await?;
    crate::exports::download(&table_of(&page, context.lang), format, "maal-1")
}

/// The goal's table as the page shows it, with the base year, its count and the target as notes.
fn table_of(page: &GoalPage, lang: Lang) -> Table {
    let t = lang.texts().idx;
    let headers =
        [t.year, t.col_count, t.col_share_of_base, t.col_projection, t.col_uncategorised, t.col_status];
    let rows = page
        .rows
        .iter()
        .map(|r| {
            vec![
                TableCell::Text(r.year.to_string()),
                TableCell::Figure(r.count.to_string()),
                TableCell::Figure(r.share.clone()),
                TableCell::Figure(r.projection.clone()),
                TableCell::Figure(r.uncategorised.to_string()),
                TableCell::Text(r.status.word.to_owned()),
            ]
        })
        .collect();
    let base_year = page.base_year.map_or_else(String::new, |y| y.to_string());
    let notes = vec![
        format!("{}: {base_year}", t.base_year),
        format!("{}: {}", t.goal_base_count, page.base_count),
        format!("{} {} {} {}", t.goal_target_line, page.target, t.goal_target_year, page.target_year),
    ];
    Table {
        title: t.goal_caption.to_owned(),
        headers: headers.map(str::to_owned).to_vec(),
        rows,
        notes,
        notation: lang.notation(),
    }
}

/// The goal tracker's page; 404 without the goal criterion.
async fn build(state: &AppState, context: &PageContext) -> Result<GoalPage, AppError> {
    let (index, _) = state.evaluator.index().await?;
    let criteria = state.store.criteria().await?;
    let lang = context.lang;
    let t = lang.texts().idx;
    // The seed guarantees the goal criterion and its deadline (domain::seed); without them there
    // is no goal page.
    let goal = criteria.iter().find(|c| c.measure == Some(Measure::AreasNeedingEffortHalved));
    let (goal, deadline) = goal
        .and_then(|c| Some((c, c.deadline_year?)))
        .ok_or_else(|| AppError::NotFound("goal criterion".into()))?;
    let statuses: Vec<_> = index
        .years
        .iter()
        .filter_map(|y| c19_status(&index, y.year, deadline).map(|s| (y.year, s)))
        .collect();
    let base_count = statuses.first().map_or(0, |(_, s)| s.goal.base_count);
    let target = base_count as f64 / 2.0;
    let rows: Vec<YearRow> = statuses
        .iter()
        .map(|(year, s)| YearRow {
            year: *year,
            count: s.goal.count,
            share: percent(s.goal.ratio, lang),
            projection: percent(s.projection, lang),
            uncategorised: s.goal.uncategorised,
            status: status_view(s.status, lang),
        })
        .collect();
    let target_text = decimal(target, if base_count % 2 == 0 { 0 } else { 1 }, lang);
    let points: Vec<ChartPoint> = rows
        .iter()
        .map(|r| ChartPoint {
            year: r.year,
            value: Some(r.count as f64),
            // The count alone above the dot; each year's status is in the table beside it.
            text: r.count.to_string(),
            band: None,
        })
        .collect();
    let target_words = format!("{} {target_text}", t.goal_target_line);
    let chart = (points.len() > 1).then(|| {
        trend_chart(&Trend {
            label: t.goal_chart_label,
            points: &points,
            target: Some((target, target_words.as_str())),
            references: &[],
            scale: ChartScale::Free,
        })
    });
    Ok(GoalPage {
        chrome: context.chrome(Nav::Goal),
        memo_words: goal.memo_words.trim().to_owned(),
        base_year: statuses.first().map(|(_, s)| s.base_year),
        base_count,
        target: target_text,
        target_year: deadline,
        rows,
        chart,
        export: "/maal/eksport",
    })
}
