//! The worklist a caseworker trusts, in a real browser (headless Chromium): a caseworker with
//! the caseworker code JKU-A01 signs in and lands on their own list ("Min liste"), the
//! navigation shows how many follow-ups are overdue, the list says "Viser 1–50 af 55" and pages
//! to the rest, a centre chosen in a select list finds that centre's rows (where a typed `Nord`
//! found nothing on the old page), and a citizen opened from the list is shown without asking
//! the purpose again.
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
use sikkerby_store::audit::Actor;
use sikkerby_store::cases::{NewCitizen, NewEvent};
use sikkerby_store::Store;
use sikkerby_testkit::{TestBackend, TestDatabase};
use std::time::Duration;

/// Follow-ups of the user's own code (JKU-A01), of a colleague's in the same centre, and of
/// the user's other centre.
const MINE: usize = 55;
const COLLEAGUE: usize = 7;
const SYD: usize = 5;

async fn text_of(browser: &Client, css: &str) -> Result<String, CmdError> {
    let found = browser.execute(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
        vec![serde_json::json!(css)],
    );
    Ok(found.await?.as_str().unwrap_or_default().to_owned())
}

async fn count(browser: &Client, css: &str) -> Result<usize, CmdError> {
    Ok(browser.find_all(Locator::Css(css)).await?.len())
}

/// Citizens enrolled in DOMTE and released on 1 February 2013: an open follow-up each, long
/// overdue today.
async fn seed(store: &Store) {
    let groups =
        [("JKU-A01", "JKU Nord", MINE), ("JKU-A02", "JKU Nord", COLLEAGUE), ("JKU-B01", "JKU Syd", SYD)];
    let mut nth = 0;
    for (code, centre, how_many) in groups {
        for _ in 0..how_many {
            let new =
                NewCitizen { cpr: valid_cpr("010190", nth), confirm_warnings: true, ..Default::default() };
            nth += 1;
            let id = store.create_citizen(&new).await.unwrap();
            store.enroll(&enrollment(id, "DOMTE", d(2013, 1, 1), code, centre)).await.unwrap();
            let release =
                NewEvent { citizen_id: id, kind: "loesladelse".into(), date: d(2013, 2, 1), value: None };
            store.record_event(&release).await.unwrap();
        }
    }
}

async fn walk(browser: &Client, app: &TestApp) -> Result<(), CmdError> {
    let user = TestUser::of(Role::Caseworker);
    let id = app.ensure_user(&user).await;
    app.store
        .set_user_caseworker_codes(id, &["JKU-A01".to_owned()], &Actor::system("test"), chrono::Utc::now())
        .await
        .unwrap();
    browser.goto(&format!("{}/login", app.base)).await?;
    browser.find(Locator::Id("login-username")).await?.send_keys(&user.username).await?;
    browser.find(Locator::Id("login-password")).await?.send_keys(&user.password()).await?;
    browser.find(Locator::Css("main form button[type=submit]")).await?.click().await?;
    wait_for_path(browser, |path| !path.starts_with("/login")).await?;
    assert_eq!(browser.current_url().await?.path(), "/opfoelgninger", "a caseworker lands on the worklist");

    let nav = text_of(browser, "nav a[href='/opfoelgninger']").await?;
    assert_eq!(nav.trim(), format!("Opfølgninger ({MINE})"), "the overdue count of the user's own list");
    let shown = text_of(browser, ".worklist-count .showing").await?;
    assert_eq!(shown, format!("Viser 1–50 af {MINE}"));
    assert_eq!(count(browser, "table.worklist tbody tr").await?, 50);
    browser.find(Locator::Css("nav.pages a[aria-label='Side 2']")).await?.click().await?;
    wait_for_path(browser, |_| true).await?;
    let second = text_of(browser, ".worklist-count .showing").await?;
    assert_eq!(second, format!("Viser 51–{MINE} af {MINE}"));
    assert_eq!(count(browser, "table.worklist tbody tr").await?, MINE - 50);

    // The centre is chosen from what exists; the whole centre, not only the user's codes.
    browser.find(Locator::Id("filter-liste")).await?.select_by_value("alle").await?;
    browser.find(Locator::Id("filter-center")).await?.select_by_value("JKU Syd").await?;
    browser.find(Locator::Css("#filter button[type=submit]")).await?.click().await?;
    wait_for_path(browser, |_| true).await?;
    for _ in 0..50 {
        if text_of(browser, ".worklist-count .showing").await? == format!("Viser 1–{SYD} af {SYD}") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(text_of(browser, ".worklist-count .showing").await?, format!("Viser 1–{SYD} af {SYD}"));
    let centres = text_of(browser, "table.worklist tbody").await?;
    assert!(centres.contains("JKU Syd") && !centres.contains("JKU Nord"), "{centres}");

    // Opened from the list: the citizen page, no purpose question.
    let link = browser.find(Locator::Css("table.worklist tbody th a")).await?;
    let href = link.attr("href").await?.unwrap_or_default();
    let citizen = href.trim_start_matches("/borgere/").split('?').next().unwrap_or_default().to_owned();
    link.click().await?;
    wait_for_path(browser, |path| path.starts_with("/borgere/")).await?;
    assert_eq!(browser.current_url().await?.path(), format!("/borgere/{citizen}"), "not the purpose form");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caseworker_lands_on_their_paged_counted_worklist_and_filters_it_by_select() {
    let Some(session) = browser_or_skip("the worklist browser test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let store = db.open_seeded().await;
    seed(&store).await;
    store.close().await;
    let app = spawn_app(db).await;
    let done = walk(&session.client, &app).await;
    session.client.close().await.expect("close the browser");
    done.expect("the worklist walk-through");
}
