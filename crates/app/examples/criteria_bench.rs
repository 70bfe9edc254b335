//! Benchmark of the criteria engine at national scale (BENCHMARKS.md, "Criteria engine"):
//! generates a synthetic OPERA extract, loads it into the engine's [`CaseData`], and times
//! `evaluate` for one year with a drill-down by centre, then the time from one changed follow-up
//! to new results. Run by `bench/criteria.sh`, which adds DuckDB over the same files.
//!
//! ```text
//! cargo run --release -p sikkerby-app --example criteria_bench -- \
//!     [--citizens 1000000] [--years 10] [--seed 2013] [--data DIR] [--runs 5] [--json FILE] \
//!     [--threads N]   # 0 (default): all cores
//! ```
//!
//! The extract is read straight from the CSV files into `CaseData` with the same codes and rules
//! as `Store::load_case_data` (LAB and positive flags from the seed's code lists, lead BIF in any
//! case); loading is timed and reported, but it is not what the benchmark is about. Loading and
//! evaluating run on a rayon pool of `--threads`. Lines that
//! start `BENCH ` are for the script to read.

use chrono::NaiveDate;
use rayon::prelude::*;
use sikkerby_domain::calendar::{parse_date, Period};
use sikkerby_domain::codes::{Anchor, CodeLists, EventKind};
use sikkerby_domain::cpr::{Cpr, Sex};
use sikkerby_domain::engine::cohorts::{self, Outcome, Window};
use sikkerby_domain::engine::data::day;
use sikkerby_domain::engine::live::LiveEvaluation;
use sikkerby_domain::engine::{evaluate, evaluate_one, CaseData, Dimension, Evaluation, Request};
use sikkerby_generator::{generate, GenerateConfig};
use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The allocator of the `sikkerby` binary (crates/cli/src/main.rs), so the engine and the load
/// are measured as the server runs them: the load allocates an id string per record.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

struct Args {
    citizens: u64,
    years: u32,
    seed: u64,
    data: PathBuf,
    runs: usize,
    json: Option<PathBuf>,
    /// Threads for loading and evaluating; 0 = all cores.
    threads: usize,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        citizens: 1_000_000,
        years: 10,
        seed: 2013,
        data: std::env::temp_dir().join("sikkerby-criteria-bench"),
        runs: 5,
        json: None,
        threads: 0,
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
            "--threads" => args.threads = value()?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(args)
}

fn main() -> Result<()> {
    let args = parse_args()?;
    // The engine runs on the current rayon pool: this one, of --threads (0 = all cores).
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads).build()?;
    println!("BENCH threads={}", pool.current_num_threads());
    pool.install(|| run(&args))
}

fn run(args: &Args) -> Result<()> {
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
    let (data, applying) = load(&args.data.join("opera"), &codes)?;
    let load_time = started.elapsed();
    println!(
        "loaded {} records into CaseData in {:.1} s ({:.1} s of it applying the rows, one thread)",
        data.row_count(),
        load_time.as_secs_f64(),
        applying.as_secs_f64()
    );
    println!(
        "BENCH rows_csv={csv_rows} rows_engine={} load_s={:.2} load_apply_s={:.2}",
        data.row_count(),
        load_time.as_secs_f64(),
        applying.as_secs_f64()
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
        // The breakdown is published from the linked evaluation by centre (publish::Raw).
        let by_centre = vec![(Dimension::Centre, evaluation.clone())];
        let raw = sikkerby_domain::publish::Raw { totals: evaluation.clone(), by_dimension: by_centre };
        let grant = sikkerby_domain::publish::RawGrant::after_audit(0);
        let rules = sikkerby_domain::disclosure::DisclosureRules::default();
        let exact = sikkerby_domain::publish::unprotected(&raw, Some(Dimension::Centre), &rules, &grant);
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
    let window = Window::of(request);
    let mut parts = Vec::new();
    for c in criteria.iter().filter(|c| c.measure.is_some()) {
        let (_, times) = best_of(runs, || evaluate_one(data, c, &window, request));
        parts.push(format!("{} {:.1}", c.id, ms(min(&times))));
    }
    println!("by criterion, with drill-down (best, ms): {}", parts.join(", "));
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

/// One CSV file of the extract, read whole: the rows are parsed in parallel and borrow their
/// text from it, so a row costs no allocation until `CaseData` keeps an id.
struct Table {
    name: String,
    text: String,
    delimiter: u8,
    columns: HashMap<String, usize>,
    /// Where the first data line starts.
    body: usize,
}

impl Table {
    /// Reads a file; the delimiter (`;` or `,`) and the columns come from the header line.
    fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let body = text.find('\n').map_or(text.len(), |n| n + 1);
        let header = text[..body].trim_start_matches('\u{feff}').trim_end();
        let delimiter = if header.contains(';') { b';' } else { b',' };
        let columns =
            header.split(delimiter as char).enumerate().map(|(i, h)| (h.trim().to_lowercase(), i)).collect();
        Ok(Self { name: path.display().to_string(), text, delimiter, columns, body })
    }

    /// The position of a column, if the file has it.
    fn column(&self, name: &str) -> Option<usize> {
        self.columns.get(name).copied()
    }

    /// Every data row through `parse` (`None` = skip the row), in file order. A line is a row
    /// (the generator writes no quoted fields; a file with quotes is refused rather than misread),
    /// so the text is cut at line ends into pieces parsed in parallel.
    fn rows<'t, T: Send>(
        &'t self,
        parse: impl Fn(&Fields<'t>) -> Result<Option<T>> + Sync,
    ) -> Result<Vec<T>> {
        let body = &self.text[self.body..];
        if body.contains('"') {
            return Err(format!("{}: quoted fields are not read by the benchmark", self.name).into());
        }
        let pieces = pieces(body, rayon::current_num_threads() * 8);
        let parsed: Vec<Vec<T>> = pieces
            .par_iter()
            .map(|piece| {
                let mut fields = Fields { values: Vec::new() };
                let mut out = Vec::new();
                for line in piece.lines().filter(|l| !l.is_empty()) {
                    fields.values.clear();
                    fields.values.extend(line.split(self.delimiter as char));
                    out.extend(parse(&fields)?);
                }
                Ok(out)
            })
            .collect::<Result<_>>()?;
        Ok(parsed.into_iter().flatten().collect())
    }
}

/// `text` cut into about `n` pieces, each ending at a line end.
fn pieces(text: &str, n: usize) -> Vec<&str> {
    let size = text.len() / n.max(1) + 1;
    let mut out = Vec::with_capacity(n + 1);
    let mut rest = text;
    while !rest.is_empty() {
        let cut = rest.get(size..).and_then(|tail| tail.find('\n')).map_or(rest.len(), |n| size + n + 1);
        let (piece, tail) = rest.split_at(cut);
        out.push(piece);
        rest = tail;
    }
    out
}

/// The fields of one row.
struct Fields<'t> {
    values: Vec<&'t str>,
}

