//! Synthetic data for Sikker By: a case extract (`opera/`) and area data (`tryghed/`) in the exact
//! formats of docs/formats.md, at Copenhagen scale by default and linearly larger on request,
//! plus a small correction extract (`opera_rettelser/`) that re-imports as updates.
//!
//! The data are made to pass every consistency check of the importer (valid CPR numbers, end on
//! or after start, offers inside their enrollment, references that resolve, a follow-up for every
//! anchor of the seed's follow-up rules, due exactly the rule's months later) and to contain the
//! awkward cases real extracts have: month-end and leap-day anchors, open enrollments,
//! follow-ups never recorded, ages just outside a target group, 1 January CPR numbers that fail
//! modulus 11. The same configuration always gives byte-identical files.
//!
//! ```no_run
//! use sikkerby_generator::{generate, GenerateConfig};
//! let summary = generate(&GenerateConfig::default(), std::path::Path::new("demo-data"))?;
//! println!("{summary}");
//! # Ok::<(), sikkerby_generator::GenerateError>(())
//! ```

mod citizen;
mod dates;
mod episode;
mod followup;
mod identity;
mod life;
mod names;
mod output;
mod params;
mod pipeline;
mod places;
mod plan;
mod tryghed;

use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateConfig {
    /// Number of citizens in `borgere.csv`; every yearly volume scales with `citizens / 5000`
    /// (5,000 gives the memo's Copenhagen volumes).
    pub citizens: u64,
    /// Number of calendar years, starting 1 January of `first_year`.
    pub years: u32,
    pub first_year: i32,
    pub seed: u64,
}

impl Default for GenerateConfig {
    /// The demo: 5,000 citizens over 2012–2014.
    fn default() -> Self {
        Self { citizens: 5_000, years: 3, first_year: 2012, seed: 2013 }
    }
}

/// Rows written per file (header rows not counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GenerateSummary {
    /// First and last day of the generated period; nothing is recorded after `to`.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `(path relative to the output folder, rows)`, e.g. `("opera/forloeb.csv", 4_812)`.
    pub files: Vec<(String, u64)>,
}

impl GenerateSummary {
    /// Rows of one file, by its relative path (`"opera/borgere.csv"`).
    pub fn rows(&self, file: &str) -> Option<u64> {
        self.files.iter().find(|(f, _)| f == file).map(|(_, n)| *n)
    }

    /// Rows of all files together.
    pub fn total_rows(&self) -> u64 {
        self.files.iter().map(|(_, n)| n).sum()
    }
}

impl fmt::Display for GenerateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Generated {} – {}:", self.from, self.to)?;
        for (file, rows) in &self.files {
            writeln!(f, "  {file:<36} {rows:>12} rows")?;
        }
        write!(f, "  {:<36} {:>12} rows", "total", self.total_rows())
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("invalid generator configuration: {0}")]
    InvalidConfig(String),
    #[error("the seed data could not be loaded: {0}")]
    Seed(#[from] sikkerby_domain::seed::SeedError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("a generator thread stopped unexpectedly")]
    WorkerPanicked,
}

/// Generates the folders `opera/`, `tryghed/` and `opera_rettelser/` under `out`.
pub fn generate(config: &GenerateConfig, out: &Path) -> Result<GenerateSummary, GenerateError> {
    generate_with_progress(config, out, &|_| {})
}

/// Like [`generate`], calling `progress` with the number of citizens done so far (in order,
/// from the calling thread) as chunks are written.
pub fn generate_with_progress(
    config: &GenerateConfig,
    out: &Path,
    progress: &dyn Fn(u64),
) -> Result<GenerateSummary, GenerateError> {
    let seed = sikkerby_domain::seed::load()?;
    let plan = plan::Plan::new(config, &seed)?;
    let files = pipeline::run(&plan, config.citizens, out, progress)?;
    Ok(GenerateSummary {
        from: plan.period_start,
        to: plan.period_end,
        files: files.into_iter().map(|(f, n)| (f.to_owned(), n)).collect(),
    })
}
