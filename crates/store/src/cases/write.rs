//! The one path of a write to a citizen's case records.
//!
//! A [`CaseWrite`] is the only way to change one citizen's records: it opens the transaction,
//! and its [`CaseWrite::commit`] is the only way to end it with the change kept. Commit does, in
//! the same transaction and in this order: brings the citizen's follow-ups in line with their
//! anchors, stores the history of every corrected fact ([`CaseWrite::correct`]), appends the
//! audit row of the surrounding `audit::audited_write` (if any), appends the change log the
//! evaluators and the kept timelines follow, and commits. Dropped without commit, the
//! transaction rolls back: a refused change stores nothing.
//!
//! Structural, not a convention: the change log's per-citizen append and the write audit take a
//! [`CitizenWritten`] token that only [`CaseWrite::commit`] can make, so a new write path that
//! bypasses this type cannot log or audit a citizen's change at all, and is easy to see in
//! review. Validation that depends on stored state (is it still open, does it overlap) runs
//! inside the transaction through [`CaseWrite::conn`], so two concurrent posts cannot both pass.

use super::follow_ups::sync_follow_ups;
use super::history::{self, FieldChange};
use super::CaseError;
use crate::{Store, StoreError};
use sikkerby_domain::codes::CodeLists;
use sikkerby_domain::portfolio::Portfolio;
use sqlx::{Any, AnyConnection, Transaction};

/// Proof that a citizen's change is being committed by a [`CaseWrite`]; the change log and the
/// write audit accept nothing else for one citizen's change.
pub(crate) struct CitizenWritten {
    citizen_id: i64,
}

impl CitizenWritten {
    pub(crate) fn citizen_id(&self) -> i64 {
        self.citizen_id
    }
}

/// An open write to one citizen's records (see the module docs).
pub(crate) struct CaseWrite {
    tx: Transaction<'static, Any>,
    /// `None` until a registration knows the id it was given.
    citizen_id: Option<i64>,
    reference: (CodeLists, Portfolio),
    history: Vec<FieldChange>,
}

impl CaseWrite {
    /// Begins a write to `citizen_id`'s records. Writes to one citizen run one at a time: on
    /// PostgreSQL the citizen's row is locked first (SQLite has one writer anyway), so a check
    /// against stored state (an overlap, a record still open) holds until commit.
    pub(crate) async fn begin(store: &Store, citizen_id: i64) -> Result<Self, CaseError> {
        let mut write = Self::begin_registration(store).await?;
        write.citizen_id = Some(citizen_id);
        if write.tx.backend_name() == "PostgreSQL" {
            sqlx::query("SELECT id FROM citizen WHERE id = $1 FOR UPDATE")
                .bind(citizen_id)
                .fetch_optional(&mut *write.tx)
                .await?;
        }
        Ok(write)
    }

    /// Begins the registration of a citizen whose id is known only after the insert
    /// ([`CaseWrite::registered`]).
    pub(crate) async fn begin_registration(store: &Store) -> Result<Self, CaseError> {
        // Read before the transaction: read inside it, through the pool, a few concurrent
        // writes would hold every SQLite connection while waiting for another.
        let reference = (store.code_lists().await?, store.portfolio().await?);
        let tx = store.pool.begin().await?;
        Ok(Self { tx, citizen_id: None, reference, history: Vec::new() })
    }

    /// The citizen a registration created (or found).
    pub(crate) fn registered(&mut self, citizen_id: i64) {
        self.citizen_id = Some(citizen_id);
    }

    /// The transaction, for the write's own statements and the checks against stored state.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Notes a corrected fact; commit stores it as history, with when.
    pub(crate) fn correct(&mut self, change: FieldChange) {
        self.history.push(change);
    }

    /// Syncs follow-ups, stores the history, the audit row and the change log, and commits.
    pub(crate) async fn commit(mut self) -> Result<(), CaseError> {
        let citizen_id = self
            .citizen_id
            .ok_or_else(|| StoreError::Corrupt("a case write committed without its citizen".into()))?;
        let written = CitizenWritten { citizen_id };
        let (codes, portfolio) = &self.reference;
        sync_follow_ups(&mut self.tx, codes, portfolio, Some(citizen_id)).await?;
        history::store(&mut self.tx, citizen_id, &self.history).await?;
        crate::audit::append_write_audit(&mut self.tx, &written).await?;
        crate::change_log::append_citizen(&mut self.tx, &written).await?;
        self.tx.commit().await?;
        Ok(())
    }
}
