//! `/maal`: the goal tracker for Sikker By goal 1 (criterion C19): the count of areas needing
//! marked or intensified effort in the base year and every year since, the target line at half
//! the base count, and the status of each year in words.

use super::figures::{status_view, StatusView};
use super::index_common::{decimal, percent};
use super::{render, Chrome, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use sikkerby_app::index_criteria::c19_status;
use sikkerby_domain::criteria::Measure;
use sikkerby_reports::chart::{trend_chart, ChartPoint, ChartScale, Trend};

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
}

/// `GET /maal`.
pub(super) async fn show(
    State(state): State<AppState>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
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
    render(&GoalPage {
        chrome: context.chrome(Nav::Goal),
        memo_words: goal.memo_words.trim().to_owned(),
        base_year: statuses.first().map(|(_, s)| s.base_year),
        base_count,
        target: target_text,
        target_year: deadline,
        rows,
        chart,
    })
}
