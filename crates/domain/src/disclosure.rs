//! Disclosure rules (docs/domain.md §9): the threshold k, what counts as small (1 … k−1) and
//! when a share may be shown (a denominator of at least k, neither part small). Criteria
//! figures are protected as linked sets by [`crate::publish`], which uses these rules; the
//! simple table protection below (every row and column with a suppressed cell gets a second
//! one) serves the safety index's half-yearly district table, whose cells are counts of areas.

use serde::{Deserialize, Serialize};

/// The smallest threshold the municipality may configure.
pub const MIN_THRESHOLD: u64 = 3;

/// The configured rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DisclosureRules {
    /// Counts below this (and above zero) are suppressed. Default 5.
    pub threshold: u64,
    /// Months after a period's end after which its figures are published as of that settled
    /// date, whatever later date is asked for (docs/disclosure.md, "Releases"). Default 12.
    #[serde(default = "default_settle_months")]
    pub settle_months: u32,
}

/// The default of [`DisclosureRules::settle_months`].
pub const SETTLE_MONTHS: u32 = 12;

fn default_settle_months() -> u32 {
    SETTLE_MONTHS
}

impl Default for DisclosureRules {
    fn default() -> Self {
        Self { threshold: 5, settle_months: SETTLE_MONTHS }
    }
}

/// Why a threshold was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the disclosure threshold must be at least {MIN_THRESHOLD}, got {0}")]
pub struct ThresholdTooLow(pub u64);

impl DisclosureRules {
    pub fn new(threshold: u64) -> Result<Self, ThresholdTooLow> {
        if threshold < MIN_THRESHOLD {
            return Err(ThresholdTooLow(threshold));
        }
        Ok(Self { threshold, settle_months: SETTLE_MONTHS })
    }

    /// True for a count that must not be shown on its own (1 … k−1).
    pub fn is_small(&self, count: u64) -> bool {
        count > 0 && count < self.threshold
    }

    /// A count as it may be published.
    pub fn count(&self, count: u64) -> Cell {
        if self.is_small(count) {
            Cell::Suppressed
        } else {
            Cell::Shown(count)
        }
    }

    /// Whether a share numerator/denominator may be published.
    pub fn share_allowed(&self, numerator: u64, denominator: u64) -> bool {
        denominator >= self.threshold
            && !self.is_small(numerator)
            && !self.is_small(denominator.saturating_sub(numerator))
    }

    /// The label a suppressed count is shown with: `<5` for k = 5.
    pub fn label(&self) -> String {
        format!("<{}", self.threshold)
    }
}

/// A published cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    Shown(u64),
    Suppressed,
}

/// A table of counts with its row and column totals, suppressed as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedTable {
    /// Interior cells, then each row's total in the last column; the last row holds the column
    /// totals and the grand total.
    pub cells: Vec<Vec<Cell>>,
}

/// Suppresses a table of counts (rows × columns, without margins): primary suppression of small
/// counts, then secondary suppression until every row and column, margins included, has either
/// no suppressed cell or at least two.
pub fn protect_table(rules: &DisclosureRules, counts: &[Vec<u64>]) -> ProtectedTable {
    let full = with_margins(counts);
    let rows = full.len();
    let columns = full.first().map_or(0, Vec::len);
    let mut hidden: Vec<Vec<bool>> =
        full.iter().map(|r| r.iter().map(|&c| rules.is_small(c)).collect()).collect();
    loop {
        let mut changed = false;
        for r in 0..rows {
            let line: Vec<(usize, usize)> = (0..columns).map(|c| (r, c)).collect();
            changed |= protect_line(&full, &mut hidden, &line);
        }
        for c in 0..columns {
            let line: Vec<(usize, usize)> = (0..rows).map(|r| (r, c)).collect();
            changed |= protect_line(&full, &mut hidden, &line);
        }
        if !changed {
            break;
        }
    }
    let cells = full
        .iter()
        .zip(&hidden)
        .map(|(row, h)| {
            row.iter().zip(h).map(|(&v, &s)| if s { Cell::Suppressed } else { Cell::Shown(v) }).collect()
        })
        .collect();
    ProtectedTable { cells }
}

/// A one-dimensional breakdown with its total: the groups as one row.
pub fn protect_list(rules: &DisclosureRules, counts: &[u64]) -> (Vec<Cell>, Cell) {
    let table = protect_table(rules, &[counts.to_vec()]);
    let mut row = table.cells[0].clone();
    let total = row.pop().unwrap_or(Cell::Shown(0));
    (row, total)
}

fn with_margins(counts: &[Vec<u64>]) -> Vec<Vec<u64>> {
    let columns = counts.first().map_or(0, Vec::len);
    let mut full: Vec<Vec<u64>> = counts
        .iter()
        .map(|row| {
            let mut r = row.clone();
            r.push(row.iter().sum());
            r
        })
        .collect();
    let totals: Vec<u64> = (0..=columns).map(|c| full.iter().map(|r| r[c]).sum()).collect();
    full.push(totals);
    full
}

/// A line (a row or column, with its total) with exactly one hidden cell gives that cell away:
/// hide the smallest other cell too. Returns whether anything changed.
fn protect_line(full: &[Vec<u64>], hidden: &mut [Vec<bool>], line: &[(usize, usize)]) -> bool {
    let count = line.iter().filter(|&&(r, c)| hidden[r][c]).count();
    if count != 1 || line.len() < 2 {
        return false;
    }
    let candidate =
        line.iter().filter(|&&(r, c)| !hidden[r][c]).min_by_key(|&&(r, c)| (full[r][c] == 0, full[r][c]));
    match candidate {
        Some(&(r, c)) => {
            hidden[r][c] = true;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_suppressed_and_zero_is_not() {
        let rules = DisclosureRules::default();
        assert_eq!(rules.count(0), Cell::Shown(0));
        assert_eq!(rules.count(4), Cell::Suppressed);
        assert_eq!(rules.count(5), Cell::Shown(5));
        assert_eq!(rules.label(), "<5");
        assert!(DisclosureRules::new(2).is_err());
    }

    #[test]
    fn a_share_needs_a_denominator_of_k_and_no_small_part() {
        let rules = DisclosureRules::default();
        assert!(rules.share_allowed(10, 20));
        assert!(!rules.share_allowed(3, 20), "numerator 1–4");
        assert!(!rules.share_allowed(18, 20), "rest 1–4");
        assert!(!rules.share_allowed(2, 4), "denominator below k");
        assert!(rules.share_allowed(0, 20));
    }

    #[test]
    fn a_single_small_group_takes_a_second_group_with_it() {
        let rules = DisclosureRules::default();
        let (cells, total) = protect_list(&rules, &[3, 10, 12]);
        assert_eq!(cells, vec![Cell::Suppressed, Cell::Suppressed, Cell::Shown(12)]);
        assert_eq!(total, Cell::Shown(25));
    }
}
