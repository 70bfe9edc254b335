//! The lockout against a stranger, over HTTP on SQLite and PostgreSQL: wrong passwords from
//! another browser lock the account for browsers that never signed in as the user, but the
//! user's own browser (its device cookie) still gets in with the right password.

mod common;

use common::{fresh_client, login_with, spawn_anonymous, TestUser};
use sikkerby_domain::access::Role;
use sikkerby_store::users::MAX_FAILED_LOGINS;
use sikkerby_testkit::store_test;

store_test!(a_stranger_guessing_cannot_lock_the_user_out_of_their_own_browser, |db| async move {
    let app = spawn_anonymous(db).await;
    let user = TestUser::of(Role::Admin);
    app.ensure_user(&user).await;
    let first = app.login_form(&user.username, &user.password()).await;
    assert_eq!(first.status().as_u16(), 303);
    let device = first.headers().get_all("set-cookie").iter().any(|c| {
        let c = c.to_str().unwrap();
        c.starts_with("sikkerby_device=") && c.contains("Path=/login") && c.contains("HttpOnly")
    });
    assert!(device, "the browser is given a device cookie");
    app.forget_session();
    let stranger = fresh_client();
    for _ in 0..MAX_FAILED_LOGINS {
        let guess = login_with(&stranger, &app.base, &user.username, "forkert-kodeord-123").await;
        assert_eq!(guess.status().as_u16(), 401);
    }
    let locked = login_with(&stranger, &app.base, &user.username, &user.password()).await;
    assert_eq!(locked.status().as_u16(), 401, "a browser new to the user is locked out");
    let own = app.login_form(&user.username, &user.password()).await;
    assert_eq!(own.status().as_u16(), 303, "the user's own browser is not");
});
