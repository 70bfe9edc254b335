//! `/bydele?aar=YYYY`: the 12 districts as a tile grid, each tile with the district's name and
//! the most serious category among its areas in words and as a pattern, and below it every area
//! with its category, linked to the area's page. Default: the latest year with data. The list
//! of areas downloads as CSV or XLSX from `/bydele/eksport?aar=` (`crate::exports`).

use super::index_common::{area_href, category_cell, district_rank, legend, maybe, LegendItem};
use super::index_svg::{tile_grid, Tile};
use super::{render, Chrome, Nav, PageContext};
use crate::exports::ExportFormat;
use crate::i18n::Lang;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use sikkerby_app::index_publish::publish_areas;
use sikkerby_domain::geography::Geography;
use sikkerby_domain::safety_index::{Category, YearIndex};
use sikkerby_reports::table::{Table, TableCell};
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
    /// The download of the areas' list for the year shown (`crate::exports`).
    export: String,
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
    render(&build(&state, &query, &context).await?)
}

/// `GET /bydele/eksport?aar=&format=csv|xlsx`: every area of the year shown with its district,
/// category and T, as the page lists them; 404 while there are no index data.
pub(super) async fn export(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    context: PageContext,
) -> Result<Response, AppError> {
    let format = ExportFormat::of(query.get("format").map(String::as_str), context.lang)?;
    let page = build(&state, &query, &context).await?;
    let year = page.year.ok_or_else(|| AppError::NotFound("safety index".into()))?;
    crate::exports::download(&table_of(&page, year, context.lang), format, &format!("tryghed-bydele-{year}"))
}

/// The page's list of areas as a table: a row per area under its district, and a row for a
/// district without areas.
fn table_of(page: &DistrictsPage, year: i32, lang: Lang) -> Table {
    let t = lang.texts().idx;
    let headers = [t.col_district, t.col_district_category, t.col_area, t.col_category, t.col_t];
    let mut rows: Vec<Vec<TableCell>> = Vec::new();
    for d in &page.districts {
        let district = || [TableCell::Text(d.name.clone()), TableCell::Text(d.category.to_owned())];
        if d.areas.is_empty() {
            rows.push(
                district()
                    .into_iter()
                    .chain(std::iter::repeat_n(TableCell::Text(String::new()), 3))
                    .collect(),
            );
        }
        for a in &d.areas {
            let category = category_cell(a.category, a.uncertain, lang);
            let area =
                [TableCell::Text(a.name.clone()), TableCell::Text(category), TableCell::Figure(a.t.clone())];
            rows.push(district().into_iter().chain(area).collect());
        }
    }
    let mut notes = vec![t.district_category_note.to_owned()];
    if page.districts.iter().flat_map(|d| &d.areas).any(|a| a.uncertain) {
        notes.push(t.uncertain_note.to_owned());
    }
    let title = format!("{} {year}", t.districts_title);
    Table { title, headers: headers.map(str::to_owned).to_vec(), rows, notes, notation: lang.notation() }
}

/// The districts page for a request: a 422 for an `aar` that is not a year, a 404 for one
/// without data.
async fn build(
    state: &AppState,
    query: &HashMap<String, String>,
    context: &PageContext,
) -> Result<DistrictsPage, AppError> {
    let (index, _) = state.evaluator.index().await?;
    let years: Vec<i32> = index.years.iter().map(|y| y.year).collect();
    let year = chosen_year(query, &years)?;
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
    Ok(DistrictsPage {
        chrome: context.chrome(Nav::Index),
        year,
        years: years
            .iter()
            .map(|&y| YearLink { year: y, href: format!("/bydele?aar={y}"), current: Some(y) == year })
            .collect(),
        chart: tile_grid(t.districts_chart_label, &tiles),
        districts: districts.into_iter().map(|d| d.view).collect(),
        legend: legend(lang),
        export: year.map(|y| format!("/bydele/eksport?aar={y}")).unwrap_or_default(),
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
