//! The criteria results as published: a query (year, as-of date, initiative, dimension) checked
//! field by field, evaluated over the live case data and passed through disclosure control
//! (docs/disclosure.md). The dashboard, the drill-down and the API all take their figures from
//! here, through `sikkerby_domain::publish::publish`, so they cannot disagree. Every figure here is city-wide, or one table broken down across all
//! centres (where showing one centre's raw cell would let its protecting partner cell be
//! derived), and `access::can_see_raw_figures(role, centres, None)` is false for every role: so
//! everyone, a caseworker included, gets disclosure-controlled figures. A figure limited to one
//! centre would ask it with that centre.

use crate::figures_cache::FiguresKey;
use crate::{AppError, AppState};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use sikkerby_domain::calendar::{parse_date, Period};
use sikkerby_domain::engine::{Dimension, Request};
use sikkerby_domain::portfolio::Portfolio;
pub use sikkerby_domain::publish::Published;
use sikkerby_store::generation::FiguresStamp;
use utoipa::IntoParams;

/// The years a calendar-year evaluation may ask for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// What to evaluate, as sent (every field text, so that a bad value is named, not rejected
/// wholesale). Empty fields count as absent.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// The calendar year evaluated; default: the year of `as_of`.
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100, example = 2013)]
    pub year: Option<String>,
    /// The as-of date, the last day of a closed month, `YYYY-MM-DD` (also `DD-MM-YYYY`);
    /// default: the end of the last closed month.
    #[param(value_type = Option<String>, format = Date, example = "2014-06-30",
            pattern = "^[0-9]{4}-(01-31|02-2[89]|03-31|04-30|05-31|06-30|07-31|08-31|09-30|10-31|11-30|12-31)$")]
    pub as_of: Option<String>,
    /// Only this initiative's criteria, e.g. `DOMTE`.
    #[param(example = "DOMTE")]
    pub initiative: Option<String>,
    /// Break every figure down by `centre`, `caseworker`, `area`, `sex`, `age_band` or `month`.
    #[param(pattern = "^(centre|caseworker|area|sex|age_band|month)$", example = "centre")]
    pub by: Option<String>,
}

/// What is wrong with a field of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Year,
    Date,
    Initiative,
    Dimension,
    /// An as-of date that is not the last day of a closed month.
    MonthEnd,
}

/// A field of the query that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub field: &'static str,
    pub problem: Problem,
}

impl From<QueryError> for AppError {
    fn from(e: QueryError) -> Self {
        let message = match e.problem {
            Problem::Year => "must be a year between 2000 and 2100",
            Problem::Date => "must be a date YYYY-MM-DD that exists",
            Problem::Initiative => "is not an initiative of the portfolio",
            Problem::Dimension => "must be one of centre, caseworker, area, sex, age_band, month",
            Problem::MonthEnd => {
                "must be the last day of a month that has ended (figures are published per closed month)"
            }
        };
        AppError::Unprocessable { field: e.field, message: message.to_owned() }
    }
}

/// The last day of the last month that has ended by `today`: the default as-of date.
pub fn last_closed_month_end(today: NaiveDate) -> NaiveDate {
    today.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(today)
}

/// Figures are published as of the end of a closed month only: two as-of dates then differ by
/// whole months, whose new members the by-month breakdown of the same linked set protects
/// (docs/disclosure.md, "Dates").
pub fn is_closed_month_end(date: NaiveDate, today: NaiveDate) -> bool {
    date.succ_opt().is_some_and(|next| next.day() == 1) && date <= last_closed_month_end(today)
}

/// A checked query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// `None`: the caller picks (the API: the as-of year; the dashboard: the latest with data).
    pub year: Option<i32>,
    pub as_of: NaiveDate,
    pub initiative: Option<String>,
    pub by: Option<Dimension>,
}

