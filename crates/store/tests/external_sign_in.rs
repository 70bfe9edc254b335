//! Users who sign in through the identity provider, on both backends: created and updated from
//! the provider's claims, refused and deactivated when their groups no longer map, pending
//! sign-ins used once and bound to their browser, and configured session timeouts.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sikkerby_domain::access::Role;
use sikkerby_store::audit::Actor;
use sikkerby_store::sessions::SessionLimits;
use sikkerby_store::users::external::{ExternalSignIn, ExternalSignInError};
use sikkerby_store::users::NewUser;
use sikkerby_testkit::{store_test, TestDatabase};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap()
}

fn anna() -> ExternalSignIn {
    ExternalSignIn {
        issuer: "https://idp.example/v2.0".into(),
        subject: "sub-anna".into(),
        username: "Anna@KK.dk".into(),
        display_name: "Anna Test".into(),
        role: Role::Caseworker,
        centres: vec!["JKU Nord".into()],
        caseworker_codes: vec!["JKU-A17".into()],
    }
}

store_test!(a_sign_in_creates_then_updates_the_user_of_the_issuers_subject, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let first = store.sign_in_external(&anna(), "oidc acr=x amr=pwd,mfa", t0()).await.unwrap();
    assert_eq!((first.username.as_str(), first.role), ("anna@kk.dk", Role::Caseworker));
    assert_eq!(store.user_caseworker_codes(first.id).await.unwrap(), ["JKU-A17"]);
    assert!(store.is_external_user(first.id).await.unwrap());
    let row = &store.audit_entries(None, 1).await.unwrap()[0];
    assert_eq!((row.action.as_str(), row.detail.as_str()), ("login_ok", "oidc acr=x amr=pwd,mfa"));

    // The provider now says analyst: the same user, the caseworker's centre and codes gone.
    let analyst = ExternalSignIn { role: Role::Analyst, centres: vec![], caseworker_codes: vec![], ..anna() };
    let second = store.sign_in_external(&analyst, "oidc", t0()).await.unwrap();
    assert_eq!((second.id, second.role), (first.id, Role::Analyst));
    assert!(second.centres.is_empty() && store.user_caseworker_codes(first.id).await.unwrap().is_empty());
    // No password opens the account.
    assert!(store.verify_login("anna@kk.dk", "!external", t0()).await.is_err());

    // The groups no longer map: refused, deactivated, sessions ended.
    let session = store.create_session(first.id, t0()).await.unwrap();
    store
        .refuse_external_sign_in(Some(("https://idp.example/v2.0", "sub-anna")), "oidc; no role", true, t0())
        .await
        .unwrap();
    assert!(!store.user(first.id).await.unwrap().unwrap().active);
    assert!(store.session_by_token(session.token.as_str(), t0()).await.unwrap().is_none());
    let row = &store.audit_entries(None, 1).await.unwrap()[0];
    assert_eq!(
        (row.action.as_str(), row.result.as_str(), row.user_id),
        ("login_failed", "denied", Some(first.id))
    );
    assert!(store.sign_in_external(&anna(), "oidc", t0()).await.unwrap().active, "mapped again: back");
});

store_test!(a_local_users_name_is_not_taken_over_from_the_provider, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let local = NewUser {
        username: "anna@kk.dk".into(),
        display_name: "Lokal".into(),
        role: Some(Role::Admin),
        centres: vec![],
        password: "korrekt-hest-batteri-42".into(),
    };
    // The admin form refuses '@'; the store's own rule is what counts here, so insert directly.
    let created = store
        .create_user(&NewUser { username: "anna-local".into(), ..local }, &Actor::system("cli"), t0())
        .await;
    assert!(created.is_ok());
    let taken = ExternalSignIn { username: "anna-local".into(), ..anna() };
    let refused = store.sign_in_external(&taken, "oidc", t0()).await;
    assert!(matches!(refused, Err(ExternalSignInError::UsernameTaken(_))), "{refused:?}");
    assert_eq!(store.audit_entries(None, 1).await.unwrap()[0].action, "login_failed");
});

store_test!(
    a_pending_sign_in_is_taken_once_by_its_browser_before_it_expires,
    |db: TestDatabase| async move {
        let store = db.open().await;
        let until = t0() + Duration::minutes(10);
        store
            .begin_external_sign_in("state-1", "browser-1", ("nonce", "verifier", "/x"), until, t0())
            .await
            .unwrap();
        let pending = store.take_external_sign_in("state-1", t0()).await.unwrap().expect("pending");
        assert_eq!(
            (pending.nonce.as_str(), pending.pkce_verifier.as_str(), pending.next_path.as_str()),
            ("nonce", "verifier", "/x")
        );
        assert!(pending.belongs_to("browser-1") && !pending.belongs_to("browser-2"));
        assert!(store.take_external_sign_in("state-1", t0()).await.unwrap().is_none(), "used once");
        store.begin_external_sign_in("state-2", "b", ("n", "v", "/"), until, t0()).await.unwrap();
        assert!(store.take_external_sign_in("state-2", until).await.unwrap().is_none(), "expired");
    }
);

store_test!(configured_session_timeouts_end_sessions, |db: TestDatabase| async move {
    let limits = SessionLimits { idle: Duration::minutes(5), absolute: Duration::hours(1) };
    let store = db.open_seeded().await.with_session_limits(limits);
    let user = store.sign_in_external(&anna(), "oidc", t0()).await.unwrap();
    let idle = store.create_session(user.id, t0()).await.unwrap();
    assert!(store
        .session_by_token(idle.token.as_str(), t0() + Duration::minutes(4))
        .await
        .unwrap()
        .is_some());
    assert!(store
        .session_by_token(idle.token.as_str(), t0() + Duration::minutes(10))
        .await
        .unwrap()
        .is_none());
    let busy = store.create_session(user.id, t0()).await.unwrap();
    for minutes in (4..60).step_by(4) {
        assert!(store
            .session_by_token(busy.token.as_str(), t0() + Duration::minutes(minutes))
            .await
            .unwrap()
            .is_some());
    }
    assert!(store
        .session_by_token(busy.token.as_str(), t0() + Duration::minutes(61))
        .await
        .unwrap()
        .is_none());
});
