//! A live evaluation, updated one citizen at a time, always equals a fresh evaluation.

use chrono::NaiveDate;
use sikkerby_domain::calendar::{add_months, Period};
use sikkerby_domain::codes::{Anchor, EventKind};
use sikkerby_domain::engine::live::LiveEvaluation;
use sikkerby_domain::engine::{evaluate, CaseData, Dimension, Request};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn citizen(data: &mut CaseData, id: i64, centre: &str) {
    data.upsert_citizen(id, d(1990, 1, 1 + id as u32 % 28), id % 2 == 0, Some("tingbjerg"));
    let e = format!("e{id}");
    data.upsert_enrollment(&e, id, "DOMTE", d(2011, 6, 1), None, false, true, Some("K1"), Some(centre));
    data.upsert_offer(&format!("o{id}"), &e, true, d(2012, 2, id as u32 % 27 + 1), None);
    let v = format!("v{id}");
    let release = d(2012, 3, id as u32 % 28 + 1);
    data.upsert_event(&v, id, EventKind::Loesladelse, release);
    let positive = id % 3 == 0;
    let done = (id % 4 != 0).then(|| add_months(release, 3));
    data.upsert_follow_up(Anchor::Loesladelse, &v, add_months(release, 3), done, positive);
    data.add_placement(id, d(2012, 5, 1), (id % 5 == 0).then(|| d(2012, 6, 1)));
}

#[test]
fn a_live_evaluation_updated_per_citizen_equals_a_fresh_one() {
    let mut data = CaseData::new();
    for id in 0..40 {
        citizen(&mut data, id, if id < 20 { "JKU Nord" } else { "JKU Syd" });
    }
    let criteria = sikkerby_domain::seed::load().unwrap().criteria;
    for by in [None, Some(Dimension::Centre), Some(Dimension::Month)] {
        let request =
            Request { period: Period::year(2012).unwrap(), as_of: d(2013, 2, 1), by, initiative: None };
        let mut live = LiveEvaluation::new(&data, &criteria, &request);
        let mut changed = data.clone();
        // Citizen 7: the follow-up is now done and positive; citizen 8: a new release earlier.
        changed.upsert_follow_up(Anchor::Loesladelse, "v7", d(2012, 6, 8), Some(d(2012, 6, 1)), true);
        changed.upsert_event("v8b", 8, EventKind::Loesladelse, d(2012, 1, 15));
        // Citizen 9 moves centre (the enrollment is corrected).
        changed.upsert_enrollment(
            "e9",
            9,
            "DOMTE",
            d(2011, 6, 1),
            None,
            false,
            true,
            Some("K2"),
            Some("JKU Syd"),
        );
        for id in [7, 8, 9] {
            let index = changed.citizen_index[&id];
            live.citizen_changed(&changed, index);
        }
        let fresh = evaluate(&changed, &criteria, &request);
        assert_eq!(live.result(&changed), fresh, "by {by:?}");
        let before = evaluate(&data, &criteria, &request);
        assert_ne!(before, fresh, "the changes must matter, or this test proves nothing");
    }
}

/// What `Store::refresh_citizen` does: forget a citizen's records, read the current ones again.
/// A placement and a release with its follow-up are gone afterwards; the live evaluation follows.
#[test]
fn a_citizen_read_again_with_fewer_records_updates_the_live_evaluation() {
    let mut data = CaseData::new();
    for id in 0..10 {
        citizen(&mut data, id, "JKU Nord");
    }
    let criteria = sikkerby_domain::seed::load().unwrap().criteria;
    let request = Request {
        period: Period::year(2012).unwrap(),
        as_of: d(2013, 2, 1),
        by: Some(Dimension::Centre),
        initiative: None,
    };
    let mut live = LiveEvaluation::new(&data, &criteria, &request);
    let follow_ups = data.follow_ups.len();
    data.forget_citizen_records(3);
    let e = "e3";
    data.upsert_enrollment(e, 3, "DOMTE", d(2011, 6, 1), None, false, true, Some("K1"), Some("JKU Syd"));
    data.upsert_offer("o3", e, true, d(2012, 2, 4), None);
    assert_eq!(data.follow_ups.len(), follow_ups - 1, "the release's follow-up is gone");
    live.citizen_changed(&data, data.citizen_index[&3]);
    let fresh = evaluate(&data, &criteria, &request);
    assert_eq!(live.result(&data), fresh);
    let c5 = fresh.results.iter().find(|r| r.criterion == "C5").unwrap();
    assert_eq!(c5.value, Some(9.0), "the forgotten placement no longer counts");
}
