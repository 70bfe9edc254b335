//! `/resultater/{criterion}?year=&as_of=&by=`: one criterion broken down by centre, caseworker
//! code, area, sex, age band or month (særtræk), the table disclosure-controlled as a whole.

use super::dashboard::{period_form, problems_of, query_of};
use super::figures::{of_group, of_result, status_view, target, Figures, Scale, StatusView};
use super::forms::{long_date, today, FormView, Submitted};
use super::{render, Chrome, Nav, PageContext};
use crate::exports::ExportFormat;
use crate::i18n::Lang;
use crate::results::{published, released_on, series};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use sikkerby_domain::engine::Dimension;
use sikkerby_domain::geography::Geography;
use sikkerby_domain::publish::PublishedResult;
use sikkerby_reports::table::{Table, TableCell};

/// The engine's group for records without the dimension (`engine::dimension::UNRECORDED`,
/// which the domain does not export).
const UNRECORDED: &str = "(ikke registreret)";

/// One group of the breakdown.
struct Row {
    group: String,
    figures: Figures,
}

#[derive(Template)]
#[template(path = "drilldown.html")]
struct DrilldownPage {
    chrome: Chrome,
    id: String,
    words: String,
    form: FormView,
    valid: bool,
    year: i32,
    as_of: String,
    /// The year is settled: its figures are as of its settled date, not the date asked for.
    settled: bool,
    by: &'static str,
    by_code: &'static str,
    /// The table as a download (the format is added by the link).
    export: String,
    status: Option<StatusView>,
    target: String,
    rows: Vec<Row>,
    total: Figures,
    share: bool,
    back: String,
    label: String,
    /// The breakdown is withheld as a whole (docs/disclosure.md, step 5).
    withheld: bool,
}

/// `GET /resultater/{criterion}`; 404 for a criterion that does not exist.
pub(super) async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(input): Query<Submitted>,
    context: PageContext,
) -> Result<Response, AppError> {
    let (page, status) = build(&state, &id, &input, &context).await?;
    Ok((status, render(&page)?).into_response())
}

/// `GET /resultater/{criterion}/eksport?format=csv|xlsx&year=&as_of=&by=`: the page's table as
/// a download, built from the same published page (docs/formats.md, "Table exports"), so it holds
/// exactly the figures and marks the page shows.
pub(super) async fn export(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(input): Query<Submitted>,
    context: PageContext,
) -> Result<Response, AppError> {
    let format = ExportFormat::of(input.get("format").map(String::as_str), context.lang)?;
    let (page, status) = build(&state, &id, &input, &context).await?;
    if status != StatusCode::OK {
        return Err(AppError::Unprocessable {
            field: "year",
            message: context.t().res.export_invalid.to_owned(),
        });
    }
    let file = format!("saertraek-{}-{}-{}", page.id, page.year, page.by_code);
    crate::exports::download(&table_of(&page, context.lang), format, &file)
}

/// The drill-down's table as the page shows it: one row per group and the total, the notes.
fn table_of(page: &DrilldownPage, lang: Lang) -> Table {
    let t = lang.texts().res;
    let mut headers = vec![page.by.to_owned(), t.col_value.to_owned()];
    if page.share {
        headers.extend([
            t.col_numerator.to_owned(),
            t.col_denominator.to_owned(),
            t.col_interval.to_owned(),
            t.col_unknown.to_owned(),
        ]);
    }
    let cells = |group: &str, f: &Figures| {
        let mut row = vec![TableCell::Text(group.to_owned()), f.value.table_cell()];
        if page.share {
            row.extend([
                f.numerator.table_cell(),
                f.denominator.table_cell(),
                TableCell::Figure(f.interval.clone()),
                f.unknown.table_cell(),
            ]);
        }
        row
    };
    let mut rows: Vec<Vec<TableCell>> = page.rows.iter().map(|r| cells(&r.group, &r.figures)).collect();
    if !page.withheld && !page.rows.is_empty() {
        rows.push(cells(t.total, &page.total));
    }
    let mut notes = vec![format!("{}: {}, {} {}", t.period, page.year, t.as_of, page.as_of)];
    if page.withheld {
        notes.push(t.drill_withheld.to_owned());
    }
    notes.push(format!("«{}»: {} {}", page.label, t.footnote_count, t.footnote_share));
    let title = format!("{} {}: {}, {}", t.drill_caption, page.by.to_lowercase(), page.id, page.year);
    Table { title, headers, rows, notes, notation: lang.notation() }
}

