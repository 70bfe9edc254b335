//! Group commit of audit rows: many requests, one transaction.
//!
//! Every read of a citizen's page appends an audit row before anything is shown, and appends are
//! serialised by the chain's head (see the module above). One transaction per row would make the
//! commit (an fsync on PostgreSQL, the WAL write on SQLite) the limit of how many citizen pages
//! the whole system can show per second. Instead, rows that arrive while a batch is being
//! written wait together and go in the next batch, in one transaction: a caller still gets its
//! seq only after its row is committed, so nothing is shown before it is audited, and a crash
//! loses only rows whose callers were never answered.
//!
//! The batch is written by a spawned task, so a request that is cancelled (the client went away)
//! while it leads a batch does not roll back the rows of the requests waiting on it.

use super::{append_many, AuditEntry};
use crate::StoreError;
use sqlx::AnyPool;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tokio::sync::oneshot;

/// The most rows in one transaction; more waiting rows go in the next one.
const MAX_BATCH: usize = 256;

/// A row waiting for its batch, and where its seq (or the batch's error) goes.
struct Waiting {
    ticket: u64,
    entry: AuditEntry,
    done: oneshot::Sender<Result<i64, String>>,
}

/// Rows waiting to be written, and the right to write the next batch.
#[derive(Default)]
pub(crate) struct AuditQueue {
    waiting: Mutex<Vec<Waiting>>,
    next_ticket: AtomicU64,
    writer: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for AuditQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditQueue")
    }
}

impl AuditQueue {
    /// Appends `entry` in the next batch and returns its seq once the batch has committed.
    pub(crate) async fn append(&self, pool: &AnyPool, entry: &AuditEntry) -> Result<i64, StoreError> {
        let (done, committed) = oneshot::channel();
        let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed);
        self.lock_waiting().push(Waiting { ticket, entry: entry.clone(), done });
        // Whoever holds the writer takes every row waiting by then. When our turn comes, an
        // earlier writer may already have taken (and written) ours; otherwise we write a batch.
        loop {
            let _writer = self.writer.lock().await;
            if !self.lock_waiting().iter().any(|w| w.ticket == ticket) {
                break;
            }
            let batch = self.take_batch();
            // A panic in the batch is a bug; its callers then see their answers dropped.
            let _ = tokio::spawn(write_batch(pool.clone(), batch)).await;
        }
        match committed.await {
            Ok(Ok(seq)) => Ok(seq),
            Ok(Err(reason)) => Err(StoreError::Audit(reason)),
            Err(_) => Err(StoreError::Audit("the audit batch was abandoned".into())),
        }
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Vec<Waiting>> {
        // Only pushes and takes happen under this lock; a panic cannot leave it half-changed.
        self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn take_batch(&self) -> Vec<Waiting> {
        let mut waiting = self.lock_waiting();
        let take = waiting.len().min(MAX_BATCH);
        waiting.drain(..take).collect()
    }
}

/// Writes one batch in one transaction and answers every caller in it.
async fn write_batch(pool: AnyPool, batch: Vec<Waiting>) {
    match append_all(&pool, &batch).await {
        Ok(seqs) => {
            for (waiting, seq) in batch.into_iter().zip(seqs) {
                let _ = waiting.done.send(Ok(seq));
            }
        }
        Err(error) => {
            let reason = error.to_string();
            for waiting in batch {
                let _ = waiting.done.send(Err(reason.clone()));
            }
        }
    }
}

async fn append_all(pool: &AnyPool, batch: &[Waiting]) -> Result<Vec<i64>, StoreError> {
    let mut tx = pool.begin().await?;
    let entries: Vec<&AuditEntry> = batch.iter().map(|waiting| &waiting.entry).collect();
    let seqs = append_many(&mut tx, &entries).await?;
    tx.commit().await?;
    Ok(seqs)
}
