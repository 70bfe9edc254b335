//! The computed safety index, kept between requests. Computing it (with its bootstrap) takes a
//! noticeable fraction of a second at city scale, the dashboard needs it on every load, and the
//! inputs change only with a `tryghed/` import or a configuration change. Both move the store's
//! [`Store::index_stamp`], so one small query tells whether the kept result is still current,
//! also when the import ran in another process (the CLI beside a running server).

use sikkerby_domain::safety_index::{compute, IndexConfig, IndexResult};
use sikkerby_store::{Store, StoreError};
use std::sync::Arc;
use tokio::sync::Mutex;

struct Cached {
    stamp: (i64, i64),
    result: Arc<IndexResult>,
    config: Arc<IndexConfig>,
}

/// The kept index; cheap to clone (shared).
#[derive(Clone, Default)]
pub(crate) struct IndexCache {
    // A mutex rather than a read-write lock: two requests arriving together wait for one
    // computation instead of both starting one.
    cached: Arc<Mutex<Option<Cached>>>,
}

impl IndexCache {
    /// The index over the stored inputs and configuration, computed again only when they changed.
    pub async fn get(&self, store: &Store) -> Result<(Arc<IndexResult>, Arc<IndexConfig>), StoreError> {
        let stamp = store.index_stamp().await?;
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| c.stamp == stamp) {
            return Ok((c.result.clone(), c.config.clone()));
        }
        let started = std::time::Instant::now();
        let inputs = store.index_inputs().await?;
        let config = Arc::new(store.index_config().await?);
        let for_task = config.clone();
        let result = match tokio::task::spawn_blocking(move || compute(&inputs, &for_task)).await {
            Ok(result) => Arc::new(result),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        };
        tracing::info!(
            years = result.years.len(),
            config_version = result.config_version,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "safety index computed"
        );
        *cached = Some(Cached { stamp, result: result.clone(), config: config.clone() });
        Ok((result, config))
    }

    /// Starts computing the index in the background, so that the first page needing it does
    /// not wait (a server calls this once it has started).
    pub fn warm(&self, store: &Store) {
        let (cache, store) = (self.clone(), store.clone());
        tokio::spawn(async move {
            if let Err(error) = cache.get(&store).await {
                tracing::warn!(%error, "the safety index could not be computed in advance");
            }
        });
    }

    /// Forgets the kept index (the next use computes it again).
    pub async fn clear(&self) {
        *self.cached.lock().await = None;
    }
}
