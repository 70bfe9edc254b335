//! The audit log (docs/domain.md §9): append-only and tamper-evident.
//!
//! Every row stores the hash of the row before it and its own hash,
//! `row_hash = SHA-256(prev_hash || canonical form of the row's fields)`, so changing a row
//! breaks its own hash and removing one leaves a gap in `seq`. The database refuses UPDATE and
//! DELETE on the table (triggers on both backends); [`Store::verify_audit`] finds whatever got
//! past that (someone with the rights to disable triggers). The single-row `audit_head` holds the
//! last seq and hash: appending updates it first, which serialises appends on both backends, and
//! it shows when rows at the end were cut off. Note the head hash that `sikkerby audit verify`
//! prints somewhere outside the database to detect a rewrite of the whole chain.
//!
//! Rows refer to a citizen by internal id only, never by CPR number, and free text is passed
//! through [`mask_cpr_like`] and stripped of control characters
//! ([`sikkerby_domain::terminal_text`]) before it is stored. Disclosures to partners are in [`disclosure`].

mod disclosure;
mod entry;
mod group_commit;
mod in_write;
mod search;

pub use disclosure::{Disclosure, NewDisclosure};
pub use entry::{Actor, AuditAction, AuditEntry, AuditResult};
pub(crate) use group_commit::AuditQueue;
pub(crate) use in_write::append_write_audit;
pub use in_write::audited_write;
pub use search::AuditFilter;

use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDateTime, Utc};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sikkerby_domain::access::{mask_cpr_like, Purpose, Role};
use sikkerby_domain::terminal_text::strip_controls;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Longest stored detail or purpose text, in characters; longer text is cut.
const MAX_TEXT: usize = 200;

/// A stored row, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub role: Option<String>,
    pub action: String,
    pub person_id: Option<i64>,
    pub purpose_code: Option<String>,
    pub purpose_text: String,
    pub result: String,
    pub detail: String,
    pub prev_hash: String,
    pub row_hash: String,
}

/// Where the chain is broken: the first seq that is missing, changed or out of line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit log broken at seq {seq}: {reason}")]
pub struct AuditBreak {
    pub seq: i64,
    pub reason: String,
}

/// Why verification did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Broken(#[from] AuditBreak),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One processing of a citizen's data, as the citizen is told about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRead {
    pub at: DateTime<Utc>,
    pub purpose: Option<Purpose>,
    pub purpose_text: String,
    pub action: String,
    pub role: Option<Role>,
}

/// A timestamp as stored: UTC, fixed width, so text order is time order on both backends.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, StoreError> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.6fZ")
        .map(|t| t.and_utc())
        .map_err(|_| StoreError::Corrupt(format!("stored timestamp {text:?} is not ISO UTC")))
}

fn clean(text: &str) -> String {
    mask_cpr_like(strip_controls(text).trim()).chars().take(MAX_TEXT).collect()
}

/// The canonical form hashed for a row: each field length-prefixed (`~` for NULL), so no two
/// different rows serialise alike.
fn canonical(r: &AuditRecord) -> String {
    fn opt(v: Option<&str>) -> String {
        v.map_or_else(|| "~".to_owned(), |s| format!("{}:{s}", s.len()))
    }
    let fields = [
        opt(Some(&r.seq.to_string())),
        opt(Some(&r.at)),
        opt(r.user_id.map(|v| v.to_string()).as_deref()),
        opt(r.username.as_deref()),
        opt(r.role.as_deref()),
        opt(Some(&r.action)),
        opt(r.person_id.map(|v| v.to_string()).as_deref()),
        opt(r.purpose_code.as_deref()),
        opt(Some(&r.purpose_text)),
        opt(Some(&r.result)),
        opt(Some(&r.detail)),
    ];
    fields.join("|")
}

fn row_hash(prev_hash: &str, record: &AuditRecord) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical(record).as_bytes());
    hex::encode(hasher.finalize())
}

/// Appends one entry on a connection inside the caller's transaction, so that a change and its
/// audit row commit together. Returns the new seq.
pub(crate) async fn append(conn: &mut AnyConnection, entry: &AuditEntry) -> Result<i64, StoreError> {
    let seqs = append_many(conn, std::slice::from_ref(entry)).await?;
    Ok(seqs[0])
}

