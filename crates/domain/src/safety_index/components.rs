//! The raw components R, V, U, N per area and year and for the city: the rows are grouped into
//! one cell per area row of `omraader.csv`, and every figure is a sum over a cell.

use std::collections::{BTreeMap, BTreeSet};

use super::uncertainty::Draw;
use super::{IndexInputs, SurveyResponse};

/// Weighted sums over the respondents of one area (or of the city) in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct SurveySums {
    pub n: usize,
    pub w: f64,
    pub w_squared: f64,
    pub w_victimised: f64,
    pub w_unsafe: f64,
    pub w_unsafe_night: f64,
}

impl SurveySums {
    fn add(&mut self, d: &Draw, w_unsafe_night: f64) {
        self.n += 1;
        self.w += d[0];
        self.w_squared += d[0] * d[0];
        self.w_victimised += d[1];
        self.w_unsafe += d[2];
        self.w_unsafe_night += w_unsafe_night;
    }

    pub fn merge(&mut self, other: &SurveySums) {
        self.n += other.n;
        self.w += other.w;
        self.w_squared += other.w_squared;
        self.w_victimised += other.w_victimised;
        self.w_unsafe += other.w_unsafe;
        self.w_unsafe_night += other.w_unsafe_night;
    }

    /// A weighted share; `None` without respondents (or with only zero weights).
    fn share(&self, part: f64) -> Option<f64> {
        (self.w > 0.0).then(|| part / self.w)
    }

    pub fn v(&self) -> Option<f64> {
        self.share(self.w_victimised)
    }

    pub fn u(&self) -> Option<f64> {
        self.share(self.w_unsafe)
    }

    pub fn night(&self) -> Option<f64> {
        self.share(self.w_unsafe_night)
    }

    /// Kish effective n, (Σw)² / Σw².
    pub fn n_eff(&self) -> f64 {
        if self.w_squared > 0.0 {
            self.w * self.w / self.w_squared
        } else {
            0.0
        }
    }
}

/// R = 1000 × citizen-facing reports / population. `None` when the population is 0, or when the
/// year has no police data at all: a year whose police file has not arrived must not look like a
/// crime-free year.
pub(crate) fn rate_per_1000(reports: u64, population: u64, police_data: bool) -> Option<f64> {
    (police_data && population > 0).then(|| 1000.0 * reports as f64 / population as f64)
}

/// One area in one year: its population row and everything reported about it.
#[derive(Debug, Clone)]
pub(crate) struct Cell<'a> {
    pub area: &'a str,
    pub district: &'a str,
    pub year: i32,
    pub population: u64,
    pub reports: u64,
    pub survey: SurveySums,
    /// The respondents as the bootstrap reads them.
    pub draws: Vec<Draw>,
}

/// The inputs grouped into cells, sorted by year and area.
#[derive(Debug, Clone)]
pub(crate) struct Grouped<'a> {
    pub cells: Vec<Cell<'a>>,
    /// Years with at least one police-report row (see [`rate_per_1000`]).
    pub police_years: BTreeSet<i32>,
    /// Report rows and survey responses for an area and year without a population row; they are
    /// left out of the area and the city alike, and counted so the import can warn.
    pub unmatched_reports: usize,
    pub unmatched_responses: usize,
}

fn draw_of(r: &SurveyResponse, unsafe_from: u8) -> (Draw, f64) {
    let w = r.weight;
    let flag = |yes: bool| if yes { w } else { 0.0 };
    ([w, flag(r.victimised), flag(r.safe_neighbourhood >= unsafe_from)], flag(r.safe_night >= unsafe_from))
}

/// Groups the rows by area and year. A repeated population row replaces the earlier one, as a
/// later extract updates a row on import.
pub(crate) fn group(inputs: &IndexInputs, unsafe_from: u8) -> Grouped<'_> {
    let mut cells: BTreeMap<(i32, &str), Cell<'_>> = BTreeMap::new();
    for a in &inputs.areas {
        let cell = Cell {
            area: &a.area,
            district: &a.district,
            year: a.year,
            population: a.population,
            reports: 0,
            survey: SurveySums::default(),
            draws: Vec::new(),
        };
        cells.insert((a.year, a.area.as_str()), cell);
    }
    let mut police_years = BTreeSet::new();
    let mut unmatched_reports = 0;
    for r in &inputs.reports {
        match cells.get_mut(&(r.year, r.area.as_str())) {
            Some(cell) => {
                police_years.insert(r.year);
                if r.citizen_facing {
                    cell.reports += r.count;
                }
            }
            None => unmatched_reports += 1,
        }
    }
    let mut unmatched_responses = 0;
    for r in &inputs.survey {
        match cells.get_mut(&(r.year, r.area.as_str())) {
            Some(cell) => {
                let (draw, w_night) = draw_of(r, unsafe_from);
                cell.survey.add(&draw, w_night);
                cell.draws.push(draw);
            }
            None => unmatched_responses += 1,
        }
    }
    Grouped { cells: cells.into_values().collect(), police_years, unmatched_reports, unmatched_responses }
}

/// The city in one year: the sums over all its areas' cells.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct CitySums {
    pub population: u64,
    pub reports: u64,
    pub survey: SurveySums,
}

/// City sums per year, over the areas with a population row that year.
pub(crate) fn city_sums(cells: &[Cell<'_>]) -> BTreeMap<i32, CitySums> {
    let mut city: BTreeMap<i32, CitySums> = BTreeMap::new();
    for c in cells {
        let sums = city.entry(c.year).or_default();
        sums.population += c.population;
        sums.reports += c.reports;
        sums.survey.merge(&c.survey);
    }
    city
}
