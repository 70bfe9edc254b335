//! Making a report through the picker in a real browser (headless Chromium): an analyst opens
//! "Rapporter" from the menu, chooses the quarterly report, picks "2. kvartal 2013" from the
//! periods shown in words, is warned that the period lacks data, makes it anyway, and finds the
//! draft in the list of versions.
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
use std::time::Duration;

async fn click(browser: &Client, css: &str) -> Result<(), CmdError> {
    browser.find(Locator::Css(css)).await?.click().await
}

/// Waits (up to 10 s) until the element `css` exists, and returns its text.
async fn text_when_there(browser: &Client, css: &str) -> Result<String, CmdError> {
    let element = browser.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await?;
    element.text().await
}

async fn walk(browser: &Client, app: &TestApp) -> Result<(), CmdError> {
    sign_in_browser(browser, app, &TestUser::of(Role::Analyst)).await?;
    browser_support::follow_menu(browser, "/rapporter").await?;
    wait_for_path(browser, |path| path == "/rapporter").await?;

    // The report first: the periods offered are then that report's, in words.
    browser
        .find(Locator::Id("rapport-valg-kind"))
        .await?
        .select_by_label("Kvartalsrapport til Sikker By")
        .await?;
    click(browser, "#rapport-valg button[type=submit]").await?;
    // The page before the click has a form `#rapport` too (the annual report's): wait for the
    // quarterly one, not for any.
    let expected = "Lav en rapport: Kvartalsrapport til Sikker By";
    let mut legend = String::new();
    for _ in 0..100 {
        legend = text_when_there(browser, "#rapport legend").await.unwrap_or_default();
        if legend == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(legend, expected);
    let periods = browser.find(Locator::Id("rapport-period")).await?;
    assert!(periods.text().await?.contains("4. kvartal 2015"), "quarters in words");
    periods.select_by_label("2. kvartal 2013").await?;
    browser.find(Locator::Id("rapport-format")).await?.select_by_label("HTML").await?;
    click(browser, "#rapport button[type=submit]").await?;

    // The seeded database has no case data: a warning, and nothing made yet.
    let warning = text_when_there(browser, "#rapport-bekraeft .warning").await?;
    assert!(warning.contains("Der er ingen forløb eller fritidsjob i perioden"), "{warning}");
    assert!(app.store.report_snapshot_list(None).await.unwrap().is_empty(), "not made before confirmed");
    let legend = text_when_there(browser, "#rapport-bekraeft legend").await?;
    assert_eq!(legend, "Kvartalsrapport til Sikker By, 2. kvartal 2013");
    click(browser, "#rapport-bekraeft button[type=submit]").await?;

    // The file is downloaded; the version is recorded and listed.
    let mut made = Vec::new();
    for _ in 0..100 {
        made = app.store.report_snapshots("quarter", "2013Q2").await.unwrap();
        if !made.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(made.len(), 1, "the confirmed report was made");
    browser.goto(&format!("{}/rapporter", app.base)).await?;
    let row = text_when_there(browser, &format!("#version-{}", made[0].id)).await?;
    for shown in ["Kvartalsrapport til Sikker By", "2. kvartal 2013", "test-analyst", "Kladde"] {
        assert!(row.contains(shown), "the list shows {shown}: {row}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_makes_a_quarterly_report_through_the_period_picker_past_the_warning() {
    let Some(session) = browser_or_skip("the reports browser test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let app = spawn_app(db).await;
    let done = walk(&session.client, &app).await;
    session.client.close().await.expect("close the browser");
    done.expect("the report walk-through");
}
