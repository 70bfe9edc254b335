//! One citizen's life through the period: who they are (CPR, name, home area), and, year by year,
//! whether they start a course in each OPERA initiative or a leisure job. The details of a course
//! are in [`crate::episode`]; the follow-ups it triggers in [`crate::followup`].

use crate::dates::{after, day_between, maybe_month_end, shift};
use crate::episode::{enroll, Start};
use crate::followup::{correct, schedule};
use crate::life::{Enrollment, Life, Placement};
use crate::names::{centre_for, pick, weighted, EMPLOYERS, FEMALE_FIRST, JKU_CENTRES, LAST, MALE_FIRST};
use crate::params::{
    FRITIDSJOB, NEAR_BAND_MONTHS, P_KNOWN_AREA, P_MALE, P_MONTH_END, P_NEAR_BAND, P_PLACEMENT_ENROLLMENT,
};
use crate::plan::Plan;
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sikkerby_domain::calendar::age_in_months;
use sikkerby_domain::cpr::Sex;

/// Fills `life` with every record of citizen `index`.
pub(crate) fn live(plan: &Plan, index: u64, life: &mut Life) {
    life.reset(index);
    let mut rng = plan.rng_for(index);
    identify(plan, &mut rng, life);
    for (year_index, year) in plan.sim_years() {
        let (jan1, dec31) = year_bounds(year);
        for programme in 0..plan.programmes.len() {
            let Some(start) = draw_start(plan, &mut rng, life, programme, year_index, (jan1, dec31)) else {
                continue;
            };
            if programme == FRITIDSJOB {
                place(plan, &mut rng, life, start);
            } else if life.busy_until[programme] < start {
                let start = Start { programme, date: start, fixed_end: None };
                life.busy_until[programme] = enroll(plan, &mut rng, life, start);
            }
        }
    }
    take_places(plan, &mut rng, life);
    schedule(plan, &mut rng, life);
    correct(plan, &mut rng, life);
}

/// The citizen's planned enrollments in capacity-managed initiatives (EXIT), unless two places
/// happened to pick the citizen for overlapping periods.
fn take_places(plan: &Plan, rng: &mut ChaCha8Rng, life: &mut Life) {
    for (programme, running) in plan.programmes.iter().enumerate() {
        for period in running.places.as_ref().map_or(&[][..], |s| s.of(life.index)) {
            if life.busy_until[programme] < period.start {
                let start = Start { programme, date: period.start, fixed_end: Some(period.end) };
                life.busy_until[programme] = enroll(plan, rng, life, start);
            }
        }
    }
}

fn identify(plan: &Plan, rng: &mut ChaCha8Rng, life: &mut Life) {
    life.sex = if rng.gen_bool(P_MALE) { Sex::Male } else { Sex::Female };
    let identity = plan.births.identity(life.index, life.sex);
    life.cpr.clear();
    life.cpr.push_str(&identity.cpr.as_digits());
    life.birth = identity.birth;
    let firsts = if life.sex == Sex::Male { MALE_FIRST } else { FEMALE_FIRST };
    life.first_name = pick(rng, firsts);
    life.last_name = pick(rng, LAST);
    let area = plan.pick_area(rng);
    let known = rng.gen_bool(P_KNOWN_AREA);
    life.area = known.then_some(area.id);
    life.district = known.then_some(area.district);
}

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(NaiveDate::MIN);
    (day(1, 1), day(12, 31))
}

/// Whether the citizen starts something in `programme` this year, and on which day: a start
/// is drawn with the plan's probability and kept when the citizen's age then lies in the
/// target group's band, or, rarely, just outside it.
fn draw_start(
    plan: &Plan,
    rng: &mut ChaCha8Rng,
    life: &Life,
    programme: usize,
    year_index: usize,
    (jan1, dec31): (NaiveDate, NaiveDate),
) -> Option<NaiveDate> {
    let running = &plan.programmes[programme];
    if !rng.gen_bool(running.start_prob[year_index]) {
        return None;
    }
    let start = day_between(rng, jan1, dec31.min(plan.period_end));
    let age = age_in_months(life.birth, start);
    let (min, max) = running.band;
    let in_band = (min..max).contains(&age);
    let near_band = (min - NEAR_BAND_MONTHS..max + NEAR_BAND_MONTHS).contains(&age);
    (in_band || (near_band && rng.gen_bool(P_NEAR_BAND))).then_some(start)
}

/// A leisure-job placement from `start`; a quarter also get a FRITIDSJOB enrollment around it.
fn place(plan: &Plan, rng: &mut ChaCha8Rng, life: &mut Life, start: NaiveDate) {
    if life.placement_busy_until >= start {
        return;
    }
    // Slightly more than half last three months or longer (the memo's C6 asks for 50 %).
    let days = if rng.gen_bool(0.42) { (14, 88) } else { (92, 330) };
    let end = after(rng, start, days.0, days.1);
    let end = maybe_month_end(rng, end, P_MONTH_END, NaiveDate::MAX);
    // A month's gap before the next placement, so that its enrollment cannot overlap this one.
    life.placement_busy_until = shift(end, 30);
    if end < plan.period_start {
        return;
    }
    let end = (end <= plan.period_end).then_some(end);
    life.placements.push(Placement {
        n: life.placements.len() as u32 + 1,
        employer: pick(rng, EMPLOYERS),
        start,
        end,
    });
    if rng.gen_bool(P_PLACEMENT_ENROLLMENT) {
        enroll_placement(plan, rng, life, start, end);
    }
}

/// The OPERA enrollment that registers a placement: from a few days before it to a few after.
fn enroll_placement(
    plan: &Plan,
    rng: &mut ChaCha8Rng,
    life: &mut Life,
    start: NaiveDate,
    placement_end: Option<NaiveDate>,
) {
    let end = placement_end.map(|e| after(rng, e, 0, 10)).filter(|e| *e <= plan.period_end);
    let reason = end.map(|_| {
        weighted(
            rng,
            &[
                ("planmaessigt_afsluttet", 70),
                ("ordinaer_beskaeftigelse", 8),
                ("uddannelse_paabegyndt", 4),
                ("frafald_udeblivelse", 18),
            ],
        )
    });
    let positive = matches!(reason, Some("ordinaer_beskaeftigelse" | "uddannelse_paabegyndt"));
    life.enrollments.push(Enrollment {
        n: life.next_enrollment(),
        programme: FRITIDSJOB,
        start: after(rng, start, -14, 0),
        end,
        reason,
        lead: "BIF",
        centre: centre_for(rng, JKU_CENTRES, life.district),
        caseworker: rng.gen_range(1..=12),
        positive,
    });
}