impl<'t> Fields<'t> {
    /// A column's value; an absent column or an empty field is `None`.
    fn get(&self, column: Option<usize>) -> Option<&'t str> {
        column.and_then(|i| self.values.get(i)).map(|v| v.trim_end_matches('\r')).filter(|v| !v.is_empty())
    }

    fn required(&self, column: Option<usize>, name: &str) -> Result<&'t str> {
        self.get(column).ok_or_else(|| format!("missing {name}").into())
    }

    fn date(&self, column: Option<usize>) -> Result<Option<NaiveDate>> {
        Ok(self.get(column).map(parse_date).transpose()?)
    }

    fn start(&self, column: Option<usize>, name: &str) -> Result<NaiveDate> {
        self.date(column)?.ok_or_else(|| format!("missing {name}").into())
    }
}

/// The citizen's id in `CaseData`: the CPR number's ten digits as a number.
fn citizen_id(cpr: &str) -> Result<i64> {
    let mut digits = cpr.bytes().filter(|&b| b != b'-');
    let number = digits.try_fold(0i64, |n, b| {
        let digit = b.is_ascii_digit().then(|| i64::from(b - b'0'));
        digit.and_then(|d| n.checked_mul(10)?.checked_add(d))
    });
    number.ok_or_else(|| "cpr: not a number of ten digits".into())
}

/// The columns of one file, by name.
fn columns<const N: usize>(table: &Table, names: [&str; N]) -> [Option<usize>; N] {
    names.map(|name| table.column(name))
}

/// Rows of one file, parsed, waiting to be applied to `CaseData`.
type Apply<'t> = Box<dyn FnOnce(&mut CaseData) + Send + 't>;

/// Parses one file's rows (in parallel) into the step that applies them.
type Parse<'t> = fn(&'t Table, &'t CodeLists) -> Result<Apply<'t>>;

/// Reads the case extract into the engine's form: the files are read in parallel, and each
/// file's rows are parsed (in parallel pieces) while the previous file's are applied to
/// `CaseData` in the order references need. Applying is one thread (the upserts intern names and
/// index ids): it bounds the load. Returns the data and the time spent applying.
fn load(dir: &Path, codes: &CodeLists) -> Result<(CaseData, Duration)> {
    let steps: [(&str, Parse); 6] = [
        ("borgere", citizens),
        ("forloeb", enrollments),
        ("tilbud", offers),
        ("fritidsjob", placements),
        ("haendelser", events),
        ("opfoelgninger", follow_ups),
    ];
    let tables: Vec<Table> =
        steps.par_iter().map(|(f, _)| Table::read(&dir.join(format!("{f}.csv")))).collect::<Result<_>>()?;
    let mut data = CaseData::new();
    let mut applying = Duration::ZERO;
    let mut apply = |data: &mut CaseData, step: Option<Apply>| {
        let started = Instant::now();
        if let Some(step) = step {
            step(data);
        }
        applying += started.elapsed();
    };
    let mut pending: Option<Apply> = None;
    for ((_, parse), table) in steps.iter().zip(&tables) {
        let ((), parsed) = rayon::join(|| apply(&mut data, pending.take()), || parse(table, codes));
        pending = Some(parsed?);
    }
    apply(&mut data, pending);
    Ok((data, applying))
}

