//! The safety index's configuration (weights, cut points, base year, uncertainty settings) as
//! versioned TOML in the table `index_config`: every change is a new row naming who made it and
//! when, the highest version is in force, and a published figure names the version it used.
//! Without any row the built-in defaults (version 1) apply.

use crate::{Store, StoreError};
use chrono::Utc;
use sikkerby_domain::safety_index::IndexConfig;
use sqlx::Row;

/// One stored version of the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexConfigVersion {
    pub version: i64,
    pub config: IndexConfig,
    /// The TOML as given.
    pub toml: String,
    pub changed_by: String,
    /// RFC 3339, UTC.
    pub changed_at: String,
}

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum IndexConfigError {
    #[error("the index configuration is not valid TOML: {0}")]
    Toml(String),
    #[error("the index configuration has an unknown setting {0:?}")]
    UnknownSetting(String),
    #[error("the index configuration is not usable: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

const TOP: &[&str] = &[
    "version",
    "weights",
    "cut_points",
    "base_year",
    "unsafe_from",
    "min_effective_n",
    "bootstrap_resamples",
    "bootstrap_seed",
    "significance",
];
const WEIGHTS: &[&str] = &["R", "V", "U"];
const CUTS: &[&str] = &["behov_for_indsats", "markant", "intensiveret"];

/// Parses and checks a configuration. A misspelt setting is an error rather than silently the
/// default, because a wrong weight changes every area's category.
pub fn parse_index_config(text: &str) -> Result<IndexConfig, IndexConfigError> {
    let table: toml::Table =
        text.parse().map_err(|e: toml::de::Error| IndexConfigError::Toml(e.to_string()))?;
    for (key, value) in &table {
        let allowed: &[&str] = match key.as_str() {
            "weights" => WEIGHTS,
            "cut_points" => CUTS,
            k if TOP.contains(&k) => continue,
            _ => return Err(IndexConfigError::UnknownSetting(key.clone())),
        };
        let inner =
            value.as_table().ok_or_else(|| IndexConfigError::Invalid(format!("{key} must be a table")))?;
        if let Some(unknown) = inner.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(IndexConfigError::UnknownSetting(format!("{key}.{unknown}")));
        }
    }
    let config: IndexConfig = toml::from_str(text).map_err(|e| IndexConfigError::Toml(e.to_string()))?;
    check(&config).map_err(IndexConfigError::Invalid)?;
    Ok(config)
}

fn check(c: &IndexConfig) -> Result<(), String> {
    let w = [c.weights.r, c.weights.v, c.weights.u];
    if w.iter().any(|w| !w.is_finite() || *w < 0.0) || w.iter().all(|w| *w == 0.0) {
        return Err("weights must be ≥ 0 and at least one above 0".into());
    }
    let cuts = [c.cut_points.behov_for_indsats, c.cut_points.markant, c.cut_points.intensiveret];
    if cuts.iter().any(|x| !x.is_finite()) || !(cuts[0] < cuts[1] && cuts[1] < cuts[2]) {
        return Err("cut points must rise: behov_for_indsats < markant < intensiveret".into());
    }
    if !(1..=5).contains(&c.unsafe_from) {
        return Err("unsafe_from must be an answer from 1 to 5".into());
    }
    if c.base_year.is_some_and(|y| !(1900..=2100).contains(&y)) {
        return Err("base_year must be a year from 1900 to 2100".into());
    }
    if !c.min_effective_n.is_finite() || c.min_effective_n < 0.0 {
        return Err("min_effective_n must be ≥ 0".into());
    }
    if !(1..=100_000).contains(&c.bootstrap_resamples) {
        return Err("bootstrap_resamples must be from 1 to 100000".into());
    }
    if !(c.significance > 0.0 && c.significance < 1.0) {
        return Err("significance must lie between 0 and 1".into());
    }
    Ok(())
}

fn version_from_row(row: &sqlx::any::AnyRow) -> Result<IndexConfigVersion, StoreError> {
    let version: i64 = row.try_get("version")?;
    let toml: String = row.try_get("toml")?;
    let mut config =
        parse_index_config(&toml).map_err(|e| StoreError::Corrupt(format!("index_config {version}: {e}")))?;
    config.version =
        u32::try_from(version).map_err(|_| StoreError::Corrupt("index_config version".into()))?;
    Ok(IndexConfigVersion {
        version,
        config,
        toml,
        changed_by: row.try_get("changed_by")?,
        changed_at: row.try_get("changed_at")?,
    })
}

impl Store {
    /// The configuration in force: the latest stored version, or the defaults (version 1).
    pub async fn index_config(&self) -> Result<IndexConfig, StoreError> {
        let row = sqlx::query(
            "SELECT version, toml, changed_by, changed_at FROM index_config ORDER BY version DESC LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(row) => version_from_row(&row)?.config,
            None => IndexConfig::default(),
        })
    }

    /// Every stored version, oldest first.
    pub async fn index_config_history(&self) -> Result<Vec<IndexConfigVersion>, StoreError> {
        let rows =
            sqlx::query("SELECT version, toml, changed_by, changed_at FROM index_config ORDER BY version")
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// Checks `toml` and stores it as the next version (above the defaults' 1), recording who
    /// changed it. A `version` in the text is ignored: the store numbers the versions.
    pub async fn set_index_config(
        &self,
        toml: &str,
        changed_by: &str,
    ) -> Result<IndexConfigVersion, IndexConfigError> {
        let mut config = parse_index_config(toml)?;
        let changed_by = changed_by.trim();
        if changed_by.is_empty() {
            return Err(IndexConfigError::Invalid("who changed the configuration must be given".into()));
        }
        let mut tx = self.pool().begin().await.map_err(StoreError::from)?;
        let row = sqlx::query("SELECT MAX(version) FROM index_config")
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        let latest: Option<i64> = row.try_get(0).map_err(StoreError::from)?;
        let version = latest.unwrap_or(1).max(1) + 1;
        let changed_at = Utc::now().to_rfc3339();
        sqlx::query(
            "INSERT INTO index_config (version, toml, changed_by, changed_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(version)
        .bind(toml)
        .bind(changed_by)
        .bind(&changed_at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        tx.commit().await.map_err(StoreError::from)?;
        config.version = u32::try_from(version).unwrap_or(u32::MAX);
        tracing::info!(version, "index configuration changed");
        Ok(IndexConfigVersion {
            version,
            config,
            toml: toml.to_owned(),
            changed_by: changed_by.to_owned(),
            changed_at,
        })
    }
}
