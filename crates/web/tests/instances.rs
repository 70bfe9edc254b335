//! Several instances on one database, on SQLite and PostgreSQL: nothing one instance keeps in
//! memory needs to be told by another. A follow-up posted to instance A is in instance B's
//! results on B's next request; an OPERA import through another store (as `sikkerby import
//! opera` beside a running server) reaches a running evaluator; an evaluator the pruned change
//! log has left behind reloads everything. The cohort (`case_support`) has 12 DOMTE members with
//! follow-ups due 1 May 2013, 5 of them recorded positive, so C4 for 2013 is 5 of 12.
//!
//! The expected figures are counted by SQL written here, apart from the engine.

mod case_support;
mod common;

use case_support::{d, positive_follow_up_form, seed_cohort, Cohort, COHORT, POSITIVE};
use common::{spawn_app, TestApp};
use reqwest::cookie::Jar;
use sikkerby_app::Evaluator;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::engine::{CriterionResult, Request};
use sikkerby_store::cases::RecordFollowUp;
use sikkerby_store::{ImportOptions, Store};
use sikkerby_testkit::{store_test, TestBackend, TestDatabase};
use sikkerby_web::{serve, AppState};
use sqlx::Row;
use std::sync::Arc;
use std::time::Instant;

const RESULTS_2013: &str = "/api/v1/results?year=2013&as_of=2014-05-31&initiative=DOMTE";

/// Positive follow-ups due on the cohort's day, counted in SQL (C4's numerator).
async fn positive_in_sql(store: &Store) -> i64 {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM follow_up f JOIN code_list c
             ON c.list = 'follow_up_status' AND c.code = f.status AND c.positive = 1
         WHERE f.due_date = '2013-05-01' AND f.done_date IS NOT NULL",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    row.try_get(0).unwrap()
}

/// A second `sikkerby serve` over the same database: its own store, evaluator and port.
/// Returns its base URL and a client holding `app`'s session (sessions live in the database,
/// so the instance a request reaches does not matter).
async fn second_instance(url: &str, app: &TestApp) -> (String, reqwest::Client) {
    let store = Store::open(url).await.expect("open the second store");
    let state = AppState::load(store).await.expect("load case data").with_secure_cookies(false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    tokio::spawn(serve(state, listener));
    let jar = Arc::new(Jar::default());
    let token = app.session_cookie().expect("a session");
    jar.add_cookie_str(&format!("sikkerby_session={token}; Path=/"), &base.parse().unwrap());
    let client = reqwest::Client::builder().cookie_provider(jar).build().expect("HTTP client");
    (base, client)
}

/// The fields of a published C4 that the tests compare.
const FIELDS: [&str; 5] = ["numerator", "denominator", "unknown", "value", "suppressed"];

fn c4_fields(results: &serde_json::Value) -> Vec<serde_json::Value> {
    let c4 = results["results"].as_array().unwrap().iter().find(|r| r["criterion"] == "C4").unwrap();
    FIELDS.iter().map(|f| c4[*f].clone()).collect()
}

/// C4 of `/api/v1/results` on an instance, as published.
async fn c4_over_http(base: &str, client: &reqwest::Client) -> Vec<serde_json::Value> {
    let response = client.get(format!("{base}{RESULTS_2013}")).send().await.expect("GET results");
    assert_eq!(response.status().as_u16(), 200);
    c4_fields(&response.json().await.expect("JSON"))
}

/// C4 as a freshly loaded evaluator publishes it from the database as it is now.
async fn c4_published_fresh(store: &Store) -> Vec<serde_json::Value> {
    let raw = Evaluator::load(store.clone()).await.unwrap().evaluate_raw(&request_2013()).await.unwrap();
    let rules = store.disclosure_rules().await.unwrap();
    c4_fields(&serde_json::to_value(sikkerby_domain::publish::publish(&raw, None, &rules)).unwrap())
}

fn request_2013() -> Request<'static> {
    Request {
        period: Period::year(2013).unwrap(),
        as_of: d(2014, 5, 31),
        by: None,
        initiative: Some("DOMTE"),
    }
}

