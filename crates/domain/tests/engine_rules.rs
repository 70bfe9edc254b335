//! Hand-made fixtures for each shared rule of docs/domain.md §7, evaluated through the engine.

use chrono::NaiveDate;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::codes::{Anchor, EventKind};
use sikkerby_domain::criteria::CriterionDefinition;
use sikkerby_domain::engine::{evaluate, CaseData, CriterionResult, Dimension, Request, Status};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn criteria() -> Vec<CriterionDefinition> {
    sikkerby_domain::seed::load().unwrap().criteria
}

fn run(data: &CaseData, id: &str, year: i32, as_of: NaiveDate) -> CriterionResult {
    run_by(data, id, year, as_of, None)
}

fn run_by(data: &CaseData, id: &str, year: i32, as_of: NaiveDate, by: Option<Dimension>) -> CriterionResult {
    let request = Request { period: Period::year(year).unwrap(), as_of, by, initiative: None };
    let all = criteria();
    let only: Vec<_> = all.into_iter().filter(|c| c.id == id).collect();
    evaluate(data, &only, &request).results.remove(0)
}

/// One DOMTE youth released on `release`, with a follow-up on the release.
fn domte_release(data: &mut CaseData, citizen: i64, release: NaiveDate, done: Option<(NaiveDate, bool)>) {
    data.upsert_citizen(citizen, d(1990, 1, 1), true, Some("tingbjerg"));
    let e = format!("e{citizen}");
    data.upsert_enrollment(
        &e,
        citizen,
        "DOMTE",
        d(2011, 1, 1),
        None,
        false,
        true,
        Some("K1"),
        Some("JKU Nord"),
    );
    let ev = format!("v{citizen}-{release}");
    data.upsert_event(&ev, citizen, EventKind::Loesladelse, release);
    let due = sikkerby_domain::calendar::add_months(release, 3);
    data.upsert_follow_up(Anchor::Loesladelse, &ev, due, done.map(|(d, _)| d), done.is_some_and(|(_, p)| p));
}

#[test]
fn c4_window_ending_exactly_on_the_as_of_date_is_closed_and_an_unrecorded_follow_up_is_unknown() {
    let mut data = CaseData::new();
    domte_release(&mut data, 1, d(2012, 3, 15), Some((d(2012, 6, 10), true)));
    domte_release(&mut data, 2, d(2012, 9, 30), None);
    // As of 30 Dec 2012 (= 30 Sep + 3 months): citizen 2's window closes that very day.
    let r = run(&data, "C4", 2012, d(2012, 12, 30));
    assert_eq!((r.numerator, r.denominator, r.unknown), (Some(1), Some(2), 1));
    assert_eq!(r.status, Status::OnTrack, "the year is still running");
    // The day before, citizen 2 is not yet due: not unknown, still in the denominator.
    let r = run(&data, "C4", 2012, d(2012, 12, 29));
    assert_eq!((r.numerator, r.denominator, r.unknown, r.pending_members), (Some(1), Some(2), 0, 1));
}

#[test]
fn c4_counts_a_second_release_in_the_same_year_once_at_the_first() {
    let mut data = CaseData::new();
    domte_release(&mut data, 1, d(2012, 2, 1), Some((d(2012, 5, 1), false)));
    domte_release(&mut data, 1, d(2012, 8, 1), Some((d(2012, 11, 1), true)));
    let r = run(&data, "C4", 2012, d(2013, 6, 1));
    assert_eq!((r.numerator, r.denominator), (Some(0), Some(1)), "only the first release counts");
    assert_eq!(r.status, Status::NotMet);
}

#[test]
fn c4_is_pending_after_the_year_while_a_window_is_open_and_met_when_closed() {
    let mut data = CaseData::new();
    domte_release(&mut data, 1, d(2012, 11, 30), Some((d(2013, 2, 20), true)));
    domte_release(&mut data, 2, d(2012, 12, 31), None);
    let r = run(&data, "C4", 2012, d(2013, 3, 1));
    assert_eq!(r.status, Status::Pending);
    assert_eq!(r.pending_members, 1);
    // 30 Nov + 3 months clamps to 28 Feb 2013; 31 Dec + 3 months = 31 Mar 2013.
    let r = run(&data, "C4", 2012, d(2013, 3, 31));
    assert_eq!((r.numerator, r.denominator, r.unknown), (Some(1), Some(2), 1));
    assert_eq!(r.status, Status::Met, "1 of 2 = 50 % meets ≥ 50 %");
}

