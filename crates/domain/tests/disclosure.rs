//! Property test of the simple table protection (the safety index's district table): no
//! suppressed cell can be recovered from the published cells and totals by row and column
//! arithmetic. Criteria figures are protected as linked sets: see `publish_attack.rs`.

use proptest::prelude::*;
use sikkerby_domain::disclosure::{protect_table, Cell, DisclosureRules};

/// Solves every row and column (margins included) that has exactly one unknown cell, again and
/// again, as an attacker would; returns the cells so recovered that were suppressed.
fn recoverable(cells: &[Vec<Cell>]) -> usize {
    let mut known: Vec<Vec<Option<i64>>> = cells
        .iter()
        .map(|r| r.iter().map(|c| if let Cell::Shown(v) = c { Some(*v as i64) } else { None }).collect())
        .collect();
    let (rows, columns) = (known.len(), known[0].len());
    let mut recovered = 0;
    loop {
        let mut progress = false;
        for r in 0..rows {
            let line: Vec<(usize, usize)> = (0..columns).map(|c| (r, c)).collect();
            progress |= solve(&mut known, &line, &mut recovered);
        }
        for c in 0..columns {
            let line: Vec<(usize, usize)> = (0..rows).map(|r| (r, c)).collect();
            progress |= solve(&mut known, &line, &mut recovered);
        }
        if !progress {
            return recovered;
        }
    }
}

/// In a line the last cell is the total of the others.
fn solve(known: &mut [Vec<Option<i64>>], line: &[(usize, usize)], recovered: &mut usize) -> bool {
    let unknown: Vec<&(usize, usize)> = line.iter().filter(|&&(r, c)| known[r][c].is_none()).collect();
    if unknown.len() != 1 {
        return false;
    }
    let &(ur, uc) = unknown[0];
    let (tr, tc) = *line.last().unwrap();
    let interior_sum: i64 = line[..line.len() - 1].iter().filter_map(|&(r, c)| known[r][c]).sum();
    known[ur][uc] =
        Some(if (ur, uc) == (tr, tc) { interior_sum } else { known[tr][tc].unwrap() - interior_sum });
    *recovered += 1;
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn no_suppressed_cell_can_be_recovered_by_row_and_column_arithmetic(
        table in (1usize..6, 1usize..6).prop_flat_map(|(r, c)| prop::collection::vec(prop::collection::vec(0u64..30, c), r)),
        k in 3u64..8,
    ) {
        let rules = DisclosureRules::new(k).unwrap();
        let protected = protect_table(&rules, &table);
        prop_assert_eq!(recoverable(&protected.cells), 0);
        // Primary suppression: no published count is 1 … k−1.
        for row in &protected.cells {
            for cell in row {
                if let Cell::Shown(v) = cell { prop_assert!(!rules.is_small(*v)); }
            }
        }
    }
}
