//! The audit row of a case write, committed in the write's own transaction.
//!
//! A caseworker's form post changes a citizen's records and must leave an audit row; written in
//! two transactions, a crash between them would keep the change without its row. The store's
//! write methods do not take an audit entry (the CLI's imports and the tests call them too), so
//! the web handler runs the write inside [`audited_write`], and every case-write transaction
//! appends the entry set there (if any) just before it commits: change and row, all or none.

use super::{append, AuditEntry};
use crate::StoreError;
use sqlx::AnyConnection;
use std::future::Future;

tokio::task_local! {
    /// The audit entry of the case write running in this task.
    static WRITE_AUDIT: AuditEntry;
}

/// Runs `write` (a store call that changes a citizen's records) so that its transaction also
/// appends `entry`.
pub async fn audited_write<F: Future>(entry: AuditEntry, write: F) -> F::Output {
    WRITE_AUDIT.scope(entry, write).await
}

/// Appends the entry of the surrounding [`audited_write`], if there is one, inside the caller's
/// transaction, about the citizen the transaction changed (which a registration's entry cannot
/// know beforehand).
/// Only a committing `CaseWrite` holds the token (`crate::cases::write`).
pub(crate) async fn append_write_audit(
    conn: &mut AnyConnection,
    written: &crate::cases::write::CitizenWritten,
) -> Result<(), StoreError> {
    let Ok(mut entry) = WRITE_AUDIT.try_with(AuditEntry::clone) else { return Ok(()) };
    entry.person_id = Some(written.citizen_id());
    append(conn, &entry).await?;
    Ok(())
}