fn given(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl ResultsQuery {
    /// Checks every field; all problems at once, so a form can show them together.
    pub fn check(&self, portfolio: &Portfolio, today: NaiveDate) -> Result<Selection, Vec<QueryError>> {
        let mut errors = Vec::new();
        let mut field = |field: &'static str, problem, ok: Option<()>| {
            if ok.is_none() {
                errors.push(QueryError { field, problem });
            }
        };
        let year = given(&self.year).map(|text| text.parse::<i32>().ok().filter(|y| YEARS.contains(y)));
        field("year", Problem::Year, year.map_or(Some(()), |y| y.map(drop)));
        let as_of = given(&self.as_of).map(|text| parse_date(text).ok());
        field("as_of", Problem::Date, as_of.map_or(Some(()), |d| d.map(drop)));
        if let Some(Some(date)) = as_of {
            field("as_of", Problem::MonthEnd, is_closed_month_end(date, today).then_some(()));
        }
        let by = given(&self.by).map(Dimension::parse);
        field("by", Problem::Dimension, by.map_or(Some(()), |b| b.map(drop)));
        let initiative = given(&self.initiative).map(str::to_owned);
        if let Some(code) = &initiative {
            let known = portfolio.initiatives.iter().any(|i| i.code.as_str() == code);
            field("initiative", Problem::Initiative, known.then_some(()));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let as_of = as_of.flatten().unwrap_or_else(|| last_closed_month_end(today));
        Ok(Selection { year: year.flatten(), as_of, initiative, by: by.flatten() })
    }
}

/// Evaluates a calendar year as of a date and publishes the figures, as a release after the
/// year's earlier month-ends (`Evaluator::publish`): as of the year's settled date if `as_of` is
/// later, which `Published::asked_as_of` then says.
pub async fn published(
    state: &AppState,
    year: i32,
    as_of: NaiveDate,
    initiative: Option<&str>,
    by: Option<Dimension>,
) -> Result<Published, AppError> {
    let stamp = state.store.figures_stamp().await?;
    published_at(state, stamp, year, as_of, initiative, by).await
}

/// [`published`] with the inputs' stamp already read: kept figures when the stamp has not moved.
pub async fn published_at(
    state: &AppState,
    stamp: FiguresStamp,
    year: i32,
    as_of: NaiveDate,
    initiative: Option<&str>,
    by: Option<Dimension>,
) -> Result<Published, AppError> {
    let key = FiguresKey { stamp, year, as_of, initiative: initiative.map(str::to_owned), by };
    if let Some(kept) = state.figures.get(&key) {
        return Ok(kept);
    }
    let period =
        Period::year(year).map_err(|e| AppError::Unprocessable { field: "year", message: e.to_string() })?;
    let rules = state.store.disclosure_rules().await?;
    let published = state.evaluator.publish(&Request { period, as_of, by, initiative }, &rules).await?;
    state.figures.put(key, published.clone());
    Ok(published)
}

/// The date published figures are as of (their released date, docs/disclosure.md "Releases").
pub fn released_on(published: &Published) -> Option<NaiveDate> {
    parse_date(&published.as_of).ok()
}

/// The years from the first year any criterion has a target for, to the as-of year.
pub async fn year_range(
    state: &AppState,
    stamp: FiguresStamp,
    as_of: NaiveDate,
) -> Result<std::ops::RangeInclusive<i32>, AppError> {
    let criteria = state.store.criteria_at(stamp.generation).await?;
    let first =
        criteria.iter().flat_map(|c| c.targets.iter().map(|t| t.from_year)).min().unwrap_or(as_of.year());
    Ok(first.min(as_of.year())..=as_of.year())
}

/// Every year of [`year_range`], published; years after the last one with data are left out
/// unless `keep` asks for one of them.
pub async fn series(
    state: &AppState,
    as_of: NaiveDate,
    initiative: Option<&str>,
    keep: Option<i32>,
) -> Result<Vec<(i32, Published)>, AppError> {
    let stamp = state.store.figures_stamp().await?;
    series_at(state, stamp, as_of, initiative, keep).await
}

/// [`series`] with the inputs' stamp already read.
pub async fn series_at(
    state: &AppState,
    stamp: FiguresStamp,
    as_of: NaiveDate,
    initiative: Option<&str>,
    keep: Option<i32>,
) -> Result<Vec<(i32, Published)>, AppError> {
    let mut years = Vec::new();
    for year in year_range(state, stamp, as_of).await? {
        years.push((year, published_at(state, stamp, year, as_of, initiative, None).await?));
    }
    let last_with_data = years.iter().rposition(|(_, p)| p.has_data()).unwrap_or(0);
    let last_kept = keep.and_then(|k| years.iter().position(|(y, _)| *y == k)).unwrap_or(0);
    years.truncate(last_with_data.max(last_kept) + 1);
    Ok(years)
}
