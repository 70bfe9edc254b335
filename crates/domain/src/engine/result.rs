//! Evaluated results in the JSON shape of docs/formats.md ("Results"), and the arithmetic they
//! share: Wilson intervals, linear projection, status.

use crate::criteria::CriterionKind;
use serde::{Deserialize, Serialize};

/// The status of a criterion (docs/domain.md §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    OnTrack,
    OffTrack,
    Pending,
    NoData,
    Assessed,
    /// Published only: the status of a cohort smaller than the disclosure threshold, which
    /// would tell how many of its few members succeeded.
    Withheld,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::OnTrack => "on_track",
            Status::OffTrack => "off_track",
            Status::Pending => "pending",
            Status::NoData => "no_data",
            Status::Assessed => "assessed",
            Status::Withheld => "withheld",
        }
    }
}

/// One group of a drill-down (særtræk). Raw: published only through `crate::publish`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupResult {
    pub group: String,
    pub value: Option<f64>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub unknown: u64,
    pub interval: Option<[f64; 2]>,
}

/// One evaluated criterion. Raw: published only through `crate::publish`.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionResult {
    pub criterion: String,
    pub initiative: String,
    /// What the figure is (count, share, mean, index, …): decides how it is protected.
    pub kind: CriterionKind,
    pub status: Status,
    pub value: Option<f64>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub unknown: u64,
    pub target: Option<f64>,
    pub interval: Option<[f64; 2]>,
    pub text: String,
    /// The value projected linearly to the end of the period, while it is running.
    pub projection: Option<f64>,
    /// Cohort members whose window had not closed by the as-of date.
    pub pending_members: u64,
    /// The drill-down dimension, when one was asked for.
    pub by: Option<String>,
    pub breakdown: Vec<GroupResult>,
    /// Set where a figure resting on fewer respondents than the disclosure threshold was
    /// withheld at its source (the safety index's survey shares): published as `<k`.
    pub small_sample: bool,
}

/// A descriptive figure without a target (KRIMITEAM). Raw.
#[derive(Debug, Clone, PartialEq)]
pub struct DescriptiveFigure {
    pub initiative: String,
    pub figure: String,
    pub value: u64,
    pub text: String,
}

/// The whole evaluation, raw: neither serialisable nor rendered; `crate::publish` turns it
/// into figures that may be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub period: PeriodJson,
    pub as_of: String,
    pub results: Vec<CriterionResult>,
    pub descriptive: Vec<DescriptiveFigure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodJson {
    pub from: String,
    pub to: String,
}

/// The Wilson score interval for `successes` of `n` at 95 % (z = 1.96); `None` for n = 0.
pub fn wilson(successes: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_published_value() {
        // 5 of 10: Wilson 95 % interval [0.2366, 0.7634] (Newcombe 1998, table I style check).
        let [lo, hi] = wilson(5, 10).unwrap();
        assert!((lo - 0.2366).abs() < 1e-4 && (hi - 0.7634).abs() < 1e-4, "{lo} {hi}");
        let [lo, hi] = wilson(0, 10).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 1e-4);
        assert!(wilson(0, 0).is_none());
    }
}
