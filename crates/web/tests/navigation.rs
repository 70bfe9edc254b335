//! The menu: every role sees the goal page and the half-yearly picture of the areas of unrest
//! (both open to every signed-in user), and every link in its menu opens for it. And a crawl:
//! as every role, every page the route policy lets it open is linked from a page it reaches
//! from `/`, and every same-site link it finds opens (no 404, no 5xx).

mod case_support;
mod common;

use case_support::seed_cohort;
use common::{spawn_app, TestApp};
use sikkerby_domain::access::Role;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::indicators::Assessment;
use sikkerby_store::audit::Actor;
use sikkerby_store::cases::NewOffer;
use sikkerby_store::indicators::NewIndicatorEntry;
use sikkerby_store::opera::ImportOptions;
use sikkerby_testkit::store_test;
use sikkerby_testkit::tryghed::generate_small;
use sikkerby_testkit::TestDatabase;
use sikkerby_web::auth::policy::RULES;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The hrefs inside the page's `<nav>`.
fn menu_links(page: &str) -> Vec<String> {
    let start = page.find("<nav").expect("a menu");
    let end = start + page[start..].find("</nav>").expect("the menu ends");
    page[start..end].split("href=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_owned).collect()
}

store_test!(every_role_finds_the_goal_and_unrest_pages_in_the_menu_and_each_link_opens, |db| async move {
    let app = spawn_app(db).await;
    for role in [Role::Caseworker, Role::Analyst, Role::Manager, Role::Admin] {
        app.login_as(role).await;
        let links = menu_links(&app.text("/maal", 200).await);
        for wanted in ["/maal", "/uroligeomraader"] {
            assert!(links.iter().any(|l| l == wanted), "{role:?} has no {wanted} in the menu: {links:?}");
        }
        for link in &links {
            assert_eq!(app.get(link).await.status().as_u16(), 200, "{role:?} opens {link}");
        }
        let goal = app.text("/maal", 200).await;
        assert!(goal.contains("href=\"/maal\" aria-current=\"page\""), "the goal page is marked current");
        let english = menu_links(&app.text("/uroligeomraader?lang=en", 200).await);
        assert!(english.iter().any(|l| l == "/uroligeomraader"), "the English menu has it too");
    }
});

/// Routes the crawl does not expect a page to link to, because they are not pages a person
/// navigates to. Everything else the policy lets a role GET must be linked from a page it can
/// reach from `/`.
const NOT_PAGES: &[&str] = &[
    // The health check and the metrics: for the load balancer and the monitoring.
    "/healthz",
    "/metrics",
    // The stylesheet: loaded by `<link rel=stylesheet>`, not followed.
    "/static/style.css",
    // Signing in: reached signed out, by the redirect of any page; the identity provider's start
    // and callback are steps of that flow.
    "/login",
    "/login/oidc",
    "/login/oidc/callback",
    // The purpose question: put by a redirect in front of a citizen's page opened other than
    // from the worklist (a search, a typed address), never linked (tests/access.rs asks it).
    "/borgere/{id}/formaal",
    // A new password with a one-time code: for a user who cannot sign in, linked from the
    // sign-in page (which the crawl, signed in, does not visit).
    "/nulstil-adgangskode",
];

/// The JSON API (`/api/v1/…`) is for programs, not a page: excluded by its prefix.
const NOT_PAGES_PREFIX: &str = "/api/";

/// Whether `path` matches the route `pattern` (`{x}` matches one non-empty segment), and how
/// many literal segments matched: the router prefers the most literal route (`/borgere/ny` over
/// `/borgere/{id}`), so the crawl does too.
fn literal_match(pattern: &str, path: &str) -> Option<usize> {
    let (p, q): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), path.split('/').collect());
    if p.len() != q.len() {
        return None;
    }
    let mut literals = 0;
    for (p, q) in p.iter().zip(&q) {
        if p.starts_with('{') && p.ends_with('}') {
            if q.is_empty() {
                return None;
            }
        } else if p == q {
            literals += 1;
        } else {
            return None;
        }
    }
    Some(literals)
}

/// The route a path is answered by: the most literal pattern of the policy that matches it.
fn route_of(path: &str) -> Option<&'static str> {
    RULES
        .iter()
        .filter_map(|r| literal_match(r.pattern, path).map(|n| (n, r.pattern)))
        .max_by_key(|(n, _)| *n)
        .map(|(_, pattern)| pattern)
}

/// An attribute's text with the escapes the templates write read back (askama writes `&` as
/// `&#38;`, hand-written markup as `&amp;`).
fn unescape(text: &str) -> String {
    [("&#38;", "&"), ("&amp;", "&"), ("&#39;", "'"), ("&#34;", "\""), ("&quot;", "\"")]
        .iter()
        .fold(text.to_owned(), |t, (from, to)| t.replace(from, to))
}

/// The same-site links of a page: every `href="…"` that is a path on this site (`/…`, not
/// `//…`), unescaped, with its fragment dropped.
fn same_site_links(page: &str, base: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(unescape)
        .map(|href| href.strip_prefix(base).map(str::to_owned).unwrap_or(href))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .collect()
}

/// How many distinct query strings of one path the crawl opens: a page links to itself sorted,
/// paged, filtered and in the other language, and a few of each show that they answer.
const QUERIES_PER_PATH: usize = 4;

/// What a crawl found: the routes linked, and every link that answered 404 or 5xx.
#[derive(Default)]
struct Crawl {
    linked: BTreeSet<&'static str>,
    broken: Vec<String>,
    opened: usize,
}

