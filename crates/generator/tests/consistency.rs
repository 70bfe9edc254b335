//! Every row of the demo extract passes the importer's consistency checks (docs/formats.md),
//! checked here with code written apart from the generator: the CSV files are parsed back and
//! every reference, date and follow-up is recomputed from the rows and the seed's rules.

mod common;

use chrono::NaiveDate;
use common::{active_on, by, date, demo, opera_initiatives, opt_date, seed, Extract, Row};
use sikkerby_domain::calendar::add_months;
use sikkerby_domain::codes::{Anchor, EventKind};
use sikkerby_domain::cpr::{Cpr, CprWarning};
use std::collections::{BTreeMap, HashMap, HashSet};

fn extract() -> &'static Extract {
    demo("consistency")
}

/// The follow-up interval in months for an anchor of an initiative, per the seed's rules.
fn rule_months(initiative: &str, anchor: Anchor) -> Option<i32> {
    seed().code_lists.rules_for(initiative, true).find(|r| r.anchor == anchor).map(|r| r.months as i32)
}

#[test]
fn every_cpr_number_is_valid_and_unique_with_at_most_a_modulus_11_warning() {
    let e = extract();
    let mut seen = HashSet::new();
    for row in e.read("opera/borgere.csv") {
        let parsed = Cpr::parse_on(&row["cpr"], e.end()).expect("a valid CPR number");
        assert!(parsed.warnings.iter().all(|w| *w == CprWarning::Modulus11Failed));
        assert!(seen.insert(row["cpr"].clone()), "duplicate CPR number");
        let born = parsed.cpr.birth_date();
        assert!((1980..=2001).contains(&chrono::Datelike::year(&born)), "born {born}");
    }
    assert_eq!(seen.len() as u64, e.config.citizens);
}

#[test]
fn enrollments_have_known_codes_and_end_on_or_after_their_start() {
    let e = extract();
    let citizens = by(&e.read("opera/borgere.csv"), "cpr");
    let opera = opera_initiatives();
    let codes = &seed().code_lists;
    let rows = e.read("opera/forloeb.csv");
    assert_eq!(by(&rows, "forloeb_id").len(), rows.len(), "ids are unique");
    for row in &rows {
        assert!(citizens.contains_key(&row["cpr"]));
        assert!(opera.contains(&row["indsats"]), "{}", row["indsats"]);
        assert!(!row["tovholder"].is_empty() && !row["center"].is_empty());
        let start = date(row, "start");
        assert!(start <= e.end());
        match opt_date(row, "slut") {
            Some(end) => {
                assert!(start <= end && end <= e.end(), "{row:?}");
                assert!(codes.end_reason(&row["afslutningsaarsag"]).is_some(), "{row:?}");
            }
            None => assert!(row["afslutningsaarsag"].is_empty(), "{row:?}"),
        }
    }
}

#[test]
fn offers_lie_inside_their_enrollment_with_an_end_reason_iff_they_ended() {
    let e = extract();
    let enrollments = by(&e.read("opera/forloeb.csv"), "forloeb_id");
    let offers = e.read("opera/tilbud.csv");
    assert_eq!(by(&offers, "tilbud_id").len(), offers.len(), "ids are unique");
    for offer in &offers {
        let enrollment = &enrollments[&offer["forloeb_id"]];
        assert!(seed().code_lists.offer_type(&offer["tilbudstype"]).is_some());
        let (start, end) = (date(offer, "start"), opt_date(offer, "slut"));
        assert!(date(enrollment, "start") <= start && start <= e.end(), "{offer:?}");
        assert!(end.is_none_or(|end| start <= end && end <= e.end()), "{offer:?}");
        if let Some(enrollment_end) = opt_date(enrollment, "slut") {
            let end = end.expect("an offer of an ended enrollment has ended");
            assert!(end <= enrollment_end, "{offer:?} outside {enrollment:?}");
        }
        let has_reason = !offer["afslutningsaarsag"].is_empty();
        assert_eq!(has_reason, end.is_some(), "{offer:?}");
        if has_reason {
            assert!(seed().code_lists.end_reason(&offer["afslutningsaarsag"]).is_some());
        }
    }
}

#[test]
fn placements_and_events_refer_to_known_citizens_and_valid_kinds() {
    let e = extract();
    let citizens = by(&e.read("opera/borgere.csv"), "cpr");
    for row in e.read("opera/fritidsjob.csv") {
        assert!(citizens.contains_key(&row["cpr"]));
        let start = date(&row, "start");
        assert!(start <= e.end() && opt_date(&row, "slut").is_none_or(|end| start <= end));
    }
    for row in e.read("opera/haendelser.csv") {
        assert!(citizens.contains_key(&row["cpr"]));
        assert!(date(&row, "dato") <= e.end());
        let kind = EventKind::parse(&row["haendelse"]).expect("a known event kind");
        match kind.value_range() {
            Some(range) => assert!(range.contains(&row["vaerdi"].parse::<i64>().expect("value"))),
            None => assert!(row["vaerdi"].is_empty()),
        }
    }
}

