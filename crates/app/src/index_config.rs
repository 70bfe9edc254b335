//! Changing the safety index's configuration: the new settings are checked and stored as the
//! next version, and the caller learns which areas change category because of them, so a
//! change of weights or cut points is never made blind.

use sikkerby_domain::safety_index::{category_changes, compute, CategoryChange, IndexConfig, IndexInputs};
use sikkerby_store::tryghed::{parse_index_config, IndexConfigError, IndexConfigVersion};
use sikkerby_store::Store;

/// A recorded configuration change.
#[derive(Debug, Clone)]
pub struct ConfigChange {
    pub stored: IndexConfigVersion,
    /// The configuration version replaced.
    pub previous_version: u32,
    /// Areas and years whose category differs between the old and the new settings.
    pub changes: Vec<CategoryChange>,
}

async fn compute_off_thread(
    inputs: IndexInputs,
    a: IndexConfig,
    b: IndexConfig,
) -> [sikkerby_domain::safety_index::IndexResult; 2] {
    let task = tokio::task::spawn_blocking(move || [compute(&inputs, &a), compute(&inputs, &b)]);
    match task.await {
        Ok(results) => results,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Checks `toml`, stores it as the next version by `changed_by`, and lists the category changes
/// it causes over all years of the stored area data.
pub async fn change_index_config(
    store: &Store,
    toml: &str,
    changed_by: &str,
) -> Result<ConfigChange, IndexConfigError> {
    let new = parse_index_config(toml)?;
    let old = store.index_config().await?;
    let inputs = store.index_inputs().await?;
    let previous_version = old.version;
    let [before, after] = compute_off_thread(inputs, old, new).await;
    let stored = store.set_index_config(toml, changed_by).await?;
    Ok(ConfigChange { stored, previous_version, changes: category_changes(&before, &after) })
}
