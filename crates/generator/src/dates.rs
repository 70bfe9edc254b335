//! Date helpers for the generator: random days in a range, the month-end snapping that real
//! case systems show (many end dates are the last of the month), and an allocation-free
//! `YYYY-MM-DD` formatter, because dates are most of the bytes written.

use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;
use sikkerby_domain::calendar::last_day_of_month;

/// `date` plus `days` (negative goes back); saturates instead of panicking.
pub(crate) fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    let magnitude = Days::new(days.unsigned_abs());
    let moved = if days >= 0 { date.checked_add_days(magnitude) } else { date.checked_sub_days(magnitude) };
    moved.unwrap_or(date)
}

/// A uniformly drawn day in `[from, to]` (both included); `from` when the range is empty.
pub(crate) fn day_between<R: Rng>(rng: &mut R, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    if span <= 0 {
        return from;
    }
    shift(from, rng.gen_range(0..=span))
}

/// `date` plus a uniformly drawn number of days in `[min, max]`.
pub(crate) fn after<R: Rng>(rng: &mut R, date: NaiveDate, min: i64, max: i64) -> NaiveDate {
    shift(date, rng.gen_range(min..=max.max(min)))
}

/// The last day of `date`'s month (29 Feb in a leap year, 30 Nov, …).
pub(crate) fn month_end(date: NaiveDate) -> NaiveDate {
    let last = last_day_of_month(date.year(), date.month());
    date.with_day(last).unwrap_or(date)
}

/// With probability `p`, moves `date` to its month's last day, unless that passes `limit`:
/// caseworkers often close a case "per the end of the month", and those dates are exactly the
/// ones whose follow-up due date must clamp (30 Nov + 3 months = 28/29 Feb).
pub(crate) fn maybe_month_end<R: Rng>(rng: &mut R, date: NaiveDate, p: f64, limit: NaiveDate) -> NaiveDate {
    let snapped = month_end(date);
    if snapped <= limit && rng.gen_bool(p) {
        snapped
    } else {
        date
    }
}

/// Writes `date` as `YYYY-MM-DD` into `buf` without allocating; years are 1000–9999 here.
pub(crate) fn format_date(date: NaiveDate, buf: &mut [u8; 10]) -> &[u8] {
    let year = date.year().clamp(0, 9999) as u32;
    let digit = |value: u32| b'0' + (value % 10) as u8;
    *buf = [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(date.month() / 10),
        digit(date.month()),
        b'-',
        digit(date.day() / 10),
        digit(date.day()),
    ];
    &buf[..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn formatting_matches_chrono_iso_dates() {
        let mut buf = [0u8; 10];
        for d in [date(2012, 2, 29), date(1983, 12, 1), date(2021, 10, 31)] {
            let text = format_date(d, &mut buf);
            assert_eq!(text, d.format("%Y-%m-%d").to_string().as_bytes());
        }
    }

    #[test]
    fn month_end_of_a_leap_february_is_the_29th() {
        assert_eq!(month_end(date(2016, 2, 3)), date(2016, 2, 29));
        assert_eq!(month_end(date(2013, 11, 5)), date(2013, 11, 30));
    }

    #[test]
    fn shifting_goes_both_ways() {
        assert_eq!(shift(date(2012, 3, 1), -1), date(2012, 2, 29));
        assert_eq!(shift(date(2012, 2, 28), 2), date(2012, 3, 1));
    }
}
