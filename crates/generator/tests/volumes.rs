//! At the demo scale (5,000 citizens, 2012–2014) the volumes are Copenhagen's as the memo reports
//! them, year by year, and they scale with the number of citizens, not with the number of years.

mod common;

use chrono::NaiveDate;
use common::{active_on, by, date, demo, generate_into, opt_date, positive_status, years, Extract, Row};
use sikkerby_generator::GenerateConfig;
use std::collections::{HashMap, HashSet};

fn extract() -> &'static Extract {
    demo("volumes")
}

/// Distinct citizens with an offer starting in `[from, to]` inside an enrollment in `initiative`
/// (only those whose lead is BIF when `bif_only`).
fn youths_with_offers(
    e: &Extract,
    initiative: &str,
    bif_only: bool,
    from: NaiveDate,
    to: NaiveDate,
) -> usize {
    let enrollments = by(&e.read("opera/forloeb.csv"), "forloeb_id");
    e.read("opera/tilbud.csv")
        .iter()
        .map(|t| (&enrollments[&t["forloeb_id"]], date(t, "start")))
        .filter(|(f, start)| f["indsats"] == initiative && (from..=to).contains(start))
        .filter(|(f, _)| !bif_only || f["tovholder"] == "BIF")
        .map(|(f, _)| f["cpr"].clone())
        .collect::<HashSet<_>>()
        .len()
}

fn enrollments_in(e: &Extract, initiative: &str) -> Vec<Row> {
    e.read("opera/forloeb.csv").into_iter().filter(|f| f["indsats"] == initiative).collect()
}

#[test]
fn about_600_domte_youths_receive_offers_each_year() {
    for (year, from, to) in years(extract()) {
        let n = youths_with_offers(extract(), "DOMTE", false, from, to);
        assert!((450..=750).contains(&n), "{year}: {n}");
    }
}

#[test]
fn about_100_ssp_plus_youths_with_bif_as_lead_receive_offers_and_some_have_another_lead() {
    for (year, from, to) in years(extract()) {
        let n = youths_with_offers(extract(), "SSPPLUS", true, from, to);
        assert!((70..=140).contains(&n), "{year}: {n}");
    }
    let other_lead = enrollments_in(extract(), "SSPPLUS").iter().filter(|f| f["tovholder"] != "BIF").count();
    assert!(other_lead > 10, "{other_lead}");
}

#[test]
fn about_200_youths_are_placed_in_leisure_jobs_each_year() {
    let placements = extract().read("opera/fritidsjob.csv");
    for (year, from, to) in years(extract()) {
        let n: HashSet<_> = placements
            .iter()
            .filter(|p| (from..=to).contains(&date(p, "start")))
            .map(|p| &p["cpr"])
            .collect();
        assert!((160..=280).contains(&n.len()), "{year}: {}", n.len());
    }
}

#[test]
fn exit_keeps_about_25_to_30_places_occupied() {
    let exit = enrollments_in(extract(), "EXIT");
    let mut yearly = Vec::new();
    for (year, from, to) in years(extract()) {
        let days = (to - from).num_days() + 1;
        let occupied: usize = from
            .iter_days()
            .take_while(|d| *d <= to)
            .map(|day| exit.iter().filter(|f| active_on(f, day)).count())
            .sum();
        let mean = occupied as f64 / days as f64;
        assert!((22.0..=32.0).contains(&mean), "{year}: {mean:.1}");
        yearly.push(mean);
    }
    let overall = yearly.iter().sum::<f64>() / yearly.len() as f64;
    assert!((24.0..=30.0).contains(&overall), "{overall:.1}");
}

