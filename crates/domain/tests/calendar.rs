//! Calendar-month arithmetic, windows, periods and date parsing (docs/domain.md §7, docs/formats.md).

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use sikkerby_domain::calendar::{
    add_months, age_in_months, age_in_years, last_day_of_month, parse_date, DateParseError, Period,
    PeriodError, Window,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn thirty_november_plus_three_months_clamps_to_the_end_of_february() {
    assert_eq!(add_months(d(2011, 11, 30), 3), d(2012, 2, 29));
    assert_eq!(add_months(d(2012, 11, 30), 3), d(2013, 2, 28));
}

#[test]
fn thirty_one_january_2012_plus_one_month_is_leap_day() {
    assert_eq!(add_months(d(2012, 1, 31), 1), d(2012, 2, 29));
}

#[test]
fn adding_months_crosses_years_in_both_directions() {
    assert_eq!(add_months(d(2012, 12, 15), 1), d(2013, 1, 15));
    assert_eq!(add_months(d(2012, 1, 15), -1), d(2011, 12, 15));
    assert_eq!(add_months(d(2012, 3, 31), -1), d(2012, 2, 29));
    assert_eq!(add_months(d(2012, 5, 31), -25), d(2010, 4, 30));
    assert_eq!(add_months(d(2012, 5, 31), 0), d(2012, 5, 31));
}

#[test]
fn adding_months_beyond_the_calendar_saturates() {
    assert_eq!(add_months(d(2012, 1, 1), i32::MAX), NaiveDate::MAX);
    assert_eq!(add_months(d(2012, 1, 1), i32::MIN), NaiveDate::MIN);
}

#[test]
fn age_in_months_counts_a_month_completed_on_the_same_day_of_the_month() {
    assert_eq!(age_in_months(d(2000, 1, 15), d(2000, 2, 14)), 0);
    assert_eq!(age_in_months(d(2000, 1, 15), d(2000, 2, 15)), 1);
    assert_eq!(age_in_months(d(2000, 1, 31), d(2000, 2, 29)), 1);
    assert_eq!(age_in_months(d(2000, 1, 31), d(2000, 2, 28)), 0);
    assert_eq!(age_in_months(d(2000, 3, 15), d(2000, 3, 10)), -1);
}

#[test]
fn a_leap_day_birthday_is_reached_on_28_february_in_other_years() {
    let birth = d(2000, 2, 29);
    assert_eq!(age_in_years(birth, d(2001, 2, 27)), 0);
    assert_eq!(age_in_years(birth, d(2001, 2, 28)), 1);
    assert_eq!(age_in_years(birth, d(2004, 2, 28)), 3);
    assert_eq!(age_in_years(birth, d(2004, 2, 29)), 4);
}

#[test]
fn age_in_years_turns_on_the_birthday() {
    assert_eq!(age_in_years(d(1995, 6, 10), d(2012, 6, 9)), 16);
    assert_eq!(age_in_years(d(1995, 6, 10), d(2012, 6, 10)), 17);
}

#[test]
fn a_window_ending_exactly_on_the_day_includes_it() {
    let window = Window::months_after(d(2012, 11, 30), 3);
    assert_eq!(window.start(), d(2012, 11, 30));
    assert_eq!(window.end(), d(2013, 2, 28));
    assert!(window.contains(d(2012, 11, 30)));
    assert!(window.contains(d(2013, 2, 28)));
    assert!(!window.contains(d(2013, 3, 1)));
    assert!(!window.contains(d(2012, 11, 29)));
    assert!(window.has_closed_by(d(2013, 2, 28)));
    assert!(!window.has_closed_by(d(2013, 2, 27)));
}

#[test]
fn a_period_cannot_end_before_it_starts() {
    assert_eq!(
        Period::new(d(2012, 2, 1), d(2012, 1, 31)),
        Err(PeriodError::EndsBeforeStart { from: d(2012, 2, 1), to: d(2012, 1, 31) })
    );
    assert_eq!(Period::new(d(2012, 2, 1), d(2012, 2, 1)).unwrap().days(), 1);
}

#[test]
fn a_calendar_year_period_has_all_its_days() {
    let year = Period::year(2012).unwrap();
    assert_eq!((year.from(), year.to()), (d(2012, 1, 1), d(2012, 12, 31)));
    assert_eq!(year.days(), 366);
    assert_eq!(Period::year(2013).unwrap().days(), 365);
    assert!(year.contains(d(2012, 1, 1)) && year.contains(d(2012, 12, 31)));
    assert!(!year.contains(d(2013, 1, 1)) && !year.contains(d(2011, 12, 31)));
    assert_eq!(Period::year(i32::MAX), Err(PeriodError::YearOutOfRange(i32::MAX)));
}

#[test]
fn a_period_reads_and_writes_as_from_and_to() {
    let json = r#"{"from":"2012-01-01","to":"2012-12-31"}"#;
    let period: Period = serde_json::from_str(json).unwrap();
    assert_eq!(period, Period::year(2012).unwrap());
    assert_eq!(serde_json::to_string(&period).unwrap(), json);
    let backwards = r#"{"from":"2012-12-31","to":"2012-01-01"}"#;
    assert!(serde_json::from_str::<Period>(backwards).is_err());
}

#[test]
fn parse_date_accepts_the_three_import_formats() {
    assert_eq!(parse_date("2012-03-04"), Ok(d(2012, 3, 4)));
    assert_eq!(parse_date("04-03-2012"), Ok(d(2012, 3, 4)));
    assert_eq!(parse_date("04.03.2012"), Ok(d(2012, 3, 4)));
    assert_eq!(parse_date(" 04.03.2012 "), Ok(d(2012, 3, 4)));
}

#[test]
fn parse_date_names_the_text_it_rejects() {
    for text in ["2012/03/04", "4.3.2012", "04-03.2012", "2012-3-04", "", "12-03-04", "2012-03-0x"] {
        assert_eq!(parse_date(text), Err(DateParseError::Format(text.to_owned())), "{text}");
    }
    let error = parse_date("31.02.2012").unwrap_err();
    assert_eq!(error, DateParseError::NoSuchDate("31.02.2012".to_owned()));
    assert!(error.to_string().contains("31.02.2012"));
    assert!(parse_date("2012-13-01").is_err());
}

/// Any date from `first` to `last`.
fn date_between(first: NaiveDate, last: NaiveDate) -> impl Strategy<Value = NaiveDate> {
    (first.num_days_from_ce()..=last.num_days_from_ce())
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

/// Any date from year -9999 to 9999.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    date_between(d(-9999, 1, 1), d(9999, 12, 31))
}

proptest! {
    #[test]
    fn add_months_lands_in_the_right_month_on_the_clamped_day(
        date in any_date(), months in -120_000i32..120_000,
    ) {
        let result = add_months(date, months);
        let expected_index = i64::from(date.year()) * 12 + i64::from(date.month0()) + i64::from(months);
        let index = i64::from(result.year()) * 12 + i64::from(result.month0());
        prop_assert_eq!(index, expected_index);
        let last = last_day_of_month(result.year(), result.month());
        prop_assert_eq!(result.day(), date.day().min(last));
        // The independent leap-year rule of chrono agrees with our month length.
        prop_assert!(result.with_day(last).is_some() && result.with_day(last + 1).is_none());
    }

    #[test]
    fn add_months_never_panics(
        date in date_between(NaiveDate::MIN, NaiveDate::MAX), months in any::<i32>(),
    ) {
        let result = add_months(date, months);
        // Saturation keeps the direction: never earlier when adding, never later when subtracting.
        let same_direction = if months >= 0 { result >= date } else { result <= date };
        prop_assert!(same_direction);
    }

    #[test]
    fn age_in_months_is_the_last_month_count_not_after_the_date(
        birth in any_date(), on in any_date(),
    ) {
        let age = age_in_months(birth, on);
        prop_assert!(add_months(birth, age) <= on);
        prop_assert!(add_months(birth, age + 1) > on);
        prop_assert_eq!(age_in_years(birth, on), age.div_euclid(12));
    }

    #[test]
    fn a_window_of_n_months_contains_both_ends(anchor in any_date(), months in 0u32..1200) {
        let window = Window::months_after(anchor, months);
        prop_assert!(window.contains(anchor));
        prop_assert!(window.contains(add_months(anchor, months as i32)));
        prop_assert!(!window.contains(window.end().succ_opt().unwrap()));
    }

    #[test]
    fn every_date_parses_back_from_each_format(date in date_between(d(1, 1, 1), d(9999, 12, 31))) {
        for format in ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"] {
            let text = date.format(format).to_string();
            prop_assert_eq!(parse_date(&text), Ok(date), "{}", text);
        }
    }
}
