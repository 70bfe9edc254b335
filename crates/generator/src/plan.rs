//! The read-only plan every worker thread shares: the period, the birth window, each OPERA
//! initiative's age band, follow-up rules (from the seed, so a changed rule changes the data) and
//! yearly start probability, and the random-number keys.
//!
//! Each citizen draws from its own ChaCha8 stream (`key`, stream = citizen index), so a citizen's
//! records do not depend on how citizens are split between threads.

use crate::identity::BirthPlan;
use crate::params::{Programme, PROGRAMMES};
use crate::places::{Capacity, Schedule};
use crate::tryghed::areas::{AreaSpec, AREAS};
use crate::{GenerateConfig, GenerateError};
use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sikkerby_domain::calendar::add_months;
use sikkerby_domain::codes::Anchor;
use sikkerby_domain::portfolio::DataSource;
use sikkerby_domain::seed::Seed;

/// Youths in the data are 13 (leisure jobs) to 30 (DOMTE's band ends before 30).
const YOUNGEST: i32 = 13;
const OLDEST: i32 = 30;
/// Years simulated before the period (records that ended before it are dropped).
const WARM_UP_YEARS: i32 = 2;
/// The demo scale at which [`Programme::starts_per_year`] is given.
pub(crate) const DEMO_CITIZENS: f64 = 5_000.0;

/// One initiative as the generator runs it.
pub(crate) struct Running {
    pub spec: &'static Programme,
    /// Age band in months, `[min, max)`.
    pub band: (i32, i32),
    /// Start probability per citizen and simulated year (warm-up years first).
    pub start_prob: Vec<f64>,
    /// Follow-up anchors and their intervals in months.
    pub rules: Vec<(Anchor, i32)>,
    /// The planned enrollments of a capacity-managed initiative (EXIT).
    pub places: Option<Schedule>,
}

/// Everything fixed before the first citizen is generated.
pub(crate) struct Plan {
    pub first_year: i32,
    pub last_year: i32,
    pub years: u32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Simulation starts two years early so that EXIT places and long DOMTE enrollments are
    /// already occupied on the first day of the period, as in a real extract.
    pub sim_first_year: i32,
    pub programmes: Vec<Running>,
    pub births: BirthPlan,
    /// Cumulative weights of [`AREAS`] for citizens' home areas.
    area_cumulative: Vec<u64>,
    key: [u8; 32],
}

