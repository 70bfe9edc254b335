//! `/admin/brugere` over HTTP on SQLite and PostgreSQL: creating a user answers a one-time code
//! with which the user sets their own password (once), role changes, deactivating (no sign-in),
//! unlocking after failed logins, the administrator's own account, refusals naming the field,
//! and 403 for every other role.

mod common;

use common::{fresh_client, login_with, spawn_anonymous, TestApp, TestUser};
use sikkerby_domain::access::Role;
use sikkerby_store::users::MAX_FAILED_LOGINS;
use sikkerby_testkit::store_test;

const NEW_PASSWORD: &str = "grøn-cykel-under-broen-7";

async fn admin_app(db: sikkerby_testkit::TestDatabase) -> TestApp {
    let app = spawn_anonymous(db).await;
    app.login_as(Role::Admin).await;
    app
}

/// The one-time code on the page that shows it.
fn shown_code(html: &str) -> String {
    let start = html.find("<code id=\"engangskode-vaerdi\">").expect("the code is shown") + 30;
    html[start..].split('<').next().unwrap().to_owned()
}

/// Sets a new password with a code from a browser that is not signed in.
async fn reset(app: &TestApp, code: &str, password: &str, repeated: &str) -> reqwest::Response {
    let fields = [("kode", code), ("adgangskode", password), ("gentag", repeated)];
    let url = format!("{}/nulstil-adgangskode", app.base);
    fresh_client().post(url).form(&fields).send().await.expect("POST reset")
}

store_test!(a_created_user_sets_their_password_with_the_one_time_code_once, |db| async move {
    let app = admin_app(db).await;
    let fields = [
        ("brugernavn", "Ny.Sagsbehandler"),
        ("navn", "Ny Sagsbehandler"),
        ("rolle", "caseworker"),
        ("centre", "JKU Nord, JKU Syd"),
        ("koder", "JKU-A17"),
    ];
    let created = app.post_form("/admin/brugere", &fields).await;
    assert_eq!(created.status().as_u16(), 200);
    let code = shown_code(&created.text().await.unwrap());
    let user = app.store.user_by_username("ny.sagsbehandler").await.unwrap().expect("created");
    assert_eq!(
        (user.role, user.centres.clone()),
        (Role::Caseworker, vec!["JKU Nord".into(), "JKU Syd".into()])
    );
    assert_eq!(app.store.user_caseworker_codes(user.id).await.unwrap(), ["JKU-A17"]);
    let list = app.text("/admin/brugere", 200).await;
    assert!(list.contains("ny.sagsbehandler") && list.contains("JKU-A17") && !list.contains(&code));

    let mismatch = reset(&app, &code, NEW_PASSWORD, "noget-andet-helt-7").await;
    assert_eq!(mismatch.status().as_u16(), 422);
    let weak = reset(&app, &code, "password1234", "password1234").await;
    assert_eq!(weak.status().as_u16(), 422);
    assert!(weak.text().await.unwrap().contains("for let at gætte"));
    let done = reset(&app, &code, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status().as_u16(), 200);
    assert!(done.text().await.unwrap().contains("Din nye adgangskode er gemt"));
    let signed_in = login_with(&fresh_client(), &app.base, "ny.sagsbehandler", NEW_PASSWORD).await;
    assert_eq!(signed_in.status().as_u16(), 303, "the new password signs in");
    let again = reset(&app, &code, "endnu-et-nyt-kodeord-99", "endnu-et-nyt-kodeord-99").await;
    assert_eq!(again.status().as_u16(), 422);
    assert!(again.text().await.unwrap().contains("ukendt, brugt eller udløbet"), "the code works once");
    let log = app.store.audit_entries(None, 50).await.unwrap();
    assert!(log
        .iter()
        .any(|r| r.detail.contains("created with role caseworker")
            && r.username.as_deref() == Some("test-admin")));
    assert!(log.iter().all(|r| !r.detail.contains(&code)));
});

