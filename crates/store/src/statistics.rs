//! The query planner's statistics after bulk writes.
//!
//! PostgreSQL plans from table statistics that autovacuum gathers some time after data changed
//! (and never where autovacuum is off). Right after an import or a restore the tables may hold
//! millions of rows the planner has not seen, and it then picks sequential scans for the
//! per-citizen lookups of a citizen page (measured: the offers of one citizen scanned all 6,594
//! offers of the demo data, 1 ms instead of 0.1 ms, which halved the citizen page's throughput).
//! So every bulk write runs `ANALYZE` at once. SQLite needs nothing: without statistics its
//! planner takes an index as selective, which is what these lookups want (and its
//! `PRAGMA optimize` analyses nothing on a fresh pool connection anyway).

use crate::{Backend, Store};

impl Store {
    /// Refreshes PostgreSQL's planner statistics after a bulk write (nothing to do on SQLite).
    /// The data is already committed, so a failure here is logged and not returned: the figures
    /// are right either way, only slower.
    pub async fn refresh_planner_statistics(&self) {
        if self.backend != Backend::Postgres {
            return;
        }
        let started = std::time::Instant::now();
        match sqlx::query("ANALYZE").execute(&self.pool).await {
            Ok(_) => tracing::info!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "planner statistics refreshed"
            ),
            Err(error) => tracing::warn!(%error, "refreshing the planner statistics failed"),
        }
    }
}
