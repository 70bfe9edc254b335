//! The case registry on both backends: validation with the field named, confirmations stored,
//! follow-ups scheduled, moved and listed when overdue.

use chrono::NaiveDate;
use sikkerby_domain::codes::Anchor;
use sikkerby_store::cases::{
    CaseError, CorrectFact, EndRecord, Fact, NewCitizen, NewEnrollment, NewEvent, NewOffer, RecordFollowUp,
    Refusal, WorklistFilter,
};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn citizen(store: &Store, cpr: &str) -> i64 {
    let new = NewCitizen { cpr: cpr.into(), name: Some("Testperson Syntetisk".into()), ..Default::default() };
    store.create_citizen(&new).await.unwrap()
}

fn enrollment(citizen_id: i64, initiative: &str, start: NaiveDate) -> NewEnrollment {
    NewEnrollment {
        citizen_id,
        initiative: initiative.into(),
        start,
        lead: "BIF".into(),
        caseworker_code: Some("JKU-A17".into()),
        centre: Some("JKU Nord".into()),
        confirm_age: false,
        confirmed_by: "tester".into(),
    }
}

store_test!(a_modulus_11_failure_must_be_confirmed_and_is_then_stored, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let mut new = NewCitizen { cpr: "0101651234".into(), ..Default::default() };
    let err = store.create_citizen(&new).await.unwrap_err();
    assert!(matches!(err, CaseError::NeedsConfirmation { field: "cpr", .. }), "{err}");
    new.confirm_warnings = true;
    let id = store.create_citizen(&new).await.unwrap();
    let c = store.citizen(id).await.unwrap().unwrap();
    assert!(c.modulus11_warning);
    assert_eq!(c.cpr_masked, "010165-xxxx");
    let bad = NewCitizen { cpr: "3102001234".into(), ..Default::default() };
    assert!(matches!(
        store.create_citizen(&bad).await.unwrap_err(),
        CaseError::Refused { field: "cpr", refusal: Refusal::BadCpr(_) }
    ));
});

store_test!(enrolling_outside_the_age_band_needs_a_stored_confirmation, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    // Born 7 July 1961: far above SSP+'s band (17½–24).
    let id = citizen(&store, "0707614285").await;
    let mut new = enrollment(id, "SSPPLUS", d(2012, 3, 1));
    let err = store.enroll(&new).await.unwrap_err();
    assert!(matches!(err, CaseError::NeedsConfirmation { field: "start", .. }), "{err}");
    new.confirm_age = true;
    let eid = store.enroll(&new).await.unwrap();
    let stored = store.enrollment(&eid).await.unwrap().unwrap();
    assert_eq!(stored.age_warning_confirmed.as_deref(), Some("tester 2012-03-01"));
});

store_test!(
    ending_an_enrollment_schedules_a_follow_up_three_months_on_and_a_correction_moves_it,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let id = citizen(&store, "0101900010").await; // born 1990: 21 in 2011, inside DOMTE's 18–29
        let eid = store.enroll(&enrollment(id, "DOMTE", d(2011, 6, 1))).await.unwrap();
        let end = EndRecord { date: d(2011, 11, 30), reason: "ordinaer_beskaeftigelse".into() };
        store.end_enrollment(&eid, &end).await.unwrap();
        let t = store.timeline(id).await.unwrap().unwrap();
        let f = t.follow_ups.iter().find(|f| f.anchor == Anchor::ForloebSlut).unwrap();
        assert_eq!(f.due, d(2012, 2, 29), "30 Nov + 3 months clamps to the leap day");
        assert!(f.scheduled);
        let fact = Fact::EnrollmentEnd { id: eid.clone(), end: EndRecord { date: d(2011, 12, 15), ..end } };
        store
            .correct(&CorrectFact { fact, reason: "forkert dato".into(), by: "tester".into() })
            .await
            .unwrap();
        let t = store.timeline(id).await.unwrap().unwrap();
        let moved: Vec<_> = t.follow_ups.iter().filter(|f| f.anchor == Anchor::ForloebSlut).collect();
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].due, d(2012, 3, 15));
    }
);

