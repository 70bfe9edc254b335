//! Layout in a real browser, at a phone's width (375 px) and a laptop's (1366 px): every main
//! page, as every role, must fit the viewport (no sideways scrolling of the page itself). At
//! 375 px the menu is closed behind its "Menu" button and, opened by a click (or by the
//! keyboard), shows every item on screen; at 1366 px every item is on screen without a click. A screenshot of each page goes to `target/screenshots/` for a
//! person to look at (CI keeps the folder as an artefact).
//!
//! Needs `chromium` and `chromedriver`; skipped without them, except under `CI=true`.

mod browser_support;
mod case_support;
mod common;

use base64::Engine;
use browser_support::browser_or_skip;
use browser_support::keyboard::{press, shift_tab};
use case_support::seed_cohort;
use common::{sign_in_browser, spawn_app, TestApp, TestUser};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use sikkerby_domain::access::Role;
use sikkerby_store::opera::ImportOptions;
use sikkerby_testkit::tryghed::generate_small;
use sikkerby_testkit::{TestBackend, TestDatabase};
use std::path::PathBuf;
use std::process::Command;
use webdriver::command::{PrintParameters, WebDriverCommand};

/// The widths a page must hold up at: a small phone and a common laptop.
const WIDTHS: [u32; 2] = [375, 1366];

/// Pages reached from a page rather than from the menu: a drill-down, an area, the goals, the
/// unrest areas and the forms. A role that may not open one gets an error page, which must fit too.
const DEEP_PAGES: [&str; 7] = [
    "/resultater?year=2013&as_of=2014-05-31",
    "/resultater/C4?year=2013&as_of=2014-05-31&by=centre",
    "/omraader/tingbjerg",
    "/maal",
    "/uroligeomraader",
    "/borgere/ny",
    "/indsatser/DOMTE",
];

/// Below this width (CSS `45rem`) the menu sits closed behind its "Menu" button.
const MENU_BREAKPOINT: u32 = 720;

/// Measures the page as laid out: the viewport's width, the document's scroll width and the
/// innermost elements that stick out of it (to say what to fix); the header's other controls a
/// person cannot click (by their text); whether the menu's button can be clicked and the menu is
/// open; the menu items a person can click now and those they cannot; the item marked current.
/// Clickable: a box inside the viewport's width that, scrolled into view, is what the browser
/// finds at its centre (not covered, not hidden).
const MEASURE: &str = "const vw = document.documentElement.clientWidth; \
    const clickable = a => { const r = a.getBoundingClientRect(); \
        if (r.width === 0 || r.left < 0 || r.right > vw) return false; \
        a.scrollIntoView({ block: 'center' }); const q = a.getBoundingClientRect(); \
        const hit = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2); \
        return hit !== null && (hit === a || a.contains(hit)); }; \
    const text = e => e.textContent.trim(); \
    const links = [...document.querySelectorAll('header.site nav a')]; \
    const summary = document.querySelector('header.site nav summary'); \
    const controls = [...document.querySelectorAll('header.site .lang-switch, header.site form.signed-in button')]; \
    const result = { viewport: vw, scroll: document.documentElement.scrollWidth, \
      wide: [...document.querySelectorAll('body *')] \
        .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > vw + 1) \
        .slice(-3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)), \
      off: controls.filter(c => !clickable(c)).map(text), \
      button: summary !== null && clickable(summary), \
      open: summary !== null && summary.parentElement.open, \
      shown: links.filter(clickable).map(text), \
      hidden: links.filter(a => !clickable(a)).map(text), \
      current: links.filter(a => a.getAttribute('aria-current') === 'page').map(text) }; \
    window.scrollTo(0, 0); return result;";

/// What [`MEASURE`] finds.
#[derive(Debug, Default, serde::Deserialize)]
struct Measured {
    viewport: u64,
    scroll: u64,
    wide: serde_json::Value,
    off: Vec<String>,
    button: bool,
    open: bool,
    shown: Vec<String>,
    hidden: Vec<String>,
    current: Vec<String>,
}

