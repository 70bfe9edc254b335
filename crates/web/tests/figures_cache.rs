//! The dashboard keeps published figures between requests (`figures_cache`); these tests show
//! that a kept figure never outlives a change of its inputs, made through this server or behind
//! its back (another instance, the CLI), on SQLite and PostgreSQL.

mod case_support;
mod common;

use case_support::{row, spawn_with_cohort};
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_testkit::store_test;

const DASHBOARD_2013: &str = "/resultater?year=2013&as_of=2014-05-31";
const WITHHELD: &str = "<span class=\"withheld\">&#60;5</span>";

store_test!(a_new_disclosure_threshold_shows_on_the_next_dashboard_load, |db| async move {
    let (app, _) = spawn_with_cohort(db).await;
    let before = app.text(DASHBOARD_2013, 200).await;
    assert!(row(&before, "C3").contains(WITHHELD), "C3 = 3 is withheld below 5");
    assert_eq!(app.text(DASHBOARD_2013, 200).await, before, "a second load gives the same page");
    // Changed in the database directly, as another instance's settings page would.
    app.store.set_disclosure_threshold(DisclosureRules::new(3).unwrap()).await.unwrap();
    let after = app.text(DASHBOARD_2013, 200).await;
    let c3 = row(&after, "C3");
    assert!(!c3.contains(WITHHELD), "3 is shown at threshold 3: {c3}");
});

store_test!(the_stamp_moves_with_reference_data_and_case_data_but_not_with_reads, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    let store = &app.store;
    let start = store.figures_stamp().await.unwrap();
    app.text(DASHBOARD_2013, 200).await;
    assert_eq!(store.figures_stamp().await.unwrap(), start, "reading figures changes nothing");
    store.set_disclosure_threshold(DisclosureRules::new(4).unwrap()).await.unwrap();
    let after_rules = store.figures_stamp().await.unwrap();
    assert!(after_rules.generation > start.generation);
    assert_eq!(after_rules.case_changes, start.case_changes);
    let citizen = cohort.citizens[0];
    let html = app.text(&format!("/borgere/{citizen}"), 200).await;
    assert!(html.contains("<h1"), "the citizen page opens");
    assert_eq!(store.figures_stamp().await.unwrap(), after_rules, "a citizen read is no change");
});
