//! The cohorts of docs/domain.md §7, one function per measurement. Each returns the members with
//! their outcome as of the evaluation date; counting and status are done elsewhere, the same way
//! for every criterion.

use super::data::{date, day, CaseData, Day, OPEN};
use crate::calendar::add_months;
use crate::codes::{Anchor, EventKind};
use std::collections::HashMap;

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

/// Keeps the earliest anchor per citizen: "first qualifying anchor in P". docs/domain.md §7 leaves a tie
/// on the same day open; the member met first wins, and the store loads records in id order,
/// so ties go to the lowest record id (bytewise) [assumed].
fn first_per_citizen(members: impl Iterator<Item = Member>) -> Vec<Member> {
    let mut first: HashMap<u32, Member> = HashMap::new();
    for m in members {
        first
            .entry(m.citizen)
            .and_modify(|kept| {
                if m.anchor < kept.anchor {
                    *kept = m;
                }
            })
            .or_insert(m);
    }
    let mut out: Vec<Member> = first.into_values().collect();
    out.sort_by_key(|m| (m.anchor, m.citizen));
    out
}

/// The outcome of a follow-up anchored on a record, as of the window's as-of date.
fn follow_up_outcome(data: &CaseData, anchor: Anchor, record: u32, anchor_day: Day, w: &Window) -> Outcome {
    let follow_up = data.follow_ups.get(&(anchor, record));
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
    let members = data.enrollments_of(initiative).iter().flat_map(|&e| {
        let enrollment = data.enrollments[e as usize];
        let eligible = !bif_only || enrollment.lead_bif;
        data.offers_of(e)
            .iter()
            .map(|&o| data.offers[o as usize])
            .filter(move |o| eligible && w.holds(o.start))
            .map(move |o| Member {
                citizen: enrollment.citizen,
                enrollment: Some(e),
                anchor: o.start,
                outcome: Outcome::Success,
            })
    });
    first_per_citizen(members)
}

/// C2: first SSPPLUS enrollment with lead BIF per citizen, anchored in P; success is a job or
/// education start, or an SSPPLUS enrollment ending positively, within 12 months.
pub fn job_or_education_within_a_year(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let mut first: HashMap<u32, u32> = HashMap::new();
    for &e in data.enrollments_of(initiative) {
        let enrollment = data.enrollments[e as usize];
        if !enrollment.lead_bif || enrollment.start > w.as_of {
            continue;
        }
        let kept = first.entry(enrollment.citizen).or_insert(e);
        if enrollment.start < data.enrollments[*kept as usize].start {
            *kept = e;
        }
    }
    let members = first.into_iter().filter_map(|(citizen, e)| {
        let anchor = data.enrollments[e as usize].start;
        w.holds(anchor).then(|| {
            let closes = plus_months(anchor, 12);
            let seen_by = closes.min(w.as_of);
            let success = started_job_or_education(data, citizen, anchor, seen_by)
                || ended_positively(data, citizen, initiative, anchor, seen_by);
            let outcome = match (success, closes <= w.as_of) {
                (true, _) => Outcome::Success,
                (false, true) => Outcome::Failure,
                (false, false) => Outcome::NotYetDue,
            };
            Member { citizen, enrollment: Some(e), anchor, outcome }
        })
    });
    first_per_citizen(members)
}

fn started_job_or_education(data: &CaseData, citizen: u32, from: Day, to: Day) -> bool {
    data.events_of(citizen).iter().map(|&v| data.events[v as usize]).any(|ev| {
        matches!(ev.kind, EventKind::JobStart | EventKind::UddannelseStart)
            && from <= ev.date
            && ev.date <= to
    })
}

fn ended_positively(data: &CaseData, citizen: u32, initiative: &str, from: Day, to: Day) -> bool {
    let symbol = data.initiatives_symbol(initiative);
    data.enrollments_of_citizen(citizen).iter().map(|&e| data.enrollments[e as usize]).any(|en| {
        Some(en.initiative) == symbol && en.positive_end && en.end != OPEN && from <= en.end && en.end <= to
    })
}

