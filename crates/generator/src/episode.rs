//! One enrollment (forløb) with what surrounds it: remand, conviction and release for DOMTE, the
//! SSP category assessment for SSP+, the offers inside it, and a job or education start when it
//! ends well. Dates are built so that the importer's checks hold by construction: the end is on
//! or after the start, the release of a DOMTE youth falls inside the enrollment, offers lie inside
//! their enrollment, and anything after the end of the period is left open or left out.

use crate::dates::{after, day_between, maybe_month_end, shift};
use crate::life::{Enrollment, Life, Offer};
use crate::names::{centre_for, pick, weighted, JKU_CENTRES, YOUTH_CENTRES_18};
use crate::params::{Programme, Story, NEGATIVE_ENDS, OFFER_ENDS, P_MONTH_END};
use crate::plan::Plan;
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sikkerby_domain::codes::EventKind;

/// Where and when an enrollment starts, and, for a capacity-managed place, when it ends.
pub(crate) struct Start {
    pub programme: usize,
    pub date: NaiveDate,
    pub fixed_end: Option<NaiveDate>,
}

/// Remand, conviction and release around a DOMTE enrollment.
#[derive(Clone, Copy)]
struct Custody {
    remand: NaiveDate,
    conviction: NaiveDate,
    release: NaiveDate,
}

/// How an enrollment ends (possibly after the period, i.e. still open in the extract).
struct Ending {
    date: NaiveDate,
    reason: &'static str,
    positive: bool,
}

/// Adds one enrollment starting at `start` with its events and offers to `life`, and returns
/// the day until which the citizen is busy in that initiative (`NaiveDate::MAX` while open).
/// An enrollment that ended before the period (in the warm-up year) is not recorded.
pub(crate) fn enroll(plan: &Plan, rng: &mut ChaCha8Rng, life: &mut Life, start: Start) -> NaiveDate {
    let spec = plan.programmes[start.programme].spec;
    let custody = (spec.story == Story::Custody).then(|| custody(rng, start.date));
    let ssp = (spec.story == Story::SspCase).then(|| {
        let value = if rng.gen_bool(0.6) { 3 } else { 4 };
        (after(rng, start.date, -75, -1), value)
    });
    let ending = match start.fixed_end {
        Some(date) => fixed_ending(rng, spec, date),
        None => ending(rng, spec, start.date, custody.map(|c| c.release)),
    };
    if ending.date < plan.period_start {
        return ending.date;
    }
    let end = (ending.date <= plan.period_end).then_some(ending.date);
    if let Some(c) = custody {
        custody_events(plan, life, c);
    }
    if let Some((date, value)) = ssp {
        life.push_event(EventKind::SspKategori, date, Some(value));
    }
    if let (Some(date), true) = (end, ending.positive) {
        let kind = if ending.reason == "ordinaer_beskaeftigelse" {
            EventKind::JobStart
        } else {
            EventKind::UddannelseStart
        };
        life.push_event(kind, date, None);
    }
    let n = life.next_enrollment();
    offers(plan, rng, life, (n, spec), (start.date, ending.date), custody.map(|c| c.release));
    let centres = if spec.youth_centre { YOUTH_CENTRES_18 } else { JKU_CENTRES };
    let lead = if rng.gen_bool(spec.p_bif_lead) { "BIF" } else { pick(rng, spec.other_leads) };
    life.enrollments.push(Enrollment {
        n,
        programme: start.programme,
        start: start.date,
        end,
        reason: end.map(|_| ending.reason),
        lead,
        centre: centre_for(rng, centres, life.district),
        caseworker: rng.gen_range(1..=12),
        positive: end.is_some() && ending.positive,
    });
    end.unwrap_or(NaiveDate::MAX)
}

/// Outreach "behind the wall": the course starts during custody, so the remand lies before the
/// start and the release after it.
fn custody(rng: &mut ChaCha8Rng, start: NaiveDate) -> Custody {
    let remand = after(rng, start, -75, 0);
    let conviction = after(rng, remand, 20, 160);
    let release = after(rng, start.max(conviction), 20, 280);
    Custody { remand, conviction, release }
}

fn custody_events(plan: &Plan, life: &mut Life, c: Custody) {
    let events = [
        (EventKind::Varetaegt, c.remand),
        (EventKind::Dom, c.conviction),
        (EventKind::Loesladelse, c.release),
    ];
    for (kind, date) in events {
        if date <= plan.period_end {
            life.push_event(kind, date, None);
        }
    }
}

/// The planned end, or an earlier job or education start for the ones that succeed.
fn ending(rng: &mut ChaCha8Rng, spec: &Programme, start: NaiveDate, release: Option<NaiveDate>) -> Ending {
    let from = release.unwrap_or(start);
    let planned = after(rng, from, spec.duration_days.0, spec.duration_days.1);
    let (date, reason, positive) = if rng.gen_bool(spec.p_success) {
        let date = day_between(rng, shift(from, 14).min(planned), planned);
        let reason = if rng.gen_bool(0.6) { "ordinaer_beskaeftigelse" } else { "uddannelse_paabegyndt" };
        (date, reason, true)
    } else {
        (planned, weighted(rng, NEGATIVE_ENDS), false)
    };
    Ending { date: maybe_month_end(rng, date, P_MONTH_END, NaiveDate::MAX), reason, positive }
}

/// The end of a planned place: only the reason is drawn.
fn fixed_ending(rng: &mut ChaCha8Rng, spec: &Programme, date: NaiveDate) -> Ending {
    let positive = rng.gen_bool(spec.p_success);
    let reason = match (positive, rng.gen_bool(0.6)) {
        (true, true) => "ordinaer_beskaeftigelse",
        (true, false) => "uddannelse_paabegyndt",
        (false, _) => weighted(rng, NEGATIVE_ENDS),
    };
    Ending { date, reason, positive }
}

/// Offers inside enrollment `n`: starts between the enrollment's start (for DOMTE mostly the
/// release) and its end, each ending by the enrollment's end. The end used is the one the
/// enrollment will have, even after the period, so offers of still-open enrollments are spread
/// as everyone else's; what starts after the period is left out, what ends after it is open.
fn offers(
    plan: &Plan,
    rng: &mut ChaCha8Rng,
    life: &mut Life,
    (n, spec): (u32, &Programme),
    (start, end): (NaiveDate, NaiveDate),
    release: Option<NaiveDate>,
) {
    if spec.max_offers == 0 || rng.gen_bool(spec.p_no_offer) {
        return;
    }
    let mut starts = [NaiveDate::MIN; 4];
    let count = rng.gen_range(1..=spec.max_offers.min(4)) as usize;
    for slot in &mut starts[..count] {
        let from = match release {
            Some(r) if r <= end && rng.gen_bool(0.75) => r,
            _ => start,
        };
        *slot = day_between(rng, from, end);
    }
    starts[..count].sort_unstable();
    for &offer_start in &starts[..count] {
        let planned = after(rng, offer_start, spec.offer_days.0, spec.offer_days.1);
        let offer_end = maybe_month_end(rng, planned.min(end), P_MONTH_END, end);
        if offer_start > plan.period_end {
            continue;
        }
        let offer_end = (offer_end <= plan.period_end).then_some(offer_end);
        life.offers.push(Offer {
            n: life.offers.len() as u32 + 1,
            enrollment: n,
            kind: weighted(rng, spec.offer_types),
            start: offer_start,
            end: offer_end,
            reason: offer_end.map(|_| weighted(rng, OFFER_ENDS)),
        });
    }
}
