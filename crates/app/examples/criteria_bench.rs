//! Benchmark of the criteria engine at national scale (BENCHMARKS.md, "Criteria engine"):
//! generates a synthetic OPERA extract, loads it into the engine's [`CaseData`], and times
//! `evaluate` for one year with a drill-down by centre, then the time from one changed follow-up
//! to new results. Run by `bench/criteria.sh`, which adds DuckDB over the same files.
//!
//! ```text
//! cargo run --release -p sikkerby-app --example criteria_bench -- \
//!     [--citizens 1000000] [--years 10] [--seed 2013] [--data DIR] [--runs 5] [--json FILE]
//! ```
//!
//! The extract is read straight from the CSV files into `CaseData` with the same codes and rules
//! as `Store::load_case_data` (LAB and positive flags from the seed's code lists, lead BIF in any
//! case); loading is timed and reported, but it is not what the benchmark is about. Lines that
//! start `BENCH ` are for the script to read.

use chrono::NaiveDate;
use sikkerby_domain::calendar::{parse_date, Period};
use sikkerby_domain::codes::{Anchor, CodeLists, EventKind};
use sikkerby_domain::cpr::{Cpr, Sex};
use sikkerby_domain::engine::cohorts::{self, Outcome, Window};
use sikkerby_domain::engine::data::day;
use sikkerby_domain::engine::live::LiveEvaluation;
use sikkerby_domain::engine::{evaluate, CaseData, Dimension, Evaluation, Request};
use sikkerby_generator::{generate, GenerateConfig};
use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

struct Args {
    citizens: u64,
    years: u32,
    seed: u64,
    data: PathBuf,
    runs: usize,
    json: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        citizens: 1_000_000,
        years: 10,
        seed: 2013,
        data: std::env::temp_dir().join("sikkerby-criteria-bench"),
        runs: 5,
        json: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--citizens" => args.citizens = value()?.parse()?,
            "--years" => args.years = value()?.parse()?,
            "--seed" => args.seed = value()?.parse()?,
            "--data" => args.data = value()?.into(),
            "--runs" => args.runs = value()?.parse()?,
            "--json" => args.json = Some(value()?.into()),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(args)
}

fn main() -> Result<()> {
    let args = parse_args()?;
    if args.years < 2 {
        return Err("--years must be at least 2: the benchmark evaluates the year before the last".into());
    }
    let config = GenerateConfig {
        citizens: args.citizens,
        years: args.years,
        seed: args.seed,
        ..GenerateConfig::default()
    };
    let csv_rows = generate_unless_present(&config, &args.data)?;
    let codes = sikkerby_domain::seed::load()?.code_lists;

    let started = Instant::now();
    let data = load(&args.data.join("opera"), &codes)?;
    let load_time = started.elapsed();
    println!("loaded {} records into CaseData in {:.1} s", data.row_count(), load_time.as_secs_f64());
    println!(
        "BENCH rows_csv={csv_rows} rows_engine={} load_s={:.2}",
        data.row_count(),
        load_time.as_secs_f64()
    );

    // The last full year before the data end, as of the data end: every window closed.
    let year = config.first_year + config.years as i32 - 2;
    let as_of = NaiveDate::from_ymd_opt(config.first_year + config.years as i32 - 1, 12, 31).unwrap();
    let request =
        Request { period: Period::year(year)?, as_of, by: Some(Dimension::Centre), initiative: None };
    let criteria = sikkerby_domain::seed::load()?.criteria;
    let (evaluation, times) = best_of(args.runs, || evaluate(&data, &criteria, &request));
    report("evaluate", &times);
    println!("BENCH year={year} as_of={as_of} evaluate_best_ms={:.1}", ms(min(&times)));
    for r in evaluation.results.iter().filter(|r| r.value.is_some()) {
        println!(
            "  {:<4} {:<10} value {:>12.4} ({:?}/{:?}, unknown {}) {} centres",
            r.criterion,
            r.initiative,
            r.value.unwrap_or_default(),
            r.numerator,
            r.denominator,
            r.unknown,
            r.breakdown.len()
        );
    }
    if let Some(path) = &args.json {
        // Synthetic data in a benchmark: exact figures without an audit log to record them in.
        let raw = sikkerby_domain::publish::Raw { totals: evaluation.clone(), by_dimension: Vec::new() };
        let grant = sikkerby_domain::publish::RawGrant::after_audit(0);
        let rules = sikkerby_domain::disclosure::DisclosureRules::default();
        let exact = sikkerby_domain::publish::unprotected(&raw, None, &rules, &grant);
        std::fs::write(path, serde_json::to_vec_pretty(&exact)?)?;
    }
    time_parts(&data, &criteria, &request, args.runs);
    time_a_changed_follow_up(data, &criteria, &request, args.runs)?;
    Ok(())
}

