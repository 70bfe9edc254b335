//! Benchmark of the safety index at the city's real scale: 35 areas × 10 years, about 8,000
//! survey respondents a year, 2,000 bootstrap resamples. Target: under 1 second in release.
//!
//! Run: `cargo run --release -p sikkerby-domain --example index_bench`
//!
//! Beside the time it prints a reference measured in the same run: plain sequential passes
//! summing every respondent's weight, as many passes as there are resamples, i.e. the same number
//! of respondent visits as the bootstrap makes but without random draws. The ratio of the two is
//! roughly machine-independent, so it can be compared across machines and over time.

use std::hint::black_box;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sikkerby_domain::safety_index::{
    compute, AreaYear, IndexConfig, IndexInputs, PoliceReports, SurveyResponse,
};

const AREAS: usize = 35;
const YEARS: std::ops::Range<i32> = 2009..2019;
const RESPONDENTS_PER_YEAR: usize = 8_000;

/// Synthetic but plausible data: areas of different sizes and safety levels.
fn synthetic_inputs() -> IndexInputs {
    let mut rng = ChaCha8Rng::seed_from_u64(35);
    let mut inputs = IndexInputs::default();
    for year in YEARS {
        for a in 0..AREAS {
            let id = format!("omraade_{a:02}");
            let unsafety = 0.1 + 0.3 * a as f64 / AREAS as f64;
            let population = 8_000 + 600 * a as u64;
            inputs.areas.push(AreaYear {
                area: id.clone(),
                district: format!("bydel_{:02}", a % 12),
                year,
                population,
            });
            for (group, citizen_facing) in [("vold", true), ("indbrud", true), ("cykel", false)] {
                let count = (population as f64 * unsafety * rng.gen_range(0.05..0.15)) as u64;
                inputs.reports.push(PoliceReports {
                    area: id.clone(),
                    year,
                    group: group.into(),
                    citizen_facing,
                    count,
                });
            }
            for i in 0..RESPONDENTS_PER_YEAR / AREAS + 1 {
                let mut answer = || if rng.gen_bool(unsafety) { 4 } else { 2 } + rng.gen_range(0..2);
                let (safe_neighbourhood, safe_night) = (answer(), answer());
                inputs.survey.push(SurveyResponse {
                    respondent_id: format!("{year}-{a}-{i}"),
                    area: id.clone(),
                    year,
                    weight: rng.gen_range(0.5..2.0),
                    safe_neighbourhood,
                    safe_night,
                    victimised: rng.gen_bool(unsafety / 2.0),
                });
            }
        }
    }
    inputs
}

/// `passes` sequential sums over all weights: the reference work.
fn reference(inputs: &IndexInputs, passes: u32) -> f64 {
    let weights: Vec<f64> = inputs.survey.iter().map(|r| r.weight).collect();
    let mut total = 0.0;
    for _ in 0..passes {
        total += black_box(&weights).iter().sum::<f64>();
    }
    total
}

fn main() {
    let inputs = synthetic_inputs();
    let config = IndexConfig::default();

    let started = Instant::now();
    let result = black_box(compute(black_box(&inputs), &config));
    let index_time = started.elapsed();

    let started = Instant::now();
    black_box(reference(&inputs, config.bootstrap_resamples));
    let reference_time = started.elapsed();

    let area_years: usize = result.years.iter().map(|y| y.areas.len()).sum();
    println!(
        "index: {area_years} area-years, {} respondents, {} resamples: {:.1} ms (target < 1000 ms)",
        inputs.survey.len(),
        config.bootstrap_resamples,
        index_time.as_secs_f64() * 1e3,
    );
    println!(
        "reference: {} plain passes summing all weights: {:.1} ms; ratio index / reference: {:.2}",
        config.bootstrap_resamples,
        reference_time.as_secs_f64() * 1e3,
        index_time.as_secs_f64() / reference_time.as_secs_f64(),
    );
    println!("threads available: {}", std::thread::available_parallelism().map_or(1, |n| n.get()));
}
