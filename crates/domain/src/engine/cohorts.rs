//! The cohorts of docs/domain.md §7, one function per measurement. Each returns the members with
//! their outcome as of the evaluation date; counting and status are done elsewhere, the same way
//! for every criterion.

use super::data::{date, day, CaseData, Day, OPEN};
use crate::calendar::add_months;
use crate::codes::{Anchor, EventKind};
use rayon::prelude::*;

/// What is known about one cohort member on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Success,
    Failure,
    /// Due but not recorded by the as-of date: in the denominator, never in the numerator.
    Unknown,
    /// The member's window is still open and no success has been seen yet.
    NotYetDue,
}

/// One member of a cohort (or one counted citizen or placement).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub citizen: u32,
    /// The enrollment behind the member, for drill-down by centre and caseworker.
    pub enrollment: Option<u32>,
    pub anchor: Day,
    pub outcome: Outcome,
}

/// The evaluation window: anchors count when in `[from, last]`, where `last` = min(to, as of).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: Day,
    pub to: Day,
    pub as_of: Day,
}

impl Window {
    /// The window of a request: its period as of its date.
    pub fn of(request: &super::Request) -> Self {
        Self { from: day(request.period.from()), to: day(request.period.to()), as_of: day(request.as_of) }
    }

    /// The last day that data can speak for: the period's end or the as-of date if earlier.
    pub fn last(&self) -> Day {
        self.to.min(self.as_of)
    }

    fn holds(&self, x: Day) -> bool {
        self.from <= x && x <= self.last()
    }
}

fn plus_months(x: Day, months: i32) -> Day {
    day(add_months(date(x), months))
}

/// One value kept per citizen, in a slot per citizen of the data: the cohorts dedupe by
/// citizen for every candidate member, and an index beats hashing there.
struct PerCitizen<T> {
    /// Per citizen index: the position of its value in `kept`, or `EMPTY`.
    slot: Vec<u32>,
    kept: Vec<(u32, T)>,
}

const EMPTY: u32 = u32::MAX;

impl<T> PerCitizen<T> {
    fn new(data: &CaseData) -> Self {
        Self { slot: vec![EMPTY; data.citizens.len()], kept: Vec::new() }
    }

    /// Keeps `value` for `citizen` if it has none yet, or if `replaces(kept, &value)`.
    fn offer(&mut self, citizen: u32, value: T, replaces: impl FnOnce(&T, &T) -> bool) {
        let at = &mut self.slot[citizen as usize];
        if *at == EMPTY {
            *at = self.kept.len() as u32;
            self.kept.push((citizen, value));
        } else {
            let kept = &mut self.kept[*at as usize].1;
            if replaces(kept, &value) {
                *kept = value;
            }
        }
    }

    fn into_values(self) -> impl Iterator<Item = T> {
        self.kept.into_iter().map(|(_, value)| value)
    }
}

/// Enrollment lists shorter than this are scanned on the calling thread (a citizen's own
/// records, in a live update); longer ones in pieces of `PIECE` on the rayon pool, if it has
/// more than one thread (on one, the scan is plain sequential: what the parallel one must equal).
const PARALLEL_FROM: usize = 8_192;
const PIECE: usize = 4_096;

fn in_parallel(items: usize) -> bool {
    items >= PARALLEL_FROM && rayon::current_num_threads() > 1
}

/// The candidate members each enrollment of `initiative` gives, in the enrollments' order, so
/// that "the member met first" is the same on any number of threads: the pieces are scanned in
/// parallel and their members joined in order.
fn scan<I>(data: &CaseData, initiative: &str, from_enrollment: impl Fn(u32) -> I + Sync) -> Vec<Member>
where
    I: IntoIterator<Item = Member>,
{
    let enrollments = data.enrollments_of(initiative);
    let piece = |chunk: &[u32]| chunk.iter().flat_map(|&e| from_enrollment(e)).collect::<Vec<_>>();
    if !in_parallel(enrollments.len()) {
        return piece(enrollments);
    }
    enrollments.par_chunks(PIECE).map(piece).collect::<Vec<_>>().concat()
}

/// Members in a defined order: by anchor, then citizen (one member per citizen: no ties).
fn sorted(mut members: Vec<Member>) -> Vec<Member> {
    members.sort_unstable_by_key(|m| (m.anchor, m.citizen));
    members
}

/// Keeps the earliest anchor per citizen: "first qualifying anchor in P". docs/domain.md §7 leaves a tie
/// on the same day open; the member met first wins, and the store loads records in id order,
/// so ties go to the lowest record id (bytewise) [assumed].
fn first_per_citizen(data: &CaseData, members: impl IntoIterator<Item = Member>) -> Vec<Member> {
    let mut first = PerCitizen::new(data);
    for m in members {
        first.offer(m.citizen, m, |kept, m| m.anchor < kept.anchor);
    }
    sorted(first.into_values().collect())
}

