//! Signing in through the identity provider in a real browser (headless Chromium): from Sikker
//! By's sign-in page to the provider's own page (oidc-provider, tests/oidc_support), back, on to
//! the caseworker's worklist, and out again through the provider's end-session page. This is
//! where cookie rules bite: the provider's redirect back is a navigation from another site.

mod browser_support;
mod oidc_support;

use browser_support::{browser_or_skip, wait_for_path};
use fantoccini::{Client, Locator};
use oidc_support::{spawn, Mode};

async fn sign_in_and_out(
    browser: &Client,
    base: &str,
    issuer: &str,
) -> Result<(), fantoccini::error::CmdError> {
    browser.goto(&format!("{base}/login")).await?;
    // For a look by a person: target/screenshots/oidc-login.png.
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    if std::fs::create_dir_all(&shots).is_ok() {
        let _ = std::fs::write(shots.join("oidc-login.png"), browser.screenshot().await?);
    }
    browser.find(Locator::Id("login-oidc")).await?.click().await?;
    // The provider's own page, on its own origin.
    browser.wait().for_element(Locator::Id("login")).await?;
    assert!(browser.current_url().await?.as_str().starts_with(issuer), "at the provider");
    browser.find(Locator::Id("login")).await?.send_keys("anna").await?;
    browser.find(Locator::Id("password")).await?.send_keys("any").await?;
    browser.find(Locator::Id("submit")).await?.click().await?;
    // Back at Sikker By, signed in: the forwarding page goes on to the worklist by itself.
    wait_for_path(browser, |path| path == "/opfoelgninger").await?;
    let header = browser.find(Locator::Css("header.site")).await?.text().await?;
    assert!(header.contains("Anna Test"), "the header names the user: {header}");

    // Signing out goes on to the provider's end-session page.
    browser.find(Locator::Css("form[action='/logout'] button")).await?.click().await?;
    wait_for_path(browser, |path| path.starts_with("/session/end")).await?;
    assert!(browser.current_url().await?.as_str().starts_with(issuer), "at the provider's logout");
    browser.goto(&format!("{base}/opfoelgninger")).await?;
    wait_for_path(browser, |path| path == "/login").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caseworker_signs_in_at_the_providers_page_and_out_again_in_a_browser() {
    let Some(browser) = browser_or_skip("browser_oidc").await else { return };
    let app = spawn(Mode::Real, |_| {}, true).await;
    let result = sign_in_and_out(&browser.client, &app.base, &app.idp.issuer).await;
    let _ = browser.client.clone().close().await;
    result.expect("signing in and out through the provider");
}
