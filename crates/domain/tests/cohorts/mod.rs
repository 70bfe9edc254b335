//! Synthetic cohorts for the publishing tests: each member has an outcome (0 success,
//! 1 failure, 2 unknown, 3 pending) and a group per dimension, tallied into the engine's
//! results of a share criterion (C4) and its breakdowns.

use sikkerby_domain::criteria::CriterionKind;
use sikkerby_domain::engine::result::PeriodJson;
use sikkerby_domain::engine::{CriterionResult, Dimension, Evaluation, GroupResult, Status};
use sikkerby_domain::publish::Raw;

/// A member: outcome and its group by each of `N` dimensions.
pub type Member<const N: usize> = (u8, [u8; N]);

/// The groups of dimension `dim`, in key order (`g0`, `g1`, …).
pub fn groups<const N: usize>(members: &[Member<N>], dim: usize) -> Vec<GroupResult> {
    let mut tally: std::collections::BTreeMap<u8, [u64; 4]> = Default::default();
    for (outcome, keys) in members {
        tally.entry(keys[dim]).or_default()[*outcome as usize] += 1;
    }
    tally
        .into_iter()
        .map(|(key, t)| {
            let n: u64 = t.iter().sum();
            GroupResult {
                group: format!("g{key}"),
                value: Some(t[0] as f64 / n as f64),
                numerator: Some(t[0]),
                denominator: Some(n),
                unknown: t[2],
                interval: None,
            }
        })
        .collect()
}

/// The share of successes, with a status against `target` (none: pending while anyone is in).
pub fn share_result<const N: usize>(
    members: &[Member<N>],
    breakdown: Vec<GroupResult>,
    target: Option<f64>,
) -> CriterionResult {
    let count = |o: u8| members.iter().filter(|m| m.0 == o).count() as u64;
    let n = members.len() as u64;
    let value = (n > 0).then(|| count(0) as f64 / n as f64);
    let status = match (value, target) {
        (None, _) => Status::NoData,
        (Some(_), None) => Status::Pending,
        (Some(_), Some(_)) if count(3) > 0 => Status::Pending,
        (Some(v), Some(t)) if v >= t => Status::Met,
        (Some(_), Some(_)) => Status::NotMet,
    };
    CriterionResult {
        criterion: "C4".into(),
        initiative: "DOMTE".into(),
        kind: CriterionKind::ShareAtLeast,
        status,
        value,
        numerator: Some(count(0)),
        denominator: Some(n),
        unknown: count(2),
        target,
        interval: None,
        text: String::new(),
        projection: None,
        pending_members: count(3),
        by: None,
        breakdown,
        small_sample: false,
    }
}

/// The raw figures of 2013 as of `as_of`: the total and the breakdown by each of `dims`.
pub fn raw<const N: usize>(
    members: &[Member<N>],
    dims: [Dimension; N],
    target: Option<f64>,
    as_of: &str,
) -> Raw {
    let evaluation = |results| Evaluation {
        period: PeriodJson { from: "2013-01-01".into(), to: "2013-12-31".into() },
        as_of: as_of.into(),
        results,
        descriptive: Vec::new(),
    };
    Raw {
        totals: evaluation(vec![share_result(members, Vec::new(), target)]),
        by_dimension: dims
            .iter()
            .enumerate()
            .map(|(i, &d)| (d, evaluation(vec![share_result(members, groups(members, i), target)])))
            .collect(),
    }
}
