//! `sikkerby generate`, `import opera`, `export opera`: folders of CSV files in and out.

use crate::args::GenerateArgs;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sikkerby_generator::{generate_with_progress, GenerateConfig};
use sikkerby_store::opera::{ImportError, ImportOptions, ImportProgress};
use sikkerby_store::Store;
use std::path::Path;

/// A progress bar on stderr that draws nothing when stderr is not a terminal (CI, pipes).
fn bar(length: u64, template: &str) -> ProgressBar {
    let bar = ProgressBar::new(length);
    bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    bar
}

pub fn generate(args: &GenerateArgs) -> anyhow::Result<()> {
    let config = GenerateConfig {
        citizens: args.citizens,
        years: args.years,
        seed: args.seed,
        ..GenerateConfig::default()
    };
    let progress = bar(args.citizens, "{spinner} generating {pos}/{len} citizens [{bar:30}] {eta}");
    let summary = generate_with_progress(&config, &args.out, &|done| progress.set_position(done))
        .with_context(|| format!("generating into {}", args.out.display()))?;
    progress.finish_and_clear();
    println!("synthetic data (not real persons) written to {}:\n{summary}", args.out.display());
    Ok(())
}

pub async fn import_opera(store: &Store, dir: &Path, partial: bool) -> anyhow::Result<()> {
    let progress = bar(0, "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {eta}");
    let on_progress = |p: ImportProgress| {
        progress.set_length(p.bytes_total);
        progress.set_position(p.bytes_done);
        progress.set_message(format!("{:?} {} ({} rows)", p.phase, p.file, p.rows_done));
    };
    let outcome = store.import_opera(dir, ImportOptions { partial }, &on_progress).await;
    progress.finish_and_clear();
    let report = match outcome {
        Ok(report) => report,
        Err(ImportError::Rejected(rows)) => {
            eprint!("{rows}");
            anyhow::bail!(
                "{} rows were rejected, so nothing was stored (use --partial to store the rest)",
                rows.rejected_rows()
            );
        }
        Err(e) => return Err(e).with_context(|| format!("importing {}", dir.display())),
    };
    let synced = store.sync_all_follow_ups().await?;
    for file in &report.files {
        println!(
            "{}: {} read, {} new, {} updated, {} unchanged, {} rejected",
            file.file, file.read, file.inserted, file.updated, file.unchanged, file.rejected
        );
    }
    for warning in report.warnings.iter().take(10) {
        eprintln!("warning: {warning}");
    }
    if report.warnings_total > 10 {
        eprintln!("… and {} more warnings", report.warnings_total - 10);
    }
    for path in &report.rejected_files {
        println!("rejected rows written to {}", path.display());
    }
    if synced.scheduled + synced.moved > 0 {
        println!("follow-ups: {} scheduled, {} moved to their anchor", synced.scheduled, synced.moved);
    }
    Ok(())
}

pub async fn export_opera(store: &Store, dir: &Path) -> anyhow::Result<()> {
    let report = store.export_opera(dir).await.with_context(|| format!("exporting to {}", dir.display()))?;
    for file in &report.files {
        println!("{}: {} rows", file.path.display(), file.rows);
    }
    Ok(())
}
