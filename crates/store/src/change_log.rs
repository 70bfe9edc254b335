//! The change log of case data: how several `sikkerby serve` instances on one database (and a
//! CLI import beside a running server) keep their in-memory case data current without telling
//! each other anything.
//!
//! Every store write that changes what [`Store::load_case_data`] reads appends a row to
//! `case_changes` in the same transaction as the change: the citizen it concerns, or NULL for
//! "everything may have changed" (an import, a retention run, new code lists). A reader remembers
//! the last seq it has applied and asks [`Store::case_changes_since`] for what came after: one
//! primary-key range query.
//!
//! Seq order is commit order, on both backends, so a reader that has seen seq `n` can never later
//! find a newly committed row below `n`:
//! - SQLite has one writer at a time, and a row's seq is taken inside that writer's transaction.
//! - On PostgreSQL a sequence value is taken at insert time, so without care a transaction that
//!   took seq 7 could commit after one that took seq 8, and a reader between the two commits would
//!   skip 7 for good. Each append therefore first takes a transaction-scoped advisory lock: the
//!   next append waits until the previous transaction has committed (or rolled back), so seqs are
//!   handed out and committed in the same order. The append is the last statement before commit,
//!   so the lock is held for a moment only, and it is taken after any other lock of the
//!   transaction (no lock-order deadlock). Re-reading a window of recent seqs instead would leave
//!   a gap whose width is a guess about how long transactions may stay open.
//!
//! The log is pruned by the writer to the newest [`KEEP_CHANGES`] rows. Pruning removes a prefix
//! and never the newest row, so a reader whose own last row is still there has missed nothing;
//! one whose last row is gone was too far behind and reloads everything.

use crate::audit::timestamp;
use crate::{Store, StoreError};
use chrono::Utc;
use sqlx::{AnyConnection, Row};

/// Rows of the log kept; an instance further behind than this reloads everything.
pub const KEEP_CHANGES: i64 = 10_000;

/// More changed rows than this since a reader last looked, and it reloads everything: re-reading
/// that many citizens one by one costs more than one streaming pass over all of them.
pub const MAX_CITIZEN_CHANGES: usize = 500;

/// The PostgreSQL advisory lock key that serialises appends (any constant no other code uses;
/// this one spells "sb case").
const APPEND_LOCK: i64 = 0x5b_ca5e;

/// What changed after a given seq.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseChanges {
    /// Nothing.
    Nothing,
    /// These citizens' records changed (each once, in order of first change); the log's last
    /// row read was `through`.
    Citizens { ids: Vec<i64>, through: i64 },
    /// A bulk change, too many changes, or the log was pruned past the seq: reload everything.
    Everything,
}

/// Appends "everything may have changed" (an import, a retention run, new code lists) inside
/// the caller's transaction, as its last statement before commit.
pub(crate) async fn append_everything(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    append(conn, None).await
}

/// Appends the change of one citizen's records. Only a committing
/// [`CaseWrite`](crate::cases::write) holds the token, so no write of one citizen's records can
/// log itself by hand, or forget to.
pub(crate) async fn append_citizen(
    conn: &mut AnyConnection,
    written: &crate::cases::write::CitizenWritten,
) -> Result<(), sqlx::Error> {
    append(conn, Some(written.citizen_id())).await
}