impl Plan {
    pub fn new(config: &GenerateConfig, seed: &Seed) -> Result<Self, GenerateError> {
        let invalid = |why: String| GenerateError::InvalidConfig(why);
        if config.citizens == 0 || config.years == 0 || config.years > 50 {
            return Err(invalid("citizens ≥ 1 and 1 ≤ years ≤ 50 are required".into()));
        }
        let last_year = config.first_year + config.years as i32 - 1;
        if config.first_year < 1967 || last_year - YOUNGEST > 2036 {
            return Err(invalid(format!(
                "the years {}–{last_year} give birth years without enough CPR century digits",
                config.first_year
            )));
        }
        let births = BirthPlan::new(config.first_year - OLDEST, last_year - YOUNGEST, config.seed)
            .ok_or_else(|| invalid("birth window out of range".into()))?;
        if config.citizens > births.capacity() {
            return Err(invalid(format!(
                "at most {} citizens get distinct CPR numbers over {} years",
                births.capacity(),
                config.years
            )));
        }
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| invalid("date".into()));
        let mut plan = Self {
            first_year: config.first_year,
            last_year,
            years: config.years,
            period_start: ymd(config.first_year, 1, 1)?,
            period_end: ymd(last_year, 12, 31)?,
            sim_first_year: config.first_year - WARM_UP_YEARS,
            programmes: Vec::new(),
            births,
            area_cumulative: area_cumulative(),
            key: ChaCha8Rng::seed_from_u64(config.seed).gen(),
        };
        plan.programmes = PROGRAMMES
            .iter()
            .enumerate()
            .map(|(i, spec)| plan.running(i, spec, seed, config.citizens))
            .collect::<Result<_, _>>()?;
        Ok(plan)
    }

    /// The simulated years with their index: the warm-up years, then the period's years.
    pub fn sim_years(&self) -> impl Iterator<Item = (usize, i32)> {
        (self.sim_first_year..=self.last_year).enumerate()
    }

    /// The random stream of citizen `index`.
    pub fn rng_for(&self, index: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(index);
        rng
    }

    /// The random stream of the area data, apart from every citizen's.
    pub fn area_rng(&self) -> ChaCha8Rng {
        self.rng_for(u64::MAX)
    }

    /// A home area, weighted towards the areas with most unrest.
    pub fn pick_area<R: Rng>(&self, rng: &mut R) -> &'static AreaSpec {
        let total = self.area_cumulative.last().copied().unwrap_or(1);
        let roll = rng.gen_range(0..total);
        let at = self.area_cumulative.partition_point(|&c| c <= roll);
        &AREAS[at.min(AREAS.len() - 1)]
    }

    fn running(
        &self,
        index: usize,
        spec: &'static Programme,
        seed: &Seed,
        citizens: u64,
    ) -> Result<Running, GenerateError> {
        let initiative =
            seed.portfolio.get(spec.code).filter(|i| i.data_source == DataSource::Opera).ok_or_else(
                || GenerateError::InvalidConfig(format!("{} is not an OPERA initiative", spec.code)),
            )?;
        let group = &initiative.target_group;
        let band = (
            group.min_age_months.unwrap_or(spec.assumed_band.0) as i32,
            group.max_age_months.unwrap_or(spec.assumed_band.1) as i32,
        );
        let rules = seed.code_lists.rules_for(spec.code, true).map(|r| (r.anchor, r.months as i32)).collect();
        let start_prob = self.sim_years().map(|(_, year)| self.start_probability(spec, band, year)).collect();
        let places = (spec.places > 0.0).then(|| {
            let capacity = Capacity { places: spec.places, duration_days: spec.duration_days, band };
            let from = NaiveDate::from_ymd_opt(self.sim_first_year, 1, 1).unwrap_or(self.period_start);
            // A stream of its own per initiative, below the area data's.
            let mut rng = self.rng_for(u64::MAX - 1 - index as u64);
            Schedule::new(&mut rng, &capacity, &self.births, citizens, (from, self.period_end))
        });
        Ok(Running { spec, band, start_prob, rules, places })
    }

    /// The chance that one citizen starts an enrollment in `year`, so that the expected number
    /// of starts is `starts_per_year × citizens / 5,000`: the volume divided by the share of
    /// citizens whose age lies in the band at mid-year (a start drawn outside the band is
    /// rejected, except for the few near-band cases, which add a few per cent more).
    fn start_probability(&self, spec: &Programme, band: (i32, i32), year: i32) -> f64 {
        let Some(mid) = NaiveDate::from_ymd_opt(year, 7, 1) else {
            return 0.0;
        };
        let born_from = add_months(mid, -band.1).max(self.births.first());
        let born_to = add_months(mid, -band.0).min(self.births.last());
        let in_band = (born_to - born_from).num_days().max(0) as f64;
        let share = in_band / self.births.days() as f64;
        if share <= 0.0 {
            return 0.0;
        }
        (spec.starts_per_year / DEMO_CITIZENS / share).min(1.0)
    }
}

/// Citizens' home areas: weighted by population and, squared, by risk, because the young people
/// in the case data come disproportionately from the areas with most unrest.
fn area_cumulative() -> Vec<u64> {
    AREAS
        .iter()
        .scan(0u64, |sum, a| {
            *sum += (f64::from(a.population) * a.risk * a.risk) as u64;
            Some(*sum)
        })
        .collect()
}
