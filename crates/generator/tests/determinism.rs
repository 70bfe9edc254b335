//! The same configuration gives byte-identical files, however the citizens are spread over
//! threads; another seed gives other data; the summary counts what is in the files.

mod common;

use common::generate_into;
use sikkerby_generator::GenerateConfig;
use std::path::Path;

const FILES: [&str; 12] = [
    "opera/borgere.csv",
    "opera/forloeb.csv",
    "opera/tilbud.csv",
    "opera/fritidsjob.csv",
    "opera/haendelser.csv",
    "opera/opfoelgninger.csv",
    "opera_rettelser/forloeb.csv",
    "opera_rettelser/opfoelgninger.csv",
    "tryghed/omraader.csv",
    "tryghed/anmeldelser.csv",
    "tryghed/survey.csv",
    "tryghed/vurderinger.csv",
];

/// More than two chunks of citizens, so that worker threads finish out of order.
fn config(seed: u64) -> GenerateConfig {
    GenerateConfig { citizens: 9_000, years: 2, first_year: 2015, seed }
}

fn bytes(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_same_seed_gives_byte_identical_files() {
    let first = generate_into("determinism-a", config(7));
    let second = generate_into("determinism-b", config(7));
    for file in FILES {
        assert!(bytes(&first.dir, file) == bytes(&second.dir, file), "{file} differs between two runs");
    }
    assert_eq!(first.summary, second.summary);
}

#[test]
fn another_seed_gives_other_data() {
    let first = generate_into("determinism-c", config(7));
    let other = generate_into("determinism-d", config(8));
    for file in ["opera/borgere.csv", "opera/forloeb.csv", "opera/opfoelgninger.csv", "tryghed/survey.csv"] {
        assert!(bytes(&first.dir, file) != bytes(&other.dir, file), "{file} is the same");
    }
}

#[test]
fn the_summary_counts_the_rows_of_every_file() {
    let extract = generate_into("determinism-e", config(9));
    assert_eq!(extract.summary.files.len(), FILES.len());
    for file in FILES {
        let lines = bytes(&extract.dir, file).iter().filter(|b| **b == b'\n').count() as u64;
        assert_eq!(extract.summary.rows(file), Some(lines - 1), "{file}");
    }
    assert!(extract.summary.to_string().contains("opera/forloeb.csv"));
}

#[test]
fn an_impossible_configuration_is_refused() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("determinism-refused");
    for config in [
        GenerateConfig { citizens: 0, ..GenerateConfig::default() },
        GenerateConfig { years: 0, ..GenerateConfig::default() },
        GenerateConfig { first_year: 1900, ..GenerateConfig::default() },
    ] {
        assert!(sikkerby_generator::generate(&config, &dir).is_err(), "{config:?}");
    }
}
