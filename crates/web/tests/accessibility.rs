//! WCAG 2.1 AA in a real browser: axe-core (installed from npm into `tools/a11y` by
//! `scripts/test.sh`) is injected into headless Chromium on every main page — sign-in, overview,
//! initiative, budget, figures and a drill-down, the safety-index pages, reports, citizen search,
//! a citizen, every caseworker form shown again with its validation errors, the worklist, the
//! admin's settings, users, audit log and the password reset page, and the error pages — in Danish and in English, and must find no violation
//! of the rules tagged `wcag2a`, `wcag2aa`, `wcag21a`, `wcag21aa` (and `wcag22aa`). A failure
//! lists each violation's rule id, impact and the CSS selector of each element it concerns.
//!
//! Needs `chromium`, `chromedriver` and `tools/a11y/node_modules` (`npm ci --prefix tools/a11y`);
//! without them the test is skipped with a message, except under `CI=true`, where it fails.

mod browser_support;
mod case_support;
mod common;
mod oidc_support;

use browser_support::{browser_or_skip, in_ci};
use case_support::seed_cohort;
use common::{sign_in_browser, spawn_app, TestApp, TestUser};
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::json;
use sikkerby_domain::access::Role;
use sikkerby_store::opera::ImportOptions;
use sikkerby_testkit::tryghed::generate_small;
use sikkerby_testkit::{TestBackend, TestDatabase};
use std::path::PathBuf;
use std::time::Duration;

/// The WCAG 2.0 and 2.1 rules at levels A and AA, and the one rule WCAG 2.2 adds at AA (target
/// size), which the pages meet as well.
const TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Runs axe on the current page and returns one line per violation (empty: none). Only the
/// violations are asked for: the passes would make the answer large and the run slow.
const RUN_AXE: &str = "return axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, \
    resultTypes: ['violations'] }).then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' \
    + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).join(', ')));";

/// axe-core as npm installed it, if it is installed.
fn axe_source() -> Option<String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/a11y/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(path).ok()
}

/// Audits pages one after another and keeps every violation, so one run lists them all.
struct Audit<'a> {
    browser: &'a Client,
    base: String,
    axe: String,
    pages: usize,
    violations: Vec<String>,
}

impl Audit<'_> {
    /// Audits the page the browser shows now, under the name `page`.
    async fn current(&mut self, page: &str) -> Result<(), CmdError> {
        self.browser.execute(&self.axe, vec![]).await?;
        let found = self.browser.execute(RUN_AXE, vec![json!(TAGS)]).await?;
        let found: Vec<String> = serde_json::from_value(found).expect("axe answers a list of strings");
        self.pages += 1;
        self.violations.extend(found.into_iter().map(|v| format!("{page}: {v}")));
        Ok(())
    }

    /// Opens `path` in `lang` and audits it.
    async fn visit(&mut self, path: &str, lang: &str) -> Result<(), CmdError> {
        let sep = if path.contains('?') { '&' } else { '?' };
        self.browser.goto(&format!("{}{path}{sep}lang={lang}", self.base)).await?;
        self.current(&format!("{path} [{lang}]")).await
    }
}

