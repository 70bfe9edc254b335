//! The safety index read back from the store, on both backends: `Store::index_inputs` put
//! through `compute` gives the same R, V, U, N and T for every area and year as the formulas of
//! docs/domain.md §8 applied straight to the generated CSV files (`sikkerby_testkit::tryghed`); and
//! the index configuration is stored as numbered versions.

use sikkerby_domain::safety_index::{compute, IndexConfig};
use sikkerby_store::opera::ImportOptions;
use sikkerby_store::tryghed::IndexConfigError;
use sikkerby_testkit::tryghed::{compute_from_csv, generate_small};
use sikkerby_testkit::{store_test, TestDatabase};

fn close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{what}: {a} ≠ {b}"),
        (None, None) => {}
        _ => panic!("{what}: {a:?} vs {b:?}"),
    }
}

store_test!(the_stored_inputs_give_the_figures_of_the_csv_files, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = generate_small(dir.path());
    store.import_tryghed(&folder, ImportOptions { partial: false }).await.unwrap();
    let config = IndexConfig { bootstrap_resamples: 200, ..IndexConfig::default() };
    let result = compute(&store.index_inputs().await.unwrap(), &config);
    let expected = compute_from_csv(&folder);
    assert_eq!(result.base_year, Some(expected.base_year));
    let computed: usize = result.years.iter().map(|y| y.areas.len()).sum();
    assert_eq!(computed, expected.areas.len(), "every area and year");
    assert_eq!(computed, 35 * 3);
    for year in &result.years {
        let city = &expected.city[&year.year];
        close(year.city.r, city.r, "city R");
        close(year.city.night, city.n, "city N");
        for area in &year.areas {
            let e = &expected.areas[&(year.year, area.area.clone())];
            let what = |c: &str| format!("{c} of {} in {}", area.area, year.year);
            close(area.r, e.r, &what("R"));
            close(area.v, e.v, &what("V"));
            close(area.u, e.u, &what("U"));
            close(area.night, e.n, &what("N"));
            close(area.t, e.t, &what("T"));
        }
    }
    // The seeded bootstrap sees the rows in one fixed order, so the intervals repeat too.
    let again = compute(&store.index_inputs().await.unwrap(), &config);
    assert_eq!(again, result);
});

store_test!(an_index_configuration_is_stored_as_the_next_version, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    assert_eq!(store.index_config().await.unwrap(), IndexConfig::default());
    assert_eq!(store.index_stamp().await.unwrap(), (0, 0));
    let stored =
        store.set_index_config("version = 40\n[cut_points]\nmarkant = 130.0\n", "analytiker").await.unwrap();
    assert_eq!(stored.version, 2, "numbered by the store, above the defaults' 1");
    let config = store.index_config().await.unwrap();
    assert_eq!(
        (config.version, config.cut_points.markant, config.cut_points.intensiveret),
        (2, 130.0, 150.0)
    );
    store.set_index_config("base_year = 2013\n", "analytiker").await.unwrap();
    let history = store.index_config_history().await.unwrap();
    assert_eq!(history.iter().map(|v| v.version).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(history[0].changed_by, "analytiker");
    assert_eq!(store.index_stamp().await.unwrap(), (0, 3));
    for (bad, expected) in [("[weights]\nQ = 1.0\n", "weights.Q"), ("cutpoints = 1\n", "cutpoints")] {
        match store.set_index_config(bad, "analytiker").await {
            Err(IndexConfigError::UnknownSetting(name)) => assert_eq!(name, expected),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    for bad in [
        "[cut_points]\nmarkant = 90.0\n",
        "[weights]\nR = 0.0\nV = 0.0\nU = 0.0\n",
        "unsafe_from = 6\n",
        "= 1",
    ] {
        assert!(store.set_index_config(bad, "analytiker").await.is_err(), "{bad:?} is refused");
    }
    assert_eq!(store.index_config().await.unwrap().version, 3, "refused settings are not stored");
});
