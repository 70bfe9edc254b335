//! Case data for the web tests: valid CPR numbers, a small DOMTE cohort with releases and
//! follow-ups written through the store's own API, and form posts.

#![allow(dead_code)]

use crate::common::{spawn_app, TestApp};
use chrono::NaiveDate;
use sikkerby_store::cases::{NewCitizen, NewEnrollment, NewEvent, NewOffer, RecordFollowUp};
use sikkerby_store::Store;
use sikkerby_testkit::TestDatabase;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The `nth` CPR number born on `ddmmyy` in the 1900s that passes modulus 11.
pub fn valid_cpr(ddmmyy: &str, nth: usize) -> String {
    const WEIGHTS: [u32; 10] = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    (0..4000)
        .map(|serial| format!("{ddmmyy}{serial:04}"))
        .filter(|cpr| {
            let sum: u32 = cpr.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
            sum.is_multiple_of(11)
        })
        .nth(nth)
        .expect("enough valid serials")
}

/// Twelve citizens born in 1990, enrolled in DOMTE from 1 January 2013 and released on
/// 1 February 2013, so C4's cohort for 2013 has 12 members whose follow-ups fell due on
/// 1 May 2013. The first five follow-ups are recorded positive; the other seven are open.
/// Citizens 0–7 are with caseworker `JKU-A17` in `JKU Nord`, 8–11 with `JKU-B02` in `JKU Syd`.
/// Citizens 0–2 got an offer in March (C3 = 3: a small count) and are in KRIMITEAM too.
pub struct Cohort {
    pub citizens: Vec<i64>,
    /// The open follow-ups: (citizen, follow-up id).
    pub open: Vec<(i64, String)>,
}

/// The follow-up form's fields recording `follow_up` (one of [`Cohort::open`]) as a positive
/// contact on 3 May 2013 (C4 counts it).
pub fn positive_follow_up_form(follow_up: &str) -> [(&'static str, &str); 4] {
    [
        ("opfoelgning_id", follow_up),
        ("udfoert", "2013-05-03"),
        ("status", "positiv_kontakt"),
        ("udfoert_af", "JKU-A17"),
    ]
}

pub const COHORT: usize = 12;
pub const POSITIVE: usize = 5;

pub async fn seed_cohort(store: &Store) -> Cohort {
    let mut cohort = Cohort { citizens: Vec::new(), open: Vec::new() };
    for i in 0..COHORT {
        let cpr = valid_cpr(&format!("{:02}0190", i + 1), 0);
        let name = Some(format!("Kohorte Person {i:02}"));
        let id = store.create_citizen(&NewCitizen { cpr, name, ..Default::default() }).await.unwrap();
        let (caseworker, centre) = if i < 8 { ("JKU-A17", "JKU Nord") } else { ("JKU-B02", "JKU Syd") };
        let domte = enrollment(id, "DOMTE", d(2013, 1, 1), caseworker, centre);
        let eid = store.enroll(&domte).await.unwrap();
        let release =
            NewEvent { citizen_id: id, kind: "loesladelse".into(), date: d(2013, 2, 1), value: None };
        store.record_event(&release).await.unwrap();
        if i < 3 {
            let offer = NewOffer {
                enrollment_id: eid,
                offer_type: "vejledning_opkvalificering".into(),
                start: d(2013, 3, 1),
            };
            store.add_offer(&offer).await.unwrap();
            store.enroll(&enrollment(id, "KRIMITEAM", d(2013, 3, 1), caseworker, centre)).await.unwrap();
        }
        let timeline = store.timeline(id).await.unwrap().unwrap();
        let follow_up =
            timeline.follow_ups.iter().find(|f| f.due == d(2013, 5, 1)).expect("scheduled follow-up");
        if i < POSITIVE {
            let record =
                RecordFollowUp { done: d(2013, 5, 1), status: "beskaeftiget".into(), done_by: "test".into() };
            store.record_follow_up(&follow_up.id, &record).await.unwrap();
        } else {
            cohort.open.push((id, follow_up.id.clone()));
        }
        cohort.citizens.push(id);
    }
    cohort
}

pub fn enrollment(
    citizen_id: i64,
    initiative: &str,
    start: NaiveDate,
    caseworker: &str,
    centre: &str,
) -> NewEnrollment {
    NewEnrollment {
        citizen_id,
        initiative: initiative.into(),
        start,
        lead: "BIF".into(),
        caseworker_code: Some(caseworker.into()),
        centre: Some(centre.into()),
        confirm_age: true,
        confirmed_by: "test".into(),
    }
}

/// The application over a database that holds the cohort.
pub async fn spawn_with_cohort(db: TestDatabase) -> (TestApp, Cohort) {
    let store = db.open_seeded().await;
    let cohort = seed_cohort(&store).await;
    store.close().await;
    (spawn_app(db).await, cohort)
}

/// POSTs a form (with the session's CSRF token) and returns the response (redirects are not
/// followed).
pub async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(path, fields).await
}

/// The part of `html` from the element with `id` to the end of its table row.
pub fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<tr id=\"{id}\">")).unwrap_or_else(|| panic!("no row {id}"));
    let end = html[start..].find("</tr>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// Asserts that a page carries no inline script or style.
pub fn assert_no_inline_code(html: &str) {
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains(" style="), "no inline style attributes");
    assert!(!html.contains("<style"), "no style elements");
}
