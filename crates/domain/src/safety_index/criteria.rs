//! What the criteria engine reads from the index (docs/domain.md §7): C14 (night-time unsafety at or
//! below the city), C15 (safer than the year before, day and night), C16 (crime down) and C19
//! (Sikker By goal 1: areas needing marked or intensified effort halved), and the list of areas
//! whose category a configuration change moves.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::Category;
use super::result::{Change, IndexResult};

/// C15: U and N both lower than the previous year, each with its significance shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SaferThanBefore {
    /// Both U and N went down (the memo asks for "mere trygge", not for significance).
    pub met: bool,
    pub u: Change,
    pub night: Change,
}

/// C16: R lower than the previous year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CrimeDown {
    pub met: bool,
    pub r: Change,
}

/// C19: the number of areas in `markant` or `intensiveret` in a year against the base year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct C19Goal {
    pub base_count: usize,
    pub count: usize,
    /// count / base_count; `None` when the base count is 0.
    pub ratio: Option<f64>,
    /// count ≤ 50 % of base_count (with a base count of 0, only a count of 0 meets it).
    pub met: bool,
    /// Areas without a category (no T) in each year: they are in neither count, so a reader can
    /// see when the counts rest on fewer areas.
    pub base_uncategorised: usize,
    pub uncategorised: usize,
}

/// An area whose category differs between two computations (e.g. before and after a change of
/// weights or cut points). `None` = no category (no T, or no row in that computation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChange {
    pub area: String,
    pub year: i32,
    pub from: Option<Category>,
    pub to: Option<Category>,
}

impl IndexResult {
    /// C14: is the area's night-time unsafe share N at or below the city's the same year?
    /// Returns `(met, area N, city N)`; `None` when either N is missing.
    pub fn c14_night_at_or_below_city(&self, area: &str, year: i32) -> Option<(bool, f64, f64)> {
        let city = self.year(year)?.city.night?;
        let own = self.area(area, year)?.night?;
        Some((own <= city, own, city))
    }

    /// C15: U and N compared with the previous calendar year; `None` when either is missing in
    /// either year.
    pub fn c15_safer_than_previous_year(&self, area: &str, year: i32) -> Option<SaferThanBefore> {
        let change = self.area(area, year)?.change.as_ref()?;
        let (u, night) = (change.u?, change.night?);
        Some(SaferThanBefore { met: u.lower() && night.lower(), u, night })
    }

    /// C16: R compared with the previous calendar year; `None` when R is missing in either year.
    pub fn c16_crime_down(&self, area: &str, year: i32) -> Option<CrimeDown> {
        let r = self.area(area, year)?.change.as_ref()?.r?;
        Some(CrimeDown { met: r.lower(), r })
    }

    /// C19 for `year` against `base_year`; `None` when either year is not in the result.
    pub fn c19_goal(&self, base_year: i32, year: i32) -> Option<C19Goal> {
        let (base_count, base_uncategorised) = self.count_needing_effort(base_year)?;
        let (count, uncategorised) = self.count_needing_effort(year)?;
        Some(C19Goal {
            base_count,
            count,
            ratio: (base_count > 0).then(|| count as f64 / base_count as f64),
            // Integer arithmetic, so that exactly half meets the goal without rounding doubt.
            met: 2 * count <= base_count,
            base_uncategorised,
            uncategorised,
        })
    }

    /// (areas in markant or intensiveret, areas without a category) in a year.
    fn count_needing_effort(&self, year: i32) -> Option<(usize, usize)> {
        let areas = &self.year(year)?.areas;
        let count =
            areas.iter().filter(|a| a.category.is_some_and(Category::needs_marked_or_intensified)).count();
        let uncategorised = areas.iter().filter(|a| a.category.is_none()).count();
        Some((count, uncategorised))
    }
}

/// Areas and years whose category differs between `before` and `after`, sorted by year and area.
pub fn category_changes(before: &IndexResult, after: &IndexResult) -> Vec<CategoryChange> {
    let categories = |result: &IndexResult| -> BTreeMap<(i32, String), Option<Category>> {
        result
            .years
            .iter()
            .flat_map(|y| y.areas.iter().map(|a| ((y.year, a.area.clone()), a.category)))
            .collect()
    };
    let (from, mut to) = (categories(before), categories(after));
    let mut changes = Vec::new();
    for (key, old) in from {
        let new = to.remove(&key).flatten();
        if old != new {
            changes.push((key, old, new));
        }
    }
    // Areas only `after` has.
    changes.extend(to.into_iter().filter_map(|(k, new)| new.is_some().then_some((k, None, new))));
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    changes.into_iter().map(|((year, area), from, to)| CategoryChange { area, year, from, to }).collect()
}