/// Appends a change to the log inside the caller's transaction, as its last statement before
/// commit (see the module docs for why). `None` = everything may have changed.
async fn append(conn: &mut AnyConnection, citizen: Option<i64>) -> Result<(), sqlx::Error> {
    if conn.backend_name() == "PostgreSQL" {
        // `::text`: the function returns `void`, which the `Any` driver cannot decode.
        sqlx::query("SELECT pg_advisory_xact_lock($1)::text").bind(APPEND_LOCK).execute(&mut *conn).await?;
    }
    let row = sqlx::query("INSERT INTO case_changes (citizen_id, changed_at) VALUES ($1, $2) RETURNING seq")
        .bind(citizen)
        .bind(timestamp(Utc::now()))
        .fetch_one(&mut *conn)
        .await?;
    let seq: i64 = row.try_get(0)?;
    // Usually deletes the one row that fell out of the window: an index range, cheap.
    sqlx::query("DELETE FROM case_changes WHERE seq <= $1")
        .bind(seq - KEEP_CHANGES)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// The newest seq of the log (0 when empty). Read it before loading case data: every change
    /// after it is then found by [`Store::case_changes_since`].
    pub async fn case_change_head(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT MAX(seq) FROM case_changes").fetch_one(&self.pool).await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
    }

    /// What changed after `after` (a seq read from the log, or 0 for an empty log).
    pub async fn case_changes_since(&self, after: i64) -> Result<CaseChanges, StoreError> {
        // The row `after` itself comes first when it is still there: proof that nothing after
        // it was pruned. One row more than the limit tells "too many".
        let rows =
            sqlx::query("SELECT seq, citizen_id FROM case_changes WHERE seq >= $1 ORDER BY seq LIMIT $2")
                .bind(after)
                .bind(MAX_CITIZEN_CHANGES as i64 + 2)
                .fetch_all(&self.pool)
                .await?;
        let mut changes = Vec::with_capacity(rows.len());
        for row in &rows {
            changes.push((row.try_get::<i64, _>("seq")?, row.try_get::<Option<i64>, _>("citizen_id")?));
        }
        Ok(interpret(after, &changes))
    }

    /// Keeps the newest `keep` rows of the log (at least one) and says how many were deleted.
    /// The writers do this as they go; this is for a one-off clean-up and the tests.
    pub async fn prune_case_changes(&self, keep: i64) -> Result<u64, StoreError> {
        let done =
            sqlx::query("DELETE FROM case_changes WHERE seq <= (SELECT MAX(seq) FROM case_changes) - $1")
                .bind(keep.max(1))
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected())
    }

    /// Records that case data changed in bulk (every reader reloads), for a change made outside
    /// the store's own write paths, e.g. by hand in SQL.
    pub async fn case_data_changed_in_bulk(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        append_everything(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Reads the rows from `after` on (see [`Store::case_changes_since`]).
fn interpret(after: i64, rows: &[(i64, Option<i64>)]) -> CaseChanges {
    let newer = match rows.first() {
        Some(&(seq, _)) if seq == after => &rows[1..],
        // An empty log has no row 0; its first row is 1 unless something was pruned (or, on
        // PostgreSQL, seq 1 was rolled back: then one needless reload).
        Some(&(1, _)) if after == 0 => rows,
        None if after == 0 => &[],
        // The row `after` was pruned (or the database was restored to an older state).
        _ => return CaseChanges::Everything,
    };
    let Some(&(through, _)) = newer.last() else { return CaseChanges::Nothing };
    if newer.len() > MAX_CITIZEN_CHANGES || newer.iter().any(|(_, c)| c.is_none()) {
        return CaseChanges::Everything;
    }
    let mut ids: Vec<i64> = Vec::new();
    for id in newer.iter().filter_map(|(_, c)| *c) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    CaseChanges::Citizens { ids, through }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_whose_own_row_is_still_logged_gets_the_citizens_after_it_once_each() {
        let rows = [(4, Some(1)), (5, Some(9)), (7, Some(1))];
        assert_eq!(interpret(4, &rows), CaseChanges::Citizens { ids: vec![9, 1], through: 7 });
        assert_eq!(interpret(4, &rows[..1]), CaseChanges::Nothing);
    }

    #[test]
    fn a_reader_whose_own_row_was_pruned_reloads_everything() {
        assert_eq!(interpret(3, &[(4, Some(1))]), CaseChanges::Everything);
        assert_eq!(interpret(3, &[]), CaseChanges::Everything);
        assert_eq!(interpret(0, &[(2, Some(1))]), CaseChanges::Everything);
    }

    #[test]
    fn a_reader_of_an_empty_log_reads_from_its_first_row() {
        assert_eq!(interpret(0, &[]), CaseChanges::Nothing);
        assert_eq!(interpret(0, &[(1, Some(5))]), CaseChanges::Citizens { ids: vec![5], through: 1 });
    }

    /// The commit-order guarantee itself, against a real PostgreSQL: while one transaction
    /// holds an appended seq uncommitted, a second append cannot take the next seq and commit
    /// (a reader would then see seq 2 and skip seq 1 for good).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres_an_append_waits_until_the_previous_appender_has_committed() {
        use sikkerby_testkit::{TestBackend, TestDatabase};
        let Some(db) = TestDatabase::create(TestBackend::Postgres).await else { return };
        let store = Store::open(&db.url).await.unwrap();
        let mut first = store.pool.begin().await.unwrap();
        append(&mut first, Some(1)).await.unwrap();
        let other = store.clone();
        let second = tokio::spawn(async move {
            let mut tx = other.pool.begin().await.unwrap();
            append(&mut tx, Some(2)).await.unwrap();
            tx.commit().await.unwrap();
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!second.is_finished(), "the second append waits for the first transaction");
        assert_eq!(store.case_change_head().await.unwrap(), 0, "nothing is visible yet");
        first.commit().await.unwrap();
        second.await.unwrap();
        let rows = sqlx::query("SELECT seq, citizen_id FROM case_changes ORDER BY seq")
            .fetch_all(&store.pool)
            .await
            .unwrap();
        let rows: Vec<(i64, Option<i64>)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(rows, [(1, Some(1)), (2, Some(2))], "seq order is commit order");
        store.close().await;
    }

    #[test]
    fn a_bulk_change_or_too_many_changes_mean_reload_everything() {
        assert_eq!(interpret(1, &[(1, Some(1)), (2, None)]), CaseChanges::Everything);
        let many: Vec<(i64, Option<i64>)> =
            (1..=MAX_CITIZEN_CHANGES as i64 + 2).map(|s| (s, Some(s))).collect();
        assert_eq!(interpret(1, &many), CaseChanges::Everything);
        assert!(matches!(interpret(1, &many[..MAX_CITIZEN_CHANGES + 1]), CaseChanges::Citizens { .. }));
    }
}
