//! Drill-down dimensions (særtræk): centre, caseworker code, area, sex, age band and month.

use super::data::{date, CaseData, Day, OPEN};
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

    /// The group a member falls in.
    pub fn key(self, data: &CaseData, citizen: u32, enrollment: Option<u32>, anchor: Day) -> String {
        let citizen = data.citizens[citizen as usize];
        let named = |symbol: u32| {
            let name = data.symbols.name(symbol);
            if name.is_empty() {
                UNRECORDED.to_owned()
            } else {
                name.to_owned()
            }
        };
        let enrollment = enrollment.map(|e| data.enrollments[e as usize]);
        match self {
            Dimension::Centre => enrollment.map_or(UNRECORDED.to_owned(), |e| named(e.centre)),
            Dimension::Caseworker => enrollment.map_or(UNRECORDED.to_owned(), |e| named(e.caseworker)),
            Dimension::Area => named(citizen.area),
            Dimension::Sex => if citizen.male { "M" } else { "K" }.to_owned(),
            Dimension::AgeBand => age_band(age_in_years(date(citizen.birth), date(anchor))).to_owned(),
            Dimension::Month => date(anchor).format("%Y-%m").to_string(),
        }
    }
}

/// Age bands of the target groups: under 15, 15–17, 18–24, 25–29, 30 and over.
pub fn age_band(age: i32) -> &'static str {
    match age {
        i32::MIN..=14 => "under 15",
        15..=17 => "15-17",
        18..=24 => "18-24",
        25..=29 => "25-29",
        _ => "30+",
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
    let mut sums: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    if dimension == Dimension::Month {
        for (month_from, month_last) in months(from, last) {
            let active: f64 = enrollments
                .iter()
                .map(|&e| data.enrollments[e as usize])
                .map(|en| (en.end.min(month_last) - en.start.max(month_from) + 1).max(0) as f64)
                .sum();
            let key = date(month_from).format("%Y-%m").to_string();
            sums.insert(key, (active, (month_last - month_from + 1) as f64));
        }
    } else {
        for &e in enrollments {
            let en = data.enrollments[e as usize];
            let active = (en.end.min(last) - en.start.max(from) + 1).max(0) as f64;
            if active > 0.0 {
                let key = dimension.key(data, en.citizen, Some(e), en.start.max(from));
                sums.entry(key).or_insert((0.0, days)).0 += active;
            }
        }
    }
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
