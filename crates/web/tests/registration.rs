//! Who holds a citizen, over HTTP on both backends: a citizen a caseworker registers is held by
//! the caseworker's centre from the start; every registration of a CPR number not held by the
//! caseworker's centres (unknown, held elsewhere, held by no one) gets the same answer, the
//! receipt, opens and changes nothing of an existing citizen, and is audited; an existing one
//! becomes a takeover request that the holding centre (or a manager) grants or refuses.

mod case_support;
mod common;

use case_support::{d, enrollment, valid_cpr};
use common::{spawn_app, TestApp, TestUser, RECEIVED};
use sikkerby_domain::access::Role;
use sikkerby_store::cases::NewCitizen;
use sikkerby_testkit::{store_test, TestDatabase};

fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status().as_u16(), 303);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// A caseworker of JKU Nord only.
fn nord() -> TestUser {
    TestUser::caseworker("cw-nord", &["JKU Nord"])
}

/// A caseworker of JKU Syd only.
fn syd() -> TestUser {
    TestUser::caseworker("cw-syd", &["JKU Syd"])
}

/// The whole answer to a registration: status, where it leads, the names of the headers but
/// the date and the session's cookie, and the body of the page it leads to.
async fn answer(app: &TestApp, cpr: &str, name: &str) -> (u16, String, Vec<String>, String) {
    let response = app.post_form("/borgere/ny", &[("cpr", cpr), ("navn", name)]).await;
    let to = location(&response);
    let mut headers: Vec<String> = response
        .headers()
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k != "date" && k != "set-cookie")
        .collect();
    headers.sort();
    (response.status().as_u16(), to.clone(), headers, app.text(&to, 200).await)
}

/// Stores a citizen, enrolled with `centre` when given, else held by no one.
async fn stored(app: &TestApp, cpr: &str, name: &str, centre: Option<&str>) -> i64 {
    let new = NewCitizen { cpr: cpr.into(), name: Some(name.into()), ..Default::default() };
    let id = app.store.create_citizen(&new).await.unwrap();
    if let Some(centre) = centre {
        app.store.enroll(&enrollment(id, "EXIT", d(2013, 1, 10), "JKU-B02", centre)).await.unwrap();
    }
    id
}

/// The id of the first request button on `/overtagelser`.
fn first_request(page: &str) -> String {
    let at = page.find("id=\"imoedekom-").expect("a request to decide") + "id=\"imoedekom-".len();
    page[at..].chars().take_while(char::is_ascii_digit).collect()
}

store_test!(
    a_citizen_registered_without_an_enrollment_is_found_and_opened_in_a_later_session,
    |db: TestDatabase| async move {
        let app = spawn_app(db).await;
        app.login_user(&nord()).await;
        let cpr = valid_cpr("150692", 1);
        let citizen = app.register(&[("cpr", &cpr), ("navn", "Uden Forløb")]).await;
        app.login_user(&nord()).await; // a new session: the registration's own purpose is gone
        let page = app.text(&citizen, 200).await;
        assert!(page.contains("Uden Forløb"), "the page exists for the centre that registered them");
        let search = app.text("/borgere?q=150692", 200).await;
        assert!(search.contains(&format!("href=\"{citizen}\"")), "and search finds them");
    }
);

store_test!(
    unknown_held_elsewhere_and_held_by_no_one_get_one_answer_change_nothing_and_are_audited,
    |db: TestDatabase| async move {
        let app = spawn_app(db).await;
        let (syd_cpr, none_cpr, new_cpr) =
            (valid_cpr("030391", 0), valid_cpr("040492", 0), valid_cpr("050593", 0));
        let syd = stored(&app, &syd_cpr, "Syd Navn", Some("JKU Syd")).await;
        let nobody = stored(&app, &none_cpr, "Ingen Navn", None).await;
        app.login_user(&nord()).await;
        let unknown = answer(&app, &new_cpr, "Ny Person").await;
        let elsewhere = answer(&app, &syd_cpr, "Overskrevet").await;
        let held_by_none = answer(&app, &none_cpr, "Overskrevet").await;
        assert_eq!(unknown, elsewhere, "the same answer, unknown or held elsewhere");
        assert_eq!(elsewhere, held_by_none, "the same answer, held elsewhere or by no one");
        assert_eq!(unknown.1, RECEIVED);
        assert!(unknown.3.contains("Registreringen er modtaget."));
        for name in ["Syd Navn", "Ingen Navn", "Ny Person", "Overskrevet"] {
            assert!(!unknown.3.contains(name), "the receipt names nobody");
        }
        let parsed = sikkerby_domain::cpr::Cpr::parse(&new_cpr).unwrap().cpr;
        let created = app.store.citizen_id_by_cpr(&parsed).await.unwrap();
        let created = created.expect("the unknown number is a new citizen");
        let audit = app.store.audit_entries(None, 200).await.unwrap();
        let attempt =
            |id: i64| audit.iter().find(|r| r.person_id == Some(id) && r.action == "register_attempt");
        assert_eq!(attempt(created).expect("audited").result, "ok");
        for (id, name) in [(syd, "Syd Navn"), (nobody, "Ingen Navn")] {
            assert_eq!(
                app.store.citizen(id).await.unwrap().unwrap().name.as_deref(),
                Some(name),
                "untouched"
            );
            let row = attempt(id).expect("the attempt is audited");
            assert_eq!(row.result, "denied");
            assert!(row.detail.contains("takeover request"), "{}", row.detail);
            assert!(
                !audit.iter().any(|r| r.person_id == Some(id) && r.action == "read_citizen"),
                "nothing was read"
            );
        }
        let mine = app.text("/overtagelser", 200).await;
        assert_eq!(mine.matches("Afventer").count(), 2, "two requests of the caseworker's, pending");
        assert!(!mine.contains("Syd Navn") && !mine.contains("Ingen Navn") && !mine.contains("JKU Syd"));
        assert!(mine.contains("Overskrevet"), "only what the caseworker typed");
    }
);

