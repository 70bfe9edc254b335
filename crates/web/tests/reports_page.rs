//! The reports page: an analyst makes and downloads a report; a manager, and only a manager
//! other than its maker, approves it; the recorded version downloads again byte for byte.

mod common;

use common::spawn_app;
use sikkerby_domain::access::Role;
use sikkerby_testkit::store_test;

store_test!(
    an_analyst_makes_a_report_a_manager_approves_it_and_it_downloads_byte_identically,
    |db| async move {
        let app = spawn_app(db).await;
        app.login_as(Role::Analyst).await;
        let page = app.text("/rapporter", 200).await;
        assert!(page.contains("Rapporter til udvalgene") && page.contains("name=\"csrf_token\""));
        let made =
            app.post_form("/rapporter", &[("kind", "annual"), ("period", "2013"), ("format", "pdf")]).await;
        assert_eq!(made.status().as_u16(), 200);
        assert_eq!(made.headers()["content-type"], "application/pdf");
        let first = made.bytes().await.unwrap();
        assert!(first.starts_with(b"%PDF"), "a real PDF");
        let again = app.get("/rapporter/1/pdf").await;
        assert_eq!(again.status().as_u16(), 200);
        assert_eq!(again.bytes().await.unwrap(), first, "regenerated from the snapshot, byte for byte");
        let bad =
            app.post_form("/rapporter", &[("kind", "annual"), ("period", "20x3"), ("format", "pdf")]).await;
        assert_eq!(bad.status().as_u16(), 422, "a bad period names the field");
        // The analyst may not approve; a manager may.
        assert_eq!(app.post_form("/rapporter/1/godkend", &[]).await.status().as_u16(), 403);
        app.login_as(Role::Manager).await;
        let approved = app.post_form("/rapporter/1/godkend", &[]).await;
        assert_eq!(approved.status().as_u16(), 303);
        let listed = app.text("/rapporter?kind=annual&period=2013", 200).await;
        assert!(listed.contains("test-manager"), "the approver is shown: {listed}");
    }
);
