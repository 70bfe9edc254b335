//! The reports page as a secretariat works with it (docs/reports.md): one list of every version
//! with its status, makers and downloads; a period picked from the list of the chosen report, in
//! words; a warning before a report of a period without data, made only when confirmed; and the
//! figures changed since the approved version, old and new.

mod case_support;
mod common;

use case_support::{d, seed_cohort, Cohort};
use common::{spawn_app, TestApp};
use sikkerby_domain::access::Role;
use sikkerby_store::cases::RecordFollowUp;
use sikkerby_store::opera::ImportOptions;
use sikkerby_testkit::tryghed::generate_small;
use sikkerby_testkit::{store_test, TestDatabase};

const CONFIRM: (&str, &str) = ("confirm", "ja");

/// The options of the select with `id`: (value, text).
fn options(page: &str, id: &str) -> Vec<(String, String)> {
    let start = page.find(&format!("<select id=\"{id}\"")).unwrap_or_else(|| panic!("no select {id}"));
    let select = &page[start..start + page[start..].find("</select>").expect("the select ends")];
    select
        .split("<option value=\"")
        .skip(1)
        .map(|o| {
            let value = o.split('"').next().unwrap_or_default().to_owned();
            let text = o.split('>').nth(1).and_then(|t| t.split('<').next()).unwrap_or_default().to_owned();
            (value, text)
        })
        .collect()
}

/// The list's row of a version, from its `<tr id="version-N">` to the end of the row.
fn version_row(page: &str, id: i64) -> &str {
    case_support::row(page, &format!("version-{id}"))
}

/// Text as the templates escape it.
fn esc(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;")
}

async fn make(app: &TestApp, kind: &str, period: &str) -> reqwest::Response {
    app.post_form("/rapporter", &[("kind", kind), ("period", period), ("format", "html"), CONFIRM]).await
}

/// The app over the memo, the test cohort (case data in 2013) and generated area data with
/// assessments (2012–2014), so that a 2013 quarter and half-year lack nothing.
async fn app_with_data(db: TestDatabase) -> (TestApp, Cohort, tempfile::TempDir) {
    let store = db.open_seeded().await;
    let cohort = seed_cohort(&store).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let folder = generate_small(dir.path());
    store.import_tryghed(&folder, ImportOptions { partial: false }).await.expect("import the area data");
    store.close().await;
    (spawn_app(db).await, cohort, dir)
}

store_test!(the_list_shows_every_version_newest_first_with_status_makers_and_downloads, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Analyst).await;
    assert_eq!(make(&app, "annual", "2013").await.status().as_u16(), 200);
    assert_eq!(make(&app, "quarter", "2013Q2").await.status().as_u16(), 200);
    let annual = app.store.report_snapshots("annual", "2013").await.unwrap()[0].id;
    let quarter = app.store.report_snapshots("quarter", "2013Q2").await.unwrap()[0].id;
    app.login_as(Role::Manager).await;
    assert_eq!(app.post_form(&format!("/rapporter/{annual}/godkend"), &[]).await.status().as_u16(), 303);

    let page = app.text("/rapporter", 200).await;
    let (first, second) =
        (page.find(&format!("version-{quarter}\"")), page.find(&format!("version-{annual}\"")));
    assert!(first.unwrap() < second.unwrap(), "newest first: the quarter was made last");
    let row = version_row(&page, annual);
    for shown in ["Årsrapport til udvalgene", "2013", "test-analyst", "test-manager", "Godkendt og låst"] {
        assert!(row.contains(shown), "the annual row shows {shown}: {row}");
    }
    for format in ["pdf", "html", "xlsx"] {
        assert!(row.contains(&format!("href=\"/rapporter/{annual}/{format}\"")), "a {format} link: {row}");
    }
    let row = version_row(&page, quarter);
    assert!(row.contains("2. kvartal 2013") && row.contains("Kladde"), "the quarter is a draft: {row}");
    assert!(row.contains("Godkend og lås"), "another manager may approve it: {row}");

    let quarters = app.text("/rapporter?list=quarter", 200).await;
    assert!(quarters.contains(&format!("version-{quarter}\"")), "the filter keeps the quarter");
    assert!(!quarters.contains(&format!("version-{annual}\"")), "and leaves out the annual report");
    let bad = app.get("/rapporter?list=weekly").await;
    assert_eq!(bad.status().as_u16(), 422);
    assert!(bad.text().await.unwrap().contains("href=\"#rapport-liste-list\""), "the error names the filter");

    let english = app.text("/rapporter?lang=en", 200).await;
    assert!(version_row(&english, annual).contains("Approved and locked"), "English: {english}");
    assert!(version_row(&english, quarter).contains("Q2 2013") && english.contains("Draft"));
});

