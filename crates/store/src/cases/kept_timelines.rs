//! Timelines of recently opened citizens, kept in memory while the case-data change log says
//! they are current.
//!
//! A citizen page reads six tables; on PostgreSQL those six round trips were most of the
//! page's cost under load. The change log (`crate::change_log`) already tells, in one
//! primary-key query, which citizens changed after a seq, for every writer in every process. So a
//! kept timeline is served only when the log's head the caller has just read (with
//! [`Store::figures_stamp`]) is not newer than the seq the kept timelines are current at; when it
//! is newer, the changes since are read and the changed citizens' timelines are dropped (all of
//! them after a bulk change or when the log was pruned past that seq).
//!
//! Why the race between a read and a write cannot keep a stale timeline: a timeline read from the
//! database is kept only if no catch-up happened while it was being read (`epoch`). A write that
//! commits during the read is in the log after the seq the read started at, so the next request
//! that sees it drops the timeline.
//!
//! The kept timelines are personal data in memory, as the evaluator's case data are: at most
//! [`MAX_KEPT`] citizens (recently opened ones), never logged, gone with the process.

use super::Timeline;
use crate::{CaseChanges, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The most timelines kept; when full, all are dropped and the most recent ones read again.
pub const MAX_KEPT: usize = 2_000;

#[derive(Debug, Default)]
pub(crate) struct KeptTimelines {
    state: Mutex<Kept>,
    /// Held while catching up, so that catch-ups run one at a time, each from where the last
    /// one ended (two from the same seq could otherwise apply an older answer last).
    catching_up: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct Kept {
    /// Every kept timeline holds all changes up to this seq of the log.
    current_at: i64,
    /// Moves with every catch-up: a timeline read across one is not kept.
    epoch: u64,
    timelines: HashMap<i64, Timeline>,
}

impl KeptTimelines {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // Only whole-value inserts and removals happen under the lock; recover from a panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store {
    /// The citizen's timeline as of a change-log head read just before (`case_head`, from
    /// [`Store::figures_stamp`]): from memory when nothing of theirs changed, else from the
    /// database. `None` when there is no such citizen.
    pub async fn timeline_at(&self, id: i64, case_head: i64) -> Result<Option<Timeline>, StoreError> {
        let (current_at, epoch) = {
            let kept = self.kept_timelines.lock();
            (kept.current_at, kept.epoch)
        };
        let epoch = if current_at < case_head { self.catch_up_timelines(case_head).await? } else { epoch };
        if let Some(timeline) = self.kept_timelines.lock().timelines.get(&id) {
            return Ok(Some(timeline.clone()));
        }
        let timeline = self.timeline(id).await?;
        if let Some(timeline) = &timeline {
            let mut kept = self.kept_timelines.lock();
            if kept.epoch == epoch {
                if kept.timelines.len() >= MAX_KEPT {
                    kept.timelines.clear();
                }
                kept.timelines.insert(id, timeline.clone());
            }
        }
        Ok(timeline)
    }

    /// Drops the timelines changed since they were last known current, up to at least
    /// `case_head`, and returns the epoch the kept ones now belong to.
    async fn catch_up_timelines(&self, case_head: i64) -> Result<u64, StoreError> {
        let _one_at_a_time = self.kept_timelines.catching_up.lock().await;
        let from = {
            let kept = self.kept_timelines.lock();
            if kept.current_at >= case_head {
                // Another request caught up while this one waited.
                return Ok(kept.epoch);
            }
            kept.current_at
        };
        let changes = self.case_changes_since(from).await?;
        // After `Everything` nothing is kept, which is current at any head read from now on.
        let head = match changes {
            CaseChanges::Everything => self.case_change_head().await?,
            _ => from,
        };
        let mut kept = self.kept_timelines.lock();
        kept.epoch += 1;
        match changes {
            CaseChanges::Nothing => {}
            CaseChanges::Citizens { ids, through } => {
                for id in ids {
                    kept.timelines.remove(&id);
                }
                kept.current_at = through;
            }
            CaseChanges::Everything => {
                kept.timelines.clear();
                kept.current_at = head;
            }
        }
        Ok(kept.epoch)
    }
}