/// The outcome of a follow-up anchored on a record, as of the window's as-of date.
fn follow_up_outcome(data: &CaseData, anchor: Anchor, record: u32, anchor_day: Day, w: &Window) -> Outcome {
    let follow_up = data.follow_ups.get(anchor, record);
    match follow_up {
        Some(f) if f.done <= w.as_of => {
            if f.positive {
                Outcome::Success
            } else {
                Outcome::Failure
            }
        }
        _ => {
            let due = follow_up.map_or_else(|| plus_months(anchor_day, 3), |f| f.due);
            if due <= w.as_of {
                Outcome::Unknown
            } else {
                Outcome::NotYetDue
            }
        }
    }
}

/// C1, C3: distinct citizens with an offer starting in P inside an enrollment of `initiative`
/// (where `bif_only`, only enrollments whose lead is BIF). Each citizen counted once.
pub fn offer_recipients(data: &CaseData, initiative: &str, bif_only: bool, w: &Window) -> Vec<Member> {
    let members = scan(data, initiative, |e| {
        let enrollment = data.enrollments[e as usize];
        let eligible = !bif_only || enrollment.lead_bif;
        let offers = if eligible && data.offer_span(e).may_start_in(w.from, w.last()) {
            data.offers_of(e)
        } else {
            &[]
        };
        offers.iter().map(|&o| data.offers[o as usize]).filter(move |o| w.holds(o.start)).map(move |o| {
            Member {
                citizen: enrollment.citizen,
                enrollment: Some(e),
                anchor: o.start,
                outcome: Outcome::Success,
            }
        })
    });
    first_per_citizen(data, members)
}

/// C2: first SSPPLUS enrollment with lead BIF per citizen, anchored in P; success is a job or
/// education start, or an SSPPLUS enrollment ending positively, within 12 months.
pub fn job_or_education_within_a_year(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let mut first = PerCitizen::new(data);
    for &e in data.enrollments_of(initiative) {
        let enrollment = data.enrollments[e as usize];
        if !enrollment.lead_bif || enrollment.start > w.as_of {
            continue;
        }
        let start = |e: &u32| data.enrollments[*e as usize].start;
        first.offer(enrollment.citizen, e, |kept, e| start(e) < start(kept));
    }
    let symbol = data.initiatives_symbol(initiative);
    let member = |&(citizen, e): &(u32, u32)| {
        let anchor = data.enrollments[e as usize].start;
        w.holds(anchor).then(|| {
            let closes = plus_months(anchor, 12);
            let seen_by = closes.min(w.as_of);
            let success = started_job_or_education(data, citizen, anchor, seen_by)
                || ended_positively(data, citizen, symbol, anchor, seen_by);
            let outcome = match (success, closes <= w.as_of) {
                (true, _) => Outcome::Success,
                (false, true) => Outcome::Failure,
                (false, false) => Outcome::NotYetDue,
            };
            Member { citizen, enrollment: Some(e), anchor, outcome }
        })
    };
    let members = if !in_parallel(first.kept.len()) {
        first.kept.iter().filter_map(member).collect()
    } else {
        first.kept.par_iter().with_min_len(PIECE).filter_map(member).collect()
    };
    sorted(members)
}

fn started_job_or_education(data: &CaseData, citizen: u32, from: Day, to: Day) -> bool {
    data.events_of(citizen).iter().map(|&v| data.events[v as usize]).any(|ev| {
        matches!(ev.kind, EventKind::JobStart | EventKind::UddannelseStart)
            && from <= ev.date
            && ev.date <= to
    })
}

fn ended_positively(data: &CaseData, citizen: u32, symbol: Option<u32>, from: Day, to: Day) -> bool {
    data.enrollments_of_citizen(citizen).iter().map(|&e| data.enrollments[e as usize]).any(|en| {
        Some(en.initiative) == symbol && en.positive_end && en.end != OPEN && from <= en.end && en.end <= to
    })
}

/// C4: the first release in P on a day the citizen has an active enrollment in `initiative`;
/// success is a positive follow-up anchored on that release.
pub fn positive_after_release(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let members = scan(data, initiative, |e| {
        let enrollment = data.enrollments[e as usize];
        // A release counts only on a day of the enrollment inside the window.
        let overlaps = enrollment.start <= w.last() && enrollment.end >= w.from;
        let events = if overlaps { data.events_of(enrollment.citizen) } else { &[] };
        events.iter().filter_map(move |&v| {
            let ev = data.events[v as usize];
            let active = enrollment.start <= ev.date && ev.date <= enrollment.end;
            (ev.kind == EventKind::Loesladelse && active && w.holds(ev.date)).then(|| Member {
                citizen: enrollment.citizen,
                enrollment: Some(e),
                anchor: ev.date,
                outcome: follow_up_outcome(data, Anchor::Loesladelse, v, ev.date, w),
            })
        })
    });
    first_per_citizen(data, members)
}

/// C5: distinct citizens with a leisure-job placement starting in P.
pub fn placed_citizens(data: &CaseData, w: &Window) -> Vec<Member> {
    let members = data.placements.iter().filter(|p| p.live && w.holds(p.start)).map(|p| Member {
        citizen: p.citizen,
        enrollment: None,
        anchor: p.start,
        outcome: Outcome::Success,
    });
    first_per_citizen(data, members)
}

