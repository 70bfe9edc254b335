//! Retention on both backends: a citizen whose retention date has passed loses every personal
//! record and leaves a non-identifying tombstone and an audit row; everyone else is untouched.

use chrono::NaiveDate;
use sikkerby_domain::access::Purpose;
use sikkerby_domain::cpr::Cpr;
use sikkerby_store::audit::Actor;
use sikkerby_store::cases::{EndRecord, NewCitizen, NewEnrollment, NewEvent, NewOffer, NewPlacement};
use sikkerby_store::retention::{retention_date, RetentionRule, Tombstone};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};
use sqlx::Row;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn citizen(store: &Store, cpr: &str) -> i64 {
    let new = NewCitizen {
        cpr: cpr.into(),
        name: Some("Testperson Syntetisk".into()),
        area_id: Some("tingbjerg".into()),
        confirm_warnings: false,
        centre: None,
    };
    store.create_citizen(&new).await.unwrap()
}

/// A citizen with an enrollment (ended on `end`, if given), an offer, a placement, a life event
/// and the follow-up the enrollment's end schedules.
async fn case(store: &Store, cpr: &str, end: Option<NaiveDate>) -> i64 {
    let id = citizen(store, cpr).await;
    let enrollment = NewEnrollment {
        citizen_id: id,
        initiative: "SSPPLUS".into(),
        start: d(2012, 3, 1),
        lead: "BIF".into(),
        caseworker_code: Some("JKU-A17".into()),
        centre: Some("JKU Nord".into()),
        confirm_age: true,
        confirmed_by: "tester".into(),
    };
    let eid = store.enroll(&enrollment).await.unwrap();
    let offer = NewOffer {
        enrollment_id: eid.clone(),
        offer_type: "virksomhedspraktik".into(),
        start: d(2012, 4, 1),
    };
    store.add_offer(&offer).await.unwrap();
    let placement =
        NewPlacement { citizen_id: id, employer: None, start: d(2012, 5, 1), end: Some(d(2012, 8, 1)) };
    store.add_placement(&placement).await.unwrap();
    let event = NewEvent { citizen_id: id, kind: "dom".into(), date: d(2012, 6, 1), value: None };
    store.record_event(&event).await.unwrap();
    if let Some(date) = end {
        store.end_enrollment(&eid, &EndRecord { date, reason: "andet".into() }).await.unwrap();
    }
    id
}

async fn rows_of(store: &Store, citizen_id: i64) -> i64 {
    let sql = "SELECT (SELECT COUNT(*) FROM enrollment WHERE citizen_id = $1)
                    + (SELECT COUNT(*) FROM placement WHERE citizen_id = $1)
                    + (SELECT COUNT(*) FROM life_event WHERE citizen_id = $1)
                    + (SELECT COUNT(*) FROM follow_up WHERE citizen_id = $1)
                    + (SELECT COUNT(*) FROM citizen WHERE id = $1) AS n";
    sqlx::query(sql).bind(citizen_id).fetch_one(store.pool()).await.unwrap().get("n")
}

#[test]
fn the_retention_date_is_the_explicit_one_or_five_years_after_the_last_end() {
    let explicit = retention_date(Some(d(2019, 1, 1)), Some(d(2015, 1, 1)), true);
    assert_eq!(explicit, Some((d(2019, 1, 1), RetentionRule::Explicit)));
    let computed = retention_date(None, Some(d(2015, 6, 30)), false);
    assert_eq!(computed, Some((d(2020, 6, 30), RetentionRule::Computed)));
    assert_eq!(retention_date(None, Some(d(2015, 6, 30)), true), None, "an open enrollment keeps the data");
    assert_eq!(retention_date(None, None, false), None, "no end, no computed date");
}

store_test!(retention_deletes_expired_personal_data_and_leaves_a_tombstone, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let expired = case(&store, "1503991019", Some(d(2015, 6, 30))).await;
    let offers_before: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM offer").fetch_one(store.pool()).await.unwrap().get("n");
    assert!(rows_of(&store, expired).await >= 5);
    let report = store.retention_run(d(2020, 6, 30), &Actor::system("test")).await.unwrap();
    assert_eq!(report.deleted, [expired]);
    assert_eq!(rows_of(&store, expired).await, 0);
    let offers_after: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM offer").fetch_one(store.pool()).await.unwrap().get("n");
    assert_eq!(offers_after, offers_before - 1);
    let cpr = Cpr::parse("1503991019").unwrap().cpr;
    assert_eq!(store.citizen_id_by_cpr(&cpr).await.unwrap(), None);
    let tombstone = store.tombstone(expired).await.unwrap().unwrap();
    let area = Some("tingbjerg".to_string());
    assert_eq!(
        tombstone,
        Tombstone {
            id: expired,
            birth_year: 1999,
            sex: "M".into(),
            area_id: area,
            deleted_on: d(2020, 6, 30)
        }
    );
    let audited = store.audit_subject(expired).await.unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(
        (audited[0].action.as_str(), audited[0].purpose),
        ("retention_delete", Some(Purpose::Retention))
    );
    assert!(audited[0].purpose_text.contains("2020-06-30 (computed)"), "{}", audited[0].purpose_text);
    assert_eq!(store.verify_audit().await.unwrap(), 1);
    let again = store.retention_run(d(2020, 6, 30), &Actor::system("test")).await.unwrap();
    assert!(again.deleted.is_empty());
});

store_test!(retention_leaves_citizens_whose_date_has_not_passed_alone, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let recent = case(&store, "1503991027", Some(d(2015, 7, 1))).await;
    let open = case(&store, "0707614285", None).await;
    let unknown = citizen(&store, "2209081019").await;
    let before = (rows_of(&store, recent).await, rows_of(&store, open).await, rows_of(&store, unknown).await);
    let report = store.retention_run(d(2020, 6, 30), &Actor::system("test")).await.unwrap();
    assert!(report.deleted.is_empty());
    let after = (rows_of(&store, recent).await, rows_of(&store, open).await, rows_of(&store, unknown).await);
    assert_eq!(before, after);
    assert!(store.tombstone(recent).await.unwrap().is_none());
    assert_eq!(store.verify_audit().await.unwrap(), 0, "nothing deleted, nothing audited");
});

store_test!(an_explicit_retention_date_wins_over_an_open_enrollment, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let open = case(&store, "0707614285", None).await;
    assert!(store.set_retention_date(open, Some(d(2019, 1, 1))).await.unwrap());
    let due = store.retention_due(d(2019, 1, 1)).await.unwrap();
    assert_eq!((due.len(), due[0].rule), (1, RetentionRule::Explicit));
    assert!(store.retention_due(d(2018, 12, 31)).await.unwrap().is_empty());
    let report = store.retention_run(d(2019, 1, 1), &Actor::system("test")).await.unwrap();
    assert_eq!(report.deleted, [open]);
    assert_eq!(rows_of(&store, open).await, 0);
});

store_test!(a_citizen_registered_after_a_deletion_never_gets_the_deleted_id, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    citizen(&store, "1503991027").await;
    let newest = citizen(&store, "1503991019").await;
    store.set_retention_date(newest, Some(d(2019, 1, 1))).await.unwrap();
    store.retention_run(d(2019, 1, 1), &Actor::system("test")).await.unwrap();
    let next = citizen(&store, "2209081019").await;
    assert!(next > newest, "new id {next} must not reuse the deleted {newest}");
    assert!(store.audit_subject(next).await.unwrap().is_empty());
});
