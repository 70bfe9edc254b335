//! `GET /api/v1/results`: the success criteria for a calendar year as of a date, in the JSON of
//! docs/formats.md ("Results"), through disclosure control: a withheld figure is `null` and its
//! field is named in `suppressed`.

use crate::error::ErrorBody;
use crate::results::{published, Published, ResultsQuery};
use crate::{AppError, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::Datelike;
use serde::Serialize;
use sikkerby_domain::engine::Status;
use sikkerby_domain::publish::{Field, Mark, PublishedGroup, PublishedResult};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The evaluated period, both ends included.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodDto {
    #[schema(format = Date, example = "2013-01-01")]
    pub from: String,
    #[schema(format = Date, example = "2013-12-31")]
    pub to: String,
}

/// The status of a criterion (docs/domain.md §7).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusDto {
    Met,
    NotMet,
    OnTrack,
    OffTrack,
    Pending,
    NoData,
    Assessed,
    /// A cohort smaller than the disclosure threshold: withheld with its figures.
    Withheld,
}

impl From<Status> for StatusDto {
    fn from(status: Status) -> Self {
        match status {
            Status::Met => StatusDto::Met,
            Status::NotMet => StatusDto::NotMet,
            Status::OnTrack => StatusDto::OnTrack,
            Status::OffTrack => StatusDto::OffTrack,
            Status::Pending => StatusDto::Pending,
            Status::NoData => StatusDto::NoData,
            Status::Assessed => StatusDto::Assessed,
            Status::Withheld => StatusDto::Withheld,
        }
    }
}

/// One group of a drill-down.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDto {
    /// The group: a centre, caseworker code, area id, `M`/`K`, age band or `YYYY-MM`.
    #[schema(example = "JKU Nord")]
    pub group: String,
    pub value: Option<f64>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub unknown: Option<u64>,
    #[schema(value_type = Option<Vec<f64>>, min_items = 2, max_items = 2)]
    pub interval: Option<[f64; 2]>,
    /// Fields withheld by disclosure control (`null` above).
    pub suppressed: Vec<String>,
    /// Why each withheld field is withheld: `small` (a count of 1 … k − 1, shown `<5`) or
    /// `protects` (hidden so that a small count elsewhere cannot be worked out, shown `·`).
    pub withheld: BTreeMap<String, String>,
}

/// One evaluated criterion.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionResultDto {
    #[schema(example = "C4")]
    pub criterion: String,
    #[schema(example = "DOMTE")]
    pub initiative: String,
    pub status: StatusDto,
    /// A count, a mean, or a share as a fraction 0–1; `null` where withheld or not computable.
    pub value: Option<f64>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    /// Follow-ups due but not recorded, counted in the denominator; `null` when withheld.
    pub unknown: Option<u64>,
    pub target: Option<f64>,
    /// The 95 % Wilson interval `[low, high]` of a share.
    #[schema(value_type = Option<Vec<f64>>, min_items = 2, max_items = 2)]
    pub interval: Option<[f64; 2]>,
    /// The memo's words.
    pub text: String,
    /// While the period runs: the value projected linearly to its end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<f64>,
    /// Cohort members whose window had not closed by the as-of date; `null` when withheld or
    /// not a cohort.
    pub pending_members: Option<u64>,
    /// The drill-down dimension, when `by` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<GroupDto>,
    /// True when the breakdown asked for is withheld as a whole (publishing it would have
    /// cost a total, or given a small count away whatever was hidden).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub breakdown_withheld: bool,
    /// Fields withheld by disclosure control (shown as `<5` or `·` in the user interface).
    pub suppressed: Vec<String>,
    /// Why each withheld field is withheld (`small` or `protects`).
    pub withheld: BTreeMap<String, String>,
}

/// A descriptive figure without a target (KRIMITEAM).
#[derive(Debug, Serialize, ToSchema)]
pub struct DescriptiveDto {
    pub initiative: String,
    #[schema(example = "touched")]
    pub figure: String,
    /// `null` when withheld.
    pub value: Option<u64>,
    /// `small` or `protects` when withheld.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
    pub text: String,
}

