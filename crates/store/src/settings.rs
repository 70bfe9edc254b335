//! Settings kept in the database so that every instance uses the same: the disclosure threshold.

use crate::cases::sync_follow_ups;
use crate::cases::FollowUpSync;
use crate::{Store, StoreError};
use sikkerby_domain::disclosure::DisclosureRules;
use sqlx::Row;

const THRESHOLD_KEY: &str = "disclosure_threshold";
/// Months after a period's end until its figures are settled (docs/disclosure.md, "Releases").
const SETTLE_KEY: &str = "release_settle_months";

impl Store {
    /// The disclosure rules in force (threshold 5 unless configured).
    pub async fn disclosure_rules(&self) -> Result<DisclosureRules, StoreError> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(THRESHOLD_KEY)
            .fetch_optional(&self.pool)
            .await?;
        let mut rules = match row {
            None => DisclosureRules::default(),
            Some(row) => {
                let text: String = row.try_get("value")?;
                let threshold =
                    text.parse().map_err(|_| StoreError::Corrupt(format!("{THRESHOLD_KEY} = {text:?}")))?;
                DisclosureRules::new(threshold).map_err(|e| StoreError::Corrupt(e.to_string()))?
            }
        };
        if let Some(months) = self.meta_value(SETTLE_KEY).await? {
            rules.settle_months =
                months.parse().map_err(|_| StoreError::Corrupt(format!("{SETTLE_KEY} = {months:?}")))?;
        }
        Ok(rules)
    }

    async fn meta_value(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row =
            sqlx::query("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(&self.pool).await?;
        row.map(|r| r.try_get("value")).transpose().map_err(Into::into)
    }

    /// Sets the disclosure threshold (at least 3). The caller audits the change.
    pub async fn set_disclosure_threshold(&self, rules: DisclosureRules) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(THRESHOLD_KEY)
        .bind(rules.threshold.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many citizens are registered.
    pub async fn citizen_count(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM citizen").fetch_one(&self.pool).await?;
        Ok(row.try_get("n")?)
    }

    /// Schedules, moves and removes follow-ups for the whole database (after an import).
    pub async fn sync_all_follow_ups(&self) -> Result<FollowUpSync, StoreError> {
        let codes = self.code_lists().await?;
        let portfolio = self.portfolio().await?;
        let mut tx = self.pool.begin().await?;
        let summary = sync_follow_ups(&mut tx, &codes, &portfolio, None).await?;
        crate::change_log::append_everything(&mut tx).await?;
        tx.commit().await?;
        Ok(summary)
    }
}
