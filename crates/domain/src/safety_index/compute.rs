//! From components to the index: I_c = 100 × c / c(city, base year), T as the weighted mean of
//! the I_c, the category, the intervals and the bootstrap (docs/domain.md §8).
//!
//! A city base value of 0 (or none: no police data or no respondents in the base year) leaves
//! that component's index undefined for every area and year, since dividing by it is meaningless.
//! We then drop that component from T for everyone and renormalise the remaining weights, so T
//! stays comparable between areas and years (with the dropped component named by its `null`
//! `I_c`). An area missing a component T does use (no respondents, population 0) gets no T:
//! renormalising for one area alone would rank it on different evidence from the rest.
//! A configured base year without data leaves every index undefined, for the same reason.

use std::collections::{BTreeMap, BTreeSet};

use super::changes::add_changes;
use super::components::{city_sums, group, rate_per_1000, Cell, CitySums, SurveySums};
use super::config::{Category, CategoryProbabilities, IndexConfig};
use super::result::{AreaIndex, CityIndex, IndexResult, YearIndex};
use super::uncertainty::{bootstrap_rng, bootstrap_t, percentile_interval, wilson_interval, LinearT};
use super::IndexInputs;

/// Component positions in the arrays below.
const R: usize = 0;
const V: usize = 1;
const U: usize = 2;

/// The city's base values and the weights, i.e. everything that turns components into T.
struct Model {
    /// City base value per component; `None` when 0 or missing (the index is then undefined).
    base: [Option<f64>; 3],
    /// Configured weight of a component T uses, 0 for one it does not.
    weights: [f64; 3],
}

impl Model {
    fn new(base: Option<(&CitySums, bool)>, config: &IndexConfig) -> Model {
        let values = base.map_or([None; 3], |(city, police)| {
            [rate_per_1000(city.reports, city.population, police), city.survey.v(), city.survey.u()]
        });
        let base = values.map(|b| b.filter(|b| b.is_finite() && *b > 0.0));
        let w = &config.weights;
        let mut weights = [w.r, w.v, w.u];
        for (weight, b) in weights.iter_mut().zip(base) {
            if b.is_none() || weight.is_nan() || *weight <= 0.0 {
                *weight = 0.0;
            }
        }
        Model { base, weights }
    }

    fn index(&self, component: usize, value: Option<f64>) -> Option<f64> {
        Some(100.0 * value? / self.base[component]?)
    }

    /// T from the three indices; `None` when a component T uses is missing, or T uses none.
    fn t(&self, indices: [Option<f64>; 3]) -> Option<f64> {
        let total: f64 = self.weights.iter().sum();
        if total <= 0.0 {
            return None;
        }
        let mut sum = 0.0;
        for (weight, index) in self.weights.iter().zip(indices) {
            if *weight > 0.0 {
                sum += weight * index?;
            }
        }
        Some(sum / total)
    }

    /// T as a function of the area's survey shares, with its R held fixed (for the bootstrap).
    fn linear(&self, i_r: Option<f64>) -> LinearT {
        let total: f64 = self.weights.iter().sum();
        let per = |c: usize| match self.base[c] {
            Some(base) if self.weights[c] > 0.0 => self.weights[c] * 100.0 / base / total,
            _ => 0.0,
        };
        let constant = if self.weights[R] > 0.0 { self.weights[R] * i_r.unwrap_or(0.0) / total } else { 0.0 };
        LinearT { constant, per_v: per(V), per_u: per(U) }
    }
}

/// Computes the index for every area and year in the data (see the module docs for the choices).
pub fn compute(inputs: &IndexInputs, config: &IndexConfig) -> IndexResult {
    let grouped = group(inputs, config.unsafe_from);
    let city = city_sums(&grouped.cells);
    let base_year = config.base_year.or_else(|| city.keys().next().copied());
    let police = &grouped.police_years;
    let base = base_year.and_then(|y| Some((city.get(&y)?, police.contains(&y))));
    let model = Model::new(base, config);
    let mut areas: Vec<AreaIndex> =
        grouped.cells.iter().map(|cell| area_index(cell, &model, police, config)).collect();
    let draws = run_bootstraps(&grouped.cells, &areas, &model, config);
    for (area, draws) in areas.iter_mut().zip(draws) {
        attach_bootstrap(area, draws, config);
    }
    let areas = grouped.cells.iter().map(|c| c.year).zip(areas).collect();
    let mut years = assemble_years(areas, &city, &model, police, base_year);
    add_changes(&mut years, config.significance);
    IndexResult {
        config_version: config.version,
        base_year,
        years,
        unmatched_reports: grouped.unmatched_reports,
        unmatched_responses: grouped.unmatched_responses,
    }
}

