//! Layout in a real browser, at a phone's width (375 px) and a laptop's (1366 px): every main
//! page, as every role, must fit the viewport (no sideways scrolling of the page itself) and show
//! every menu item on screen. A screenshot of each page goes to `target/screenshots/` for a
//! person to look at (CI keeps the folder as an artefact).
//!
//! Needs `chromium` and `chromedriver`; skipped without them, except under `CI=true`.

mod browser_support;
mod case_support;
mod common;

use base64::Engine;
use browser_support::browser_or_skip;
use case_support::seed_cohort;
use common::{sign_in_browser, spawn_app, TestApp, TestUser};
use fantoccini::error::CmdError;
use fantoccini::Client;
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

/// Measures the page as laid out: the viewport's width, the document's scroll width, and every
/// menu item whose box is not wholly inside the viewport (by its text), and the innermost
/// elements that stick out of it (to say what to fix).
const MEASURE: &str = "const vw = document.documentElement.clientWidth; \
    const off = [...document.querySelectorAll('header.site nav a, header.site .lang-switch, \
      header.site form.signed-in button')] \
      .filter(a => { const r = a.getBoundingClientRect(); \
        return r.width === 0 || r.left < 0 || r.right > vw || r.top < 0; }) \
      .map(a => a.textContent.trim()); \
    const wide = [...document.querySelectorAll('body *')] \
      .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > vw + 1) \
      .slice(-3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)); \
    return { viewport: vw, scroll: document.documentElement.scrollWidth, off: off, wide: wide };";

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

/// Opens `path`, measures it, saves its screenshot and gives what does not fit, if anything.
async fn check_page(
    browser: &Client,
    base: &str,
    role: Role,
    width: u32,
    path: &str,
) -> Result<Vec<String>, CmdError> {
    browser.goto(&format!("{base}{path}")).await?;
    let measured = browser.execute(MEASURE, vec![]).await?;
    let viewport = measured["viewport"].as_u64().unwrap_or(0);
    let scroll = measured["scroll"].as_u64().unwrap_or(u64::MAX);
    let off: Vec<String> = serde_json::from_value(measured["off"].clone()).unwrap_or_default();
    let png = browser.screenshot().await?;
    std::fs::write(screenshot_dir().join(shot_name(role, width, path)), png).expect("save the screenshot");
    let page = format!("{} at {width} px: {path}", role.code());
    let mut problems = Vec::new();
    if scroll > viewport {
        let wide = &measured["wide"];
        problems.push(format!("{page} is {scroll} px wide in a {viewport} px viewport ({wide})"));
    }
    if !off.is_empty() {
        problems.push(format!("{page}: menu items off-screen: {off:?}"));
    }
    Ok(problems)
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
    paths.extend(DEEP_PAGES.iter().map(|p| (*p).to_owned()));
    let mut problems = Vec::new();
    for width in WIDTHS {
        set_viewport(browser, width).await?;
        let viewport = browser.execute("return document.documentElement.clientWidth;", vec![]).await?;
        assert!(
            viewport.as_u64().is_some_and(|v| v <= u64::from(width)),
            "viewport {viewport} for {width} px"
        );
        for path in &paths {
            problems.extend(check_page(browser, &app.base, role, width, path).await?);
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
async fn every_main_page_as_every_role_fits_375_and_1366_px_with_the_whole_menu_on_screen() {
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
