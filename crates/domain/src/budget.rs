//! The memo's budget (Tabel 1, docs/domain.md §3): exact decimals in millions of kroner, 2012 prices.
//!
//! An empty cell ("no allocation") and a dash ("funding ended") both add nothing, but they mean
//! different things to a reader, so they stay distinct all the way to the page and the export.
//! Totals are always computed from the lines, never typed in.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// One cell of the budget table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "amount", rename_all = "snake_case")]
pub enum BudgetCell {
    /// An empty cell in the memo: nothing was allocated that year.
    NoAllocation,
    /// A "-" in the memo: the funding has ended.
    FundingEnded,
    /// An allocation in millions of kroner.
    Amount(Decimal),
}

impl BudgetCell {
    /// What the cell adds to a total: zero unless it is an amount.
    pub fn value(self) -> Decimal {
        match self {
            BudgetCell::Amount(amount) => amount,
            BudgetCell::NoAllocation | BudgetCell::FundingEnded => Decimal::ZERO,
        }
    }

    /// Parses a cell as the memo writes it: empty, `-`, or a Danish decimal such as `0,8`.
    pub fn parse(raw: &str) -> Result<Self, BudgetError> {
        match raw.trim() {
            "" => Ok(BudgetCell::NoAllocation),
            "-" => Ok(BudgetCell::FundingEnded),
            text => parse_decimal(text)
                .map(BudgetCell::Amount)
                .ok_or_else(|| BudgetError::Amount(text.to_owned())),
        }
    }

    /// The cell as the memo writes it (`0,8`, empty, `-`): what `budget --format csv` prints.
    pub fn memo_text(self) -> String {
        match self {
            BudgetCell::NoAllocation => String::new(),
            BudgetCell::FundingEnded => "-".to_owned(),
            BudgetCell::Amount(amount) => format_danish(amount),
        }
    }
}

/// Parses a decimal written with `,` or `.` as the decimal mark.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str(&text.trim().replace(',', ".")).ok()
}

/// Formats a decimal the Danish way, with a decimal comma and no trailing zeros (`21,7`, `1`).
pub fn format_danish(amount: Decimal) -> String {
    amount.normalize().to_string().replace('.', ",")
}

/// Why the budget seed could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BudgetError {
    #[error("budget amount {0:?} is not a decimal number")]
    Amount(String),
    #[error("budget line {line:?} has {found} year cells, the header has {expected}")]
    Width { line: String, found: usize, expected: usize },
    #[error("budget header must be `linje;indsats;YEAR;…`, found {0:?}")]
    Header(String),
    #[error("computed total for {year} is {computed}, the memo says {stated}")]
    TotalMismatch { year: i32, computed: String, stated: String },
    #[error("budget CSV: {0}")]
    Csv(String),
}

/// A line of the budget: linked to zero or one initiative ("Drift" is linked to none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub name: String,
    pub initiative: Option<String>,
    /// One cell per year of [`Budget::years`], in the same order.
    pub cells: Vec<BudgetCell>,
}

/// The budget table: years as columns, lines as rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub years: Vec<i32>,
    pub lines: Vec<BudgetLine>,
}

impl Budget {
    /// The total of each year, computed from the lines.
    pub fn totals(&self) -> Vec<(i32, Decimal)> {
        self.years
            .iter()
            .enumerate()
            .map(|(column, &year)| {
                let total = self.lines.iter().map(|l| l.cells[column].value()).sum();
                (year, total)
            })
            .collect()
    }

    /// The total of one year, or `None` for a year outside the table.
    pub fn total(&self, year: i32) -> Option<Decimal> {
        self.totals().into_iter().find(|(y, _)| *y == year).map(|(_, t)| t)
    }

