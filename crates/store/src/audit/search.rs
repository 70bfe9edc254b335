//! Reading the audit log back for review: a page of rows, newest first, that match a filter
//! (user, citizen, action, time). The administrator's `/admin/revision` and the tests read it.

use super::{record, timestamp, AuditAction, AuditRecord, RECORD_COLUMNS};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};

/// Which rows to read; every field left `None` matches every row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The acting user's username (exact, as stored: lower case).
    pub username: Option<String>,
    /// The citizen's internal id.
    pub person_id: Option<i64>,
    pub action: Option<AuditAction>,
    /// Rows at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Rows before this time.
    pub until: Option<DateTime<Utc>>,
}

/// One bound value of the WHERE clause.
enum Bound {
    Text(String),
    Int(i64),
}

impl AuditFilter {
    /// The WHERE conditions and their values, numbered from `$1`.
    fn conditions(&self, before_seq: Option<i64>) -> (Vec<String>, Vec<Bound>) {
        let mut values = vec![Bound::Int(before_seq.unwrap_or(i64::MAX))];
        let mut conditions = vec!["seq < $1".to_owned()];
        let mut add = |column: &str, op: &str, value: Bound| {
            values.push(value);
            conditions.push(format!("{column} {op} ${}", values.len()));
        };
        if let Some(username) = &self.username {
            add("username", "=", Bound::Text(username.trim().to_lowercase()));
        }
        if let Some(id) = self.person_id {
            add("person_id", "=", Bound::Int(id));
        }
        if let Some(action) = self.action {
            add("action", "=", Bound::Text(action.code().to_owned()));
        }
        // Timestamps are fixed-width UTC text, so text order is time order.
        if let Some(from) = self.from {
            add("at", ">=", Bound::Text(timestamp(from)));
        }
        if let Some(until) = self.until {
            add("at", "<", Bound::Text(timestamp(until)));
        }
        (conditions, values)
    }
}

impl Store {
    /// A page of the log, newest first, before `before_seq` (all when `None`).
    pub async fn audit_entries(
        &self,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        self.audit_search(&AuditFilter::default(), before_seq, limit).await
    }

    /// A page of the rows matching `filter`, newest first, before `before_seq` (all when
    /// `None`); the next page starts before the last seq returned.
    pub async fn audit_search(
        &self,
        filter: &AuditFilter,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let (conditions, values) = filter.conditions(before_seq);
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM audit_log WHERE {} ORDER BY seq DESC LIMIT ${}",
            conditions.join(" AND "),
            values.len() + 1
        );
        let mut query = sqlx::query(&sql);
        for value in values {
            query = match value {
                Bound::Text(text) => query.bind(text),
                Bound::Int(n) => query.bind(n),
            };
        }
        let rows = query.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(record).collect()
    }
}