/// C6: per placement starting in P, still in the job 3 months on (no end, or end ≥ start + 3).
pub fn placements_lasting_three_months(data: &CaseData, w: &Window) -> Vec<Member> {
    let mut members: Vec<Member> = data
        .placements
        .iter()
        .filter(|p| p.live && w.holds(p.start))
        .map(|p| {
            let closes = plus_months(p.start, 3);
            let ended_before = p.end <= w.as_of && p.end < closes;
            let outcome = match (ended_before, closes <= w.as_of) {
                (true, _) => Outcome::Failure,
                (false, true) => Outcome::Success,
                (false, false) => Outcome::NotYetDue,
            };
            Member { citizen: p.citizen, enrollment: None, anchor: p.start, outcome }
        })
        .collect();
    members.sort_by_key(|m| (m.anchor, m.citizen));
    members
}

/// C8: participants with an enrollment in `initiative` active on some day of P; success is a
/// LAB offer inside one of those enrollments starting by the window's last day.
pub fn participants_with_lab_offer(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let candidates = scan(data, initiative, |e| {
        let en = data.enrollments[e as usize];
        let active = en.start <= w.last() && en.end >= w.from;
        active.then(|| {
            let has_offer = data
                .offers_of(e)
                .iter()
                .any(|&o| data.offers[o as usize].lab && data.offers[o as usize].start <= w.last());
            let outcome = if has_offer { Outcome::Success } else { Outcome::Failure };
            Member { citizen: en.citizen, enrollment: Some(e), anchor: en.start.max(w.from), outcome }
        })
    });
    let mut by_citizen = PerCitizen::new(data);
    for member in candidates {
        by_citizen.offer(member.citizen, member, |_, m| m.outcome == Outcome::Success);
    }
    sorted(by_citizen.into_values().collect())
}

/// C9: the first LAB offer per citizen inside an enrollment in `initiative` ending in P;
/// success is a positive follow-up anchored on that offer's end.
pub fn positive_after_offer_end(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let members = scan(data, initiative, |e| {
        let ending = data.offer_span(e).may_end_in(w.from, w.last());
        lab_offers(data, e, ending).filter_map(move |o| {
            let offer = data.offers[o as usize];
            (offer.end != OPEN && w.holds(offer.end)).then(|| Member {
                citizen: data.enrollments[e as usize].citizen,
                enrollment: Some(e),
                anchor: offer.end,
                outcome: follow_up_outcome(data, Anchor::TilbudSlut, o, offer.end, w),
            })
        })
    });
    first_per_citizen(data, members)
}

/// C10: the first LAB offer per citizen inside an enrollment in `initiative` starting in P;
/// success is a positive follow-up anchored on its start, or the enrollment ending in job or
/// education within 3 months of it.
pub fn retained_after_offer_start(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let members = scan(data, initiative, |e| {
        let en = data.enrollments[e as usize];
        let starting = data.offer_span(e).may_start_in(w.from, w.last());
        lab_offers(data, e, starting).filter_map(move |o| {
            let offer = data.offers[o as usize];
            w.holds(offer.start).then(|| {
                let closes = plus_months(offer.start, 3);
                let ended_well = en.positive_end && en.end <= closes.min(w.as_of);
                let outcome = if ended_well {
                    Outcome::Success
                } else {
                    follow_up_outcome(data, Anchor::TilbudStart, o, offer.start, w)
                };
                Member { citizen: en.citizen, enrollment: Some(e), anchor: offer.start, outcome }
            })
        })
    });
    first_per_citizen(data, members)
}

/// The LAB offers of an enrollment (none unless `any`: its offers' span misses the window).
fn lab_offers(data: &CaseData, enrollment: u32, any: bool) -> impl Iterator<Item = u32> + '_ {
    let offers = if any { data.offers_of(enrollment) } else { &[] };
    offers.iter().copied().filter(|&o| data.offers[o as usize].lab)
}

/// KRIMITEAM's descriptive figures: citizens with an enrollment active some day in P (touched)
/// and, of those, citizens starting at least one enrollment in any initiative in P.
pub fn touched_and_started(data: &CaseData, initiative: &str, w: &Window) -> (Vec<Member>, Vec<Member>) {
    let touched = first_per_citizen(
        data,
        scan(data, initiative, |e| {
            let en = data.enrollments[e as usize];
            (en.start <= w.last() && en.end >= w.from).then_some(Member {
                citizen: en.citizen,
                enrollment: Some(e),
                anchor: en.start.max(w.from),
                outcome: Outcome::Success,
            })
        }),
    );
    let started = touched
        .iter()
        .filter(|m| {
            data.enrollments_of_citizen(m.citizen)
                .iter()
                .any(|&e| w.holds(data.enrollments[e as usize].start))
        })
        .copied()
        .collect();
    (touched, started)
}
