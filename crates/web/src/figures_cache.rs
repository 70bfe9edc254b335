//! Published figures kept between requests. The dashboard publishes every year of the trend on
//! each load (a dozen evaluations, each reading criteria, indicator entries, rules and the safety
//! index); unchanged inputs give unchanged figures, so they are kept under the query and the
//! store's [`FiguresStamp`] and computed again only when the stamp moves. The stamp is read
//! before computing, so a kept result is never older than its key says: at worst newer, which
//! the next request's newer stamp recomputes.

use crate::results::Published;
use chrono::NaiveDate;
use sikkerby_domain::engine::Dimension;
use sikkerby_store::generation::FiguresStamp;
use std::collections::VecDeque;
use std::sync::Mutex;

/// How many published evaluations are kept (years x as-of dates x initiatives x dimensions in
/// use at once; the oldest goes first).
const KEPT: usize = 128;

/// What a published evaluation was computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiguresKey {
    pub stamp: FiguresStamp,
    pub year: i32,
    pub as_of: NaiveDate,
    pub initiative: Option<String>,
    pub by: Option<Dimension>,
}

/// The kept figures of this process.
#[derive(Default)]
pub struct FiguresCache {
    kept: Mutex<VecDeque<(FiguresKey, Published)>>,
}

impl FiguresCache {
    /// The figures kept under `key`, if any.
    pub fn get(&self, key: &FiguresKey) -> Option<Published> {
        self.lock().iter().find(|(k, _)| k == key).map(|(_, p)| p.clone())
    }

    /// Keeps `published` under `key`, dropping the entries of older stamps and, past the limit,
    /// the oldest entry. A result of an older stamp than one already kept is not kept.
    pub fn put(&self, key: FiguresKey, published: Published) {
        let mut kept = self.lock();
        if kept.iter().any(|(k, _)| newer(k.stamp, key.stamp)) {
            return;
        }
        kept.retain(|(k, _)| !newer(key.stamp, k.stamp));
        if kept.len() >= KEPT {
            kept.pop_front();
        }
        kept.push_back((key, published));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(FiguresKey, Published)>> {
        // Entries are whole values; a panic elsewhere cannot leave one half-written.
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Whether stamp `a` is past stamp `b` (both counters only ever grow).
fn newer(a: FiguresStamp, b: FiguresStamp) -> bool {
    a != b && a.case_changes >= b.case_changes && a.generation >= b.generation
}