async fn measure(browser: &Client) -> Result<Measured, CmdError> {
    let measured = browser.execute(MEASURE, vec![]).await?;
    Ok(serde_json::from_value(measured).expect("the measurement"))
}

const MENU_HREFS: &str =
    "return [...document.querySelectorAll('header.site nav a')].map(a => a.getAttribute('href'));";

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

/// A file name for a page: role, width and the path with everything but letters and digits
/// turned into dashes.
fn shot_name(role: Role, width: u32, path: &str) -> String {
    let slug: String = path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("{}-{width}-{}.png", role.code(), slug.trim_matches('-').replace("--", "-"))
}

async fn screenshot(browser: &Client, name: &str) -> Result<(), CmdError> {
    let png = browser.screenshot().await?;
    std::fs::write(screenshot_dir().join(name), png).expect("save the screenshot");
    Ok(())
}

/// What is wrong with a measured page: wider than the viewport, a header control off-screen.
fn fit_problems(page: &str, m: &Measured) -> Vec<String> {
    let mut problems = Vec::new();
    if m.scroll > m.viewport {
        problems.push(format!("{page} is {} px wide in a {} px viewport ({})", m.scroll, m.viewport, m.wide));
    }
    if !m.off.is_empty() {
        problems.push(format!("{page}: header controls off-screen: {:?}", m.off));
    }
    problems
}

/// Opens `path`, measures it, saves its screenshot and gives what does not fit, if anything.
/// Narrow: the menu is closed, its items hidden, its button clickable; after a click on the
/// button every item is clickable and the page still fits (a second screenshot, `-menu`). Wide:
/// no button, every item clickable without a click. A menu page marks its own item current.
async fn check_page(
    browser: &Client,
    base: &str,
    role: Role,
    width: u32,
    (path, menu_page): (&str, bool),
) -> Result<Vec<String>, CmdError> {
    browser.goto(&format!("{base}{path}")).await?;
    let closed = measure(browser).await?;
    screenshot(browser, &shot_name(role, width, path)).await?;
    let page = format!("{} at {width} px: {path}", role.code());
    let mut problems = fit_problems(&page, &closed);
    if menu_page && closed.current.len() != 1 {
        problems.push(format!("{page}: items marked current: {:?}", closed.current));
    }
    if width >= MENU_BREAKPOINT {
        if closed.button || !closed.hidden.is_empty() {
            problems.push(format!("{page}: a menu button, or items not visible: {:?}", closed.hidden));
        }
        return Ok(problems);
    }
    if !closed.button || closed.open || !closed.shown.is_empty() {
        problems.push(format!("{page}: the menu is not closed behind its button: {closed:?}"));
        return Ok(problems);
    }
    browser.find(Locator::Css("header.site nav summary")).await?.click().await?;
    let open = measure(browser).await?;
    screenshot(browser, &shot_name(role, width, &format!("{path}-menu"))).await?;
    problems.extend(fit_problems(&format!("{page} (menu open)"), &open));
    if !open.open || !open.hidden.is_empty() || open.shown.len() != closed.hidden.len() {
        problems.push(format!("{page}: menu items not clickable after opening: {:?}", open.hidden));
    }
    Ok(problems)
}

/// The menu at a phone's width by keyboard alone: Tab reaches the button, Enter opens the menu,
/// the next Tab is its first item, and Space on the button closes it again.
async fn menu_by_keyboard(browser: &Client) -> Result<(), CmdError> {
    let focused = "const e = document.activeElement; return e.tagName + ' ' + e.textContent.trim();";
    let open = "return document.querySelector('header.site nav details').open;";
    browser.execute("document.querySelector('header.site .site-name').focus();", vec![]).await?;
    press(browser, Key::Tab).await?;
    let on = browser.execute(focused, vec![]).await?;
    assert_eq!(on.as_str(), Some("SUMMARY Menu"), "Tab after the site name reaches the menu button");
    press(browser, Key::Enter).await?;
    assert_eq!(browser.execute(open, vec![]).await?, serde_json::json!(true), "Enter opens the menu");
    press(browser, Key::Tab).await?;
    let first = browser.execute("return document.activeElement.getAttribute('href');", vec![]).await?;
    assert_eq!(first.as_str(), Some("/"), "the next Tab is the menu's first item");
    shift_tab(browser).await?;
    press(browser, Key::Space).await?;
    assert_eq!(browser.execute(open, vec![]).await?, serde_json::json!(false), "Space closes it");
    Ok(())
}

