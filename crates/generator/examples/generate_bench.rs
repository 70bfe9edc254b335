//! Times the generator at national scale and prints rows per second.
//!
//! ```text
//! cargo run --release -p sikkerby-generator --example generate_bench -- [citizens] [years] [out] [seed]
//! ```
//!
//! Defaults: 1,000,000 citizens over 10 years (2012–2021), written to a folder under the system
//! temporary directory that is removed afterwards unless `out` is given.

use sikkerby_generator::{generate_with_progress, GenerateConfig};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let citizens = args.first().map_or(Ok(1_000_000), |a| a.parse())?;
    let years = args.get(1).map_or(Ok(10), |a| a.parse())?;
    let keep = args.get(2).map(std::path::PathBuf::from);
    let out = keep.clone().unwrap_or_else(|| std::env::temp_dir().join("sikkerby-generate-bench"));
    let mut config = GenerateConfig { citizens, years, ..GenerateConfig::default() };
    if let Some(seed) = args.get(3) {
        config.seed = seed.parse()?;
    }
    let started = Instant::now();
    let step = (citizens / 10).max(1);
    let summary = generate_with_progress(&config, &out, &|done| {
        if done % step < 4_096 || done == citizens {
            eprintln!("  {done:>9} citizens, {:.1} s", started.elapsed().as_secs_f64());
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    println!("{summary}");
    let rows = summary.total_rows();
    println!(
        "{citizens} citizens × {years} years: {rows} rows in {seconds:.2} s = {:.0} rows/s",
        rows as f64 / seconds
    );
    if keep.is_none() {
        std::fs::remove_dir_all(&out)?;
    }
    Ok(())
}
