//! What the web's access control asks of the store, on both backends: the purpose a session
//! gave per citizen (ending with the session), the centres that hold a citizen, lists limited to
//! a caseworker's centres, and several audit rows appended at once without breaking the chain.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sikkerby_domain::access::{Purpose, Role};
use sikkerby_store::audit::{Actor, AuditAction, AuditEntry};
use sikkerby_store::cases::{NewCitizen, NewEnrollment, NewEvent, WorklistFilter};
use sikkerby_store::session_purpose::SessionPurpose;
use sikkerby_store::users::NewUser;
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn citizen(store: &Store, cpr: &str, name: &str, centre: Option<&str>) -> i64 {
    let new =
        NewCitizen { cpr: cpr.into(), name: Some(name.into()), confirm_warnings: true, ..Default::default() };
    let id = store.create_citizen(&new).await.unwrap();
    if let Some(centre) = centre {
        let enrollment = NewEnrollment {
            citizen_id: id,
            initiative: "DOMTE".into(),
            start: d(2013, 1, 1),
            lead: "BIF".into(),
            caseworker_code: Some("JKU-X1".into()),
            centre: Some(centre.into()),
            confirm_age: true,
            confirmed_by: "test".into(),
        };
        store.enroll(&enrollment).await.unwrap();
        let release =
            NewEvent { citizen_id: id, kind: "loesladelse".into(), date: d(2013, 2, 1), value: None };
        store.record_event(&release).await.unwrap();
    }
    id
}

/// The purpose the session gave for the citizen, as the access check reads it.
async fn given_purpose(store: &Store, token: &str, citizen_id: i64) -> Option<SessionPurpose> {
    store.citizen_access(Some(token), citizen_id).await.unwrap().and_then(|access| access.purpose)
}

async fn session(store: &Store) -> String {
    let new = NewUser {
        username: "cw-nord".into(),
        display_name: "Caseworker".into(),
        role: Some(Role::Caseworker),
        centres: vec!["JKU Nord".into()],
        password: "korrekt-hest-batteri-42".into(),
    };
    let user = store.create_user(&new, &Actor::system("cli"), t0()).await.unwrap();
    store.create_session(user.id, t0()).await.unwrap().token.as_str().to_owned()
}

store_test!(
    a_purpose_is_kept_per_citizen_and_session_and_ends_with_the_session,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let token = session(&store).await;
        let id = citizen(&store, "0101901234", "Anna", Some("JKU Nord")).await;
        assert_eq!(given_purpose(&store, &token, id).await, None);
        let given = SessionPurpose {
            purpose: Purpose::Complaint,
            text: "klage".into(),
            registered: true,
            set_at: t0(),
        };
        assert!(store.set_session_purpose(&token, id, &given).await.unwrap());
        assert_eq!(given_purpose(&store, &token, id).await, Some(given.clone()));
        let access = store.citizen_access(Some(&token), id).await.unwrap().unwrap();
        assert_eq!(
            (access.centres.enrollments, access.purpose),
            (1, Some(given.clone())),
            "one row per enrollment"
        );
        let changed =
            SessionPurpose { purpose: Purpose::FollowUp, text: String::new(), registered: false, ..given };
        store.set_session_purpose(&token, id, &changed).await.unwrap();
        let kept = given_purpose(&store, &token, id).await.unwrap();
        assert_eq!((kept.purpose, kept.registered), (Purpose::FollowUp, true), "registered stays once set");
        assert!(!store.set_session_purpose(&"0".repeat(64), id, &changed).await.unwrap(), "no such session");
        store.delete_session(&token, t0()).await.unwrap();
        assert_eq!(given_purpose(&store, &token, id).await, None, "gone with the session");
    }
);

store_test!(lists_are_limited_to_the_centres_given, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let nord = citizen(&store, "0101901234", "Person Nord", Some("JKU Nord")).await;
    let syd = citizen(&store, "0201901234", "Person Syd", Some("JKU Syd")).await;
    let nobody = citizen(&store, "0301901234", "Person Uden", None).await;
    let centres = store.citizen_centres(nord).await.unwrap().unwrap();
    let access = store.citizen_access(None, nord).await.unwrap().unwrap();
    assert_eq!((access.centres, access.purpose), (centres.clone(), None));
    assert_eq!((centres.enrollments, centres.centres), (1, vec!["JKU Nord".to_owned()]));
    assert_eq!(store.citizen_centres(nobody).await.unwrap().unwrap().enrollments, 0);
    assert_eq!(store.citizen_centres(999_999).await.unwrap(), None);
    let ids = |found: Vec<sikkerby_store::cases::CitizenSummary>| {
        found.iter().map(|s| s.citizen.id).collect::<Vec<_>>()
    };
    let own = ["JKU Nord".to_owned()];
    assert_eq!(ids(store.search_citizens_within("person", Some(&own), 10).await.unwrap()), vec![nord]);
    assert_eq!(ids(store.search_citizens_within("0201", Some(&own), 10).await.unwrap()), Vec::<i64>::new());
    assert!(store.search_citizens_within("person", Some(&[]), 10).await.unwrap().is_empty(), "no centre");
    assert_eq!(store.search_citizens("person", 10).await.unwrap().len(), 3, "unlimited without a scope");
    let filter = WorklistFilter { within_centres: Some(own.to_vec()), ..Default::default() };
    let overdue = store.overdue_follow_ups(d(2014, 1, 1), &filter, 10).await.unwrap();
    assert!(!overdue.is_empty() && overdue.iter().all(|o| o.citizen.id == nord), "{overdue:?}");
    let all = store.overdue_follow_ups(d(2014, 1, 1), &WorklistFilter::default(), 10).await.unwrap();
    assert!(all.iter().any(|o| o.citizen.id == syd));
});

store_test!(several_audit_rows_are_appended_at_once_and_the_chain_holds, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let actor = Actor { user_id: Some(1), username: "cw-nord".into(), role: Some(Role::Caseworker) };
    // 45 rows go in multi-row INSERTs of 32, 8, 2, 2 and 1: every chunk size and a repeat.
    let entries: Vec<AuditEntry> = (1..=45)
        .map(|id| AuditEntry::about(&actor, AuditAction::Search, id, Purpose::Casework, "søgning", t0()))
        .collect();
    let before = store.audit_head().await.unwrap().0;
    assert_eq!(store.audit_all(&entries[..5]).await.unwrap(), Some(before + 5));
    assert_eq!(store.audit_all(&entries).await.unwrap(), Some(before + 50));
    assert_eq!(store.audit_all(&[]).await.unwrap(), None);
    assert_eq!(store.verify_audit().await.unwrap(), (before + 50) as u64);
    let rows = store.audit_entries(None, 50).await.unwrap();
    let people: Vec<Option<i64>> = rows.iter().rev().map(|r| r.person_id).collect();
    let expected: Vec<Option<i64>> = (1..=5).chain(1..=45).map(Some).collect();
    assert_eq!(people, expected, "in order, each once");
});