    /// Allocation per initiative and year (lines without an initiative are left out).
    pub fn by_initiative(&self) -> BTreeMap<String, Vec<(i32, Decimal)>> {
        let mut out: BTreeMap<String, Vec<(i32, Decimal)>> = BTreeMap::new();
        for line in &self.lines {
            if let Some(code) = &line.initiative {
                let row = line.cells.iter().zip(&self.years).map(|(c, &y)| (y, c.value()));
                out.entry(code.clone()).or_default().extend(row);
            }
        }
        out
    }

    /// Reads the seed CSV (`linje;indsats;2012;…`). A final line named `I alt` holds the memo's
    /// stated totals: it is not a budget line but a check, and a mismatch is an error.
    pub fn from_csv(text: &str) -> Result<Self, BudgetError> {
        let mut reader =
            csv::ReaderBuilder::new().delimiter(b';').flexible(true).from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| BudgetError::Csv(e.to_string()))?.clone();
        let years = parse_header(&header)?;
        let mut lines = Vec::new();
        let mut stated = None;
        for record in reader.records() {
            let record = record.map_err(|e| BudgetError::Csv(e.to_string()))?;
            let line = parse_line(&record, years.len())?;
            if line.name == "I alt" {
                stated = Some(line.cells);
            } else {
                lines.push(line);
            }
        }
        let budget = Budget { years, lines };
        if let Some(stated) = stated {
            budget.check_totals(&stated)?;
        }
        Ok(budget)
    }

    fn check_totals(&self, stated: &[BudgetCell]) -> Result<(), BudgetError> {
        for ((year, computed), stated) in self.totals().into_iter().zip(stated) {
            if computed != stated.value() {
                return Err(BudgetError::TotalMismatch {
                    year,
                    computed: format_danish(computed),
                    stated: stated.memo_text(),
                });
            }
        }
        Ok(())
    }
}

fn parse_header(header: &csv::StringRecord) -> Result<Vec<i32>, BudgetError> {
    let bad = || BudgetError::Header(header.iter().collect::<Vec<_>>().join(";"));
    if header.get(0) != Some("linje") || header.get(1) != Some("indsats") {
        return Err(bad());
    }
    header.iter().skip(2).map(|y| y.trim().parse::<i32>().map_err(|_| bad())).collect()
}

fn parse_line(record: &csv::StringRecord, width: usize) -> Result<BudgetLine, BudgetError> {
    let name = record.get(0).unwrap_or_default().trim().to_owned();
    if record.len() != width + 2 {
        return Err(BudgetError::Width {
            line: name,
            found: record.len().saturating_sub(2),
            expected: width,
        });
    }
    let initiative = Some(record[1].trim().to_owned()).filter(|c| !c.is_empty());
    let cells = record.iter().skip(2).map(BudgetCell::parse).collect::<Result<_, _>>()?;
    Ok(BudgetLine { name, initiative, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_dash_cells_add_nothing_but_stay_distinct() {
        assert_eq!(BudgetCell::parse("").unwrap(), BudgetCell::NoAllocation);
        assert_eq!(BudgetCell::parse("-").unwrap(), BudgetCell::FundingEnded);
        assert_eq!(BudgetCell::parse("-").unwrap().value(), Decimal::ZERO);
        assert_eq!(BudgetCell::parse("0,8").unwrap().memo_text(), "0,8");
        assert!(BudgetCell::parse("0,8 mio").is_err());
    }

    #[test]
    fn a_stated_total_that_the_lines_do_not_add_up_to_is_rejected() {
        let csv = "linje;indsats;2012\nA;;0,1\nB;;0,2\nI alt;;0,4\n";
        let err = Budget::from_csv(csv).unwrap_err();
        assert!(matches!(err, BudgetError::TotalMismatch { year: 2012, .. }));
    }

    #[test]
    fn decimal_sums_are_exact_where_floats_are_not() {
        let csv = "linje;indsats;2012\nA;;0,1\nB;;0,2\nI alt;;0,3\n";
        let budget = Budget::from_csv(csv).unwrap();
        assert_eq!(format_danish(budget.total(2012).unwrap()), "0,3");
    }
}
