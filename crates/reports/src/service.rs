//! Making reports from the live data: gather the inputs from the store, build the model, record
//! it as a snapshot (or reuse the latest draft when nothing changed), and render from the
//! snapshot. A report is only ever rendered from a snapshot, so it can be made again
//! byte for byte; an approved snapshot is locked and a correction becomes a new version.

use crate::build::{build, BudgetInputs, Inputs, Outcome};
use crate::model::{AreaAssessment, Change, Document, IndexOverview, Report, SnapshotMeta};
use crate::period::{ReportKind, ReportPeriod};
use crate::render::{render, OutputFormat, RenderError};
use chrono::{NaiveDate, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sikkerby_app::Evaluator;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::engine::Request;
use sikkerby_domain::publish::Published;
use sikkerby_store::reports::{NewSnapshot, Snapshot, SnapshotError};
use sikkerby_store::{Store, StoreError};

/// How many years a trend chart covers, the report year included.
pub const TREND_YEARS: i32 = 4;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("unknown report kind {0:?}: choose annual, halfyear or quarter")]
    Kind(String),
    #[error("unknown format {0:?}: choose pdf, html or xlsx")]
    Format(String),
    #[error(transparent)]
    Period(#[from] crate::period::PeriodError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("report snapshot {0} holds a model this version cannot read: {1}")]
    Model(i64, serde_json::Error),
}

/// What to make a report of.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub kind: ReportKind,
    pub period: ReportPeriod,
    /// The criteria's as-of date; see [`default_as_of`].
    pub as_of: NaiveDate,
    pub created_by: String,
    /// The safety index, when it is available.
    pub index: Option<IndexOverview>,
    pub assessments: Vec<AreaAssessment>,
}

