//! The attacker against published figures (docs/disclosure.md, "The audit"): for random cohorts
//! broken down by several dimensions, every small count — hidden cell or derived "rest" — stays
//! as uncertain as its label says, whatever the attacker combines (margins, other dimensions,
//! unknown and pending counts, the status); a protection that only hides small cells fails the
//! same audit; and the linear-programming attacker agrees with a brute-force enumeration.

use proptest::prelude::*;
use sikkerby_domain::criteria::CriterionKind;
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::engine::{CriterionResult, Dimension, GroupResult, Status};
use sikkerby_domain::publish::attack::Attacker;
use sikkerby_domain::publish::linked::LinkedTable;
use sikkerby_domain::publish::protect::{failing, is_small, protect};
use sikkerby_domain::publish::{protected_set, publish, tables, Cell, Mark, Raw};

mod cohorts;

/// A cohort member: outcome (0 success, 1 failure, 2 unknown, 3 pending) and a group per
/// dimension.
type Member = cohorts::Member<3>;

const DIMS: [Dimension; 3] = [Dimension::Centre, Dimension::Sex, Dimension::Month];

fn share_result(members: &[Member], breakdown: Vec<GroupResult>) -> CriterionResult {
    cohorts::share_result(members, breakdown, Some(0.5))
}

fn raw(members: &[Member]) -> Raw {
    cohorts::raw(members, DIMS, Some(0.5), "2014-06-30")
}

fn linked(members: &[Member]) -> LinkedTable {
    linked_with(members, true)
}

fn linked_with(members: &[Member], breakdowns: bool) -> LinkedTable {
    let raw = raw(members);
    let total = &raw.totals.results[0];
    let dims: Vec<(Dimension, &[GroupResult])> = raw
        .by_dimension
        .iter()
        .filter(|_| breakdowns)
        .map(|(d, e)| (*d, e.results[0].breakdown.as_slice()))
        .collect();
    tables::share(total, &dims).0
}

fn members() -> impl Strategy<Value = Vec<Member>> {
    prop::collection::vec((0u8..4, [0u8..5, 0u8..2, 0u8..4]), 0..60)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn no_small_count_can_be_narrowed_from_everything_published_with_it(
        members in members(),
        k in 3u64..7,
    ) {
        let rules = DisclosureRules::new(k).unwrap();
        // A cohort smaller than k is withheld whole (`publish`'s rule, tested below).
        prop_assume!(members.is_empty() || members.len() as u64 >= k);
        let raw = raw(&members);
        let chosen = protected_set(&raw, &raw.totals.results[0], &rules).unwrap();
        let (table, hidden) = (&chosen.table, &chosen.hidden);
        prop_assert!(failing(table, hidden, k).is_empty());
        let attacker = Attacker::new(table, hidden, k);
        for (i, cell) in table.cells.iter().enumerate() {
            match hidden[i] {
                None => prop_assert!(!is_small(cell.value, k), "a small count is shown: {}", cell.value),
                Some(Mark::Small) => prop_assert!(is_small(cell.value, k)),
                // A `·` is never small or zero: the mark tells the attacker "at least k".
                Some(Mark::Protects) => prop_assert!(cell.value >= k as f64),
            }
            if hidden[i].is_some() {
                prop_assert!(!attacker.interval(&cell.form).is_point(), "a hidden cell is known exactly");
            }
        }
    }

    #[test]
    fn what_is_published_says_the_same_as_the_protection(members in members()) {
        let rules = DisclosureRules::default();
        let published = publish(&raw(&members), Some(Dimension::Centre), &rules);
        let r = &published.results[0];
        for cell in [r.numerator, r.denominator, r.unknown, r.pending_members]
            .into_iter()
            .chain(r.breakdown.iter().flat_map(|g| [g.numerator, g.denominator, g.unknown]))
        {
            if let Cell::Shown(v) = cell { prop_assert!(!rules.is_small(v), "{v} is shown"); }
        }
        // A share is shown only with both of its parts, and then its interval too.
        for (value, num, den) in std::iter::once((r.value, r.numerator, r.denominator))
            .chain(r.breakdown.iter().map(|g| (g.value, g.numerator, g.denominator)))
        {
            if matches!(value, Cell::Shown(_)) {
                prop_assert!(matches!((num, den), (Cell::Shown(_), Cell::Shown(_))));
            }
        }
    }
}

