//! The area data (`tryghed/`): populations, police reports, the resident survey and the
//! half-yearly assessments of the SSP leader groups, for the 35 areas of [`areas::AREAS`].
//!
//! Every rate of an area is the city rate times the area's risk in that year, so the index the
//! importer computes (docs/domain.md §8) puts the high-risk areas in "markant" or "intensiveret" in the
//! first year and, as the focus areas improve, fewer there later (criterion C19). Survey answers
//! are drawn per respondent, so small areas are noisy, as real ones are.

pub(crate) mod areas;

use crate::output::DELIMITER;
use crate::plan::{Plan, DEMO_CITIZENS};
use areas::{risk_in_year, AREAS};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::io::Write;

/// The area files with their header rows.
pub(crate) const AREA_FILES: [(&str, &[&str]); 4] = [
    ("tryghed/omraader.csv", &["omraade_id", "navn", "bydel", "aar", "befolkning"]),
    ("tryghed/anmeldelser.csv", &["omraade_id", "aar", "gruppe", "borgervendt", "antal"]),
    (
        "tryghed/survey.csv",
        &["respondent_id", "omraade_id", "aar", "vaegt", "tryg_nabolag", "tryg_nat", "offer"],
    ),
    ("tryghed/vurderinger.csv", &["omraade_id", "halvaar", "kilde", "vurdering", "tekst"]),
];

/// Offence groups: code, citizen-facing (counts toward R), reports per 1,000 residents a year.
const OFFENCES: &[(&str, &str, f64)] = &[
    ("vold", "1", 7.0),
    ("roeveri", "1", 2.0),
    ("indbrud", "1", 11.0),
    ("tyveri", "1", 24.0),
    ("haervaerk", "1", 6.0),
    ("narko", "0", 5.0),
];

/// City-level shares at risk 1: unsafe in the neighbourhood, unsafe at night, victimised.
const UNSAFE: f64 = 0.12;
const UNSAFE_AT_NIGHT: f64 = 0.26;
const VICTIMISED: f64 = 0.09;
/// Survey respondents a year at the demo scale (the memo's "ca. 8.000 borgere").
const RESPONDENTS: f64 = 8_000.0;

/// The short texts of the assessments, by level 1 (calm) to 5 (serious unrest).
const ASSESSMENTS: [&str; 5] = [
    "Roligt, ingen særlige bekymringer i perioden.",
    "Overvejende roligt, enkelte episoder med unge i grupper.",
    "Periodisk uro omkring centrale pladser, tæt dialog med politiet.",
    "Vedvarende uro og utryghed, øget opsøgende indsats.",
    "Alvorlig uro og konflikter mellem grupperinger, akutindsats iværksat.",
];

/// Writers of the four area files, already holding their header rows.
pub(crate) type AreaWriters<W> = [csv::Writer<W>; 4];

/// The risk of every area in every year of the period, with a little year-to-year noise.
fn risks(plan: &Plan, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    (0..plan.years)
        .map(|t| AREAS.iter().map(|a| risk_in_year(a, t) * rng.gen_range(0.95..1.05)).collect())
        .collect()
}

/// Writes all four area files and returns their row counts.
pub(crate) fn write<W: Write>(
    plan: &Plan,
    citizens: u64,
    writers: &mut AreaWriters<W>,
) -> Result<[u64; 4], csv::Error> {
    let mut rng = plan.area_rng();
    let risks = risks(plan, &mut rng);
    let mut rows = [0u64; 4];
    let [omraader, anmeldelser, survey, vurderinger] = writers;
    let respondents = (RESPONDENTS * citizens as f64 / DEMO_CITIZENS).max(AREAS.len() as f64);
    for (t, year_risks) in risks.iter().enumerate() {
        let year = plan.first_year + t as i32;
        let populations = populations(&mut rng, t);
        rows[0] += write_areas(omraader, year, &populations)?;
        rows[1] += write_reports(anmeldelser, &mut rng, year, &populations, year_risks)?;
        rows[2] += write_survey(survey, &mut rng, (year, respondents), &populations, year_risks)?;
        let next = risks.get(t + 1).unwrap_or(year_risks);
        rows[3] += write_assessments(vurderinger, &mut rng, year, year_risks, next)?;
    }
    Ok(rows)
}

/// Populations grow slowly (Copenhagen grew about 1 % a year in the 2010s).
fn populations(rng: &mut ChaCha8Rng, t: usize) -> Vec<u32> {
    AREAS
        .iter()
        .map(|a| {
            let growth = 1.0 + 0.01 * t as f64 + rng.gen_range(-0.005..0.005);
            (f64::from(a.population) * growth).round() as u32
        })
        .collect()
}