#[test]
fn udgaaende_reaches_a_few_hundred_and_krimiteam_touches_about_600() {
    let krimi = enrollments_in(extract(), "KRIMITEAM");
    for (year, from, to) in years(extract()) {
        let n = youths_with_offers(extract(), "UDGAAENDE", false, from, to);
        assert!((150..=450).contains(&n), "{year}: UDGAAENDE {n}");
        let touched: HashSet<_> = krimi
            .iter()
            .filter(|f| date(f, "start") <= to && opt_date(f, "slut").is_none_or(|end| end >= from))
            .map(|f| &f["cpr"])
            .collect();
        let started: HashSet<_> =
            krimi.iter().filter(|f| (from..=to).contains(&date(f, "start"))).map(|f| &f["cpr"]).collect();
        assert!((400..=600).contains(&started.len()), "{year}: started {}", started.len());
        assert!((500..=760).contains(&touched.len()), "{year}: touched {}", touched.len());
        assert!(touched.len() > started.len());
    }
}

#[test]
fn between_half_and_two_thirds_of_recorded_follow_ups_are_positive() {
    let follow_ups = extract().read("opera/opfoelgninger.csv");
    let recorded: Vec<&Row> = follow_ups.iter().filter(|f| !f["udfoert"].is_empty()).collect();
    let positive = recorded.iter().filter(|f| positive_status(&f["status"])).count();
    let share = positive as f64 / recorded.len() as f64;
    assert!((0.5..=0.66).contains(&share), "{share:.2}");
    let unrecorded_due = follow_ups
        .iter()
        .filter(|f| f["udfoert"].is_empty() && date(f, "forfald") <= extract().end())
        .count();
    let share = unrecorded_due as f64 / follow_ups.len() as f64;
    assert!((0.03..=0.2).contains(&share), "unrecorded {share:.2}");
}

#[test]
fn some_enrollments_end_in_job_or_education_with_the_matching_event() {
    let e = extract();
    let ended: Vec<Row> = e.read("opera/forloeb.csv").into_iter().filter(|f| !f["slut"].is_empty()).collect();
    let codes = &common::seed().code_lists;
    let positive: Vec<&Row> =
        ended.iter().filter(|f| codes.is_positive_end(&f["afslutningsaarsag"])).collect();
    let share = positive.len() as f64 / ended.len() as f64;
    assert!((0.15..=0.45).contains(&share), "{share:.2}");
    let events: HashSet<(String, String)> = e
        .read("opera/haendelser.csv")
        .into_iter()
        .filter(|h| h["haendelse"] == "job_start" || h["haendelse"] == "uddannelse_start")
        .map(|h| (h["cpr"].clone(), h["dato"].clone()))
        .collect();
    let matched = positive.iter().filter(|f| events.contains(&(f["cpr"].clone(), f["slut"].clone()))).count();
    assert!(matched as f64 >= 0.9 * positive.len() as f64);
}

#[test]
fn every_ssp_plus_youth_has_an_ssp_category_3_or_4() {
    let e = extract();
    let categories: HashMap<String, String> = e
        .read("opera/haendelser.csv")
        .into_iter()
        .filter(|h| h["haendelse"] == "ssp_kategori")
        .map(|h| (h["cpr"].clone(), h["vaerdi"].clone()))
        .collect();
    for f in enrollments_in(e, "SSPPLUS") {
        let value = categories.get(&f["cpr"]).expect("an SSP category");
        assert!(value == "3" || value == "4");
    }
}

#[test]
fn volumes_scale_with_citizens_and_not_with_years() {
    let rows = |e: &Extract, file: &str| e.summary.rows(file).expect("file") as f64;
    let half = generate_into("volumes-half", GenerateConfig { citizens: 2_500, ..GenerateConfig::default() });
    let long = generate_into("volumes-long", GenerateConfig { years: 6, ..GenerateConfig::default() });
    let demo = extract();
    for file in ["opera/forloeb.csv", "opera/tilbud.csv", "opera/opfoelgninger.csv", "tryghed/survey.csv"] {
        let ratio = rows(&half, file) / rows(demo, file);
        assert!((0.42..=0.58).contains(&ratio), "{file}: half the citizens gave {ratio:.2}");
        let per_year = rows(&long, file) / rows(demo, file);
        assert!((1.7..=2.3).contains(&per_year), "{file}: twice the years gave {per_year:.2}");
    }
}