/// C4: the first release in P on a day the citizen has an active enrollment in `initiative`;
/// success is a positive follow-up anchored on that release.
pub fn positive_after_release(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let members = data.enrollments_of(initiative).iter().flat_map(|&e| {
        let enrollment = data.enrollments[e as usize];
        data.events_of(enrollment.citizen).iter().filter_map(move |&v| {
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
    first_per_citizen(members)
}

/// C5: distinct citizens with a leisure-job placement starting in P.
pub fn placed_citizens(data: &CaseData, w: &Window) -> Vec<Member> {
    let members = data.placements.iter().filter(|p| p.live && w.holds(p.start)).map(|p| Member {
        citizen: p.citizen,
        enrollment: None,
        anchor: p.start,
        outcome: Outcome::Success,
    });
    first_per_citizen(members)
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
    let mut by_citizen: HashMap<u32, Member> = HashMap::new();
    for &e in data.enrollments_of(initiative) {
        let en = data.enrollments[e as usize];
        if en.start > w.last() || en.end < w.from {
            continue;
        }
        let has_offer = data
            .offers_of(e)
            .iter()
            .any(|&o| data.offers[o as usize].lab && data.offers[o as usize].start <= w.last());
        let outcome = if has_offer { Outcome::Success } else { Outcome::Failure };
        let member =
            Member { citizen: en.citizen, enrollment: Some(e), anchor: en.start.max(w.from), outcome };
        by_citizen
            .entry(en.citizen)
            .and_modify(|kept| {
                if outcome == Outcome::Success {
                    *kept = member;
                }
            })
            .or_insert(member);
    }
    let mut out: Vec<Member> = by_citizen.into_values().collect();
    out.sort_by_key(|m| (m.anchor, m.citizen));
    out
}

/// C9: the first LAB offer per citizen inside an enrollment in `initiative` ending in P;
/// success is a positive follow-up anchored on that offer's end.
pub fn positive_after_offer_end(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let members = lab_offers(data, initiative).filter_map(|(e, o)| {
        let offer = data.offers[o as usize];
        (offer.end != OPEN && w.holds(offer.end)).then(|| Member {
            citizen: data.enrollments[e as usize].citizen,
            enrollment: Some(e),
            anchor: offer.end,
            outcome: follow_up_outcome(data, Anchor::TilbudSlut, o, offer.end, w),
        })
    });
    first_per_citizen(members)
}

/// C10: the first LAB offer per citizen inside an enrollment in `initiative` starting in P;
/// success is a positive follow-up anchored on its start, or the enrollment ending in job or
/// education within 3 months of it.
pub fn retained_after_offer_start(data: &CaseData, initiative: &str, w: &Window) -> Vec<Member> {
    let members = lab_offers(data, initiative).filter_map(|(e, o)| {
        let offer = data.offers[o as usize];
        let en = data.enrollments[e as usize];
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
    });
    first_per_citizen(members)
}

fn lab_offers<'a>(data: &'a CaseData, initiative: &str) -> impl Iterator<Item = (u32, u32)> + 'a {
    data.enrollments_of(initiative).iter().flat_map(move |&e| {
        data.offers_of(e).iter().filter(|&&o| data.offers[o as usize].lab).map(move |&o| (e, o))
    })
}

/// KRIMITEAM's descriptive figures: citizens with an enrollment active some day in P (touched)
/// and, of those, citizens starting at least one enrollment in any initiative in P.
pub fn touched_and_started(data: &CaseData, initiative: &str, w: &Window) -> (Vec<Member>, Vec<Member>) {
    let touched = first_per_citizen(data.enrollments_of(initiative).iter().filter_map(|&e| {
        let en = data.enrollments[e as usize];
        (en.start <= w.last() && en.end >= w.from).then_some(Member {
            citizen: en.citizen,
            enrollment: Some(e),
            anchor: en.start.max(w.from),
            outcome: Outcome::Success,
        })
    }));
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
