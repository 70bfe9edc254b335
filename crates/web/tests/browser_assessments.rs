//! The partner's half-yearly assessment in a real browser (headless Chromium), in Danish and
//! English: the SSP leader group's user signs in and lands on its form, submits without one
//! area's level and gets the problem linked from the summary, fills it in and submits, and the
//! form says who submitted; in English the same page reads in English.
//!
//! Needs `chromium` and `chromedriver` (or `CHROME_BIN` and `CHROMEDRIVER`); without them the
//! test is skipped with a message, except under `CI=true`, where it fails.

mod browser_support;
mod common;

use browser_support::{browser_or_skip, wait_for_path};
use chrono::{Duration, Utc};
use common::{sign_in_browser, spawn_app, TestApp, TestUser};
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use sikkerby_domain::access::Role;
use sikkerby_domain::assessment_round::open_half_year;
use sikkerby_store::audit::Actor;
use sikkerby_testkit::{TestBackend, TestDatabase};

async fn text_of(browser: &Client, css: &str) -> Result<String, CmdError> {
    browser.find(Locator::Css(css)).await?.text().await
}

/// Waits (up to 10 s) until the page's text holds `wanted` (a navigation may be under way).
async fn wait_for_text(browser: &Client, css: &str, wanted: &str) -> Result<String, CmdError> {
    for _ in 0..100 {
        let text = text_of(browser, css).await.unwrap_or_default();
        if text.contains(wanted) {
            return Ok(text);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {wanted:?}");
}

async fn walk(browser: &Client, app: &TestApp) -> Result<(), CmdError> {
    sign_in_browser(browser, app, &TestUser::of(Role::Partner)).await?;
    wait_for_path(browser, |path| path == "/vurdering").await?;
    let form = "#bydel-broenshoej_husum";
    let heading = text_of(browser, "h1").await?;
    assert_eq!(heading, "Halvårsvurdering af urolige områder");
    browser.find(Locator::Id("broenshoej_husum-niveau_tingbjerg")).await?.select_by_value("4").await?;
    browser.find(Locator::Id("broenshoej_husum-tekst_tingbjerg")).await?.send_keys("Uro ved centret").await?;
    browser.find(Locator::Css(&format!("{form} button[type=submit]"))).await?.click().await?;
    let summary = wait_for_text(browser, &format!("{form} .error-summary"), "Vælg en vurdering").await?;
    assert!(summary.contains("Vælg en vurdering fra 1 til 5"), "{summary}");
    browser.find(Locator::Css(&format!("{form} .error-summary a"))).await?.click().await?;
    let focused = browser.active_element().await?.attr("id").await?;
    assert_eq!(focused.as_deref(), Some("broenshoej_husum-niveau_husum"), "the summary leads to the field");
    browser.find(Locator::Id("broenshoej_husum-niveau_husum")).await?.select_by_value("2").await?;
    browser.find(Locator::Css(&format!("{form} button[type=submit]"))).await?.click().await?;
    let saved = wait_for_text(browser, &format!("{form} p.saved"), "modtaget").await?;
    assert!(saved.contains("Vurderingen er modtaget."), "{saved}");
    let status = text_of(browser, "#status-broenshoej_husum").await?;
    assert!(status.contains("Indsendt af test-partner"), "{status}");

    browser.find(Locator::LinkText("English")).await?.click().await?;
    let heading = wait_for_text(browser, "h1", "Half-yearly").await?;
    assert_eq!(heading, "Half-yearly assessment of areas of unrest");
    let status = text_of(browser, "#status-broenshoej_husum").await?;
    assert!(status.contains("Submitted by test-partner"), "{status}");
    let button = text_of(browser, &format!("{form} button[type=submit]")).await?;
    assert_eq!(button, "Submit assessment");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_submits_its_districts_assessment_in_the_browser_in_danish_and_english() {
    let Some(session) = browser_or_skip("the assessments browser test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let app = spawn_app(db).await;
    let open = open_half_year(Utc::now().date_naive());
    let deadline = open.last_day() + Duration::days(400);
    app.store.set_assessment_deadline(open, deadline, &Actor::system("test"), Utc::now()).await.unwrap();
    let done = walk(&session.client, &app).await;
    session.client.close().await.expect("close the browser");
    done.expect("the assessment walk-through");
}