store_test!(the_holding_centre_grants_a_takeover_and_the_requester_then_sees_the_citizen, |db| async move {
    let app = spawn_app(db).await;
    let cpr = valid_cpr("060694", 0);
    let citizen = stored(&app, &cpr, "Syd Borger", Some("JKU Syd")).await;
    app.login_user(&nord()).await;
    assert_eq!(
        location(&app.post_form("/borgere/ny", &[("cpr", &cpr), ("navn", "Syd Borger")]).await),
        RECEIVED
    );
    assert!(app.text("/borgere?q=060694", 200).await.contains("Ingen borgere"), "not yet");
    let own = app.text("/overtagelser", 200).await;
    assert!(own.contains("Ingen ventende anmodninger."), "the requester cannot decide it");
    app.login_user(&syd()).await;
    let incoming = app.text("/overtagelser", 200).await;
    assert!(
        incoming.contains("Syd Borger") && incoming.contains("JKU Nord"),
        "the holder sees who and for whom"
    );
    let request = first_request(&incoming);
    let granted = app.post_form(&format!("/overtagelser/{request}"), &[("svar", "imoedekom")]).await;
    assert_eq!(location(&granted), "/overtagelser?afgjort=1");
    let again = app.post_form(&format!("/overtagelser/{request}"), &[("svar", "afvis")]).await;
    assert_eq!(again.status().as_u16(), 404, "decided once");
    app.login_user(&nord()).await;
    let search = app.text("/borgere?q=060694", 200).await;
    assert!(search.contains(&format!("href=\"/borgere/{citizen}\"")), "now found by the requester");
    assert!(app.text(&format!("/borgere/{citizen}"), 200).await.contains("Syd Borger"));
    assert!(app.text("/overtagelser", 200).await.contains("Imødekommet"));
    let audit = app.store.audit_entries(None, 300).await.unwrap();
    assert!(audit.iter().any(|r| r.action == "takeover" && r.person_id == Some(citizen) && r.result == "ok"));
});

store_test!(a_manager_decides_a_takeover_of_a_citizen_held_by_no_one_without_seeing_them, |db| async move {
    let app = spawn_app(db).await;
    let cpr = valid_cpr("070795", 0);
    let citizen = stored(&app, &cpr, "Ingen Holder", None).await;
    app.login_user(&nord()).await;
    assert_eq!(location(&app.post_form("/borgere/ny", &[("cpr", &cpr)]).await), RECEIVED);
    app.login_user(&syd()).await;
    assert!(app.text("/overtagelser", 200).await.contains("Ingen ventende anmodninger."), "not Syd's");
    app.login_as(Role::Manager).await;
    let incoming = app.text("/overtagelser", 200).await;
    assert!(
        incoming.contains("intet center")
            && !incoming.contains("Ingen Holder")
            && !incoming.contains("070795")
    );
    let request = first_request(&incoming);
    let refused = app.post_form(&format!("/overtagelser/{request}"), &[("svar", "afvis")]).await;
    assert_eq!(location(&refused), "/overtagelser?afgjort=1");
    assert_eq!(app.store.citizen_centres(citizen).await.unwrap().unwrap().centres, Vec::<String>::new());
    app.login_user(&nord()).await;
    assert!(app.text("/overtagelser", 200).await.contains("Afvist"));
    assert!(app.text("/borgere?q=070795", 200).await.contains("Ingen borgere"), "still not theirs");
});

store_test!(re_registering_one_s_own_citizen_leads_to_them_and_keeps_the_name, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Caseworker).await;
    let cpr = valid_cpr("150692", 2);
    let citizen = app.register(&[("cpr", &cpr), ("navn", "Rigtigt Navn")]).await;
    let again = location(&app.post_form("/borgere/ny", &[("cpr", &cpr), ("navn", "Andet Navn")]).await);
    assert_eq!(again, citizen, "to the citizen: nothing new is revealed");
    let page = app.text(&citizen, 200).await;
    assert!(page.contains("Rigtigt Navn") && !page.contains("Andet Navn"));
});
