//! What the report form may offer and what it must warn about (docs/reports.md "Periods" and
//! "Without data"): the periods of a kind the system has years for, and for one period the
//! parts of the report that would have nothing to show.

use crate::period::{ReportKind, ReportPeriod};
use crate::service::ReportError;
use chrono::NaiveDate;
use sikkerby_app::Evaluator;
use sikkerby_domain::half_year::HalfYear;
use sikkerby_store::Store;

/// A part of a report that has no data for the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// No enrollment or leisure-job placement is active on any day of the period: every
    /// criterion counted from case data is empty.
    CaseData,
    /// The report has no safety index for the period's year (no area data for it).
    Index { year: i32 },
    /// No area assessments are recorded for the half-year (half-yearly report only).
    Assessments { half_year: HalfYear },
    /// No actual spend is recorded for any budget line in the year (annual report only).
    BudgetActuals { year: i32 },
}

/// The years the system knows: the budget's years, the case data's years and the safety
/// index's years, as one unbroken span, ending no later than `today`'s year.
async fn known_years(
    store: &Store,
    evaluator: &Evaluator,
    today: NaiveDate,
) -> Result<Vec<i32>, ReportError> {
    let mut years: Vec<i32> = store.budget().await?.years;
    if let Some((first, last)) = store.case_data_years().await? {
        years.extend([first, last]);
    }
    let (index, _) = evaluator.index().await?;
    years.extend(index.years.iter().map(|y| y.year));
    let this_year = chrono::Datelike::year(&today);
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else { return Ok(Vec::new()) };
    Ok((first..=last.min(this_year)).collect())
}

/// The periods the form offers for a kind, newest first: every period of the known years that
/// has begun by `today` (a report of a period not begun would have nothing to count).
pub async fn offered_periods(
    store: &Store,
    evaluator: &Evaluator,
    kind: ReportKind,
    today: NaiveDate,
) -> Result<Vec<ReportPeriod>, ReportError> {
    let mut periods: Vec<ReportPeriod> = known_years(store, evaluator, today)
        .await?
        .into_iter()
        .flat_map(|year| ReportPeriod::in_year(kind, year))
        .filter(|p| p.from <= today)
        .collect();
    periods.reverse();
    Ok(periods)
}

/// The parts of the report of `kind` for `period` that would have no data, in the order the
/// report shows them; empty when every part has some.
pub async fn missing_data(
    store: &Store,
    evaluator: &Evaluator,
    kind: ReportKind,
    period: &ReportPeriod,
) -> Result<Vec<Missing>, ReportError> {
    let mut missing = Vec::new();
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let outcomes = store.outcomes_per_initiative(&from, &to).await?;
    if !outcomes.values().any(|o| o.participants > 0) {
        missing.push(Missing::CaseData);
    }
    let year = period.year();
    // The one test of whether the report has an index: the report's own.
    if crate::service::index_overview(store, evaluator, year, None).await?.is_none() {
        missing.push(Missing::Index { year });
    }
    match kind {
        ReportKind::HalfYear => {
            let half_year = HalfYear::of(period.from);
            if store.area_assessments(half_year).await?.is_empty() {
                missing.push(Missing::Assessments { half_year });
            }
        }
        ReportKind::Annual => {
            if store.budget_actuals(year).await?.is_empty() {
                missing.push(Missing::BudgetActuals { year });
            }
        }
        ReportKind::Quarter => {}
    }
    Ok(missing)
}