async fn c4(evaluator: &Evaluator) -> CriterionResult {
    let evaluation = evaluator.evaluate(&request_2013()).await.unwrap();
    evaluation.results.into_iter().find(|r| r.criterion == "C4").unwrap()
}

/// Records the open follow-up of the cohort's `nth` open member, positive.
async fn record_positive(store: &Store, cohort: &Cohort, nth: usize) {
    let record =
        RecordFollowUp { done: d(2013, 5, 3), status: "beskaeftiget".into(), done_by: "JKU-A17".into() };
    store.record_follow_up(&cohort.open[nth].1, &record).await.unwrap();
}

async fn log_rows(store: &Store) -> Vec<i64> {
    let rows =
        sqlx::query("SELECT seq FROM case_changes ORDER BY seq").fetch_all(store.pool()).await.unwrap();
    rows.iter().map(|r| r.try_get(0).unwrap()).collect()
}

store_test!(
    a_follow_up_posted_to_one_instance_is_in_the_other_instances_next_answer,
    |db: TestDatabase| async move {
        let url = db.url.clone();
        let store = db.open_seeded().await;
        let cohort = seed_cohort(&store).await;
        store.close().await;
        let a = spawn_app(db).await;
        let (b, client_b) = second_instance(&url, &a).await;
        let before = c4_over_http(&b, &client_b).await;
        assert_eq!(before, c4_published_fresh(&a.store).await, "B before");

        let (citizen, follow_up) = &cohort.open[0];
        let fields = positive_follow_up_form(follow_up);
        let response = a.post_form(&format!("/borgere/{citizen}/opfoelgninger"), &fields).await;
        assert_eq!(response.status().as_u16(), 303, "the form post on A");
        let counted = positive_in_sql(&a.store).await;
        assert_eq!(counted, POSITIVE as i64 + 1, "the cohort's construction");

        let started = Instant::now();
        let after = c4_over_http(&b, &client_b).await;
        println!(
            "instance B's first GET /api/v1/results after A's post: {} ms",
            started.elapsed().as_millis()
        );
        assert_eq!(after, c4_published_fresh(&a.store).await, "B's next answer");
        assert_ne!(after, before, "the follow-up changed C4's published figures");
        let started = Instant::now();
        assert_eq!(c4_over_http(&b, &client_b).await, after, "and it stays");
        println!("instance B's GET /api/v1/results with nothing new: {} ms", started.elapsed().as_millis());
    }
);

store_test!(
    an_opera_import_through_another_store_reaches_a_running_evaluator,
    |db: TestDatabase| async move {
        // The extract: the cohort exported from a database of its own.
        let source = TestDatabase::create(if db.url.starts_with("sqlite") {
            TestBackend::Sqlite
        } else {
            TestBackend::Postgres
        })
        .await
        .unwrap();
        let source_store = source.open_seeded().await;
        seed_cohort(&source_store).await;
        let dir = tempfile::tempdir().unwrap();
        source_store.export_opera(dir.path()).await.unwrap();

        let server_store = db.open_seeded().await;
        let evaluator = Evaluator::load(server_store.clone()).await.unwrap();
        assert_eq!(c4(&evaluator).await.denominator.unwrap_or(0), 0, "nothing loaded yet");
        // As `sikkerby import opera` does, through a store of its own (another process).
        let cli = Store::open(&db.url).await.unwrap();
        cli.import_opera(dir.path(), ImportOptions::default(), &|_| {}).await.unwrap();
        cli.sync_all_follow_ups().await.unwrap();
        cli.close().await;

        let result = c4(&evaluator).await;
        let positive = positive_in_sql(&server_store).await;
        assert_eq!(positive, POSITIVE as i64);
        assert_eq!(
            (result.numerator, result.denominator),
            (Some(positive as u64), Some(COHORT as u64)),
            "the running evaluator has the imported cohort"
        );
    }
);

