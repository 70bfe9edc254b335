//! `/omraader/{id}`: one area's safety index over the years: T with its bootstrap interval as
//! a chart, the components R, V, U, N in a table, and the category history in words. Survey
//! figures of a year with fewer respondents than the disclosure threshold are withheld. The
//! table downloads as CSV or XLSX from `/omraader/{id}/eksport` (`crate::exports`).

use super::forms::Submitted;
use super::index_common::{area_href, category_cell, decimal, interval, legend, maybe, percent, LegendItem};
use super::{render, Chrome, Nav, PageContext};
use crate::exports::ExportFormat;
use crate::i18n::{IndexTexts, Lang};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use sikkerby_app::index_publish::publish_areas;
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::safety_index::{AreaIndex, Category, IndexConfig, IndexResult};
use sikkerby_reports::chart::{trend_chart, ChartPoint, ChartScale, Trend};
use sikkerby_reports::table::{Table, TableCell};

/// One year of the area as published.
struct Published {
    year: i32,
    figures: AreaIndex,
    /// Survey figures withheld (too few respondents).
    withheld: bool,
}

/// One year of the components table.
struct YearRow {
    year: i32,
    r: String,
    v: String,
    u: String,
    n: String,
    t: String,
    interval: String,
    category: &'static str,
    respondents: String,
    n_eff: String,
    uncertain: bool,
    /// The survey figures are withheld: `respondents` is the disclosure label.
    withheld: bool,
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    chrome: Chrome,
    name: String,
    district: String,
    base_year: String,
    config_version: u32,
    rows: Vec<YearRow>,
    chart: Option<String>,
    history: Vec<String>,
    legend: Vec<LegendItem>,
    withheld_label: Option<String>,
    uncertain: bool,
    /// The table's download (`crate::exports`).
    export: String,
}

/// `GET /omraader/{id}`; 404 for an area that is not known.
pub(super) async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    context: PageContext,
) -> Result<Html<String>, AppError> {
    render(&build(&state, &id, &context).await?)
}

/// `GET /omraader/{id}/eksport?format=csv|xlsx`: the components table as a download, built from
/// the same published page, so it holds exactly the figures and marks the page shows.
pub(super) async fn export(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(input): Query<Submitted>,
    context: PageContext,
) -> Result<Response, AppError> {
    let format = ExportFormat::of(input.get("format").map(String::as_str), context.lang)?;
    let page = build(&state, &id, &context).await?;
    crate::exports::download(&table_of(&page, context.lang), format, &format!("tryghed-{id}"))
}

/// The components table as the page shows it, with the page's notes.
fn table_of(page: &AreaPage, lang: Lang) -> Table {
    let t = lang.texts().idx;
    let headers = [
        t.year,
        t.col_r,
        t.col_v,
        t.col_u,
        t.col_n,
        t.col_t,
        t.col_interval,
        t.col_category,
        t.col_respondents,
        t.col_n_eff,
    ];
    let rows = page
        .rows
        .iter()
        .map(|r| {
            let figure = |text: &String| TableCell::Figure(text.clone());
            vec![
                TableCell::Text(r.year.to_string()),
                figure(&r.r),
                figure(&r.v),
                figure(&r.u),
                figure(&r.n),
                figure(&r.t),
                figure(&r.interval),
                TableCell::Text(category_cell(r.category, r.uncertain, lang)),
                if r.withheld { TableCell::Withheld(r.respondents.clone()) } else { figure(&r.respondents) },
                figure(&r.n_eff),
            ]
        })
        .collect();
    let mut notes =
        vec![format!("{}: {} · {} {}", t.base_year, page.base_year, t.config_version, page.config_version)];
    if page.uncertain {
        notes.push(t.uncertain_note.to_owned());
    }
    if let Some(label) = &page.withheld_label {
        notes.push(format!("{label}: {}", t.withheld_note));
    }
    let title = format!("{}, {}: {}", page.name, page.district, t.components_caption);
    Table { title, headers: headers.map(str::to_owned).to_vec(), rows, notes, notation: lang.notation() }
}

