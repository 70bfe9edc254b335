//! The reports page: an analyst makes and downloads a report; a manager, and only a manager
//! other than its maker, approves it; the recorded version downloads again byte for byte.

mod common;

use common::spawn_app;
use sikkerby_domain::access::Role;
use sikkerby_testkit::store_test;

/// The seeded test database has no case data: every period is made past the warning about it
/// (tests/report_versions.rs tests the warning).
const CONFIRM: (&str, &str) = ("confirm", "ja");

store_test!(
    an_analyst_makes_a_report_a_manager_approves_it_and_it_downloads_byte_identically,
    |db| async move {
        let app = spawn_app(db).await;
        app.login_as(Role::Analyst).await;
        let page = app.text("/rapporter", 200).await;
        assert!(page.contains("Rapporter til udvalgene") && page.contains("name=\"csrf_token\""));
        let made = app
            .post_form("/rapporter", &[("kind", "annual"), ("period", "2013"), ("format", "pdf"), CONFIRM])
            .await;
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
        let analyst_view = app.text("/rapporter?kind=annual&period=2013", 200).await;
        assert!(!analyst_view.contains("Godkend og lås"), "not offered to an analyst");
        assert!(analyst_view.contains("Godkendes af en leder"), "the analyst is told who approves");
        app.login_as(Role::Manager).await;
        let manager_view = app.text("/rapporter?kind=annual&period=2013", 200).await;
        assert!(manager_view.contains("Godkend og lås"), "offered to another manager: {manager_view}");
        let approved = app.post_form("/rapporter/1/godkend", &[]).await;
        assert_eq!(approved.status().as_u16(), 303);
        let listed = app.text("/rapporter?kind=annual&period=2013", 200).await;
        assert!(listed.contains("test-manager"), "the approver is shown: {listed}");
    }
);

store_test!(sixteen_concurrent_report_requests_never_answer_500, |db| async move {
    let app = std::sync::Arc::new(spawn_app(db).await);
    app.login_as(Role::Analyst).await;
    let start = std::time::Instant::now();
    let requests: Vec<_> = (0..16)
        .map(|i| {
            let app = app.clone();
            // Two reports, asked for eight times each at once.
            let period = if i % 2 == 0 { "2013" } else { "2014" };
            tokio::spawn(async move {
                let fields = [("kind", "annual"), ("period", period), ("format", "html"), CONFIRM];
                app.post_form("/rapporter", &fields).await.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for request in requests {
        statuses.push(request.await.unwrap());
    }
    eprintln!("16 concurrent POST /rapporter: {:?} in {:?}", statuses, start.elapsed());
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let snapshots = app.store.report_snapshots("annual", "2013").await.unwrap();
    assert_eq!(snapshots.len(), 1, "one snapshot per report, reused by the others");
});

store_test!(approving_ones_own_report_is_403_and_an_unknown_report_is_404, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Manager).await;
    let made = app
        .post_form("/rapporter", &[("kind", "annual"), ("period", "2013"), ("format", "html"), CONFIRM])
        .await;
    assert_eq!(made.status().as_u16(), 200);
    let page = app.text("/rapporter?kind=annual&period=2013", 200).await;
    assert!(!page.contains("Godkend og lås"), "not offered on one's own version: {page}");
    assert!(page.contains("en anden leder skal godkende den"), "the page says why: {page}");
    let english = app.text("/rapporter?kind=annual&period=2013&lang=en", 200).await;
    assert!(!english.contains("Approve and lock"), "not offered in English either");
    assert!(english.contains("another manager must approve it"), "the English page says why");
    let own = app.post_form("/rapporter/1/godkend", &[]).await;
    assert_eq!(own.status().as_u16(), 403, "four eyes: the maker may not approve");
    let unknown = app.post_form("/rapporter/999999/godkend", &[]).await;
    assert_eq!(unknown.status().as_u16(), 404, "an unknown report is not found, not an error");
    let snapshots = app.store.report_snapshots("annual", "2013").await.unwrap();
    assert!(snapshots.iter().all(|s| s.approved_by.is_none()), "nothing was approved");
});