/// Follows every same-site link from `/` (GET only), as the signed-in user of `app`. A
/// redirect is followed as a link; a page that redirected is opened again as a caseworker who
/// answers the purpose question it asks (common::TestApp), so the citizen's page is read too.
async fn crawl(app: &TestApp) -> Crawl {
    let mut found = Crawl::default();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queries: BTreeMap<String, usize> = BTreeMap::new();
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_owned()]);
    while let Some(url) = queue.pop_front() {
        let path = url.split('?').next().unwrap_or_default().to_owned();
        if url.contains('?') {
            let n = queries.entry(path.clone()).or_default();
            if *n >= QUERIES_PER_PATH {
                continue;
            }
            *n += 1;
        }
        found.opened += 1;
        if std::env::var("CRAWL_DEBUG").is_ok() {
            eprintln!("GET {url}");
        }
        if let Some(route) = route_of(&path) {
            found.linked.insert(route);
        }
        let mut next = Vec::new();
        let response = app.get(&url).await;
        let mut status = response.status().as_u16();
        if let Some(location) = redirect(&response) {
            next.push(location);
            app.set_auto_purpose(true);
            let again = app.get(&url).await;
            app.set_auto_purpose(false);
            status = again.status().as_u16();
            next.extend(redirect(&again));
            next.extend(html_links(again, &app.base).await);
        } else {
            next.extend(html_links(response, &app.base).await);
        }
        if status == 404 || status >= 500 {
            found.broken.push(format!("{url} answered {status}"));
        }
        for link in next {
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    found
}

fn redirect(response: &reqwest::Response) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response.headers().get("location")?.to_str().ok()?;
    Some(location.to_owned()).filter(|l| l.starts_with('/') && !l.starts_with("//"))
}

async fn html_links(response: reqwest::Response, base: &str) -> Vec<String> {
    let html = response
        .headers()
        .get("content-type")
        .and_then(|c| c.to_str().ok())
        .is_some_and(|c| c.starts_with("text/html"));
    if !html {
        return Vec::new();
    }
    same_site_links(&response.text().await.unwrap_or_default(), base)
}

/// The GET routes the policy lets `role` open that are pages.
fn pages_for(role: Role) -> BTreeSet<&'static str> {
    RULES
        .iter()
        .filter(|r| r.methods.contains(&"GET") && r.access.allows(Some(role)))
        .map(|r| r.pattern)
        .filter(|p| !NOT_PAGES.contains(p) && !p.starts_with(NOT_PAGES_PREFIX))
        .collect()
}

/// The cohort, area data (so the index pages link the areas), offers started this year (so
/// the dashboard, which opens on this year, has rows to drill down to and export) and an
/// indicator entry sent back for correction.
async fn app_with_data(db: TestDatabase) -> (TestApp, tempfile::TempDir) {
    let store = db.open_seeded().await;
    let cohort = seed_cohort(&store).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let folder = generate_small(dir.path());
    store.import_tryghed(&folder, ImportOptions { partial: false }).await.expect("import the area data");
    let this_year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let start = chrono::NaiveDate::from_ymd_opt(this_year, 1, 2).unwrap();
    for citizen in &cohort.citizens {
        let timeline = store.timeline(*citizen).await.unwrap().unwrap();
        let enrollment_id = timeline.enrollments[0].id.clone();
        let offer = NewOffer { enrollment_id, offer_type: "vejledning_opkvalificering".into(), start };
        store.add_offer(&offer).await.unwrap();
    }
    // An indicator entry sent back this year, so the list links its correction form.
    let mut entry = NewIndicatorEntry::blank("C11", Period::year(this_year).unwrap(), "sekretariat");
    entry.indicator = "Oplæg/temadage".into();
    entry.assessment = Some(Assessment::Met);
    let actor = Actor::system("test");
    let id = store.add_indicator_entry(&entry, &actor).await.unwrap();
    store.send_back_indicator_entry(id, "leder", "Tallet mangler", &actor).await.unwrap();
    store.close().await;
    (spawn_app(db).await, dir)
}

store_test!(
    every_page_a_role_may_open_is_linked_from_the_pages_it_reaches_and_every_link_opens,
    |db| async move {
        let (app, _data) = app_with_data(db).await;
        // A report version, so that the reports list links its downloads.
        app.login_as(Role::Analyst).await;
        let fields = [("kind", "annual"), ("period", "2013"), ("format", "html"), ("confirm", "ja")];
        assert_eq!(app.post_form("/rapporter", &fields).await.status().as_u16(), 200);
        app.set_auto_purpose(false);
        for role in Role::ALL {
            app.login_as(*role).await;
            let found = crawl(&app).await;
            eprintln!("{role:?}: {} requests, {} routes linked", found.opened, found.linked.len());
            assert!(found.broken.is_empty(), "{role:?} follows links that do not open: {:#?}", found.broken);
            let unlinked: Vec<_> =
                pages_for(*role).into_iter().filter(|p| !found.linked.contains(p)).collect();
            assert!(unlinked.is_empty(), "{role:?} may open pages no page links to: {unlinked:?}");
        }
    }
);

#[test]
fn a_path_is_matched_to_its_most_literal_route() {
    assert_eq!(route_of("/borgere/ny"), Some("/borgere/ny"));
    assert_eq!(route_of("/borgere/17"), Some("/borgere/{id}"));
    assert_eq!(route_of("/rapporter/3/godkend"), Some("/rapporter/{id}/godkend"));
    assert_eq!(route_of("/rapporter/3/pdf"), Some("/rapporter/{id}/{format}"));
    assert_eq!(route_of("/borgere//x"), None);
    let page = "<a href=\"/a?x=1&amp;y=2&#38;z=3#top\"><a href=\"//e.org\"><a href=\"https://e.org\">";
    assert_eq!(same_site_links(page, ""), ["/a?x=1&y=2&z=3"]);
}
