//! The worklist's first page over 10,000 overdue follow-ups (issue #13: < 50 ms), on both
//! backends, against a reference in the same run: a bare `COUNT(*)` of the same follow-ups.
//!
//! `cargo run --release -p sikkerby-store --example worklist_bench -- [rows] [sqlite|postgres]`

use chrono::NaiveDate;
use sikkerby_store::cases::{WorklistQuery, WorklistSort};
use sikkerby_store::Store;
use sikkerby_testkit::{TestBackend, TestDatabase};
use std::time::{Duration, Instant};

/// Runs of each query; the median is reported.
const RUNS: usize = 21;

/// `rows` citizens, each with one open enrollment (JKU Nord, one of 20 caseworker codes) and
/// one open follow-up anchored on it, due in 2013: all overdue.
async fn seed(store: &Store, rows: usize) {
    let mut tx = store.pool().begin().await.unwrap();
    for n in 0..rows {
        let id = n as i64 + 1;
        sqlx::query("INSERT INTO citizen (id, cpr, birth_date, sex) VALUES ($1, $2, '1990-01-01', 'M')")
            .bind(id)
            .bind(format!("01019{n:05}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO enrollment (id, citizen_id, initiative_code, start_date, lead, caseworker_code, centre)
             VALUES ($1, $2, 'DOMTE', '2012-01-01', 'BIF', $3, 'JKU Nord')",
        )
        .bind(format!("bench-{n}"))
        .bind(id)
        .bind(format!("JKU-A{:02}", n % 20))
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO follow_up (id, citizen_id, anchor, anchor_id, due_date)
             VALUES ($1, $2, 'forloeb_slut', $3, $4)",
        )
        .bind(format!("fu-{n}"))
        .bind(id)
        .bind(format!("bench-{n}"))
        .bind(format!("2013-{:02}-{:02}", n % 12 + 1, n % 28 + 1))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn median<F, Fut>(mut run: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        run().await;
        times.push(started.elapsed());
    }
    times.sort();
    times[RUNS / 2]
}

#[tokio::main]
async fn main() {
    let rows: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let only = std::env::args().nth(2).unwrap_or_default();
    for backend in [TestBackend::Sqlite, TestBackend::Postgres] {
        if !only.is_empty() && !format!("{backend:?}").eq_ignore_ascii_case(&only) {
            continue;
        }
        let Some(db) = TestDatabase::create(backend).await else {
            println!("{backend:?}: not reachable, skipped");
            continue;
        };
        let store = db.open_seeded().await;
        seed(&store, rows).await;
        store.sync_all_follow_ups().await.unwrap();
        // As autovacuum (PostgreSQL) or a maintenance run (SQLite) would before the list is read.
        sqlx::query("ANALYZE").execute(store.pool()).await.unwrap();
        let query = WorklistQuery {
            as_of: NaiveDate::from_ymd_opt(2014, 6, 1).unwrap(),
            within_centres: Some(vec!["JKU Nord".into()]),
            limit: 50,
            ..Default::default()
        };
        let first = store.worklist(&query).await.unwrap();
        assert_eq!((first.total, first.rows.len()), (rows as i64, 50.min(rows)));
        let reference = median(|| async {
            sqlx::query(
                "SELECT COUNT(*) FROM follow_up WHERE done_date IS NULL AND due_date <= '2014-06-15'",
            )
            .fetch_one(store.pool())
            .await
            .unwrap();
        })
        .await;
        let page = median(|| async {
            store.worklist(&query).await.unwrap();
        })
        .await;
        let by_name = WorklistQuery {
            sort: WorklistSort::Citizen,
            descending: true,
            offset: 5000.min(rows as i64),
            ..query.clone()
        };
        let deep = median(|| async {
            store.worklist(&by_name).await.unwrap();
        })
        .await;
        let options = median(|| async {
            store.worklist_options(&query).await.unwrap();
        })
        .await;
        let ratio = |d: Duration| d.as_secs_f64() / reference.as_secs_f64();
        println!("{backend:?}, {rows} overdue follow-ups, median of {RUNS}:");
        println!("  reference COUNT(*)                  {:>8.2} ms", reference.as_secs_f64() * 1e3);
        println!(
            "  first page (count + 50 rows)        {:>8.2} ms  ({:.1}x)",
            page.as_secs_f64() * 1e3,
            ratio(page)
        );
        println!(
            "  page at offset 5000, sorted by CPR  {:>8.2} ms  ({:.1}x)",
            deep.as_secs_f64() * 1e3,
            ratio(deep)
        );
        println!(
            "  filter options                      {:>8.2} ms  ({:.1}x)",
            options.as_secs_f64() * 1e3,
            ratio(options)
        );
    }
}
