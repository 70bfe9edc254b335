//! The releases published so far (docs/disclosure.md, "Releases"): per period and month-end, the
//! disclosure-controlled cells last shown, kept so that a publication of the period as of
//! another month-end is protected against subtraction from it.

use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sikkerby_domain::publish::release::Release;
use sqlx::Row;

impl Store {
    /// Every release of the period stored so far, oldest first.
    pub async fn published_releases(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Release>, StoreError> {
        let rows = sqlx::query(
            "SELECT as_of, cells FROM published_release WHERE period_from = $1 AND period_to = $2 ORDER BY id",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let as_of: String = row.try_get("as_of")?;
                let cells: String = row.try_get("cells")?;
                Release::from_json(&as_of, &cells).map_err(|e| {
                    StoreError::Corrupt(format!("published_release {from}–{to} as of {as_of}: {e}"))
                })
            })
            .collect()
    }

    /// Stores the release of the period as of its date, in place of an earlier one of the same
    /// date; true when something was written (not when the same cells were stored already).
    pub async fn record_release(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        release: &Release,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let cells = release.to_json();
        let digest: String = Sha256::digest(cells.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let done = sqlx::query(
            "INSERT INTO published_release (period_from, period_to, as_of, digest, cells, published_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (period_from, period_to, as_of) DO UPDATE
             SET digest = excluded.digest, cells = excluded.cells, published_at = excluded.published_at
             WHERE published_release.digest <> excluded.digest",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(&release.as_of)
        .bind(digest)
        .bind(cells)
        .bind(now.to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// How many releases are stored for the period.
    pub async fn release_count(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM published_release WHERE period_from = $1 AND period_to = $2",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }
}