/// The drill-down page for a request, and its status (422 with the form's problems).
async fn build(
    state: &AppState,
    id: &str,
    input: &Submitted,
    context: &PageContext,
) -> Result<(DrilldownPage, StatusCode), AppError> {
    let id = id.to_owned();
    let criteria = state.store.criteria().await?;
    let definition =
        criteria.iter().find(|c| c.id == id).ok_or_else(|| AppError::NotFound(format!("criterion {id}")))?;
    let portfolio = state.store.portfolio().await?;
    let lang = context.lang;
    let mut query = query_of(input);
    query.initiative = None;
    let checked = query.check(&portfolio, today());
    let as_of = checked.as_ref().map_or(today(), |s| s.as_of);
    let year = match checked.as_ref().ok().map(|s| s.year) {
        Some(Some(year)) => year,
        Some(None) => latest_year(state, as_of, &definition.initiative).await?,
        None => as_of.year(),
    };
    let by = checked.as_ref().ok().and_then(|s| s.by).unwrap_or(Dimension::Centre);
    let form = by_form(&id, input, lang, year, by);
    let mut page = DrilldownPage {
        chrome: context.chrome(Nav::Results),
        id: id.clone(),
        words: definition.memo_words.clone(),
        form,
        valid: checked.is_ok(),
        year,
        as_of: long_date(as_of, lang),
        settled: false,
        by: lang.texts().res.dimension(by),
        by_code: by.code(),
        export: format!("/resultater/{id}/eksport?year={year}&as_of={as_of}&by={}", by.code()),
        status: None,
        target: target(Some(definition), year, lang),
        rows: Vec::new(),
        total: Figures::default(),
        share: false,
        back: format!("/resultater?year={year}&as_of={as_of}"),
        label: state.store.disclosure_rules().await?.label(),
        withheld: false,
    };
    if let Err(errors) = checked {
        page.form = page.form.problems(&problems_of(&errors, lang), None);
        return Ok((page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let published = published(state, year, as_of, Some(&definition.initiative), Some(by)).await?;
    page.as_of = long_date(released_on(&published).unwrap_or(as_of), lang);
    page.settled = published.asked_as_of.is_some();
    if let Some(r) = published.results.iter().find(|r| r.criterion == id) {
        let geography = state.store.geography().await?;
        let names = GroupNames { by, lang, geography: &geography };
        fill(&mut page, r, Scale::of(Some(definition)), published.threshold, &names);
    }
    Ok((page, StatusCode::OK))
}

/// The latest year with data for the initiative, or the as-of year.
async fn latest_year(state: &AppState, as_of: NaiveDate, initiative: &str) -> Result<i32, AppError> {
    let years = series(state, as_of, Some(initiative), None).await?;
    Ok(years.iter().rev().find(|(_, p)| p.has_data()).map_or(as_of.year(), |(y, _)| *y))
}

fn by_form(id: &str, input: &Submitted, lang: Lang, year: i32, by: Dimension) -> FormView {
    let t = lang.texts().res;
    let options =
        Dimension::ALL.into_iter().map(|d| (d.code().to_owned(), t.dimension(d).to_owned())).collect();
    period_form("saertraek", format!("/resultater/{id}"), input, lang, year).select(
        "by",
        t.fld_by,
        None,
        options,
        by.code(),
    )
}

fn fill(page: &mut DrilldownPage, r: &PublishedResult, scale: Scale, threshold: u64, names: &GroupNames) {
    let lang = names.lang;
    page.status = Some(status_view(r.status, lang));
    page.total = of_result(r, scale, lang, threshold);
    page.withheld = r.breakdown_withheld;
    page.share = page.total.share;
    page.rows = r
        .breakdown
        .iter()
        .map(|g| Row { group: names.of(&g.group), figures: of_group(g, scale, lang, threshold) })
        .collect();
    if names.by == Dimension::Area {
        // In the order of the names the reader sees ("not recorded" last), not of the ids.
        let unrecorded = lang.texts().res.unrecorded;
        page.rows.sort_by(|a, b| (a.group == unrecorded, &a.group).cmp(&(b.group == unrecorded, &b.group)));
    }
}

/// How the groups of a breakdown are named for the reader.
struct GroupNames<'a> {
    by: Dimension,
    lang: Lang,
    geography: &'a Geography,
}

impl GroupNames<'_> {
    fn of(&self, key: &str) -> String {
        match self.by {
            Dimension::Area if key != UNRECORDED => self.geography.area_name(key),
            by => group_name(key, by, self.lang),
        }
    }
}

/// A group's key in words: the sex, the month, "(not recorded)".
fn group_name(key: &str, by: Dimension, lang: Lang) -> String {
    let t = lang.texts();
    if key == UNRECORDED {
        return t.res.unrecorded.to_owned();
    }
    match by {
        Dimension::Sex => t.case.sex(key).to_owned(),
        Dimension::Month => NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d").map_or_else(
            |_| key.to_owned(),
            |d| format!("{} {}", t.case.months[d.month0() as usize], d.year()),
        ),
        _ => key.to_owned(),
    }
}
