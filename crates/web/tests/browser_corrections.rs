//! Corrections, not overwrites, in a real browser (headless Chromium): a caseworker opens a
//! citizen whose enrollment ended on 25 May 2012 "frafald". "Afslut forløb" is not offered (on
//! today's main it listed the ended enrollment, and submitting it replaced the end); the
//! correction form is, and a correction without a reason comes back with the field named; with
//! a reason it is saved and the history shows from, to, reason and who. A conviction dated 2030
//! is refused with the date field named.
//!
//! Needs `chromium` and `chromedriver` (or `CHROME_BIN` and `CHROMEDRIVER`); without them the
//! test is skipped with a message, except under `CI=true`, where it fails.

mod browser_support;
mod case_support;
mod common;

use browser_support::{browser_or_skip, wait_for_path};
use case_support::{d, enrollment, valid_cpr};
use common::{spawn_app, TestApp, TestUser};
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use sikkerby_domain::access::Role;
use sikkerby_store::cases::{EndRecord, NewCitizen};
use sikkerby_testkit::{TestBackend, TestDatabase};

async fn sign_in(browser: &Client, app: &TestApp, user: &TestUser) -> Result<(), CmdError> {
    app.ensure_user(user).await;
    browser.goto(&format!("{}/login", app.base)).await?;
    browser.find(Locator::Id("login-username")).await?.send_keys(&user.username).await?;
    browser.find(Locator::Id("login-password")).await?.send_keys(&user.password()).await?;
    browser.find(Locator::Css("main form button[type=submit]")).await?.click().await?;
    wait_for_path(browser, |path| !path.starts_with("/login")).await
}

/// The page's text of the element matched by `css`, or "" when there is none.
async fn text_of(browser: &Client, css: &str) -> Result<String, CmdError> {
    let found = browser.execute(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
        vec![serde_json::json!(css)],
    );
    Ok(found.await?.as_str().unwrap_or_default().to_owned())
}

async fn fill(browser: &Client, id: &str, value: &str) -> Result<(), CmdError> {
    let field = browser.find(Locator::Id(id)).await?;
    field.clear().await?;
    field.send_keys(value).await
}

async fn choose(browser: &Client, id: &str, value: &str) -> Result<(), CmdError> {
    browser.find(Locator::Id(id)).await?.select_by_value(value).await
}

async fn submit(browser: &Client, form: &str) -> Result<(), CmdError> {
    browser.find(Locator::Css(&format!("#{form} button[type=submit]"))).await?.click().await
}

async fn walk(browser: &Client, app: &TestApp, citizen: i64, enrollment: &str) -> Result<(), CmdError> {
    sign_in(browser, app, &TestUser::of(Role::Caseworker)).await?;
    let page = format!("{}/borgere/{citizen}", app.base);
    browser.goto(&page).await?;
    wait_for_path(browser, |path| path.ends_with("/formaal")).await?;
    browser.find(Locator::Id("formaal-sagsbehandling")).await?.click().await?;
    browser.find(Locator::Css("#formaal button[type=submit]")).await?.click().await?;
    wait_for_path(browser, |path| path == format!("/borgere/{citizen}")).await?;
    assert!(browser.find(Locator::Id("afslut-forloeb")).await.is_err(), "nothing open to end");
    let options = text_of(browser, "#ret-afslutning-post").await?;
    assert!(options.contains("25. maj 2012"), "the ended enrollment can be corrected: {options}");

    choose(browser, "ret-afslutning-post", &format!("forloeb:{enrollment}")).await?;
    fill(browser, "ret-afslutning-slut", "01-06-2012").await?;
    choose(browser, "ret-afslutning-afslutningsaarsag", "andet").await?;
    submit(browser, "ret-afslutning").await?;
    wait_for_path(browser, |path| path.ends_with("/rettelser/afslutning")).await?;
    let summary = text_of(browser, "#ret-afslutning .error-summary").await?;
    assert!(summary.contains("Begrundelse for rettelsen: en rettelse skal begrundes"), "{summary}");

    fill(browser, "ret-afslutning-begrundelse", "slutdato tastet forkert").await?;
    submit(browser, "ret-afslutning").await?;
    wait_for_path(browser, |path| path == format!("/borgere/{citizen}")).await?;
    let history = text_of(browser, "table.history").await?;
    for expected in ["25. maj 2012", "1. juni 2012", "slutdato tastet forkert", "test-caseworker"] {
        assert!(history.contains(expected), "history lacks {expected}: {history}");
    }

    choose(browser, "haendelse-haendelse", "dom").await?;
    fill(browser, "haendelse-dato", "2030-01-01").await?;
    submit(browser, "haendelse").await?;
    wait_for_path(browser, |path| path.ends_with("/haendelser")).await?;
    let summary = text_of(browser, "#haendelse .error-summary").await?;
    assert!(summary.contains("Dato: datoen ligger i fremtiden"), "{summary}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ended_enrollment_is_corrected_with_a_reason_not_ended_again() {
    let Some(session) = browser_or_skip("the corrections browser test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let store = db.open_seeded().await;
    let new =
        NewCitizen { cpr: valid_cpr("010190", 5), name: Some("Rettet Borger".into()), ..Default::default() };
    let citizen = store.create_citizen(&new).await.unwrap();
    let eid =
        store.enroll(&enrollment(citizen, "DOMTE", d(2011, 6, 1), "JKU-A17", "JKU Nord")).await.unwrap();
    let end = EndRecord { date: d(2012, 5, 25), reason: "frafald_udeblivelse".into() };
    store.end_enrollment(&eid, &end).await.unwrap();
    store.close().await;
    let app = spawn_app(db).await;
    let done = walk(&session.client, &app, citizen, &eid).await;
    session.client.close().await.expect("close the browser");
    done.expect("the corrections walk-through");
}
