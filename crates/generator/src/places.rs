//! Capacity-managed initiatives: EXIT is "normeret til 25 helårspladser", so its enrollments are
//! not drawn citizen by citizen (which would let the number of active cases wander by ±5 at
//! Copenhagen scale) but place by place. Each place is filled by one enrollment after another,
//! with a short gap between, and each enrollment goes to a citizen whose age fits the target
//! group. The schedule is made once, from its own random stream, before any citizen is generated;
//! citizens look up their own periods, so generation stays parallel and deterministic.

use crate::dates::after;
use crate::identity::BirthPlan;
use crate::plan::DEMO_CITIZENS;
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sikkerby_domain::calendar::age_in_months;

/// Days a place stays empty between two enrollments.
const GAP_DAYS: (i64, i64) = (7, 45);
/// Tries to find a citizen of the right age for one enrollment before leaving the place empty.
const TRIES: usize = 200;

/// One planned enrollment in a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    pub citizen: u64,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// What to schedule: places at the demo scale, enrollment length, age band in months.
pub(crate) struct Capacity {
    pub places: f64,
    pub duration_days: (i64, i64),
    pub band: (i32, i32),
}

/// The planned enrollments of all places, sorted by citizen.
#[derive(Debug, Default)]
pub(crate) struct Schedule {
    periods: Vec<Period>,
}

impl Schedule {
    /// Fills `capacity.places × citizens / 5,000` places over `[from, to]`.
    pub fn new(
        rng: &mut ChaCha8Rng,
        capacity: &Capacity,
        births: &BirthPlan,
        citizens: u64,
        (from, to): (NaiveDate, NaiveDate),
    ) -> Self {
        let places = (capacity.places * citizens as f64 / DEMO_CITIZENS).round().max(1.0) as u64;
        let mut periods = Vec::new();
        for _ in 0..places {
            // Places start at random days so that their turnover is spread over the year.
            let mut start = after(rng, from, 0, 365);
            while start <= to {
                let end = after(rng, start, capacity.duration_days.0, capacity.duration_days.1);
                if let Some(citizen) = pick_citizen(rng, capacity.band, births, citizens, start) {
                    periods.push(Period { citizen, start, end });
                }
                start = after(rng, end, GAP_DAYS.0, GAP_DAYS.1);
            }
        }
        periods.sort_by_key(|p| (p.citizen, p.start));
        Self { periods }
    }

    /// The planned enrollments of one citizen, by start.
    pub fn of(&self, citizen: u64) -> &[Period] {
        let from = self.periods.partition_point(|p| p.citizen < citizen);
        let to = self.periods.partition_point(|p| p.citizen <= citizen);
        &self.periods[from..to]
    }
}

/// A citizen whose age on `start` lies in `band`, or `None` if none was found.
fn pick_citizen(
    rng: &mut ChaCha8Rng,
    (min, max): (i32, i32),
    births: &BirthPlan,
    citizens: u64,
    start: NaiveDate,
) -> Option<u64> {
    (0..TRIES).map(|_| rng.gen_range(0..citizens)).find(|&c| {
        let age = age_in_months(births.birth_of(c), start);
        (min..max).contains(&age)
    })
}
