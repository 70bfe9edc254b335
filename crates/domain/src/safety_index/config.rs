//! The index's configuration (docs/domain.md §8, §10): weights, cut points, base year and the
//! uncertainty settings. The city's real weights and thresholds are not public, so every number
//! is configuration, and the configuration carries a version so that a published figure can name
//! the settings it was made with.

use serde::{Deserialize, Serialize};

/// Weights of the three index components in T. They need not sum to 1: T divides by the sum of
/// the weights it uses, so `1, 1, 1` and `⅓, ⅓, ⅓` give the same T.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Weights {
    /// Weight of I_R (police reports).
    #[serde(rename = "R")]
    pub r: f64,
    /// Weight of I_V (victimisation).
    #[serde(rename = "V")]
    pub v: f64,
    /// Weight of I_U (feeling unsafe in the neighbourhood).
    #[serde(rename = "U")]
    pub u: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self { r: 1.0 / 3.0, v: 1.0 / 3.0, u: 1.0 / 3.0 }
    }
}

/// Lower bounds of the categories above `tryg`: T below `behov_for_indsats` is `tryg`, and a
/// bound itself belongs to the higher category (T = 125 is `markant`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CutPoints {
    pub behov_for_indsats: f64,
    pub markant: f64,
    pub intensiveret: f64,
}

impl Default for CutPoints {
    fn default() -> Self {
        Self { behov_for_indsats: 100.0, markant: 125.0, intensiveret: 150.0 }
    }
}

/// All settings of one index computation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexConfig {
    /// Bumped whenever a setting changes, so that published figures can be traced to settings.
    pub version: u32,
    pub weights: Weights,
    pub cut_points: CutPoints,
    /// The year the city is 100 in; `None` means the first year in the data.
    pub base_year: Option<i32>,
    /// An answer at or above this value (on 1 = very safe … 5 = very unsafe) counts as unsafe.
    pub unsafe_from: u8,
    /// Areas whose Kish effective n is below this are flagged uncertain.
    pub min_effective_n: f64,
    /// Number of bootstrap resamples per area and year.
    pub bootstrap_resamples: u32,
    /// Seed of the bootstrap: the same seed and data always give the same intervals.
    pub bootstrap_seed: u64,
    /// Level at which a year-on-year change is called significant (p < this).
    pub significance: f64,
}

impl Default for IndexConfig {
    fn default() -> Self {
        Self {
            version: 1,
            weights: Weights::default(),
            cut_points: CutPoints::default(),
            base_year: None,
            unsafe_from: 4,
            min_effective_n: 100.0,
            bootstrap_resamples: 2000,
            bootstrap_seed: 2013,
            significance: 0.05,
        }
    }
}

/// The need category of an area, from T and the cut points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Tryg,
    BehovForIndsats,
    Markant,
    Intensiveret,
}

impl Category {
    /// All categories, from safest to least safe.
    pub const ALL: [Category; 4] =
        [Category::Tryg, Category::BehovForIndsats, Category::Markant, Category::Intensiveret];

    /// The category of a T value; a value exactly on a cut point belongs to the higher category.
    pub fn from_t(t: f64, cuts: &CutPoints) -> Category {
        if t >= cuts.intensiveret {
            Category::Intensiveret
        } else if t >= cuts.markant {
            Category::Markant
        } else if t >= cuts.behov_for_indsats {
            Category::BehovForIndsats
        } else {
            Category::Tryg
        }
    }

    /// The internal code (`tryg`, `behov_for_indsats`, `markant`, `intensiveret`).
    pub fn code(self) -> &'static str {
        match self {
            Category::Tryg => "tryg",
            Category::BehovForIndsats => "behov_for_indsats",
            Category::Markant => "markant",
            Category::Intensiveret => "intensiveret",
        }
    }

    /// True for the two categories Sikker By's goal 1 (C19) counts.
    pub fn needs_marked_or_intensified(self) -> bool {
        matches!(self, Category::Markant | Category::Intensiveret)
    }
}

/// Share of bootstrap resamples whose T falls in each category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryProbabilities {
    pub tryg: f64,
    pub behov_for_indsats: f64,
    pub markant: f64,
    pub intensiveret: f64,
}

impl CategoryProbabilities {
    /// The probability of one category.
    pub fn get(&self, category: Category) -> f64 {
        match category {
            Category::Tryg => self.tryg,
            Category::BehovForIndsats => self.behov_for_indsats,
            Category::Markant => self.markant,
            Category::Intensiveret => self.intensiveret,
        }
    }

    /// Shares of `values` per category; all zero for no values.
    pub fn from_values(values: &[f64], cuts: &CutPoints) -> Self {
        let mut counts = [0usize; 4];
        for &t in values {
            counts[Category::from_t(t, cuts) as usize] += 1;
        }
        let share = |i: usize| counts[i] as f64 / values.len().max(1) as f64;
        Self { tryg: share(0), behov_for_indsats: share(1), markant: share(2), intensiveret: share(3) }
    }
}
