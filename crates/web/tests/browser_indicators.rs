//! The four-eyes review in a real browser (headless Chromium), in Danish: the secretariat's
//! analyst enters a manual indicator on "Indikatorer og leverancer", signs out; a manager signs
//! in, finds it awaiting approval and approves it, and the list says who approved it.
//!
//! Needs `chromium` and `chromedriver` (or `CHROME_BIN` and `CHROMEDRIVER`); without them the
//! test is skipped with a message, except under `CI=true`, where it fails.

mod browser_support;
mod common;

use browser_support::{browser_or_skip, wait_for_path};
use common::{sign_in_browser, spawn_app, TestApp, TestUser};
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use sikkerby_domain::access::Role;
use sikkerby_testkit::{TestBackend, TestDatabase};

async fn text_of(browser: &Client, css: &str) -> Result<String, CmdError> {
    browser.find(Locator::Css(css)).await?.text().await
}

/// Waits (up to 10 s) until the browser shows the page a saved form redirects to (`gemt=1`).
async fn wait_for_saved(browser: &Client) -> Result<(), CmdError> {
    for _ in 0..100 {
        if browser.current_url().await?.query().is_some_and(|q| q.contains("gemt=1")) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the form was not saved");
}

async fn walk(browser: &Client, app: &TestApp) -> Result<(), CmdError> {
    sign_in_browser(browser, app, &TestUser::of(Role::Analyst)).await?;
    browser_support::follow_menu(browser, "/indikatorer").await?;
    wait_for_path(browser, |path| path == "/indikatorer").await?;
    browser.find(Locator::Id("vurdering-kriterium")).await?.select_by_value("C11").await?;
    browser.find(Locator::Id("vurdering-aar")).await?.select_by_value("2013").await?;
    browser.find(Locator::Id("vurdering-indikator")).await?.send_keys("Oplæg/temadage").await?;
    browser.find(Locator::Id("vurdering-tal")).await?.send_keys("12").await?;
    browser.find(Locator::Id("vurdering-vurdering")).await?.select_by_value("met").await?;
    browser.find(Locator::Id("vurdering-beskrivelse")).await?.send_keys("12 oplæg for medarbejdere").await?;
    browser.find(Locator::Css("#vurdering button[type=submit]")).await?.click().await?;
    // The list after the redirect, not the form page still showing while the POST runs.
    wait_for_saved(browser).await?;
    let saved = text_of(browser, "p.saved").await?;
    assert!(saved.contains("Gemt"), "{saved}");
    let row = text_of(browser, "table.indicators tbody tr").await?;
    assert!(row.contains("Oplæg/temadage") && row.contains("Afventer godkendelse"), "{row}");
    assert!(browser.find_all(Locator::Css("table.indicators button")).await?.is_empty(), "not one's own");

    browser.find(Locator::Css("form[action='/logout'] button")).await?.click().await?;
    wait_for_path(browser, |path| path.starts_with("/login")).await?;
    sign_in_browser(browser, app, &TestUser::of(Role::Manager)).await?;
    browser.goto(&format!("{}/resultater?year=2013", app.base)).await?;
    browser.find(Locator::Css("#afventer-godkendelse a")).await?.click().await?;
    wait_for_path(browser, |path| path == "/indikatorer").await?;
    browser.find(Locator::Css("table.indicators button[id^='godkend-']")).await?.click().await?;
    for _ in 0..50 {
        // The old page's cell may be gone mid-navigation: read again rather than fail.
        if text_of(browser, "table.indicators td.status").await.unwrap_or_default().contains("Godkendt af") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let status = text_of(browser, "table.indicators td.status").await?;
    assert!(status.contains("Godkendt af test-manager"), "{status}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_enters_an_indicator_and_a_manager_approves_it_in_the_browser() {
    let Some(session) = browser_or_skip("the indicators browser test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let app = spawn_app(db).await;
    let done = walk(&session.client, &app).await;
    session.client.close().await.expect("close the browser");
    done.expect("the indicators walk-through");
}
