//! The area data: 35 areas in the 12 districts with the memo's fixed ids, plausible values in
//! every file, and an index (computed here from docs/domain.md §8, independently of the generator) whose
//! count of "markant"/"intensiveret" areas halves within two years, so that criterion C19 has
//! something to show.

mod common;

use common::{demo, seed, Extract, Row};
use std::collections::{BTreeMap, HashMap, HashSet};

fn extract() -> &'static Extract {
    demo("tryghed")
}

fn number(row: &Row, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column} = {:?}", row[column]))
}

#[test]
fn there_are_35_areas_in_all_12_districts_including_the_memos_fixed_ids() {
    let rows = extract().read("tryghed/omraader.csv");
    let areas: HashMap<&str, &str> =
        rows.iter().map(|r| (r["omraade_id"].as_str(), r["bydel"].as_str())).collect();
    assert_eq!(areas.len(), 35);
    assert_eq!(rows.len(), 35 * extract().config.years as usize, "one row per area and year");
    let geography = &seed().geography;
    for district in &geography.districts {
        assert!(areas.values().any(|d| *d == district.id), "{} has no area", district.id);
    }
    for fixed in &geography.areas {
        assert_eq!(areas.get(fixed.id.as_str()), Some(&fixed.district.as_str()), "{}", fixed.id);
    }
    assert!(rows.iter().all(|r| (3_000.0..=30_000.0).contains(&number(r, "befolkning"))));
}

#[test]
fn police_reports_come_per_area_year_and_group_with_a_citizen_facing_flag() {
    let rows = extract().read("tryghed/anmeldelser.csv");
    let keys: HashSet<_> = rows.iter().map(|r| (&r["omraade_id"], &r["aar"], &r["gruppe"])).collect();
    assert_eq!(keys.len(), rows.len());
    assert!(rows.iter().all(|r| r["borgervendt"] == "0" || r["borgervendt"] == "1"));
    assert!(rows.iter().any(|r| r["borgervendt"] == "0"));
    assert!(rows.iter().all(|r| r["antal"].parse::<u64>().is_ok()));
}

#[test]
fn about_8000_residents_answer_the_survey_each_year_with_valid_answers() {
    let rows = extract().read("tryghed/survey.csv");
    let ids: HashSet<_> = rows.iter().map(|r| &r["respondent_id"]).collect();
    assert_eq!(ids.len(), rows.len());
    let mut per_year: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *per_year.entry(&r["aar"]).or_default() += 1;
        assert!((0.5..=2.0).contains(&number(r, "vaegt")));
        for column in ["tryg_nabolag", "tryg_nat"] {
            assert!((1.0..=5.0).contains(&number(r, column)));
        }
        assert!(r["offer"] == "0" || r["offer"] == "1");
    }
    assert!(per_year.values().all(|n| (7_500..=8_500).contains(n)), "{per_year:?}");
}

#[test]
fn assessments_come_per_area_and_half_year() {
    let rows = extract().read("tryghed/vurderinger.csv");
    let halves: HashSet<_> = rows.iter().map(|r| r["halvaar"].as_str()).collect();
    let expected: HashSet<String> =
        (2012..=2014).flat_map(|y| [format!("{y}H1"), format!("{y}H2")]).collect();
    assert_eq!(halves, expected.iter().map(String::as_str).collect());
    let covered: HashSet<_> = rows
        .iter()
        .filter(|r| r["kilde"] == "ssp_ledergruppe")
        .map(|r| (&r["omraade_id"], &r["halvaar"]))
        .collect();
    assert_eq!(covered.len(), 35 * 6);
    assert!(rows.iter().all(|r| (1.0..=5.0).contains(&number(r, "vurdering")) && !r["tekst"].is_empty()));
}

/// R, V, U per area and year (docs/domain.md §8), and the city values.
type Components = BTreeMap<(String, String), [f64; 3]>;

fn components(e: &Extract) -> (Components, BTreeMap<String, [f64; 3]>) {
    let mut population: HashMap<(String, String), f64> = HashMap::new();
    for r in e.read("tryghed/omraader.csv") {
        population.insert((r["omraade_id"].clone(), r["aar"].clone()), number(&r, "befolkning"));
    }
    let mut reports: HashMap<(String, String), f64> = HashMap::new();
    for r in e.read("tryghed/anmeldelser.csv").iter().filter(|r| r["borgervendt"] == "1") {
        *reports.entry((r["omraade_id"].clone(), r["aar"].clone())).or_default() += number(r, "antal");
    }
    // Weighted sums: [weight, victimised, unsafe]; per area-year and per year for the city.
    let mut sums: HashMap<(String, String), [f64; 3]> = HashMap::new();
    let mut city_sums: HashMap<String, [f64; 5]> = HashMap::new();
    for r in e.read("tryghed/survey.csv") {
        let w = number(&r, "vaegt");
        let victim = w * number(&r, "offer");
        let unsafe_ = if number(&r, "tryg_nabolag") >= 4.0 { w } else { 0.0 };
        let s = sums.entry((r["omraade_id"].clone(), r["aar"].clone())).or_default();
        *s = [s[0] + w, s[1] + victim, s[2] + unsafe_];
        let c = city_sums.entry(r["aar"].clone()).or_default();
        *c = [c[0] + w, c[1] + victim, c[2] + unsafe_, c[3], c[4]];
    }
    for ((_, year), pop) in &population {
        let c = city_sums.entry(year.clone()).or_default();
        c[3] += pop;
    }
    for ((_, year), n) in &reports {
        city_sums.entry(year.clone()).or_default()[4] += n;
    }
    let areas = sums
        .iter()
        .map(|(key, s)| {
            let r = 1000.0 * reports[key] / population[key];
            (key.clone(), [r, s[1] / s[0], s[2] / s[0]])
        })
        .collect();
    let city = city_sums
        .into_iter()
        .map(|(year, c)| (year, [1000.0 * c[4] / c[3], c[1] / c[0], c[2] / c[0]]))
        .collect();
    (areas, city)
}

#[test]
fn areas_needing_marked_or_intensified_effort_halve_by_the_third_year() {
    let (areas, city) = components(extract());
    let base = city["2012"];
    let mut high: BTreeMap<&str, usize> = BTreeMap::new();
    for ((_, year), c) in &areas {
        let t = (0..3).map(|i| 100.0 * c[i] / base[i]).sum::<f64>() / 3.0;
        *high.entry(year.as_str()).or_default() += usize::from(t >= 125.0);
    }
    assert!(high["2012"] >= 5, "{high:?}");
    assert!(high["2014"] * 2 <= high["2012"], "{high:?}");
    assert!(high["2014"] > 0, "a few areas remain: {high:?}");
}
