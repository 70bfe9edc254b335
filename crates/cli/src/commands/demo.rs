//! The demo data set for `serve --demo`: synthetic area and case data at Copenhagen scale, made
//! by the generator and loaded through the same imports as real extracts: the area data
//! (`tryghed/`) first, so that the citizens' home areas are known when the case extract arrives.
//! The indicator entries that case data cannot give come from `demo_indicators`.
//! Loaded once; a later start finds the data in place and leaves it.

use anyhow::Context;
use sikkerby_generator::{generate, GenerateConfig};
use sikkerby_store::opera::ImportOptions;
use sikkerby_store::Store;

/// Loads the synthetic demo data, each part unless already present.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    let has_cases = store.citizen_count().await? > 0;
    let has_areas = store.index_stamp().await?.0 > 0;
    let config = GenerateConfig::default();
    super::demo_indicators::load(store, config.first_year, config.years).await?;
    if has_cases && has_areas {
        println!("demo: case and area data already present; keeping them");
        return Ok(());
    }
    let dir = tempfile::tempdir().context("temporary folder for the demo data")?;
    let summary = generate(&config, dir.path()).context("generating the demo data")?;
    let options = ImportOptions { partial: false };
    if !has_areas {
        store
            .import_tryghed(&dir.path().join("tryghed"), options)
            .await
            .context("importing the demo area data")?;
    }
    if !has_cases {
        store
            .import_opera(&dir.path().join("opera"), options, &|_| {})
            .await
            .context("importing the demo data")?;
        store.sync_all_follow_ups().await?;
    }
    println!(
        "demo: loaded SYNTHETIC data ({} citizens, {} – {}, seed {}): no real persons",
        config.citizens, summary.from, summary.to, config.seed
    );
    Ok(())
}