/// Sets the window so that the page's viewport is `width` px wide (the window's frame, if any,
/// is measured and added).
async fn set_viewport(browser: &Client, width: u32) -> Result<(), CmdError> {
    browser.set_window_size(width, 900).await?;
    let inner = browser.execute("return window.innerWidth;", vec![]).await?.as_u64().unwrap_or(0);
    let frame = u32::try_from(u64::from(width).saturating_sub(inner)).unwrap_or(0);
    if frame > 0 {
        browser.set_window_size(width + frame, 900).await?;
    }
    Ok(())
}

/// Every menu page and every deep page for `role`, at every width.
async fn walk_role(browser: &Client, app: &TestApp, role: Role) -> Result<(usize, Vec<String>), CmdError> {
    browser.delete_all_cookies().await?;
    sign_in_browser(browser, app, &TestUser::of(role)).await?;
    let menu = browser.execute(MENU_HREFS, vec![]).await?;
    let mut paths: Vec<String> = serde_json::from_value(menu).expect("menu links");
    assert!(paths.len() >= 4, "{} sees a menu: {paths:?}", role.code());
    let menu_pages = paths.len();
    paths.extend(DEEP_PAGES.iter().map(|p| (*p).to_owned()));
    let mut problems = Vec::new();
    for width in WIDTHS {
        set_viewport(browser, width).await?;
        let viewport = browser.execute("return document.documentElement.clientWidth;", vec![]).await?;
        assert!(
            viewport.as_u64().is_some_and(|v| v <= u64::from(width)),
            "viewport {viewport} for {width} px"
        );
        for (i, path) in paths.iter().enumerate() {
            problems.extend(check_page(browser, &app.base, role, width, (path, i < menu_pages)).await?);
        }
        if width < MENU_BREAKPOINT {
            browser.goto(&format!("{}/", app.base)).await?;
            menu_by_keyboard(browser).await?;
        }
    }
    Ok((paths.len() * WIDTHS.len(), problems))
}

