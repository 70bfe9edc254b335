//! The reader who keeps releases (docs/disclosure.md, "Releases"), over HTTP on SQLite and
//! PostgreSQL: an analyst asks `GET /api/v1/results` for the same year as of two month-ends,
//! in either order, and subtracts. The cohort (see `case_support`): C4 for 2013 is 5 positive
//! of 12 as of May 2013; one more follow-up, positive, is done in June, so as of June the
//! figures differ from May's by one person. No count shown in both may differ by 1 … 4.

mod case_support;
mod common;

use case_support::{d, seed_cohort};
use common::spawn_anonymous;
use serde_json::Value;
use sikkerby_domain::access::Role;
use sikkerby_store::cases::RecordFollowUp;
use sikkerby_testkit::{store_test, TestDatabase};
use std::collections::BTreeMap;

const MAY: &str = "/api/v1/results?year=2013&as_of=2013-05-31&initiative=DOMTE";
const JUNE: &str = "/api/v1/results?year=2013&as_of=2013-06-30&initiative=DOMTE";

/// The cohort with one more positive follow-up done on 15 June 2013, and an analyst signed in.
async fn analyst_over_cohort(db: TestDatabase) -> common::TestApp {
    let store = db.open_seeded().await;
    let cohort = seed_cohort(&store).await;
    let (_, follow_up) = &cohort.open[0];
    let record =
        RecordFollowUp { done: d(2013, 6, 15), status: "beskaeftiget".into(), done_by: "test".into() };
    store.record_follow_up(follow_up, &record).await.unwrap();
    store.close().await;
    let app = spawn_anonymous(db).await;
    app.login_as(Role::Analyst).await;
    app
}

/// Every count the document shows: (criterion, group, field) → value.
fn shown_counts(document: &Value) -> BTreeMap<String, u64> {
    let mut shown = BTreeMap::new();
    for r in document["results"].as_array().unwrap() {
        let criterion = r["criterion"].as_str().unwrap();
        let mut put = |group: &str, item: &Value| {
            for field in ["numerator", "denominator", "unknown", "pending_members"] {
                if let Some(v) = item[field].as_u64() {
                    shown.insert(format!("{criterion}/{group}/{field}"), v);
                }
            }
        };
        put("", r);
        for g in r["breakdown"].as_array().into_iter().flatten() {
            put(g["group"].as_str().unwrap(), g);
        }
    }
    shown
}

/// The counts shown in both documents that differ by 1 … k − 1.
fn small_differences(a: &Value, b: &Value) -> Vec<String> {
    let (a, b) = (shown_counts(a), shown_counts(b));
    a.iter()
        .filter_map(|(key, x)| {
            let y = b.get(key)?;
            let change = x.abs_diff(*y);
            (1..5).contains(&change).then(|| format!("{key}: {x} → {y}"))
        })
        .collect()
}

fn c4(document: &Value) -> &Value {
    document["results"].as_array().unwrap().iter().find(|r| r["criterion"] == "C4").unwrap()
}

store_test!(a_later_month_end_hides_what_changed_by_one_since_the_earlier_release, |db| async move {
    let app = analyst_over_cohort(db).await;
    let may = app.json(MAY, 200).await;
    assert_eq!((c4(&may)["numerator"].as_u64(), c4(&may)["denominator"].as_u64()), (Some(5), Some(12)));
    let june = app.json(JUNE, 200).await;
    // June's 6 positive and 6 unknown would each give May's reader the one new follow-up.
    assert_eq!(c4(&june)["numerator"], Value::Null, "{}", c4(&june));
    assert_eq!(c4(&june)["unknown"], Value::Null, "{}", c4(&june));
    assert!(small_differences(&may, &june).is_empty(), "{:?}", small_differences(&may, &june));
    // Every breakdown of June is protected against May's release as well.
    for by in ["centre", "caseworker", "month", "sex"] {
        let may = app.json(&format!("{MAY}&by={by}"), 200).await;
        let june = app.json(&format!("{JUNE}&by={by}"), 200).await;
        assert!(small_differences(&may, &june).is_empty(), "by {by}: {:?}", small_differences(&may, &june));
    }
});

store_test!(an_earlier_month_end_asked_after_a_later_one_is_protected_against_it, |db| async move {
    let app = analyst_over_cohort(db).await;
    let june = app.json(JUNE, 200).await;
    assert_eq!(c4(&june)["numerator"].as_u64(), Some(6), "June alone shows its figures");
    let may = app.json(MAY, 200).await;
    assert_eq!(c4(&may)["numerator"], Value::Null, "{}", c4(&may));
    assert!(small_differences(&june, &may).is_empty(), "{:?}", small_differences(&june, &may));
    // Asking again gives the same figures: the releases do not drift.
    assert_eq!(app.json(MAY, 200).await, may);
    assert_eq!(app.json(JUNE, 200).await, june);
});

store_test!(a_settled_year_is_published_as_of_its_settled_date_and_says_so, |db| async move {
    let app = analyst_over_cohort(db).await;
    let late = app.json("/api/v1/results?year=2013&as_of=2016-06-30&initiative=DOMTE", 200).await;
    assert_eq!(late["as_of"], "2014-12-31");
    assert_eq!(late["asked_as_of"], "2016-06-30");
    let html = app.text("/resultater?year=2013&as_of=2016-06-30", 200).await;
    assert!(html.contains("opgjort pr. 31. december 2014"), "the page gives the settled date");
    assert!(html.contains("Året er afsluttet"), "and says why");
});
