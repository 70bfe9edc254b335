//! Test support: a fresh, migrated and seeded store per test, on either backend, so the same
//! test body runs against SQLite and PostgreSQL.
//!
//! PostgreSQL is found at `SIKKERBY_TEST_POSTGRES_URL` (default: the machine's local server).
//! Where it cannot be reached, PostgreSQL tests are skipped with a message, except under
//! `CI=true`, where an unreachable PostgreSQL is a failure: CI must never pass by skipping.

pub mod tryghed;

use sikkerby_store::Store;
use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

/// Where the tests look for PostgreSQL unless told otherwise.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The two backends a store test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// A database created for one test; the SQLite file lives as long as this value, and a
/// PostgreSQL database is dropped with it.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres_name: Option<String>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else { return };
        // Drop runs inside the test's runtime, which cannot block on async work: a separate
        // thread with its own small runtime drops the database (FORCE ends leftover connections).
        let admin_url = postgres_admin_url();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let mut admin = sqlx::AnyConnection::connect(&admin_url).await.ok()?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await
                    .ok()
            })
        });
        let _ = dropped.join();
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn postgres_admin_url() -> String {
    std::env::var("SIKKERBY_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

impl TestDatabase {
    /// Creates an empty database, or `None` when PostgreSQL is unreachable outside CI.
    pub async fn create(backend: TestBackend) -> Option<Self> {
        match backend {
            TestBackend::Sqlite => Some(Self::sqlite()),
            TestBackend::Postgres => Self::postgres().await,
        }
    }

    fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        Self { url, _dir: Some(dir), postgres_name: None }
    }

    async fn postgres() -> Option<Self> {
        let admin_url = postgres_admin_url();
        sqlx::any::install_default_drivers();
        let mut admin = match sqlx::AnyConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(e) if !in_ci() => {
                eprintln!("skipping PostgreSQL test: cannot connect ({e})");
                return None;
            }
            Err(e) => panic!("CI=true and PostgreSQL is unreachable at {admin_url}: {e}"),
        };
        let name = format!(
            "sikkerby_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or_default()
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
        Some(Self { url: format!("{base}/{name}"), _dir: None, postgres_name: Some(name) })
    }

    /// Opens (migrates) a store on this database without seeding it.
    pub async fn open(&self) -> Store {
        Store::open(&self.url).await.expect("open store")
    }

    /// Opens a store with the memo's seed loaded.
    pub async fn open_seeded(&self) -> Store {
        let store = self.open().await;
        let seed = sikkerby_domain::seed::load().expect("seed");
        store.load_seed(&seed).await.expect("load seed");
        store
    }
}

/// Runs the same async test body on SQLite and on PostgreSQL, one test function each:
/// `store_test!(name_that_reads_as_a_sentence, |db| async move { … });`
#[macro_export]
macro_rules! store_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let db = $crate::TestDatabase::create($crate::TestBackend::Sqlite).await.unwrap();
                ($body)(db).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if let Some(db) = $crate::TestDatabase::create($crate::TestBackend::Postgres).await {
                    ($body)(db).await;
                }
            }
        }
    };
}