store_test!(
    an_evaluator_left_behind_by_the_pruned_change_log_reloads_everything,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let cohort = seed_cohort(&store).await;
        let behind = Evaluator::load(store.clone()).await.unwrap();
        let current = Evaluator::load(store.clone()).await.unwrap();
        assert_eq!(c4(&behind).await.numerator, Some(POSITIVE as u64));

        // Three changes by another process; `current` keeps up after each, `behind` does not.
        let writer = Store::open(&db.url).await.unwrap();
        for nth in 0..3 {
            record_positive(&writer, &cohort, nth).await;
            c4(&current).await;
        }
        let before = log_rows(&store).await;
        assert!(before.len() >= 3, "each change is logged: {before:?}");
        let deleted = writer.prune_case_changes(1).await.unwrap();
        let kept = log_rows(&store).await;
        assert_eq!(kept, before[before.len() - 1..], "only the newest row is kept");
        assert_eq!(deleted as usize, before.len() - 1);

        // Only the last of the three changes is still in the log; `behind` must not stop at it.
        let counted = positive_in_sql(&store).await as u64;
        assert_eq!(counted, POSITIVE as u64 + 3);
        assert_eq!(c4(&behind).await.numerator, Some(counted), "the evaluator left behind");
        // The one that kept up goes on change by change from the newest row.
        record_positive(&writer, &cohort, 3).await;
        assert_eq!(c4(&current).await.numerator, Some(counted + 1), "the evaluator that kept up");
        assert_eq!(log_rows(&store).await.len(), 2, "the writer appends after the pruned log");
    }
);

store_test!(a_retention_delete_by_another_process_leaves_every_evaluator, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let cohort = seed_cohort(&store).await;
    let evaluator = Evaluator::load(store.clone()).await.unwrap();
    assert_eq!(c4(&evaluator).await.denominator, Some(COHORT as u64));
    // A positive member's data reach their retention date and are deleted by another process.
    let other = Store::open(&db.url).await.unwrap();
    let gone = cohort.citizens[0];
    assert!(other.set_retention_date(gone, Some(d(2014, 1, 1))).await.unwrap());
    let actor = sikkerby_store::audit::Actor::system("test");
    let report = other.retention_run(d(2014, 1, 1), &actor).await.unwrap();
    assert_eq!(report.deleted, vec![gone]);
    let result = c4(&evaluator).await;
    assert_eq!(
        (result.numerator, result.denominator),
        (Some(positive_in_sql(&store).await as u64), Some(COHORT as u64 - 1)),
        "the deleted citizen is no longer counted"
    );
});

store_test!(
    concurrent_writes_elsewhere_all_reach_an_evaluator_reading_meanwhile,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let cohort = Arc::new(seed_cohort(&store).await);
        let evaluator = Evaluator::load(store.clone()).await.unwrap();
        let writer = Store::open(&db.url).await.unwrap();
        let writes: Vec<_> = (0..cohort.open.len())
            .map(|nth| {
                let (writer, cohort) = (writer.clone(), cohort.clone());
                tokio::spawn(async move { record_positive(&writer, &cohort, nth).await })
            })
            .collect();
        // The evaluator catches up again and again while the writes commit in any order.
        let mut reads = 0;
        while !writes.iter().all(|w| w.is_finished()) {
            c4(&evaluator).await;
            reads += 1;
        }
        for write in writes {
            write.await.unwrap();
        }
        let counted = positive_in_sql(&store).await as u64;
        assert_eq!(counted, COHORT as u64, "every open follow-up recorded");
        let result = c4(&evaluator).await;
        assert_eq!((result.numerator, result.unknown), (Some(counted), 0), "after {reads} reads meanwhile");
    }
);
