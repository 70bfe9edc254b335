//! Criteria that the case data cannot answer (docs/domain.md §4, §7): manual indicators (C11, Hotspot's
//! local ones), external indicators delivered by another administration (C13) and deliverables
//! (C17, C18). Each entry is made by one user and reviewed by another, who approves it or sends
//! it back with a comment; only approved entries count, and the result is computed here the same
//! way for every such criterion.

use crate::calendar::Period;
use crate::criteria::{CriterionDefinition, CriterionKind, Measure};
use crate::engine::{CriterionResult, GroupResult, Status};
use chrono::{DateTime, NaiveDate, Utc};
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

/// What an entry for a criterion holds: an assessment in words (C11, C12's local indicators),
/// an external indicator's value against its baseline (C13), or a deliverable's dates (C17, C18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Assessment,
    External,
    Deliverable,
}

/// The kind of entry a criterion takes; `None` for one computed from the case data or the
/// safety index alone.
pub fn entry_kind(def: &CriterionDefinition) -> Option<EntryKind> {
    match def.kind {
        CriterionKind::Manual => Some(EntryKind::Assessment),
        CriterionKind::Index if def.measure == Some(Measure::AreaTLowerWithLocalIndicators) => {
            Some(EntryKind::Assessment)
        }
        CriterionKind::External => Some(EntryKind::External),
        CriterionKind::Deliverable => Some(EntryKind::Deliverable),
        _ => None,
    }
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
    pub entered_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// Set while the entry is sent back; a correction clears it.
    pub sent_back: Option<SentBack>,
}

/// A reviewer's "not like this": who sent the entry back, when, and the comment saying why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentBack {
    pub by: String,
    pub at: DateTime<Utc>,
    pub comment: String,
}

/// Where an entry stands in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Entered (or corrected), awaiting a second user.
    Pending,
    Approved,
    /// Sent back with a comment, awaiting a correction.
    SentBack,
}

/// Why a review (approving, sending back) or a correction was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("an entry must be reviewed by someone other than the person who entered it")]
    SamePerson,
    #[error("the entry is already approved")]
    AlreadyApproved,
    #[error("the entry was sent back and awaits a correction")]
    AwaitsCorrection,
    #[error("only an entry that was sent back can be corrected")]
    NotSentBack,
    #[error("a comment saying what to correct is required")]
    NoComment,
}

impl IndicatorEntry {
    /// Where the entry stands.
    pub fn status(&self) -> ReviewStatus {
        match (&self.approved_by, &self.sent_back) {
            (Some(_), _) => ReviewStatus::Approved,
            (None, Some(_)) => ReviewStatus::SentBack,
            (None, None) => ReviewStatus::Pending,
        }
    }

    /// The four-eyes rule for approving and sending back: the entry awaits review, and the
    /// reviewer is another user than the one who entered (or last corrected) it.
    pub fn check_review(&self, reviewer: &str) -> Result<(), ReviewError> {
        match self.status() {
            ReviewStatus::Approved => return Err(ReviewError::AlreadyApproved),
            ReviewStatus::SentBack => return Err(ReviewError::AwaitsCorrection),
            ReviewStatus::Pending => {}
        }
        if self.entered_by_is(reviewer) {
            return Err(ReviewError::SamePerson);
        }
        Ok(())
    }

    /// A send-back: a review with a comment.
    pub fn check_send_back(&self, reviewer: &str, comment: &str) -> Result<(), ReviewError> {
        self.check_review(reviewer)?;
        if comment.trim().is_empty() {
            return Err(ReviewError::NoComment);
        }
        Ok(())
    }

    /// Only a sent-back entry is corrected; the corrector becomes the one who entered it, so
    /// the four-eyes rule applies to whoever typed the values last.
    pub fn check_correction(&self) -> Result<(), ReviewError> {
        match self.status() {
            ReviewStatus::SentBack => Ok(()),
            ReviewStatus::Approved => Err(ReviewError::AlreadyApproved),
            ReviewStatus::Pending => Err(ReviewError::NotSentBack),
        }
    }

    /// Whether `user` entered the entry (user names compared as the sign-in compares them).
    pub fn entered_by_is(&self, user: &str) -> bool {
        user.trim().eq_ignore_ascii_case(self.entered_by.trim())
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
