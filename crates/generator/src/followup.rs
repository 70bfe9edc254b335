//! Follow-ups: one for every anchor the seed's follow-up rules define (`CodeLists::rules_for`),
//! due the rule's number of calendar months after the anchor (`add_months`, so 30 Nov + 3 months
//! is 28/29 Feb). Most are recorded a little before or after they fall due; some never are,
//! recent ones more often; none is recorded after the end of the period. Also the occasional
//! corrected end date that `opera_rettelser/` carries.

use crate::dates::{after, shift};
use crate::life::{Correction, Enrollment, FollowUp, Life};
use crate::names::weighted;
use crate::params::{Story, NEGATIVE_STATUSES, POSITIVE_STATUSES, P_CORRECTION};
use crate::plan::Plan;
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sikkerby_domain::calendar::add_months;
use sikkerby_domain::codes::{Anchor, EventKind};

/// Chance that a follow-up due well before the end of the period was never recorded …
const P_MISSING: f64 = 0.07;
/// … and one due in the last two months of the period (caseworkers are behind).
const P_MISSING_RECENT: f64 = 0.4;
/// A good end of the enrollment makes a positive follow-up this much more likely.
const POSITIVE_END_BONUS: f64 = 0.25;

/// Adds the follow-ups of every anchor in `life`.
pub(crate) fn schedule(plan: &Plan, rng: &mut ChaCha8Rng, life: &mut Life) {
    let Life { enrollments, offers, events, follow_ups, .. } = life;
    for e in enrollments.iter() {
        let running = &plan.programmes[e.programme];
        let p_positive =
            running.spec.p_follow_up_positive + if e.positive { POSITIVE_END_BONUS } else { 0.0 };
        for &(anchor, months) in &running.rules {
            let anchored: Vec<(u32, NaiveDate)> = match anchor {
                Anchor::ForloebSlut => e.end.map(|end| (e.n, end)).into_iter().collect(),
                Anchor::TilbudStart => offers_of(offers, e.n).map(|o| (o.n, o.start)).collect(),
                Anchor::TilbudSlut => {
                    offers_of(offers, e.n).filter_map(|o| o.end.map(|end| (o.n, end))).collect()
                }
                Anchor::Loesladelse => events
                    .iter()
                    .filter(|ev| ev.kind == EventKind::Loesladelse && active_on(e, ev.date))
                    .map(|ev| (ev.n, ev.date))
                    .collect(),
            };
            for (anchor_n, date) in anchored {
                let already = follow_ups.iter().any(|f| f.anchor == anchor && f.anchor_n == anchor_n);
                if !already {
                    let due = add_months(date, months);
                    follow_ups.push(FollowUp {
                        n: follow_ups.len() as u32 + 1,
                        anchor,
                        anchor_n,
                        due,
                        done: record(plan, rng, due, p_positive),
                    });
                }
            }
        }
    }
}

fn offers_of(offers: &[crate::life::Offer], enrollment: u32) -> impl Iterator<Item = &crate::life::Offer> {
    offers.iter().filter(move |o| o.enrollment == enrollment)
}

/// Whether the enrollment is active on `day` (docs/domain.md §7: start ≤ day and no end or day ≤ end).
fn active_on(e: &Enrollment, day: NaiveDate) -> bool {
    e.start <= day && e.end.is_none_or(|end| day <= end)
}

/// When and with what status a follow-up due on `due` was recorded, if it was.
fn record(
    plan: &Plan,
    rng: &mut ChaCha8Rng,
    due: NaiveDate,
    p_positive: f64,
) -> Option<(NaiveDate, &'static str)> {
    if due > plan.period_end {
        return None;
    }
    let recent = (plan.period_end - due).num_days() < 60;
    if rng.gen_bool(if recent { P_MISSING_RECENT } else { P_MISSING }) {
        return None;
    }
    let done = after(rng, due, -10, 35);
    if done > plan.period_end {
        return None;
    }
    let statuses = if rng.gen_bool(p_positive.min(0.95)) { POSITIVE_STATUSES } else { NEGATIVE_STATUSES };
    Some((done, weighted(rng, statuses)))
}

/// Now and then, the end date of the citizen's latest ended enrollment turns out to have been
/// typed wrong: the correction moves it a few days earlier (never before its offers), and its
/// follow-up's due date with it. DOMTE is left alone, because a moved end could change which
/// releases fall inside the enrollment and so which follow-ups exist.
pub(crate) fn correct(plan: &Plan, rng: &mut ChaCha8Rng, life: &mut Life) {
    if !rng.gen_bool(P_CORRECTION) {
        return;
    }
    let candidate = life.follow_ups.iter().enumerate().rev().find_map(|(f, fu)| {
        if fu.anchor != Anchor::ForloebSlut {
            return None;
        }
        let e = life.enrollments.iter().position(|e| e.n == fu.anchor_n)?;
        let custody = plan.programmes[life.enrollments[e].programme].spec.story == Story::Custody;
        (!custody).then_some((f, e))
    });
    let Some((follow_up, enrollment)) = candidate else {
        return;
    };
    let e = &life.enrollments[enrollment];
    let Some(old_end) = e.end else {
        return;
    };
    let floor = life
        .offers
        .iter()
        .filter(|o| o.enrollment == e.n)
        .map(|o| o.end.unwrap_or(o.start).max(o.start))
        .fold(e.start, NaiveDate::max);
    let end = shift(old_end, -rng.gen_range(1..=21));
    let months = plan.programmes[e.programme]
        .rules
        .iter()
        .find(|(a, _)| *a == Anchor::ForloebSlut)
        .map_or(3, |(_, m)| *m);
    if end >= floor {
        life.correction = Some(Correction { enrollment, end, follow_up, due: add_months(end, months) });
    }
}
