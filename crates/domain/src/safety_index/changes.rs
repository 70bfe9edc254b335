//! Year-on-year changes per area, each with its significance test (the tests and why they were
//! chosen are in [`super::uncertainty`]). "Previous year" is the calendar year before: an area
//! without a row that year has no change, rather than a change over two years passed off as one.

use super::result::{AreaIndex, Change, YearChange, YearIndex};
use super::uncertainty::{difference_interval, poisson_rate_p_value, two_proportion_p_value};

/// Fills `change` of every area whose previous calendar year has a row. `years` is sorted by year.
pub(crate) fn add_changes(years: &mut [YearIndex], alpha: f64) {
    for i in 1..years.len() {
        let (before, after) = years.split_at_mut(i);
        let (previous, current) = (&before[i - 1], &mut after[0]);
        if previous.year + 1 != current.year {
            continue;
        }
        for area in &mut current.areas {
            // Both lists are sorted by area id.
            let Ok(j) = previous.areas.binary_search_by(|p| p.area.as_str().cmp(&area.area)) else {
                continue;
            };
            area.change = Some(year_change(&previous.areas[j], area, previous.year, alpha));
        }
    }
}

fn year_change(previous: &AreaIndex, current: &AreaIndex, year: i32, alpha: f64) -> YearChange {
    let share = |p: Option<f64>, c: Option<f64>| {
        let (p, c) = (p?, c?);
        let p_value = two_proportion_p_value(p, previous.n_eff, c, current.n_eff);
        Some(change(p, c, p_value, alpha))
    };
    YearChange {
        previous_year: year,
        t: t_change(previous, current, alpha),
        r: r_change(previous, current, alpha),
        v: share(previous.v, current.v),
        u: share(previous.u, current.u),
        night: share(previous.night, current.night),
    }
}

/// T: significant when the bootstrap interval of the difference excludes 0.
fn t_change(previous: &AreaIndex, current: &AreaIndex, alpha: f64) -> Option<Change> {
    let (p, c) = (previous.t?, current.t?);
    let interval = difference_interval((&previous.bootstrap, p), (&current.bootstrap, c), alpha);
    Some(Change {
        previous: p,
        current: c,
        difference: c - p,
        p_value: None,
        interval: Some(interval),
        significant: interval[0] > 0.0 || interval[1] < 0.0,
    })
}

/// R: the exact conditional test of equal Poisson rates on the counts and populations.
fn r_change(previous: &AreaIndex, current: &AreaIndex, alpha: f64) -> Option<Change> {
    let (p, c) = (previous.r?, current.r?);
    let p_value = poisson_rate_p_value(
        previous.reports,
        previous.population as f64,
        current.reports,
        current.population as f64,
    );
    Some(change(p, c, p_value, alpha))
}

fn change(previous: f64, current: f64, p_value: Option<f64>, alpha: f64) -> Change {
    Change {
        previous,
        current,
        difference: current - previous,
        p_value,
        interval: None,
        significant: p_value.is_some_and(|p| p < alpha),
    }
}
