//! Citizen timelines kept in memory (`Store::timeline_at`), on both backends: served from memory
//! while the change log shows no change to the citizen, read again after a change by another
//! store on the same database (another process), and after a bulk change.

use chrono::NaiveDate;
use sikkerby_store::cases::{NewCitizen, NewEvent};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn citizen(store: &Store, cpr: &str) -> i64 {
    let new = NewCitizen {
        cpr: cpr.into(),
        name: Some("Testperson Syntetisk".into()),
        confirm_warnings: true,
        ..Default::default()
    };
    store.create_citizen(&new).await.unwrap()
}

async fn event(store: &Store, citizen_id: i64, day: NaiveDate) {
    let new = NewEvent { citizen_id, kind: "loesladelse".into(), date: day, value: None };
    store.record_event(&new).await.unwrap();
}

/// The timeline as a page gets it: at the change log's head read just before.
async fn page_timeline(store: &Store, id: i64) -> sikkerby_store::cases::Timeline {
    let head = store.figures_stamp().await.unwrap().case_changes;
    store.timeline_at(id, head).await.unwrap().unwrap()
}

/// Renames a citizen behind the store's back: no change-log row, so only a kept timeline can
/// still show the old name.
async fn rename_unlogged(store: &Store, id: i64, name: &str) {
    sqlx::query("UPDATE citizen SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
}

store_test!(a_kept_timeline_is_served_until_the_change_log_shows_a_change, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let id = citizen(&store, "0101901234").await;
    let other = citizen(&store, "0201901234").await;
    assert_eq!(page_timeline(&store, id).await, store.timeline(id).await.unwrap().unwrap());

    rename_unlogged(&store, id, "Ændret Udenom").await;
    let kept = page_timeline(&store, id).await;
    assert_eq!(kept.citizen.name.as_deref(), Some("Testperson Syntetisk"), "served from memory");

    // Another citizen's change leaves this one kept; the changed one is read again.
    event(&store, other, d(2013, 2, 1)).await;
    assert_eq!(page_timeline(&store, id).await.citizen.name.as_deref(), Some("Testperson Syntetisk"));
    assert_eq!(page_timeline(&store, other).await.events.len(), 1);

    // The citizen's own change (here: an event) brings the whole timeline from the database.
    event(&store, id, d(2013, 3, 1)).await;
    let fresh = page_timeline(&store, id).await;
    assert_eq!(fresh.citizen.name.as_deref(), Some("Ændret Udenom"));
    assert_eq!(fresh.events.len(), 1);
    assert_eq!(fresh, store.timeline(id).await.unwrap().unwrap());
    assert!(store.timeline_at(999_999, 0).await.unwrap().is_none(), "no such citizen");
});

store_test!(another_process_write_and_a_bulk_change_reach_a_kept_timeline, |db: TestDatabase| async move {
    let reader = db.open_seeded().await;
    let writer = db.open().await; // a second pool: as another `sikkerby serve` or the CLI
    let id = citizen(&writer, "0301901234").await;
    assert!(page_timeline(&reader, id).await.events.is_empty());

    event(&writer, id, d(2014, 5, 1)).await;
    assert_eq!(page_timeline(&reader, id).await.events.len(), 1, "the other store's write is shown");

    rename_unlogged(&writer, id, "Masseændret").await;
    assert_eq!(page_timeline(&reader, id).await.citizen.name.as_deref(), Some("Testperson Syntetisk"));
    writer.case_data_changed_in_bulk().await.unwrap();
    assert_eq!(page_timeline(&reader, id).await.citizen.name.as_deref(), Some("Masseændret"));
});
