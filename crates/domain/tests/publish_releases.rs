//! The attacker who keeps releases (docs/disclosure.md, "Releases"): the figures of one period
//! published as of two month-ends, between which members joined and outcomes were recorded.
//! Every count shown in both releases moved by 0 or at least k; every small change stays as
//! uncertain as a `<k` label leaves a small count, whatever the attacker combines inside the
//! later release; and publishing each release on its own (the protection before releases were
//! linked) fails the same audit.

use proptest::prelude::*;
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::engine::Dimension;
use sikkerby_domain::publish::protect::failing;
use sikkerby_domain::publish::release::{history, publish_series, Release};
use sikkerby_domain::publish::{protected_set_after, publish, release_of, Raw};

mod cohorts;

/// A cohort member: outcome (0 success, 1 failure, 2 unknown, 3 pending) and its groups by
/// centre and by sex.
type Member = cohorts::Member<2>;

const DIMS: [Dimension; 2] = [Dimension::Centre, Dimension::Sex];

/// No target: what a status tells is audited in publish_attack.rs.
fn raw(members: &[Member], as_of: &str) -> Raw {
    cohorts::raw(members, DIMS, None, as_of)
}

/// The later cohort: the earlier one with some outcomes recorded (pending or unknown members
/// succeed or fail) and some members added.
fn later(earlier: &[Member], recorded: &[(usize, u8)], added: &[Member]) -> Vec<Member> {
    let mut members = earlier.to_vec();
    for &(at, outcome) in recorded {
        if let Some(m) = members.get_mut(at % earlier.len().max(1)) {
            if m.0 >= 2 {
                m.0 = outcome % 2;
            }
        }
    }
    members.extend_from_slice(added);
    members
}

fn cohort(max: usize) -> impl Strategy<Value = Vec<Member>> {
    prop::collection::vec((0u8..4, [0u8..3, 0u8..2]), 0..max)
}

/// The keys shown in both releases whose values differ by 1 … k − 1.
fn small_changes(a: &Release, b: &Release, k: u64) -> Vec<String> {
    a.keys()
        .filter_map(|key| {
            let change = (b.shown(key)? - a.shown(key)?).abs();
            (change > 0.5 && change < k as f64 - 0.5).then(|| key.to_owned())
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_count_shown_in_two_releases_moved_by_zero_or_at_least_k(
        first in cohort(50),
        recorded in prop::collection::vec((0usize..50, 0u8..2), 0..8),
        added in cohort(6),
        k in 3u64..6,
    ) {
        let rules = DisclosureRules::new(k).unwrap();
        let second = later(&first, &recorded, &added);
        // A cohort smaller than k is withheld whole (publish_attack.rs tests that rule).
        let whole = |n: usize| n == 0 || n as u64 >= k;
        prop_assume!(whole(first.len()) && whole(second.len()));
        let raws = [raw(&first, "2013-10-31"), raw(&second, "2013-11-30")];
        let releases = history(&raws, &rules);
        prop_assert!(small_changes(&releases[0], &releases[1], k).is_empty());
        // Inside the later release, no small change can be worked out from the margins either.
        let chosen = protected_set_after(&raws[1], &raws[1].totals.results[0], &rules, &releases[..1]).unwrap();
        prop_assert!(failing(&chosen.table, &chosen.hidden, k).is_empty());
        // The release is what is published: the dashboard's figures agree with it.
        let published = publish_series(&raws, None, &rules).unwrap();
        let total = |field: &str| releases[1].shown(&format!("C4\u{1f}\u{1f}\u{1f}{field}"));
        prop_assert_eq!(published.results[0].denominator.shown().map(|v| v as f64), total("denominator"));
    }
}

#[test]
fn two_releases_published_each_on_its_own_give_a_small_change_away() {
    let rules = DisclosureRules::default();
    let first: Vec<Member> = (0..20).map(|i| (1, [(i % 2) as u8, (i % 2) as u8])).collect();
    let second = later(&first, &[], &[(0, [0, 0]), (0, [0, 0])]);
    let raws = [raw(&first, "2013-10-31"), raw(&second, "2013-11-30")];
    // Before releases were linked: each protected alone; the dashboard shows 20, then 22.
    let alone: Vec<Release> = raws.iter().map(|r| release_of(r, &rules, &[])).collect();
    assert!(!small_changes(&alone[0], &alone[1], 5).is_empty());
    let alone_published = publish(&raws[1], None, &rules);
    assert_eq!(alone_published.results[0].denominator.shown(), Some(22));
    // Linked: the cohort of 22 is withheld (`·`) in the later release.
    let linked = history(&raws, &rules);
    assert!(small_changes(&linked[0], &linked[1], 5).is_empty());
    let published = publish_series(&raws, None, &rules).unwrap();
    assert_eq!(published.results[0].denominator.shown(), None);
    assert!(published.results[0].denominator.mark().is_some());
}

#[test]
fn a_change_of_at_least_k_is_shown() {
    let rules = DisclosureRules::default();
    let first: Vec<Member> = (0..20).map(|i| (1, [(i % 2) as u8, (i % 2) as u8])).collect();
    let added: Vec<Member> = (0..10).map(|i| (1, [(i % 2) as u8, (i % 2) as u8])).collect();
    let second = later(&first, &[], &added);
    let raws = [raw(&first, "2013-10-31"), raw(&second, "2013-11-30")];
    let published = publish_series(&raws, Some(Dimension::Centre), &rules).unwrap();
    assert_eq!(published.results[0].denominator.shown(), Some(30));
    let centres: Vec<Option<u64>> =
        published.results[0].breakdown.iter().map(|g| g.denominator.shown()).collect();
    assert_eq!(centres, [Some(15), Some(15)]);
}
