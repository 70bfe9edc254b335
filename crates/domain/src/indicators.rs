//! Criteria that the case data cannot answer (docs/domain.md §4, §7): manual indicators (C11, Hotspot's
//! local ones), external indicators delivered by another administration (C13) and deliverables
//! (C17, C18). Each entry is made by one user and approved by another; only approved entries
//! count, and the result is computed here the same way for every such criterion.

use crate::calendar::Period;
use crate::criteria::{CriterionDefinition, CriterionKind};
use crate::engine::{CriterionResult, GroupResult, Status};
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A manual assessment in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    Met,
    Partly,
    NotMet,
}

impl Assessment {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "met" => Some(Assessment::Met),
            "partly" => Some(Assessment::Partly),
            "not_met" => Some(Assessment::NotMet),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Assessment::Met => "met",
            Assessment::Partly => "partly",
            Assessment::NotMet => "not_met",
        }
    }
}

/// Which way an external indicator should move against its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

/// One entered value. Which fields are used depends on the criterion's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorEntry {
    pub id: i64,
    pub criterion: String,
    pub period: Period,
    /// The indicator's name ("Oplæg/temadage", "Anholdelser", "Årlig tryghedsundersøgelse").
    pub indicator: String,
    pub number: Option<Decimal>,
    pub baseline: Option<Decimal>,
    pub direction: Option<Direction>,
    pub assessment: Option<Assessment>,
    pub due: Option<NaiveDate>,
    pub delivered: Option<NaiveDate>,
    pub narrative: String,
    pub entered_by: String,
    pub approved_by: Option<String>,
}

/// Why an approval was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    #[error("an entry must be approved by someone other than the person who entered it")]
    SamePerson,
    #[error("the entry is already approved")]
    AlreadyApproved,
}

impl IndicatorEntry {
    /// The four-eyes rule: the approver must be another user.
    pub fn check_approval(&self, approver: &str) -> Result<(), ApprovalError> {
        if self.approved_by.is_some() {
            return Err(ApprovalError::AlreadyApproved);
        }
        if approver.trim().eq_ignore_ascii_case(self.entered_by.trim()) {
            return Err(ApprovalError::SamePerson);
        }
        Ok(())
    }

    /// True when the entry answers for a period overlapping `period`.
    pub fn overlaps(&self, period: &Period) -> bool {
        self.period.from() <= period.to() && period.from() <= self.period.to()
    }

    /// External indicators: moved the right way against the baseline.
    fn improved(&self) -> bool {
        match (self.number, self.baseline, self.direction) {
            (Some(n), Some(b), Some(Direction::Up)) => n > b,
            (Some(n), Some(b), Some(Direction::Down)) => n < b,
            _ => false,
        }
    }
}

/// The result of a manual, external or deliverable criterion from its approved entries.
pub fn indicator_result(
    def: &CriterionDefinition,
    entries: &[IndicatorEntry],
    period: &Period,
    as_of: NaiveDate,
    base: CriterionResult,
) -> CriterionResult {
    let approved: Vec<&IndicatorEntry> = entries
        .iter()
        .filter(|e| e.criterion == def.id && e.approved_by.is_some() && e.overlaps(period))
        .collect();
    let mut result = base;
    if approved.is_empty() {
        return result;
    }
    match def.kind {
        CriterionKind::Deliverable => deliverables(&mut result, &approved, period, as_of),
        CriterionKind::External => assessed(&mut result, &approved, |e| e.improved()),
        _ => assessed(&mut result, &approved, |e| e.assessment == Some(Assessment::Met)),
    }
    result
}

fn assessed(
    result: &mut CriterionResult,
    entries: &[&IndicatorEntry],
    success: impl Fn(&IndicatorEntry) -> bool,
) {
    let met = entries.iter().filter(|e| success(e)).count() as u64;
    result.status = Status::Assessed;
    result.numerator = Some(met);
    result.denominator = Some(entries.len() as u64);
    result.value = Some(met as f64 / entries.len() as f64);
    result.by = Some("indicator".into());
    result.breakdown = entries
        .iter()
        .map(|e| GroupResult {
            group: e.indicator.clone(),
            value: e.number.and_then(|n| n.to_f64()),
            numerator: Some(u64::from(success(e))),
            denominator: Some(1),
            unknown: 0,
            interval: None,
        })
        .collect();
}

/// Deliverables: how many were delivered in the period against the target count; while the
/// period runs, on track unless one is overdue.
fn deliverables(
    result: &mut CriterionResult,
    entries: &[&IndicatorEntry],
    period: &Period,
    as_of: NaiveDate,
) {
    let delivered =
        entries.iter().filter(|e| e.delivered.is_some_and(|d| period.contains(d) && d <= as_of)).count()
            as u64;
    let overdue = entries.iter().any(|e| e.delivered.is_none() && e.due.is_some_and(|d| d < as_of));
    result.value = Some(delivered as f64);
    let target = result.target.unwrap_or(1.0);
    let running = as_of < period.to();
    result.status = match (delivered as f64 >= target, running, overdue) {
        (true, _, _) => Status::Met,
        (false, true, false) => Status::OnTrack,
        (false, true, true) => Status::OffTrack,
        (false, false, _) => Status::NotMet,
    };
}
