//! The figures' stamp: where the data that criteria results are computed from stands, read in
//! one small query, so that a server may keep computed figures and know whether they are still
//! current, also after a write by another instance or by the CLI.
//!
//! Two counters make it up. Case data has its change log (`case_changes`, see
//! [`crate::change_log`]): its last seq moves with every change to a citizen's records. The
//! reference data (settings and disclosure rules in `meta`, the portfolio and its criteria,
//! geography, code lists, indicator entries, the safety index's configuration and its import
//! stamp) moves `data_generation`, kept by triggers on those tables (migration 0070), so no
//! write path can forget it. Equal stamps mean equal inputs.
//!
//! The generation also lets the store keep what nearly every page reads and seldom changes (the
//! portfolio, its criteria, geography, code lists: JSON documents parsed on every read) in
//! memory: [`Store::kept`] asks for the generation, a one-row query, and reads and parses again
//! only when it has moved.

use crate::{Store, StoreError};
use sqlx::Row;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// A kept value and the generation it was read at.
type Slot = (i64, Arc<dyn Any + Send + Sync>);

/// Reference data kept by name.
#[derive(Default)]
pub(crate) struct KeptReference {
    slots: Mutex<HashMap<&'static str, Slot>>,
}

impl std::fmt::Debug for KeptReference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeptReference")
    }
}

impl KeptReference {
    fn get<T: Clone + 'static>(&self, name: &'static str, generation: i64) -> Option<T> {
        let slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (at, value) = slots.get(name)?;
        (*at == generation).then(|| value.downcast_ref::<T>().cloned()).flatten()
    }

    fn put<T: Send + Sync + 'static>(&self, name: &'static str, generation: i64, value: T) {
        let mut slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        slots.insert(name, (generation, Arc::new(value)));
    }
}

/// Where the figures' inputs stand; equal stamps, equal inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FiguresStamp {
    /// The last seq of the case-data change log (0: no change logged yet).
    pub case_changes: i64,
    /// The reference data's generation.
    pub generation: i64,
}

impl Store {
    /// The reference data's generation alone.
    pub async fn generation(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT n FROM data_generation WHERE id = 1").fetch_one(self.pool()).await?;
        Ok(row.try_get("n")?)
    }

    /// The value `read` gives, kept under `name` until the generation moves. The generation is
    /// asked first, so a kept value is never older than the generation it is kept under (at
    /// worst newer, which the next, newer generation reads again).
    pub(crate) async fn kept<T, F, Fut>(&self, name: &'static str, read: F) -> Result<T, StoreError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let generation = self.generation().await?;
        self.kept_at(name, generation, read).await
    }

    /// [`Store::kept`] at a generation the caller has just read (with [`Store::figures_stamp`]),
    /// which saves asking for it again.
    pub(crate) async fn kept_at<T, F, Fut>(
        &self,
        name: &'static str,
        generation: i64,
        read: F,
    ) -> Result<T, StoreError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        if let Some(value) = self.kept_reference.get::<T>(name, generation) {
            return Ok(value);
        }
        let value = read().await?;
        self.kept_reference.put(name, generation, value.clone());
        Ok(value)
    }

    /// The current stamp of the figures' inputs.
    pub async fn figures_stamp(&self) -> Result<FiguresStamp, StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM case_changes) AS case_changes,
                    (SELECT n FROM data_generation WHERE id = 1) AS generation",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(FiguresStamp {
            case_changes: row.try_get("case_changes")?,
            generation: row.try_get("generation")?,
        })
    }
}