store_test!(a_refused_user_names_the_field_and_stores_nothing, |db| async move {
    let app = admin_app(db).await;
    let before = app.store.users().await.unwrap().len();
    let fields = [("brugernavn", "uden-center"), ("rolle", "caseworker"), ("centre", ""), ("koder", "")];
    let refused = app.post_form("/admin/brugere", &fields).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused.text().await.unwrap().contains("en sagsbehandler har mindst ét center"));
    let codes = [("brugernavn", "analytiker2"), ("rolle", "analyst"), ("centre", ""), ("koder", "JKU-A17")];
    let refused = app.post_form("/admin/brugere", &codes).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused.text().await.unwrap().contains("kun for sagsbehandlere"));
    assert_eq!(app.store.users().await.unwrap().len(), before, "nothing stored");
});

store_test!(a_role_change_and_a_deactivation_take_effect, |db| async move {
    let app = admin_app(db).await;
    let target = TestUser::caseworker("skifter", &["JKU Nord"]);
    let id = app.ensure_user(&target).await;
    let path = format!("/admin/brugere/{id}");
    let changed = app.post_form(&path, &[("rolle", "analyst"), ("centre", ""), ("koder", "")]).await;
    assert_eq!(changed.status().as_u16(), 303);
    let user = app.store.user(id).await.unwrap().unwrap();
    assert_eq!((user.role, user.centres.len()), (Role::Analyst, 0));
    assert!(app.text(&format!("{path}?gemt=1"), 200).await.contains("Ændringen er gemt"));
    let off = app.post_form(&format!("{path}/aktiv"), &[("aktiv", "nej")]).await;
    assert_eq!(off.status().as_u16(), 303);
    let refused = login_with(&fresh_client(), &app.base, "skifter", &target.password()).await;
    assert_eq!(refused.status().as_u16(), 401, "a deactivated user cannot sign in");
    let on = app.post_form(&format!("{path}/aktiv"), &[("aktiv", "ja")]).await;
    assert_eq!(on.status().as_u16(), 303);
    let back = login_with(&fresh_client(), &app.base, "skifter", &target.password()).await;
    assert_eq!(back.status().as_u16(), 303);
});

store_test!(the_admin_cannot_deactivate_themselves_or_the_last_admin, |db| async move {
    let app = admin_app(db).await;
    let own = app.ensure_user(&TestUser::of(Role::Admin)).await;
    let refused = app.post_form(&format!("/admin/brugere/{own}/aktiv"), &[("aktiv", "nej")]).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused.text().await.unwrap().contains("Du kan ikke deaktivere dig selv"));
    let demoted = app.post_form(&format!("/admin/brugere/{own}"), &[("rolle", "manager")]).await;
    assert_eq!(demoted.status().as_u16(), 422);
    assert!(app.store.user(own).await.unwrap().unwrap().active);
    assert_eq!(app.store.user(own).await.unwrap().unwrap().role, Role::Admin);
});

store_test!(an_admin_unlocks_a_user_locked_out_by_failed_logins, |db| async move {
    let app = admin_app(db).await;
    let target = TestUser::of(Role::Manager);
    let id = app.ensure_user(&target).await;
    let stranger = fresh_client();
    for _ in 0..MAX_FAILED_LOGINS {
        login_with(&stranger, &app.base, &target.username, "forkert-kodeord-123").await;
    }
    let locked = login_with(&stranger, &app.base, &target.username, &target.password()).await;
    assert_eq!(locked.status().as_u16(), 401);
    assert!(app.text(&format!("/admin/brugere/{id}"), 200).await.contains("/laas-op"));
    let unlocked = app.post_form(&format!("/admin/brugere/{id}/laas-op"), &[]).await;
    assert_eq!(unlocked.status().as_u16(), 303);
    let signed_in = login_with(&fresh_client(), &app.base, &target.username, &target.password()).await;
    assert_eq!(signed_in.status().as_u16(), 303);
    let last = &app.store.audit_entries(None, 3).await.unwrap();
    assert!(last
        .iter()
        .any(|r| r.detail == format!("user #{id} unlocked") && r.action == "permission_change"));
});

