//! Shared by the generator's test files: generate an extract once per test binary and read its
//! CSV files back with plain `csv` parsing, independent of the generator's own types.
#![allow(dead_code)]

use chrono::NaiveDate;
use sikkerby_domain::calendar::parse_date;
use sikkerby_domain::portfolio::DataSource;
use sikkerby_domain::seed::Seed;
use sikkerby_generator::{generate, GenerateConfig, GenerateSummary};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One CSV row, by lower-case column name.
pub type Row = HashMap<String, String>;

/// A generated extract on disk.
pub struct Extract {
    pub dir: PathBuf,
    pub config: GenerateConfig,
    pub summary: GenerateSummary,
}

impl Extract {
    /// The rows of one file, e.g. `"opera/forloeb.csv"`.
    pub fn read(&self, rel: &str) -> Vec<Row> {
        read(&self.dir, rel)
    }

    /// The period's last day; nothing may be recorded after it.
    pub fn end(&self) -> NaiveDate {
        self.summary.to
    }
}

/// Generates `config` into a fresh folder named `name` under Cargo's test scratch directory.
pub fn generate_into(name: &str, config: GenerateConfig) -> Extract {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove an old extract");
    }
    let summary = generate(&config, &dir).expect("generation succeeds");
    Extract { dir, config, summary }
}

/// The demo extract (5,000 citizens, 2012–2014), generated once per test binary.
pub fn demo(binary: &str) -> &'static Extract {
    static DEMO: OnceLock<Extract> = OnceLock::new();
    DEMO.get_or_init(|| generate_into(&format!("demo-{binary}"), GenerateConfig::default()))
}

/// Reads a `;`-separated file with a header row.
pub fn read(dir: &Path, rel: &str) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(dir.join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    let headers: Vec<String> = reader.headers().expect("header row").iter().map(str::to_lowercase).collect();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap_or_else(|e| panic!("{rel}: {e}"));
            headers.iter().cloned().zip(record.iter().map(String::from)).collect()
        })
        .collect()
}

/// Rows keyed by one column.
pub fn by(rows: &[Row], column: &str) -> HashMap<String, Row> {
    rows.iter().map(|r| (r[column].clone(), r.clone())).collect()
}

/// A required date column.
pub fn date(row: &Row, column: &str) -> NaiveDate {
    parse_date(&row[column]).unwrap_or_else(|e| panic!("{column}: {e}"))
}

/// An optional date column (empty = none).
pub fn opt_date(row: &Row, column: &str) -> Option<NaiveDate> {
    let text = &row[column];
    (!text.is_empty()).then(|| date(row, column))
}

/// Whether an enrollment, offer or placement row is active on `day` (docs/domain.md §7).
pub fn active_on(row: &Row, day: NaiveDate) -> bool {
    date(row, "start") <= day && opt_date(row, "slut").is_none_or(|end| day <= end)
}

/// The seed data.
pub fn seed() -> &'static Seed {
    static SEED: OnceLock<Seed> = OnceLock::new();
    SEED.get_or_init(|| sikkerby_domain::seed::load().expect("seed loads"))
}

/// Codes of the initiatives measured via OPERA.
pub fn opera_initiatives() -> Vec<String> {
    seed()
        .portfolio
        .initiatives
        .iter()
        .filter(|i| i.data_source == DataSource::Opera)
        .map(|i| i.code.as_str().to_owned())
        .collect()
}

/// Whether a follow-up status counts as positive, per the seed's code list.
pub fn positive_status(code: &str) -> bool {
    seed().code_lists.is_positive_status(code)
}

/// `(year, 1 January, 31 December)` for each year of the extract.
pub fn years(extract: &Extract) -> Vec<(i32, NaiveDate, NaiveDate)> {
    (0..extract.config.years as i32)
        .map(|t| {
            let year = extract.config.first_year + t;
            let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("date");
            (year, day(1, 1), day(12, 31))
        })
        .collect()
}
