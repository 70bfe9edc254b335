//! The administrator's user changes on both backends: one-time reset codes (stored hashed, used
//! once, expiring, replaced by a new one), unlocking, changing role, centres and codes together,
//! the last administrator and one's own account, and the audit log's filter.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sikkerby_domain::access::Role;
use sikkerby_store::audit::{Actor, AuditAction, AuditFilter};
use sikkerby_store::users::password_reset::RESET_HOURS;
use sikkerby_store::users::{AccessChange, LoginError, NewUser, SecurityError, MAX_FAILED_LOGINS};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};
use sqlx::Row;

const PASSWORD: &str = "korrekt-hest-batteri-42";
const NEW_PASSWORD: &str = "grøn-cykel-under-broen-7";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap()
}

fn new_user(username: &str, role: Role, centres: &[&str]) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: format!("Test {username}"),
        role: Some(role),
        centres: centres.iter().map(|c| c.to_string()).collect(),
        password: PASSWORD.into(),
    }
}

async fn admin_and_caseworker(store: &Store) -> (sikkerby_store::users::User, i64) {
    let admin =
        store.create_user(&new_user("admin", Role::Admin, &[]), &Actor::system("t"), t0()).await.unwrap();
    let caseworker = new_user("sagsbehandler", Role::Caseworker, &["JKU Nord"]);
    let id = store.create_user(&caseworker, &admin.actor(), t0()).await.unwrap().id;
    (admin, id)
}

store_test!(a_reset_code_sets_a_new_password_once_and_is_stored_only_hashed, |db: TestDatabase| async move {
    let store = db.open().await;
    let (admin, user) = admin_and_caseworker(&store).await;
    let session = store.create_session(user, t0()).await.unwrap();
    let code = store.issue_password_reset(user, &admin.actor(), t0()).await.unwrap();
    let stored: Vec<String> = sqlx::query("SELECT code_hash FROM password_reset")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("code_hash").unwrap())
        .collect();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], code, "only the hash is stored");
    let weak = store.reset_password_with_code(&code, "aaaaaaaaaaaa", t0()).await.unwrap_err();
    assert!(matches!(weak, SecurityError::Invalid { field: "password", .. }), "{weak}");
    let name = store.reset_password_with_code(&code, NEW_PASSWORD, t0()).await.unwrap();
    assert_eq!(name, "sagsbehandler");
    assert!(store.session_by_token(session.token.as_str(), t0()).await.unwrap().is_none(), "sessions end");
    store.verify_login("sagsbehandler", NEW_PASSWORD, t0()).await.unwrap();
    let again = store.reset_password_with_code(&code, "endnu-et-nyt-kodeord-99", t0()).await.unwrap_err();
    assert!(matches!(again, SecurityError::Invalid { field: "code", .. }), "{again}");
    let log = store.audit_entries(None, 20).await.unwrap();
    assert!(log.iter().all(|r| !r.detail.contains(&code) && !r.purpose_text.contains(&code)));
    assert!(log.iter().any(|r| r.detail == format!("user #{user} password set with a reset code")));
});

store_test!(a_reset_code_expires_and_a_new_one_replaces_it, |db: TestDatabase| async move {
    let store = db.open().await;
    let (admin, user) = admin_and_caseworker(&store).await;
    let first = store.issue_password_reset(user, &admin.actor(), t0()).await.unwrap();
    let second = store.issue_password_reset(user, &admin.actor(), t0()).await.unwrap();
    let replaced = store.reset_password_with_code(&first, NEW_PASSWORD, t0()).await;
    assert!(matches!(replaced, Err(SecurityError::Invalid { field: "code", .. })));
    let late = t0() + Duration::hours(RESET_HOURS);
    let expired = store.reset_password_with_code(&second, NEW_PASSWORD, late).await;
    assert!(matches!(expired, Err(SecurityError::Invalid { field: "code", .. })));
    let other = new_user("leder", Role::Manager, &[]);
    let manager = store.create_user(&other, &admin.actor(), t0()).await.unwrap();
    let refused = store.issue_password_reset(user, &manager.actor(), t0()).await;
    assert!(matches!(refused, Err(SecurityError::Forbidden { .. })));
});

store_test!(unlocking_lifts_a_lock_after_failed_logins, |db: TestDatabase| async move {
    let store = db.open().await;
    let (admin, user) = admin_and_caseworker(&store).await;
    for _ in 0..MAX_FAILED_LOGINS {
        let _ = store.verify_login("sagsbehandler", "forkert-kodeord-123", t0()).await;
    }
    let locked = store.verify_login("sagsbehandler", PASSWORD, t0()).await;
    assert!(matches!(locked, Err(LoginError::Locked { .. })));
    let unlocked = store.unlock_user(user, &admin.actor(), t0()).await.unwrap();
    assert_eq!((unlocked.failed_logins, unlocked.locked_until), (0, None));
    store.verify_login("sagsbehandler", PASSWORD, t0()).await.unwrap();
    assert_eq!(store.audit_entries(None, 2).await.unwrap()[1].detail, format!("user #{user} unlocked"));
});