/// The results document.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsDto {
    pub period: PeriodDto,
    /// The date the figures are as of: the date asked for, or the period's settled date if that
    /// is earlier (docs/disclosure.md, "Releases").
    #[schema(format = Date, example = "2014-06-30")]
    pub as_of: String,
    /// The date asked for, when the figures are as of the period's earlier settled date.
    #[schema(format = Date, example = "2016-06-30")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asked_as_of: Option<String>,
    pub results: Vec<CriterionResultDto>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub descriptive: Vec<DescriptiveDto>,
    /// The disclosure threshold k: counts 1 … k − 1 are withheld.
    pub threshold: u64,
}

fn marks(withheld: Vec<(Field, Mark)>) -> (Vec<String>, BTreeMap<String, String>) {
    let names = withheld.iter().map(|(f, _)| f.code().to_owned()).collect();
    let reasons = withheld.iter().map(|(f, m)| (f.code().to_owned(), m.code().to_owned())).collect();
    (names, reasons)
}

fn group(g: PublishedGroup) -> GroupDto {
    let (suppressed, withheld) = marks(g.withheld());
    GroupDto {
        group: g.group,
        value: g.value.shown(),
        numerator: g.numerator.shown(),
        denominator: g.denominator.shown(),
        unknown: g.unknown.shown(),
        interval: g.interval.shown(),
        suppressed,
        withheld,
    }
}

fn result(r: PublishedResult) -> CriterionResultDto {
    let (suppressed, withheld) = marks(r.withheld());
    CriterionResultDto {
        criterion: r.criterion,
        initiative: r.initiative,
        status: r.status.into(),
        value: r.value.shown(),
        numerator: r.numerator.shown(),
        denominator: r.denominator.shown(),
        unknown: r.unknown.shown(),
        target: r.target,
        interval: r.interval.shown(),
        text: r.text,
        projection: r.projection.shown(),
        pending_members: r.pending_members.shown(),
        by: r.by,
        breakdown: r.breakdown.into_iter().map(group).collect(),
        breakdown_withheld: r.breakdown_withheld,
        suppressed,
        withheld,
    }
}

impl From<Published> for ResultsDto {
    fn from(p: Published) -> Self {
        ResultsDto {
            period: PeriodDto { from: p.period.from, to: p.period.to },
            as_of: p.as_of,
            asked_as_of: p.asked_as_of,
            results: p.results.into_iter().map(result).collect(),
            descriptive: p
                .descriptive
                .into_iter()
                .map(|f| DescriptiveDto {
                    initiative: f.initiative,
                    figure: f.figure,
                    value: f.value.shown(),
                    withheld: f.value.mark().map(|m| m.code().to_owned()),
                    text: f.text,
                })
                .collect(),
            threshold: p.threshold,
        }
    }
}

/// The success criteria for a calendar year as of a date, disclosure-controlled.
#[utoipa::path(
    get,
    path = "/api/v1/results",
    tag = "results",
    params(ResultsQuery),
    responses(
        (status = 200, description = "The evaluated criteria", body = ResultsDto),
        (status = 422, description = "A bad year, date (the as-of date must end a closed month), initiative or dimension (`field` names it), or a \
                                     query that does not parse (`field` is `query`)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<ResultsQuery>, QueryRejection>,
) -> Result<Json<ResultsDto>, AppError> {
    // A query that does not parse (a field given twice) is the client's error, in JSON like the
    // others, not axum's plain-text 400.
    let Query(query) = query
        .map_err(|rejection| AppError::Unprocessable { field: "query", message: rejection.body_text() })?;
    refuse_blank(&query)?;
    let portfolio = state.store.portfolio().await?;
    let today = chrono::Local::now().date_naive();
    let selection = query.check(&portfolio, today).map_err(|mut errors| AppError::from(errors.remove(0)))?;
    let year = selection.year.unwrap_or(selection.as_of.year());
    let published =
        published(&state, year, selection.as_of, selection.initiative.as_deref(), selection.by).await?;
    Ok(Json(published.into()))
}

/// The API is not a form: a parameter given empty or padded with spaces is a mistake, not "not
/// given" as it is for the dashboard's filter (which shares [`ResultsQuery`]).
fn refuse_blank(query: &ResultsQuery) -> Result<(), AppError> {
    let fields = [
        ("year", &query.year),
        ("as_of", &query.as_of),
        ("initiative", &query.initiative),
        ("by", &query.by),
    ];
    for (field, value) in fields {
        if value.as_deref().is_some_and(|v| v.is_empty() || v.trim() != v) {
            return Err(AppError::Unprocessable {
                field,
                message: "is empty or has spaces around it".into(),
            });
        }
    }
    Ok(())
}