/// Rows per multi-row INSERT, largest first: a batch goes in as few statements as these sizes
/// allow, and only these few statement shapes are prepared (each row count is its own SQL).
const INSERT_CHUNKS: [usize; 4] = [32, 8, 2, 1];

/// Appends several entries in order on a connection inside the caller's transaction, in a
/// constant number of round trips rather than three per row: the head moves once by the number
/// of rows (taking the lock that serialises appends), the chain is hashed here, the rows go in
/// multi-row INSERTs, and the head gets the last hash. Returns the seqs, one per entry.
pub(crate) async fn append_many<E: std::borrow::Borrow<AuditEntry>>(
    conn: &mut AnyConnection,
    entries: &[E],
) -> Result<Vec<i64>, StoreError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let head = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, row_hash")
        .bind(entries.len() as i64)
        .fetch_one(&mut *conn)
        .await?;
    let last_seq: i64 = head.try_get("seq")?;
    let mut prev_hash: String = head.try_get("row_hash")?;
    let first_seq = last_seq - entries.len() as i64 + 1;
    let records: Vec<AuditRecord> = entries
        .iter()
        .zip(first_seq..)
        .map(|(entry, seq)| {
            let record = chained_record(entry.borrow(), seq, &prev_hash);
            prev_hash.clone_from(&record.row_hash);
            record
        })
        .collect();
    let mut rest = records.as_slice();
    while !rest.is_empty() {
        let size = INSERT_CHUNKS.into_iter().find(|size| *size <= rest.len()).unwrap_or(1);
        let (chunk, after) = rest.split_at(size);
        insert_records(conn, chunk).await?;
        rest = after;
    }
    sqlx::query("UPDATE audit_head SET row_hash = $1 WHERE id = 1")
        .bind(&prev_hash)
        .execute(&mut *conn)
        .await?;
    Ok(records.iter().map(|r| r.seq).collect())
}

/// The stored form of an entry at `seq` after the row whose hash is `prev_hash`.
fn chained_record(entry: &AuditEntry, seq: i64, prev_hash: &str) -> AuditRecord {
    let mut record = AuditRecord {
        seq,
        at: timestamp(entry.at),
        user_id: entry.actor.user_id,
        username: Some(entry.actor.username.clone()).filter(|u| !u.is_empty()),
        role: entry.actor.role.map(|r| r.code().to_owned()),
        action: entry.action.code().to_owned(),
        person_id: entry.person_id,
        purpose_code: entry.purpose.map(|p| p.code().to_owned()),
        purpose_text: clean(&entry.purpose_text),
        result: entry.result.code().to_owned(),
        detail: clean(&entry.detail),
        prev_hash: prev_hash.to_owned(),
        row_hash: String::new(),
    };
    record.row_hash = row_hash(prev_hash, &record);
    record
}

/// One INSERT of all `records` (13 parameters each).
async fn insert_records(conn: &mut AnyConnection, records: &[AuditRecord]) -> Result<(), StoreError> {
    const FIELDS: usize = 13;
    let rows: Vec<String> = (0..records.len())
        .map(|r| {
            let places: Vec<String> = (1..=FIELDS).map(|f| format!("${}", r * FIELDS + f)).collect();
            format!("({})", places.join(", "))
        })
        .collect();
    let sql = format!("INSERT INTO audit_log ({RECORD_COLUMNS}) VALUES {}", rows.join(", "));
    let mut query = sqlx::query(&sql);
    for record in records {
        query = query
            .bind(record.seq)
            .bind(&record.at)
            .bind(record.user_id)
            .bind(&record.username)
            .bind(&record.role)
            .bind(&record.action)
            .bind(record.person_id)
            .bind(&record.purpose_code)
            .bind(&record.purpose_text)
            .bind(&record.result)
            .bind(&record.detail)
            .bind(&record.prev_hash)
            .bind(&record.row_hash);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

const RECORD_COLUMNS: &str = "seq, at, user_id, username, role, action, person_id, purpose_code, \
     purpose_text, result, detail, prev_hash, row_hash";

fn record(row: &AnyRow) -> Result<AuditRecord, StoreError> {
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        role: row.try_get("role")?,
        action: row.try_get("action")?,
        person_id: row.try_get("person_id")?,
        purpose_code: row.try_get("purpose_code")?,
        purpose_text: row.try_get("purpose_text")?,
        result: row.try_get("result")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        row_hash: row.try_get("row_hash")?,
    })
}

