//! Builds the report model from evaluated criteria, the budget and the index: the one place
//! where figures pass disclosure control (`protect_result`, DOMAIN.md §9) on their way to a
//! report. Pure: no I/O, so it can be tested from a hand-made [`Evaluation`].

use crate::model::{
    AreaAssessment, BudgetRow, BudgetSection, CriterionRow, DescriptiveRow, Figure, IndexOverview,
    InitiativeSection, Measure, Report, TrendPoint,
};
use crate::period::{ReportKind, ReportPeriod};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sikkerby_domain::budget::Budget;
use sikkerby_domain::criteria::{CriterionDefinition, CriterionKind};
use sikkerby_domain::disclosure::{protect_result, DisclosureRules};
use sikkerby_domain::engine::{CriterionResult, Evaluation};
use std::collections::BTreeMap;

/// The criterion that holds Sikker By's goal 1.
pub const GOAL_CRITERION: &str = "C19";

/// The initiatives the half-yearly report on unsettled areas covers.
pub const HALF_YEAR_INITIATIVES: [&str; 2] = ["UROLIGE", "TRYGHEDSINDEKS"];

/// Participants and positive outcomes of an initiative in the report year (raw counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub participants: u64,
    pub successes: u64,
}

/// The budget and what it is compared with.
#[derive(Debug, Clone)]
pub struct BudgetInputs {
    pub budget: Budget,
    /// Actual spend per line name, millions of kroner.
    pub actuals: BTreeMap<String, Decimal>,
    /// Per initiative code.
    pub outcomes: BTreeMap<String, Outcome>,
}

/// Everything a report is made from, unprotected: [`build`] applies disclosure control.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub kind: ReportKind,
    pub period: ReportPeriod,
    pub as_of: NaiveDate,
    pub rules: DisclosureRules,
    pub criteria: Vec<CriterionDefinition>,
    /// Initiative codes and names in the portfolio's order.
    pub initiatives: Vec<(String, String)>,
    pub evaluation: Evaluation,
    /// Evaluations of the years of the trend, the report year included, oldest first.
    pub history: Vec<(i32, Evaluation)>,
    pub budget: Option<BudgetInputs>,
    pub index: Option<IndexOverview>,
    pub assessments: Vec<AreaAssessment>,
}

/// Builds the report.
pub fn build(inputs: &Inputs) -> Report {
    let rows: Vec<CriterionRow> =
        inputs.evaluation.results.iter().map(|r| criterion_row(inputs, r)).collect();
    let goal = rows.iter().find(|r| r.id == GOAL_CRITERION).cloned();
    let initiatives = inputs
        .initiatives
        .iter()
        .filter(|(code, _)| {
            inputs.kind != ReportKind::HalfYear || HALF_YEAR_INITIATIVES.contains(&code.as_str())
        })
        .filter_map(|(code, name)| initiative_section(inputs, &rows, code, name))
        .collect();
    let budget = match (inputs.kind, &inputs.budget) {
        (ReportKind::Annual, Some(b)) => Some(budget_section(&inputs.rules, b, inputs.period.year())),
        _ => None,
    };
    Report {
        kind: inputs.kind,
        period: inputs.period.clone(),
        as_of: inputs.as_of,
        threshold: inputs.rules.threshold,
        goal,
        index: inputs.index.clone(),
        assessments: inputs.assessments.clone(),
        initiatives,
        budget,
    }
}

fn initiative_section(
    inputs: &Inputs,
    rows: &[CriterionRow],
    code: &str,
    name: &str,
) -> Option<InitiativeSection> {
    let criteria: Vec<CriterionRow> =
        rows.iter().filter(|r| r.initiative == code && r.id != GOAL_CRITERION).cloned().collect();
    let descriptive: Vec<DescriptiveRow> = inputs
        .evaluation
        .descriptive
        .iter()
        .filter(|d| d.initiative == code)
        .map(|d| DescriptiveRow { text: d.text.clone(), value: count_figure(&inputs.rules, d.value) })
        .collect();
    if criteria.is_empty() && descriptive.is_empty() {
        return None;
    }
    Some(InitiativeSection { code: code.to_owned(), name: name.to_owned(), criteria, descriptive })
}

fn count_figure(rules: &DisclosureRules, count: u64) -> Figure {
    if rules.is_small(count) {
        Figure::Suppressed
    } else {
        Figure::Value(count as f64)
    }
}

