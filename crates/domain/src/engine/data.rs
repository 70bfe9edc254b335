//! The case data the engine evaluates, held in memory in a compact form: dates as day numbers,
//! repeated strings interned, every record indexed by the records it belongs to. Loaded once;
//! then kept current one change at a time, so a new follow-up never needs a rebuild.

use crate::codes::{Anchor, EventKind};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// A date as days since 1 January of year 1 (chrono's `num_days_from_ce`): cheap to compare.
pub type Day = i32;

/// "No end": later than any real date, so "active on x" is `start <= x && x <= end`.
pub const OPEN: Day = i32::MAX;

pub fn day(date: NaiveDate) -> Day {
    date.num_days_from_ce()
}

pub fn date(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(NaiveDate::MAX)
}

/// Interned strings (centres, caseworker codes, areas): a symbol is an index into `names`.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<String>,
    lookup: HashMap<String, u32>,
}

/// The symbol of "not recorded".
pub const NONE: u32 = 0;

impl Interner {
    pub fn new() -> Self {
        let mut interner = Self::default();
        interner.intern("");
        interner
    }

    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&symbol) = self.lookup.get(name) {
            return symbol;
        }
        let symbol = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.lookup.insert(name.to_owned(), symbol);
        symbol
    }

    pub fn name(&self, symbol: u32) -> &str {
        self.names.get(symbol as usize).map_or("", String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CitizenFacts {
    pub birth: Day,
    pub male: bool,
    pub area: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrollmentFacts {
    pub citizen: u32,
    pub initiative: u32,
    pub start: Day,
    pub end: Day,
    pub positive_end: bool,
    pub lead_bif: bool,
    pub caseworker: u32,
    pub centre: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferFacts {
    pub enrollment: u32,
    pub lab: bool,
    pub start: Day,
    pub end: Day,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacementFacts {
    pub citizen: u32,
    pub start: Day,
    pub end: Day,
    /// False once the placement was deleted.
    pub live: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventFacts {
    pub citizen: u32,
    pub kind: EventKind,
    pub date: Day,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUpFacts {
    pub due: Day,
    /// The day it was done, or [`OPEN`].
    pub done: Day,
    pub positive: bool,
}

/// Follow-ups by anchor: one slot per anchor record, so a cohort reads its members' follow-ups
/// by index instead of hashing (the engine looks one up per cohort member).
#[derive(Debug, Clone, Default)]
pub struct FollowUps {
    /// By anchor kind (in the order of [`Anchor`]'s variants), by record index.
    slots: [Vec<Option<FollowUpFacts>>; 4],
    len: usize,
}

impl FollowUps {
    fn kind(anchor: Anchor) -> usize {
        match anchor {
            Anchor::ForloebSlut => 0,
            Anchor::TilbudStart => 1,
            Anchor::TilbudSlut => 2,
            Anchor::Loesladelse => 3,
        }
    }

    /// The follow-up anchored on a record, if any.
    pub fn get(&self, anchor: Anchor, record: u32) -> Option<&FollowUpFacts> {
        self.slots[Self::kind(anchor)].get(record as usize)?.as_ref()
    }

    /// Sets the follow-up anchored on a record (one per anchor).
    pub fn insert(&mut self, anchor: Anchor, record: u32, facts: FollowUpFacts) {
        let slots = &mut self.slots[Self::kind(anchor)];
        if slots.len() <= record as usize {
            slots.resize(record as usize + 1, None);
        }
        if slots[record as usize].replace(facts).is_none() {
            self.len += 1;
        }
    }

    pub fn remove(&mut self, anchor: Anchor, record: u32) {
        let slot = self.slots[Self::kind(anchor)].get_mut(record as usize);
        if slot.and_then(Option::take).is_some() {
            self.len -= 1;
        }
    }

    /// How many follow-ups there are.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Makes room for `more` anchors of a kind (a bulk load).
    pub fn reserve(&mut self, anchor: Anchor, more: usize) {
        self.slots[Self::kind(anchor)].reserve(more);
    }
}

/// Bounds on the days an enrollment's offers start and end: a cohort skips an enrollment whose
/// offers cannot fall in its window without reading them. Only ever widened (a replaced or
/// forgotten offer leaves them as they were), so they may be loose, never too narrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferSpan {
    first_start: Day,
    last_start: Day,
    /// Over the offers that have ended (an open end is in no window).
    first_end: Day,
    last_end: Day,
}

impl OfferSpan {
    pub const NONE: OfferSpan =
        OfferSpan { first_start: OPEN, last_start: Day::MIN, first_end: OPEN, last_end: Day::MIN };

    fn widen(&mut self, start: Day, end: Day) {
        self.first_start = self.first_start.min(start);
        self.last_start = self.last_start.max(start);
        if end != OPEN {
            self.first_end = self.first_end.min(end);
            self.last_end = self.last_end.max(end);
        }
    }

    /// Whether some offer may start in [from, last].
    pub fn may_start_in(&self, from: Day, last: Day) -> bool {
        self.first_start <= last && self.last_start >= from
    }

    /// Whether some offer may end in [from, last].
    pub fn may_end_in(&self, from: Day, last: Day) -> bool {
        self.first_end <= last && self.last_end >= from
    }
}

/// All case records, with the indexes the criteria need.
#[derive(Debug, Clone, Default)]
pub struct CaseData {
    pub symbols: Interner,
    pub initiatives: Interner,
    pub citizens: Vec<CitizenFacts>,
    pub enrollments: Vec<EnrollmentFacts>,
    pub offers: Vec<OfferFacts>,
    pub placements: Vec<PlacementFacts>,
    pub events: Vec<EventFacts>,
    /// Follow-ups by their anchor: (anchor kind, index of the enrollment, offer or event).
    pub follow_ups: FollowUps,
    /// Enrollments per citizen, offers per enrollment, events per citizen.
    pub enrollments_by_citizen: Vec<Vec<u32>>,
    pub offers_by_enrollment: Vec<Vec<u32>>,
    /// Per enrollment: where its offers' starts and ends lie.
    pub offer_spans: Vec<OfferSpan>,
    pub events_by_citizen: Vec<Vec<u32>>,
    /// Placements per citizen (dead ones included: check `live`).
    pub placements_by_citizen: Vec<Vec<u32>>,
    /// Enrollments per initiative symbol.
    pub enrollments_by_initiative: Vec<Vec<u32>>,
    /// Records by their external id, so a change can be applied in place.
    pub citizen_index: HashMap<i64, u32>,
    pub enrollment_index: HashMap<String, u32>,
    pub offer_index: HashMap<String, u32>,
    pub placement_index: HashMap<String, u32>,
    pub event_index: HashMap<String, u32>,
}

/// Where a record id lives: `Ok` its slot, or `Err` the slot just given to a new id (`next`,
/// the length of the records, which the caller then pushes to). One probe of the index: at
/// national scale each probe is a cache miss, and a load makes millions.
fn slot_of<K: std::hash::Hash + Eq>(index: &mut HashMap<K, u32>, id: K, next: usize) -> Result<u32, u32> {
    match index.entry(id) {
        std::collections::hash_map::Entry::Occupied(slot) => Ok(*slot.get()),
        std::collections::hash_map::Entry::Vacant(slot) => Err(*slot.insert(next as u32)),
    }
}

fn push_index(index: &mut Vec<Vec<u32>>, at: u32, value: u32) {
    let at = at as usize;
    if index.len() <= at {
        index.resize_with(at + 1, Vec::new);
    }
    index[at].push(value);
}

impl CaseData {
    pub fn new() -> Self {
        Self { symbols: Interner::new(), initiatives: Interner::new(), ..Self::default() }
    }

    /// Adds or replaces a citizen; returns its index.
    pub fn upsert_citizen(&mut self, id: i64, birth: NaiveDate, male: bool, area: Option<&str>) -> u32 {
        let facts = CitizenFacts { birth: day(birth), male, area: self.symbols.intern(area.unwrap_or("")) };
        match slot_of(&mut self.citizen_index, id, self.citizens.len()) {
            Ok(at) => {
                self.citizens[at as usize] = facts;
                at
            }
            Err(at) => {
                self.citizens.push(facts);
                at
            }
        }
    }

    /// Adds or replaces an enrollment (its citizen must be known); `None` if it is not.
    #[allow(clippy::too_many_arguments)]
    pub fn upsert_enrollment(
        &mut self,
        id: &str,
        citizen_id: i64,
        initiative: &str,
        start: NaiveDate,
        end: Option<NaiveDate>,
        positive_end: bool,
        lead_bif: bool,
        caseworker: Option<&str>,
        centre: Option<&str>,
    ) -> Option<u32> {
        let citizen = *self.citizen_index.get(&citizen_id)?;
        let facts = EnrollmentFacts {
            citizen,
            initiative: self.initiatives.intern(initiative),
            start: day(start),
            end: end.map_or(OPEN, day),
            positive_end,
            lead_bif,
            caseworker: self.symbols.intern(caseworker.unwrap_or("")),
            centre: self.symbols.intern(centre.unwrap_or("")),
        };
        if let Ok(at) = slot_of(&mut self.enrollment_index, id.to_owned(), self.enrollments.len()) {
            let old = self.enrollments[at as usize];
            if old.initiative != facts.initiative || old.citizen != facts.citizen {
                remove_from(&mut self.enrollments_by_initiative, old.initiative, at);
                remove_from(&mut self.enrollments_by_citizen, old.citizen, at);
                push_index(&mut self.enrollments_by_initiative, facts.initiative, at);
                push_index(&mut self.enrollments_by_citizen, facts.citizen, at);
            }
            self.enrollments[at as usize] = facts;
            return Some(at);
        }
        let at = self.enrollments.len() as u32;
        self.enrollments.push(facts);
        push_index(&mut self.enrollments_by_citizen, citizen, at);
        push_index(&mut self.enrollments_by_initiative, facts.initiative, at);
        Some(at)
    }

    /// Adds or replaces an offer (its enrollment must be known).
    pub fn upsert_offer(
        &mut self,
        id: &str,
        enrollment_id: &str,
        lab: bool,
        start: NaiveDate,
        end: Option<NaiveDate>,
    ) -> Option<u32> {
        let enrollment = *self.enrollment_index.get(enrollment_id)?;
        let facts = OfferFacts { enrollment, lab, start: day(start), end: end.map_or(OPEN, day) };
        self.widen_offer_span(enrollment, facts.start, facts.end);
        if let Ok(at) = slot_of(&mut self.offer_index, id.to_owned(), self.offers.len()) {
            self.offers[at as usize] = facts;
            return Some(at);
        }
        let at = self.offers.len() as u32;
        self.offers.push(facts);
        push_index(&mut self.offers_by_enrollment, enrollment, at);
        Some(at)
    }

    fn widen_offer_span(&mut self, enrollment: u32, start: Day, end: Day) {
        let at = enrollment as usize;
        if self.offer_spans.len() <= at {
            self.offer_spans.resize(at + 1, OfferSpan::NONE);
        }
        self.offer_spans[at].widen(start, end);
    }

    /// Where an enrollment's offers start and end (no offer: in no window).
    pub fn offer_span(&self, enrollment: u32) -> OfferSpan {
        self.offer_spans.get(enrollment as usize).copied().unwrap_or(OfferSpan::NONE)
    }

    /// Adds a placement without an id (fixtures and benchmarks).
    pub fn add_placement(
        &mut self,
        citizen_id: i64,
        start: NaiveDate,
        end: Option<NaiveDate>,
    ) -> Option<u32> {
        let citizen = *self.citizen_index.get(&citizen_id)?;
        let at = self.placements.len() as u32;
        self.placements.push(PlacementFacts {
            citizen,
            start: day(start),
            end: end.map_or(OPEN, day),
            live: true,
        });
        push_index(&mut self.placements_by_citizen, citizen, at);
        Some(at)
    }

    /// Adds or replaces a placement by its id.
    pub fn upsert_placement(
        &mut self,
        id: &str,
        citizen_id: i64,
        start: NaiveDate,
        end: Option<NaiveDate>,
    ) -> Option<u32> {
        let citizen = *self.citizen_index.get(&citizen_id)?;
        let facts = PlacementFacts { citizen, start: day(start), end: end.map_or(OPEN, day), live: true };
        if let Ok(at) = slot_of(&mut self.placement_index, id.to_owned(), self.placements.len()) {
            let old = self.placements[at as usize];
            if old.citizen != citizen {
                remove_from(&mut self.placements_by_citizen, old.citizen, at);
                push_index(&mut self.placements_by_citizen, citizen, at);
            }
            self.placements[at as usize] = facts;
            return Some(at);
        }
        let at = self.placements.len() as u32;
        self.placements.push(facts);
        push_index(&mut self.placements_by_citizen, citizen, at);
        Some(at)
    }

    /// Marks every record of a citizen as gone, before its current records are read again.
    /// Records keep their slots (indexes stay valid); a dead record matches no criterion.
    pub fn forget_citizen_records(&mut self, citizen_id: i64) {
        let Some(&citizen) = self.citizen_index.get(&citizen_id) else { return };
        for e in self.enrollments_of_citizen(citizen).to_vec() {
            self.enrollments[e as usize].start = OPEN;
            for o in self.offers_of(e).to_vec() {
                self.offers[o as usize].start = OPEN;
                self.offers[o as usize].end = OPEN;
                self.follow_ups.remove(Anchor::TilbudStart, o);
                self.follow_ups.remove(Anchor::TilbudSlut, o);
            }
            self.follow_ups.remove(Anchor::ForloebSlut, e);
        }
        for v in self.events_of(citizen).to_vec() {
            self.events[v as usize].date = OPEN;
            self.follow_ups.remove(Anchor::Loesladelse, v);
        }
        for p in self.placements_of(citizen).to_vec() {
            self.placements[p as usize].live = false;
        }
    }

    /// Adds or replaces a life event.
    pub fn upsert_event(
        &mut self,
        id: &str,
        citizen_id: i64,
        kind: EventKind,
        date: NaiveDate,
    ) -> Option<u32> {
        let citizen = *self.citizen_index.get(&citizen_id)?;
        let facts = EventFacts { citizen, kind, date: day(date) };
        if let Ok(at) = slot_of(&mut self.event_index, id.to_owned(), self.events.len()) {
            self.events[at as usize] = facts;
            return Some(at);
        }
        let at = self.events.len() as u32;
        self.events.push(facts);
        push_index(&mut self.events_by_citizen, citizen, at);
        Some(at)
    }

    /// Adds or replaces the follow-up on an anchor, found by the anchor record's external id.
    pub fn upsert_follow_up(
        &mut self,
        anchor: Anchor,
        anchor_id: &str,
        due: NaiveDate,
        done: Option<NaiveDate>,
        positive: bool,
    ) -> bool {
        let index = match anchor {
            Anchor::ForloebSlut => &self.enrollment_index,
            Anchor::TilbudStart | Anchor::TilbudSlut => &self.offer_index,
            Anchor::Loesladelse => &self.event_index,
        };
        let Some(&at) = index.get(anchor_id) else {
            return false;
        };
        let facts = FollowUpFacts { due: day(due), done: done.map_or(OPEN, day), positive };
        self.follow_ups.insert(anchor, at, facts);
        true
    }

    /// The enrollments of an initiative (empty for an unknown code).
    pub fn enrollments_of(&self, initiative: &str) -> &[u32] {
        let symbol = self.initiatives.lookup.get(initiative).copied();
        symbol.and_then(|s| self.enrollments_by_initiative.get(s as usize)).map_or(&[], Vec::as_slice)
    }

    /// The symbol of an initiative code, if any enrollment has it.
    pub fn initiatives_symbol(&self, initiative: &str) -> Option<u32> {
        self.initiatives.lookup.get(initiative).copied()
    }

    pub fn offers_of(&self, enrollment: u32) -> &[u32] {
        self.offers_by_enrollment.get(enrollment as usize).map_or(&[], Vec::as_slice)
    }

    pub fn events_of(&self, citizen: u32) -> &[u32] {
        self.events_by_citizen.get(citizen as usize).map_or(&[], Vec::as_slice)
    }

    /// A citizen's placements, dead ones included.
    pub fn placements_of(&self, citizen: u32) -> &[u32] {
        self.placements_by_citizen.get(citizen as usize).map_or(&[], Vec::as_slice)
    }

    pub fn enrollments_of_citizen(&self, citizen: u32) -> &[u32] {
        self.enrollments_by_citizen.get(citizen as usize).map_or(&[], Vec::as_slice)
    }

    /// How many records in all: the scale a benchmark reports.
    pub fn row_count(&self) -> usize {
        self.citizens.len()
            + self.enrollments.len()
            + self.offers.len()
            + self.placements.len()
            + self.events.len()
            + self.follow_ups.len()
    }
}

fn remove_from(index: &mut [Vec<u32>], at: u32, value: u32) {
    if let Some(list) = index.get_mut(at as usize) {
        list.retain(|&v| v != value);
    }
}

impl CaseData {
    /// A copy holding only one citizen's records (the citizen becomes index 0): what
    /// [`super::live`] re-evaluates after a change to that citizen. The records keep their
    /// symbols (centre, caseworker code, area), but the names are not copied — drill-down groups
    /// are ids, named from the whole data — so the copy costs the size of the citizen.
    pub fn extract_citizen(&self, citizen: u32) -> CaseData {
        let mut single = CaseData { initiatives: self.initiatives.clone(), ..CaseData::default() };
        let Some(&facts) = self.citizens.get(citizen as usize) else { return single };
        single.citizens.push(facts);
        for &e in self.enrollments_of_citizen(citizen) {
            let en = EnrollmentFacts { citizen: 0, ..self.enrollments[e as usize] };
            let new_e = single.enrollments.len() as u32;
            single.enrollments.push(en);
            push_index(&mut single.enrollments_by_citizen, 0, new_e);
            push_index(&mut single.enrollments_by_initiative, en.initiative, new_e);
            self.copy_follow_up(&mut single, Anchor::ForloebSlut, e, new_e);
            for &o in self.offers_of(e) {
                let new_o = single.offers.len() as u32;
                let offer = self.offers[o as usize];
                single.widen_offer_span(new_e, offer.start, offer.end);
                single.offers.push(OfferFacts { enrollment: new_e, ..offer });
                push_index(&mut single.offers_by_enrollment, new_e, new_o);
                self.copy_follow_up(&mut single, Anchor::TilbudStart, o, new_o);
                self.copy_follow_up(&mut single, Anchor::TilbudSlut, o, new_o);
            }
        }
        for &v in self.events_of(citizen) {
            let new_v = single.events.len() as u32;
            single.events.push(EventFacts { citizen: 0, ..self.events[v as usize] });
            push_index(&mut single.events_by_citizen, 0, new_v);
            self.copy_follow_up(&mut single, Anchor::Loesladelse, v, new_v);
        }
        for &p in self.placements_of(citizen) {
            let placement = self.placements[p as usize];
            if placement.live {
                let new_p = single.placements.len() as u32;
                single.placements.push(PlacementFacts { citizen: 0, ..placement });
                push_index(&mut single.placements_by_citizen, 0, new_p);
            }
        }
        single
    }

    fn copy_follow_up(&self, single: &mut CaseData, anchor: Anchor, from: u32, to: u32) {
        if let Some(&f) = self.follow_ups.get(anchor, from) {
            single.follow_ups.insert(anchor, to, f);
        }
    }
}
