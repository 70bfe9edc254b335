//! A caseworker in a real browser (headless Chromium through chromedriver), using the keyboard
//! only: finds a citizen, opens the citizen page and records a follow-up with Tab, Enter, arrow
//! keys and typing — no clicks — then sees it in the timeline.
//!
//! Needs `chromium` and `chromedriver` (or `CHROME_BIN` and `CHROMEDRIVER`); without them the
//! test is skipped with a message, except under `CI=true`, where it fails.

mod browser_support;
mod case_support;
mod common;

use browser_support::{in_ci, open_browser, program, start_chromedriver};
use case_support::spawn_with_cohort;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use sikkerby_testkit::{TestBackend, TestDatabase};
use std::time::Duration;

/// Presses and releases each key in turn, as a person typing.
async fn keys(browser: &Client, keys: &[char]) -> Result<(), CmdError> {
    let mut actions = KeyActions::new("keyboard".to_owned());
    for &key in keys {
        actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    }
    browser.perform_actions(actions).await
}

async fn press(browser: &Client, key: Key) -> Result<(), CmdError> {
    keys(browser, &[key.into()]).await
}

async fn type_text(browser: &Client, text: &str) -> Result<(), CmdError> {
    keys(browser, &text.chars().collect::<Vec<_>>()).await
}

/// Presses Tab until the focused element satisfies `wanted` (by its id and href).
async fn tab_to(browser: &Client, what: &str, wanted: impl Fn(&str, &str) -> bool) -> Result<(), CmdError> {
    for _ in 0..120 {
        press(browser, Key::Tab).await?;
        let focused = browser.active_element().await?;
        let id = focused.attr("id").await?.unwrap_or_default();
        let href = focused.attr("href").await?.unwrap_or_default();
        if wanted(&id, &href) {
            return Ok(());
        }
    }
    panic!("Tab never reached {what}");
}

/// Waits until the address satisfies `arrived` (a form post or a link has been followed).
async fn wait_for_url(browser: &Client, arrived: impl Fn(&str) -> bool) -> Result<String, CmdError> {
    for _ in 0..100 {
        let url = browser.current_url().await?.to_string();
        if arrived(&url) {
            return Ok(url);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page did not change as expected");
}

fn is_citizen_link(href: &str) -> bool {
    href.strip_prefix("/borgere/").is_some_and(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
}

/// Finds citizen 05 (whose follow-up is open), opens the page and records the follow-up.
async fn record_by_keyboard(browser: &Client, base: &str) -> Result<(), CmdError> {
    browser.goto(&format!("{base}/borgere")).await?;
    tab_to(browser, "the search field", |id, _| id == "soeg-q").await?;
    type_text(browser, "Kohorte Person 05").await?;
    press(browser, Key::Enter).await?;
    wait_for_url(browser, |url| url.contains("q=Kohorte")).await?;
    tab_to(browser, "the citizen's link", |_, href| is_citizen_link(href)).await?;
    press(browser, Key::Enter).await?;
    // The first time in a session, the purpose is asked: a radio button, then Enter.
    wait_for_url(browser, |url| url.ends_with("/formaal")).await?;
    tab_to(browser, "the first purpose", |id, _| id == "formaal-sagsbehandling").await?;
    press(browser, Key::Space).await?;
    press(browser, Key::Enter).await?;
    wait_for_url(browser, |url| url.split('/').next_back().is_some_and(|id| id.parse::<i64>().is_ok()))
        .await?;
    let h1 = browser.find(Locator::Css("h1")).await?.text().await?;
    assert!(h1.contains("Kohorte Person 05"), "the citizen page: {h1}");
    tab_to(browser, "the follow-up select", |id, _| id == "opfoelgning-opfoelgning_id").await?;
    press(browser, Key::Down).await?;
    press(browser, Key::Tab).await?; // the date done: today, as filled in
    press(browser, Key::Tab).await?;
    type_text(browser, "b").await?; // "Beskæftiget"
    press(browser, Key::Tab).await?;
    type_text(browser, "Keyboard Tester").await?;
    press(browser, Key::Enter).await?;
    wait_for_url(browser, |url| url.contains("gemt=1")).await?;
    let saved = browser.find(Locator::Css("p.saved")).await?.text().await?;
    assert!(saved.contains("Ændringen er gemt."), "{saved}");
    let timeline = browser.find(Locator::Css("table.timeline tbody")).await?.text().await?;
    assert!(timeline.contains("Beskæftiget (positiv)"), "the timeline shows the follow-up: {timeline}");
    assert!(timeline.contains("udført af: Keyboard Tester"), "{timeline}");
    assert!(!timeline.contains("Overskredet"), "no longer overdue: {timeline}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caseworker_records_a_follow_up_with_the_keyboard_only() {
    let driver = program("CHROMEDRIVER", &["chromedriver"]);
    let chrome = program("CHROME_BIN", &["chromium", "chromium-browser", "google-chrome"]);
    let (Some(driver), Some(chrome)) = (driver, chrome) else {
        assert!(!in_ci(), "CI=true but chromium or chromedriver is missing");
        eprintln!("skipping the browser test: chromium or chromedriver is not installed");
        return;
    };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let (app, _) = spawn_with_cohort(db).await;
    let (_driver, webdriver) = start_chromedriver(&driver).await;
    let profile = tempfile::tempdir().expect("browser profile directory");
    let browser = open_browser(&webdriver, &chrome, profile.path()).await;
    let caseworker = common::TestUser::of(sikkerby_domain::access::Role::Caseworker);
    common::sign_in_browser(&browser, &app, &caseworker).await.expect("sign in");
    let done = record_by_keyboard(&browser, &app.base).await;
    browser.close().await.expect("close the browser");
    done.expect("the follow-up could be recorded by keyboard");
}