fn citizens<'t>(table: &'t Table, _: &'t CodeLists) -> Result<Apply<'t>> {
    let today = chrono::Local::now().date_naive();
    let [cpr, area] = columns(table, ["cpr", "omraade"]);
    let rows = table.rows(|f| {
        let raw = f.required(cpr, "cpr")?;
        let parsed = Cpr::parse_on(raw, today)?.cpr;
        Ok(Some((citizen_id(raw)?, parsed.birth_date(), parsed.sex() == Sex::Male, f.get(area))))
    })?;
    Ok(Box::new(move |data| {
        data.citizen_index.reserve(rows.len());
        for (id, birth, male, area) in rows {
            data.upsert_citizen(id, birth, male, area);
        }
    }))
}

fn enrollments<'t>(table: &'t Table, codes: &'t CodeLists) -> Result<Apply<'t>> {
    let names = ["forloeb_id", "cpr", "indsats", "start", "slut", "afslutningsaarsag", "tovholder"];
    let [id, cpr, initiative, start, end, reason, lead] = columns(table, names);
    let [caseworker, centre] = columns(table, ["sagsbehandlerkode", "center"]);
    let rows = table.rows(|f| {
        Ok(Some((
            f.required(id, "forloeb_id")?,
            citizen_id(f.required(cpr, "cpr")?)?,
            f.required(initiative, "indsats")?,
            f.start(start, "start")?,
            f.date(end)?,
            f.get(reason).is_some_and(|r| codes.is_positive_end(r)),
            f.required(lead, "tovholder")?.eq_ignore_ascii_case("BIF"),
            f.get(caseworker),
            f.get(centre),
        )))
    })?;
    Ok(Box::new(move |data| {
        data.enrollment_index.reserve(rows.len());
        for (id, citizen, initiative, start, end, positive, bif, caseworker, centre) in rows {
            data.upsert_enrollment(id, citizen, initiative, start, end, positive, bif, caseworker, centre);
        }
    }))
}

fn offers<'t>(table: &'t Table, codes: &'t CodeLists) -> Result<Apply<'t>> {
    let [id, enrollment, kind, start, end] =
        columns(table, ["tilbud_id", "forloeb_id", "tilbudstype", "start", "slut"]);
    let rows = table.rows(|f| {
        let lab = codes.is_lab_offer(f.required(kind, "tilbudstype")?);
        let (id, enrollment) = (f.required(id, "tilbud_id")?, f.required(enrollment, "forloeb_id")?);
        Ok(Some((id, enrollment, lab, f.start(start, "start")?, f.date(end)?)))
    })?;
    Ok(Box::new(move |data| {
        data.offer_index.reserve(rows.len());
        for (id, enrollment, lab, start, end) in rows {
            data.upsert_offer(id, enrollment, lab, start, end);
        }
    }))
}

fn placements<'t>(table: &'t Table, _: &'t CodeLists) -> Result<Apply<'t>> {
    let [id, cpr, start, end] = columns(table, ["fritidsjob_id", "cpr", "start", "slut"]);
    let rows = table.rows(|f| {
        let citizen = citizen_id(f.required(cpr, "cpr")?)?;
        Ok(Some((f.required(id, "fritidsjob_id")?, citizen, f.start(start, "start")?, f.date(end)?)))
    })?;
    Ok(Box::new(move |data| {
        for (id, citizen, start, end) in rows {
            data.upsert_placement(id, citizen, start, end);
        }
    }))
}

fn events<'t>(table: &'t Table, _: &'t CodeLists) -> Result<Apply<'t>> {
    let [id, cpr, kind, on] = columns(table, ["haendelse_id", "cpr", "haendelse", "dato"]);
    let rows = table.rows(|f| {
        let Some(kind) = EventKind::parse(f.required(kind, "haendelse")?) else { return Ok(None) };
        let citizen = citizen_id(f.required(cpr, "cpr")?)?;
        Ok(Some((f.required(id, "haendelse_id")?, citizen, kind, f.start(on, "dato")?)))
    })?;
    Ok(Box::new(move |data| {
        data.event_index.reserve(rows.len());
        for (id, citizen, kind, on) in rows {
            data.upsert_event(id, citizen, kind, on);
        }
    }))
}

fn follow_ups<'t>(table: &'t Table, codes: &'t CodeLists) -> Result<Apply<'t>> {
    let [anchor, anchor_id, due, done, status] =
        columns(table, ["anker", "anker_id", "forfald", "udfoert", "status"]);
    let rows = table.rows(|f| {
        let Some(anchor) = Anchor::parse(f.required(anchor, "anker")?) else { return Ok(None) };
        let positive = f.get(status).is_some_and(|s| codes.is_positive_status(s));
        let id = f.required(anchor_id, "anker_id")?;
        Ok(Some((anchor, id, f.start(due, "forfald")?, f.date(done)?, positive)))
    })?;
    Ok(Box::new(move |data| {
        for (anchor, id, due, done, positive) in rows {
            data.upsert_follow_up(anchor, id, due, done, positive);
        }
    }))
}
