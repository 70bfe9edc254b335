//! Sign-in through an identity provider (OpenID Connect) against real providers run by node
//! (tests/oidc_support): the certified `oidc-provider` for the whole flow through its sign-in
//! page, and a hostile provider for ID tokens that a correct provider never signs. Every refusal
//! must show its page and leave a `login_failed` audit row naming the reason.

mod oidc_support;

use oidc_support::{follow, refusal_code, spawn, Mode, OidcApp, Page};
use sikkerby_domain::access::Role;

/// The CSRF token in a page's forms.
fn csrf_of(body: &str) -> String {
    let field = "name=\"csrf_token\" value=\"";
    let start = body.find(field).expect("a form with the CSRF token") + field.len();
    body[start..].split('"').next().unwrap_or_default().to_owned()
}

/// Asserts that `page` refuses with `status` and `code`, and the newest audit row says so.
async fn assert_refused(app: &OidcApp, page: &Page, status: u16, code: &str) {
    assert_eq!(page.status, status, "{code}: {}", page.body);
    assert!(refusal_code(page).starts_with(code), "expected {code}, page says {:?}", refusal_code(page));
    let row = app.last_audit().await;
    assert_eq!((row.action.as_str(), row.result.as_str()), ("login_failed", "denied"), "{code}");
    assert!(row.detail.contains(code), "audit detail {:?} lacks {code}", row.detail);
}

#[tokio::test]
async fn a_caseworker_signs_in_at_the_provider_with_the_role_centre_and_codes_of_their_group() {
    let app = spawn(Mode::Real, |_| {}, true).await;
    let page = app.sign_in_real("anna").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.url.starts_with(&format!("{}/login/oidc/callback?", app.base)), "{}", page.url);
    assert!(page.body.contains("href=\"/opfoelgninger\""), "a caseworker goes on to the worklist");

    let user = app.store.user_by_username("anna.test").await.unwrap().expect("the user was created");
    assert_eq!((user.role, user.display_name.as_str()), (Role::Caseworker, "Anna Test"));
    assert_eq!(user.centres, ["JKU Nord"]);
    assert_eq!(app.store.user_caseworker_codes(user.id).await.unwrap(), ["JKU-A17"]);
    let row = app.last_audit().await;
    assert_eq!((row.action.as_str(), row.user_id), ("login_ok", Some(user.id)));
    assert_eq!(row.detail, "oidc acr=urn:sikkerby:loa:substantial amr=pwd,mfa");

    // The session works, and the worklist is the caseworker's own.
    let worklist = follow(&app.client, &format!("{}/opfoelgninger", app.base)).await;
    assert_eq!(worklist.status, 200);
    assert!(worklist.body.contains("Anna Test"), "the header names the user");

    // The provider's answer again (a replay, e.g. from the browser's history): refused.
    let again = follow(&app.client, &page.url).await;
    assert_refused(&app, &again, 401, "unknown or used state").await;

    // Signing out ends the session here and goes on to the provider's end-session endpoint.
    let logout = app
        .client
        .post(format!("{}/logout", app.base))
        .header("origin", &app.base)
        .form(&[("csrf_token", csrf_of(&worklist.body))])
        .send()
        .await
        .unwrap();
    // A page that goes on by itself (a redirect would be stopped by `form-action 'self'`).
    assert_eq!(logout.status(), 200);
    let body = logout.text().await.unwrap();
    let to =
        body.split("id=\"forward\" href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    assert!(to.starts_with(&format!("{}/session/end?", app.idp.issuer)), "{to}");
    assert!(to.contains("client_id=sikkerby") && to.contains("post_logout_redirect_uri="), "{to}");
    assert_eq!(app.last_audit().await.action, "logout");
    let after = follow(&app.client, &format!("{}/opfoelgninger", app.base)).await;
    assert!(after.url.starts_with(&format!("{}/login", app.base)), "signed out: {}", after.url);
}

#[tokio::test]
async fn a_member_of_no_mapped_group_gets_a_page_saying_so_and_no_user() {
    let mut app = spawn(Mode::Real, |_| {}, true).await;
    let page = app.sign_in_real("carl").await;
    assert_refused(&app, &page, 403, "groups map to no role").await;
    assert!(page.body.contains("Ingen adgang til Sikker By"), "{}", page.body);
    assert!(app.store.user_by_username("carl.test").await.unwrap().is_none());
    // In English for a reader who chose it.
    app.client = oidc_support::browser_like_client();
    follow(&app.client, &format!("{}/login?lang=en", app.base)).await;
    let page = app.sign_in_real("carl").await;
    assert!(page.body.contains("No access to Sikker By"), "{}", page.body);
}

#[tokio::test]
async fn required_mfa_refuses_a_password_only_sign_in_and_admits_a_second_factor() {
    let mut app = spawn(Mode::Real, |c| c.require_mfa = true, true).await;
    let page = app.sign_in_real("bo").await;
    assert_refused(&app, &page, 403, "multi-factor authentication required").await;
    assert!(page.body.contains("to faktorer (MFA)"), "{}", page.body);
    assert!(app.last_audit().await.detail.contains("amr=pwd;"), "the amr is recorded");
    // Another browser, without bo's session at the provider.
    app.client = oidc_support::browser_like_client();
    let page = app.sign_in_real("anna").await;
    assert_eq!(page.status, 200, "{}", page.body);
}

