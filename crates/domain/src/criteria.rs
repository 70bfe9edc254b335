//! Success criteria as data (docs/domain.md §7): each criterion keeps the memo's words, the formal
//! definition it is evaluated by, and its targets per year. A criterion for a new year or a
//! changed target is a change to `seed/criteria.toml`, not to code.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a criterion's figure is obtained and compared with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    /// A count of distinct citizens (or placements) that must reach the target.
    CountAtLeast,
    /// A share (0–1) of a cohort that must reach the target.
    ShareAtLeast,
    /// A mean (e.g. active cases over the days of a period) that must lie within target ± band.
    MeanWithinBand,
    /// A safety-index comparison (C14–C16, C19).
    Index,
    /// Entered by hand and approved by another user (C11, C12's local indicators).
    Manual,
    /// Delivered by another administration, each with a direction against a baseline (C13).
    External,
    /// A report or survey that must be delivered a number of times per year (C17, C18).
    Deliverable,
}

/// The target that applies from a year on (until a later entry replaces it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetFrom {
    pub from_year: i32,
    /// The target value: a count, a share as a fraction (0.5), or a mean; absent for manual
    /// criteria that are assessed in words.
    #[serde(default)]
    pub value: Option<Decimal>,
    /// Relative tolerance for [`CriterionKind::MeanWithinBand`] (0.2 = ± 20 %).
    #[serde(default)]
    pub band: Option<Decimal>,
}

/// One success criterion of the memo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionDefinition {
    /// `C1` … `C19`.
    pub id: String,
    pub initiative: String,
    pub kind: CriterionKind,
    /// The memo's words, verbatim.
    pub memo_words: String,
    /// The formal definition the engine evaluates (docs/domain.md §7), in English.
    pub definition: String,
    /// The same definition in plain Danish, for the Danish pages; empty in a portfolio stored
    /// before it existed, where the pages fall back to the English.
    #[serde(default)]
    pub definition_da: String,
    pub targets: Vec<TargetFrom>,
    /// The computation that answers the criterion: from case data (see `engine`) or from the
    /// safety index (see `sikkerby_app::index_criteria`); absent for manual, external and
    /// deliverable criteria, which are answered by their own entries.
    #[serde(default)]
    pub measure: Option<Measure>,
    /// The areas (seed ids) a safety-index measure looks at, e.g. `["tingbjerg"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    /// The year by which a goal must be reached (C19: "senest i 2014"); before it the status is
    /// a projection (`on_track`/`off_track`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_year: Option<i32>,
}

/// Where a measure's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureSource {
    CaseData,
    SafetyIndex,
}

/// The named computations a criterion can use (`measure` in `seed/criteria.toml`). A name that is
/// not one of these stops the seed from loading (docs/criteria.md, "Measures").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Distinct citizens who received an offer in the period (C3).
    OfferRecipients,
    /// The same, counting only BIF offers (C1).
    OfferRecipientsBif,
    /// Citizens in job or education within a year of their enrollment's start (C2).
    JobOrEducationWithinAYear,
    /// Citizens positive three months after release (C4).
    PositiveAfterRelease,
    /// Distinct citizens placed in a leisure job (C5).
    PlacedCitizens,
    /// Placements lasting three months (C6).
    PlacementsLastingThreeMonths,
    /// The mean number of active enrollments over the days of the period (C7).
    MeanActiveEnrollments,
    /// Participants with a LAB offer (C8).
    ParticipantsWithLabOffer,
    /// Positive three months after an offer's end (C9).
    PositiveAfterOfferEnd,
    /// Retained in positive contact three months after an offer's start (C10).
    RetainedAfterOfferStart,
    /// The areas' T lower than the previous year, beside approved local indicators (C12).
    AreaTLowerWithLocalIndicators,
    /// The area's night-time unsafe share N at or below the city's, same year (C14).
    NightUnsafeAtOrBelowCity,
    /// The area's U and N both lower than the previous year (C15).
    SaferThanPreviousYear,
    /// The area's R lower than the previous year (C16).
    ReportsLowerThanPreviousYear,
    /// Areas in `markant` or `intensiveret` at most half the base year's count (C19).
    AreasNeedingEffortHalved,
}

impl Measure {
    pub fn source(self) -> MeasureSource {
        use Measure::*;
        match self {
            AreaTLowerWithLocalIndicators
            | NightUnsafeAtOrBelowCity
            | SaferThanPreviousYear
            | ReportsLowerThanPreviousYear
            | AreasNeedingEffortHalved => MeasureSource::SafetyIndex,
            _ => MeasureSource::CaseData,
        }
    }

    /// Whether the measure counts leisure-job placements rather than enrollments.
    pub fn counts_placements(self) -> bool {
        matches!(self, Measure::PlacedCitizens | Measure::PlacementsLastingThreeMonths)
    }

    /// What a criterion with this measure lacks to be evaluated (areas, a deadline), if anything.
    pub fn lacks(self, c: &CriterionDefinition) -> Option<&'static str> {
        match self {
            Measure::AreasNeedingEffortHalved if c.deadline_year.is_none() => {
                Some("areas_needing_effort_halved needs a deadline_year")
            }
            Measure::AreasNeedingEffortHalved => None,
            m if m.source() == MeasureSource::SafetyIndex && c.areas.is_empty() => {
                Some("a safety-index measure needs the areas it looks at (areas = [...])")
            }
            _ => None,
        }
    }

    /// Why the measure cannot answer a criterion of `kind`, if it cannot.
    pub fn misfit(self, kind: CriterionKind) -> Option<&'static str> {
        use CriterionKind::*;
        match (self.source(), kind) {
            (MeasureSource::SafetyIndex, Index) => None,
            (MeasureSource::SafetyIndex, _) => Some("a safety-index measure needs kind = \"index\""),
            (MeasureSource::CaseData, _)
                if (self == Measure::MeanActiveEnrollments) != (kind == MeanWithinBand) =>
            {
                Some("mean_active_enrollments goes with kind = \"mean_within_band\" and only there")
            }
            (MeasureSource::CaseData, CountAtLeast | ShareAtLeast | MeanWithinBand) => None,
            (MeasureSource::CaseData, _) => Some("a case-data measure needs a count, share or mean kind"),
        }
    }
}

impl CriterionDefinition {
    /// The target in force for a year: the latest entry whose `from_year` ≤ year.
    pub fn target_for(&self, year: i32) -> Option<&TargetFrom> {
        self.targets.iter().filter(|t| t.from_year <= year).max_by_key(|t| t.from_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_target_not_after_the_year_applies() {
        let c = CriterionDefinition {
            id: "C1".into(),
            initiative: "SSPPLUS".into(),
            kind: CriterionKind::CountAtLeast,
            memo_words: String::new(),
            definition: String::new(),
            definition_da: String::new(),
            measure: None,
            areas: Vec::new(),
            deadline_year: None,
            targets: vec![
                TargetFrom { from_year: 2012, value: Some(100.into()), band: None },
                TargetFrom { from_year: 2014, value: Some(120.into()), band: None },
            ],
        };
        assert!(c.target_for(2011).is_none());
        assert_eq!(c.target_for(2013).unwrap().value, Some(100.into()));
        assert_eq!(c.target_for(2015).unwrap().value, Some(120.into()));
    }
}