#[test]
fn c7_counts_an_enrollment_without_an_end_as_active_every_day() {
    let mut data = CaseData::new();
    for i in 0..25 {
        data.upsert_citizen(i, d(1990, 1, 1), true, None);
        data.upsert_enrollment(
            &format!("x{i}"),
            i,
            "EXIT",
            d(2011, 6, 1),
            None,
            false,
            true,
            None,
            Some("JKU"),
        );
    }
    let r = run(&data, "C7", 2012, d(2013, 1, 1));
    assert!((r.value.unwrap() - 25.0).abs() < 1e-9);
    assert_eq!(r.status, Status::Met);
    // One enrollment that ended on 1 July 2012 was active 183 of 366 days.
    data.upsert_citizen(99, d(1990, 1, 1), true, None);
    data.upsert_enrollment(
        "x99",
        99,
        "EXIT",
        d(2011, 1, 1),
        Some(d(2012, 7, 1)),
        false,
        true,
        None,
        Some("JKU"),
    );
    let r = run_by(&data, "C7", 2012, d(2013, 1, 1), Some(Dimension::Month));
    assert!((r.value.unwrap() - (25.0 + 183.0 / 366.0)).abs() < 1e-9);
    let july = r.breakdown.iter().find(|g| g.group == "2012-07").unwrap();
    assert!((july.value.unwrap() - (25.0 + 1.0 / 31.0)).abs() < 1e-9);
}

#[test]
fn c6_counts_a_placement_ending_exactly_at_three_months_as_still_in_the_job() {
    let mut data = CaseData::new();
    data.upsert_citizen(1, d(1997, 5, 5), false, None);
    data.add_placement(1, d(2012, 11, 30), Some(d(2013, 2, 28)));
    data.add_placement(1, d(2012, 1, 31), Some(d(2012, 4, 29)));
    let r = run(&data, "C6", 2012, d(2013, 6, 1));
    assert_eq!((r.numerator, r.denominator), (Some(1), Some(2)), "per placement, not per citizen");
    let c5 = run(&data, "C5", 2012, d(2013, 6, 1));
    assert_eq!(c5.value, Some(1.0), "C5 counts the citizen once");
}

#[test]
fn c1_counts_only_enrollments_with_bif_as_lead_and_projects_while_the_year_runs() {
    let mut data = CaseData::new();
    for i in 0..30 {
        data.upsert_citizen(i, d(1993, 1, 1), i % 2 == 0, None);
        let lead_bif = i < 20;
        data.upsert_enrollment(
            &format!("s{i}"),
            i,
            "SSPPLUS",
            d(2012, 1, 1),
            None,
            false,
            lead_bif,
            None,
            None,
        );
        data.upsert_offer(&format!("o{i}"), &format!("s{i}"), true, d(2012, 2, 1), None);
    }
    let r = run(&data, "C1", 2012, d(2012, 12, 31));
    assert_eq!(r.value, Some(20.0));
    assert_eq!(r.status, Status::NotMet);
    let mid = run(&data, "C1", 2012, d(2012, 3, 31));
    assert_eq!(mid.status, Status::OffTrack);
    assert!((mid.projection.unwrap() - 20.0 * 366.0 / 91.0).abs() < 1e-9);
    let by_sex = run_by(&data, "C1", 2012, d(2012, 12, 31), Some(Dimension::Sex));
    assert_eq!(by_sex.breakdown.iter().map(|g| g.value.unwrap()).sum::<f64>(), 20.0);
}

