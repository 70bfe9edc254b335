//! The safety index's criteria through the evaluator, on both backends, against figures counted
//! independently from the generated CSV files (`sikkerby_testkit::tryghed`): C19 (areas needing
//! marked or intensified effort against the base year), C14 and C16 (Tingbjerg), C12 with an
//! approved manual indicator; the kept index is recomputed after an import or a configuration
//! change; and a configuration change lists the areas whose category it moves.

use chrono::NaiveDate;
use sikkerby_app::index_config::change_index_config;
use sikkerby_app::Evaluator;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::engine::{CriterionResult, Request, Status};
use sikkerby_domain::indicators::Assessment;
use sikkerby_store::audit::Actor;
use sikkerby_store::indicators::NewIndicatorEntry;
use sikkerby_store::opera::ImportOptions;
use sikkerby_store::Store;
use sikkerby_testkit::tryghed::{compute_from_csv, generate_small, Independent};
use sikkerby_testkit::{store_test, TestDatabase};
use std::collections::BTreeSet;
use std::sync::Arc;

async fn imported(store: &Store, dir: &std::path::Path) -> Independent {
    let folder = generate_small(dir);
    store.import_tryghed(&folder, ImportOptions { partial: false }).await.unwrap();
    compute_from_csv(&folder)
}

async fn result(evaluator: &Evaluator, year: i32, criterion: &str) -> CriterionResult {
    let as_of = NaiveDate::from_ymd_opt(year + 1, 6, 30).unwrap();
    let request = Request { period: Period::year(year).unwrap(), as_of, by: None, initiative: None };
    let evaluation = evaluator.evaluate(&request).await.unwrap();
    evaluation.results.into_iter().find(|r| r.criterion == criterion).unwrap()
}

store_test!(c19_counts_the_areas_an_independent_computation_counts, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let expected = imported(&store, dir.path()).await;
    let evaluator = Evaluator::load(store.clone()).await.unwrap();
    let base = expected.needing_effort(2012);
    assert!(base > 0, "the generated areas start with some in need");
    for year in [2012, 2013, 2014] {
        let c19 = result(&evaluator, year, "C19").await;
        let count = expected.needing_effort(year);
        assert_eq!((c19.numerator, c19.denominator), (Some(count as u64), Some(base as u64)), "{year}");
        let projected = if year == 2012 {
            count as f64
        } else {
            base as f64 + (count as f64 - base as f64) * 2.0 / f64::from(year - 2012)
        };
        let status = match year {
            2014 if 2 * count <= base => Status::Met,
            2014 => Status::NotMet,
            _ if 2.0 * projected.max(0.0) <= base as f64 => Status::OnTrack,
            _ => Status::OffTrack,
        };
        assert_eq!(c19.status, status, "{year}");
        assert_eq!(c19.target, Some(0.5));
        assert!(c19.text.contains("falder med minimum 50 %"), "the memo's words");
    }
    assert_eq!(result(&evaluator, 2011, "C19").await.status, Status::NoData, "before the base year");
});

store_test!(
    c14_and_c16_compare_tingbjerg_as_an_independent_computation_does,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let dir = tempfile::tempdir().unwrap();
        let expected = imported(&store, dir.path()).await;
        let evaluator = Evaluator::load(store.clone()).await.unwrap();
        for year in [2012, 2013, 2014] {
            let own = expected.areas[&(year, "tingbjerg".to_owned())];
            let city = expected.city[&year];
            let c14 = result(&evaluator, year, "C14").await;
            assert!((c14.value.unwrap() - own.n.unwrap()).abs() < 1e-9, "{year}");
            assert!((c14.target.unwrap() - city.n.unwrap()).abs() < 1e-9, "{year}");
            let met = if own.n.unwrap() <= city.n.unwrap() { Status::Met } else { Status::NotMet };
            assert_eq!(c14.status, met, "{year}");
            let c16 = result(&evaluator, year, "C16").await;
            if year == 2012 {
                assert_eq!(c16.status, Status::NoData, "no previous year to compare with");
                continue;
            }
            let before = expected.areas[&(year - 1, "tingbjerg".to_owned())].r.unwrap();
            let down = if own.r.unwrap() < before { Status::Met } else { Status::NotMet };
            assert_eq!(c16.status, down, "{year}");
            assert_eq!(c15_figures(&result(&evaluator, year, "C15").await), 2, "U and N both shown");
        }
    }
);

