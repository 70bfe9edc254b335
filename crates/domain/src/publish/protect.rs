//! Choosing what to hide in a linked set: every small count (1 … k − 1) is hidden and marked
//! `<k`; then, as long as the attacker ([`super::attack`]) can narrow a small count — a hidden
//! cell or a derived count such as a share's "rest" — below what its label says, one more cell
//! is hidden and marked `·` (docs/disclosure.md, "Secondary suppression"). A cell marked `·` is
//! never zero or small, so the mark tells the attacker only "at least k", which the attack
//! takes into account. Finally every `·` cell that the attacker could work out anyway is shown
//! again: showing it tells nothing new.

use super::attack::Attacker;
use super::linked::{LinkedTable, Target};
use super::Mark;
use crate::disclosure::DisclosureRules;

/// The marks of the table's cells (`None`: shown).
pub fn protect(table: &LinkedTable, rules: &DisclosureRules) -> Vec<Option<Mark>> {
    protect_checked(table, rules, false).0
}

/// [`protect`], and whether every small count is then safe (false only where no hiding can make
/// it so, such as the number of groups listed giving a small total away). With
/// `spare_totals`, it gives up (false) as soon as a total would have to be hidden: the caller
/// then publishes fewer breakdowns instead.
pub fn protect_checked(
    table: &LinkedTable,
    rules: &DisclosureRules,
    spare_totals: bool,
) -> (Vec<Option<Mark>>, bool) {
    let k = rules.threshold;
    let mut hidden = primary(table, k);
    let mut open: Vec<Target> =
        table.counts().filter(|(_, _, value)| is_small(value.abs(), k)).map(|(t, _, _)| t).collect();
    let mut safe = false;
    // Each round hides at least one more cell, so there are at most as many rounds as cells.
    for _ in 0..=table.cells.len() {
        // Hiding a cell only widens what the attacker must allow (an equality becomes a bound
        // the true value meets), so a count found safe stays safe: only the others are checked
        // again.
        open = failing_among(table, &hidden, k, &open);
        if open.is_empty() {
            safe = true;
            break;
        }
        let mut progressed = false;
        for &target in &open {
            if let Some(cell) = best_candidate(table, &hidden, k, target) {
                hidden[cell] = Some(Mark::Protects);
                progressed = true;
                // Candidates put totals last: once one is needed, publishing stops preferring
                // this linked set (its caller then drops a breakdown); no use finishing.
                if spare_totals && table.cells[cell].total {
                    return (hidden, false);
                }
            }
        }
        if !progressed {
            hide_everything(table, &mut hidden, k);
            safe = failing_among(table, &hidden, k, &open).is_empty();
            break;
        }
    }
    show_what_is_known_anyway(table, &mut hidden, k);
    (hidden, safe)
}

/// What is hidden before any protection: every small count (`<k`), and every cell whose change
/// since an earlier release is small (`·`: such a cell is at least k, since an earlier release
/// showed it as 0 or at least k and it moved by less than k without becoming small).
pub fn primary(table: &LinkedTable, k: u64) -> Vec<Option<Mark>> {
    let mut hidden: Vec<Option<Mark>> =
        table.cells.iter().map(|c| is_small(c.value, k).then_some(Mark::Small)).collect();
    for increment in &table.increments {
        let cell = &table.cells[increment.cell];
        if hidden[increment.cell].is_none()
            && is_small(increment.change(table).abs(), k)
            && cell.value >= k as f64 - 1e-9
        {
            hidden[increment.cell] = Some(Mark::Protects);
        }
    }
    hidden
}

/// A count that must not be shown on its own. Means are amounts, not integers: any mean below
/// k (and above zero) rests on fewer than k cases.
pub fn is_small(value: f64, threshold: u64) -> bool {
    value > 1e-9 && value < threshold as f64 - 1e-9
}

