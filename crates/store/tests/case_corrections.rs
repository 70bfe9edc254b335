//! Corrections, not overwrites, on both backends: ending what is ended, recording a follow-up
//! twice, overlapping enrollments and facts dated in the future are refused with the field
//! named and nothing stored; a correction needs a reason and is kept as history.

use chrono::{Days, NaiveDate};
use sikkerby_domain::codes::Anchor;
use sikkerby_store::cases::{
    CaseError, CorrectFact, EndRecord, Fact, NewCitizen, NewEnrollment, NewEvent, NewOffer, RecordFollowUp,
    RecordKind, Refusal,
};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn tomorrow() -> NaiveDate {
    chrono::Local::now().date_naive().checked_add_days(Days::new(1)).unwrap()
}

async fn citizen(store: &Store) -> i64 {
    let new = NewCitizen {
        cpr: "0101900010".into(),
        name: Some("Testperson Syntetisk".into()),
        ..Default::default()
    };
    store.create_citizen(&new).await.unwrap()
}

async fn enrolled(
    store: &Store,
    citizen_id: i64,
    initiative: &str,
    start: NaiveDate,
) -> Result<String, CaseError> {
    let new = NewEnrollment {
        citizen_id,
        initiative: initiative.into(),
        start,
        lead: "BIF".into(),
        caseworker_code: Some("JKU-A17".into()),
        centre: Some("JKU Nord".into()),
        confirm_age: false,
        confirmed_by: "tester".into(),
    };
    store.enroll(&new).await
}

fn end(date: NaiveDate, reason: &str) -> EndRecord {
    EndRecord { date, reason: reason.into() }
}

fn correction(fact: Fact, reason: &str) -> CorrectFact {
    CorrectFact { fact, reason: reason.into(), by: "sagsbehandler".into() }
}

fn refusal(err: CaseError) -> (&'static str, Refusal) {
    match err {
        CaseError::Refused { field, refusal } => (field, refusal),
        other => panic!("expected a refusal, got {other}"),
    }
}

store_test!(ending_an_ended_enrollment_is_refused_and_keeps_the_first_end, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let id = citizen(&store).await;
    let eid = enrolled(&store, id, "DOMTE", d(2011, 6, 1)).await.unwrap();
    store.end_enrollment(&eid, &end(d(2012, 5, 25), "frafald_udeblivelse")).await.unwrap();
    let err = store.end_enrollment(&eid, &end(d(2014, 6, 1), "andet")).await.unwrap_err();
    assert_eq!(refusal(err), ("forloeb_id", Refusal::AlreadyEnded(d(2012, 5, 25))));
    let stored = store.enrollment(&eid).await.unwrap().unwrap();
    assert_eq!(
        (stored.end, stored.end_reason.as_deref()),
        (Some(d(2012, 5, 25)), Some("frafald_udeblivelse"))
    );
    assert!(store.timeline(id).await.unwrap().unwrap().corrections.is_empty());
});

store_test!(ending_an_ended_offer_is_refused, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let id = citizen(&store).await;
    let eid = enrolled(&store, id, "EXIT", d(2012, 1, 10)).await.unwrap();
    let offer =
        NewOffer { enrollment_id: eid, offer_type: "virksomhedspraktik".into(), start: d(2012, 2, 1) };
    let oid = store.add_offer(&offer).await.unwrap();
    store.end_offer(&oid, &end(d(2012, 4, 30), "planmaessigt_afsluttet")).await.unwrap();
    let err = store.end_offer(&oid, &end(d(2012, 5, 30), "andet")).await.unwrap_err();
    assert_eq!(refusal(err), ("tilbud_id", Refusal::AlreadyEnded(d(2012, 4, 30))));
});

store_test!(
    a_correction_needs_a_reason_changes_the_fact_and_is_kept_as_history,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let id = citizen(&store).await;
        let eid = enrolled(&store, id, "DOMTE", d(2011, 6, 1)).await.unwrap();
        store.end_enrollment(&eid, &end(d(2012, 5, 25), "frafald_udeblivelse")).await.unwrap();
        let fact = Fact::EnrollmentEnd { id: eid.clone(), end: end(d(2012, 6, 1), "andet") };
        let err = store.correct(&correction(fact.clone(), "  ")).await.unwrap_err();
        assert_eq!(refusal(err), ("begrundelse", Refusal::ReasonRequired));
        let same = Fact::EnrollmentEnd { id: eid.clone(), end: end(d(2012, 5, 25), "frafald_udeblivelse") };
        assert_eq!(refusal(store.correct(&correction(same, "x")).await.unwrap_err()).1, Refusal::Unchanged);
        store.correct(&correction(fact, "tastefejl i slutdato")).await.unwrap();
        let t = store.timeline(id).await.unwrap().unwrap();
        assert_eq!(t.enrollments[0].end, Some(d(2012, 6, 1)));
        let fields: Vec<_> = t
            .corrections
            .iter()
            .map(|c| (c.kind, c.field.as_str(), c.from.as_deref(), c.to.as_deref(), c.by.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                (RecordKind::Enrollment, "slut", Some("2012-05-25"), Some("2012-06-01"), "sagsbehandler"),
                (
                    RecordKind::Enrollment,
                    "afslutningsaarsag",
                    Some("frafald_udeblivelse"),
                    Some("andet"),
                    "sagsbehandler"
                ),
            ]
        );
        assert!(t.corrections.iter().all(|c| c.reason == "tastefejl i slutdato"));
        let f = t.follow_ups.iter().find(|f| f.anchor == Anchor::ForloebSlut).unwrap();
        assert_eq!(f.due, d(2012, 9, 1), "the follow-up moves with the corrected end");
    }
);

