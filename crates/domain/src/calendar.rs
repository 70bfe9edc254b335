//! Calendar-month arithmetic, inclusive date windows and reporting periods (docs/domain.md §7,
//! "Shared rules"), and the date formats accepted on import (docs/formats.md).
//!
//! "+ 3 months" always means calendar months: the day of the month is kept, and a day that does
//! not exist in the target month clamps to that month's last day (30 Nov + 3 months = 28/29 Feb).
//! Ages and windows are defined through [`add_months`], so every figure uses the same rule.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether `year` is a leap year in the proleptic Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1–12) of `year`; 28–31.
pub fn last_day_of_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `date` plus `months` calendar months (negative goes back). The day of the month is kept, or
/// clamped to the target month's last day when it does not exist there: 31 Jan 2012 + 1 = 29 Feb
/// 2012. A result beyond the range `NaiveDate` can hold saturates at `NaiveDate::MAX` / `MIN`.
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    // Count months from year 0 so that year and month come out of one euclidean division.
    let index = i64::from(date.year()) * 12 + i64::from(date.month0()) + i64::from(months);
    let month = (index.rem_euclid(12) + 1) as u32;
    i32::try_from(index.div_euclid(12))
        .ok()
        .and_then(|year| {
            let day = date.day().min(last_day_of_month(year, month));
            NaiveDate::from_ymd_opt(year, month, day)
        })
        .unwrap_or(if months < 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// Completed whole calendar months from `birth` to `on`: the largest `m` with
/// `add_months(birth, m) <= on`. A birthday on 29 Feb is therefore reached on 28 Feb in other
/// years. Negative when `on` lies before `birth`.
pub fn age_in_months(birth: NaiveDate, on: NaiveDate) -> i32 {
    let months = (on.year() - birth.year()) * 12 + on.month0() as i32 - birth.month0() as i32;
    // `add_months(birth, months)` lies in `on`'s month; if it is later in that month than `on`,
    // the last month is not completed yet.
    if add_months(birth, months) > on {
        months - 1
    } else {
        months
    }
}

/// Completed whole years from `birth` to `on` (the age on the reference date, docs/domain.md §6);
/// the largest `y` with `add_months(birth, 12 * y) <= on`.
pub fn age_in_years(birth: NaiveDate, on: NaiveDate) -> i32 {
    age_in_months(birth, on).div_euclid(12)
}

/// An inclusive window of dates, `[start, end]`, such as a follow-up window "within 3 months".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    start: NaiveDate,
    end: NaiveDate,
}

impl Window {
    /// `[anchor, anchor + months calendar months]`, both ends included.
    pub fn months_after(anchor: NaiveDate, months: u32) -> Self {
        let months = i32::try_from(months).unwrap_or(i32::MAX);
        Self { start: anchor, end: add_months(anchor, months) }
    }

    /// The first day of the window.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day of the window (included).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// Whether `date` lies in the window, ends included.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Whether the window has closed by `as_of`, i.e. its last day is `as_of` or earlier; until
    /// then a result that depends on it is still pending.
    pub fn has_closed_by(&self, as_of: NaiveDate) -> bool {
        self.end <= as_of
    }
}

/// A reporting period `[from, to]`, both ends included; `from <= to` always holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawPeriod")]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

/// Why two dates do not make a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period ends ({to}) before it starts ({from})")]
    EndsBeforeStart { from: NaiveDate, to: NaiveDate },
    #[error("the year {0} is outside the supported calendar")]
    YearOutOfRange(i32),
}

#[derive(Deserialize)]
struct RawPeriod {
    from: NaiveDate,
    to: NaiveDate,
}

impl TryFrom<RawPeriod> for Period {
    type Error = PeriodError;
    fn try_from(raw: RawPeriod) -> Result<Self, Self::Error> {
        Self::new(raw.from, raw.to)
    }
}

impl Period {
    /// The period `[from, to]`; an error when `to` lies before `from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if from <= to {
            Ok(Self { from, to })
        } else {
            Err(PeriodError::EndsBeforeStart { from, to })
        }
    }

    /// The calendar year `year`: 1 January to 31 December.
    pub fn year(year: i32) -> Result<Self, PeriodError> {
        let day = |month, day| NaiveDate::from_ymd_opt(year, month, day);
        match (day(1, 1), day(12, 31)) {
            (Some(from), Some(to)) => Ok(Self { from, to }),
            _ => Err(PeriodError::YearOutOfRange(year)),
        }
    }

    /// The first day of the period.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// The last day of the period (included).
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// Whether `date` lies in the period, ends included.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The number of days in the period, both ends counted (a calendar year has 365 or 366).
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} – {}", self.from, self.to)
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateParseError {
    #[error("{0:?} is not a date in the form YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY")]
    Format(String),
    #[error("{0:?} is not a date that exists")]
    NoSuchDate(String),
}

/// Parses a date written `YYYY-MM-DD`, `DD-MM-YYYY` or `DD.MM.YYYY` (docs/formats.md);
/// surrounding whitespace is ignored. Day and month must have two digits, the year four.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateParseError> {
    let (year, month, day) =
        split_date(text.trim()).ok_or_else(|| DateParseError::Format(text.to_owned()))?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DateParseError::NoSuchDate(text.to_owned()))
}

/// Splits a date text into year, month and day by its shape, without checking that it exists.
fn split_date(text: &str) -> Option<(i32, u32, u32)> {
    let b = text.as_bytes();
    if b.len() != 10 {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (y, m, d) = match (b[2], b[4], b[5], b[7]) {
        (_, b'-', _, b'-') => (number(0..4)?, number(5..7)?, number(8..10)?),
        (b'-', _, b'-', _) | (b'.', _, b'.', _) if b[2] == b[5] => {
            (number(6..10)?, number(3..5)?, number(0..2)?)
        }
        _ => return None,
    };
    Some((y as i32, m, d))
}