/// Generates the extract into `dir` unless the same configuration is already there; returns the
/// number of case-extract rows.
fn generate_unless_present(config: &GenerateConfig, dir: &Path) -> Result<u64> {
    let marker = dir.join("criteria_bench.config");
    let wanted = format!("{} {} {} {}\n", config.citizens, config.years, config.first_year, config.seed);
    let rows_file = dir.join("criteria_bench.rows");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        println!("using the extract already in {}", dir.display());
        return Ok(std::fs::read_to_string(rows_file)?.trim().parse()?);
    }
    let _ = std::fs::remove_dir_all(dir);
    let started = Instant::now();
    let summary = generate(config, dir)?;
    let rows: u64 = summary.files.iter().filter(|(f, _)| f.starts_with("opera/")).map(|(_, n)| n).sum();
    let seconds = started.elapsed().as_secs_f64();
    println!("{summary}");
    println!("BENCH generate_s={seconds:.1}");
    std::fs::write(&rows_file, format!("{rows}\n"))?;
    std::fs::write(&marker, wanted)?;
    Ok(rows)
}

/// Runs `f` `runs` times; returns the last result and every duration.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, Vec<Duration>) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        last = Some(std::hint::black_box(f()));
        times.push(started.elapsed());
    }
    (last.expect("at least one run"), times)
}

fn min(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(what: &str, times: &[Duration]) {
    let all: Vec<String> = times.iter().map(|t| format!("{:.1}", ms(*t))).collect();
    println!("{what}: best {:.1} ms of [{}] ms", ms(min(times)), all.join(", "));
}

/// Where the time goes: the same evaluation without drill-down, and each initiative on its own.
fn time_parts(
    data: &CaseData,
    criteria: &[sikkerby_domain::criteria::CriterionDefinition],
    request: &Request,
    runs: usize,
) {
    let overall = Request { by: None, ..request.clone() };
    let (_, times) = best_of(runs, || evaluate(data, criteria, &overall));
    println!("BENCH evaluate_no_drilldown_best_ms={:.1}", ms(min(&times)));
    let mut parts = Vec::new();
    for initiative in ["SSPPLUS", "DOMTE", "FRITIDSJOB", "EXIT", "UDGAAENDE", "KRIMITEAM"] {
        let one = Request { initiative: Some(initiative), ..request.clone() };
        let (_, times) = best_of(runs, || evaluate(data, criteria, &one));
        parts.push(format!("{initiative} {:.1}", ms(min(&times))));
    }
    println!("by initiative, with drill-down (best, ms): {}", parts.join(", "));
}

/// Flips the follow-up of one C4 cohort member between positive and not, and times each change
/// to new results: the whole evaluation, and only the changed initiative's criteria.
fn time_a_changed_follow_up(
    mut data: CaseData,
    criteria: &[sikkerby_domain::criteria::CriterionDefinition],
    request: &Request,
    runs: usize,
) -> Result<()> {
    let window =
        Window { from: day(request.period.from()), to: day(request.period.to()), as_of: day(request.as_of) };
    let members = cohorts::positive_after_release(&data, "DOMTE", &window);
    let member = members.iter().find(|m| m.outcome != Outcome::Success).ok_or("no C4 member to change")?;
    let event = data.events_of(member.citizen).iter().copied().find(|&v| {
        let e = data.events[v as usize];
        e.kind == EventKind::Loesladelse && e.date == member.anchor
    });
    let event = event.ok_or("the member's release")?;
    let event_id = data.event_index.iter().find(|(_, &v)| v == event).map(|(id, _)| id.clone()).unwrap();
    let released = sikkerby_domain::engine::data::date(member.anchor);
    let due = sikkerby_domain::calendar::add_months(released, 3);
    let c4 = |e: &Evaluation| e.results.iter().find(|r| r.criterion == "C4").and_then(|r| r.numerator);
    let before = c4(&evaluate(&data, criteria, request));
    // The dashboard's path: a live evaluation updated for the one changed citizen.
    let mut live = LiveEvaluation::new(&data, criteria, request);
    let mut times = Vec::new();
    for run in 0..runs.max(1) * 2 {
        let positive = run % 2 == 0;
        let started = Instant::now();
        data.upsert_follow_up(Anchor::Loesladelse, &event_id, due, Some(due), positive);
        live.citizen_changed(&data, member.citizen);
        let after = live.result(&data);
        times.push(started.elapsed());
        let expected = before.map(|n| if positive { n + 1 } else { n });
        assert_eq!(c4(&after), expected, "the change shows in C4");
    }
    report("follow-up changed → new results (live, all criteria)", &times);
    println!("BENCH followup_live_best_ms={:.1}", ms(min(&times)));
    assert_eq!(live.result(&data), evaluate(&data, criteria, request), "live equals a fresh evaluation");
    // For comparison: re-evaluating everything from scratch after the change.
    let mut times = Vec::new();
    for run in 0..runs.max(1) {
        let started = Instant::now();
        data.upsert_follow_up(Anchor::Loesladelse, &event_id, due, Some(due), run % 2 == 0);
        let _ = evaluate(&data, criteria, request);
        times.push(started.elapsed());
    }
    report("follow-up changed → full re-evaluation (reference)", &times);
    println!("BENCH followup_best_ms={:.1}", ms(min(&times)));
    Ok(())
}

/// One row of a CSV file, its columns found by (case-insensitive) name; empty = absent.
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
}

