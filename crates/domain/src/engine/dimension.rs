//! Drill-down dimensions (særtræk): centre, caseworker code, area, sex, age band and month.

use super::data::{date, CaseData, Day, NONE, OPEN};
use super::GroupResult;
use crate::calendar::{add_months, age_in_years};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// A dimension a figure can be broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Centre,
    Caseworker,
    Area,
    Sex,
    AgeBand,
    Month,
}

/// The label of records where the dimension was not recorded.
pub const UNRECORDED: &str = "(ikke registreret)";

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Centre,
        Dimension::Caseworker,
        Dimension::Area,
        Dimension::Sex,
        Dimension::AgeBand,
        Dimension::Month,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::Centre => "centre",
            Dimension::Caseworker => "caseworker",
            Dimension::Area => "area",
            Dimension::Sex => "sex",
            Dimension::AgeBand => "age_band",
            Dimension::Month => "month",
        }
    }

    /// Parses the English code or the Danish word (center, sagsbehandlerkode, område, køn,
    /// alder, måned).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "centre" | "center" => Some(Dimension::Centre),
            "caseworker" | "sagsbehandlerkode" => Some(Dimension::Caseworker),
            "area" | "omraade" | "område" => Some(Dimension::Area),
            "sex" | "koen" | "køn" => Some(Dimension::Sex),
            "age_band" | "alder" => Some(Dimension::AgeBand),
            "month" | "maaned" | "måned" => Some(Dimension::Month),
            _ => None,
        }
    }

    /// The group a member falls in, as an id (see [`GroupId`]): counting never builds a string.
    pub fn group(self, data: &CaseData, citizen: u32, enrollment: Option<u32>, anchor: Day) -> GroupId {
        let citizen = data.citizens[citizen as usize];
        let enrollment = enrollment.map(|e| data.enrollments[e as usize]);
        match self {
            Dimension::Centre => enrollment.map_or(NONE, |e| e.centre),
            Dimension::Caseworker => enrollment.map_or(NONE, |e| e.caseworker),
            Dimension::Area => citizen.area,
            Dimension::Sex => GroupId::from(citizen.male),
            Dimension::AgeBand => age_band_index(age_in_years(date(citizen.birth), date(anchor))),
            Dimension::Month => month_id(date(anchor)),
        }
    }

    /// The words of a group id, as results show them.
    pub fn label(self, data: &CaseData, group: GroupId) -> String {
        match self {
            Dimension::Centre | Dimension::Caseworker | Dimension::Area => {
                let name = data.symbols.name(group);
                if name.is_empty() { UNRECORDED } else { name }.to_owned()
            }
            Dimension::Sex => if group == 1 { "M" } else { "K" }.to_owned(),
            Dimension::AgeBand => AGE_BANDS[(group as usize).min(AGE_BANDS.len() - 1)].to_owned(),
            Dimension::Month => {
                let (year, month) = ((group / 12) as i32, group % 12 + 1);
                NaiveDate::from_ymd_opt(year, month, 1)
                    .map_or_else(String::new, |d| d.format("%Y-%m").to_string())
            }
        }
    }

    /// Per-group values by label, in label order; groups with the same words are merged.
    pub fn labelled<T: Clone>(
        self,
        data: &CaseData,
        groups: &ByGroup<T>,
        mut merge: impl FnMut(&mut T, &T),
    ) -> BTreeMap<String, T> {
        let mut out: BTreeMap<String, T> = BTreeMap::new();
        for (id, value) in groups.iter() {
            match out.entry(self.label(data, id)) {
                std::collections::btree_map::Entry::Occupied(mut kept) => merge(kept.get_mut(), value),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(value.clone());
                }
            }
        }
        out
    }
}

/// A drill-down group as a number: the interned symbol for centre, caseworker code and area (0 =
/// not recorded), 0/1 for sex (K/M), the age band's index, the month as year × 12 + month − 1.
/// Ids are few and close together, so tallies are kept in a vector ([`ByGroup`]).
pub type GroupId = u32;

