//! The live evaluator on both backends: a recorded follow-up changes the results at once, and
//! manual entries count only once a second user has approved them.

use chrono::NaiveDate;
use sikkerby_app::Evaluator;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::engine::{Request, Status};
use sikkerby_domain::indicators::Assessment;
use sikkerby_store::audit::Actor;
use sikkerby_store::cases::{NewCitizen, NewEnrollment, NewEvent, RecordFollowUp};
use sikkerby_store::indicators::NewIndicatorEntry;
use sikkerby_testkit::{store_test, TestDatabase};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn request(as_of: NaiveDate) -> Request<'static> {
    Request { period: Period::year(2012).unwrap(), as_of, by: None, initiative: None }
}

store_test!(a_recorded_follow_up_changes_c4_without_a_rebuild, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let citizen =
        store.create_citizen(&NewCitizen { cpr: "0101900010".into(), ..Default::default() }).await.unwrap();
    let enroll = NewEnrollment {
        citizen_id: citizen,
        initiative: "DOMTE".into(),
        start: d(2012, 1, 10),
        lead: "BIF".into(),
        caseworker_code: None,
        centre: None,
        confirm_age: false,
        confirmed_by: "t".into(),
    };
    store.enroll(&enroll).await.unwrap();
    store
        .record_event(&NewEvent {
            citizen_id: citizen,
            kind: "loesladelse".into(),
            date: d(2012, 4, 2),
            value: None,
        })
        .await
        .unwrap();
    let evaluator = Evaluator::load(store.clone()).await.unwrap();
    let c4 =
        |e: sikkerby_domain::engine::Evaluation| e.results.into_iter().find(|r| r.criterion == "C4").unwrap();
    let before = c4(evaluator.evaluate(&request(d(2013, 1, 31))).await.unwrap());
    assert_eq!((before.numerator, before.denominator, before.unknown), (Some(0), Some(1), 1));

    let follow_up = store.timeline(citizen).await.unwrap().unwrap().follow_ups[0].id.clone();
    let record = RecordFollowUp { done: d(2012, 7, 1), status: "beskaeftiget".into(), done_by: "K1".into() };
    store.record_follow_up(&follow_up, &record).await.unwrap();
    let started = std::time::Instant::now();
    evaluator.citizen_changed(citizen).await.unwrap();
    let after = c4(evaluator.evaluate(&request(d(2013, 1, 31))).await.unwrap());
    let elapsed = started.elapsed();
    assert_eq!((after.numerator, after.denominator, after.unknown), (Some(1), Some(1), 0));
    assert_eq!(after.status, Status::Met);
    eprintln!("follow-up to new result: {elapsed:?}");
});

store_test!(a_manual_indicator_counts_only_after_another_user_approves_it, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let entry = NewIndicatorEntry {
        criterion: "C11".into(),
        period: Period::year(2012).unwrap(),
        indicator: "Oplæg/temadage".into(),
        number: Some(13.into()),
        baseline: None,
        direction: None,
        assessment: Some(Assessment::Met),
        due: None,
        delivered: None,
        narrative: "13 oplæg afholdt".into(),
        entered_by: "anna".into(),
    };
    let id = store.add_indicator_entry(&entry, &Actor::system("test")).await.unwrap();
    let evaluator = Evaluator::load(store.clone()).await.unwrap();
    let c11 = || async {
        let e = evaluator.evaluate(&request(d(2013, 1, 31))).await.unwrap();
        e.results.into_iter().find(|r| r.criterion == "C11").unwrap()
    };
    assert_eq!(c11().await.status, Status::NoData);
    assert!(store.approve_indicator_entry(id, "anna", &Actor::system("test")).await.is_err(), "four eyes");
    store.approve_indicator_entry(id, "bent", &Actor::system("test")).await.unwrap();
    let r = c11().await;
    assert_eq!(r.status, Status::Assessed);
    assert_eq!((r.numerator, r.denominator), (Some(1), Some(1)));
    let wrong_kind = NewIndicatorEntry { criterion: "C4".into(), ..entry };
    assert!(store.add_indicator_entry(&wrong_kind, &Actor::system("test")).await.is_err());
});
