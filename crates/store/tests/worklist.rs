//! The caseworker's worklist on both backends: paged in SQL with the count of the whole list,
//! overdue and due within 14 days, filtered by exact values that the options list offers, sorted;
//! and the caseworker codes a user carries.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use sikkerby_domain::access::Role;
use sikkerby_store::audit::Actor;
use sikkerby_store::cases::{
    CorrectFact, EndRecord, Fact, NewCitizen, NewEnrollment, NewEvent, WorklistPage, WorklistQuery,
    WorklistSort,
};
use sikkerby_store::users::NewUser;
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A citizen enrolled at `centre` under `code`, released on `release` (which schedules a
/// follow-up).
async fn enrolled(store: &Store, cpr: &str, centre: &str, code: &str, release: NaiveDate) -> i64 {
    let new = NewCitizen { cpr: cpr.into(), confirm_warnings: true, ..Default::default() };
    let id = store.create_citizen(&new).await.unwrap();
    let enrollment = NewEnrollment {
        citizen_id: id,
        initiative: "DOMTE".into(),
        start: d(2013, 1, 1),
        lead: "BIF".into(),
        caseworker_code: Some(code.into()),
        centre: Some(centre.into()),
        confirm_age: true,
        confirmed_by: "test".into(),
    };
    store.enroll(&enrollment).await.unwrap();
    let event = NewEvent { citizen_id: id, kind: "loesladelse".into(), date: release, value: None };
    store.record_event(&event).await.unwrap();
    id
}

fn nord(as_of: NaiveDate) -> WorklistQuery {
    WorklistQuery { as_of, within_centres: Some(vec!["JKU Nord".into()]), limit: 50, ..Default::default() }
}

store_test!(the_worklist_is_paged_counted_filtered_and_sorted_in_sql, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let a = enrolled(&store, "0101901234", "JKU Nord", "JKU-A1", d(2013, 2, 1)).await;
    let b = enrolled(&store, "0201901234", "JKU Nord", "JKU-A2", d(2013, 3, 1)).await;
    let c = enrolled(&store, "0301901234", "JKU Nord", "JKU-A2", d(2013, 4, 1)).await;
    let syd = enrolled(&store, "0401901234", "JKU Syd", "JKU-B1", d(2013, 2, 1)).await;
    let late = d(2014, 6, 1);

    let first = store.worklist(&WorklistQuery { limit: 2, ..nord(late) }).await.unwrap();
    assert_eq!((first.total, first.overdue, first.rows.len()), (3, 3, 2));
    let ids: Vec<i64> = first.rows.iter().map(|r| r.citizen.id).collect();
    assert_eq!(ids, vec![a, b], "oldest due first");
    let second = store.worklist(&WorklistQuery { limit: 2, offset: 2, ..nord(late) }).await.unwrap();
    assert_eq!(second.rows.iter().map(|r| r.citizen.id).collect::<Vec<_>>(), vec![c]);
    assert_eq!(second.total, 3, "the count is of the whole list, not the page");

    let mine = WorklistQuery { caseworker_codes: vec!["JKU-A2".into()], ..nord(late) };
    assert_eq!(store.worklist(&mine).await.unwrap().total, 2);
    assert_eq!(store.worklist_overdue_count(&mine).await.unwrap(), 2);
    let wrong = WorklistQuery { centre: Some("nord".into()), ..nord(late) };
    assert_eq!(store.worklist(&wrong).await.unwrap().total, 0, "filters are exact values");

    let by_cpr = WorklistQuery { sort: WorklistSort::Citizen, descending: true, ..nord(late) };
    let sorted: Vec<i64> = store.worklist(&by_cpr).await.unwrap().rows.iter().map(|r| r.citizen.id).collect();
    assert_eq!(sorted, vec![c, b, a]);

    let options = store.worklist_options(&mine).await.unwrap();
    assert_eq!(options.centres, vec!["JKU Nord".to_owned()], "the user's centres only, before filters");
    assert_eq!(options.caseworker_codes, vec!["JKU-A1".to_owned(), "JKU-A2".to_owned()]);
    assert_eq!(options.anchors, vec!["loesladelse".to_owned()]);
    let everywhere = WorklistQuery { within_centres: None, ..nord(late) };
    assert!(store.worklist(&everywhere).await.unwrap().rows.iter().any(|r| r.citizen.id == syd));

    // Due within 14 days is on the list, not yet overdue; 15 days ahead is not on it.
    let due = first.rows[0].follow_up.due;
    let soon = store.worklist(&nord(due.checked_sub_days(Days::new(14)).unwrap())).await.unwrap();
    assert!(soon.rows.iter().any(|r| r.citizen.id == a) && soon.overdue < soon.total, "{soon:?}");
    let early = store.worklist(&nord(due.checked_sub_days(Days::new(15)).unwrap())).await.unwrap();
    assert!(!early.rows.iter().any(|r| r.citizen.id == a));

    let codes = store.caseworker_codes_of_centre("JKU Nord").await.unwrap();
    assert_eq!(codes, vec!["JKU-A1".to_owned(), "JKU-A2".to_owned()]);
});

