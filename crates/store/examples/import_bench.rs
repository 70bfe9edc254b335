//! Import benchmark: writes a synthetic OPERA extract of N rows (default 1,000,000), then times
//! (1) only parsing the CSV files, as the reference, and (2) importing them into SQLite and into
//! PostgreSQL (when `SIKKERBY_TEST_POSTGRES_URL` or the local server is reachable), printing
//! rows per second, the time per phase, and the ratio to the parse-only reference.
//!
//! `cargo run --release -p sikkerby-store --example import_bench -- 1000000 [sqlite|postgres]`

#[path = "../tests/opera_support/synthetic.rs"]
mod synthetic;

use sikkerby_store::opera::{ImportOptions, ImportPhase, ImportProgress};
use sikkerby_store::Store;
use sikkerby_testkit::{TestBackend, TestDatabase};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let rows: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let rows = synthetic::write_extract(dir.path(), rows).expect("write extract");
    println!("synthetic extract: {rows} rows in 6 files");

    let started = Instant::now();
    let parsed = parse_only(dir.path());
    let reference = started.elapsed();
    assert_eq!(parsed, rows);
    report("parse only (csv crate, no checks, no writes)", rows, reference, reference);

    let only = std::env::args().nth(2).unwrap_or_default();
    for backend in [TestBackend::Sqlite, TestBackend::Postgres] {
        if !only.is_empty() && !format!("{backend:?}").eq_ignore_ascii_case(&only) {
            continue;
        }
        let Some(db) = TestDatabase::create(backend).await else {
            println!("{backend:?}: not reachable, skipped");
            continue;
        };
        let store = db.open_seeded().await;
        let cpu = cpu_seconds();
        let (elapsed, phases) = timed_import(&store, dir.path()).await;
        report(&format!("import into {backend:?}"), rows, elapsed, reference);
        if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
            // On a busy machine wall time includes waiting for a core; for SQLite, which runs
            // in this process, the CPU time is the import's own cost.
            let seconds = after - before;
            println!(
                "    this process's CPU time {seconds:.2} s ({:.0} rows per CPU second)",
                rows as f64 / seconds
            );
        }
        for (phase, time) in phases {
            println!("    {phase:<9} {:>7.2} s", time.as_secs_f64());
        }
        let (again, _) = timed_import(&store, dir.path()).await;
        report(&format!("re-import into {backend:?} (all unchanged)"), rows, again, reference);
    }
}

/// Reads every record of every file with the csv crate, the floor any import stands on.
fn parse_only(dir: &Path) -> usize {
    let mut rows = 0;
    for entry in std::fs::read_dir(dir).expect("folder") {
        let mut reader =
            csv::ReaderBuilder::new().delimiter(b';').from_path(entry.expect("entry").path()).expect("open");
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).expect("record") {
            rows += 1;
        }
    }
    rows
}

/// Imports the folder, returning the total time and the time spent in each phase.
async fn timed_import(store: &Store, dir: &Path) -> (Duration, Vec<(&'static str, Duration)>) {
    let marks: Mutex<Vec<(ImportPhase, Instant)>> = Mutex::new(Vec::new());
    let progress = |p: ImportProgress| {
        let mut marks = marks.lock().expect("lock");
        if marks.last().is_none_or(|(phase, _)| *phase != p.phase) {
            marks.push((p.phase, Instant::now()));
        }
    };
    let started = Instant::now();
    store.import_opera(dir, ImportOptions::default(), &progress).await.expect("import");
    let elapsed = started.elapsed();
    let marks = marks.into_inner().expect("lock");
    let mut phases = Vec::new();
    for (i, (phase, at)) in marks.iter().enumerate() {
        let until = marks.get(i + 1).map_or(started + elapsed, |(_, t)| *t);
        let name = match phase {
            ImportPhase::Reading => "reading",
            ImportPhase::Checking => "checking",
            ImportPhase::Storing => "storing",
        };
        phases.push((name, until - *at));
    }
    (elapsed, phases)
}

/// User + system CPU time of this process so far, from /proc (Linux only).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): utime and stime are 12 and 13.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn report(what: &str, rows: usize, elapsed: Duration, reference: Duration) {
    let seconds = elapsed.as_secs_f64();
    println!(
        "{what}: {seconds:.2} s, {:.0} rows/s, {:.1} × the parse-only time",
        rows as f64 / seconds,
        seconds / reference.as_secs_f64()
    );
}
