//! One test in a real browser (headless Chromium driven through chromedriver): what a person
//! sees on the overview and the budget page, after CSS and layout, not just what the HTML says.
//!
//! Needs `chromium` and `chromedriver` (Debian: `chromium`, `chromium-driver`), or their paths in
//! `CHROME_BIN` and `CHROMEDRIVER`. Without them the test is skipped with a message, except
//! under `CI=true`, where it fails: CI must never pass by skipping.

mod common;

use common::spawn_app;
use fantoccini::{Client, ClientBuilder, Locator};
use sikkerby_testkit::{TestBackend, TestDatabase};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Kills chromedriver when the test ends, however it ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The first of `names` found on `PATH`, unless `variable` names the program.
fn program(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    listener.local_addr().expect("local address").port()
}

async fn start_chromedriver(driver: &PathBuf) -> (KillOnDrop, String) {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let guard = KillOnDrop(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return (guard, format!("http://127.0.0.1:{port}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not listen on port {port} within 10 s");
}

async fn open_browser(webdriver: &str, chrome: &PathBuf, profile: &std::path::Path) -> Client {
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--no-first-run".to_owned(),
        "--window-size=1280,1024".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let options = serde_json::json!({ "binary": chrome, "args": args });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_owned(), options);
    ClientBuilder::rustls()
        .expect("TLS connector")
        .capabilities(capabilities)
        .connect(webdriver)
        .await
        .expect("open a browser session")
}

/// What a reader sees, as text: the headings, the totals row and the chart's size.
async fn look(browser: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    browser.goto(&format!("{base}/")).await?;
    let h1 = browser.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(h1, "Overblik over indsatserne");
    let links = browser.find_all(Locator::Css("main a[href^='/indsatser/']")).await?;
    assert_eq!(links.len(), 17, "every initiative is linked");

    browser.find(Locator::LinkText("Budget")).await?.click().await?;
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
