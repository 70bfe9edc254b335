//! Shared test support: the real application on port 0 over a fresh, seeded database, and a
//! client that keeps its cookies like a browser and is signed in.
//!
//! [`spawn_app`] signs in as a caseworker of the test cohort's centres (`JKU Nord`, `JKU Syd`),
//! who may use every page but the admin's; [`TestApp::login_as`] switches to another role and
//! [`spawn_anonymous`] starts without a session. Sessions are made through the store (a user
//! with an Argon2id password, then `create_session`), as the sign-in page does; the sign-in page
//! itself is exercised by [`TestApp::login_form`].
//!
//! Like a caseworker answering the purpose question, the client declares the purpose
//! `sagsbehandling` before its first request to a citizen (`/borgere/{id}…`) in a session;
//! [`TestApp::set_auto_purpose`] turns that off for the tests of the question itself. Every POST
//! made through [`TestApp::post_form`] carries the session's CSRF token, as the forms do.

#![allow(dead_code)]

use chrono::Utc;
use reqwest::cookie::{CookieStore, Jar};
use sikkerby_domain::access::{AssessmentSource, Role};
use sikkerby_store::audit::Actor;
use sikkerby_store::users::{NewUser, PartnerAccess};
use sikkerby_store::Store;
use sikkerby_testkit::TestDatabase;
use sikkerby_web::auth::rate_limit::LoginLimits;
use sikkerby_web::server::ServerLimits;
use sikkerby_web::{serve_with_limits, AppState};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// The centres of the default caseworker (those of `case_support::seed_cohort`).
pub const COHORT_CENTRES: [&str; 2] = ["JKU Nord", "JKU Syd"];

/// The district the standard partner user (`test-partner`) assesses.
pub const TEST_PARTNER_DISTRICT: &str = "broenshoej_husum";

/// A user to sign in as.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub username: String,
    pub role: Role,
    pub centres: Vec<String>,
}

impl TestUser {
    /// The standard user of a role: `test-<role>`; a caseworker works for the cohort's centres.
    pub fn of(role: Role) -> Self {
        let centres =
            if role == Role::Caseworker { COHORT_CENTRES.map(str::to_owned).to_vec() } else { vec![] };
        TestUser { username: format!("test-{}", role.code()), role, centres }
    }

    /// A caseworker of the given centres only.
    pub fn caseworker(username: &str, centres: &[&str]) -> Self {
        let centres = centres.iter().map(|c| (*c).to_owned()).collect();
        TestUser { username: username.to_owned(), role: Role::Caseworker, centres }
    }

    /// The user's password (tests only): one per user, not containing the username, which the
    /// password policy refuses.
    pub fn password(&self) -> String {
        let tag = self.username.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        format!("blå-hest-{tag:x}-kaffe")
    }
}

/// The signed-in state of the client.
#[derive(Debug, Default)]
struct Login {
    csrf: String,
    role: Option<Role>,
    purposes: HashSet<i64>,
}

/// A running application and an HTTP client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    pub client: reqwest::Client,
    /// The application's store, for setting up users and reading the audit log.
    pub store: Store,
    cookies: Arc<Jar>,
    login: Mutex<Login>,
    auto_purpose: Mutex<bool>,
    _db: TestDatabase,
}

/// Starts the application over `db`, seeded with the memo, signed in as the default caseworker.
pub async fn spawn_app(db: TestDatabase) -> TestApp {
    let app = spawn_anonymous(db).await;
    app.login_as(Role::Caseworker).await;
    app
}

/// Starts the application with nobody signed in.
pub async fn spawn_anonymous(db: TestDatabase) -> TestApp {
    spawn_with(db, None).await
}

/// Starts the application with these sign-in rate limits and nobody signed in.
pub async fn spawn_with_limits(db: TestDatabase, limits: LoginLimits) -> TestApp {
    spawn_with(db, Some(limits)).await
}

/// Starts the application within these server timeouts and connection limit, nobody signed in.
pub async fn spawn_with_server_limits(db: TestDatabase, server: ServerLimits) -> TestApp {
    spawn_full(db, None, server).await
}

async fn spawn_with(db: TestDatabase, limits: Option<LoginLimits>) -> TestApp {
    spawn_full(db, limits, ServerLimits::default()).await
}

