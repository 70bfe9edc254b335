//! The figures' stamp: where the data that criteria results are computed from stands, read in
//! one small query, so that a server may keep computed figures and know whether they are still
//! current, also after a write by another instance or by the CLI.
//!
//! Two counters make it up. Case data has its change log (`case_changes`, see
//! [`crate::change_log`]): its last seq moves with every change to a citizen's records. The
//! reference data (settings and disclosure rules in `meta`, the portfolio and its criteria,
//! geography, code lists, indicator entries, the safety index's configuration and its import
//! stamp) moves `data_generation`, kept by triggers on those tables (migration 0070), so no
//! write path can forget it. Equal stamps mean equal inputs.

use crate::{Store, StoreError};
use sqlx::Row;

/// Where the figures' inputs stand; equal stamps, equal inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FiguresStamp {
    /// The last seq of the case-data change log (0: no change logged yet).
    pub case_changes: i64,
    /// The reference data's generation.
    pub generation: i64,
}

impl Store {
    /// The current stamp of the figures' inputs.
    pub async fn figures_stamp(&self) -> Result<FiguresStamp, StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM case_changes) AS case_changes,
                    (SELECT n FROM data_generation WHERE id = 1) AS generation",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(FiguresStamp {
            case_changes: row.try_get("case_changes")?,
            generation: row.try_get("generation")?,
        })
    }
}