#[test]
fn c10_succeeds_when_the_enrollment_ends_in_a_job_within_three_months_even_without_a_follow_up() {
    let mut data = CaseData::new();
    data.upsert_citizen(1, d(1992, 1, 1), true, None);
    data.upsert_enrollment("u1", 1, "UDGAAENDE", d(2012, 1, 1), Some(d(2012, 5, 31)), true, true, None, None);
    data.upsert_offer("t1", "u1", true, d(2012, 2, 29), Some(d(2012, 5, 1)));
    // 29 Feb + 3 months = 29 May; the enrollment ended positively on 31 May: too late.
    let r = run(&data, "C10", 2012, d(2013, 6, 1));
    assert_eq!((r.numerator, r.unknown), (Some(0), 1));
    data.upsert_enrollment("u1", 1, "UDGAAENDE", d(2012, 1, 1), Some(d(2012, 5, 29)), true, true, None, None);
    let r = run(&data, "C10", 2012, d(2013, 6, 1));
    assert_eq!((r.numerator, r.unknown), (Some(1), 0), "ending on the window's last day counts");
}

#[test]
fn a_criterion_without_case_data_has_no_data() {
    let data = CaseData::new();
    for id in ["C1", "C2", "C4", "C7", "C8", "C11", "C19"] {
        assert_eq!(run(&data, id, 2012, d(2013, 6, 1)).status, Status::NoData, "{id}");
    }
}

#[test]
fn before_the_period_starts_every_criterion_has_no_data_and_no_value() {
    // EXIT enrollments running into 2013 with a LAB offer, placements, offers: data that C1,
    // C3, C5, C7 and C8 would count once 2013 has begun.
    let mut data = CaseData::new();
    for i in 0..25 {
        data.upsert_citizen(i, d(1990, 1, 1), true, None);
        data.upsert_enrollment(
            &format!("x{i}"),
            i,
            "EXIT",
            d(2012, 6, 1),
            Some(d(2013, 6, 1)),
            false,
            true,
            None,
            Some("JKU"),
        );
    }
    for id in ["C1", "C3", "C5", "C7", "C8", "C2", "C4", "C6", "C9", "C10"] {
        let r = run(&data, id, 2013, d(2012, 12, 31));
        assert_eq!(r.status, Status::NoData, "{id}: {r:?}");
        assert_eq!(r.value, None, "{id}");
        assert_eq!(r.denominator.unwrap_or(0), 0, "{id}");
    }
    // From the first day on, C7 counts.
    assert_eq!(run(&data, "C7", 2013, d(2013, 1, 1)).value, Some(25.0));
}

#[test]
fn a_year_the_case_data_do_not_reach_has_no_data_while_a_running_year_without_offers_counts_zero() {
    // SSP+ and EXIT enrollments of 2012 only, with an offer and a placement in 2012.
    let mut data = CaseData::new();
    for i in 0..3 {
        data.upsert_citizen(i, d(1995, 1, 1), true, None);
        let end = if i == 2 { None } else { Some(d(2012, 12, 31)) };
        data.upsert_enrollment(&format!("s{i}"), i, "SSPPLUS", d(2012, 2, 1), end, false, true, None, None);
        data.upsert_enrollment(
            &format!("x{i}"),
            i,
            "EXIT",
            d(2012, 2, 1),
            Some(d(2012, 12, 31)),
            false,
            true,
            None,
            None,
        );
        data.upsert_offer(&format!("o{i}"), &format!("s{i}"), false, d(2012, 3, 1), Some(d(2012, 4, 1)));
        data.upsert_placement(&format!("p{i}"), i, d(2012, 5, 1), Some(d(2012, 9, 1)));
    }
    // 2012 has figures.
    assert_eq!(run(&data, "C1", 2012, d(2013, 1, 31)).value, Some(3.0));
    // 2014: no EXIT enrollment and no placement reaches it: a gap, not a zero.
    for id in ["C5", "C7"] {
        let r = run(&data, id, 2014, d(2015, 1, 31));
        assert_eq!((r.status, r.value), (Status::NoData, None), "{id}: {r:?}");
    }
    // 2014: one SSP+ enrollment is still open, so SSP+ ran and counted no offer recipients.
    let c1 = run(&data, "C1", 2014, d(2015, 1, 31));
    assert_eq!(c1.value, Some(0.0), "{c1:?}");
    assert_eq!(c1.status, Status::NotMet);
}
