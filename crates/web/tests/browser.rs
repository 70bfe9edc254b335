//! One test in a real browser (headless Chromium driven through chromedriver): what a person
//! sees on the overview and the budget page, after CSS and layout, not just what the HTML says.
//!
//! Needs `chromium` and `chromedriver` (Debian: `chromium`, `chromium-driver`), or their paths in
//! `CHROME_BIN` and `CHROMEDRIVER`. Without them the test is skipped with a message, except
//! under `CI=true`, where it fails: CI must never pass by skipping.

mod browser_support;
mod common;

use browser_support::{in_ci, open_browser, program, start_chromedriver};
use common::spawn_app;
use fantoccini::{Client, Locator};
use sikkerby_testkit::{TestBackend, TestDatabase};

/// What a reader sees, as text: the headings, the totals row and the chart's size.
async fn look(browser: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    browser.goto(&format!("{base}/")).await?;
    let h1 = browser.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(h1, "Overblik over indsatserne");
    let links = browser.find_all(Locator::Css("main a[href^='/indsatser/']")).await?;
    assert_eq!(links.len(), 17, "every initiative is linked");

    browser_support::follow_menu(browser, "/budget").await?;
    let h1 = browser.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(h1, "Budget");
    let totals = browser.find(Locator::Css("tfoot tr")).await?.text().await?;
    for total in ["I alt", "21,7", "21,6", "19,5", "8,4"] {
        assert!(totals.contains(total), "the totals row {totals:?} shows {total}");
    }
    let chart = browser.find(Locator::Css("svg.chart")).await?;
    assert!(chart.is_displayed().await?, "the chart is visible");
    let (_, _, width, height) = chart.rectangle().await?;
    assert!(width > 100.0 && height > 100.0, "chart is {width}×{height}");
    assert_eq!(chart.attr("role").await?.as_deref(), Some("img"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_sees_the_overview_and_the_budget_with_totals_and_chart() {
    let driver = program("CHROMEDRIVER", &["chromedriver"]);
    let chrome = program("CHROME_BIN", &["chromium", "chromium-browser", "google-chrome"]);
    let (Some(driver), Some(chrome)) = (driver, chrome) else {
        assert!(!in_ci(), "CI=true but chromium or chromedriver is missing");
        eprintln!("skipping the browser test: chromium or chromedriver is not installed");
        return;
    };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let app = spawn_app(db).await;
    let (_driver, webdriver) = start_chromedriver(&driver).await;
    let profile = tempfile::tempdir().expect("browser profile directory");
    let browser = open_browser(&webdriver, &chrome, profile.path()).await;
    let analyst = common::TestUser::of(sikkerby_domain::access::Role::Analyst);
    common::sign_in_browser(&browser, &app, &analyst).await.expect("sign in");
    let seen = look(&browser, &app.base).await;
    browser.close().await.expect("close the browser");
    seen.expect("the pages could be read in the browser");
}
