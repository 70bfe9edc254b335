//! `sikkerby import tryghed DIR`: the area data behind the safety index, all of it or none.

use anyhow::Context;
use sikkerby_store::opera::ImportOptions;
use sikkerby_store::tryghed::TryghedImportError;
use sikkerby_store::Store;
use std::path::Path;

pub async fn import(store: &Store, dir: &Path, partial: bool) -> anyhow::Result<()> {
    let report = match store.import_tryghed(dir, ImportOptions { partial }).await {
        Ok(report) => report,
        Err(TryghedImportError::Rejected(rows)) => {
            eprint!("{rows}");
            anyhow::bail!(
                "{} problems in the area data, so nothing was stored (use --partial to store the rest)",
                rows.0.len()
            );
        }
        Err(e) => return Err(e).with_context(|| format!("importing {}", dir.display())),
    };
    for file in &report.files {
        println!(
            "{}: {} read, {} new, {} updated, {} unchanged, {} rejected",
            file.file, file.read, file.inserted, file.updated, file.unchanged, file.rejected
        );
    }
    for warning in report.warnings.iter().take(10) {
        eprintln!("warning: {warning}");
    }
    if report.warnings.len() > 10 {
        eprintln!("… and {} more warnings", report.warnings.len() - 10);
    }
    for path in &report.rejected_files {
        println!("rejected rows written to {}", path.display());
    }
    Ok(())
}
