//! Birth dates and CPR numbers that are unique without any coordination between threads.
//!
//! Citizen `i` gets birth day `(i · P + offset) mod D` of a birth window of `D` days and a slot
//! `k = i / D` on that day; `P` is coprime to `D`, so `i ↦ (day, k)` is a bijection and two
//! citizens never share both. The slot picks the century digit, the two serial digits and which
//! of the (at least four) digits 9 that give a valid control digit of the right sex: distinct
//! slots give distinct numbers. Every 73rd day of the window is an "unknown birthday" day: its
//! citizens are registered on 1 January with a post-2007 number that fails modulus 11 (valid, a
//! warning on import, docs/domain.md §6), numbered by their day's place in the year and their slot.

use chrono::{Datelike, NaiveDate};
use sikkerby_domain::cpr::{Cpr, Sex};

/// Slots per birth day: 6 century digits × 10 serial digits × 4 choices of digit 9.
pub(crate) const SLOTS_PER_DAY: u64 = 240;
/// One day in this many is an "unknown birthday" day (≈ 1.4 % of citizens).
const UNKNOWN_BIRTHDAY_EVERY: u64 = 73;
const WEIGHTS: [u32; 10] = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

/// How citizens' birth dates are spread over the birth window.
#[derive(Debug, Clone)]
pub(crate) struct BirthPlan {
    first: NaiveDate,
    days: u64,
    multiplier: u64,
    offset: u64,
}

/// A citizen's number and the birth date it encodes.
pub(crate) struct Identity {
    pub cpr: Cpr,
    pub birth: NaiveDate,
}

impl BirthPlan {
    /// Births from 1 January of `first` to 31 December of `last`.
    pub fn new(first: i32, last: i32, seed: u64) -> Option<Self> {
        let first = NaiveDate::from_ymd_opt(first, 1, 1)?;
        let end = NaiveDate::from_ymd_opt(last, 12, 31)?;
        let days = u64::try_from((end - first).num_days() + 1).ok()?;
        // A prime near D·0.618 scatters consecutive citizens over the window; step to the next
        // candidate that is coprime to D.
        let multiplier = (days * 618 / 1000..).find(|m| gcd(*m, days) == 1).unwrap_or(1);
        Some(Self { first, days, multiplier, offset: seed % days })
    }

    /// The first possible birth date.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The last possible birth date.
    pub fn last(&self) -> NaiveDate {
        self.first + chrono::Days::new(self.days - 1)
    }

    /// The number of days in the birth window.
    pub fn days(&self) -> u64 {
        self.days
    }

    /// The largest number of citizens that get distinct numbers.
    pub fn capacity(&self) -> u64 {
        self.days * SLOTS_PER_DAY
    }

    /// The number and birth date of citizen `index` (< capacity), of the given sex.
    pub fn identity(&self, index: u64, sex: Sex) -> Identity {
        let (day_index, day) = self.day_of(index);
        let slot = index / self.days;
        if day_index.is_multiple_of(UNKNOWN_BIRTHDAY_EVERY) {
            unknown_birthday(day, slot, sex)
        } else {
            ordinary(day, slot, sex)
        }
    }

    /// The birth date of citizen `index` without making the number (it does not depend on sex).
    pub fn birth_of(&self, index: u64) -> NaiveDate {
        let (day_index, day) = self.day_of(index);
        if day_index.is_multiple_of(UNKNOWN_BIRTHDAY_EVERY) {
            NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day)
        } else {
            day
        }
    }

    fn day_of(&self, index: u64) -> (u64, NaiveDate) {
        let day_index = ((index % self.days) * self.multiplier + self.offset) % self.days;
        (day_index, self.first + chrono::Days::new(day_index))
    }
}

/// A number that passes modulus 11, made by the domain's own synthesiser.
fn ordinary(birth: NaiveDate, slot: u64, sex: Sex) -> Identity {
    let base = (slot / 40 * 100 + slot % 40 / 4 * 10) as u16;
    let cpr = (0..10)
        .filter_map(|d9| Cpr::synthesize(birth, base + d9, sex))
        .nth((slot % 4) as usize)
        .expect("at least four digits 9 give a valid control digit of each sex");
    Identity { cpr, birth }
}

/// A number born 1 January of `day`'s year that fails modulus 11.
fn unknown_birthday(day: NaiveDate, slot: u64, sex: Sex) -> Identity {
    let birth = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
    let number = u64::from(day.ordinal0()) / UNKNOWN_BIRTHDAY_EVERY * SLOTS_PER_DAY + slot;
    let centuries = century_digits(birth.year());
    let yy = birth.year().rem_euclid(100) as u8;
    let mut digits = [0, 1, 0, 1, yy / 10, yy % 10, 0, 0, 0, 0];
    digits[6] = centuries[(number % 600 / 100) as usize % centuries.len()];
    digits[7] = (number % 100 / 10) as u8;
    digits[8] = (number % 10) as u8;
    let parity = u8::from(sex == Sex::Male);
    let mut probe = digits;
    digits[9] = (0..10u8)
        .filter(|d| d % 2 == parity)
        .filter(|d| {
            probe[9] = *d;
            !weighted_sum(&probe).is_multiple_of(11)
        })
        .nth((number / 600) as usize)
        .expect("at least four last digits of each parity fail modulus 11");
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let parsed = Cpr::parse_on(&text, NaiveDate::MAX).expect("a valid 1 January number");
    Identity { cpr: parsed.cpr, birth }
}

fn weighted_sum(digits: &[u8; 10]) -> u32 {
    digits.iter().zip(WEIGHTS).map(|(&d, w)| u32::from(d) * w).sum()
}

/// Century digits (digit 7) that give `year` its century; mirrors docs/domain.md §6.
fn century_digits(year: i32) -> &'static [u8] {
    match year {
        1900..=1936 => &[0, 1, 2, 3],
        1937..=1999 => &[0, 1, 2, 3, 4, 9],
        _ => &[4, 9, 5, 6, 7, 8],
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_citizen_of_a_full_window_gets_a_distinct_number() {
        let plan = BirthPlan::new(1990, 1991, 7).expect("plan");
        let mut seen = HashSet::new();
        for index in 0..plan.capacity() {
            let sex = if index % 3 == 0 { Sex::Female } else { Sex::Male };
            let identity = plan.identity(index, sex);
            assert_eq!(identity.cpr.sex(), sex);
            assert_eq!(identity.cpr.birth_date(), identity.birth);
            assert_eq!(plan.birth_of(index), identity.birth);
            assert!(seen.insert(identity.cpr.as_digits()), "duplicate at {index}");
        }
    }

    #[test]
    fn unknown_birthday_numbers_are_1_january_and_fail_modulus_11() {
        let plan = BirthPlan::new(1985, 1999, 1).expect("plan");
        let failing: Vec<_> = (0..20_000)
            .map(|i| plan.identity(i, Sex::Male))
            .filter(|id| !id.cpr.passes_modulus_11())
            .collect();
        assert!(failing.len() > 100);
        assert!(failing.iter().all(|id| id.birth.ordinal() == 1));
    }
}
