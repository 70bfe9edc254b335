//! The safety index (Tryghedsindeks, docs/domain.md §8): per local area and year, police reports per
//! 1,000 residents (R), the weighted shares of survey respondents who were victimised (V) or feel
//! unsafe in their neighbourhood (U) or at night (N), each indexed to the city in a base year, a
//! weighted total T, a need category, and how certain all of that is.
//!
//! Pure: plain rows in ([`IndexInputs`], the `tryghed/` files of docs/formats.md after import),
//! an [`IndexResult`] out. The bootstrap is seeded, so the same rows and configuration always give
//! the same figures. The criteria engine reads C14–C16 and C19 through [`IndexResult`]'s helpers.
//!
//! Module map: [`config`] settings and categories; `components` the raw R, V, U, N; `compute` the
//! indices, T and the bootstrap; [`uncertainty`] Kish, Wilson, bootstrap and significance tests;
//! `changes` year-on-year changes; `criteria` the C14–C16, C19 helpers and category changes;
//! [`result`] the output types (the `sikkerby index --format json` shape).

mod changes;
mod components;
mod compute;
pub mod config;
mod criteria;
pub mod result;
pub mod uncertainty;

use serde::{Deserialize, Serialize};

pub use compute::compute;
pub use config::{Category, CategoryProbabilities, CutPoints, IndexConfig, Weights};
pub use criteria::{category_changes, C19Goal, CategoryChange, CrimeDown, SaferThanBefore};
pub use result::{AreaIndex, Change, CityIndex, IndexResult, YearChange, YearIndex};

/// An area's population in one year (`omraader.csv`). An area has an index in a year only when it
/// has this row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaYear {
    pub area: String,
    /// The district (bydel) id.
    pub district: String,
    pub year: i32,
    pub population: u64,
}

/// Police reports of one offence group in one area and year (`anmeldelser.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceReports {
    pub area: String,
    pub year: i32,
    pub group: String,
    /// Citizen-facing crime (borgervendt); only these count toward R.
    pub citizen_facing: bool,
    pub count: u64,
}

/// One survey answer (`survey.csv`). Answers run 1 = very safe … 5 = very unsafe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    pub respondent_id: String,
    pub area: String,
    pub year: i32,
    /// Design weight; finite and ≥ 0 (the import rejects anything else).
    pub weight: f64,
    pub safe_neighbourhood: u8,
    pub safe_night: u8,
    /// Victim of a crime in the last 12 months.
    pub victimised: bool,
}

/// Everything the index is computed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexInputs {
    pub areas: Vec<AreaYear>,
    pub reports: Vec<PoliceReports>,
    pub survey: Vec<SurveyResponse>,
}
