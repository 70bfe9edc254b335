//! What the index computation returns. A [`YearIndex`] serialises to the document
//! `sikkerby index --year Y --format json` prints (docs/formats.md): `year`, `base_year`, `city`
//! and `areas`, each area with `area`, `bydel`, `R`, `V`, `U`, `N`, `I_R`, `I_V`, `I_U`, `T`,
//! `category`, `n`, `n_eff`, `T_interval`, `uncertain`, plus the shares' Wilson intervals, the
//! category probabilities and the change from the previous year.
//!
//! A figure that cannot be computed is `None` (JSON `null`), never 0: see [`AreaIndex`].

use serde::{Deserialize, Serialize};

use super::config::{Category, CategoryProbabilities};

/// The index of one area in one year.
///
/// `R` is `None` when the population is 0 or the year has no police data; `V`, `U`, `N` when the
/// area has no respondents; an `I_c` when its component is `None` or the city's base value of the
/// component is 0 or missing; `T` when a component it needs is `None` (see `compute`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaIndex {
    pub area: String,
    #[serde(rename = "bydel")]
    pub district: String,
    #[serde(rename = "R")]
    pub r: Option<f64>,
    #[serde(rename = "V")]
    pub v: Option<f64>,
    #[serde(rename = "U")]
    pub u: Option<f64>,
    #[serde(rename = "N")]
    pub night: Option<f64>,
    #[serde(rename = "I_R")]
    pub i_r: Option<f64>,
    #[serde(rename = "I_V")]
    pub i_v: Option<f64>,
    #[serde(rename = "I_U")]
    pub i_u: Option<f64>,
    #[serde(rename = "T")]
    pub t: Option<f64>,
    pub category: Option<Category>,
    /// Respondents.
    pub n: usize,
    /// Kish effective n; 0 without respondents.
    pub n_eff: f64,
    /// 95 % bootstrap percentile interval of T.
    #[serde(rename = "T_interval")]
    pub t_interval: Option<[f64; 2]>,
    /// Effective n below the configured minimum.
    pub uncertain: bool,
    /// 95 % Wilson intervals of the shares, on the effective n.
    #[serde(rename = "V_interval")]
    pub v_interval: Option<[f64; 2]>,
    #[serde(rename = "U_interval")]
    pub u_interval: Option<[f64; 2]>,
    #[serde(rename = "N_interval")]
    pub night_interval: Option<[f64; 2]>,
    /// Share of bootstrap resamples in each category.
    pub category_probabilities: Option<CategoryProbabilities>,
    /// Change from the previous calendar year; `None` when the area has no row that year.
    pub change: Option<YearChange>,
    /// Citizen-facing reports and population behind R; kept for the rate test, not published
    /// (small counts are for disclosure control to decide on).
    #[serde(skip)]
    pub reports: u64,
    #[serde(skip)]
    pub population: u64,
    /// Bootstrap T values in resampling order (not sorted: the change test pairs them by index).
    #[serde(skip)]
    pub bootstrap: Vec<f64>,
}

/// The city as a whole in one year. In the base year every defined `I_c` and `T` is 100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityIndex {
    #[serde(rename = "R")]
    pub r: Option<f64>,
    #[serde(rename = "V")]
    pub v: Option<f64>,
    #[serde(rename = "U")]
    pub u: Option<f64>,
    #[serde(rename = "N")]
    pub night: Option<f64>,
    #[serde(rename = "I_R")]
    pub i_r: Option<f64>,
    #[serde(rename = "I_V")]
    pub i_v: Option<f64>,
    #[serde(rename = "I_U")]
    pub i_u: Option<f64>,
    #[serde(rename = "T")]
    pub t: Option<f64>,
    pub n: usize,
    pub n_eff: f64,
}

/// One year of the index: the `sikkerby index --year Y` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearIndex {
    pub year: i32,
    pub base_year: Option<i32>,
    pub city: CityIndex,
    /// Sorted by area id.
    pub areas: Vec<AreaIndex>,
}

/// The change of one figure from the previous year to this one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub previous: f64,
    pub current: f64,
    /// current − previous.
    pub difference: f64,
    /// Two-sided p-value (not for T, whose test is the bootstrap interval).
    pub p_value: Option<f64>,
    /// For T: the bootstrap interval of the difference at the configured significance level.
    pub interval: Option<[f64; 2]>,
    /// p < the configured level (T: the interval excludes 0).
    pub significant: bool,
}

impl Change {
    /// The figure went down (for the index, down is safer).
    pub fn lower(&self) -> bool {
        self.current < self.previous
    }
}

/// Year-on-year changes of one area; a figure missing in either year has no change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearChange {
    pub previous_year: i32,
    #[serde(rename = "T")]
    pub t: Option<Change>,
    #[serde(rename = "R")]
    pub r: Option<Change>,
    #[serde(rename = "V")]
    pub v: Option<Change>,
    #[serde(rename = "U")]
    pub u: Option<Change>,
    #[serde(rename = "N")]
    pub night: Option<Change>,
}

/// The index for every year in the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexResult {
    /// [`super::IndexConfig::version`] of the settings used.
    pub config_version: u32,
    /// The year the city is 100 in; `None` only for empty data.
    pub base_year: Option<i32>,
    /// Sorted by year.
    pub years: Vec<YearIndex>,
    /// Report rows and survey responses for an area and year that has no population row: left
    /// out everywhere (area and city), counted so that the import can warn.
    pub unmatched_reports: usize,
    pub unmatched_responses: usize,
}

impl IndexResult {
    /// One year's index.
    pub fn year(&self, year: i32) -> Option<&YearIndex> {
        self.years.iter().find(|y| y.year == year)
    }

    /// One area's index in one year; `None` when the area has no row that year.
    pub fn area(&self, area: &str, year: i32) -> Option<&AreaIndex> {
        self.year(year)?.areas.iter().find(|a| a.area == area)
    }
}
