//! The store suite for the portfolio: runs on SQLite and PostgreSQL alike.

use rust_decimal::Decimal;
use sikkerby_domain::budget::BudgetCell;
use sikkerby_testkit::{store_test, TestDatabase};

store_test!(loading_the_seed_stores_all_seventeen_initiatives, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let portfolio = store.portfolio().await.unwrap();
    assert_eq!(portfolio.initiatives.len(), 17);
    assert_eq!(portfolio.initiatives[0].code.as_str(), "KRIMITEAM");
    let exit = store.initiative("EXIT").await.unwrap().unwrap();
    assert_eq!(exit.capacity_full_year_places, Some(25));
    assert!(!exit.memo.description.is_empty());
    assert!(store.initiative("NOPE").await.unwrap().is_none());
});

store_test!(loading_the_seed_twice_changes_nothing, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let before = (store.portfolio().await.unwrap(), store.budget().await.unwrap());
    let seed = sikkerby_domain::seed::load().unwrap();
    store.load_seed(&seed).await.unwrap();
    store.migrate().await.unwrap();
    let after = (store.portfolio().await.unwrap(), store.budget().await.unwrap());
    assert_eq!(before, after);
});

store_test!(budget_totals_from_stored_lines_equal_the_memo, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let budget = store.budget().await.unwrap();
    let totals: Vec<(i32, Decimal)> = budget.totals();
    assert_eq!(
        totals,
        vec![
            (2012, Decimal::new(217, 1)),
            (2013, Decimal::new(216, 1)),
            (2014, Decimal::new(195, 1)),
            (2015, Decimal::new(84, 1)),
        ]
    );
    let ssp = budget.lines.iter().find(|l| l.name == "SSP+").unwrap();
    assert_eq!(ssp.cells[3], BudgetCell::FundingEnded);
    let god = budget.lines.iter().find(|l| l.name == "God løsladelse m.v.").unwrap();
    assert_eq!(god.cells[2], BudgetCell::NoAllocation);
});

store_test!(stored_budget_equals_the_seed_budget, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let seed = sikkerby_domain::seed::load().unwrap();
    assert_eq!(store.budget().await.unwrap(), seed.budget);
    assert_eq!(store.criteria().await.unwrap(), seed.criteria);
    let geo = store.geography().await.unwrap();
    assert_eq!(geo.districts.len(), 12);
});

store_test!(code_lists_round_trip_through_the_database, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let seed = sikkerby_domain::seed::load().unwrap();
    let lists = store.code_lists().await.unwrap();
    assert_eq!(lists, seed.code_lists);
    assert!(lists.is_lab_offer("virksomhedspraktik"));
    assert!(!lists.is_lab_offer("mentorstoette"));
    assert!(lists.is_positive_end("uddannelse_paabegyndt"));
    assert!(!lists.is_positive_status("ukendt"));
});

store_test!(
    kept_reference_data_is_read_again_after_a_write_by_another_process,
    |db: TestDatabase| async move {
        // Two stores on one database stand for two processes: one keeps the code lists in memory,
        // the other changes them with plain SQL; the first must see the change on its next read.
        let keeping = db.open_seeded().await;
        let other = db.open().await;
        let before = keeping.code_lists().await.unwrap();
        assert!(!before.offer_type.iter().any(|c| c.code == "TEST-TILBUD"));
        let generation = keeping.generation().await.unwrap();
        sqlx::query(
            "INSERT INTO code_list (list, code, position, label_da, label_en, lab, positive)
         VALUES ('offer_type', 'TEST-TILBUD', 999, 'Testtilbud', 'Test offer', 0, 0)",
        )
        .execute(other.pool())
        .await
        .unwrap();
        assert!(keeping.generation().await.unwrap() > generation, "the trigger moved the generation");
        let after = keeping.code_lists().await.unwrap();
        assert!(after.offer_type.iter().any(|c| c.code == "TEST-TILBUD"), "read again, not kept");
        assert_eq!(keeping.code_lists().await.unwrap().offer_type.len(), after.offer_type.len());
    }
);
