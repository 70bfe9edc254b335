//! The three kinds of committee report (docs/domain.md §2 cadences) and the periods they cover:
//! `2013` (annual), `2013H1` (half-yearly, unsettled areas) and `2013Q2` (quarterly, Sikker By).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    /// The annual report to the committees: criteria, trends, budget, goal and index.
    Annual,
    /// The half-yearly report on unsettled areas (urolige områder, C18).
    HalfYear,
    /// The quarterly report to Sikker By: criteria as of the quarter's end.
    Quarter,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [ReportKind::Annual, ReportKind::HalfYear, ReportKind::Quarter];

    /// The code used on the command line and in the database.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Annual => "annual",
            ReportKind::HalfYear => "halfyear",
            ReportKind::Quarter => "quarter",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// The title on the report's first page.
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Annual => "Årsrapport: kriminalitetsforebyggende indsatser",
            ReportKind::HalfYear => "Halvårlig afrapportering af urolige områder",
            ReportKind::Quarter => "Kvartalsrapport til Sikker By",
        }
    }

    /// The recipients the memo names for this cadence.
    pub fn recipients(self) -> &'static str {
        match self {
            ReportKind::Annual => {
                "Beskæftigelses- og Integrationsudvalget, Økonomiudvalget og Borgerrepræsentationen"
            }
            ReportKind::HalfYear => {
                "Beskæftigelses- og Integrationsudvalget, Børne- og Ungdomsudvalget, Socialudvalget \
                 og Den politiske styregruppe for Hotspot"
            }
            ReportKind::Quarter => "Sikker By (Økonomiudvalget som styregruppe)",
        }
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A report period: its label and its first and last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPeriod {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Why a period was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("period {text:?} does not fit a {kind} report: write {example}")]
pub struct PeriodError {
    pub text: String,
    pub kind: ReportKind,
    pub example: &'static str,
}

impl ReportPeriod {
    /// Parses the period of a report kind: `2013`, `2013H1` or `2013Q2`.
    pub fn parse(kind: ReportKind, text: &str) -> Result<Self, PeriodError> {
        let example = match kind {
            ReportKind::Annual => "a year such as 2013",
            ReportKind::HalfYear => "a half-year such as 2013H1",
            ReportKind::Quarter => "a quarter such as 2013Q2",
        };
        let error = || PeriodError { text: text.to_owned(), kind, example };
        let label = text.trim().to_uppercase();
        let (year, part) = match kind {
            ReportKind::Annual => (label.as_str(), None),
            ReportKind::HalfYear => {
                label.split_once('H').map(|(y, p)| (y, Some((p, 2)))).ok_or_else(error)?
            }
            ReportKind::Quarter => label.split_once('Q').map(|(y, p)| (y, Some((p, 4)))).ok_or_else(error)?,
        };
        let year: i32 = year.parse().ok().filter(|y| (1900..=2999).contains(y)).ok_or_else(error)?;
        let (first_month, months) = match part {
            None => (1, 12),
            Some((p, parts)) => {
                let n: u32 = p.parse().ok().filter(|n| (1..=parts).contains(n)).ok_or_else(error)?;
                let months = 12 / parts;
                ((n - 1) * months + 1, months)
            }
        };
        let from = NaiveDate::from_ymd_opt(year, first_month, 1).ok_or_else(error)?;
        let next = sikkerby_domain::calendar::add_months(from, months as i32);
        let to = next.pred_opt().ok_or_else(error)?;
        Ok(Self { label, from, to })
    }

    /// The calendar year the period lies in.
    pub fn year(&self) -> i32 {
        chrono::Datelike::year(&self.from)
    }

    /// Which half-year or quarter of its year the period is (1-based); `None` for a year.
    pub fn part(&self) -> Option<u32> {
        let (_, part) = self.label.split_once(['H', 'Q'])?;
        part.parse().ok()
    }

    /// Every period of a report kind in a year, in order: the year, its two half-years or its
    /// four quarters.
    pub fn in_year(kind: ReportKind, year: i32) -> Vec<Self> {
        let labels = match kind {
            ReportKind::Annual => vec![year.to_string()],
            ReportKind::HalfYear => (1..=2).map(|h| format!("{year}H{h}")).collect(),
            ReportKind::Quarter => (1..=4).map(|q| format!("{year}Q{q}")).collect(),
        };
        labels.iter().filter_map(|label| Self::parse(kind, label).ok()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_cover_their_year_half_or_quarter() {
        let p = ReportPeriod::parse(ReportKind::Annual, "2013").unwrap();
        assert_eq!((p.from, p.to), (d(2013, 1, 1), d(2013, 12, 31)));
        let p = ReportPeriod::parse(ReportKind::HalfYear, "2013h2").unwrap();
        assert_eq!((p.label.as_str(), p.from, p.to), ("2013H2", d(2013, 7, 1), d(2013, 12, 31)));
        let p = ReportPeriod::parse(ReportKind::Quarter, "2012Q1").unwrap();
        assert_eq!((p.from, p.to), (d(2012, 1, 1), d(2012, 3, 31)));
    }

    #[test]
    fn a_year_holds_one_year_two_half_years_or_four_quarters() {
        let labels =
            |kind| ReportPeriod::in_year(kind, 2013).into_iter().map(|p| p.label).collect::<Vec<_>>();
        assert_eq!(labels(ReportKind::Annual), ["2013"]);
        assert_eq!(labels(ReportKind::HalfYear), ["2013H1", "2013H2"]);
        assert_eq!(labels(ReportKind::Quarter), ["2013Q1", "2013Q2", "2013Q3", "2013Q4"]);
        let parts: Vec<_> =
            ReportPeriod::in_year(ReportKind::Quarter, 2013).iter().map(|p| p.part()).collect();
        assert_eq!(parts, [Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(ReportPeriod::in_year(ReportKind::Annual, 2013)[0].part(), None);
    }

    #[test]
    fn a_period_of_the_wrong_shape_is_refused() {
        assert!(ReportPeriod::parse(ReportKind::Quarter, "2013Q5").is_err());
        assert!(ReportPeriod::parse(ReportKind::HalfYear, "2013").is_err());
        assert!(ReportPeriod::parse(ReportKind::Annual, "2013Q1").is_err());
    }
}
