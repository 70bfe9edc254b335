//! Shared test support: the real application on port 0 over a fresh, seeded database.

#![allow(dead_code)]

use sikkerby_testkit::TestDatabase;
use sikkerby_web::{serve, AppState};

/// A running application and an HTTP client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    pub client: reqwest::Client,
    _db: TestDatabase,
}

/// Starts the application on a free port over `db`, seeded with the memo.
pub async fn spawn_app(db: TestDatabase) -> TestApp {
    let store = db.open_seeded().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let state = AppState::load(store).await.expect("load case data");
    tokio::spawn(serve(state, listener));
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("HTTP client");
    TestApp { base, client, _db: db }
}

impl TestApp {
    /// GETs `path` and returns the response.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("request")
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