/// What every follow-up is anchored on: `(anker, anker_id) → (cpr, initiative, anchor date)`.
fn anchors(e: &Extract) -> BTreeMap<(String, String), (String, String, NaiveDate)> {
    let enrollments = e.read("opera/forloeb.csv");
    let by_id = by(&enrollments, "forloeb_id");
    let mut releases: HashMap<String, Vec<Row>> = HashMap::new();
    for event in e.read("opera/haendelser.csv") {
        if event["haendelse"] == "loesladelse" {
            releases.entry(event["cpr"].clone()).or_default().push(event);
        }
    }
    let mut expected = BTreeMap::new();
    let mut add = |anchor: Anchor, id: &str, cpr: &str, initiative: &str, day: NaiveDate| {
        if rule_months(initiative, anchor).is_some() {
            let key = (anchor.code().to_owned(), id.to_owned());
            expected.insert(key, (cpr.to_owned(), initiative.to_owned(), day));
        }
    };
    for f in &enrollments {
        if let Some(end) = opt_date(f, "slut") {
            add(Anchor::ForloebSlut, &f["forloeb_id"], &f["cpr"], &f["indsats"], end);
        }
        for release in releases.get(&f["cpr"]).into_iter().flatten() {
            if active_on(f, date(release, "dato")) {
                let day = date(release, "dato");
                add(Anchor::Loesladelse, &release["haendelse_id"], &f["cpr"], &f["indsats"], day);
            }
        }
    }
    for t in e.read("opera/tilbud.csv") {
        let f = &by_id[&t["forloeb_id"]];
        add(Anchor::TilbudStart, &t["tilbud_id"], &f["cpr"], &f["indsats"], date(&t, "start"));
        if let Some(end) = opt_date(&t, "slut") {
            add(Anchor::TilbudSlut, &t["tilbud_id"], &f["cpr"], &f["indsats"], end);
        }
    }
    expected
}

#[test]
fn every_anchor_of_the_follow_up_rules_has_exactly_one_follow_up_due_on_time() {
    let e = extract();
    let expected = anchors(e);
    let follow_ups = e.read("opera/opfoelgninger.csv");
    assert_eq!(by(&follow_ups, "opfoelgning_id").len(), follow_ups.len());
    let mut found: HashMap<(String, String), usize> = HashMap::new();
    for row in &follow_ups {
        let key = (row["anker"].clone(), row["anker_id"].clone());
        let (cpr, initiative, day) =
            expected.get(&key).unwrap_or_else(|| panic!("follow-up without a rule's anchor: {row:?}"));
        assert_eq!(&row["cpr"], cpr);
        let anchor = Anchor::parse(&row["anker"]).expect("known anchor");
        let months = rule_months(initiative, anchor).expect("a rule");
        assert_eq!(date(row, "forfald"), add_months(*day, months), "{row:?}");
        *found.entry(key).or_default() += 1;
    }
    assert!(found.values().all(|n| *n == 1), "an anchor has two follow-ups");
    let missing: Vec<_> = expected.keys().filter(|k| !found.contains_key(*k)).collect();
    assert!(missing.is_empty(), "anchors without follow-up: {:?}", &missing[..5.min(missing.len())]);
}

#[test]
fn recorded_follow_ups_have_a_status_and_none_is_recorded_after_the_period() {
    let e = extract();
    for row in e.read("opera/opfoelgninger.csv") {
        match opt_date(&row, "udfoert") {
            Some(done) => {
                assert!(done <= e.end(), "{row:?}");
                assert!(seed().code_lists.follow_up_status(&row["status"]).is_some());
            }
            None => assert!(row["status"].is_empty(), "{row:?}"),
        }
    }
}

#[test]
fn corrections_move_the_end_of_existing_enrollments_and_the_due_date_with_it() {
    let e = extract();
    let enrollments = by(&e.read("opera/forloeb.csv"), "forloeb_id");
    let follow_ups = by(&e.read("opera/opfoelgninger.csv"), "opfoelgning_id");
    let offers = e.read("opera/tilbud.csv");
    let corrected = e.read("opera_rettelser/forloeb.csv");
    assert!(!corrected.is_empty());
    for row in &corrected {
        let original = &enrollments[&row["forloeb_id"]];
        let end = opt_date(row, "slut").expect("a corrected end");
        assert_ne!(opt_date(original, "slut"), Some(end));
        assert!(date(row, "start") <= end);
        for offer in offers.iter().filter(|o| o["forloeb_id"] == row["forloeb_id"]) {
            assert!(opt_date(offer, "slut").is_some_and(|o| o <= end), "{offer:?}");
        }
        let unchanged = ["cpr", "indsats", "start", "afslutningsaarsag", "tovholder"];
        assert!(unchanged.iter().all(|c| row[*c] == original[*c]));
    }
    let corrected = by(&corrected, "forloeb_id");
    for row in e.read("opera_rettelser/opfoelgninger.csv") {
        assert!(follow_ups.contains_key(&row["opfoelgning_id"]));
        assert_eq!(row["anker"], "forloeb_slut");
        let enrollment = &corrected[&row["anker_id"]];
        let months = rule_months(&enrollment["indsats"], Anchor::ForloebSlut).expect("rule");
        let due = add_months(date(enrollment, "slut"), months);
        assert_eq!(date(&row, "forfald"), due);
    }
}

#[test]
fn ages_mostly_respect_the_target_groups_with_a_few_outside() {
    let e = extract();
    let births: HashMap<String, NaiveDate> = e
        .read("opera/borgere.csv")
        .into_iter()
        .map(|r| {
            let cpr = Cpr::parse_on(&r["cpr"], e.end()).expect("valid").cpr;
            (r["cpr"].clone(), cpr.birth_date())
        })
        .collect();
    let (mut inside, mut outside) = (0, 0);
    for row in e.read("opera/forloeb.csv") {
        let group = &seed().portfolio.get(&row["indsats"]).expect("known").target_group;
        let (Some(min), Some(max)) = (group.min_age_months, group.max_age_months) else {
            continue;
        };
        let age = sikkerby_domain::calendar::age_in_months(births[&row["cpr"]], date(&row, "start"));
        if (min as i32..max as i32).contains(&age) {
            inside += 1;
        } else {
            outside += 1;
        }
    }
    let share = f64::from(outside) / f64::from(inside + outside);
    assert!(outside > 0, "real data has a few outside the band");
    assert!(share < 0.05, "{outside} of {} outside the band", inside + outside);
}
