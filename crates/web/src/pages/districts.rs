//! `/bydele?aar=YYYY`: the 12 districts as a tile grid, each tile with the district's name and
//! the most serious category among its areas in words and as a pattern, and below it every area
//! with its category, linked to the area's page. Default: the latest year with data.

use super::index_common::{area_href, district_rank, legend, maybe, LegendItem};
use super::index_svg::{tile_grid, Tile};
use super::{render, Chrome, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use sikkerby_app::index_publish::publish_areas;
use sikkerby_domain::geography::Geography;
use sikkerby_domain::safety_index::{Category, YearIndex};
use std::collections::HashMap;

struct AreaItem {
    href: String,
    name: String,
    category: &'static str,
    t: String,
    uncertain: bool,
}

struct DistrictView {
    id: String,
    name: String,
    category: &'static str,
    areas: Vec<AreaItem>,
}

struct YearLink {
    year: i32,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "districts.html")]
struct DistrictsPage {
    chrome: Chrome,
    year: Option<i32>,
    years: Vec<YearLink>,
    chart: String,
    districts: Vec<DistrictView>,
    legend: Vec<LegendItem>,
}

/// The year asked for in `?aar=`: a 422 when it is not a year, a 404 when it has no data.
pub(super) fn chosen_year(query: &HashMap<String, String>, years: &[i32]) -> Result<Option<i32>, AppError> {
    match query.get("aar").map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(years.last().copied()),
        Some(text) => {
            let year: i32 = text.parse().map_err(|_| AppError::Unprocessable {
                field: "aar",
                message: "must be a year like 2013".into(),
            })?;
            if years.contains(&year) {
                Ok(Some(year))
            } else {
                Err(AppError::NotFound(format!("safety index for {year}")))
            }
        }
    }
}

/// `GET /bydele`.
pub(super) async fn show(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
    let (index, _) = state.evaluator.index().await?;
    let years: Vec<i32> = index.years.iter().map(|y| y.year).collect();
    let year = chosen_year(&query, &years)?;
    let geography = state.store.geography().await?;
    let rules = state.store.disclosure_rules().await?;
    let lang = context.lang;
    let t = lang.texts().idx;
    let year_index = year.and_then(|y| index.year(y));
    let districts = districts(&geography, year_index, &rules, lang);
    let tiles: Vec<Tile> = districts
        .iter()
        .map(|d| Tile {
            name: d.name.clone(),
            href: format!("#bydel-{}", d.view.id),
            category: d.areas_category,
            words: d.view.category.to_owned(),
            detail: format!("{} {}", d.view.areas.len(), t.areas_count),
        })
        .collect();
    render(&DistrictsPage {
        chrome: context.chrome(Nav::Index),
        year,
        years: years
            .iter()
            .map(|&y| YearLink { year: y, href: format!("/bydele?aar={y}"), current: Some(y) == year })
            .collect(),
        chart: tile_grid(t.districts_chart_label, &tiles),
        districts: districts.into_iter().map(|d| d.view).collect(),
        legend: legend(lang),
    })
}

struct District {
    name: String,
    areas_category: Option<Category>,
    view: DistrictView,
}

fn districts(
    geography: &Geography,
    year: Option<&YearIndex>,
    rules: &sikkerby_domain::disclosure::DisclosureRules,
    lang: crate::i18n::Lang,
) -> Vec<District> {
    let t = lang.texts().idx;
    let published = year.map(|y| publish_areas(y, Some(rules))).unwrap_or_default();
    let name_of = |id: &str| geography.area_name(id);
    let mut out: Vec<District> = geography
        .districts
        .iter()
        .map(|d| {
            let mine: Vec<_> = published.iter().filter(|p| p.area.district == d.id).collect();
            let worst = mine.iter().filter_map(|p| p.area.category).max();
            let mut areas: Vec<AreaItem> = mine
                .iter()
                .map(|p| AreaItem {
                    href: area_href(&p.area.area),
                    name: name_of(&p.area.area),
                    category: t.category(p.area.category),
                    t: maybe(p.area.t, 1, lang),
                    uncertain: p.area.uncertain,
                })
                .collect();
            areas.sort_by(|a, b| a.name.cmp(&b.name));
            District {
                name: d.name.clone(),
                areas_category: worst,
                view: DistrictView {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    category: t.category(worst),
                    areas,
                },
            }
        })
        .collect();
    out.sort_by_key(|d| (district_rank(&d.view.id), d.view.id.clone()));
    out
}