#[tokio::test]
async fn id_tokens_a_provider_must_not_send_are_refused_each_with_its_reason() {
    let app = spawn(Mode::Hostile, |_| {}, true).await;
    // The hostile provider's good token is accepted: each refusal below is for its one fault.
    let ok = app.sign_in_hostile("ok").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let eve = app.store.user_by_username("eve.test").await.unwrap().expect("eve signed in");
    assert_eq!(eve.role, Role::Analyst);

    for (case, code) in [
        ("wrong_issuer", "wrong issuer"),
        ("wrong_audience", "wrong audience"),
        ("expired", "expired id token"),
        ("tampered", "bad signature"),
        ("unknown_key", "bad signature"),
        ("old_nonce", "wrong nonce"),
    ] {
        let page = app.sign_in_hostile(case).await;
        assert_refused(&app, &page, 401, code).await;
        assert!(!page.body.contains("sb-administratorer"), "no claim is echoed");
    }
    assert_eq!(
        app.store.user(eve.id).await.unwrap().unwrap().role,
        Role::Analyst,
        "tampering changed nothing"
    );

    // The provider rotates its key: the JWKS is fetched again and the new key's token admitted.
    tokio::time::sleep(sikkerby_web::auth::oidc::provider::JWKS_REFRESH_INTERVAL).await;
    let rotated = app.sign_in_hostile("rotate").await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let rows = app.store.audit_entries(None, 2).await.unwrap();
    assert!(rows.iter().any(|r| r.action == "login_ok"), "signed in with the new key");
}

#[tokio::test]
async fn when_the_real_provider_rotates_its_key_the_new_keys_are_fetched_and_sign_in_goes_on() {
    let mut app = spawn(Mode::Real, |_| {}, true).await;
    assert_eq!(app.sign_in_real("anna").await.status, 200);
    app.idp.restart_with_key("real-2");
    tokio::time::sleep(sikkerby_web::auth::oidc::provider::JWKS_REFRESH_INTERVAL).await;
    app.client = oidc_support::browser_like_client();
    let page = app.sign_in_real("anna").await;
    assert_eq!(page.status, 200, "signed in with the rotated key: {}", page.body);
    let rows = app.store.audit_entries(None, 2).await.unwrap();
    assert!(rows.iter().any(|r| r.action == "login_ok"), "{rows:?}");
}

#[tokio::test]
async fn groups_that_no_longer_map_end_the_users_access() {
    let app = spawn(Mode::Hostile, |_| {}, true).await;
    assert_eq!(app.sign_in_hostile("ok").await.status, 200);
    let eve = app.store.user_by_username("eve.test").await.unwrap().unwrap();
    assert!(follow(&app.client, &format!("{}/", app.base)).await.body.contains("Eve Test"));

    let page = app.sign_in_hostile("unmapped").await;
    assert_refused(&app, &page, 403, "groups map to no role").await;
    let row = app.last_audit().await;
    assert_eq!(row.user_id, Some(eve.id), "the refusal is on the user's record");
    assert!(!app.store.user(eve.id).await.unwrap().unwrap().active, "deactivated");
    // A session from before is gone too (here the browser's own, which the new sign-in replaced).
    let home = follow(&app.client, &format!("{}/", app.base)).await;
    assert!(home.url.contains("/login"), "{}", home.url);
    // The groups map again: access is back.
    assert_eq!(app.sign_in_hostile("ok").await.status, 200);
    assert!(app.store.user(eve.id).await.unwrap().unwrap().active);
}

#[tokio::test]
async fn the_answer_is_refused_in_another_browser_than_the_one_that_started() {
    let app = spawn(Mode::Hostile, |_| {}, true).await;
    let start = app.client.get(format!("{}/login/oidc", app.base)).send().await.unwrap();
    let to_provider = start.headers()["location"].to_str().unwrap().to_owned();
    // Another browser (an attacker's link, say) completes it: no `sikkerby_oidc` cookie of its own.
    let other = oidc_support::browser_like_client();
    let page = follow(&other, &to_provider).await;
    assert_refused(&app, &page, 401, "state of another browser").await;
    assert!(app.store.user_by_username("eve.test").await.unwrap().is_none());
}

#[tokio::test]
async fn the_password_sign_in_is_refused_when_switched_off() {
    let app = spawn(Mode::Real, |_| {}, false).await;
    let form = follow(&app.client, &format!("{}/login", app.base)).await;
    assert!(form.body.contains("id=\"login-oidc\""), "the provider's button");
    assert!(!form.body.contains("type=\"password\""), "no password field");
    let post = app
        .client
        .post(format!("{}/login", app.base))
        .header("origin", &app.base)
        .form(&[("username", "admin"), ("password", "whatever-it-is")])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);
    assert!(post.text().await.unwrap().contains("adgangskode er slået fra"));
    let row = app.last_audit().await;
    assert_eq!((row.action.as_str(), row.detail.as_str()), ("login_failed", "password sign-in switched off"));
}
