//! Releases: figures of one period published as of successive month-ends. A reader who keeps
//! two releases can subtract them; the change of a cell between them is a count of persons (the
//! members anchored, or whose outcome was recorded, in between). So each release is protected
//! together with what the earlier releases of the same period showed: every cell an earlier
//! release showed becomes an [`Increment`] of the new linked set, and a change of 1 … k − 1 is
//! protected like a small count (docs/disclosure.md, "Releases").
//!
//! The earlier releases are what has been published of the period before, whatever its date
//! (the application stores each distinct release); [`publish_series`] models a series of
//! month-ends for the tests.

use super::linked::{Increment, LinkedTable};
use super::tables::{Fields, Layout};
use super::{Field, GroupResult, Raw};
use crate::calendar::{add_months, Period};
use crate::engine::Dimension;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// The date a period is published as of when `asked` is asked for: `asked`, or the period's
/// settled date if that is earlier (the last day of the month `settle_months` after the
/// period's end). After it, figures are the settled ones: the releases to protect against stay
/// a bounded series, and an old year does not change with every month that passes.
pub fn released_as_of(period: &Period, asked: NaiveDate, settle_months: u32) -> NaiveDate {
    let settled = month_end(add_months(period.to(), settle_months as i32));
    asked.min(settled)
}

fn month_end(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    add_months(first, 1).pred_opt().unwrap_or(date)
}

/// What one release showed: every shown count, by a key that is the same at every month-end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Release {
    pub as_of: String,
    cells: HashMap<String, f64>,
}

impl Release {
    pub fn new(as_of: &str) -> Self {
        Self { as_of: as_of.to_owned(), cells: HashMap::new() }
    }

    /// The keys of the cells shown.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.cells.keys().map(String::as_str)
    }

    /// The shown value of a cell, if the release showed it.
    pub fn shown(&self, key: &str) -> Option<f64> {
        self.cells.get(key).copied()
    }

    pub(super) fn record(&mut self, key: String, value: f64) {
        self.cells.insert(key, value);
    }

    /// The cells as a JSON object with sorted keys: the same release gives the same text.
    pub fn to_json(&self) -> String {
        let sorted: std::collections::BTreeMap<&String, &f64> = self.cells.iter().collect();
        serde_json::to_string(&sorted).unwrap_or_default()
    }

    /// A release as stored by [`Release::to_json`].
    pub fn from_json(as_of: &str, json: &str) -> Result<Self, serde_json::Error> {
        Ok(Self { as_of: as_of.to_owned(), cells: serde_json::from_str(json)? })
    }
}

/// The key of a cell: whose figure (a criterion, or an initiative's descriptive figure), which
/// breakdown and group (none for a total), which field.
pub fn key(owner: &str, dimension: Option<Dimension>, group: &str, field: Field) -> String {
    let dimension = dimension.map_or("", |d| d.code());
    format!("{owner}\u{1f}{dimension}\u{1f}{group}\u{1f}{}", field.code())
}

/// The keys of a criterion's cells, by cell index.
pub(super) fn cell_keys(
    owner: &str,
    layout: &Layout,
    dims: &[(Dimension, &[GroupResult])],
) -> Vec<(usize, String)> {
    let mut keys = fields_keys(owner, None, "", &layout.total);
    for (dimension, fields) in &layout.groups {
        let Some((_, groups)) = dims.iter().find(|(d, _)| d == dimension) else { continue };
        for (group, f) in groups.iter().zip(fields) {
            keys.extend(fields_keys(owner, Some(*dimension), &group.group, f));
        }
    }
    keys
}

fn fields_keys(owner: &str, dimension: Option<Dimension>, group: &str, f: &Fields) -> Vec<(usize, String)> {
    [
        (f.value, Field::Value),
        (f.numerator, Field::Numerator),
        (f.denominator, Field::Denominator),
        (f.unknown, Field::Unknown),
        (f.pending, Field::PendingMembers),
    ]
    .into_iter()
    .filter_map(|(cell, field)| Some((cell?, key(owner, dimension, group, field))))
    .collect()
}

/// Adds to the table, for each earlier release, the change of every cell it showed that moved
/// by 1 … k − 1 (a change of 0 or at least k is no target: it may be shown). Only counts of
/// persons: a mean's amounts change by fractions that count no one.
pub(super) fn attach(table: &mut LinkedTable, keys: &[(usize, String)], history: &[Release], threshold: u64) {
    if !table.integral {
        return;
    }
    for release in history {
        for (cell, key) in keys {
            let Some(earlier) = release.shown(key) else { continue };
            let increment = Increment { cell: *cell, earlier };
            if super::protect::is_small(increment.change(table).abs(), threshold) {
                table.increments.push(increment);
            }
        }
    }
}

/// Publishes the last of `raws` (one per closed month-end of the period, in date order) with
/// every earlier one as an earlier release, each protected after its own earlier ones.
pub fn publish_series(
    raws: &[Raw],
    by: Option<Dimension>,
    rules: &crate::disclosure::DisclosureRules,
) -> Option<super::Published> {
    let (last, earlier) = raws.split_last()?;
    let history = history(earlier, rules);
    Some(super::publish_after(last, by, rules, &history))
}

/// The releases of `raws`, in order, each protected after the ones before it.
pub fn history(raws: &[Raw], rules: &crate::disclosure::DisclosureRules) -> Vec<Release> {
    let mut history = Vec::with_capacity(raws.len());
    for raw in raws {
        let release = super::release_of(raw, rules, &history);
        history.push(release);
    }
    history
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_year_is_released_as_of_the_asked_month_end_until_it_has_settled() {
        let year = Period::year(2013).unwrap();
        assert_eq!(released_as_of(&year, date("2014-06-30"), 12), date("2014-06-30"));
        assert_eq!(released_as_of(&year, date("2026-11-30"), 12), date("2014-12-31"));
        assert_eq!(released_as_of(&year, date("2026-11-30"), 3), date("2014-03-31"));
    }
}
