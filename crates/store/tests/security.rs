//! Users, logins and sessions on both backends: Argon2id hashes, lockout and its expiry, session
//! tokens stored hashed, idle and absolute expiry, rotation, and no secret in any log line.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sikkerby_domain::access::Role;
use sikkerby_store::audit::Actor;
use sikkerby_store::cases::NewCitizen;
use sikkerby_store::users::{LoginError, NewUser, SecurityError, LOCKOUT_MINUTES, MAX_FAILED_LOGINS};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};
use sqlx::Row;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

const PASSWORD: &str = "korrekt-hest-batteri-42";
const CPR: &str = "0707614285";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap()
}

fn cli() -> Actor {
    Actor::system("cli")
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

async fn caseworker(store: &Store) -> i64 {
    let user = new_user("Sagsbehandler1", Role::Caseworker, &["JKU Nord"]);
    store.create_user(&user, &cli(), t0()).await.unwrap().id
}

/// Every log line of this test binary, at every level, from the first test that asks.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let for_writer = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Sink(for_writer.clone()))
            .try_init();
        buffer
    })
    .clone()
}

store_test!(a_password_is_stored_as_an_argon2id_hash_that_verifies, |db: TestDatabase| async move {
    let store = db.open().await;
    let id = caseworker(&store).await;
    let row = sqlx::query("SELECT password_hash FROM app_user WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await;
    let hash: String = row.unwrap().get("password_hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    let user = store.verify_login("SAGSBEHANDLER1", PASSWORD, t0()).await.unwrap();
    assert_eq!((user.username.as_str(), user.role), ("sagsbehandler1", Role::Caseworker));
    assert_eq!(user.centres, vec!["JKU Nord".to_string()]);
    let wrong = store.verify_login("sagsbehandler1", "korrekt-hest-batteri-43", t0()).await;
    assert!(matches!(wrong, Err(LoginError::InvalidCredentials)));
});

store_test!(
    short_passwords_duplicate_names_and_caseworkers_without_a_centre_are_refused,
    |db: TestDatabase| async move {
        let store = db.open().await;
        let short = NewUser { password: "elleve-tegn".into(), ..new_user("analytiker", Role::Analyst, &[]) };
        let err = store.create_user(&short, &cli(), t0()).await.unwrap_err();
        assert!(matches!(err, SecurityError::Invalid { field: "password", .. }), "{err}");
        let no_centre = new_user("sagsbehandler", Role::Caseworker, &[]);
        let err = store.create_user(&no_centre, &cli(), t0()).await.unwrap_err();
        assert!(matches!(err, SecurityError::Invalid { field: "centre", .. }), "{err}");
        caseworker(&store).await;
        let again = new_user("sagsbehandler1", Role::Caseworker, &["JKU Syd"]);
        assert!(matches!(store.create_user(&again, &cli(), t0()).await, Err(SecurityError::Conflict(_))));
    }
);

store_test!(
    five_failed_logins_lock_the_account_until_fifteen_minutes_have_passed,
    |db: TestDatabase| async move {
        let store = db.open().await;
        caseworker(&store).await;
        for attempt in 0..MAX_FAILED_LOGINS {
            let at = t0() + Duration::seconds(attempt);
            let err = store.verify_login("sagsbehandler1", "forkert-adgangskode", at).await.unwrap_err();
            assert!(matches!(err, LoginError::InvalidCredentials), "{err}");
        }
        let during = t0() + Duration::minutes(LOCKOUT_MINUTES - 1);
        let err = store.verify_login("sagsbehandler1", PASSWORD, during).await.unwrap_err();
        let LoginError::Locked { until } = err else { panic!("expected a lock, got {err}") };
        assert_eq!(
            until,
            t0() + Duration::seconds(MAX_FAILED_LOGINS - 1) + Duration::minutes(LOCKOUT_MINUTES)
        );
        let after = until + Duration::seconds(1);
        let user = store.verify_login("sagsbehandler1", PASSWORD, after).await.unwrap();
        assert_eq!((user.failed_logins, user.locked_until), (0, None));
    }
);

store_test!(
    an_unknown_username_fails_like_a_wrong_password_and_its_name_is_not_stored,
    |db: TestDatabase| async move {
        let store = db.open().await;
        let err = store.verify_login("ingen-saadan", PASSWORD, t0()).await.unwrap_err();
        assert!(matches!(err, LoginError::InvalidCredentials));
        let rows = store.audit_entries(None, 10).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].action.as_str(), rows[0].result.as_str()), ("login_failed", "denied"));
        assert_eq!((rows[0].username.as_deref(), rows[0].user_id), (None, None));
        assert!(!format!("{rows:?}").contains("ingen-saadan"));
    }
);

