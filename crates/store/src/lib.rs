//! The database of Sikker By: one store API over SQLite (the embedded default) and PostgreSQL,
//! chosen by the URL scheme. Every query is written once in the SQL both backends share and runs
//! through sqlx's `Any` driver; only the migrations differ per backend (column types).
//!
//! Dates are stored as ISO-8601 text and money as exact decimal text, so the two backends cannot
//! disagree on a value.

pub mod assessment_round;
pub mod audit;
pub mod backup;
mod case_data;
pub mod cases;
pub mod change_log;
mod error;
pub mod generation;
pub mod indicators;
pub mod opera;
mod portfolio;
pub mod releases;
pub mod reports;
pub mod retention;
pub mod session_purpose;
pub mod sessions;
mod settings;
mod statistics;
pub mod tryghed;
pub mod users;

pub use portfolio::SeedSummary;

pub use change_log::CaseChanges;
pub use error::StoreError;
pub use opera::{
    ExportError, ExportReport, ImportError, ImportOptions, ImportProgress, ImportReport, OperaFile, RowError,
};

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Connection};
use std::str::FromStr;

/// The URL used when neither `--database-url` nor `SIKKERBY_DATABASE_URL` is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://sikkerby.db?mode=rwc";

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl FromStr for Backend {
    type Err = StoreError;
    fn from_str(url: &str) -> Result<Self, Self::Err> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }
}

/// The store: a connection pool and the backend it talks to. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Audit rows waiting for their shared transaction (see `audit::group_commit`).
    audit_queue: std::sync::Arc<audit::AuditQueue>,
    /// Portfolio, criteria, geography and code lists as last read (see `generation`).
    kept_reference: std::sync::Arc<generation::KeptReference>,
    /// Recently opened citizens' timelines, current per the change log (see `cases::kept_timelines`).
    kept_timelines: std::sync::Arc<cases::kept_timelines::KeptTimelines>,
    /// When sessions end (idle and absolute; see `sessions`).
    session_limits: sessions::SessionLimits,
}

/// The PostgreSQL pool size when none is configured: twice the cores plus two (6 on two cores).
/// More connections than the cores can serve only queue inside PostgreSQL: on the 2-core load
/// benchmark, 6 connections gave the dashboard 2,256 req/s at p99 39 ms, 16 gave 1,957 req/s at
/// p99 51 ms (BENCHMARKS.md, "Load"). A database on its own larger machine may want more.
pub fn default_postgres_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    u32::try_from(cores * 2 + 2).unwrap_or(u32::MAX)
}

/// A pooled connection idle at least this long is pinged before it is handed out (a dead one is
/// dropped and another taken). One used more recently is handed out as it is: sqlx's default
/// pings on every acquire, which doubled the round trips of every query under load (the same
/// trade as HikariCP's 500 ms "alive bypass window"; a connection that died within the window
/// fails that one query, and sqlx then discards it).
const PING_WHEN_IDLE_FOR: std::time::Duration = std::time::Duration::from_secs(1);

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    /// Connects to the database at `url` (`sqlite://…` or `postgres://…`) without migrating.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with_pool_size(url, None).await
    }

    /// Connects with at most `pool_size` connections (`None`: 4 on SQLite, on PostgreSQL
    /// [`default_postgres_pool_size`]).
    /// A server sets it from its configuration so that instances × pool size stays below
    /// PostgreSQL's `max_connections`.
    pub async fn connect_with_pool_size(url: &str, pool_size: Option<u32>) -> Result<Self, StoreError> {
        install_default_drivers();
        let backend: Backend = url.parse()?;
        let url = match backend {
            Backend::Sqlite => sqlite_url_with_pragmas(url),
            Backend::Postgres => url.to_owned(),
        };
        // SQLite allows one writer; a small pool avoids "database is locked" under load while
        // WAL mode lets readers proceed beside the writer.
        let max = pool_size.unwrap_or(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => default_postgres_pool_size(),
        });
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .test_before_acquire(false)
            .before_acquire(|connection, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_WHEN_IDLE_FOR {
                        connection.ping().await?;
                    }
                    Ok(true)
                })
            })
            .connect(&url)
            .await
            .map_err(|source| StoreError::Connect { url: redact_url(&url), source })?;
        Ok(Self {
            pool,
            backend,
            audit_queue: Default::default(),
            kept_reference: Default::default(),
            kept_timelines: Default::default(),
            session_limits: Default::default(),
        })
    }

    /// Connects and applies the embedded migrations of the backend.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with_pool_size(url, None).await
    }

    /// [`Store::open`] with a pool size (see [`Store::connect_with_pool_size`]).
    pub async fn open_with_pool_size(url: &str, pool_size: Option<u32>) -> Result<Self, StoreError> {
        let store = Self::connect_with_pool_size(url, pool_size).await?;
        if store.backend == Backend::Sqlite {
            // WAL: a killed process leaves the last committed transaction intact, and readers
            // are not blocked by the writer. The setting is stored in the database file.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&store.pool).await?;
        }
        store.migrate().await?;
        Ok(store)
    }

    /// Applies any migration not yet applied. Safe to call on every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Makes SQLite create the file when it is missing (`mode=rwc`), unless the URL says otherwise.
/// sqlx itself turns foreign keys on and sets a busy timeout for every SQLite connection.
fn sqlite_url_with_pragmas(url: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    let mut url = url.to_owned();
    if !url.contains("mode=") {
        url.push(separator);
        url.push_str("mode=rwc");
    }
    url
}

/// Removes a password from a database URL so it can be shown in an error or a log line.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