store_test!(role_centres_and_codes_change_together_and_follow_the_role, |db: TestDatabase| async move {
    let store = db.open().await;
    let (admin, user) = admin_and_caseworker(&store).await;
    let change = |role, centres: &[&str], codes: &[&str]| AccessChange {
        role,
        centres: centres.iter().map(|c| c.to_string()).collect(),
        caseworker_codes: codes.iter().map(|c| c.to_string()).collect(),
        partner: Default::default(),
    };
    let changed = change(Role::Caseworker, &["JKU Syd"], &["JKU-A17"]);
    let after = store.set_user_access(user, &changed, &admin.actor(), t0()).await.unwrap();
    assert_eq!(after.centres, ["JKU Syd"]);
    assert_eq!(store.user_caseworker_codes(user).await.unwrap(), ["JKU-A17"]);
    let bad = change(Role::Analyst, &[], &["JKU-A17"]);
    let refused = store.set_user_access(user, &bad, &admin.actor(), t0()).await.unwrap_err();
    assert!(matches!(refused, SecurityError::Invalid { field: "caseworker_code", .. }), "{refused}");
    assert_eq!(store.user(user).await.unwrap().unwrap().role, Role::Caseworker, "nothing stored");
    let analyst =
        store.set_user_access(user, &change(Role::Analyst, &[], &[]), &admin.actor(), t0()).await.unwrap();
    assert!(analyst.centres.is_empty() && store.user_caseworker_codes(user).await.unwrap().is_empty());
});

store_test!(the_last_admin_stays_and_nobody_removes_their_own_access, |db: TestDatabase| async move {
    let store = db.open().await;
    let (admin, _) = admin_and_caseworker(&store).await;
    let own = store.set_user_active(admin.id, false, &admin.actor(), t0()).await.unwrap_err();
    assert!(matches!(own, SecurityError::OwnAccount { .. }), "{own}");
    let demote = AccessChange {
        role: Role::Manager,
        centres: vec![],
        caseworker_codes: vec![],
        partner: Default::default(),
    };
    let cli = Actor::system("cli");
    let last = store.set_user_access(admin.id, &demote, &cli, t0()).await.unwrap_err();
    assert!(matches!(last, SecurityError::LastAdmin), "{last}");
    assert!(matches!(
        store.set_user_active(admin.id, false, &cli, t0()).await,
        Err(SecurityError::LastAdmin)
    ));
    let second = store.create_user(&new_user("admin2", Role::Admin, &[]), &cli, t0()).await.unwrap();
    store.set_user_active(admin.id, false, &second.actor(), t0()).await.unwrap();
    assert!(!store.user(admin.id).await.unwrap().unwrap().active);
});

store_test!(the_audit_filter_returns_only_matching_rows, |db: TestDatabase| async move {
    let store = db.open().await;
    let (admin, user) = admin_and_caseworker(&store).await;
    store.unlock_user(user, &admin.actor(), t0() + Duration::days(2)).await.unwrap();
    let by_admin = AuditFilter { username: Some("ADMIN".into()), ..Default::default() };
    let rows = store.audit_search(&by_admin, None, 50).await.unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.username.as_deref() == Some("admin")));
    let later = AuditFilter {
        action: Some(AuditAction::PermissionChange),
        from: Some(t0() + Duration::days(1)),
        until: Some(t0() + Duration::days(3)),
        ..Default::default()
    };
    let rows = store.audit_search(&later, None, 50).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].detail, format!("user #{user} unlocked"));
    let page = store.audit_search(&AuditFilter::default(), None, 2).await.unwrap();
    let next = store.audit_search(&AuditFilter::default(), Some(page[1].seq), 2).await.unwrap();
    assert!(next.iter().all(|r| r.seq < page[1].seq) && !next.is_empty());
    let nobody = AuditFilter { person_id: Some(9999), ..Default::default() };
    assert!(store.audit_search(&nobody, None, 50).await.unwrap().is_empty());
});

store_test!(a_user_of_the_identity_provider_gets_no_reset_code, |db: TestDatabase| async move {
    let store = db.open().await;
    let (admin, _) = admin_and_caseworker(&store).await;
    let external = sikkerby_store::users::external::ExternalSignIn {
        issuer: "https://idp.example/v2.0".into(),
        subject: "sub-anna".into(),
        username: "anna@kk.dk".into(),
        display_name: "Anna Test".into(),
        role: Role::Analyst,
        centres: vec![],
        caseworker_codes: vec![],
    };
    let anna = store.sign_in_external(&external, "oidc", t0()).await.unwrap();
    let refused = store.issue_password_reset(anna.id, &admin.actor(), t0()).await.unwrap_err();
    assert!(matches!(refused, SecurityError::Invalid { field: "user", .. }), "{refused}");
    let rows: i64 = sqlx::query("SELECT COUNT(*) AS n FROM password_reset")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(rows, 0, "no code stored");
});

store_test!(a_user_and_their_codes_are_created_together_or_not_at_all, |db: TestDatabase| async move {
    let store = db.open().await;
    let (admin, _) = admin_and_caseworker(&store).await;
    let new = new_user("kodet", Role::Caseworker, &["JKU Syd"]);
    let bad = ["JKU A17".to_owned()];
    let refused = store.create_user_with_codes(&new, &bad, &admin.actor(), t0()).await.unwrap_err();
    assert!(matches!(refused, SecurityError::Invalid { field: "caseworker_code", .. }), "{refused}");
    assert!(store.user_by_username("kodet").await.unwrap().is_none(), "no user without their codes");
    let codes = ["JKU-B02".to_owned()];
    let user = store.create_user_with_codes(&new, &codes, &admin.actor(), t0()).await.unwrap();
    assert_eq!(store.user_caseworker_codes(user.id).await.unwrap(), ["JKU-B02"]);
    let row = &store.audit_entries(None, 1).await.unwrap()[0];
    assert_eq!(
        row.detail,
        format!("user #{} created with role caseworker, caseworker codes [JKU-B02]", user.id)
    );
});
