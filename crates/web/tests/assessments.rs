//! The partners' half-yearly assessments over HTTP: a partner lands on its form, submits its own
//! district for the open half-year, is refused another district with a 403 page (audited) and
//! gets a form with problems back filled in; it reaches no case data, figures or API; the
//! secretariat sees what is missing per source and moves the deadline; the administrator gives
//! a partner its source and districts.

mod common;

use chrono::{Duration, Utc};
use common::{spawn_app, TestApp, TEST_PARTNER_DISTRICT};
use sikkerby_domain::access::Role;
use sikkerby_domain::assessment_round::open_half_year;
use sikkerby_domain::half_year::HalfYear;
use sikkerby_store::audit::Actor;
use sikkerby_testkit::store_test;
use sqlx::Row;

fn open() -> HalfYear {
    open_half_year(Utc::now().date_naive())
}

/// A deadline far ahead, so that a submission is on time whatever day the test runs.
async fn generous_deadline(app: &TestApp) {
    let deadline = open().last_day() + Duration::days(400);
    app.store.set_assessment_deadline(open(), deadline, &Actor::system("test"), Utc::now()).await.unwrap();
}

async fn submit(app: &TestApp, district: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let half = open().to_string();
    let all: Vec<(&str, &str)> =
        [("halvaar", half.as_str())].into_iter().chain(fields.iter().copied()).collect();
    app.post_form(&format!("/vurdering/{district}"), &all).await
}

const BOTH_AREAS: [(&str, &str); 3] =
    [("niveau_tingbjerg", "4"), ("tekst_tingbjerg", "Uro ved centret"), ("niveau_husum", "2")];

store_test!(a_partner_submits_its_own_district_and_is_refused_another, |db| async move {
    let app = spawn_app(db).await;
    generous_deadline(&app).await;
    app.login_as(Role::Partner).await;
    let start = app.get("/").await;
    assert_eq!((start.status().as_u16(), start.headers()["location"].to_str().unwrap()), (303, "/vurdering"));
    let page = app.text("/vurdering", 200).await;
    assert!(
        page.contains("Halvårsvurdering af urolige områder") && page.contains("Brønshøj-Husum"),
        "{page}"
    );
    assert!(page.contains("Tingbjerg/Utterslevhuse") && page.contains("Ikke indsendt endnu"), "{page}");
    assert!(!page.contains("Fristen er overskredet"), "on time");
    assert!(!page.contains("Nørrebro"), "only the partner's own district");

    let saved = submit(&app, TEST_PARTNER_DISTRICT, &BOTH_AREAS).await;
    assert_eq!(saved.status().as_u16(), 303);
    assert_eq!(saved.headers()["location"], "/vurdering?gemt=broenshoej_husum");
    let stored = app.store.area_assessments(open()).await.unwrap();
    let levels: Vec<(&str, &str, u8)> =
        stored.iter().map(|a| (a.area.as_str(), a.source.as_str(), a.assessment)).collect();
    assert_eq!(levels, [("husum", "ssp_ledergruppe", 2), ("tingbjerg", "ssp_ledergruppe", 4)]);
    let page = app.text("/vurdering?gemt=broenshoej_husum", 200).await;
    assert!(page.contains("Vurderingen er modtaget.") && page.contains("Indsendt af test-partner"), "{page}");
    assert!(page.contains("Uro ved centret"), "the stored text is the default");

    let other = submit(&app, "noerrebro", &[("niveau_blaagaarden", "1")]).await;
    assert_eq!(other.status().as_u16(), 403);
    let body = other.text().await.unwrap();
    assert!(body.contains("Ikke din bydel") && body.contains("de bydele, du er tilknyttet"), "{body}");
    let denied =
        sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'assessment' AND result = 'denied'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(denied.get::<i64, _>(0), 1, "the refusal is audited");
    assert_eq!(app.store.area_assessments(open()).await.unwrap().len(), 2, "nothing stored for noerrebro");
});

store_test!(a_partners_form_with_problems_comes_back_filled_in, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Partner).await;
    let missing =
        submit(&app, TEST_PARTNER_DISTRICT, &[("niveau_tingbjerg", "4"), ("tekst_husum", "Roligt")]).await;
    assert_eq!(missing.status().as_u16(), 422);
    let page = missing.text().await.unwrap();
    assert!(page.contains("Vælg en vurdering fra 1 til 5"), "{page}");
    assert!(
        page.contains("href=\"#broenshoej_husum-niveau_husum\""),
        "the summary links to the field: {page}"
    );
    assert!(page.contains(">Roligt</textarea>") && page.contains("<option value=\"4\" selected>"), "{page}");
    let long = "x".repeat(1001);
    let too_long = submit(
        &app,
        TEST_PARTNER_DISTRICT,
        &[("niveau_tingbjerg", "4"), ("niveau_husum", "2"), ("tekst_husum", &long)],
    )
    .await;
    assert_eq!(too_long.status().as_u16(), 422);
    assert!(too_long.text().await.unwrap().contains("Højst 1000 tegn"));
    let old = open().previous().to_string();
    let fields = [("halvaar", old.as_str()), ("niveau_tingbjerg", "4"), ("niveau_husum", "2")];
    let closed = app.post_form(&format!("/vurdering/{TEST_PARTNER_DISTRICT}"), &fields).await;
    assert_eq!(closed.status().as_u16(), 422);
    assert!(closed.text().await.unwrap().contains("Halvåret er ikke længere åbent"));
    assert!(app.store.area_assessments(open()).await.unwrap().is_empty(), "nothing stored");
    let english = app.text("/vurdering?lang=en", 200).await;
    assert!(
        english.contains("Half-yearly assessment of areas of unrest")
            && english.contains("Submit assessment")
    );
});