/// The app with the test cohort and generated index data; also the first citizen's id.
async fn app_with_data(db: TestDatabase) -> (TestApp, tempfile::TempDir, i64) {
    let store = db.open_seeded().await;
    let cohort = seed_cohort(&store).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let folder = generate_small(dir.path());
    store.import_tryghed(&folder, ImportOptions { partial: false }).await.expect("import the index data");
    store.close().await;
    (spawn_app(db).await, dir, cohort.citizens[0])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_page_as_every_role_fits_375_and_1366_px_with_a_menu_that_opens_on_a_phone() {
    let Some(session) = browser_or_skip("the layout test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let (app, _data, _) = app_with_data(db).await;
    let browser = &session.client;
    let mut pages = 0;
    let mut problems = Vec::new();
    for role in [Role::Caseworker, Role::Analyst, Role::Manager, Role::Admin] {
        let walked = walk_role(browser, &app, role).await;
        let (n, found) = walked.expect("the pages could be opened");
        pages += n;
        problems.extend(found);
    }
    session.client.clone().close().await.expect("close the browser");
    assert!(pages >= 4 * 2 * 10, "walked only {pages} pages");
    assert!(problems.is_empty(), "{} layout problems:\n{}", problems.len(), problems.join("\n"));
}

/// Prints the open page as Chromium prints it (print media, A4 by default) and gives the PDF.
async fn print_pdf(browser: &Client) -> Result<Vec<u8>, CmdError> {
    let printed = browser.issue_cmd(WebDriverCommand::Print(PrintParameters::default())).await?;
    let encoded = printed.as_str().expect("the print command answers base64");
    Ok(base64::engine::general_purpose::STANDARD.decode(encoded).expect("base64 PDF"))
}

/// The text of a PDF, page by page (`pdftotext`, poppler-utils, which the test script installs).
fn pdf_pages(pdf: &std::path::Path) -> Vec<String> {
    let out = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// One printed page: what must be on paper (its heading and its right-most column) and how many
/// sheets it may take at most.
struct Printed {
    name: &'static str,
    role: Role,
    path: String,
    must_show: &'static [&'static str],
    max_pages: usize,
}

/// Prints `page`, keeps the PDF and a picture of its first sheet under `target/screenshots/`
/// for a person to look at, and gives what is wrong with it.
async fn check_print(browser: &Client, base: &str, page: &Printed) -> Result<Vec<String>, CmdError> {
    browser.goto(&format!("{base}{}", page.path)).await?;
    if browser.current_url().await?.path().ends_with("/formaal") {
        // A caseworker's first citizen in a session asks for the purpose of the read.
        browser
            .execute("document.getElementById('formaal-sagsbehandling').click(); document.querySelector('main form button').click();", vec![])
            .await?;
        browser.wait().for_element(fantoccini::Locator::Css("table.timeline")).await?;
    }
    let pdf = print_pdf(browser).await?;
    let file = screenshot_dir().join(format!("print-{}.pdf", page.name));
    std::fs::write(&file, &pdf).expect("save the PDF");
    let picture = screenshot_dir().join(format!("print-{}", page.name));
    let _ = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(&picture)
        .status();
    let sheets = pdf_pages(&file);
    let text = sheets.join("\n");
    let mut problems = Vec::new();
    let name = format!("{} ({}, {})", page.name, page.role.code(), page.path);
    if sheets.is_empty() || sheets.len() > page.max_pages {
        problems.push(format!("{name}: {} printed pages, at most {}", sheets.len(), page.max_pages));
    }
    for expected in page.must_show {
        if !text.contains(expected) {
            problems.push(format!("{name}: {expected:?} is not on paper"));
        }
    }
    // The menu, the language switch and the sign-out are for the screen.
    for screen_only in ["Log ud", "English", "Spring til indhold", "Registrér", "Felter markeret med"] {
        if text.contains(screen_only) {
            problems.push(format!("{name}: {screen_only:?} is printed"));
        }
    }
    Ok(problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_a_drill_down_a_citizen_and_an_area_print_without_the_menu_and_with_every_column() {
    let Some(session) = browser_or_skip("the print test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let (app, _data, citizen) = app_with_data(db).await;
    let browser = &session.client;
    let pages = [
        Printed {
            name: "overview",
            role: Role::Analyst,
            path: "/".into(),
            must_show: &["Overblik over indsatserne", "KRIMITEAM", "OPERA", "Budget"],
            max_pages: 4,
        },
        Printed {
            name: "dashboard",
            role: Role::Analyst,
            path: "/resultater?year=2013&as_of=2014-05-31".into(),
            must_show: &["C4", "C19", "Status"],
            max_pages: 6,
        },
        Printed {
            name: "drilldown",
            role: Role::Analyst,
            path: "/resultater/C4?year=2013&as_of=2014-05-31&by=centre".into(),
            must_show: &["C4", "Periode: 2013", "Noter"],
            max_pages: 3,
        },
        Printed {
            name: "citizen",
            role: Role::Caseworker,
            path: format!("/borgere/{citizen}"),
            must_show: &["Kohorte Person 00", "Løsladelse"],
            max_pages: 4,
        },
        Printed {
            name: "area",
            role: Role::Analyst,
            path: "/omraader/tingbjerg".into(),
            must_show: &["Tingbjerg", "Kategori"],
            max_pages: 3,
        },
    ];
    let mut problems = Vec::new();
    for page in &pages {
        browser.delete_all_cookies().await.expect("sign out");
        sign_in_browser(browser, &app, &TestUser::of(page.role)).await.expect("sign in");
        problems.extend(check_print(browser, &app.base, page).await.expect("print the page"));
    }
    session.client.clone().close().await.expect("close the browser");
    assert!(problems.is_empty(), "{} print problems:\n{}", problems.len(), problems.join("\n"));
}
