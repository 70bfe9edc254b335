//! `sikkerby backup --out FILE` and `sikkerby restore FILE [--replace]`: the whole database as
//! one backend-neutral file (see `sikkerby_store::backup`).

use anyhow::Context;
use sikkerby_store::backup::{BackupHeader, RestoreOptions};
use sikkerby_store::Store;
use std::path::Path;

/// Writes a backup of the database at `url` to `out`.
pub async fn backup(url: &str, out: &Path) -> anyhow::Result<()> {
    // Connect without migrating: a backup records the database as it is.
    let store = Store::connect(url).await?;
    let header = store.backup(out).await.context("backup failed; nothing was written")?;
    println!("backup written to {}: {}", out.display(), summary(&header));
    store.close().await;
    Ok(())
}

/// Restores the backup `file` into the database at `url`, migrating it first.
pub async fn restore(url: &str, file: &Path, replace: bool) -> anyhow::Result<()> {
    let store = Store::open(url).await?;
    let header = store
        .restore(file, RestoreOptions { replace })
        .await
        .context("restore failed; the database is unchanged")?;
    let verified = store.verify_audit().await.context("the restored audit log does not verify")?;
    println!(
        "restored {} (made {} on {}): {}; audit log intact: {verified} rows",
        file.display(),
        header.created_at,
        header.source_backend,
        summary(&header)
    );
    store.close().await;
    Ok(())
}

fn summary(header: &BackupHeader) -> String {
    let rows: u64 = header.tables.iter().map(|t| t.rows).sum();
    format!("{} tables, {rows} rows", header.tables.len())
}
