//! Sign-in against an attacker, on both backends: an unknown user, a wrong password and a locked
//! account take the same time (Argon2 runs for each); a browser that signed in before gets past a
//! lock that guessing from elsewhere set; common, patterned and personal passwords are refused
//! with a reason.

use chrono::{DateTime, TimeZone, Utc};
use sikkerby_domain::access::Role;
use sikkerby_store::audit::Actor;
use sikkerby_store::users::{LoginError, NewUser, SecurityError, MAX_FAILED_LOGINS};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};
use std::time::{Duration, Instant};

const PASSWORD: &str = "korrekt-hest-batteri-42";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap()
}

fn new_user(username: &str, password: &str) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: format!("Test {username}"),
        role: Some(Role::Analyst),
        centres: vec![],
        password: password.into(),
    }
}

async fn create(store: &Store, username: &str) -> i64 {
    store.create_user(&new_user(username, PASSWORD), &Actor::system("test"), t0()).await.unwrap().id
}

async fn lock(store: &Store, username: &str) {
    for _ in 0..MAX_FAILED_LOGINS {
        let _ = store.verify_login(username, "forkert-kodeord-123", t0()).await;
    }
    let locked = store.verify_login(username, PASSWORD, t0()).await;
    assert!(matches!(locked, Err(LoginError::Locked { .. })), "{locked:?}");
}

/// The median time of `n` sign-ins as `username` with `password`.
async fn median_time(store: &Store, username: &str, password: &str, n: usize) -> Duration {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let _ = store.verify_login(username, password, t0()).await;
        times.push(start.elapsed());
    }
    times.sort();
    times[n / 2]
}

store_test!(
    unknown_users_wrong_passwords_and_locked_accounts_take_the_same_time,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        create(&store, "laast").await;
        create(&store, "aaben").await;
        lock(&store, "laast").await;
        // Warm up the dummy hash and the pool.
        let _ = store.verify_login("findes-ikke", PASSWORD, t0()).await;
        let unknown = median_time(&store, "findes-ikke", PASSWORD, 5).await;
        let locked = median_time(&store, "laast", PASSWORD, 5).await;
        // Fewer than the lockout, so that these stay wrong passwords.
        let wrong = median_time(&store, "aaben", "forkert-kodeord-123", 3).await;
        eprintln!("median sign-in: unknown {unknown:?}, wrong {wrong:?}, locked {locked:?}");
        for (what, time) in [("locked", locked), ("wrong password", wrong)] {
            let ratio = time.as_secs_f64() / unknown.as_secs_f64();
            assert!((0.5..2.0).contains(&ratio), "{what} takes {time:?}, an unknown user {unknown:?}");
        }
    }
);

store_test!(
    a_browser_that_signed_in_before_gets_past_a_lock_set_by_guessing_elsewhere,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let id = create(&store, "anna").await;
        let other = create(&store, "bodil").await;
        let device = store.remember_device(id, t0()).await.unwrap();
        let others_device = store.remember_device(other, t0()).await.unwrap();
        lock(&store, "anna").await;
        let own = store.verify_login_from("anna", PASSWORD, Some(&device), t0()).await;
        assert_eq!(own.expect("the known browser signs in").id, id);
        lock(&store, "anna").await;
        let wrong = store.verify_login_from("anna", "forkert-kodeord-123", Some(&device), t0()).await;
        assert!(
            matches!(wrong, Err(LoginError::Locked { .. })),
            "a device cookie does not skip the password"
        );
        for token in [others_device.as_str(), "not-a-token", &"0".repeat(64)] {
            let refused = store.verify_login_from("anna", PASSWORD, Some(token), t0()).await;
            assert!(matches!(refused, Err(LoginError::Locked { .. })), "{token}: {refused:?}");
        }
        assert!(store.is_known_device_of("ANNA", &device, t0()).await.unwrap());
        assert!(!store.is_known_device_of("bodil", &device, t0()).await.unwrap());
        // A new password forgets the browsers trusted under the old one.
        store.set_user_password(id, "et-helt-andet-kodeord-77", &Actor::system("test"), t0()).await.unwrap();
        assert!(!store.is_known_device_of("anna", &device, t0()).await.unwrap());
    }
);

store_test!(
    common_patterned_and_personal_passwords_are_refused_with_a_reason,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let cases = [
            ("aaaaaaaaaaaa", "Repeats"),
            ("password1234", "common"),
            ("qwertyuiop123", "easy to guess"),
            ("mette.hansen-2024", "must not contain the username"),
        ];
        for (password, reason) in cases {
            let refused =
                store.create_user(&new_user("mette.hansen", password), &Actor::system("test"), t0()).await;
            match refused {
                Err(SecurityError::Invalid { field: "password", reason: given }) => {
                    assert!(given.contains(reason), "{password}: {given}")
                }
                other => panic!("{password} was accepted: {other:?}"),
            }
        }
        assert!(store.user_by_username("mette.hansen").await.unwrap().is_none(), "nothing stored");
        create(&store, "mette.hansen").await;
    }
);
