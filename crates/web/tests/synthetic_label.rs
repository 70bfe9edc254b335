//! A demo server labels every page as synthetic. Its own test binary with one test, because the
//! label is process-wide (a demo server holds nothing but synthetic data).

mod common;

use common::spawn_app;
use sikkerby_domain::access::Role;
use sikkerby_testkit::{TestBackend, TestDatabase};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_server_says_on_every_page_that_the_data_are_synthetic() {
    let db = TestDatabase::create(TestBackend::Sqlite).await.unwrap();
    let app = spawn_app(db).await;
    app.login_as(Role::Analyst).await;
    assert!(!app.text("/budget", 200).await.contains("syntetiske"), "no label before --demo");
    sikkerby_web::label_data_as_synthetic();
    for path in ["/", "/budget", "/resultater"] {
        assert!(app.text(path, 200).await.contains("alle sagsdata er syntetiske"), "{path}");
    }
}