store_test!(a_session_token_is_stored_only_as_its_sha256, |db: TestDatabase| async move {
    let store = db.open().await;
    let user = caseworker(&store).await;
    let new = store.create_session(user, t0()).await.unwrap();
    let token = new.token.as_str().to_owned();
    assert_eq!(token.len(), 64);
    assert!(!format!("{new:?}").contains(&token));
    let row = sqlx::query("SELECT token_hash FROM user_session").fetch_one(store.pool()).await.unwrap();
    let stored: String = row.get("token_hash");
    assert_ne!(stored, token);
    assert_eq!(stored.len(), 64);
    let found = store.session_by_token(&token, t0() + Duration::minutes(1)).await.unwrap().unwrap();
    assert_eq!(found.user.id, user);
    assert!(found.csrf_matches(&new.session.csrf_secret) && !found.csrf_matches("forkert"));
    assert!(store.session_by_token(&stored, t0()).await.unwrap().is_none(), "the hash is not a token");
});

store_test!(a_session_ends_after_thirty_idle_minutes_or_eight_hours, |db: TestDatabase| async move {
    let store = db.open().await;
    let user = caseworker(&store).await;
    let idle = store.create_session(user, t0()).await.unwrap().token;
    let m = |minutes| t0() + Duration::minutes(minutes);
    assert!(store.session_by_token(idle.as_str(), m(29)).await.unwrap().is_some());
    assert!(store.session_by_token(idle.as_str(), m(58)).await.unwrap().is_some(), "a request resets idle");
    assert!(store.session_by_token(idle.as_str(), m(88)).await.unwrap().is_none());
    let busy = store.create_session(user, t0()).await.unwrap().token;
    for minutes in (20..480).step_by(20) {
        assert!(store.session_by_token(busy.as_str(), m(minutes)).await.unwrap().is_some(), "{minutes}");
    }
    assert!(store.session_by_token(busy.as_str(), m(480)).await.unwrap().is_none());
});

store_test!(the_last_request_is_written_back_at_most_once_a_minute, |db: TestDatabase| async move {
    let store = db.open().await;
    let user = caseworker(&store).await;
    let token = store.create_session(user, t0()).await.unwrap().token;
    let s = |seconds| t0() + Duration::seconds(seconds);
    let stored = || async {
        let row = sqlx::query("SELECT last_seen_at FROM user_session").fetch_one(store.pool()).await.unwrap();
        row.get::<String, _>("last_seen_at")
    };
    let at_login = stored().await;
    // Within the resolution: no write, and the session keeps its stored last request.
    let seen = store.session_by_token(token.as_str(), s(30)).await.unwrap().unwrap();
    assert_eq!(seen.last_seen_at, t0());
    assert_eq!(stored().await, at_login, "a request 30 s after the last one writes nothing");
    // Past it: written back, so the idle clock restarts from this request.
    store.session_by_token(token.as_str(), s(61)).await.unwrap().unwrap();
    assert_ne!(stored().await, at_login);
    assert!(store.session_by_token(token.as_str(), s(61 + 29 * 60)).await.unwrap().is_some());
});