/// Values by group id in a dense vector over the ids seen (from the lowest).
#[derive(Debug, Clone, PartialEq)]
pub struct ByGroup<T> {
    base: GroupId,
    values: Vec<Option<T>>,
}

impl<T> Default for ByGroup<T> {
    fn default() -> Self {
        Self { base: 0, values: Vec::new() }
    }
}

impl<T: Default> ByGroup<T> {
    /// The value of a group, made (default) when first asked for.
    pub fn entry(&mut self, id: GroupId) -> &mut T {
        if self.values.is_empty() {
            self.base = id;
        } else if id < self.base {
            let before = (self.base - id) as usize;
            self.values.splice(0..0, std::iter::repeat_with(|| None).take(before));
            self.base = id;
        }
        let at = (id - self.base) as usize;
        if at >= self.values.len() {
            self.values.resize_with(at + 1, || None);
        }
        self.values[at].get_or_insert_with(T::default)
    }
}

impl<T> ByGroup<T> {
    /// The groups seen, by id.
    pub fn iter(&self) -> impl Iterator<Item = (GroupId, &T)> {
        let base = self.base;
        self.values.iter().enumerate().filter_map(move |(at, v)| Some((base + at as GroupId, v.as_ref()?)))
    }
}

fn month_id(date: NaiveDate) -> GroupId {
    (date.year().max(0) as GroupId) * 12 + date.month0()
}

/// Age bands of the target groups: under 15, 15–17, 18–24, 25–29, 30 and over.
const AGE_BANDS: [&str; 5] = ["under 15", "15-17", "18-24", "25-29", "30+"];

fn age_band_index(age: i32) -> GroupId {
    match age {
        i32::MIN..=14 => 0,
        15..=17 => 1,
        18..=24 => 2,
        25..=29 => 3,
        _ => 4,
    }
}

/// C7 broken down: each group's mean active enrollments over the window (by month, over the
/// days of that month within the window).
pub fn mean_active_breakdown(
    data: &CaseData,
    enrollments: &[u32],
    dimension: Dimension,
    from: Day,
    last: Day,
) -> Vec<GroupResult> {
    let days = (last - from + 1) as f64;
    // (active enrollment-days, days) per group.
    let sums: BTreeMap<String, (f64, f64)> = if dimension == Dimension::Month {
        months(from, last)
            .into_iter()
            .map(|(month_from, month_last)| {
                let active: f64 = enrollments
                    .iter()
                    .map(|&e| data.enrollments[e as usize])
                    .map(|en| (en.end.min(month_last) - en.start.max(month_from) + 1).max(0) as f64)
                    .sum();
                let key = date(month_from).format("%Y-%m").to_string();
                (key, (active, (month_last - month_from + 1) as f64))
            })
            .collect()
    } else {
        let mut by_group: ByGroup<f64> = ByGroup::default();
        for &e in enrollments {
            let en = data.enrollments[e as usize];
            let active = (en.end.min(last) - en.start.max(from) + 1).max(0) as f64;
            if active > 0.0 {
                *by_group.entry(dimension.group(data, en.citizen, Some(e), en.start.max(from))) += active;
            }
        }
        let labelled = dimension.labelled(data, &by_group, |kept, more| *kept += more);
        labelled.into_iter().map(|(group, active)| (group, (active, days))).collect()
    };
    sums.into_iter()
        .map(|(group, (active, days))| GroupResult {
            group,
            value: Some(active / days),
            numerator: None,
            denominator: None,
            unknown: 0,
            interval: None,
        })
        .collect()
}

/// The calendar months overlapping [from, last], each clipped to the window.
fn months(from: Day, last: Day) -> Vec<(Day, Day)> {
    let mut out = Vec::new();
    let first = date(from);
    let mut start = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
    while super::data::day(start) <= last && super::data::day(start) != OPEN {
        let next = add_months(start, 1);
        let month_last = super::data::day(next) - 1;
        out.push((super::data::day(start).max(from), month_last.min(last)));
        start = next;
    }
    out
}
