//! What publishing as releases costs (BENCHMARKS.md, "Releases"): on a database (e.g. the
//! demo's), a reader who looks at a year's dashboard at every month-end. For each month-end, the
//! time to publish the figures on their own (as before releases were linked) and as a release
//! after every earlier one, and how many of the dashboard's totals each withholds.
//!
//! ```text
//! cargo run --release -p sikkerby-app --example release_cost -- DATABASE_URL YEAR
//! ```
//! The database gets the releases stored: use a copy.

use chrono::NaiveDate;
use sikkerby_app::Evaluator;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::engine::Request;
use sikkerby_domain::publish::{publish, Published};
use std::time::{Duration, Instant};

/// The dashboard's totals (numerator, denominator, value) that are withheld.
fn withheld(p: &Published) -> usize {
    p.results
        .iter()
        .map(|r| [r.numerator.mark(), r.denominator.mark(), r.value.mark()].iter().flatten().count())
        .sum()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let store = sikkerby_store::Store::open(&args[1]).await?;
    let year: i32 = args[2].parse()?;
    let evaluator = Evaluator::load(store.clone()).await?;
    let rules = store.disclosure_rules().await?;
    let (mut alone_total, mut release_total) = (Duration::ZERO, Duration::ZERO);
    for month in 1..=12 {
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or("month")?;
        let as_of = sikkerby_domain::calendar::add_months(first, 1).pred_opt().ok_or("date")?;
        let request = Request { period: Period::year(year)?, as_of, by: None, initiative: None };
        let started = Instant::now();
        let alone = publish(&evaluator.evaluate_raw(&request).await?, None, &rules);
        let alone_time = started.elapsed();
        let started = Instant::now();
        let released = evaluator.publish(&request, &rules).await?;
        let release_time = started.elapsed();
        alone_total += alone_time;
        release_total += release_time;
        println!(
            "BENCH as_of={as_of} alone_ms={} release_ms={} withheld_alone={} withheld_released={}",
            alone_time.as_millis(),
            release_time.as_millis(),
            withheld(&alone),
            withheld(&released)
        );
    }
    println!(
        "BENCH total alone_ms={} release_ms={} ratio={:.2} releases_stored={}",
        alone_total.as_millis(),
        release_total.as_millis(),
        release_total.as_secs_f64() / alone_total.as_secs_f64(),
        store.release_count(Period::year(year)?.from(), Period::year(year)?.to()).await?
    );
    Ok(())
}