/// The area's figures without the bootstrap.
fn area_index(cell: &Cell<'_>, model: &Model, police: &BTreeSet<i32>, config: &IndexConfig) -> AreaIndex {
    let s = &cell.survey;
    let r = rate_per_1000(cell.reports, cell.population, police.contains(&cell.year));
    let (v, u, night) = (s.v(), s.u(), s.night());
    let indices = [model.index(R, r), model.index(V, v), model.index(U, u)];
    let t = model.t(indices);
    let n_eff = s.n_eff();
    let wilson = |p: Option<f64>| wilson_interval(p?, n_eff);
    AreaIndex {
        area: cell.area.to_owned(),
        district: cell.district.to_owned(),
        r,
        v,
        u,
        night,
        i_r: indices[R],
        i_v: indices[V],
        i_u: indices[U],
        t,
        category: t.map(|t| Category::from_t(t, &config.cut_points)),
        n: s.n,
        n_eff,
        t_interval: None,
        uncertain: n_eff < config.min_effective_n,
        v_interval: wilson(v),
        u_interval: wilson(u),
        night_interval: wilson(night),
        category_probabilities: None,
        change: None,
        reports: cell.reports,
        population: cell.population,
        bootstrap: Vec::new(),
    }
}

/// Bootstrap draws of T per area, in the order of `cells`. Areas are independent and each has its
/// own random stream, so they are spread over the available cores without changing the result.
fn run_bootstraps(
    cells: &[Cell<'_>],
    areas: &[AreaIndex],
    model: &Model,
    config: &IndexConfig,
) -> Vec<Vec<f64>> {
    let jobs: Vec<(&Cell<'_>, Option<LinearT>)> = cells
        .iter()
        .zip(areas)
        .map(|(cell, area)| {
            let linear = model.linear(area.i_r);
            let random = linear.per_v != 0.0 || linear.per_u != 0.0;
            (cell, (area.t.is_some() && random).then_some(linear))
        })
        .collect();
    let run = |(cell, linear): &(&Cell<'_>, Option<LinearT>)| match linear {
        Some(linear) => {
            let mut rng = bootstrap_rng(config.bootstrap_seed, cell.area, cell.year);
            bootstrap_t(&cell.draws, *linear, config.bootstrap_resamples, &mut rng)
        }
        None => Vec::new(),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = jobs.len().div_ceil(threads.max(1)).max(1);
    if threads <= 1 || jobs.len() <= 1 {
        return jobs.iter().map(run).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(run).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a bootstrap thread panicked")).collect()
    })
}

/// T's interval and category probabilities from the draws. Without draws (T uses no survey
/// component, or a single T value is all there is) T has no sampling error in this model: the
/// interval is [T, T] and T's own category has probability 1.
fn attach_bootstrap(area: &mut AreaIndex, draws: Vec<f64>, config: &IndexConfig) {
    let Some(t) = area.t else { return };
    let cuts = &config.cut_points;
    // A 95 % interval, as the Wilson intervals; the significance level is for changes only.
    area.t_interval = Some(percentile_interval(&draws, 0.05).unwrap_or([t, t]));
    area.category_probabilities = Some(if draws.is_empty() {
        CategoryProbabilities::from_values(&[t], cuts)
    } else {
        CategoryProbabilities::from_values(&draws, cuts)
    });
    area.bootstrap = draws;
}

fn city_index(sums: &CitySums, model: &Model, police: bool) -> CityIndex {
    let s: &SurveySums = &sums.survey;
    let r = rate_per_1000(sums.reports, sums.population, police);
    let indices = [model.index(R, r), model.index(V, s.v()), model.index(U, s.u())];
    CityIndex {
        r,
        v: s.v(),
        u: s.u(),
        night: s.night(),
        i_r: indices[R],
        i_v: indices[V],
        i_u: indices[U],
        t: model.t(indices),
        n: s.n,
        n_eff: s.n_eff(),
    }
}

/// Areas grouped into years beside the city; `areas` pairs each area with its year and is sorted
/// by year, then area (the cells' order), so each year's areas stay sorted by id.
fn assemble_years(
    areas: Vec<(i32, AreaIndex)>,
    city: &BTreeMap<i32, CitySums>,
    model: &Model,
    police: &BTreeSet<i32>,
    base_year: Option<i32>,
) -> Vec<YearIndex> {
    let mut by_year: BTreeMap<i32, Vec<AreaIndex>> = BTreeMap::new();
    for (year, area) in areas {
        by_year.entry(year).or_default().push(area);
    }
    city.iter()
        .map(|(&year, sums)| YearIndex {
            year,
            base_year,
            city: city_index(sums, model, police.contains(&year)),
            areas: by_year.remove(&year).unwrap_or_default(),
        })
        .collect()
}
