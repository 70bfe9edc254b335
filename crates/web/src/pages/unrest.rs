//! `/uroligeomraader?halvaar=2013H1`: the half-yearly picture of areas of unrest, per district:
//! the safety index of its areas, the assessments of the half-year, and the young people from
//! the district in the initiatives, the counts through disclosure control (`sikkerby_app::unrest`).

use super::forms::long_date;
use super::index_common::{area_href, district_rank, maybe};
use super::{render, Chrome, Nav, PageContext};
use crate::i18n::Lang;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use sikkerby_app::unrest::DistrictPicture;
use sikkerby_domain::disclosure::{Cell, DisclosureRules};
use sikkerby_domain::geography::Geography;
use sikkerby_domain::half_year::HalfYear;
use std::collections::HashMap;

struct AreaRow {
    href: String,
    name: String,
    t: String,
    category: &'static str,
    uncertain: bool,
}

struct AssessmentRow {
    area: String,
    source: String,
    level: &'static str,
    text: String,
}

struct Block {
    id: String,
    name: String,
    areas: Vec<AreaRow>,
    assessments: Vec<AssessmentRow>,
    active: String,
    started: String,
}

struct Link {
    text: String,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "unrest.html")]
struct UnrestPage {
    chrome: Chrome,
    half_year: String,
    last_day: String,
    index_year: Option<i32>,
    choices: Vec<Link>,
    blocks: Vec<Block>,
    total_active: String,
    total_started: String,
}

fn cell(c: Cell, rules: &DisclosureRules) -> String {
    match c {
        Cell::Shown(n) => n.to_string(),
        Cell::Suppressed => rules.label(),
    }
}

/// The districts in map order, each with its areas, assessments and counts.
fn blocks(
    districts: &[DistrictPicture],
    geography: &Geography,
    rules: &DisclosureRules,
    lang: Lang,
) -> Vec<Block> {
    let t = lang.texts().idx;
    let area_name = |id: &str| geography.area_name(id);
    let mut districts: Vec<&DistrictPicture> = districts.iter().collect();
    districts.sort_by_key(|d| (district_rank(&d.district.id), d.district.id.clone()));
    districts
        .into_iter()
        .map(|d| Block {
            id: d.district.id.clone(),
            name: d.district.name.clone(),
            areas: d
                .areas
                .iter()
                .map(|a| AreaRow {
                    href: area_href(&a.area.id),
                    name: a.area.name.clone(),
                    t: maybe(a.t, 1, lang),
                    category: t.category(a.category),
                    uncertain: a.uncertain,
                })
                .collect(),
            assessments: d
                .assessments
                .iter()
                .map(|a| AssessmentRow {
                    area: area_name(&a.area),
                    source: t.source(&a.source),
                    level: t.assessment(a.assessment),
                    text: a.text.clone().unwrap_or_default(),
                })
                .collect(),
            active: cell(d.active, rules),
            started: cell(d.started, rules),
        })
        .collect()
}

/// `GET /uroligeomraader`; 422 for a `halvaar` that is not like `2013H1`.
pub(super) async fn show(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
    let lang = context.lang;
    let t = lang.texts().idx;
    let known = state.store.assessment_half_years().await?;
    let half = match query.get("halvaar").map(|v| v.trim()).filter(|v| !v.is_empty()) {
        Some(text) => text
            .parse::<HalfYear>()
            .map_err(|_| AppError::Unprocessable { field: "halvaar", message: t.bad_half_year.into() })?,
        None => known.first().copied().unwrap_or_else(|| HalfYear::of(chrono::Local::now().date_naive())),
    };
    let rules = state.store.disclosure_rules().await?;
    let picture = state.evaluator.half_year_picture(half, Some(&rules)).await?;
    let geography = state.store.geography().await?;
    let blocks = blocks(&picture.districts, &geography, &rules, lang);
    render(&UnrestPage {
        chrome: context.chrome(Nav::Unrest),
        half_year: t.half_year(half),
        last_day: long_date(half.last_day(), lang),
        index_year: picture.index_year,
        choices: known
            .iter()
            .map(|h| Link {
                text: t.half_year(*h),
                href: format!("/uroligeomraader?halvaar={h}"),
                current: *h == half,
            })
            .collect(),
        blocks,
        total_active: cell(picture.active_total, &rules),
        total_started: cell(picture.started_total, &rules),
    })
}
