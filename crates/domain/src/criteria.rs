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
    pub targets: Vec<TargetFrom>,
    /// The engine's computation for criteria answered from case data (see `engine`), e.g.
    /// `offer_recipients_bif`; absent for manual, external, index and deliverable criteria.
    #[serde(default)]
    pub measure: Option<String>,
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
            measure: None,
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