fn c15_figures(r: &CriterionResult) -> usize {
    assert_eq!(r.denominator, Some(2));
    r.breakdown.iter().filter(|g| g.group.contains("signifikant")).count()
}

store_test!(c12_joins_the_hotspot_index_with_approved_local_indicators, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let expected = imported(&store, dir.path()).await;
    let evaluator = Evaluator::load(store.clone()).await.unwrap();
    let lower = ["indre_noerrebro", "ydre_noerrebro"]
        .iter()
        .filter(|a| expected.areas[&(2013, a.to_string())].t < expected.areas[&(2012, a.to_string())].t)
        .count() as u64;
    let c12 = result(&evaluator, 2013, "C12").await;
    assert_eq!((c12.numerator, c12.denominator), (Some(lower), Some(2)));
    let entry = NewIndicatorEntry {
        criterion: "C12".into(),
        period: Period::year(2013).unwrap(),
        indicator: "Færre unge på gadeplan om aftenen".into(),
        number: None,
        baseline: None,
        direction: None,
        assessment: Some(Assessment::NotMet),
        due: None,
        delivered: None,
        narrative: String::new(),
        entered_by: "a".into(),
    };
    let id = store.add_indicator_entry(&entry, &Actor::system("test")).await.unwrap();
    assert_eq!(result(&evaluator, 2013, "C12").await.denominator, Some(2), "not yet approved");
    store.approve_indicator_entry(id, "b", &Actor::system("test")).await.unwrap();
    let c12 = result(&evaluator, 2013, "C12").await;
    assert_eq!((c12.numerator, c12.denominator, c12.status), (Some(lower), Some(3), Status::NotMet));
});

store_test!(
    the_kept_index_is_recomputed_after_an_import_or_a_configuration_change,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let evaluator = Evaluator::load(store.clone()).await.unwrap();
        let (empty, _) = evaluator.index().await.unwrap();
        assert!(empty.years.is_empty());
        let dir = tempfile::tempdir().unwrap();
        imported(&store, dir.path()).await;
        let (first, _) = evaluator.index().await.unwrap();
        assert_eq!(first.years.len(), 3, "the import is seen without a reload");
        let (kept, _) = evaluator.index().await.unwrap();
        assert!(Arc::ptr_eq(&first, &kept), "unchanged inputs: the same result, not a new computation");
        store.set_index_config("bootstrap_resamples = 100\n", "analytiker").await.unwrap();
        let (changed, config) = evaluator.index().await.unwrap();
        assert!(!Arc::ptr_eq(&first, &changed));
        assert_eq!((config.bootstrap_resamples, changed.config_version), (100, 2));
    }
);

store_test!(
    a_configuration_change_lists_exactly_the_areas_whose_category_changes,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let dir = tempfile::tempdir().unwrap();
        let expected = imported(&store, dir.path()).await;
        let toml = "[cut_points]\nbehov_for_indsats = 90.0\nmarkant = 140.0\nintensiveret = 180.0\n";
        let change = change_index_config(&store, toml, "analytiker").await.unwrap();
        assert_eq!((change.previous_version, change.stored.version), (1, 2));
        let category = |t: f64, cuts: [f64; 3]| cuts.iter().filter(|c| t >= **c).count();
        let moved: BTreeSet<(i32, String)> = expected
            .areas
            .iter()
            .filter(|(_, f)| {
                f.t.is_some_and(|t| category(t, [100.0, 125.0, 150.0]) != category(t, [90.0, 140.0, 180.0]))
            })
            .map(|(key, _)| key.clone())
            .collect();
        assert!(!moved.is_empty());
        let listed: BTreeSet<(i32, String)> =
            change.changes.iter().map(|c| (c.year, c.area.clone())).collect();
        assert_eq!(listed, moved);
        assert_eq!(store.index_config().await.unwrap().cut_points.markant, 140.0);
    }
);
