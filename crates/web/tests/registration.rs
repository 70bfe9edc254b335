//! Who holds a citizen, over HTTP on both backends: a citizen a caseworker registers is held by
//! the caseworker's centre from the start (on today's main they vanished without an
//! enrollment); registering a CPR number that exists outside the caseworker's centres gives the
//! same answer whether another centre holds them or nobody does, opens and changes nothing, and
//! is audited; re-registering one's own citizen leads to them without changing the name.

mod case_support;
mod common;

use case_support::{d, enrollment, valid_cpr};
use common::{spawn_app, TestApp, TestUser};
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

/// The whole answer to a registration: status, where it leads, and that page's body.
async fn answer(app: &TestApp, cpr: &str, name: &str) -> (u16, String, String) {
    let response = app.post_form("/borgere/ny", &[("cpr", cpr), ("navn", name)]).await;
    let to = location(&response);
    (response.status().as_u16(), to.clone(), app.text(&to, 200).await)
}

store_test!(
    a_citizen_registered_without_an_enrollment_is_found_and_opened_in_a_later_session,
    |db: TestDatabase| async move {
        let app = spawn_app(db).await;
        app.login_user(&nord()).await;
        let cpr = valid_cpr("150692", 1);
        let citizen =
            location(&app.post_form("/borgere/ny", &[("cpr", &cpr), ("navn", "Uden Forløb")]).await);
        let citizen = citizen.trim_end_matches("?gemt=1").to_owned();
        app.login_user(&nord()).await; // a new session: the registration's own purpose is gone
        let page = app.text(&citizen, 200).await;
        assert!(page.contains("Uden Forløb"), "the page exists for the centre that registered them");
        let search = app.text("/borgere?q=150692", 200).await;
        assert!(search.contains(&format!("href=\"{citizen}\"")), "and search finds them");
    }
);

store_test!(
    an_existing_cpr_outside_the_centre_gives_one_answer_changes_nothing_and_is_audited,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let (syd_cpr, none_cpr) = (valid_cpr("030391", 0), valid_cpr("040492", 0));
        let syd = store
            .create_citizen(&NewCitizen {
                cpr: syd_cpr.clone(),
                name: Some("Syd Navn".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        store.enroll(&enrollment(syd, "EXIT", d(2013, 1, 10), "JKU-B02", "JKU Syd")).await.unwrap();
        let nobody = store
            .create_citizen(&NewCitizen {
                cpr: none_cpr.clone(),
                name: Some("Ingen Navn".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        store.close().await;
        let app = spawn_app(db).await;
        app.login_user(&nord()).await;
        let elsewhere = answer(&app, &syd_cpr, "Overskrevet").await;
        let held_by_none = answer(&app, &none_cpr, "Overskrevet").await;
        assert_eq!(elsewhere, held_by_none, "the same answer, held elsewhere or by no one");
        assert_eq!(elsewhere.1, "/borgere/ny?ikke_her=1");
        assert!(elsewhere.2.contains("Der er intet gemt."));
        for (id, name) in [(syd, "Syd Navn"), (nobody, "Ingen Navn")] {
            assert_eq!(
                app.store.citizen(id).await.unwrap().unwrap().name.as_deref(),
                Some(name),
                "untouched"
            );
            let audit = app.store.audit_entries(None, 200).await.unwrap();
            assert!(
                audit.iter().any(|r| r.person_id == Some(id) && r.result == "denied"),
                "the attempt is audited"
            );
            assert!(
                !audit.iter().any(|r| r.person_id == Some(id) && r.action == "read_citizen"),
                "nothing was read"
            );
        }
        assert!(!elsewhere.2.contains("Syd Navn") && !held_by_none.2.contains("Ingen Navn"));
    }
);

store_test!(re_registering_one_s_own_citizen_leads_to_them_and_keeps_the_name, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Caseworker).await;
    let cpr = valid_cpr("150692", 2);
    let first = location(&app.post_form("/borgere/ny", &[("cpr", &cpr), ("navn", "Rigtigt Navn")]).await);
    let citizen = first.trim_end_matches("?gemt=1");
    let again = location(&app.post_form("/borgere/ny", &[("cpr", &cpr), ("navn", "Andet Navn")]).await);
    assert_eq!(again, citizen, "to the citizen, without 'saved'");
    let page = app.text(citizen, 200).await;
    assert!(page.contains("Rigtigt Navn") && !page.contains("Andet Navn"));
});