store_test!(
    a_release_during_a_domte_enrollment_schedules_a_follow_up_and_the_worklist_shows_it_overdue,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let id = citizen(&store, "0101900010").await;
        store.enroll(&enrollment(id, "DOMTE", d(2012, 1, 10))).await.unwrap();
        store
            .record_event(&NewEvent {
                citizen_id: id,
                kind: "loesladelse".into(),
                date: d(2012, 5, 31),
                value: None,
            })
            .await
            .unwrap();
        let t = store.timeline(id).await.unwrap().unwrap();
        let f = t.follow_ups.iter().find(|f| f.anchor == Anchor::Loesladelse).unwrap().clone();
        assert_eq!(f.due, d(2012, 8, 31));
        let filter = WorklistFilter { caseworker_code: Some("JKU-A17".into()), ..Default::default() };
        let overdue = store.overdue_follow_ups(d(2012, 9, 10), &filter, 100).await.unwrap();
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].days_overdue, 10);
        assert_eq!(overdue[0].centre.as_deref(), Some("JKU Nord"));
        let other = WorklistFilter { caseworker_code: Some("JKU-B02".into()), ..Default::default() };
        assert!(store.overdue_follow_ups(d(2012, 9, 10), &other, 100).await.unwrap().is_empty());
        assert!(
            store.overdue_follow_ups(d(2012, 8, 31), &filter, 100).await.unwrap().is_empty(),
            "due today is not overdue"
        );
        let record =
            RecordFollowUp { done: d(2012, 9, 5), status: "i_uddannelse".into(), done_by: "JKU-A17".into() };
        store.record_follow_up(&f.id, &record).await.unwrap();
        assert!(store.overdue_follow_ups(d(2012, 9, 10), &filter, 100).await.unwrap().is_empty());
    }
);

store_test!(
    an_offer_outside_its_enrollment_or_of_unknown_type_is_refused_with_the_field_named,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let id = citizen(&store, "0101900010").await;
        let eid = store.enroll(&enrollment(id, "EXIT", d(2012, 1, 10))).await.unwrap();
        let early = NewOffer {
            enrollment_id: eid.clone(),
            offer_type: "virksomhedspraktik".into(),
            start: d(2012, 1, 9),
        };
        assert!(matches!(
            store.add_offer(&early).await.unwrap_err(),
            CaseError::Invalid { field: "start", .. }
        ));
        let unknown = NewOffer { start: d(2012, 2, 1), offer_type: "ridning".into(), ..early.clone() };
        assert!(matches!(
            store.add_offer(&unknown).await.unwrap_err(),
            CaseError::Invalid { field: "tilbudstype", .. }
        ));
        let oid = store.add_offer(&NewOffer { start: d(2012, 2, 1), ..early }).await.unwrap();
        store
            .end_offer(&oid, &EndRecord { date: d(2012, 4, 30), reason: "planmaessigt_afsluttet".into() })
            .await
            .unwrap();
        let t = store.timeline(id).await.unwrap().unwrap();
        let f = t.follow_ups.iter().find(|f| f.anchor == Anchor::TilbudSlut).unwrap();
        assert_eq!(f.due, d(2012, 7, 30));
        let bad_end = EndRecord { date: d(2012, 1, 1), reason: "andet".into() };
        assert!(matches!(
            store.end_enrollment(&eid, &bad_end).await.unwrap_err(),
            CaseError::Invalid { field: "slut", .. }
        ));
    }
);

store_test!(searching_finds_citizens_by_cpr_prefix_or_name_part, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    citizen(&store, "0101900010").await;
    assert_eq!(store.search_citizens("010190", 10).await.unwrap().len(), 1);
    assert_eq!(store.search_citizens("syntetisk", 10).await.unwrap().len(), 1);
    assert_eq!(store.search_citizens("'; DROP TABLE citizen; --", 10).await.unwrap().len(), 0);
    assert_eq!(store.search_citizens("020190", 10).await.unwrap().len(), 0);
});