impl<'a> Row<'a> {
    fn get(&self, column: &str) -> Option<&'a str> {
        self.columns.get(column).and_then(|&i| self.record.get(i)).filter(|v| !v.is_empty())
    }

    fn required(&self, column: &str) -> Result<&'a str> {
        self.get(column).ok_or_else(|| format!("missing {column}").into())
    }

    fn date(&self, column: &str) -> Result<Option<NaiveDate>> {
        Ok(self.get(column).map(parse_date).transpose()?)
    }

    fn start(&self, column: &str) -> Result<NaiveDate> {
        self.date(column)?.ok_or_else(|| format!("missing {column}").into())
    }

    /// The citizen's id in `CaseData`: the CPR number's ten digits as a number.
    fn citizen(&self) -> Result<i64> {
        Ok(self.required("cpr")?.replace('-', "").parse()?)
    }
}

/// Reads one CSV file of the extract row by row (delimiter `;` or `,`, from the header line).
fn each_row(path: &Path, mut apply: impl FnMut(&Row) -> Result<()>) -> Result<()> {
    let mut header = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(std::fs::File::open(path)?), &mut header)?;
    let delimiter = if header.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_path(path)?;
    let columns: HashMap<String, usize> = reader
        .headers()?
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim_start_matches('\u{feff}').trim().to_lowercase(), i))
        .collect();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        apply(&Row { record: &record, columns: &columns })?;
    }
    Ok(())
}

/// Reads the case extract into the engine's form, file by file, in the order references need.
fn load(dir: &Path, codes: &CodeLists) -> Result<CaseData> {
    let mut data = CaseData::new();
    each_row(&dir.join("borgere.csv"), |row| {
        let cpr = Cpr::parse(row.required("cpr")?)?.cpr;
        data.upsert_citizen(row.citizen()?, cpr.birth_date(), cpr.sex() == Sex::Male, row.get("omraade"));
        Ok(())
    })?;
    each_row(&dir.join("forloeb.csv"), |row| {
        data.upsert_enrollment(
            row.required("forloeb_id")?,
            row.citizen()?,
            row.required("indsats")?,
            row.start("start")?,
            row.date("slut")?,
            row.get("afslutningsaarsag").is_some_and(|r| codes.is_positive_end(r)),
            row.required("tovholder")?.eq_ignore_ascii_case("BIF"),
            row.get("sagsbehandlerkode"),
            row.get("center"),
        );
        Ok(())
    })?;
    each_row(&dir.join("tilbud.csv"), |row| {
        let lab = codes.is_lab_offer(row.required("tilbudstype")?);
        let (id, enrollment) = (row.required("tilbud_id")?, row.required("forloeb_id")?);
        data.upsert_offer(id, enrollment, lab, row.start("start")?, row.date("slut")?);
        Ok(())
    })?;
    each_row(&dir.join("fritidsjob.csv"), |row| {
        let id = row.required("fritidsjob_id")?;
        data.upsert_placement(id, row.citizen()?, row.start("start")?, row.date("slut")?);
        Ok(())
    })?;
    each_row(&dir.join("haendelser.csv"), |row| {
        if let Some(kind) = EventKind::parse(row.required("haendelse")?) {
            data.upsert_event(row.required("haendelse_id")?, row.citizen()?, kind, row.start("dato")?);
        }
        Ok(())
    })?;
    each_row(&dir.join("opfoelgninger.csv"), |row| {
        if let Some(anchor) = Anchor::parse(row.required("anker")?) {
            let positive = row.get("status").is_some_and(|s| codes.is_positive_status(s));
            let (id, due) = (row.required("anker_id")?, row.start("forfald")?);
            data.upsert_follow_up(anchor, id, due, row.date("udfoert")?, positive);
        }
        Ok(())
    })?;
    Ok(data)
}
