//! `/resultater?year=&as_of=&initiative=`: every initiative with its criteria for a calendar year
//! as of a date: status in words, icon and colour; value against target; Wilson interval;
//! unknowns; pending members; the memo's words; a trend over the years; KRIMITEAM's descriptive
//! figures. All figures are disclosure-controlled (`crate::results`).

use super::figures::{number, of_result, status_view, target, Figures, Scale, Shown, StatusView};
use super::forms::{long_date, today, FormView, Problems, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::auth::CurrentUser;
use crate::exports::ExportFormat;
use crate::i18n::Lang;
use crate::results::{
    published_at, released_on, series_at, Problem, Published, QueryError, ResultsQuery, Selection,
};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use sikkerby_domain::criteria::CriterionDefinition;
use sikkerby_domain::engine::Status;
use sikkerby_domain::portfolio::Portfolio;
use sikkerby_domain::publish::{Mark, PublishedResult};
use sikkerby_reports::chart::{trend_chart, ChartPoint, ChartScale, Trend};
use sikkerby_reports::table::{Table, TableCell};
use sikkerby_store::generation::FiguresStamp;

/// One criterion of the dashboard.
struct Row {
    id: String,
    words: String,
    status: StatusView,
    figures: Figures,
    target: String,
    projection: Option<String>,
    pending: Shown,
    trend: String,
    drill: String,
}

/// The criteria of one initiative.
struct Block {
    code: String,
    name: String,
    rows: Vec<Row>,
}

/// A descriptive figure.
struct FigureRow {
    text: String,
    value: Shown,
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    chrome: Chrome,
    form: FormView,
    valid: bool,
    year: i32,
    as_of: String,
    /// The year is settled: its figures are as of its settled date, not the date asked for.
    settled: bool,
    blocks: Vec<Block>,
    descriptive: Vec<FigureRow>,
    without: Vec<String>,
    label: String,
    /// The download of the page's table, with the page's selection (`&format=` is added).
    export: String,
    /// Indicator entries awaiting the reader's approval, and the year of the first.
    pending_reviews: Option<(usize, i32)>,
}

/// The query of a results page from its GET form.
pub(super) fn query_of(input: &Submitted) -> ResultsQuery {
    let get = |name: &str| input.get(name).cloned();
    ResultsQuery { year: get("year"), as_of: get("as_of"), initiative: get("initiative"), by: get("by") }
}

/// The problems of a query, in the reader's language, for the filter form.
pub(super) fn problems_of(errors: &[QueryError], lang: Lang) -> Problems {
    let t = lang.texts().res;
    let mut problems = Problems::default();
    for e in errors {
        let message = match e.problem {
            Problem::Year => t.msg_year,
            Problem::Date => t.msg_date,
            Problem::MonthEnd => t.msg_month_end,
            Problem::Initiative => t.msg_initiative,
            Problem::Dimension => t.msg_dimension,
        };
        problems.add(e.field, message);
    }
    problems
}

/// The year and as-of fields that both results pages' forms start with.
pub(super) fn period_form(
    id: &'static str,
    action: String,
    input: &Submitted,
    lang: Lang,
    year: i32,
) -> FormView {
    let (t, r) = (lang.texts().case, lang.texts().res);
    let years =
        (2012.min(year)..=today().year().max(year)).rev().map(|y| (y.to_string(), y.to_string())).collect();
    let mut form = FormView::new(id, action, r.filter_legend, t)
        .get(r.show)
        .with_input(Some(input))
        .select("year", r.fld_year, None, years, &year.to_string())
        .text("as_of", r.fld_as_of, "")
        .hint(r.as_of_hint);
    form.errors_heading = r.errors_heading;
    if let Some(field) = form.fields.first_mut().filter(|f| f.value.is_empty()) {
        field.value = year.to_string();
        field.choices.iter_mut().for_each(|c| c.selected = c.value == field.value);
    }
    form
}

/// `GET /resultater`: the dashboard.
pub(super) async fn show(
    State(state): State<AppState>,
    Query(input): Query<Submitted>,
    context: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let (mut page, status) = build(&state, &input, &context).await?;
    page.pending_reviews = super::indicators::reviewable(&state, &user, None).await?.filter(|(n, _)| *n > 0);
    Ok((status, render(&page)?).into_response())
}

/// `GET /resultater/eksport?format=csv|xlsx&year=&as_of=&initiative=`: the dashboard's table as a
/// download, built from the same published page (docs/formats.md, "Table exports").
pub(super) async fn export(
    State(state): State<AppState>,
    Query(input): Query<Submitted>,
    context: PageContext,
) -> Result<Response, AppError> {
    let format = ExportFormat::of(input.get("format").map(String::as_str), context.lang)?;
    let (page, status) = build(&state, &input, &context).await?;
    if status != StatusCode::OK {
        return Err(AppError::Unprocessable {
            field: "year",
            message: context.t().res.export_invalid.to_owned(),
        });
    }
    let file = format!("resultater-{}", page.year);
    crate::exports::download(&table_of(&page, context.lang), format, &file)
}

/// The dashboard's criteria as one table: a row per criterion with the figures the page shows.
fn table_of(page: &ResultsPage, lang: Lang) -> Table {
    let t = lang.texts().res;
    let headers = [
        t.fld_initiative,
        t.col_criterion,
        t.col_status,
        t.col_value,
        t.col_target,
        t.col_numerator,
        t.col_denominator,
        t.col_interval,
        t.col_unknown,
        t.col_pending,
    ];
    let rows = page
        .blocks
        .iter()
        .flat_map(|b| b.rows.iter().map(move |r| (b, r)))
        .map(|(b, r)| {
            // Numerator, denominator and interval belong to a share; the page shows them only there.
            let share = |cell: TableCell| if r.figures.share { cell } else { TableCell::Text(String::new()) };
            vec![
                TableCell::Text(b.name.clone()),
                TableCell::Text(format!("{}: {}", r.id, r.words)),
                TableCell::Text(r.status.word.to_owned()),
                r.figures.value.table_cell(),
                TableCell::Text(r.target.clone()),
                share(r.figures.numerator.table_cell()),
                share(r.figures.denominator.table_cell()),
                share(TableCell::Figure(r.figures.interval.clone())),
                r.figures.unknown.table_cell(),
                r.pending.table_cell(),
            ]
        })
        .collect();
    let notes = vec![
        format!("{}: {}, {} {}", t.period, page.year, t.as_of, page.as_of),
        format!("«{}»: {} {}", page.label, t.footnote_count, t.footnote_share),
    ];
    let title = format!("{} {}", t.nav_results, page.year);
    Table {
        title,
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows,
        notes,
        notation: lang.notation(),
    }
}

/// The dashboard for a request, and its status (422 with the form's problems).
async fn build(
    state: &AppState,
    input: &Submitted,
    context: &PageContext,
) -> Result<(ResultsPage, StatusCode), AppError> {
    // One stamp for the whole page: the portfolio, criteria and every year's figures are then
    // taken as of it, kept in memory while it stands (see `figures_cache`).
    let stamp = state.store.figures_stamp().await?;
    let portfolio = state.store.portfolio_at(stamp.generation).await?;
    let lang = context.lang;
    let options = portfolio.initiatives.iter().filter(|i| !i.criteria.is_empty());
    let options = options.map(|i| (i.code.to_string(), i.name.clone())).collect();
    let selection = query_of(input).check(&portfolio, today());
    let year = selection.as_ref().ok().and_then(|s| s.year).unwrap_or_else(|| today().year());
    let form = period_form("udvalg", "/resultater".into(), input, lang, year).select(
        "initiative",
        lang.texts().res.fld_initiative,
        Some(lang.texts().res.all_initiatives),
        options,
        "",
    );
    let selection = match selection {
        Ok(selection) => selection,
        Err(errors) => {
            let form = form.problems(&problems_of(&errors, lang), None);
            return Ok((empty_page(context, form, year), StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let page = results_page(state, context, form, &selection, &portfolio, stamp).await?;
    Ok((page, StatusCode::OK))
}

fn empty_page(context: &PageContext, form: FormView, year: i32) -> ResultsPage {
    ResultsPage {
        chrome: context.chrome(Nav::Results),
        form,
        valid: false,
        year,
        as_of: String::new(),
        settled: false,
        blocks: Vec::new(),
        descriptive: Vec::new(),
        without: Vec::new(),
        label: String::new(),
        export: String::new(),
        pending_reviews: None,
    }
}

async fn results_page(
    state: &AppState,
    context: &PageContext,
    mut form: FormView,
    s: &Selection,
    portfolio: &Portfolio,
    stamp: FiguresStamp,
) -> Result<ResultsPage, AppError> {
    let lang = context.lang;
    let years = series_at(state, stamp, s.as_of, s.initiative.as_deref(), s.year).await?;
    let latest = years.iter().rev().find(|(_, p)| p.has_data()).map(|(y, _)| *y);
    let year = s.year.or(latest).unwrap_or(s.as_of.year());
    let current = match years.iter().find(|(y, _)| *y == year) {
        Some((_, p)) => p.clone(),
        None => published_at(state, stamp, year, s.as_of, s.initiative.as_deref(), None).await?,
    };
    if let Some(field) = form.fields.first_mut() {
        field.value = year.to_string();
        field.choices.iter_mut().for_each(|c| c.selected = c.value == field.value);
    }
    let criteria = state.store.criteria_at(stamp.generation).await?;
    let shared = Shared { lang, criteria: &criteria, years: &years, year, as_of: s.as_of.to_string() };
    let (blocks, without) = blocks(portfolio, &current, &shared, s.initiative.is_none());
    Ok(ResultsPage {
        chrome: context.chrome(Nav::Results),
        form,
        valid: true,
        year,
        as_of: long_date(released_on(&current).unwrap_or(s.as_of), lang),
        settled: current.asked_as_of.is_some(),
        blocks,
        descriptive: descriptive(&current, lang),
        without,
        label: Mark::Small.label(current.threshold),
        export: export_href(year, s),
        pending_reviews: None,
    })
}

/// The dashboard's download, for the year shown and the page's as-of date and initiative.
fn export_href(year: i32, s: &Selection) -> String {
    let initiative = s.initiative.as_deref().map(|i| format!("&initiative={i}")).unwrap_or_default();
    format!("/resultater/eksport?year={year}&as_of={}{initiative}", s.as_of)
}

/// What every row needs.
struct Shared<'a> {
    lang: Lang,
    criteria: &'a [CriterionDefinition],
    years: &'a [(i32, Published)],
    year: i32,
    as_of: String,
}

fn blocks(portfolio: &Portfolio, current: &Published, s: &Shared, all: bool) -> (Vec<Block>, Vec<String>) {
    let mut blocks = Vec::new();
    let mut without = Vec::new();
    for i in &portfolio.initiatives {
        let code = i.code.as_str();
        let rows: Vec<Row> =
            current.results.iter().filter(|r| r.initiative == code).map(|r| row(r, current, s)).collect();
        if !rows.is_empty() {
            blocks.push(Block { code: code.to_owned(), name: i.name.clone(), rows });
        } else if all && !current.descriptive.iter().any(|f| f.initiative == code) {
            without.push(i.name.clone());
        }
    }
    (blocks, without)
}

fn row(r: &PublishedResult, current: &Published, s: &Shared) -> Row {
    let definition = s.criteria.iter().find(|c| c.id == r.criterion);
    let scale = Scale::of(definition);
    let t = s.lang.texts().res;
    let pending = Shown::of(r.pending_members, current.threshold, |n| s.lang.integer(n));
    Row {
        id: r.criterion.clone(),
        words: r.text.clone(),
        status: status_view(r.status, s.lang),
        figures: of_result(r, scale, s.lang, current.threshold),
        target: target(definition, s.year, s.lang),
        projection: r.projection.shown().map(|p| format!("{}: {}", t.projection, number(p, scale, s.lang))),
        pending,
        trend: trend(&r.criterion, definition, scale, s),
        drill: format!("/resultater/{}?year={}&as_of={}", r.criterion, s.year, s.as_of),
    }
}

/// The criterion's figure in each year of the series, drawn by the reports' one trend chart.
fn trend(id: &str, definition: Option<&CriterionDefinition>, scale: Scale, s: &Shared) -> String {
    let t = s.lang.texts().res;
    // The trend leads up to the year shown, as in the annual report: later years are not its past.
    let points: Vec<ChartPoint> = s
        .years
        .iter()
        .filter(|(year, _)| *year <= s.year)
        .map(|(year, published)| {
            let r = published.results.iter().find(|r| r.criterion == id);
            let value = r.filter(|r| r.status != Status::NoData).and_then(|r| r.value.shown());
            let withheld = r.is_some_and(|r| r.value.mark().is_some());
            let text = match value {
                Some(v) => number(v, scale, s.lang),
                None if withheld => t.withheld.to_owned(),
                None => t.no_data.to_owned(),
            };
            ChartPoint { year: *year, value, text, band: None }
        })
        .collect();
    let goal = definition.and_then(|d| d.target_for(s.year)).and_then(|t| t.value);
    let goal = goal.and_then(|v| rust_decimal::prelude::ToPrimitive::to_f64(&v));
    let goal_text = format!("{} {}", t.trend_target, target(definition, s.year, s.lang));
    let label = format!("{} {id}", t.trend_label);
    let chart_scale = if scale == Scale::Share { ChartScale::Share } else { ChartScale::Free };
    trend_chart(&Trend {
        label: &label,
        points: &points,
        target: goal.map(|v| (v, goal_text.as_str())),
        references: &[],
        scale: chart_scale,
    })
}

fn descriptive(current: &Published, lang: Lang) -> Vec<FigureRow> {
    let t = lang.texts().res;
    current
        .descriptive
        .iter()
        .map(|f| FigureRow {
            text: match f.figure.as_str() {
                "touched" => t.desc_touched.to_owned(),
                "started" => t.desc_started.to_owned(),
                _ => f.text.clone(),
            },
            value: Shown::of(f.value, current.threshold, |v| lang.integer(v)),
        })
        .collect()
}
