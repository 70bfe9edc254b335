//! One citizen's records before they are written: the rows of every `opera/` file that belong to
//! the citizen, numbered locally. Ids in the files are `<letter><citizen number>-<local number>`
//! (`F17-2` is citizen 17's second enrollment), unique without coordination between threads.
//! A [`Life`] is cleared and reused for the next citizen, so its vectors allocate once.

use crate::names::Centre;
use chrono::NaiveDate;
use sikkerby_domain::codes::{Anchor, EventKind};
use sikkerby_domain::cpr::Sex;

/// A course in one initiative (a row of `forloeb.csv`).
pub(crate) struct Enrollment {
    pub n: u32,
    /// Index into the plan's programmes.
    pub programme: usize,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: Option<&'static str>,
    pub lead: &'static str,
    pub centre: &'static Centre,
    pub caseworker: u8,
    /// Ended in job or education.
    pub positive: bool,
}

/// An offer inside an enrollment (a row of `tilbud.csv`).
pub(crate) struct Offer {
    pub n: u32,
    pub enrollment: u32,
    pub kind: &'static str,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: Option<&'static str>,
}

/// A leisure-job placement (a row of `fritidsjob.csv`).
pub(crate) struct Placement {
    pub n: u32,
    pub employer: &'static str,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// A life event (a row of `haendelser.csv`).
pub(crate) struct Event {
    pub n: u32,
    pub kind: EventKind,
    pub date: NaiveDate,
    pub value: Option<u8>,
}

/// A follow-up (a row of `opfoelgninger.csv`); `anchor_n` numbers the anchored record.
pub(crate) struct FollowUp {
    pub n: u32,
    pub anchor: Anchor,
    pub anchor_n: u32,
    pub due: NaiveDate,
    pub done: Option<(NaiveDate, &'static str)>,
}

/// A corrected end date of one enrollment, with its moved follow-up (`opera_rettelser/`).
pub(crate) struct Correction {
    /// Index into [`Life::enrollments`].
    pub enrollment: usize,
    pub end: NaiveDate,
    /// Index into [`Life::follow_ups`].
    pub follow_up: usize,
    pub due: NaiveDate,
}

/// All records of one citizen.
pub(crate) struct Life {
    pub index: u64,
    pub cpr: String,
    pub sex: Sex,
    pub birth: NaiveDate,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub area: Option<&'static str>,
    pub district: Option<&'static str>,
    pub enrollments: Vec<Enrollment>,
    pub offers: Vec<Offer>,
    pub placements: Vec<Placement>,
    pub events: Vec<Event>,
    pub follow_ups: Vec<FollowUp>,
    pub correction: Option<Correction>,
    /// Per programme, the end of the citizen's latest enrollment (`NaiveDate::MAX` when open),
    /// so that enrollments in one initiative never overlap.
    pub busy_until: Vec<NaiveDate>,
    pub placement_busy_until: NaiveDate,
}

impl Life {
    pub fn new(programmes: usize) -> Self {
        Self {
            index: 0,
            cpr: String::with_capacity(10),
            sex: Sex::Male,
            birth: NaiveDate::MIN,
            first_name: "",
            last_name: "",
            area: None,
            district: None,
            enrollments: Vec::new(),
            offers: Vec::new(),
            placements: Vec::new(),
            events: Vec::new(),
            follow_ups: Vec::new(),
            correction: None,
            busy_until: vec![NaiveDate::MIN; programmes],
            placement_busy_until: NaiveDate::MIN,
        }
    }

    /// Empties the record lists for citizen `index`.
    pub fn reset(&mut self, index: u64) {
        self.index = index;
        self.enrollments.clear();
        self.offers.clear();
        self.placements.clear();
        self.events.clear();
        self.follow_ups.clear();
        self.correction = None;
        self.busy_until.fill(NaiveDate::MIN);
        self.placement_busy_until = NaiveDate::MIN;
    }

    /// Records an event and returns its local number.
    pub fn push_event(&mut self, kind: EventKind, date: NaiveDate, value: Option<u8>) -> u32 {
        let n = self.events.len() as u32 + 1;
        self.events.push(Event { n, kind, date, value });
        n
    }

    /// The local number the next enrollment will get.
    pub fn next_enrollment(&self) -> u32 {
        self.enrollments.len() as u32 + 1
    }
}
