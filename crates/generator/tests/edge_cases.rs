//! The awkward cases real extracts contain are all present in the demo extract, so that every
//! importer and criterion is exercised on them.

mod common;

use chrono::{Datelike, NaiveDate};
use common::{by, date, demo, opt_date, Extract, Row};
use sikkerby_domain::calendar::last_day_of_month;
use sikkerby_domain::cpr::{Cpr, CprWarning};

fn extract() -> &'static Extract {
    demo("edge-cases")
}

/// Follow-ups anchored on an enrollment end, with that end date.
fn enrollment_end_follow_ups(e: &Extract) -> Vec<(Row, NaiveDate)> {
    let enrollments = by(&e.read("opera/forloeb.csv"), "forloeb_id");
    e.read("opera/opfoelgninger.csv")
        .into_iter()
        .filter(|f| f["anker"] == "forloeb_slut")
        .map(|f| {
            let end = date(&enrollments[&f["anker_id"]], "slut");
            (f, end)
        })
        .collect()
}

#[test]
fn a_follow_up_is_anchored_on_leap_day_2012() {
    let leap_day = NaiveDate::from_ymd_opt(2012, 2, 29).expect("leap day");
    let found = enrollment_end_follow_ups(extract())
        .iter()
        .any(|(f, end)| *end == leap_day && f["forfald"] == "2012-05-29");
    assert!(found);
}

#[test]
fn month_end_anchors_clamp_their_due_date_to_the_end_of_a_shorter_month() {
    let clamped: Vec<_> = enrollment_end_follow_ups(extract())
        .into_iter()
        .filter(|(f, end)| date(f, "forfald").day() < end.day())
        .collect();
    assert!(!clamped.is_empty());
    let november_to_february = clamped.iter().any(|(f, end)| {
        let due = date(f, "forfald");
        end.month() == 11
            && end.day() == 30
            && due.month() == 2
            && due.day() == last_day_of_month(due.year(), 2)
    });
    assert!(november_to_february, "30 Nov + 3 months = 28/29 Feb");
}

#[test]
fn some_enrollments_and_offers_are_still_open() {
    let open = |rows: Vec<Row>| rows.iter().filter(|r| opt_date(r, "slut").is_none()).count();
    assert!(open(extract().read("opera/forloeb.csv")) > 50);
    assert!(open(extract().read("opera/tilbud.csv")) > 50);
    assert!(open(extract().read("opera/fritidsjob.csv")) > 5);
}

#[test]
fn some_follow_ups_that_fell_due_were_never_recorded() {
    let e = extract();
    let follow_ups = e.read("opera/opfoelgninger.csv");
    let unrecorded = |from: NaiveDate| {
        follow_ups
            .iter()
            .filter(|f| f["udfoert"].is_empty() && (from..=e.end()).contains(&date(f, "forfald")))
            .count()
    };
    let old = unrecorded(e.summary.from);
    let last_two_months = unrecorded(NaiveDate::from_ymd_opt(2014, 11, 1).expect("date"));
    assert!(old > 50, "{old}");
    assert!(last_two_months > 20, "recent ones are more often missing: {last_two_months}");
    let not_yet_due = follow_ups.iter().filter(|f| date(f, "forfald") > e.end()).count();
    assert!(not_yet_due > 0);
}

#[test]
fn some_citizens_have_a_1_january_cpr_number_that_fails_modulus_11() {
    let e = extract();
    let failing: Vec<Cpr> = e
        .read("opera/borgere.csv")
        .iter()
        .map(|r| Cpr::parse_on(&r["cpr"], e.end()).expect("valid"))
        .filter(|p| p.warnings.contains(&CprWarning::Modulus11Failed))
        .map(|p| p.cpr)
        .collect();
    assert!(failing.len() > 20, "{}", failing.len());
    assert!(failing.iter().all(|c| c.birth_date().ordinal() == 1));
}

#[test]
fn some_enrollments_have_another_lead_than_bif_and_caseworker_codes_name_their_centre() {
    let rows = extract().read("opera/forloeb.csv");
    assert!(rows.iter().any(|r| r["tovholder"] != "BIF"));
    for r in &rows {
        let code = &r["sagsbehandlerkode"];
        let prefix = if r["center"].starts_with("18+") { "U18-" } else { "JKU-" };
        assert!(code.starts_with(prefix) && code.len() == 7, "{code} in {}", r["center"]);
    }
    let centres: std::collections::HashSet<_> = rows.iter().map(|r| &r["center"]).collect();
    assert!(centres.len() >= 8, "{centres:?}");
}

#[test]
fn most_citizens_have_a_known_home_area_and_a_danish_looking_name() {
    let citizens = extract().read("opera/borgere.csv");
    let areas: std::collections::HashSet<String> =
        extract().read("tryghed/omraader.csv").into_iter().map(|a| a["omraade_id"].clone()).collect();
    let with_area = citizens.iter().filter(|c| !c["omraade"].is_empty()).count();
    assert!(with_area as f64 > 0.8 * citizens.len() as f64);
    assert!(citizens.iter().all(|c| c["omraade"].is_empty() || areas.contains(&c["omraade"])));
    assert!(citizens.iter().all(|c| c["navn"].split(' ').count() == 2));
}

#[test]
fn domte_releases_fall_inside_the_enrollment_after_remand_and_conviction() {
    let e = extract();
    let events = e.read("opera/haendelser.csv");
    let releases = events.iter().filter(|h| h["haendelse"] == "loesladelse").count();
    let remands = events.iter().filter(|h| h["haendelse"] == "varetaegt").count();
    let convictions = events.iter().filter(|h| h["haendelse"] == "dom").count();
    assert!(releases > 1_000 && remands >= releases && convictions >= releases);
    let anchored = e.read("opera/opfoelgninger.csv").iter().filter(|f| f["anker"] == "loesladelse").count();
    assert!(anchored as f64 > 0.9 * releases as f64, "{anchored} of {releases}");
}
