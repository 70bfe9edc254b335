//! The attacker over generated data sets (docs/disclosure.md, "The audit"): for several seeds
//! at Copenhagen scale, years running and closed, every criterion's published linked set —
//! totals and all six breakdowns — leaves no small count narrower than its label, the figures
//! of every breakdown agree with the totals published without one, and no shown count is small.

use chrono::NaiveDate;
use sikkerby_app::Evaluator;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::engine::{Dimension, Request};
use sikkerby_domain::publish::attack::Attacker;
use sikkerby_domain::publish::protect::failing;
use sikkerby_domain::publish::{protected_set, publish, Cell};
use sikkerby_generator::{generate, GenerateConfig};
use sikkerby_store::ImportOptions;
use sikkerby_testkit::{TestBackend, TestDatabase};

async fn audit_seed(citizens: u64, seed: u64) {
    let db = TestDatabase::create(TestBackend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    generate(&GenerateConfig { citizens, years: 3, first_year: 2012, seed }, dir.path()).unwrap();
    let store = db.open_seeded().await;
    store.import_opera(&dir.path().join("opera"), ImportOptions { partial: false }, &|_| {}).await.unwrap();
    let evaluator = Evaluator::load(store.clone()).await.unwrap();
    let rules = DisclosureRules::default();
    let mut audited = 0;
    for (year, as_of) in [(2013, (2013, 6, 30)), (2013, (2014, 5, 31)), (2014, (2014, 12, 31))] {
        let as_of = NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2).unwrap();
        let request = Request { period: Period::year(year).unwrap(), as_of, by: None, initiative: None };
        let raw = evaluator.evaluate_raw(&request).await.unwrap();
        for r in &raw.totals.results {
            let Some(chosen) = protected_set(&raw, r, &rules) else { continue };
            let k = rules.threshold;
            assert!(
                failing(&chosen.table, &chosen.hidden, k).is_empty(),
                "seed {seed} {year} {as_of} {}",
                r.criterion
            );
            let attacker = Attacker::new(&chosen.table, &chosen.hidden, k);
            for (cell, mark) in chosen.table.cells.iter().zip(&chosen.hidden) {
                if mark.is_some() {
                    assert!(
                        !attacker.interval(&cell.form).is_point(),
                        "seed {seed} {}: a hidden cell is known",
                        r.criterion
                    );
                }
            }
            audited += 1;
        }
        // What each breakdown publishes of the totals is what the dashboard publishes.
        let totals = publish(&raw, None, &rules);
        for by in Dimension::ALL {
            let broken = publish(&raw, Some(by), &rules);
            for (a, b) in totals.results.iter().zip(&broken.results) {
                assert_eq!(
                    (a.numerator, a.denominator, a.unknown, a.value, a.status),
                    (b.numerator, b.denominator, b.unknown, b.value, b.status),
                    "{} by {by:?}",
                    a.criterion
                );
                for g in &b.breakdown {
                    for c in [g.numerator, g.denominator, g.unknown] {
                        if let Cell::Shown(v) = c {
                            assert!(!rules.is_small(v), "{} by {by:?} {}: {v} shown", b.criterion, g.group);
                        }
                    }
                }
            }
        }
    }
    assert!(audited >= 30, "{audited} linked sets audited");
}

#[tokio::test]
async fn every_published_linked_set_of_seed_7_withstands_the_attacker() {
    audit_seed(3000, 7).await;
}

#[tokio::test]
async fn every_published_linked_set_of_seed_2013_withstands_the_attacker() {
    audit_seed(3000, 2013).await;
}