async fn spawn_full(db: TestDatabase, limits: Option<LoginLimits>, server: ServerLimits) -> TestApp {
    let store = db.open_seeded().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    // Plain HTTP on the loopback address: a `Secure` cookie would not be sent back.
    let mut state = AppState::load(store.clone()).await.expect("load case data").with_secure_cookies(false);
    if let Some(limits) = limits {
        state = state.with_login_limits(limits);
    }
    tokio::spawn(serve_with_limits(state, listener, server));
    let cookies = Arc::new(Jar::default());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(cookies.clone())
        .build()
        .expect("HTTP client");
    TestApp {
        base,
        client,
        store,
        cookies,
        login: Mutex::new(Login::default()),
        auto_purpose: Mutex::new(true),
        _db: db,
    }
}

/// Signs in through the sign-in form with `client` (which must keep cookies: the form's token
/// is double-submitted), as a browser does: GET the form, POST it.
pub async fn login_with(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let form = client.get(format!("{base}/login")).send().await.expect("GET /login");
    let html = form.text().await.expect("login page");
    let form = &html[html.find("<form id=\"login\"").expect("the sign-in form")..];
    let token = form
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries a token")
        .to_owned();
    let fields = [("username", username), ("password", password), ("csrf_token", &token), ("next", "/")];
    client.post(format!("{base}/login")).form(&fields).send().await.expect("POST /login")
}

/// A client of its own (a stranger's browser): keeps cookies, follows no redirects.
pub fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("HTTP client")
}

/// Where a registration leads that does not open a citizen of the caseworker's centres.
pub const RECEIVED: &str = "/borgere/ny?modtaget=1";

/// The citizen id of a path `/borgere/{id}` or `/borgere/{id}/…`, if it is one.
fn citizen_in(path: &str) -> Option<i64> {
    let rest = path.strip_prefix("/borgere/")?;
    let id = rest.split(['/', '?', '#']).next()?;
    id.parse().ok()
}

impl TestApp {
    /// Creates the user unless it exists (with its [`TestUser::password`]) and returns its id.
    pub async fn ensure_user(&self, user: &TestUser) -> i64 {
        if let Some(existing) = self.store.user_by_username(&user.username).await.expect("read user") {
            return existing.id;
        }
        let new = NewUser {
            username: user.username.clone(),
            display_name: format!("Test {}", user.username),
            role: Some(user.role),
            centres: user.centres.clone(),
            password: user.password(),
        };
        // A partner assesses for the SSP leader group of the district of Tingbjerg.
        let partner = match user.role {
            Role::Partner => PartnerAccess {
                source: Some(AssessmentSource::SspLeaderGroup),
                districts: vec![TEST_PARTNER_DISTRICT.to_owned()],
            },
            _ => PartnerAccess::default(),
        };
        let actor = Actor::system("test");
        self.store
            .create_user_with_access(&new, &[], &partner, &actor, Utc::now())
            .await
            .expect("create user")
            .id
    }

    /// Signs the client in as the standard user of `role` (a new session; the old one stays).
    pub async fn login_as(&self, role: Role) {
        self.login_user(&TestUser::of(role)).await;
    }

    /// Signs the client in as `user`, creating the user first if needed.
    pub async fn login_user(&self, user: &TestUser) {
        let id = self.ensure_user(user).await;
        let session = self.store.create_session(id, Utc::now()).await.expect("create session");
        self.set_session_cookie(session.token.as_str());
        *self.login.lock().unwrap() =
            Login { csrf: session.session.csrf_secret, role: Some(user.role), purposes: HashSet::new() };
    }

    /// Puts a session token in the client's cookies (or a made-up one, for fixation tests).
    pub fn set_session_cookie(&self, token: &str) {
        let url: reqwest::Url = self.base.parse().expect("base URL");
        self.cookies.add_cookie_str(&format!("sikkerby_session={token}; Path=/"), &url);
    }

    /// The session token the client holds, if any.
    pub fn session_cookie(&self) -> Option<String> {
        let url: reqwest::Url = self.base.parse().expect("base URL");
        let header = self.cookies.cookies(&url)?;
        let text = header.to_str().ok()?.to_owned();
        text.split(';').find_map(|p| p.trim().strip_prefix("sikkerby_session=").map(str::to_owned))
    }

    /// Forgets the session on the client side (the server still has it).
    pub fn forget_session(&self) {
        self.set_session_cookie("");
        *self.login.lock().unwrap() = Login::default();
    }

    /// The session's CSRF token ("" when signed out).
    pub fn csrf(&self) -> String {
        self.login.lock().unwrap().csrf.clone()
    }