/// The small counts the attacker can narrow: a hidden small cell below its label (every value
/// 1 … k − 1 must stay possible), a small derived count (a share's rest) to one value.
pub fn failing(table: &LinkedTable, hidden: &[Option<Mark>], k: u64) -> Vec<Target> {
    let all: Vec<Target> = table.counts().map(|(t, _, _)| t).collect();
    failing_among(table, hidden, k, &all)
}

/// [`failing`] among the given targets.
fn failing_among(table: &LinkedTable, hidden: &[Option<Mark>], k: u64, targets: &[Target]) -> Vec<Target> {
    let attacker = Attacker::new(table, hidden, k);
    table
        .counts()
        .filter(|(target, _, value)| is_small(value.abs(), k) && targets.contains(target))
        .filter(|(target, form, _)| {
            let interval = attacker.interval(form);
            match target {
                Target::Cell(_) => !interval.covers_small(k),
                Target::Derived(_) => interval.is_point(),
                Target::Increment(i) => !interval.less(table.increments[*i].earlier).leaves_change_open(k),
            }
        })
        .map(|(target, _, _)| target)
        .collect()
}

fn target_vars(table: &LinkedTable, target: Target) -> Vec<usize> {
    table.form_of(target).terms.iter().map(|&(v, _)| v).collect()
}

/// Shown cells that could protect the target, best first: cells that share an unknown with it
/// or with an identity it is in; drill-down cells before the dashboard's totals; small values
/// before large (the least information lost).
fn candidates(table: &LinkedTable, hidden: &[Option<Mark>], k: u64, target: Target) -> Vec<usize> {
    let direct = target_vars(table, target);
    let mut near: Vec<usize> = direct.clone();
    for identity in &table.identities {
        if identity.terms.iter().any(|(v, _)| direct.contains(v)) {
            near.extend(identity.terms.iter().map(|&(v, _)| v));
        }
    }
    let mut list: Vec<usize> = (0..table.cells.len())
        .filter(|&i| hidden[i].is_none() && table.cells[i].value >= k as f64 - 1e-9)
        .filter(|&i| table.cells[i].form.terms.iter().any(|(v, _)| near.contains(v)))
        .collect();
    list.sort_by(|&a, &b| {
        let key = |i: usize| (table.cells[i].total, table.cells[i].value);
        key(a).partial_cmp(&key(b)).unwrap_or(std::cmp::Ordering::Equal)
    });
    list
}

/// The first candidate that alone makes the target safe; else the first candidate.
fn best_candidate(table: &LinkedTable, hidden: &[Option<Mark>], k: u64, target: Target) -> Option<usize> {
    let list = candidates(table, hidden, k, target);
    let form = table.form_of(target);
    // A cell or derived count is judged by the wider test, as wide as a `<k` label.
    let covered = |trial: &[Option<Mark>]| match target {
        Target::Increment(_) => failing_among(table, trial, k, &[target]).is_empty(),
        _ => Attacker::new(table, trial, k).interval(form).covers_small(k),
    };
    let mut trial = hidden.to_vec();
    // Trying a few is enough: the list is ordered by how close a cell is to the target.
    for &cell in list.iter().take(2) {
        trial[cell] = Some(Mark::Protects);
        if covered(&trial) {
            return Some(cell);
        }
        trial[cell] = None;
    }
    list.first().copied()
}

fn hide_everything(table: &LinkedTable, hidden: &mut [Option<Mark>], k: u64) {
    for (cell, mark) in table.cells.iter().zip(hidden.iter_mut()) {
        if mark.is_none() && cell.value >= k as f64 - 1e-9 {
            *mark = Some(Mark::Protects);
        }
    }
}

fn show_what_is_known_anyway(table: &LinkedTable, hidden: &mut [Option<Mark>], k: u64) {
    if !hidden.contains(&Some(Mark::Protects)) {
        return;
    }
    let attacker = Attacker::new(table, hidden, k);
    let known: Vec<usize> = (0..table.cells.len())
        .filter(|&i| hidden[i] == Some(Mark::Protects))
        .filter(|&i| attacker.interval(&table.cells[i].form).is_point())
        .collect();
    for i in known {
        hidden[i] = None;
    }
}