store_test!(correcting_an_end_never_recorded_is_refused, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let id = citizen(&store).await;
    let eid = enrolled(&store, id, "DOMTE", d(2011, 6, 1)).await.unwrap();
    let fact = Fact::EnrollmentEnd { id: eid, end: end(d(2012, 6, 1), "andet") };
    assert_eq!(
        refusal(store.correct(&correction(fact, "x")).await.unwrap_err()),
        ("forloeb_id", Refusal::NotEnded)
    );
});

store_test!(
    a_follow_up_is_recorded_once_and_its_outcome_then_corrected_with_history,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let id = citizen(&store).await;
        let eid = enrolled(&store, id, "DOMTE", d(2011, 6, 1)).await.unwrap();
        store.end_enrollment(&eid, &end(d(2011, 11, 30), "andet")).await.unwrap();
        let f = store.timeline(id).await.unwrap().unwrap().follow_ups[0].clone();
        let record =
            RecordFollowUp { done: d(2012, 3, 1), status: "i_uddannelse".into(), done_by: "A17".into() };
        store.record_follow_up(&f.id, &record).await.unwrap();
        let again = RecordFollowUp { status: "positiv_kontakt".into(), ..record.clone() };
        let err = store.record_follow_up(&f.id, &again).await.unwrap_err();
        assert_eq!(refusal(err), ("opfoelgning_id", Refusal::AlreadyDone(d(2012, 3, 1))));
        let fact =
            Fact::FollowUpOutcome { id: f.id.clone(), done: d(2012, 3, 1), status: "beskaeftiget".into() };
        store.correct(&correction(fact, "forkert status valgt")).await.unwrap();
        let t = store.timeline(id).await.unwrap().unwrap();
        assert_eq!(t.follow_ups[0].status.as_deref(), Some("beskaeftiget"));
        assert_eq!(t.corrections.len(), 1, "only the changed field: {:?}", t.corrections);
        assert_eq!(t.corrections[0].field, "status");
        assert_eq!(t.corrections[0].from.as_deref(), Some("i_uddannelse"));
    }
);

store_test!(an_overlapping_enrollment_in_the_same_initiative_is_refused, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let id = citizen(&store).await;
    let first = enrolled(&store, id, "DOMTE", d(2011, 6, 1)).await.unwrap();
    let err = enrolled(&store, id, "DOMTE", d(2011, 9, 1)).await.unwrap_err();
    assert_eq!(refusal(err), ("start", Refusal::Overlaps { start: d(2011, 6, 1), end: None }));
    store.end_enrollment(&first, &end(d(2011, 12, 1), "andet")).await.unwrap();
    let err = enrolled(&store, id, "DOMTE", d(2011, 12, 1)).await.unwrap_err();
    assert_eq!(refusal(err).0, "start", "the end day itself is still inside the first");
    enrolled(&store, id, "EXIT", d(2011, 9, 1)).await.expect("another initiative may overlap");
    enrolled(&store, id, "DOMTE", d(2011, 12, 2)).await.expect("after the first ended");
    assert_eq!(store.timeline(id).await.unwrap().unwrap().enrollments.len(), 3);
});

store_test!(facts_dated_in_the_future_are_refused_and_nothing_is_stored, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let id = citizen(&store).await;
    let eid = enrolled(&store, id, "DOMTE", d(2011, 6, 1)).await.unwrap();
    let event = NewEvent { citizen_id: id, kind: "dom".into(), date: d(2030, 1, 1), value: None };
    assert_eq!(refusal(store.record_event(&event).await.unwrap_err()), ("dato", Refusal::InFuture));
    let err = store.end_enrollment(&eid, &end(tomorrow(), "andet")).await.unwrap_err();
    assert_eq!(refusal(err), ("slut", Refusal::InFuture));
    // Born 1990, far above EXIT's band by now: the age warning, but no refusal of the date.
    let planned = enrolled(&store, id, "EXIT", tomorrow()).await;
    assert!(
        matches!(planned, Err(CaseError::NeedsConfirmation { .. })),
        "a planned start may lie ahead: {planned:?}"
    );
    let t = store.timeline(id).await.unwrap().unwrap();
    assert!(t.events.is_empty());
    assert_eq!(t.enrollments.iter().filter(|e| e.end.is_some()).count(), 0);
    store.end_enrollment(&eid, &end(d(2011, 11, 30), "andet")).await.unwrap();
    let f = store.timeline(id).await.unwrap().unwrap().follow_ups[0].clone();
    let record = RecordFollowUp { done: tomorrow(), status: "i_uddannelse".into(), done_by: "A17".into() };
    assert_eq!(
        refusal(store.record_follow_up(&f.id, &record).await.unwrap_err()),
        ("udfoert", Refusal::InFuture)
    );
    let event = NewEvent { citizen_id: id, kind: "dom".into(), date: d(2012, 1, 1), value: None };
    let ev = store.record_event(&event).await.unwrap();
    let fact = Fact::EventDate { id: ev, date: tomorrow() };
    assert_eq!(
        refusal(store.correct(&correction(fact, "x")).await.unwrap_err()),
        ("dato", Refusal::InFuture)
    );
});