/// Waits until the path of the address ends with `suffix`.
async fn wait_for_path(browser: &Client, suffix: &str) -> Result<(), CmdError> {
    for _ in 0..100 {
        if browser.current_url().await?.path().ends_with(suffix) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the browser did not reach …{suffix}");
}

/// Empties every text field of the form and picks every select's first option, then submits it
/// as a person would (the button); the page that comes back shows the form with its errors.
const BREAK_FORM: &str = "const f = document.getElementById(arguments[0]); \
    f.querySelectorAll('input[type=text]').forEach(i => { i.value = 'ugyldig'; }); \
    f.querySelectorAll('select').forEach(s => { s.selectedIndex = 0; }); \
    f.querySelector('button[type=submit]').click();";

/// Submits the form `id` with bad input and audits the page that shows the errors.
async fn audit_failed_form(
    audit: &mut Audit<'_>,
    id: &str,
    action: &str,
    lang: &str,
) -> Result<(), CmdError> {
    audit.browser.execute(BREAK_FORM, vec![json!(id)]).await?;
    wait_for_path(audit.browser, action).await?;
    let summary = audit.browser.wait().for_element(Locator::Css(&format!("#{id} .error-summary"))).await?;
    assert!(summary.is_displayed().await?, "form {id} came back with its errors");
    audit.current(&format!("form {id} with errors [{lang}]")).await
}

/// Signs the browser in afresh as `user` (the previous session's cookie is dropped).
async fn switch_user(browser: &Client, app: &TestApp, user: &TestUser) -> Result<(), CmdError> {
    browser.delete_all_cookies().await?;
    sign_in_browser(browser, app, user).await
}

/// The sign-in page, empty and after a wrong password.
async fn sign_in_pages(audit: &mut Audit<'_>, lang: &str) -> Result<(), CmdError> {
    audit.visit("/login", lang).await?;
    let browser = audit.browser;
    browser.find(Locator::Id("login-username")).await?.send_keys("nobody").await?;
    browser.find(Locator::Id("login-password")).await?.send_keys("not the password").await?;
    browser.find(Locator::Css("#login button[type=submit]")).await?.click().await?;
    browser.wait().for_element(Locator::Css("#login .error-summary")).await?;
    audit.current(&format!("/login with an error [{lang}]")).await
}

/// Every page a caseworker uses, and each form of the citizen page with errors.
async fn caseworker_pages(audit: &mut Audit<'_>, citizen: i64, lang: &str) -> Result<(), CmdError> {
    for path in [
        "/",
        "/indsatser/DOMTE",
        "/indsatser/HOTSPOT",
        "/budget",
        "/figur-1",
        "/resultater?year=2013&as_of=2014-05-31",
        "/resultater/C4?year=2013&as_of=2014-05-31&by=centre",
        "/bydele",
        "/omraader/tingbjerg",
        "/maal",
        "/uroligeomraader",
        "/borgere",
        "/borgere?q=Kohorte",
        "/opfoelgninger?as_of=2014-05-31",
        "/borgere/ny",
    ] {
        audit.visit(path, lang).await?;
    }
    audit_failed_form(audit, "borger", "/borgere/ny", lang).await?;
    let page = format!("/borgere/{citizen}");
    audit.visit(&page, lang).await?;
    for (id, action) in [
        ("opfoelgning", "/opfoelgninger"),
        ("forloeb", "/forloeb"),
        ("tilbud", "/tilbud"),
        ("afslut-tilbud", "/tilbud/afslut"),
        ("afslut-forloeb", "/forloeb/afslut"),
        ("haendelse", "/haendelser"),
        ("fritidsjob", "/fritidsjob"),
        ("ret-afslutning", "/rettelser/afslutning"),
        ("ret-haendelse", "/rettelser/haendelse"),
    ] {
        audit.browser.goto(&format!("{}{page}", audit.base)).await?;
        audit_failed_form(audit, id, action, lang).await?;
    }
    Ok(())
}

/// The purpose question, asked on the first visit to a citizen in a session, then answered.
async fn purpose_page(audit: &mut Audit<'_>, citizen: i64, lang: &str) -> Result<(), CmdError> {
    audit.visit(&format!("/borgere/{citizen}"), lang).await?;
    wait_for_path(audit.browser, "/formaal").await?;
    audit.current(&format!("/borgere/{{id}}/formaal [{lang}]")).await?;
    audit.browser.find(Locator::Id("formaal-sagsbehandling")).await?.click().await?;
    audit.browser.find(Locator::Css("#formaal button[type=submit]")).await?.click().await?;
    wait_for_path(audit.browser, &format!("/borgere/{citizen}")).await
}

/// A page broken on purpose (an image without a text alternative, a field without a label):
/// axe must report both, or a clean run would prove nothing.
async fn axe_finds_what_is_wrong(audit: &mut Audit<'_>) -> Result<(), CmdError> {
    audit.visit("/login", "da").await?;
    let break_page = "const m = document.querySelector('main'); m.insertAdjacentHTML('beforeend', \
        '<img src=\"/static/style.css\"><input type=\"text\" id=\"unlabelled\">');";
    audit.browser.execute(break_page, vec![]).await?;
    audit.current("control").await?;
    let control: Vec<String> = audit.violations.drain(..).collect();
    audit.pages = 0;
    for rule in ["image-alt", "label"] {
        assert!(control.iter().any(|v| v.starts_with(&format!("control: {rule} "))), "{rule}: {control:?}");
    }
    Ok(())
}

/// A period the list does not offer, sent as a crafted request would (the picker offers none).
const BREAK_PERIOD: &str = "const s = document.getElementById('rapport-period'); \
    s.options[0].value = '1999'; s.selectedIndex = 0; \
    document.querySelector('#rapport button[type=submit]').click();";

/// The reports page with a report made, the warning before a period without data (2013 has no
/// actual spend recorded), and the form shown again for a period it does not offer.
async fn reports_pages(audit: &mut Audit<'_>, lang: &str) -> Result<(), CmdError> {
    audit.visit("/rapporter?kind=annual&period=2013", lang).await?;
    audit.browser.find(Locator::Css("#rapport button[type=submit]")).await?.click().await?;
    audit.browser.wait().for_element(Locator::Css("#rapport-bekraeft .warning")).await?;
    audit.current(&format!("/rapporter with the no-data warning [{lang}]")).await?;
    audit.browser.execute(BREAK_PERIOD, vec![]).await?;
    let summary = audit.browser.wait().for_element(Locator::Css("#rapport .error-summary")).await?;
    assert!(summary.is_displayed().await?, "the reports form came back with its error");
    audit.current(&format!("form rapport with errors [{lang}]")).await
}

/// The administrator's pages: settings, users (and the create form with its errors), one user,
/// the audit log, and the password reset page.
async fn admin_pages(audit: &mut Audit<'_>, app: &TestApp, lang: &str) -> Result<(), CmdError> {
    audit.visit("/admin/indstillinger", lang).await?;
    audit.visit("/admin/brugere", lang).await?;
    audit_failed_form(audit, "opret-bruger", "/admin/brugere", lang).await?;
    let analyst = app.ensure_user(&TestUser::of(Role::Analyst)).await;
    audit.visit(&format!("/admin/brugere/{analyst}"), lang).await?;
    audit.visit("/admin/revision", lang).await?;
    audit.visit("/nulstil-adgangskode", lang).await
}

/// Walks every page in both languages as the users who may see them.
async fn walk(audit: &mut Audit<'_>, app: &TestApp, citizen: i64) -> Result<(), CmdError> {
    axe_finds_what_is_wrong(audit).await?;
    for lang in ["da", "en"] {
        audit.browser.delete_all_cookies().await?;
        sign_in_pages(audit, lang).await?;
        switch_user(audit.browser, app, &TestUser::of(Role::Caseworker)).await?;
        purpose_page(audit, citizen, lang).await?;
        caseworker_pages(audit, citizen, lang).await?;
        audit.visit("/findes-ikke", lang).await?;
        switch_user(audit.browser, app, &TestUser::of(Role::Analyst)).await?;
        reports_pages(audit, lang).await?;
        switch_user(audit.browser, app, &TestUser::of(Role::Manager)).await?;
        audit.visit("/rapporter?kind=annual&period=2013", lang).await?;
        switch_user(audit.browser, app, &TestUser::of(Role::Admin)).await?;
        admin_pages(audit, app, lang).await?;
    }
    Ok(())
}

/// Gives the audited citizen an open offer and an ended enrollment, so that the citizen page
/// shows the forms that end an offer and correct an end (a form is shown only when usable).
async fn usable_forms(store: &sikkerby_store::Store, citizen: i64) {
    use case_support::{d, enrollment};
    use sikkerby_store::cases::{EndRecord, NewOffer};
    let timeline = store.timeline(citizen).await.unwrap().unwrap();
    let domte = timeline.enrollments[0].id.clone();
    let offer = NewOffer {
        enrollment_id: domte,
        offer_type: "vejledning_opkvalificering".into(),
        start: d(2013, 3, 1),
    };
    store.add_offer(&offer).await.unwrap();
    let krimiteam = enrollment(citizen, "KRIMITEAM", d(2013, 1, 1), "JKU-A17", "JKU Nord");
    let ended = store.enroll(&krimiteam).await.unwrap();
    store.end_enrollment(&ended, &EndRecord { date: d(2013, 2, 1), reason: "andet".into() }).await.unwrap();
}

/// The app over the memo, the test cohort and a small generated safety-index data set.
async fn app_with_everything(db: TestDatabase) -> (TestApp, i64, tempfile::TempDir) {
    let store = db.open_seeded().await;
    let cohort = seed_cohort(&store).await;
    usable_forms(&store, cohort.citizens[5]).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let folder = generate_small(dir.path());
    store.import_tryghed(&folder, ImportOptions { partial: false }).await.expect("import the index data");
    store.close().await;
    let app = spawn_app(db).await;
    // A report, so that the reports page lists a version (and a manager sees "approve").
    app.login_as(Role::Analyst).await;
    let made = app
        .post_form(
            "/rapporter",
            &[("kind", "annual"), ("period", "2013"), ("format", "html"), ("confirm", "ja")],
        )
        .await;
    assert_eq!(made.headers()["content-type"], "text/html; charset=utf-8", "the report was made");
    (app, cohort.citizens[5], dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_page_in_both_languages_has_no_wcag_21_aa_violation() {
    let Some(axe) = axe_source() else {
        assert!(!in_ci(), "CI=true but tools/a11y/node_modules is missing (npm ci --prefix tools/a11y)");
        eprintln!("skipping the accessibility test: axe-core is not installed (npm ci --prefix tools/a11y)");
        return;
    };
    let Some(session) = browser_or_skip("the accessibility test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let (app, citizen, _data) = app_with_everything(db).await;
    let browser = &session.client;
    let mut audit = Audit { browser, base: app.base.clone(), axe, pages: 0, violations: vec![] };
    let walked = walk(&mut audit, &app, citizen).await;
    let (pages, violations) = (audit.pages, audit.violations);
    session.client.close().await.expect("close the browser");
    walked.expect("every page could be audited");
    eprintln!("axe-core audited {pages} pages");
    // Per language: 2 sign-in, purpose, 15 pages, new-citizen error, citizen, 9 forms, 404,
    // reports, its no-data warning and its error (analyst), reports (manager), settings, users
    // and their create form's errors, one user, the audit log, the password reset page.
    assert_eq!(pages, 2 * 41, "every page was audited in both languages");
    assert!(violations.is_empty(), "{} WCAG 2.1 AA violations:\n{}", violations.len(), violations.join("\n"));
}

/// The pages of signing in through the identity provider: the sign-in page with the provider's
/// button only (password sign-in off), a refused answer, and the no-access page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_identity_provider_sign_in_pages_have_no_wcag_21_aa_violation() {
    let Some(axe) = axe_source() else {
        assert!(!in_ci(), "CI=true but tools/a11y/node_modules is missing (npm ci --prefix tools/a11y)");
        eprintln!("skipping the accessibility test: axe-core is not installed (npm ci --prefix tools/a11y)");
        return;
    };
    let Some(session) = browser_or_skip("the accessibility test").await else { return };
    let app = oidc_support::spawn(oidc_support::Mode::Hostile, |_| {}, false).await;
    let browser = &session.client;
    let mut audit = Audit { browser, base: app.base.clone(), axe, pages: 0, violations: vec![] };
    let walked = async {
        for lang in ["da", "en"] {
            audit.visit("/login", lang).await?;
            audit.visit("/login/oidc/callback?state=used-or-forged", lang).await?;
            browser.goto(&format!("{}/case/unmapped", app.idp.issuer)).await?;
            browser.goto(&format!("{}/login/oidc", app.base)).await?;
            audit.current(&format!("no access [{lang}]")).await?;
        }
        Ok::<(), CmdError>(())
    }
    .await;
    let (pages, violations) = (audit.pages, audit.violations);
    session.client.close().await.expect("close the browser");
    walked.expect("every page could be audited");
    assert_eq!(pages, 6);
    assert!(violations.is_empty(), "{} WCAG 2.1 AA violations:\n{}", violations.len(), violations.join("\n"));
}

/// The menu at a phone's width (375 px), closed behind its "Menu" button and opened by a click,
/// as the admin (the longest menu), in both languages: no violation either way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_menu_at_a_phones_width_closed_and_open_has_no_wcag_21_aa_violation() {
    let Some(axe) = axe_source() else {
        assert!(!in_ci(), "CI=true but tools/a11y/node_modules is missing (npm ci --prefix tools/a11y)");
        eprintln!("skipping the accessibility test: axe-core is not installed (npm ci --prefix tools/a11y)");
        return;
    };
    let Some(session) = browser_or_skip("the accessibility test").await else { return };
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite");
    let app = spawn_app(db).await;
    let browser = &session.client;
    let mut audit = Audit { browser, base: app.base.clone(), axe, pages: 0, violations: vec![] };
    let walked = async {
        switch_user(browser, &app, &TestUser::of(Role::Admin)).await?;
        browser.set_window_size(375, 900).await?;
        for lang in ["da", "en"] {
            audit.visit("/budget", lang).await?;
            browser.find(Locator::Css("header.site nav summary")).await?.click().await?;
            let open =
                browser.execute("return document.querySelector('header.site nav details').open;", vec![]);
            assert_eq!(open.await?, json!(true), "the menu opened");
            audit.current(&format!("/budget, menu open at 375 px [{lang}]")).await?;
        }
        Ok::<(), CmdError>(())
    }
    .await;
    let (pages, violations) = (audit.pages, audit.violations);
    session.client.close().await.expect("close the browser");
    walked.expect("the pages could be audited");
    assert_eq!(pages, 4);
    assert!(violations.is_empty(), "{} WCAG 2.1 AA violations:\n{}", violations.len(), violations.join("\n"));
}