store_test!(rotating_a_session_invalidates_the_old_token_and_logout_ends_it, |db: TestDatabase| async move {
    let store = db.open().await;
    let user = caseworker(&store).await;
    let old = store.create_session(user, t0()).await.unwrap();
    let new = store.rotate_session(old.token.as_str(), t0() + Duration::minutes(5)).await.unwrap().unwrap();
    assert_ne!(new.token, old.token);
    assert_ne!(new.session.csrf_secret, old.session.csrf_secret);
    assert_eq!(new.session.expires_at, old.session.expires_at, "rotation keeps the absolute end");
    assert!(store.session_by_token(old.token.as_str(), t0() + Duration::minutes(6)).await.unwrap().is_none());
    assert!(store.session_by_token(new.token.as_str(), t0() + Duration::minutes(6)).await.unwrap().is_some());
    assert!(store.delete_session(new.token.as_str(), t0() + Duration::minutes(7)).await.unwrap());
    assert!(store.session_by_token(new.token.as_str(), t0() + Duration::minutes(8)).await.unwrap().is_none());
    let last = store.audit_entries(None, 1).await.unwrap();
    assert_eq!((last[0].action.as_str(), last[0].user_id), ("logout", Some(user)));
});

store_test!(purging_removes_only_expired_sessions, |db: TestDatabase| async move {
    let store = db.open().await;
    let user = caseworker(&store).await;
    store.create_session(user, t0()).await.unwrap();
    let live = store.create_session(user, t0() + Duration::minutes(40)).await.unwrap();
    assert_eq!(store.purge_expired_sessions(t0() + Duration::minutes(45)).await.unwrap(), 1);
    assert_eq!(store.session_count(user, t0() + Duration::minutes(45)).await.unwrap(), 1);
    assert!(store
        .session_by_token(live.token.as_str(), t0() + Duration::minutes(46))
        .await
        .unwrap()
        .is_some());
});

store_test!(deactivating_a_user_ends_their_sessions_and_refuses_their_login, |db: TestDatabase| async move {
    let store = db.open().await;
    let user = caseworker(&store).await;
    let session = store.create_session(user, t0()).await.unwrap();
    store.set_user_active(user, false, &cli(), t0()).await.unwrap();
    assert!(store.session_by_token(session.token.as_str(), t0()).await.unwrap().is_none());
    assert!(matches!(
        store.verify_login("sagsbehandler1", PASSWORD, t0()).await,
        Err(LoginError::InvalidCredentials)
    ));
});

store_test!(only_an_admin_may_create_users_and_a_refusal_is_audited, |db: TestDatabase| async move {
    let store = db.open().await;
    let admin = store.create_user(&new_user("admin", Role::Admin, &[]), &cli(), t0()).await.unwrap();
    let manager =
        store.create_user(&new_user("leder", Role::Manager, &[]), &admin.actor(), t0()).await.unwrap();
    let err = store.create_user(&new_user("ny", Role::Admin, &[]), &manager.actor(), t0()).await.unwrap_err();
    assert!(matches!(err, SecurityError::Forbidden { .. }), "{err}");
    let last = &store.audit_entries(None, 1).await.unwrap()[0];
    assert_eq!((last.action.as_str(), last.result.as_str()), ("permission_change", "denied"));
    assert_eq!(last.user_id, Some(manager.id));
    let names: Vec<String> = store.users().await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["admin", "leder"]);
});

store_test!(no_log_line_carries_a_password_or_a_full_cpr_number, |db: TestDatabase| async move {
    let logs = captured_logs();
    let store = db.open_seeded().await;
    caseworker(&store).await;
    let _ = store.verify_login("sagsbehandler1", "forkert-adgangskode", t0()).await;
    let user = store.verify_login("sagsbehandler1", PASSWORD, t0()).await.unwrap();
    let citizen = NewCitizen { cpr: CPR.into(), ..Default::default() };
    let id = store.create_citizen(&citizen).await.unwrap();
    store.set_user_password(user.id, "et-helt-andet-kodeord", &user.actor(), t0()).await.unwrap();
    store.set_retention_date(id, Some(t0().date_naive())).await.unwrap();
    store.retention_run(t0().date_naive(), &cli()).await.unwrap();
    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(text.contains("login failed"), "the capture must see the store's log lines");
    for secret in [PASSWORD, "forkert-adgangskode", "et-helt-andet-kodeord", CPR, "070761-4285"] {
        assert!(!text.contains(secret), "a log line holds {secret:?}");
    }
});