store_test!(an_issued_code_replaces_the_password_and_the_old_one_stops, |db| async move {
    let app = admin_app(db).await;
    let target = TestUser::of(Role::Analyst);
    let id = app.ensure_user(&target).await;
    let issued = app.post_form(&format!("/admin/brugere/{id}/engangskode"), &[]).await;
    assert_eq!(issued.status().as_u16(), 200);
    let code = shown_code(&issued.text().await.unwrap());
    assert_eq!(reset(&app, &code, NEW_PASSWORD, NEW_PASSWORD).await.status().as_u16(), 200);
    let old = login_with(&fresh_client(), &app.base, &target.username, &target.password()).await;
    assert_eq!(old.status().as_u16(), 401);
    let new = login_with(&fresh_client(), &app.base, &target.username, NEW_PASSWORD).await;
    assert_eq!(new.status().as_u16(), 303);
});

store_test!(no_other_role_reaches_user_administration, |db| async move {
    let app = spawn_anonymous(db).await;
    for role in [Role::Caseworker, Role::Analyst, Role::Manager] {
        app.login_as(role).await;
        assert_eq!(app.get("/admin/brugere").await.status().as_u16(), 403, "{role}");
        assert_eq!(app.get("/admin/revision").await.status().as_u16(), 403, "{role}");
        let posted = app.post_form("/admin/brugere", &[("brugernavn", "x-y-z"), ("rolle", "admin")]).await;
        assert_eq!(posted.status().as_u16(), 403, "{role}");
        assert!(!app.text("/budget", 200).await.contains("href=\"/admin/brugere\""));
    }
    assert!(app.store.user_by_username("x-y-z").await.unwrap().is_none());
    app.login_as(Role::Admin).await;
    let menu = app.text("/budget", 200).await;
    assert!(menu.contains("href=\"/admin/brugere\"") && menu.contains("href=\"/admin/revision\""));
    let settings = app.text("/admin/indstillinger", 200).await;
    assert!(
        settings.contains("i 15 minutter efter 5 forkerte adgangskoder") && settings.contains("30 minutter")
    );
});

store_test!(the_administration_pages_render_in_english, |db| async move {
    let app = admin_app(db).await;
    let id = app.ensure_user(&TestUser::of(Role::Analyst)).await;
    assert!(app.text("/admin/brugere?lang=en", 200).await.contains("Create a user"));
    assert!(app.text(&format!("/admin/brugere/{id}?lang=en"), 200).await.contains("Deactivate the user"));
    assert!(app.text("/admin/revision?lang=en", 200).await.contains("The hash chain is intact"));
    assert!(app.text("/admin/indstillinger?lang=en", 200).await.contains("Set at start"));
    let login = fresh_client().get(format!("{}/login?lang=en", app.base)).send().await.unwrap();
    assert!(
        login.text().await.unwrap().contains("href=\"/nulstil-adgangskode\""),
        "the sign-in page links it"
    );
    let reset = fresh_client().get(format!("{}/nulstil-adgangskode?lang=en", app.base)).send().await.unwrap();
    assert!(reset.text().await.unwrap().contains("Choose a new password"));
});

store_test!(a_user_of_the_identity_provider_is_offered_no_reset_code, |db| async move {
    let app = admin_app(db).await;
    let external = sikkerby_store::users::external::ExternalSignIn {
        issuer: "https://idp.example/v2.0".into(),
        subject: "sub-bo".into(),
        username: "bo@kk.dk".into(),
        display_name: "Bo Test".into(),
        role: Role::Manager,
        centres: vec![],
        caseworker_codes: vec![],
    };
    let bo = app.store.sign_in_external(&external, "oidc", chrono::Utc::now()).await.unwrap();
    let page = app.text(&format!("/admin/brugere/{}", bo.id), 200).await;
    assert!(!page.contains("/engangskode") && page.contains("logger ind hos identitetsudbyderen"));
    let refused = app.post_form(&format!("/admin/brugere/{}/engangskode", bo.id), &[]).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(!refused.text().await.unwrap().contains("engangskode-vaerdi"));
});