fn user(username: &str, role: Role, centres: &[&str]) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: username.into(),
        role: Some(role),
        centres: centres.iter().map(|c| (*c).to_owned()).collect(),
        password: "korrekt-hest-batteri-42".into(),
    }
}

store_test!(a_caseworker_carries_caseworker_codes_and_others_cannot, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let system = Actor::system("cli");
    let cw =
        store.create_user(&user("cw-nord", Role::Caseworker, &["JKU Nord"]), &system, t0()).await.unwrap();
    assert!(store.user_caseworker_codes(cw.id).await.unwrap().is_empty());
    let codes = vec![" JKU-A2".to_owned(), "JKU-A1".to_owned(), "JKU-A2".to_owned()];
    let kept = store.set_user_caseworker_codes(cw.id, &codes, &system, t0()).await.unwrap();
    assert_eq!(kept, vec!["JKU-A1".to_owned(), "JKU-A2".to_owned()]);
    assert_eq!(store.user_caseworker_codes(cw.id).await.unwrap(), kept);
    let odd = store.set_user_caseworker_codes(cw.id, &["JKU A1".to_owned()], &system, t0()).await;
    assert!(odd.unwrap_err().to_string().starts_with("caseworker_code:"));
    assert_eq!(store.user_caseworker_codes(cw.id).await.unwrap(), kept, "nothing stored of a refusal");

    let analyst = store.create_user(&user("analytiker", Role::Analyst, &[]), &system, t0()).await.unwrap();
    let refused = store.set_user_caseworker_codes(analyst.id, &["JKU-A1".to_owned()], &system, t0()).await;
    assert!(refused.is_err() && store.user_caseworker_codes(analyst.id).await.unwrap().is_empty());
    let by_caseworker = store.set_user_caseworker_codes(cw.id, &[], &cw.actor(), t0()).await;
    assert!(by_caseworker.is_err(), "only an administrator sets codes");
    store.set_user_caseworker_codes(cw.id, &[], &system, t0()).await.unwrap();
    assert!(store.user_caseworker_codes(cw.id).await.unwrap().is_empty());
});

store_test!(
    a_follow_up_moves_to_the_list_of_the_enrollment_that_owns_it_after_a_correction,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let new = NewCitizen { cpr: "0501901234".into(), confirm_warnings: true, ..Default::default() };
        let id = store.create_citizen(&new).await.unwrap();
        let enrollment = |centre: &str, code: &str, start| NewEnrollment {
            citizen_id: id,
            initiative: "DOMTE".into(),
            start,
            lead: "BIF".into(),
            caseworker_code: Some(code.into()),
            centre: Some(centre.into()),
            confirm_age: true,
            confirmed_by: "test".into(),
        };
        let nord_enrollment = store.enroll(&enrollment("JKU Nord", "JKU-A1", d(2013, 1, 1))).await.unwrap();
        let end = EndRecord { date: d(2013, 5, 1), reason: "ordinaer_beskaeftigelse".into() };
        store.end_enrollment(&nord_enrollment, &end).await.unwrap();
        store.enroll(&enrollment("JKU Syd", "JKU-B1", d(2013, 6, 1))).await.unwrap();
        let release =
            NewEvent { citizen_id: id, kind: "loesladelse".into(), date: d(2013, 3, 1), value: None };
        let event = store.record_event(&release).await.unwrap();
        let syd = |as_of| WorklistQuery { within_centres: Some(vec!["JKU Syd".into()]), ..nord(as_of) };
        let late = d(2014, 6, 1);
        // The release's follow-up, by the caseworker code it is listed under (the first
        // enrollment's end has a follow-up of its own, which stays with it).
        let on = |page: WorklistPage| {
            let release = page.rows.iter().filter(|r| r.follow_up.anchor.code() == "loesladelse");
            release.map(|r| r.caseworker_code.clone()).collect::<Vec<_>>()
        };
        assert_eq!(on(store.worklist(&nord(late)).await.unwrap()), vec![Some("JKU-A1".to_owned())]);
        assert!(on(store.worklist(&syd(late)).await.unwrap()).is_empty());

        // The release was in fact after the first enrollment ended: the second one owns it now.
        let moved = CorrectFact {
            fact: Fact::EventDate { id: event, date: d(2013, 7, 1) },
            reason: "forkert dato i udtrækket".into(),
            by: "test".into(),
        };
        store.correct(&moved).await.unwrap();
        assert!(on(store.worklist(&nord(late)).await.unwrap()).is_empty(), "not on the first centre's list");
        assert_eq!(on(store.worklist(&syd(late)).await.unwrap()), vec![Some("JKU-B1".to_owned())]);
        assert!(store.has_open_follow_up_within(id, &["JKU Syd".into()]).await.unwrap());
    }
);
