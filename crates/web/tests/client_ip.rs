//! The client's address behind a reverse proxy (`trusted_proxy_header`), on SQLite and
//! PostgreSQL: the sign-in rate limit counts per forwarded address when the header is trusted,
//! and per socket address (all clients of the proxy together) when it is not.

use sikkerby_testkit::{store_test, TestDatabase};
use sikkerby_web::auth::rate_limit::{BucketSpec, LoginLimits};
use sikkerby_web::client_ip::HeaderName;
use sikkerby_web::{serve, AppState};
use std::time::Duration;

/// Two attempts per address, then one an hour; usernames are not limited here.
fn limits() -> LoginLimits {
    LoginLimits {
        per_ip: BucketSpec { burst: 2, refill: Duration::from_secs(3600) },
        per_username: BucketSpec { burst: 1000, refill: Duration::from_secs(1) },
    }
}

async fn spawn(db: &TestDatabase, header: Option<&'static str>) -> String {
    let store = db.open_seeded().await;
    let header = header.map(HeaderName::from_static);
    let state = AppState::load(store).await.expect("load").with_secure_cookies(false);
    let state = state.with_login_limits(limits()).with_client_ip_header(header);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(serve(state, listener));
    base
}

/// One failed sign-in through the form by a client the proxy calls `client`; the status.
async fn attempt(base: &str, client: &str, n: u32) -> u16 {
    let http = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let forwarded = format!("198.51.100.77, {client}"); // the first entry is the client's own word
    let page = http.get(format!("{base}/login")).header("X-Forwarded-For", &forwarded).send().await.unwrap();
    let html = page.text().await.unwrap();
    let token = html.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
    let username = format!("ingen-{n}");
    let form = [("username", username.as_str()), ("password", "forkert-kodeord-123"), ("csrf_token", token)];
    let response = http.post(format!("{base}/login")).header("X-Forwarded-For", &forwarded).form(&form);
    response.send().await.unwrap().status().as_u16()
}

store_test!(behind_a_trusted_proxy_each_forwarded_address_has_its_own_sign_in_limit, |db| async move {
    let base = spawn(&db, Some("x-forwarded-for")).await;
    assert_eq!(attempt(&base, "203.0.113.1", 1).await, 401);
    assert_eq!(attempt(&base, "203.0.113.1", 2).await, 401);
    assert_eq!(attempt(&base, "203.0.113.1", 3).await, 429, "the third from one address is limited");
    assert_eq!(attempt(&base, "203.0.113.2", 4).await, 401, "another address behind the proxy is not");
});

store_test!(
    without_the_setting_the_forwarded_header_is_ignored_and_the_proxy_is_one_client,
    |db| async move {
        let base = spawn(&db, None).await;
        assert_eq!(attempt(&base, "203.0.113.1", 1).await, 401);
        assert_eq!(attempt(&base, "203.0.113.2", 2).await, 401);
        assert_eq!(attempt(&base, "203.0.113.3", 3).await, 429, "a header nobody trusts changes nothing");
    }
);
