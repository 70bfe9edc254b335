//! The sign-in tests' identity providers, started and stopped here: `tools/oidc/provider.mjs`
//! under node, either the real one (panva's certified `oidc-provider`, with its own sign-in
//! page) or the hostile one that answers with the ID token a test asks for. Both are real HTTP
//! servers; Sikker By discovers them, exchanges codes with them and checks their tokens exactly
//! as it would Entra ID's. `oidc-provider` is pinned in tools/oidc/package-lock.json and
//! installed by scripts/test.sh (`npm ci --prefix tools/oidc`).

#![allow(dead_code)]

use reqwest::cookie::Jar;
use sikkerby_domain::access::Role;
use sikkerby_store::audit::AuditRecord;
use sikkerby_store::Store;
use sikkerby_testkit::TestDatabase;
use sikkerby_web::auth::oidc::{GroupRule, OidcConfig, Provider};
use sikkerby_web::server::ServerLimits;
use sikkerby_web::{serve_with_limits, AppState};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

pub const CLIENT_ID: &str = "sikkerby";
pub const CLIENT_SECRET: &str = "test-secret-for-the-test-provider-only";

/// Which provider to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Real,
    Hostile,
}

/// A provider process, killed when dropped.
pub struct Idp {
    pub issuer: String,
    mode: Mode,
    base: String,
    child: Child,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tools_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/oidc")
}

impl Idp {
    /// Starts the provider for a Sikker By at `base`; panics with the fix when node or the
    /// package is missing (scripts/test.sh installs both).
    pub fn start(mode: Mode, base: &str) -> Idp {
        Self::start_with(mode, base, None, "real-1")
    }

    /// Stops the provider and starts it again on the same address with a new signing key: to
    /// Sikker By, which keeps the keys it fetched, the provider has rotated its key.
    pub fn restart_with_key(&mut self, key_id: &str) {
        let port = self.issuer.rsplit(':').next().and_then(|p| p.parse().ok()).expect("the issuer's port");
        let _ = self.child.kill();
        let _ = self.child.wait();
        *self = Self::start_with(self.mode, &self.base.clone(), Some(port), key_id);
    }

    fn start_with(mode: Mode, base: &str, port: Option<u16>, key_id: &str) -> Idp {
        let dir = tools_dir();
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "oidc-provider is not installed: run `npm ci --prefix tools/oidc` (scripts/test.sh does)"
        );
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .arg(if mode == Mode::Hostile { "hostile" } else { "real" })
            .env("CLIENT_ID", CLIENT_ID)
            .env("CLIENT_SECRET", CLIENT_SECRET)
            .env("REDIRECT_URI", format!("{base}/login/oidc/callback"))
            .env("POST_LOGOUT_URI", format!("{base}/login?ud=1"))
            .env("PORT", port.unwrap_or(0).to_string())
            .env("KEY_ID", key_id)
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("OIDC_TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("start node (apt-get install nodejs npm)");
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().expect("provider's stdout"));
        stdout.read_line(&mut line).expect("the provider's first line");
        // Drained until the provider ends: a closed pipe would kill node at its next line.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let issuer =
            line.trim().strip_prefix("listening ").unwrap_or_else(|| panic!("provider said {line:?}"));
        Idp { issuer: issuer.to_owned(), mode, base: base.to_owned(), child }
    }
}

/// The mapping of the tests: the provider's accounts are in these groups.
pub fn test_rules() -> Vec<GroupRule> {
    vec![
        GroupRule {
            group: "sb-administratorer".into(),
            role: Role::Admin,
            centres: vec![],
            caseworker_codes: vec![],
        },
        GroupRule {
            group: "sb-sagsbehandlere-nord".into(),
            role: Role::Caseworker,
            centres: vec!["JKU Nord".into()],
            caseworker_codes: vec!["JKU-A17".into()],
        },
        GroupRule {
            group: "sb-analytikere".into(),
            role: Role::Analyst,
            centres: vec![],
            caseworker_codes: vec![],
        },
    ]
}

