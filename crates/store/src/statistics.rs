//! The query planner's statistics after bulk writes.
//!
//! PostgreSQL plans from table statistics that autovacuum gathers some time after data changed
//! (and never where autovacuum is off). Right after an import or a restore the tables may hold
//! millions of rows the planner has not seen, and it then picks sequential scans for the
//! per-citizen lookups of a citizen page (measured: the offers of one citizen scanned all 6,594
//! offers of the demo data, 1 ms instead of 0.1 ms, which halved the citizen page's throughput).
//! So every bulk write refreshes them at once: `ANALYZE` on PostgreSQL, `PRAGMA optimize` on
//! SQLite (which analyses only the tables whose statistics it finds stale).

use crate::{Backend, Store};

impl Store {
    /// Refreshes the planner's statistics after a bulk write. The data is already committed, so
    /// a failure here is logged and not returned: the figures are right either way, only slower.
    pub async fn refresh_planner_statistics(&self) {
        let statement = match self.backend {
            Backend::Postgres => "ANALYZE",
            Backend::Sqlite => "PRAGMA optimize",
        };
        let started = std::time::Instant::now();
        match sqlx::query(statement).execute(&self.pool).await {
            Ok(_) => tracing::info!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "planner statistics refreshed"
            ),
            Err(error) => tracing::warn!(%error, "refreshing the planner statistics failed"),
        }
    }
}
