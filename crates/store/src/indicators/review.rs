//! The second user's review of an entry: approve it, or send it back with a comment; and the
//! correction that makes a sent-back entry await approval again. Each checks the four-eyes rule
//! and the entry's status inside its transaction, writes only if the status is still the one
//! checked (two reviewers at once: the second finds it changed), and audits in the same
//! transaction.

use super::{
    audit_row, bind_values, check_fits, entry_from_row, IndicatorError, NewIndicatorEntry, SELECT_ENTRY,
    VALUE_COLUMNS,
};
use crate::audit::{append, Actor};
use crate::Store;
use chrono::Utc;
use sikkerby_domain::indicators::{IndicatorEntry, ReviewError};
use sqlx::AnyConnection;

/// Only an entry awaiting review is changed by a review.
const AWAITING: &str = "approved_by IS NULL AND sent_back_by IS NULL";

async fn entry_in(conn: &mut AnyConnection, id: i64) -> Result<IndicatorEntry, IndicatorError> {
    let row =
        sqlx::query(&format!("{SELECT_ENTRY} WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    let row = row.ok_or(IndicatorError::NotFound(id))?;
    Ok(entry_from_row(&row)?)
}

/// A write that changed no row found the entry changed since it was checked.
fn changed_meanwhile(rows: u64) -> Result<(), IndicatorError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(ReviewError::AlreadyApproved.into())
    }
}

/// A reviewer's decision on an entry awaiting review.
enum Decision<'a> {
    Approve { by: &'a str },
    SendBack { by: &'a str, comment: &'a str },
}

impl Store {
    /// Approves an entry: it then counts. The approver must be another user than the one who
    /// entered it, and the entry must await review.
    pub async fn approve_indicator_entry(
        &self,
        id: i64,
        approver: &str,
        actor: &Actor,
    ) -> Result<(), IndicatorError> {
        self.review(id, actor, Decision::Approve { by: approver }).await
    }

    /// Sends an entry back to be corrected, with a comment saying what is wrong (required). Same
    /// rule as approving: another user, an entry awaiting review.
    pub async fn send_back_indicator_entry(
        &self,
        id: i64,
        reviewer: &str,
        comment: &str,
        actor: &Actor,
    ) -> Result<(), IndicatorError> {
        self.review(id, actor, Decision::SendBack { by: reviewer, comment }).await
    }

    async fn review(&self, id: i64, actor: &Actor, decision: Decision<'_>) -> Result<(), IndicatorError> {
        let mut tx = self.pool.begin().await?;
        let entry = entry_in(&mut tx, id).await?;
        let now = Utc::now().to_rfc3339();
        let (set, what, values) = match decision {
            Decision::Approve { by } => {
                entry.check_review(by)?;
                ("approved_by = $1, approved_at = $2", "approved", vec![by.trim(), &now])
            }
            Decision::SendBack { by, comment } => {
                entry.check_send_back(by, comment)?;
                let set = "sent_back_by = $1, sent_back_at = $2, sent_back_comment = $3";
                (set, "sent back", vec![by.trim(), &now, comment.trim()])
            }
        };
        let sql = format!("UPDATE indicator_entry SET {set} WHERE id = ${} AND {AWAITING}", values.len() + 1);
        let query = values.into_iter().fold(sqlx::query(&sql), |q, value| q.bind(value));
        let done = query.bind(id).execute(&mut *tx).await?;
        changed_meanwhile(done.rows_affected())?;
        append(&mut tx, &audit_row(actor, what, id, &entry.criterion)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Corrects a sent-back entry with new values: it awaits approval again, entered by the
    /// corrector (`new.entered_by`), and the send-back is cleared. The criterion stays.
    pub async fn correct_indicator_entry(
        &self,
        id: i64,
        new: &NewIndicatorEntry,
        actor: &Actor,
    ) -> Result<(), IndicatorError> {
        let criteria = self.criteria().await?;
        let mut tx = self.pool.begin().await?;
        let entry = entry_in(&mut tx, id).await?;
        entry.check_correction()?;
        if new.criterion != entry.criterion {
            let reason = format!("en rettelse bliver på kriteriet {}", entry.criterion);
            return Err(IndicatorError::Invalid { field: "kriterium", reason });
        }
        check_fits(&criteria, new)?;
        let set: Vec<String> = VALUE_COLUMNS.iter().zip(1..).map(|(c, i)| format!("{c} = ${i}")).collect();
        let sql = format!(
            "UPDATE indicator_entry SET {}, sent_back_by = NULL, sent_back_at = NULL, sent_back_comment = NULL
             WHERE id = $13 AND approved_by IS NULL AND sent_back_by IS NOT NULL",
            set.join(", ")
        );
        let done = bind_values(sqlx::query(&sql), new).bind(id).execute(&mut *tx).await?;
        changed_meanwhile(done.rows_affected())?;
        append(&mut tx, &audit_row(actor, "corrected", id, &entry.criterion)).await?;
        tx.commit().await?;
        Ok(())
    }
}