/// The as-of date of a report made today: the end of the last closed month (figures are
/// published as of closed month-ends only, docs/disclosure.md "Dates"), and for a quarterly
/// report no later than the quarter's end.
pub fn default_as_of(kind: ReportKind, period: &ReportPeriod, today: NaiveDate) -> NaiveDate {
    let closed = chrono::Datelike::with_day(&today, 1).and_then(|d| d.pred_opt()).unwrap_or(today);
    match kind {
        ReportKind::Quarter => period.to.min(closed),
        ReportKind::Annual | ReportKind::HalfYear => closed,
    }
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The period's figures as the pages publish them: the same linked set, the same protection.
async fn evaluate(
    evaluator: &Evaluator,
    rules: &DisclosureRules,
    period: Period,
    as_of: NaiveDate,
) -> Result<Published, StoreError> {
    evaluator.publish(&Request { period, as_of, by: None, initiative: None }, rules).await
}

/// Collects everything the report is built from.
pub async fn gather(store: &Store, request: &ReportRequest) -> Result<Inputs, ReportError> {
    let year = request.period.year();
    let evaluator = Evaluator::load(store.clone()).await?;
    let criteria = store.criteria().await?;
    let whole_year = |y: i32| Period::year(y).map_err(|e| StoreError::Corrupt(e.to_string()));
    let evaluation_period = match request.kind {
        ReportKind::HalfYear => Period::new(request.period.from, request.period.to)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        ReportKind::Annual | ReportKind::Quarter => whole_year(year)?,
    };
    let rules = store.disclosure_rules().await?;
    let evaluation = evaluate(&evaluator, &rules, evaluation_period, request.as_of).await?;
    let mut history = Vec::new();
    if request.kind == ReportKind::Annual {
        let first = criteria.iter().flat_map(|c| c.targets.iter().map(|t| t.from_year)).min().unwrap_or(year);
        for y in first.max(year - TREND_YEARS + 1)..year {
            history.push((y, evaluate(&evaluator, &rules, whole_year(y)?, request.as_of).await?));
        }
        history.push((year, evaluation.clone()));
    }
    let budget = match request.kind {
        ReportKind::Annual => Some(budget_inputs(store, &request.period).await?),
        _ => None,
    };
    let portfolio = store.portfolio().await?;
    let initiatives = portfolio.initiatives.iter().map(|i| (i.code.to_string(), i.name.clone())).collect();
    let deadline = goal_deadline(&criteria);
    Ok(Inputs {
        kind: request.kind,
        period: request.period.clone(),
        as_of: request.as_of,
        rules,
        criteria,
        initiatives,
        evaluation,
        history,
        budget,
        index: match &request.index {
            Some(given) => Some(given.clone()),
            None => index_overview(store, &evaluator, year, deadline).await?,
        },
        assessments: request.assessments.clone(),
    })
}

/// The safety index of the report's year as the report shows it, from the evaluator's index
/// (the same figures as `sikkerby index` and the pages); `None` when there is no area data.
pub(crate) async fn index_overview(
    store: &Store,
    evaluator: &Evaluator,
    year: i32,
    deadline: Option<i32>,
) -> Result<Option<crate::model::IndexOverview>, ReportError> {
    let (index, _) = evaluator.index().await?;
    let Some(year_index) = index.year(year) else { return Ok(None) };
    let Some(base_year) = index.base_year else { return Ok(None) };
    let names: std::collections::HashMap<String, String> =
        store.geography().await?.areas.into_iter().map(|a| (a.id, a.name)).collect();
    let areas = year_index
        .areas
        .iter()
        .map(|a| crate::model::IndexArea {
            name: names.get(&a.area).cloned().unwrap_or_else(|| a.area.clone()),
            district: a.district.clone(),
            t: a.t,
            category: a.category.map(|c| c.code().to_owned()).unwrap_or_default(),
        })
        .collect();
    let c19 = deadline.and_then(|target_year| {
        let g = index.c19_goal(base_year, year)?;
        let base_count = g.base_count as u64;
        Some(crate::model::GoalFigures { base_year, base_count, year, count: g.count as u64, target_year })
    });
    let goal_years = (base_year..=year)
        .filter_map(|y| {
            let g = index.c19_goal(base_year, y)?;
            Some(crate::model::GoalYear { year: y, count: g.count as u64 })
        })
        .collect();
    Ok(Some(crate::model::IndexOverview { year, base_year, areas, c19, goal_years }))
}

/// The deadline of Sikker By's goal 1, from the criterion that holds it (seed/criteria.toml);
/// `None` when no criterion does (then the report has no goal figures).
fn goal_deadline(criteria: &[sikkerby_domain::criteria::CriterionDefinition]) -> Option<i32> {
    use sikkerby_domain::criteria::Measure;
    let goal = criteria.iter().find(|c| c.measure == Some(Measure::AreasNeedingEffortHalved))?;
    goal.deadline_year
}

async fn budget_inputs(store: &Store, period: &ReportPeriod) -> Result<BudgetInputs, ReportError> {
    let outcomes = store
        .outcomes_per_initiative(&period.from.to_string(), &period.to.to_string())
        .await?
        .into_iter()
        .map(|(code, o)| (code, Outcome { participants: o.participants, successes: o.successes }))
        .collect();
    Ok(BudgetInputs {
        budget: store.budget().await?,
        actuals: store.budget_actuals(period.year()).await?,
        outcomes,
    })
}

/// The versions a snapshot records: of the data, the configuration and the criteria.
async fn versions(
    store: &Store,
    request: &ReportRequest,
    inputs: &Inputs,
) -> Result<[String; 4], ReportError> {
    let data = format!(
        "{}\nindex:{}\nassessments:{}",
        store.case_data_fingerprint().await?,
        json(&request.index),
        json(&request.assessments)
    );
    let configuration = serde_json::json!({
        "kind": request.kind.code(),
        "period": request.period.label,
        "as_of": request.as_of.to_string(),
        "disclosure_threshold": inputs.rules.threshold,
        "budget": inputs.budget.as_ref().map(|b| &b.budget),
        "renderer": env!("CARGO_PKG_VERSION"),
    })
    .to_string();
    Ok([sha256(&data), sha256(&configuration), sha256(&json(&inputs.criteria)), configuration])
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn parse_model(snapshot: &Snapshot) -> Result<Report, ReportError> {
    serde_json::from_str(&snapshot.snapshot.model).map_err(|e| ReportError::Model(snapshot.id, e))
}

/// Records a snapshot for the request, or returns the latest unapproved one for the same kind
/// and period when data, configuration and criteria are unchanged (`true` = reused). One at a
/// time per report (see [`crate::record_lock`]).
pub async fn record(store: &Store, request: &ReportRequest) -> Result<(Snapshot, bool), ReportError> {
    let lock = crate::record_lock::for_report(store, request.kind.code(), &request.period.label);
    let _recording = lock.lock().await;
    record_unlocked(store, request).await
}

async fn record_unlocked(store: &Store, request: &ReportRequest) -> Result<(Snapshot, bool), ReportError> {
    let inputs = gather(store, request).await?;
    let report = build(&inputs);
    let [data_version, config_version, criteria_version, configuration] =
        versions(store, request, &inputs).await?;
    let kind = request.kind.code();
    let existing = store.report_snapshots(kind, &request.period.label).await?;
    let draft = existing.last().filter(|s| !s.is_approved());
    if let Some(draft) = draft {
        let s = &draft.snapshot;
        if (&s.data_version, &s.config_version, &s.criteria_version)
            == (&data_version, &config_version, &criteria_version)
        {
            return Ok((draft.clone(), true));
        }
    }
    let approved = existing.iter().rev().find(|s| s.is_approved());
    let changes: Vec<Change> = match approved {
        Some(a) => crate::diff::changes(&parse_model(a)?, &report),
        None => Vec::new(),
    };
    let new = NewSnapshot {
        kind: kind.to_owned(),
        period: request.period.label.clone(),
        model: serde_json::to_string(&report).map_err(|e| ReportError::Model(0, e))?,
        data_version,
        config_version,
        criteria_version,
        configuration,
        created_by: request.created_by.clone(),
        created_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        corrects_id: approved.map(|a| a.id),
        changes: serde_json::to_string(&changes).map_err(|e| ReportError::Model(0, e))?,
    };
    let snapshot = match draft {
        Some(d) => store.replace_report_snapshot(d.id, &new).await?,
        None => store.insert_report_snapshot(&new).await?,
    };
    Ok((snapshot, false))
}

/// The document of a recorded snapshot: its model and its meta data.
pub async fn document(store: &Store, snapshot: &Snapshot) -> Result<Document, ReportError> {
    let report = parse_model(snapshot)?;
    let s = &snapshot.snapshot;
    let corrects_version = match s.corrects_id {
        Some(id) => store.report_snapshot(id).await?.map(|c| c.version),
        None => None,
    };
    let changes: Vec<Change> =
        serde_json::from_str(&s.changes).map_err(|e| ReportError::Model(snapshot.id, e))?;
    let meta = SnapshotMeta {
        snapshot_id: snapshot.id,
        version: snapshot.version,
        created_at: s.created_at.clone(),
        created_by: s.created_by.clone(),
        approved_by: snapshot.approved_by.clone(),
        data_version: s.data_version.clone(),
        corrects_version,
        changes,
    };
    Ok(Document { report, meta })
}

/// Renders a recorded snapshot again: the same snapshot always gives the same bytes.
pub async fn regenerate(
    store: &Store,
    snapshot_id: i64,
    format: OutputFormat,
) -> Result<Vec<u8>, ReportError> {
    let snapshot = store.report_snapshot(snapshot_id).await?.ok_or(SnapshotError::NotFound(snapshot_id))?;
    Ok(render(&document(store, &snapshot).await?, format)?)
}

/// A manager's approval, which locks the snapshot; the approver must not be its creator.
pub async fn approve(store: &Store, snapshot_id: i64, approver: &str) -> Result<Snapshot, ReportError> {
    Ok(store.approve_report_snapshot(snapshot_id, approver).await?)
}

/// The assessments recorded for a half-yearly report's half-year; the other kinds have none.
/// Without this the half-yearly report said no assessments were registered while they were.
pub async fn recorded_assessments(
    store: &Store,
    kind: ReportKind,
    period: &ReportPeriod,
) -> Result<Vec<AreaAssessment>, ReportError> {
    if kind != ReportKind::HalfYear {
        return Ok(Vec::new());
    }
    let half_year = sikkerby_domain::half_year::HalfYear::of(period.from);
    let recorded = store.area_assessments(half_year).await?;
    Ok(recorded
        .into_iter()
        .map(|a| AreaAssessment {
            area: a.area,
            district: a.district,
            source: a.source,
            score: a.assessment,
            text: a.text.unwrap_or_default(),
        })
        .collect())
}

/// Parses kind, period and format, records (or reuses) a snapshot and renders it.
pub async fn generate(
    store: &Store,
    kind: &str,
    period: &str,
    format: &str,
    created_by: &str,
) -> Result<(Snapshot, bool, Vec<u8>), ReportError> {
    let kind = ReportKind::parse(kind).ok_or_else(|| ReportError::Kind(kind.to_owned()))?;
    let format = OutputFormat::parse(format).ok_or_else(|| ReportError::Format(format.to_owned()))?;
    let period = ReportPeriod::parse(kind, period)?;
    let as_of = default_as_of(kind, &period, chrono::Local::now().date_naive());
    let request = ReportRequest {
        kind,
        as_of,
        created_by: created_by.to_owned(),
        index: None,
        assessments: recorded_assessments(store, kind, &period).await?,
        period,
    };
    let (snapshot, reused) = record(store, &request).await?;
    let bytes = render(&document(store, &snapshot).await?, format)?;
    Ok((snapshot, reused, bytes))
}