/// The attack: a drill-down whose unknown column hides one group as `<5` while every
/// other group and the total are shown gives the hidden group away by subtraction.
fn unknown_column_attack() -> Vec<Member> {
    let mut members = Vec::new();
    for (centre, unknown) in [(0u8, 3usize), (1, 9), (2, 12)] {
        for i in 0..20 {
            let outcome = if i < unknown {
                2
            } else if i % 2 == 0 {
                0
            } else {
                1
            };
            members.push((outcome, [centre, (i % 2) as u8, (i % 4) as u8]));
        }
    }
    members
}

#[test]
fn hiding_only_the_small_cells_fails_the_audit_and_the_protection_passes_it() {
    let table = linked(&unknown_column_attack());
    let k = 5;
    let primary_only: Vec<Option<Mark>> =
        table.cells.iter().map(|c| is_small(c.value, k).then_some(Mark::Small)).collect();
    assert!(!failing(&table, &primary_only, k).is_empty(), "the weakened protection must be caught");
    let hidden = protect(&table, &DisclosureRules::default());
    assert!(failing(&table, &hidden, k).is_empty());
    assert!(hidden.contains(&Some(Mark::Protects)), "a second cell protects the small one");
}

#[test]
fn a_cohort_smaller_than_the_threshold_is_withheld_whole_with_its_status() {
    let members: Vec<Member> = vec![(0, [0, 0, 0]), (2, [1, 1, 1]), (1, [0, 1, 2])];
    let published = publish(&raw(&members), Some(Dimension::Centre), &DisclosureRules::default());
    let r = &published.results[0];
    assert_eq!(r.status, Status::Withheld);
    for cell in [r.numerator, r.denominator, r.unknown, r.pending_members] {
        assert_eq!(cell, Cell::Withheld(Mark::Small));
    }
    assert!(r.breakdown.is_empty() && r.value.shown().is_none() && r.interval.shown().is_none());
}

#[test]
fn a_small_part_of_a_share_is_protected_although_both_parts_are_large_alone() {
    // 18 of 20 succeed: the 2 who did not are a small count derived from two large ones.
    let members: Vec<Member> = (0..20).map(|i| (if i < 18 { 0 } else { 1 }, [0, 0, 0])).collect();
    let table = linked(&members);
    let hidden = protect(&table, &DisclosureRules::default());
    assert!(failing(&table, &hidden, 5).is_empty());
    let published = publish(&raw(&members), None, &DisclosureRules::default());
    assert!(published.results[0].value.shown().is_none(), "18 of 20 would reveal the 2");
}

/// Brute force: every non-negative integer completion of a small count table consistent with
/// what is shown and the marks, for checking the LP attacker independently.
#[test]
fn the_linear_programming_attacker_agrees_with_brute_force_on_small_tables() {
    let k = 3u64;
    let mut checked = 0;
    for seed in 0..40u64 {
        // Two groups by one dimension and the total: a, b, a + b.
        let (a, b) = ((seed * 7) % 6, (seed * 5 + 1) % 9);
        let result = |v: u64| CriterionResult {
            kind: CriterionKind::CountAtLeast,
            value: Some(v as f64),
            ..share_result(&[], Vec::new())
        };
        let group = |name: &str, v: u64| GroupResult {
            group: name.into(),
            value: Some(v as f64),
            numerator: None,
            denominator: None,
            unknown: 0,
            interval: None,
        };
        let groups = [group("x", a), group("y", b)];
        let total = CriterionResult { target: None, ..result(a + b) };
        let (table, _) = tables::count(&total, &[(Dimension::Centre, &groups)], true, &|_| None);
        let hidden = protect(&table, &DisclosureRules::new(k).unwrap());
        let attacker = Attacker::new(&table, &hidden, k);
        for (i, cell) in table.cells.iter().enumerate().filter(|(i, _)| hidden[*i].is_some()) {
            let (mut lo, mut hi) = (u64::MAX, 0);
            for x in 0..=30u64 {
                for y in 0..=30u64 {
                    let values = [x + y, x, y];
                    let consistent = table.cells.iter().zip(&hidden).zip(values).all(|((c, m), v)| match m {
                        None => (c.value - v as f64).abs() < 1e-9,
                        Some(Mark::Small) => v >= 1 && v < k,
                        Some(Mark::Protects) => v >= k,
                    });
                    if consistent {
                        lo = lo.min(values[i]);
                        hi = hi.max(values[i]);
                    }
                }
            }
            let lp = attacker.interval(&cell.form);
            assert!((lp.lo - lo as f64).abs() < 1e-6, "seed {seed} cell {i}: lp {lp:?}, brute force {lo}");
            assert!(lp.hi >= hi as f64 - 1e-6, "seed {seed} cell {i}: lp {lp:?}, brute force ≥ {hi}");
            checked += 1;
        }
    }
    assert!(checked > 0);
}