/// The area's page for a request; 404 for an area that is not known.
async fn build(state: &AppState, id: &str, context: &PageContext) -> Result<AreaPage, AppError> {
    let geography = state.store.geography().await?;
    let area = geography
        .areas
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(|| AppError::NotFound(format!("area {id}")))?;
    let district = geography.districts.iter().find(|d| d.id == area.district);
    let (index, config) = state.evaluator.index().await?;
    let rules = state.store.disclosure_rules().await?;
    let lang = context.lang;
    let years = published_years(&index, id, &rules);
    let rows: Vec<YearRow> = years.iter().map(|p| year_row(p, &rules, lang)).collect();
    let withheld = years.iter().any(|p| p.withheld);
    Ok(AreaPage {
        chrome: context.chrome(Nav::Index),
        name: area.name.clone(),
        district: district.map_or_else(|| area.district.clone(), |d| d.name.clone()),
        base_year: index.base_year.map_or_else(String::new, |y| y.to_string()),
        config_version: index.config_version,
        chart: chart(&years, &config, lang),
        history: history(&years, lang),
        legend: legend(lang),
        withheld_label: withheld.then(|| rules.label()),
        uncertain: rows.iter().any(|r| r.uncertain),
        rows,
        export: format!("{}/eksport", area_href(id)),
    })
}

/// The area's figures per year as published, with whether survey figures were withheld.
fn published_years(index: &IndexResult, id: &str, rules: &DisclosureRules) -> Vec<Published> {
    index
        .years
        .iter()
        .filter_map(|y| {
            let p = publish_areas(y, Some(rules)).into_iter().find(|p| p.area.area == id)?;
            Some(Published { year: y.year, figures: p.area, withheld: p.withheld })
        })
        .collect()
}

fn year_row(p: &Published, rules: &DisclosureRules, lang: Lang) -> YearRow {
    let (a, withheld) = (&p.figures, p.withheld);
    YearRow {
        year: p.year,
        r: maybe(a.r, 1, lang),
        v: percent(a.v, lang),
        u: percent(a.u, lang),
        n: percent(a.night, lang),
        t: maybe(a.t, 1, lang),
        interval: interval(a.t_interval, 1, lang),
        category: lang.texts().idx.category(a.category),
        respondents: if withheld { rules.label() } else { a.n.to_string() },
        n_eff: if withheld { String::new() } else { decimal(a.n_eff, 1, lang) },
        uncertain: a.uncertain,
        withheld,
    }
}

/// The area's T per year with its bootstrap band and the category cut points, drawn by the one
/// trend chart; a year without a T is a gap.
fn chart(years: &[Published], config: &IndexConfig, lang: Lang) -> Option<String> {
    let t = lang.texts().idx;
    if years.iter().all(|p| p.figures.t.is_none()) {
        return None;
    }
    let points: Vec<ChartPoint> = years
        .iter()
        .map(|p| {
            let a = &p.figures;
            // The figure written above the dot: T alone; its interval and category are in the
            // table and the list beside the chart.
            let text = match a.t {
                Some(value) => format!("T {}", decimal(value, 1, lang)),
                None => lang.texts().res.no_data.to_owned(),
            };
            ChartPoint { year: p.year, value: a.t, text, band: a.t_interval }
        })
        .collect();
    let c = &config.cut_points;
    let cuts = [
        (c.behov_for_indsats, Category::BehovForIndsats),
        (c.markant, Category::Markant),
        (c.intensiveret, Category::Intensiveret),
    ]
    .map(|(value, category)| (value, format!("{} {}", decimal(value, 0, lang), t.category(Some(category)))));
    Some(trend_chart(&Trend {
        label: t.area_chart_label,
        points: &points,
        target: None,
        references: &cuts,
        scale: ChartScale::Free,
    }))
}

/// The category of each year in words, with how it moved from the year before.
fn history(years: &[Published], lang: Lang) -> Vec<String> {
    let t: &IndexTexts = lang.texts().idx;
    let mut previous: Option<Option<Category>> = None;
    let mut lines = Vec::new();
    for p in years {
        let a = &p.figures;
        let words = t.category(a.category);
        let movement = match (previous, a.category) {
            (None, _) => t.history_first.to_owned(),
            (Some(before), now) if before == now => t.history_same.to_owned(),
            (Some(before), now) if now > before => {
                format!("{} {}", t.history_up, t.category(before).to_lowercase())
            }
            (Some(before), _) => format!("{} {}", t.history_down, t.category(before).to_lowercase()),
        };
        let probability = a
            .category
            .zip(a.category_probabilities)
            .map(|(c, p)| format!("; {} {}", t.history_probability, percent(Some(p.get(c)), lang)))
            .unwrap_or_default();
        lines.push(format!("{}: {words} ({movement}{probability})", p.year));
        previous = Some(a.category);
    }
    lines
}