store_test!(
    the_picker_offers_the_periods_of_the_chosen_report_in_words_and_refuses_others,
    |db| async move {
        let app = spawn_app(db).await;
        app.login_as(Role::Analyst).await;
        // The seeded database has the memo's budget and no case or area data: the budget's years.
        let years = app.store.budget().await.unwrap().years;
        let quarters = app.text("/rapporter?kind=quarter", 200).await;
        let offered = options(&quarters, "rapport-period");
        let mut expected: Vec<String> =
            years.iter().flat_map(|y| (1..=4).map(move |q| format!("{y}Q{q}"))).collect();
        expected.reverse();
        let values: Vec<&str> = offered.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(values, expected, "every quarter of the budget's years, newest first");
        assert!(offered.contains(&("2013Q2".into(), "2. kvartal 2013".into())), "in words: {offered:?}");
        assert!(
            quarters.contains("Lav en rapport: Kvartalsrapport til Sikker By"),
            "the form says which report"
        );
        let kinds = options(&quarters, "rapport-valg-kind");
        assert_eq!(kinds.len(), 3, "the three reports to choose from: {kinds:?}");
        let halves = options(&app.text("/rapporter?kind=halfyear", 200).await, "rapport-period");
        assert!(halves.contains(&("2013H1".into(), "1. halvår 2013".into())), "{halves:?}");
        assert_eq!(halves.len(), 2 * years.len());
        let annual = options(&app.text("/rapporter", 200).await, "rapport-period");
        assert_eq!(annual.len(), years.len(), "the annual report by default, one option a year");
        let english = options(&app.text("/rapporter?kind=halfyear&lang=en", 200).await, "rapport-period");
        assert!(english.contains(&("2013H1".into(), "first half of 2013".into())), "{english:?}");

        // Crafted requests: each refusal names its field; nothing is recorded.
        let cases = [
            (("annual", "2013Q2", "pdf"), "#rapport-period"),
            (("quarter", "2099Q1", "pdf"), "#rapport-period"),
            (("weekly", "2013", "pdf"), "#rapport-valg-kind"),
            (("annual", "2013", "doc"), "#rapport-format"),
        ];
        for ((kind, period, format), field) in cases {
            let fields = [("kind", kind), ("period", period), ("format", format), CONFIRM];
            let answer = app.post_form("/rapporter", &fields).await;
            assert_eq!(answer.status().as_u16(), 422, "{kind} {period} {format}");
            let page = answer.text().await.unwrap();
            assert!(page.contains(&format!("href=\"{field}\"")), "{kind} {period} {format} names {field}");
        }
        assert!(app.store.report_snapshot_list(None).await.unwrap().is_empty(), "nothing was recorded");
    }
);

store_test!(a_period_without_data_is_warned_about_and_made_only_when_confirmed, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Analyst).await;
    let fields = [("kind", "halfyear"), ("period", "2013H1"), ("format", "pdf")];
    let warned = app.post_form("/rapporter", &fields).await;
    assert_eq!(warned.status().as_u16(), 200);
    assert!(
        warned.headers()["content-type"].to_str().unwrap().starts_with("text/html"),
        "a page, not a file"
    );
    let page = warned.text().await.unwrap();
    for said in [
        "Der mangler data for perioden",
        "Der er ingen forløb eller fritidsjob i perioden",
        "Der er intet tryghedsindeks for 2013",
        "Der er ikke registreret vurderinger af områderne for 1. halvår 2013",
        "Lav rapporten alligevel",
        "name=\"confirm\" value=\"ja\"",
    ] {
        assert!(page.contains(said), "the warning says {said:?}: {page}");
    }
    assert!(app.store.report_snapshot_list(None).await.unwrap().is_empty(), "not made before confirmed");
    let english = app.post_form("/rapporter?lang=en", &fields).await.text().await.unwrap();
    assert!(english.contains("The period lacks data") && english.contains("Make the report anyway"));

    let confirmed = app.post_form("/rapporter", &[fields[0], fields[1], fields[2], CONFIRM]).await;
    assert_eq!(confirmed.status().as_u16(), 200);
    assert_eq!(confirmed.headers()["content-type"], "application/pdf", "made once confirmed");
    assert_eq!(app.store.report_snapshots("halfyear", "2013H1").await.unwrap().len(), 1);
});

