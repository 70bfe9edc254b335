//! Half-years (`2012H2`), the period of the "urolige områder" reports and of the SSP leader
//! groups' assessments (docs/formats.md `vurderinger.csv`, docs/domain.md §8).

use crate::calendar::Period;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The first (January–June) or second (July–December) half of a calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HalfYear {
    year: i32,
    /// 1 or 2.
    half: u8,
}

/// Why a text is not a half-year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a half-year like 2012H1 or 2012H2 (a year 1900–2100)")]
pub struct HalfYearError(pub String);

impl HalfYear {
    /// The half `half` (1 or 2) of `year` (1900–2100).
    pub fn new(year: i32, half: u8) -> Option<Self> {
        ((1900..=2100).contains(&year) && (half == 1 || half == 2)).then_some(Self { year, half })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 or 2.
    pub fn half(self) -> u8 {
        self.half
    }

    /// 1 January or 1 July.
    pub fn first_day(self) -> NaiveDate {
        let month = if self.half == 1 { 1 } else { 7 };
        NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or_default()
    }

    /// 30 June or 31 December: the day the half-year's picture is taken on.
    pub fn last_day(self) -> NaiveDate {
        let (month, day) = if self.half == 1 { (6, 30) } else { (12, 31) };
        NaiveDate::from_ymd_opt(self.year, month, day).unwrap_or_default()
    }

    /// The half-year as a period.
    pub fn period(self) -> Period {
        Period::new(self.first_day(), self.last_day()).unwrap_or_else(|_| unreachable!("first ≤ last"))
    }

    /// The half-year a date lies in.
    pub fn of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        Self { year: date.year(), half: if date.month() <= 6 { 1 } else { 2 } }
    }

    /// The half-year before.
    pub fn previous(self) -> Self {
        if self.half == 2 {
            Self { year: self.year, half: 1 }
        } else {
            Self { year: self.year - 1, half: 2 }
        }
    }

    /// The half-year after.
    pub fn next(self) -> Self {
        if self.half == 1 {
            Self { year: self.year, half: 2 }
        } else {
            Self { year: self.year + 1, half: 1 }
        }
    }
}

impl FromStr for HalfYear {
    type Err = HalfYearError;

    /// `2012H1` or `2012h2`, surrounding whitespace ignored.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || HalfYearError(text.to_owned());
        let t = text.trim();
        let (year, half) = t.split_at_checked(4).ok_or_else(error)?;
        if !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error());
        }
        let half = match half {
            "H1" | "h1" => 1,
            "H2" | "h2" => 2,
            _ => return Err(error()),
        };
        Self::new(year.parse().map_err(|_| error())?, half).ok_or_else(error)
    }
}

impl TryFrom<String> for HalfYear {
    type Error = HalfYearError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<HalfYear> for String {
    fn from(h: HalfYear) -> String {
        h.to_string()
    }
}

impl fmt::Display for HalfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}H{}", self.year, self.half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_half_year_parses_prints_and_ends_on_its_last_day() {
        let h: HalfYear = "2013h1".parse().unwrap();
        assert_eq!(h.to_string(), "2013H1");
        assert_eq!(h.last_day(), NaiveDate::from_ymd_opt(2013, 6, 30).unwrap());
        assert_eq!(h.next().last_day(), NaiveDate::from_ymd_opt(2013, 12, 31).unwrap());
        assert_eq!(h.previous().to_string(), "2012H2");
        for bad in ["2013H3", "13H1", "2013", "2013-H1", "abcdH1", "1800H1"] {
            assert!(bad.parse::<HalfYear>().is_err(), "{bad}");
        }
    }
}
