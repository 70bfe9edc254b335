//! The demo data set for `serve --demo`: synthetic case data at Copenhagen scale, made by the
//! generator and loaded through the same import as a real extract. Loaded once; a later start
//! finds the data in place and leaves it.

use anyhow::Context;
use sikkerby_generator::{generate, GenerateConfig};
use sikkerby_store::opera::ImportOptions;
use sikkerby_store::Store;

/// Loads the synthetic demo data unless case data is already present.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    if store.citizen_count().await? > 0 {
        println!("demo: case data already present; keeping it");
        return Ok(());
    }
    let dir = tempfile::tempdir().context("temporary folder for the demo data")?;
    let config = GenerateConfig::default();
    let summary = generate(&config, dir.path()).context("generating the demo data")?;
    store
        .import_opera(&dir.path().join("opera"), ImportOptions { partial: false }, &|_| {})
        .await
        .context("importing the demo data")?;
    store.sync_all_follow_ups().await?;
    println!(
        "demo: loaded SYNTHETIC case data ({} citizens, {} – {}, seed {}): no real persons",
        config.citizens, summary.from, summary.to, config.seed
    );
    Ok(())
}