store_test!(a_partner_reaches_no_case_data_figures_or_api, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Partner).await;
    for path in [
        "/borgere",
        "/opfoelgninger",
        "/resultater",
        "/resultater/C4",
        "/bydele",
        "/uroligeomraader",
        "/maal",
        "/budget",
        "/figur-1",
        "/indikatorer",
        "/rapporter",
        "/vurderinger",
        "/admin/brugere",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 403, "{path}");
        assert!(response.text().await.unwrap().contains("Ingen adgang"), "{path}");
    }
    for path in ["/api/v1/results", "/api/v1/initiatives", "/api/v1/budget", "/api/v1/openapi.json"] {
        assert_eq!(app.get(path).await.status().as_u16(), 403, "{path}");
    }
    let page = app.text("/vurdering", 200).await;
    for hidden in ["href=\"/borgere\"", "href=\"/resultater\"", "href=\"/bydele\"", "href=\"/budget\""] {
        assert!(!page.contains(hidden), "no link to what the partner cannot open: {hidden}");
    }
});

store_test!(the_secretariat_sees_what_is_missing_and_moves_the_deadline, |db| async move {
    let app = spawn_app(db).await;
    generous_deadline(&app).await;
    app.login_as(Role::Partner).await;
    assert_eq!(submit(&app, TEST_PARTNER_DISTRICT, &BOTH_AREAS).await.status().as_u16(), 303);
    app.login_as(Role::Analyst).await;
    let page = app.text("/vurderinger", 200).await;
    assert!(
        page.contains("Mangler fra SSP-ledergruppen") && page.contains("Mangler fra Socialforvaltningen")
    );
    let ssp = page
        .split("Mangler fra SSP-ledergruppen")
        .nth(1)
        .unwrap()
        .split("Mangler fra Socialforvaltningen")
        .next()
        .unwrap();
    assert!(ssp.contains("Nørrebro") && !ssp.contains("Brønshøj-Husum"), "{ssp}");
    let social = page.split("Mangler fra Socialforvaltningen").nth(1).unwrap();
    assert!(social.contains("Brønshøj-Husum"), "{social}");
    assert!(page.contains("test-partner") && page.contains(">Ja<"), "the submission, on time: {page}");

    let half = open().to_string();
    let deadline = (open().last_day() + Duration::days(20)).to_string();
    let moved = app.post_form("/vurderinger/frist", &[("halvaar", &half), ("frist", &deadline)]).await;
    assert_eq!(moved.status().as_u16(), 303);
    assert_eq!(app.store.assessment_deadline(open()).await.unwrap().to_string(), deadline);
    let early = open().last_day().to_string();
    let refused = app.post_form("/vurderinger/frist", &[("halvaar", &half), ("frist", &early)]).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused.text().await.unwrap().contains("efter halvårets sidste dag"));
    let config = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'config_change' AND detail LIKE 'assessment deadline%'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(config.get::<i64, _>(0), 2, "both deadline changes are audited");
    let english = app.text("/vurderinger?lang=en", 200).await;
    assert!(english.contains("Missing from SSP leader group"), "{english}");
});

store_test!(the_administrator_gives_a_partner_a_source_and_districts, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Admin).await;
    let fields = [
        ("brugernavn", "ssp-valby"),
        ("rolle", "partner"),
        ("kilde", "ssp_ledergruppe"),
        ("bydele", "valby, noerrebro"),
    ];
    let created = app.post_form("/admin/brugere", &fields).await;
    assert_eq!(created.status().as_u16(), 200, "the one-time code page");
    let user = app.store.user_by_username("ssp-valby").await.unwrap().unwrap();
    let assignment = app.store.partner_assignment(user.id).await.unwrap().unwrap();
    assert_eq!(assignment.districts, ["noerrebro", "valby"]);
    let list = app.text("/admin/brugere", 200).await;
    assert!(
        list.contains("Samarbejdspartner") && list.contains("SSP-ledergruppen: noerrebro, valby"),
        "{list}"
    );
    let unknown =
        [("brugernavn", "ssp-x"), ("rolle", "partner"), ("kilde", "ssp_ledergruppe"), ("bydele", "atlantis")];
    let refused = app.post_form("/admin/brugere", &unknown).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused.text().await.unwrap().contains("en samarbejdspartner har mindst én kendt bydel"));
    let analyst = [("brugernavn", "ana-x"), ("rolle", "analyst"), ("bydele", "valby")];
    assert_eq!(app.post_form("/admin/brugere", &analyst).await.status().as_u16(), 422);
    let page = app.text(&format!("/admin/brugere/{}", user.id), 200).await;
    assert!(page.contains("value=\"noerrebro, valby\""), "the change form shows the districts: {page}");
});
