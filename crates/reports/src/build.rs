//! Builds the report model from published criteria (`sikkerby_domain::publish`, the same
//! figures as the pages), the budget and the index. Pure: no I/O, so it can be tested from
//! hand-made figures.

use crate::model::{
    AreaAssessment, BudgetRow, BudgetSection, CriterionRow, DescriptiveRow, Figure, IndexOverview,
    InitiativeSection, Measure, Report, TrendPoint,
};
use crate::period::{ReportKind, ReportPeriod};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sikkerby_domain::budget::Budget;
use sikkerby_domain::criteria::{CriterionDefinition, CriterionKind, Measure as CriterionMeasure};
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::publish::{publish_part, Cell, Published, PublishedResult};
use std::collections::BTreeMap;

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

/// Everything a report is made from: the criteria already published; the budget's outcome
/// counts raw, published by [`build`].
#[derive(Debug, Clone)]
pub struct Inputs {
    pub kind: ReportKind,
    pub period: ReportPeriod,
    pub as_of: NaiveDate,
    pub rules: DisclosureRules,
    pub criteria: Vec<CriterionDefinition>,
    /// Initiative codes and names in the portfolio's order.
    pub initiatives: Vec<(String, String)>,
    pub evaluation: Published,
    /// Published figures of the years of the trend, the report year included, oldest first.
    pub history: Vec<(i32, Published)>,
    pub budget: Option<BudgetInputs>,
    pub index: Option<IndexOverview>,
    pub assessments: Vec<AreaAssessment>,
}

/// Builds the report.
pub fn build(inputs: &Inputs) -> Report {
    let rows: Vec<CriterionRow> =
        inputs.evaluation.results.iter().map(|r| criterion_row(inputs, r)).collect();
    let goal = rows.iter().find(|r| r.is_goal).cloned();
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
        rows.iter().filter(|r| r.initiative == code && !r.is_goal).cloned().collect();
    let descriptive: Vec<DescriptiveRow> = inputs
        .evaluation
        .descriptive
        .iter()
        .filter(|d| d.initiative == code)
        .map(|d| DescriptiveRow { text: d.text.clone(), value: Figure::of_count(d.value) })
        .collect();
    if criteria.is_empty() && descriptive.is_empty() {
        return None;
    }
    Some(InitiativeSection { code: code.to_owned(), name: name.to_owned(), criteria, descriptive })
}

fn measure(result: &PublishedResult) -> Measure {
    match result.kind {
        CriterionKind::ShareAtLeast => Measure::Share,
        CriterionKind::CountAtLeast => Measure::Count,
        CriterionKind::MeanWithinBand => Measure::Mean,
        _ if result.denominator != Cell::Absent => Measure::Share,
        _ if result.value != Cell::Absent => Measure::Count,
        _ => Measure::Other,
    }
}

fn criterion_row(inputs: &Inputs, r: &PublishedResult) -> CriterionRow {
    let measure = measure(r);
    CriterionRow {
        id: r.criterion.clone(),
        initiative: r.initiative.clone(),
        words: r.text.clone(),
        status: r.status,
        measure,
        value: Figure::of(r.value),
        numerator: Figure::of_count(r.numerator),
        denominator: Figure::of_count(r.denominator),
        unknown: if measure == Measure::Share { Figure::of_count(r.unknown) } else { Figure::Missing },
        target: r.target,
        interval: r.interval.shown(),
        projection: r.projection.shown(),
        trend: trend(inputs, &r.criterion),
        is_goal: is_goal(inputs, &r.criterion),
    }
}

/// Whether the criterion holds Sikker By's goal 1 (its measure, not its id: docs/criteria.md).
fn is_goal(inputs: &Inputs, criterion: &str) -> bool {
    let def = inputs.criteria.iter().find(|c| c.id == criterion);
    def.is_some_and(|c| c.measure == Some(CriterionMeasure::AreasNeedingEffortHalved))
}

/// The criterion's value per year of the history (annual report only).
fn trend(inputs: &Inputs, criterion: &str) -> Vec<TrendPoint> {
    if inputs.kind != ReportKind::Annual {
        return Vec::new();
    }
    inputs
        .history
        .iter()
        .filter_map(|(year, published)| {
            let r = published.results.iter().find(|r| r.criterion == criterion)?;
            Some(TrendPoint { year: *year, value: Figure::of(r.value) })
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
            let published = outcome.map(|o| publish_part(o.participants, o.successes, rules));
            let per = |n: Cell<u64>| per_person(amount, n);
            BudgetRow {
                line: line.name.clone(),
                initiative: line.initiative.clone(),
                budget: cell,
                actual: inputs.actuals.get(&line.name).copied(),
                participants: published.map_or(Figure::Missing, |(p, _)| Figure::of_count(p)),
                successes: published.map_or(Figure::Missing, |(_, s)| Figure::of_count(s)),
                per_participant: published.and_then(|(p, _)| per(p)),
                per_success: published.and_then(|(_, s)| per(s)),
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
/// count is published (a cost over a withheld count would give the count away).
fn per_person(millions: Decimal, count: Cell<u64>) -> Option<Decimal> {
    let count = count.shown().filter(|&n| n > 0)?;
    if millions <= Decimal::ZERO {
        return None;
    }
    Some((millions * Decimal::from(1_000_000) / Decimal::from(count)).round_dp(2))
}
