//! User administration in a real browser (headless Chromium): the administrator opens
//! "Brugere" from the menu, creates a caseworker, and is shown a one-time code; the new user, in
//! a browser that is not signed in, chooses a password with the code and signs in with it. Then
//! the administrator resets the password from the user's page, and the new code works too.
//!
//! Needs `chromium` and `chromedriver` (or `CHROME_BIN` and `CHROMEDRIVER`); without them the
//! test is skipped with a message, except under `CI=true`, where it fails.

mod browser_support;
mod common;

use browser_support::{browser_or_skip, wait_for_path};
use common::{sign_in_browser, spawn_anonymous, TestApp, TestUser};
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use sikkerby_domain::access::Role;
use sikkerby_testkit::{TestBackend, TestDatabase};

/// Waits (up to 10 s) for an element of the page a click leads to: right after the click the
/// browser may still show the page before it.
async fn appear(browser: &Client, locator: Locator<'_>) -> Result<fantoccini::elements::Element, CmdError> {
    browser.wait().at_most(std::time::Duration::from_secs(10)).for_element(locator).await
}

async fn fill(browser: &Client, id: &str, value: &str) -> Result<(), CmdError> {
    let field = browser.find(Locator::Id(id)).await?;
    field.clear().await?;
    field.send_keys(value).await
}

async fn sign_out(browser: &Client) -> Result<(), CmdError> {
    browser.find(Locator::Css("form.signed-in button[type=submit]")).await?.click().await?;
    wait_for_path(browser, |path| path.starts_with("/login")).await
}

/// The user chooses `password` with `code` on the reset page and signs in with it.
async fn choose_password(
    browser: &Client,
    app: &TestApp,
    code: &str,
    password: &str,
) -> Result<(), CmdError> {
    browser.goto(&format!("{}/nulstil-adgangskode", app.base)).await?;
    fill(browser, "nulstil-kode", code).await?;
    fill(browser, "nulstil-adgangskode", password).await?;
    fill(browser, "nulstil-gentag", password).await?;
    browser.find(Locator::Css("#nulstil button[type=submit]")).await?.click().await?;
    let done = appear(browser, Locator::Css("main p.saved")).await?.text().await?;
    assert!(done.contains("Din nye adgangskode er gemt"), "{done}");
    browser.find(Locator::LinkText("Til log ind")).await?.click().await?;
    fill(browser, "login-username", "ny.kollega").await?;
    fill(browser, "login-password", password).await?;
    browser.find(Locator::Css("#login button[type=submit]")).await?.click().await?;
    wait_for_path(browser, |path| path == "/opfoelgninger").await
}

async fn walk(browser: &Client, app: &TestApp) -> Result<(), CmdError> {
    sign_in_browser(browser, app, &TestUser::of(Role::Admin)).await?;
    browser_support::follow_menu(browser, "/admin/brugere").await?;
    wait_for_path(browser, |path| path == "/admin/brugere").await?;
    fill(browser, "opret-bruger-brugernavn", "ny.kollega").await?;
    fill(browser, "opret-bruger-navn", "Ny Kollega").await?;
    browser.find(Locator::Id("opret-bruger-rolle")).await?.select_by_value("caseworker").await?;
    fill(browser, "opret-bruger-centre", "JKU Nord").await?;
    fill(browser, "opret-bruger-koder", "JKU-C33").await?;
    browser.find(Locator::Css("#opret-bruger button[type=submit]")).await?.click().await?;
    let code = appear(browser, Locator::Id("engangskode-vaerdi")).await?.text().await?;
    assert_eq!(code.len(), 64, "a code of 32 random bytes: {code:?}");
    sign_out(browser).await?;
    choose_password(browser, app, &code, "grøn-cykel-under-broen-7").await?;
    sign_out(browser).await?;

    sign_in_browser(browser, app, &TestUser::of(Role::Admin)).await?;
    browser.goto(&format!("{}/admin/brugere", app.base)).await?;
    browser.find(Locator::LinkText("ny.kollega")).await?.click().await?;
    let row = browser.find(Locator::Css("main")).await?.text().await?;
    assert!(row.contains("ny.kollega"), "{row}");
    browser.find(Locator::Css("#engangskode button[type=submit]")).await?.click().await?;
    let again = appear(browser, Locator::Id("engangskode-vaerdi")).await?.text().await?;
    assert_ne!(again, code, "a new code");
    sign_out(browser).await?;
    choose_password(browser, app, &again, "blå-tog-over-havnen-19").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_user_who_chooses_a_password_with_the_one_time_code() {
    let Some(browser) = browser_or_skip("the user administration browser test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let app = spawn_anonymous(db).await;
    let walked = walk(&browser.client, &app).await;
    browser.client.close().await.expect("close the browser");
    walked.expect("the administrator and the new user could do it in the browser");
    let user = app.store.user_by_username("ny.kollega").await.unwrap().expect("created");
    assert_eq!(app.store.user_caseworker_codes(user.id).await.unwrap(), ["JKU-C33"]);
}