fn measure(inputs: &Inputs, result: &CriterionResult) -> Measure {
    let kind = inputs.criteria.iter().find(|c| c.id == result.criterion).map(|c| c.kind);
    match kind {
        Some(CriterionKind::ShareAtLeast) => Measure::Share,
        Some(CriterionKind::CountAtLeast) => Measure::Count,
        Some(CriterionKind::MeanWithinBand) => Measure::Mean,
        _ if result.denominator.is_some() => Measure::Share,
        _ if result.value.is_some() => Measure::Count,
        _ => Measure::Other,
    }
}

/// A figure of a protected result: withheld fields become [`Figure::Suppressed`].
fn figure(protected: &CriterionResult, field: &str, value: Option<f64>) -> Figure {
    if protected.suppressed.iter().any(|s| s == field) {
        Figure::Suppressed
    } else {
        value.map_or(Figure::Missing, Figure::Value)
    }
}

fn criterion_row(inputs: &Inputs, raw: &CriterionResult) -> CriterionRow {
    let mut r = raw.clone();
    protect_result(&inputs.rules, &mut r);
    let measure = measure(inputs, raw);
    let unknown = if measure == Measure::Share { Some(r.unknown as f64) } else { None };
    CriterionRow {
        id: r.criterion.clone(),
        initiative: r.initiative.clone(),
        words: r.text.clone(),
        status: r.status,
        measure,
        value: figure(&r, "value", r.value),
        numerator: figure(&r, "numerator", r.numerator.map(|n| n as f64)),
        denominator: figure(&r, "denominator", r.denominator.map(|n| n as f64)),
        unknown: figure(&r, "unknown", unknown),
        target: r.target,
        interval: r.interval,
        projection: r.projection.filter(|_| r.value.is_some()),
        trend: trend(inputs, &r.criterion),
    }
}

/// The criterion's value per year of the history (annual report only).
fn trend(inputs: &Inputs, criterion: &str) -> Vec<TrendPoint> {
    if inputs.kind != ReportKind::Annual {
        return Vec::new();
    }
    inputs
        .history
        .iter()
        .filter_map(|(year, evaluation)| {
            let raw = evaluation.results.iter().find(|r| r.criterion == criterion)?;
            let mut r = raw.clone();
            protect_result(&inputs.rules, &mut r);
            Some(TrendPoint { year: *year, value: figure(&r, "value", r.value) })
        })
        .collect()
}

fn budget_section(rules: &DisclosureRules, inputs: &BudgetInputs, year: i32) -> BudgetSection {
    let column = inputs.budget.years.iter().position(|&y| y == year);
    let rows: Vec<BudgetRow> = inputs
        .budget
        .lines
        .iter()
        .map(|line| {
            let cell = column.map_or(sikkerby_domain::budget::BudgetCell::NoAllocation, |c| line.cells[c]);
            let outcome = line.initiative.as_ref().and_then(|code| inputs.outcomes.get(code)).copied();
            let amount = cell.value();
            let per = |n: u64| per_person(rules, amount, n);
            BudgetRow {
                line: line.name.clone(),
                initiative: line.initiative.clone(),
                budget: cell,
                actual: inputs.actuals.get(&line.name).copied(),
                participants: outcome.map_or(Figure::Missing, |o| count_figure(rules, o.participants)),
                successes: outcome.map_or(Figure::Missing, |o| count_figure(rules, o.successes)),
                per_participant: outcome.and_then(|o| per(o.participants)),
                per_success: outcome.and_then(|o| per(o.successes)),
            }
        })
        .collect();
    let recorded: Vec<Decimal> = rows.iter().filter_map(|r| r.actual).collect();
    BudgetSection {
        year,
        total: inputs.budget.total(year).unwrap_or_default(),
        actual_total: (!recorded.is_empty()).then(|| recorded.iter().sum()),
        rows,
    }
}

/// Kroner per person: the line's millions over the count, where the amount is positive and the
/// count may be published (a cost over a withheld count would give the count away).
fn per_person(rules: &DisclosureRules, millions: Decimal, count: u64) -> Option<Decimal> {
    if millions <= Decimal::ZERO || count == 0 || rules.is_small(count) {
        return None;
    }
    Some((millions * Decimal::from(1_000_000) / Decimal::from(count)).round_dp(2))
}