    /// Whether the client answers the purpose question by itself (default: yes).
    pub fn set_auto_purpose(&self, on: bool) {
        *self.auto_purpose.lock().unwrap() = on;
    }

    /// Signs in through the sign-in page: fetches the form (and its token), posts the fields.
    /// Returns the response to the POST; on success the client holds the new session.
    pub async fn login_form(&self, username: &str, password: &str) -> reqwest::Response {
        let response = login_with(&self.client, &self.base, username, password).await;
        if response.status().as_u16() == 303 {
            // The CSRF token of the new session is only in its pages; read it from one.
            let page = self.client.get(format!("{}/budget", self.base)).send().await.expect("GET");
            let html = page.text().await.expect("page");
            let csrf = html
                .split("name=\"csrf_token\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default()
                .to_owned();
            *self.login.lock().unwrap() = Login { csrf, role: None, purposes: HashSet::new() };
        }
        response
    }

    /// As a caseworker would, declares the purpose for a citizen before the first request to
    /// them in this session (when auto-purpose is on).
    async fn purpose_for(&self, path: &str) {
        let Some(id) = citizen_in(path) else { return };
        if path.starts_with(&format!("/borgere/{id}/formaal")) || !*self.auto_purpose.lock().unwrap() {
            return;
        }
        let csrf = {
            let login = self.login.lock().unwrap();
            if login.role != Some(Role::Caseworker) || login.purposes.contains(&id) {
                return;
            }
            login.csrf.clone()
        };
        let fields = [("formaal", "sagsbehandling"), ("csrf_token", csrf.as_str())];
        let url = format!("{}/borgere/{id}/formaal", self.base);
        let response = self.client.post(url).form(&fields).send().await.expect("POST purpose");
        if response.status().as_u16() == 303 {
            self.login.lock().unwrap().purposes.insert(id);
        }
    }

    /// Registers a citizen through `POST /borgere/ny` with `fields` (`cpr` among them), asserts
    /// the receipt every new registration answers with ([`RECEIVED`], which never names the
    /// citizen), and returns the new citizen's page, `/borgere/{id}`, found in the store by the
    /// CPR number.
    pub async fn register(&self, fields: &[(&str, &str)]) -> String {
        let response = self.post_form("/borgere/ny", fields).await;
        assert_eq!(response.status().as_u16(), 303, "registered");
        assert_eq!(response.headers()["location"], RECEIVED, "the receipt");
        let cpr = fields.iter().find(|(k, _)| *k == "cpr").expect("a cpr field").1;
        let cpr = sikkerby_domain::cpr::Cpr::parse(cpr).expect("a CPR number").cpr;
        let id = self.store.citizen_id_by_cpr(&cpr).await.expect("read").expect("the citizen was created");
        format!("/borgere/{id}")
    }

    /// GETs `path` and returns the response.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.purpose_for(path).await;
        self.client.get(format!("{}{path}", self.base)).send().await.expect("request")
    }

    /// POSTs a form with the session's CSRF token added, and returns the response.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.purpose_for(path).await;
        let csrf = self.csrf();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &csrf));
        self.client.post(format!("{}{path}", self.base)).form(&all).send().await.expect("POST")
    }

    /// GETs `path`, asserts `status`, and returns the body.
    pub async fn text(&self, path: &str, status: u16) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        response.text().await.expect("body")
    }

    /// GETs `path`, asserts `status` and a JSON content type, and returns the parsed body.
    pub async fn json(&self, path: &str, status: u16) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.starts_with("application/json"), "{path}: {content_type}");
        response.json().await.expect("JSON body")
    }
}

/// Signs a real browser in through the sign-in page as `user` (created if needed), and waits
/// until it has left the page.
pub async fn sign_in_browser(
    browser: &fantoccini::Client,
    app: &TestApp,
    user: &TestUser,
) -> Result<(), fantoccini::error::CmdError> {
    use fantoccini::Locator;
    app.ensure_user(user).await;
    browser.goto(&format!("{}/login", app.base)).await?;
    browser.find(Locator::Id("login-username")).await?.send_keys(&user.username).await?;
    browser.find(Locator::Id("login-password")).await?.send_keys(&user.password()).await?;
    browser.find(Locator::Css("#login button[type=submit]")).await?.click().await?;
    for _ in 0..100 {
        if !browser.current_url().await?.path().starts_with("/login") {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = browser.find(Locator::Css("main")).await?.text().await.unwrap_or_default();
    panic!("the browser was not signed in; the page says: {page}");
}