/// Sikker By signing in through a test provider.
pub struct OidcApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub idp: Idp,
    _db: TestDatabase,
}

/// A client that keeps cookies (for both sites: they differ by port only) and follows no
/// redirects by itself.
pub fn browser_like_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(Arc::new(Jar::default()))
        .build()
        .expect("HTTP client")
}

/// Starts a provider and Sikker By (SQLite) signing in through it, the settings changed by `tweak`.
pub async fn spawn(mode: Mode, tweak: impl FnOnce(&mut OidcConfig), password_sign_in: bool) -> OidcApp {
    let db = TestDatabase::create(sikkerby_testkit::TestBackend::Sqlite).await.expect("SQLite");
    let store = db.open_seeded().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let idp = Idp::start(mode, &base);
    let mut config = OidcConfig::new(&idp.issuer, CLIENT_ID, &format!("{base}/login/oidc/callback"));
    config.client_secret = Some(CLIENT_SECRET.into());
    config.post_logout_redirect_url = Some(format!("{base}/login?ud=1"));
    config.groups = test_rules();
    config.provider_name = "Testudbyderen".into();
    tweak(&mut config);
    let provider = Provider::discover(config).await.expect("discover the test provider");
    let state = AppState::load(store.clone())
        .await
        .expect("load case data")
        .with_secure_cookies(false)
        .with_oidc(Some(provider))
        .with_password_sign_in(password_sign_in);
    tokio::spawn(serve_with_limits(state, listener, ServerLimits::default()));
    OidcApp { base, client: browser_like_client(), store, idp, _db: db }
}

/// A response's status, final URL and body.
pub struct Page {
    pub status: u16,
    pub url: String,
    pub body: String,
}

/// Follows redirects (at most 20) from `url` with `client`, as a browser does.
pub async fn follow(client: &reqwest::Client, url: &str) -> Page {
    let mut url = url.to_owned();
    for _ in 0..20 {
        let response = client.get(&url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
        if response.status().is_redirection() {
            let location = response.headers()["location"].to_str().expect("location").to_owned();
            url = response.url().join(&location).expect("redirect URL").to_string();
            continue;
        }
        let status = response.status().as_u16();
        return Page { status, url, body: response.text().await.expect("body") };
    }
    panic!("more than 20 redirects from {url}");
}

impl OidcApp {
    /// Signs in at the real provider's page as `account`, from Sikker By's `/login/oidc`; the
    /// page Sikker By answers with at the end.
    pub async fn sign_in_real(&self, account: &str) -> Page {
        let login = follow(&self.client, &format!("{}/login/oidc", self.base)).await;
        assert!(login.url.contains("/interaction/"), "the provider's sign-in page: {}", login.url);
        let action = format!("{}/login", login.url.split('?').next().unwrap_or_default());
        let response = self
            .client
            .post(&action)
            .form(&[("login", account), ("password", "any")])
            .send()
            .await
            .expect("POST the provider's form");
        assert!(response.status().is_redirection(), "the provider took the sign-in: {}", response.status());
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        follow(&self.client, response.url().join(&location).expect("URL").as_str()).await
    }

    /// Tells the hostile provider which token to answer with next, then signs in through it.
    pub async fn sign_in_hostile(&self, case: &str) -> Page {
        let set = self.client.get(format!("{}/case/{case}", self.idp.issuer)).send().await.expect("set case");
        assert!(set.status().is_success());
        follow(&self.client, &format!("{}/login/oidc", self.base)).await
    }

    /// The newest audit row.
    pub async fn last_audit(&self) -> AuditRecord {
        self.store.audit_entries(None, 1).await.expect("audit log").remove(0)
    }
}

/// The refusal code a refused page shows.
pub fn refusal_code(page: &Page) -> String {
    let start = page.body.find("id=\"refusal-code\">").map(|i| i + "id=\"refusal-code\">".len());
    start.and_then(|s| page.body[s..].split('<').next()).unwrap_or("").to_owned()
}