fn write_areas<W: Write>(w: &mut csv::Writer<W>, year: i32, pops: &[u32]) -> csv::Result<u64> {
    let year = year.to_string();
    for (a, pop) in AREAS.iter().zip(pops) {
        w.write_record([a.id, a.name, a.district, &year, &pop.to_string()])?;
    }
    Ok(AREAS.len() as u64)
}

fn write_reports<W: Write>(
    w: &mut csv::Writer<W>,
    rng: &mut ChaCha8Rng,
    year: i32,
    pops: &[u32],
    risks: &[f64],
) -> csv::Result<u64> {
    let year = year.to_string();
    for ((a, pop), risk) in AREAS.iter().zip(pops).zip(risks) {
        for (group, citizen_facing, rate) in OFFENCES {
            let expected = f64::from(*pop) / 1000.0 * rate * risk;
            let count = (expected * rng.gen_range(0.85..1.15)).round() as u64;
            w.write_record([a.id, &year, group, citizen_facing, &count.to_string()])?;
        }
    }
    Ok((AREAS.len() * OFFENCES.len()) as u64)
}

/// Respondents per area in proportion to population; answers drawn from the area's risk.
fn write_survey<W: Write>(
    w: &mut csv::Writer<W>,
    rng: &mut ChaCha8Rng,
    (year, respondents): (i32, f64),
    pops: &[u32],
    risks: &[f64],
) -> csv::Result<u64> {
    let total: f64 = pops.iter().map(|&p| f64::from(p)).sum();
    let year_text = year.to_string();
    let (mut id, mut weight) = (String::new(), String::new());
    let mut written = 0u64;
    for ((a, &pop), &risk) in AREAS.iter().zip(pops).zip(risks) {
        let n = (respondents * f64::from(pop) / total).round().max(5.0) as u64;
        for _ in 0..n {
            written += 1;
            id.clear();
            let _ = write!(id, "{year}-{written}");
            let thousandths: u32 = rng.gen_range(500..=2000);
            weight.clear();
            let _ = write!(weight, "{}.{:03}", thousandths / 1000, thousandths % 1000);
            let neighbourhood = [answer(rng, UNSAFE * risk)];
            let night = [answer(rng, UNSAFE_AT_NIGHT * risk)];
            let victim = if rng.gen_bool((VICTIMISED * risk).clamp(0.0, 0.9)) { "1" } else { "0" };
            w.write_record([
                id.as_bytes(),
                a.id.as_bytes(),
                year_text.as_bytes(),
                weight.as_bytes(),
                &neighbourhood,
                &night,
                victim.as_bytes(),
            ])?;
        }
    }
    Ok(written)
}

/// An answer 1 (very safe) … 5 (very unsafe) with `p_unsafe` the chance of 4 or 5.
fn answer(rng: &mut ChaCha8Rng, p_unsafe: f64) -> u8 {
    if rng.gen_bool(p_unsafe.clamp(0.0, 0.95)) {
        if rng.gen_bool(0.7) {
            b'4'
        } else {
            b'5'
        }
    } else {
        match rng.gen_range(0..100) {
            0..30 => b'1',
            30..75 => b'2',
            _ => b'3',
        }
    }
}

/// Two assessments a year from the SSP leader group of each area, and one from the police for
/// the focus areas; the second half-year leans towards next year's level.
fn write_assessments<W: Write>(
    w: &mut csv::Writer<W>,
    rng: &mut ChaCha8Rng,
    year: i32,
    risks: &[f64],
    next: &[f64],
) -> csv::Result<u64> {
    let mut written = 0;
    for (half, weight_next) in [("H1", 0.0), ("H2", 0.5)] {
        let period = format!("{year}{half}");
        for ((a, risk), later) in AREAS.iter().zip(risks).zip(next) {
            let level = risk * (1.0 - weight_next) + later * weight_next;
            let sources: &[&str] =
                if a.focus { &["ssp_ledergruppe", "politi"] } else { &["ssp_ledergruppe"] };
            for source in sources {
                let score =
                    (1.0 + (level - 0.55) * 2.6 + rng.gen_range(-0.5..0.5)).round().clamp(1.0, 5.0) as usize;
                let text = ASSESSMENTS[score - 1];
                w.write_record([a.id, &period, source, &score.to_string(), text])?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// Opens a CSV writer with the generator's delimiter over any output.
pub(crate) fn csv_writer<W: Write>(inner: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().delimiter(DELIMITER).has_headers(false).from_writer(inner)
}
