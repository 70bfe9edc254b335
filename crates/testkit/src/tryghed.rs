//! An independent reading of the area data for tests: a small generated `tryghed/` folder, and
//! R, V, U, N and T per area and year computed straight from its CSV files by the formulas of
//! docs/domain.md §8, written apart from `sikkerby_domain::safety_index` so that the two can be
//! checked against each other. Defaults only: equal weights, unsafe = answer 4–5, base year =
//! the first year.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Generates a small synthetic data set (200 citizens, 2012–2014) under `dir` and returns the
/// path of its `tryghed/` folder (its `opera/` folder lies beside it).
pub fn generate_small(dir: &Path) -> PathBuf {
    let config = sikkerby_generator::GenerateConfig { citizens: 200, years: 3, first_year: 2012, seed: 7 };
    sikkerby_generator::generate(&config, dir).expect("generate");
    dir.join("tryghed")
}

/// The figures of one area (or the city) in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
    pub r: Option<f64>,
    pub v: Option<f64>,
    pub u: Option<f64>,
    pub n: Option<f64>,
    pub t: Option<f64>,
}

/// Everything computed from the folder.
#[derive(Debug, Clone, Default)]
pub struct Independent {
    pub base_year: i32,
    /// (year, area) → figures.
    pub areas: BTreeMap<(i32, String), Figures>,
    /// year → the city's figures (no T).
    pub city: BTreeMap<i32, Figures>,
}

impl Independent {
    /// Areas with T ≥ 125 (markant or intensiveret at the default cut points) in `year`.
    pub fn needing_effort(&self, year: i32) -> usize {
        self.areas.iter().filter(|((y, _), f)| *y == year && f.t.is_some_and(|t| t >= 125.0)).count()
    }
}

#[derive(Default, Clone, Copy)]
struct Sums {
    w: f64,
    victim: f64,
    unsafe_day: f64,
    unsafe_night: f64,
}

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_path(path).expect("open csv");
    let header: Vec<String> = reader.headers().expect("header").iter().map(|h| h.to_lowercase()).collect();
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.expect("record").iter().map(str::to_owned)).collect())
        .collect()
}

fn num(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column].replace(',', ".").parse().expect("number")
}

type Key = (i32, String);

/// Population per area and year.
fn populations(dir: &Path) -> BTreeMap<Key, f64> {
    rows(&dir.join("omraader.csv"))
        .into_iter()
        .map(|row| ((num(&row, "aar") as i32, row["omraade_id"].clone()), num(&row, "befolkning")))
        .collect()
}

/// Citizen-facing reports per area and year, and the years with any police data.
fn reports(dir: &Path) -> (BTreeMap<Key, f64>, BTreeSet<i32>) {
    let mut reports: BTreeMap<Key, f64> = BTreeMap::new();
    let mut police_years = BTreeSet::new();
    for row in rows(&dir.join("anmeldelser.csv")) {
        let key = (num(&row, "aar") as i32, row["omraade_id"].clone());
        police_years.insert(key.0);
        if row["borgervendt"] == "1" {
            *reports.entry(key).or_default() += num(&row, "antal");
        }
    }
    (reports, police_years)
}

/// Weighted sums of the answers per area and year.
fn answers(dir: &Path) -> BTreeMap<Key, Sums> {
    let mut survey: BTreeMap<Key, Sums> = BTreeMap::new();
    for row in rows(&dir.join("survey.csv")) {
        let w = num(&row, "vaegt");
        let s = survey.entry((num(&row, "aar") as i32, row["omraade_id"].clone())).or_default();
        s.w += w;
        s.victim += if row["offer"] == "1" { w } else { 0.0 };
        s.unsafe_day += if num(&row, "tryg_nabolag") >= 4.0 { w } else { 0.0 };
        s.unsafe_night += if num(&row, "tryg_nat") >= 4.0 { w } else { 0.0 };
    }
    survey
}

fn figures(reports: f64, pop: f64, s: Sums, police: bool) -> Figures {
    Figures {
        r: (police && pop > 0.0).then(|| 1000.0 * reports / pop),
        v: (s.w > 0.0).then(|| s.victim / s.w),
        u: (s.w > 0.0).then(|| s.unsafe_day / s.w),
        n: (s.w > 0.0).then(|| s.unsafe_night / s.w),
        t: None,
    }
}

/// Reads the four files of `dir` and computes every figure.
pub fn compute_from_csv(dir: &Path) -> Independent {
    let population = populations(dir);
    let (reports, police_years) = reports(dir);
    let survey = answers(dir);
    let mut out =
        Independent { base_year: population.keys().map(|k| k.0).min().unwrap_or(0), ..Default::default() };
    let years: BTreeSet<i32> = population.keys().map(|k| k.0).collect();
    for &year in &years {
        let keys: Vec<&Key> = population.keys().filter(|k| k.0 == year).collect();
        let mut all = Sums::default();
        let (mut all_reports, mut all_pop) = (0.0, 0.0);
        let police = police_years.contains(&year);
        for key in keys {
            let s = survey.get(key).copied().unwrap_or_default();
            let r = reports.get(key).copied().unwrap_or(0.0);
            (all.w, all.victim, all.unsafe_day, all.unsafe_night) = (
                all.w + s.w,
                all.victim + s.victim,
                all.unsafe_day + s.unsafe_day,
                all.unsafe_night + s.unsafe_night,
            );
            (all_reports, all_pop) = (all_reports + r, all_pop + population[key]);
            out.areas.insert(key.clone(), figures(r, population[key], s, police));
        }
        out.city.insert(year, figures(all_reports, all_pop, all, police));
    }
    let base = out.city[&out.base_year];
    for f in out.areas.values_mut() {
        let index = |c: Option<f64>, b: Option<f64>| Some(100.0 * c? / b?);
        let parts = [index(f.r, base.r), index(f.v, base.v), index(f.u, base.u)];
        f.t = parts.iter().copied().sum::<Option<f64>>().map(|sum| sum / 3.0);
    }
    out
}