/// Checks one row against the one before it; `expected` is the seq it should have.
fn check_row(row: &AuditRecord, expected: i64, prev_hash: &str) -> Result<(), AuditBreak> {
    if row.seq != expected {
        let reason = format!("row {expected} is missing (the next row is {})", row.seq);
        return Err(AuditBreak { seq: expected, reason });
    }
    if row.prev_hash != prev_hash {
        let reason = "prev_hash does not match the row before (a row before it was changed)".into();
        return Err(AuditBreak { seq: row.seq, reason });
    }
    if row_hash(prev_hash, row) != row.row_hash {
        let reason = "row_hash does not match the row's fields (the row was changed)".into();
        return Err(AuditBreak { seq: row.seq, reason });
    }
    Ok(())
}

impl Store {
    /// Appends one entry and returns its seq once it is committed. Entries appended at the same
    /// time share a transaction (see `group_commit`).
    pub async fn audit(&self, entry: &AuditEntry) -> Result<i64, StoreError> {
        self.audit_queue.append(&self.pool, entry).await
    }

    /// Permission to publish exact (unprotected) figures: the only way to a
    /// [`sikkerby_domain::publish::RawGrant`], given after the request is in the audit log as an
    /// export with what was asked (`detail`).
    pub async fn grant_raw_figures(
        &self,
        actor: &Actor,
        detail: &str,
    ) -> Result<sikkerby_domain::publish::RawGrant, StoreError> {
        let entry = AuditEntry::new(actor, AuditAction::Export, chrono::Utc::now())
            .detail(format!("raw figures: {detail}"));
        let seq = self.audit(&entry).await?;
        Ok(sikkerby_domain::publish::RawGrant::after_audit(seq))
    }

    /// Appends several entries in one transaction (a search result, a worklist: one row per
    /// citizen shown), all or none; returns the last seq, or `None` for no entries.
    pub async fn audit_all(&self, entries: &[AuditEntry]) -> Result<Option<i64>, StoreError> {
        if entries.is_empty() {
            return Ok(None);
        }
        let mut tx = self.pool.begin().await?;
        let seqs = append_many(&mut tx, entries).await?;
        tx.commit().await?;
        Ok(seqs.last().copied())
    }

    /// Walks the whole chain and returns the number of rows, or the first break: a gap in seq, a
    /// row whose hash does not match its fields, or rows cut off after the last one.
    pub async fn verify_audit(&self) -> Result<u64, AuditError> {
        let sql = format!("SELECT {RECORD_COLUMNS} FROM audit_log ORDER BY seq");
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        let (mut expected, mut prev_hash, mut count) = (1_i64, GENESIS_HASH.to_owned(), 0_u64);
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            let row = record(&row)?;
            check_row(&row, expected, &prev_hash)?;
            prev_hash = row.row_hash;
            expected += 1;
            count += 1;
        }
        drop(rows);
        let (head_seq, head_hash) = self.audit_head().await?;
        if head_seq != expected - 1 || head_hash != prev_hash {
            let reason = format!("the log ends at seq {} but its head says {head_seq}", expected - 1);
            return Err(AuditBreak { seq: expected, reason }.into());
        }
        Ok(count)
    }

    /// The last seq and its hash.
    pub async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        let row =
            sqlx::query("SELECT seq, row_hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?;
        Ok((row.try_get("seq")?, row.try_get("row_hash")?))
    }

    /// Every processing of one citizen's data (by internal id), oldest first: what the citizen is
    /// given when they ask who read their data, when and why.
    pub async fn audit_subject(&self, citizen_id: i64) -> Result<Vec<SubjectRead>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, purpose_code, purpose_text, action, role FROM audit_log
             WHERE person_id = $1 AND result = 'ok' ORDER BY seq",
        )
        .bind(citizen_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let at: String = r.try_get("at")?;
                let purpose: Option<String> = r.try_get("purpose_code")?;
                let role: Option<String> = r.try_get("role")?;
                Ok(SubjectRead {
                    at: parse_timestamp(&at)?,
                    purpose: purpose.as_deref().and_then(|p| Purpose::parse(p).ok()),
                    purpose_text: r.try_get("purpose_text")?,
                    action: r.try_get("action")?,
                    role: role.as_deref().and_then(|p| Role::parse(p).ok()),
                })
            })
            .collect()
    }
}
