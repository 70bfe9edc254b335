//! Keyboard-only use in a real browser (headless Chromium): the first Tab reaches a visible
//! "skip to main content" link that skips the header; the caseworker signs in, answers the
//! purpose question and records a follow-up with Tab, Space, arrow keys, typing and Enter. A
//! first attempt with an impossible date comes back with the error summary focused (and
//! `role=alert`); its link leads to the field, the date is corrected and the form saved. Every
//! element Tab reaches shows a focus outline.
//!
//! Needs `chromium` and `chromedriver` (or `CHROME_BIN` and `CHROMEDRIVER`); without them the
//! test is skipped with a message, except under `CI=true`, where it fails.

mod browser_support;
mod case_support;
mod common;

use browser_support::browser_or_skip;
use browser_support::keyboard::{press, type_text};
use case_support::spawn_with_cohort;
use common::{TestApp, TestUser};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::Client;
use serde::Deserialize;
use sikkerby_domain::access::Role;
use sikkerby_testkit::{TestBackend, TestDatabase};
use std::time::Duration;

/// The focused element as the browser computes it.
#[derive(Debug, Deserialize)]
struct Focus {
    id: String,
    class: String,
    href: String,
    role: String,
    /// The computed `outline-style` and `outline-width` (px).
    outline: String,
    width: f64,
    in_main: bool,
    /// Inside the window, not moved off-screen (as the skip link is until focused).
    on_screen: bool,
}

const FOCUS: &str = "const e = document.activeElement; const s = getComputedStyle(e); \
    const r = e.getBoundingClientRect(); return { id: e.id, class: e.className, \
    href: e.getAttribute('href') || '', role: e.getAttribute('role') || '', \
    outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, in_main: !!e.closest('main'), \
    on_screen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 \
      && r.left < innerWidth && r.top < innerHeight };";

async fn focus(browser: &Client) -> Result<Focus, CmdError> {
    let value = browser.execute(FOCUS, vec![]).await?;
    Ok(serde_json::from_value(value).expect("the focused element's description"))
}

/// Presses Tab until the focused element satisfies `wanted`; every element passed on the way
/// must show a focus outline.
async fn tab_to(browser: &Client, what: &str, wanted: impl Fn(&Focus) -> bool) -> Result<Focus, CmdError> {
    for _ in 0..150 {
        press(browser, Key::Tab).await?;
        let focused = focus(browser).await?;
        assert!(
            focused.outline != "none" && focused.width >= 2.0 && focused.on_screen,
            "no visible focus indicator on {focused:?}"
        );
        if wanted(&focused) {
            return Ok(focused);
        }
    }
    panic!("Tab never reached {what}");
}

/// Waits until the address satisfies `arrived`.
async fn wait_for_url(browser: &Client, arrived: impl Fn(&reqwest::Url) -> bool) -> Result<(), CmdError> {
    for _ in 0..100 {
        if arrived(&browser.current_url().await?) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page did not change as expected");
}

/// The first Tab on a page reaches the skip link; Enter on it puts the next Tab inside `<main>`.
async fn skip_link_and_sign_in(browser: &Client, app: &TestApp, user: &TestUser) -> Result<(), CmdError> {
    app.ensure_user(user).await;
    browser.goto(&format!("{}/login", app.base)).await?;
    let skip = tab_to(browser, "the skip link", |_| true).await?;
    assert_eq!((skip.class.as_str(), skip.href.as_str()), ("skip", "#indhold"), "first Tab: {skip:?}");
    press(browser, Key::Enter).await?;
    press(browser, Key::Tab).await?;
    let first = focus(browser).await?;
    assert!(first.in_main && first.id == "login-username", "after the skip link: {first:?}");
    type_text(browser, &user.username).await?;
    press(browser, Key::Tab).await?;
    type_text(browser, &user.password()).await?;
    press(browser, Key::Enter).await?;
    wait_for_url(browser, |url| !url.path().starts_with("/login")).await
}

/// Fills the follow-up form from its first field: the follow-up (arrow down), the date done
/// (Tab selects the field's text, so typing replaces it), the status and who did it; Enter.
async fn fill_follow_up(browser: &Client, date: &str) -> Result<(), CmdError> {
    tab_to(browser, "the follow-up select", |f| f.id == "opfoelgning-opfoelgning_id").await?;
    press(browser, Key::Down).await?;
    press(browser, Key::Tab).await?;
    type_text(browser, date).await?;
    press(browser, Key::Tab).await?;
    type_text(browser, "b").await?; // "Beskæftiget"
    press(browser, Key::Tab).await?;
    type_text(browser, "Keyboard Tester").await?;
    press(browser, Key::Enter).await
}

/// Records the follow-up: once wrong (focus lands on the error summary), then right.
async fn record_follow_up(browser: &Client, app: &TestApp, citizen: i64) -> Result<(), CmdError> {
    let page = format!("{}/borgere/{citizen}", app.base);
    browser.goto(&page).await?;
    wait_for_url(browser, |url| url.path().ends_with("/formaal")).await?;
    tab_to(browser, "the first purpose", |f| f.id == "formaal-sagsbehandling").await?;
    press(browser, Key::Space).await?;
    press(browser, Key::Enter).await?;
    wait_for_url(browser, |url| url.path() == format!("/borgere/{citizen}")).await?;

    fill_follow_up(browser, "2013-02-31").await?;
    wait_for_url(browser, |url| url.path().ends_with("/opfoelgninger")).await?;
    let summary = focus(browser).await?;
    assert!(summary.class.contains("error-summary") && summary.role == "alert", "focus: {summary:?}");
    let link = tab_to(browser, "the error's link", |f| f.href.starts_with('#')).await?;
    assert_eq!(link.href, "#opfoelgning-udfoert", "the error names the date field");
    press(browser, Key::Enter).await?;
    let field = focus(browser).await?;
    assert_eq!(field.id, "opfoelgning-udfoert", "the link leads to the field");
    // The field names its error for a screen reader: aria-invalid and aria-describedby.
    let error = browser.execute(
        "const f = document.activeElement; if (f.getAttribute('aria-invalid') !== 'true') return ''; \
         const ids = (f.getAttribute('aria-describedby') || '').split(' '); \
         return ids.includes(f.id + '-error') ? document.getElementById(f.id + '-error').textContent : '';",
        vec![],
    );
    let error = error.await?;
    assert!(!error.as_str().unwrap_or_default().trim().is_empty(), "the field's error is linked: {error}");

    browser.goto(&page).await?;
    fill_follow_up(browser, "2013-05-01").await?;
    wait_for_url(browser, |url| url.query().is_some_and(|q| q.contains("gemt=1"))).await?;
    let saved = browser.execute("return document.querySelector('p.saved[role=status]').textContent;", vec![]);
    assert!(saved.await?.as_str().unwrap().contains("Ændringen er gemt."));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caseworker_uses_the_skip_link_and_recovers_from_an_error_with_the_keyboard_only() {
    let Some(session) = browser_or_skip("the keyboard test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let (app, cohort) = spawn_with_cohort(db).await;
    let browser = &session.client;
    let caseworker = TestUser::of(Role::Caseworker);
    let mut done = skip_link_and_sign_in(browser, &app, &caseworker).await;
    if done.is_ok() {
        done = record_follow_up(browser, &app, cohort.citizens[6]).await;
    }
    session.client.close().await.expect("close the browser");
    done.expect("the keyboard walk-through");
}