store_test!(a_period_with_data_is_made_at_once, |db| async move {
    let (app, _cohort, _data) = app_with_data(db).await;
    app.login_as(Role::Analyst).await;
    for (kind, period) in [("quarter", "2013Q2"), ("halfyear", "2013H1")] {
        let made =
            app.post_form("/rapporter", &[("kind", kind), ("period", period), ("format", "html")]).await;
        assert_eq!(made.status().as_u16(), 200);
        assert_eq!(made.headers()["content-type"], "text/html; charset=utf-8", "{kind} {period}: no warning");
    }
    // The annual report has no actual spend recorded for 2013: that alone is warned about.
    let fields = [("kind", "annual"), ("period", "2013"), ("format", "html")];
    let page = app.post_form("/rapporter", &fields).await.text().await.unwrap();
    assert!(page.contains("Der er ikke registreret faktisk forbrug på budgettet for 2013"), "{page}");
    assert!(!page.contains("ingen forløb") && !page.contains("intet tryghedsindeks"), "only what lacks");
});

store_test!(a_figure_changed_since_the_approved_version_is_shown_old_and_new, |db| async move {
    let (app, cohort, _data) = app_with_data(db).await;
    app.login_as(Role::Analyst).await;
    assert_eq!(make(&app, "quarter", "2013Q2").await.status().as_u16(), 200);
    let first = app.store.report_snapshots("quarter", "2013Q2").await.unwrap()[0].id;
    app.login_as(Role::Manager).await;
    assert_eq!(app.post_form(&format!("/rapporter/{first}/godkend"), &[]).await.status().as_u16(), 303);
    let unchanged = app.text("/rapporter", 200).await;
    assert!(!unchanged.contains("ændret siden"), "an approved first version corrects nothing");

    // The open follow-ups after release are done, positively: C4's share changes.
    for (_, follow_up) in &cohort.open {
        let done =
            RecordFollowUp { done: d(2013, 5, 3), status: "beskaeftiget".into(), done_by: "test".into() };
        app.store.record_follow_up(follow_up, &done).await.unwrap();
    }
    app.login_as(Role::Analyst).await;
    assert_eq!(make(&app, "quarter", "2013Q2").await.status().as_u16(), 200);
    let versions = app.store.report_snapshots("quarter", "2013Q2").await.unwrap();
    assert_eq!(versions.len(), 2, "a new version beside the locked one");
    let changes: Vec<serde_json::Value> = serde_json::from_str(&versions[1].snapshot.changes).unwrap();
    assert!(changes.iter().any(|c| c["criterion"] == "C4"), "C4 changed: {changes:?}");

    let page = app.text("/rapporter", 200).await;
    let start = page.find(&format!("id=\"version-{}-changes\"", versions[1].id)).expect("a changes row");
    let row = &page[start..start + page[start..].find("</details>").expect("the changes end")];
    let summary = format!("{} tal ændret siden den godkendte version 1", changes.len());
    assert!(row.contains(&summary), "{summary}: {row}");
    for change in &changes {
        let cells = ["criterion", "field", "before", "after"].map(|k| esc(change[k].as_str().unwrap()));
        let line = format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            cells[0], cells[1], cells[2], cells[3]
        );
        assert!(row.contains(&line), "the change {line} is listed: {row}");
    }
    let english = app.text("/rapporter?lang=en", 200).await;
    assert!(english.contains("figures changed since the approved version 1"), "English too");
});
