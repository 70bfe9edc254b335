//! The access table (`auth/policy.rs`) against the running application: every route × every
//! method it answers × every role and the anonymous visitor, each answered as the table says;
//! and every route registered in the source is in the table (and nothing in the table is
//! stale), so that a new page cannot slip past the guard. The guard itself refuses a route
//! missing from the table with 500 in debug builds; no request here may see a 500.

mod case_support;
mod common;

use case_support::spawn_with_cohort;
use common::{TestApp, TestUser};
use sikkerby_domain::access::Role;
use sikkerby_testkit::store_test;
use sikkerby_web::auth::policy::{Access, RULES};
use std::collections::BTreeSet;
use std::path::Path;

/// Every `.route("…"` in the web crate's source, with the `/api/v1` prefix for the API's
/// router (the one nested router).
fn routes_in_source() -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let prefix = if path.starts_with(src.join("api")) { "/api/v1" } else { "" };
            for piece in text.split(".route(\"").skip(1) {
                let pattern = piece.split('"').next().expect("a quoted pattern");
                found.insert(format!("{prefix}{pattern}"));
            }
        }
    }
    found
}

#[test]
fn every_route_in_the_router_is_in_the_access_table_and_nothing_else_is() {
    let in_source = routes_in_source();
    assert!(in_source.len() > 20 && in_source.contains("/borgere/{id}"), "the scan finds the routes");
    let in_table: BTreeSet<String> = RULES.iter().map(|r| r.pattern.to_owned()).collect();
    let missing: Vec<_> = in_source.difference(&in_table).collect();
    let stale: Vec<_> = in_table.difference(&in_source).collect();
    assert!(missing.is_empty(), "routes without an access rule: {missing:?}");
    assert!(stale.is_empty(), "access rules for routes that do not exist: {stale:?}");
}

/// A concrete path for a pattern: the cohort's citizen for `{id}` of a citizen, an existing
/// code elsewhere. An unknown parameter fails the test, so a new route gets a sample here.
fn sample_path(pattern: &str, citizen: i64) -> String {
    let mut path = pattern.to_owned();
    let samples = [
        ("/borgere/{id}", format!("/borgere/{citizen}")),
        ("/omraader/{id}", "/omraader/tingbjerg".to_owned()),
        ("{code}", "DOMTE".to_owned()),
        ("{criterion}", "C4".to_owned()),
        ("/rapporter/{id}", "/rapporter/1".to_owned()),
        ("/admin/brugere/{id}", "/admin/brugere/1".to_owned()),
        ("/indikatorer/{id}", "/indikatorer/1".to_owned()),
        ("/overtagelser/{id}", "/overtagelser/1".to_owned()),
        ("{format}", "pdf".to_owned()),
        ("{district}", common::TEST_PARTNER_DISTRICT.to_owned()),
    ];
    for (param, value) in samples {
        path = path.replace(param, &value);
    }
    assert!(!path.contains('{'), "no sample for a parameter of {pattern}");
    path
}

/// What the guard answered, if it refused.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// A page sent to sign in, or the API's 401.
    SignIn,
    /// 403 for the role.
    Forbidden,
    /// The handler answered (whatever it said).
    Passed,
}

async fn outcome(response: reqwest::Response, api: bool) -> Outcome {
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_owned();
    let body = response.text().await.unwrap_or_default();
    assert_ne!(status, 500, "a 500 (an unlisted route answers so in debug builds): {body}");
    match status {
        303 if location == "/login" || location.starts_with("/login?next=") => Outcome::SignIn,
        401 if api && body.contains("\"unauthorized\"") => Outcome::SignIn,
        403 if body.contains("Ingen adgang") || body.contains("\"forbidden\"") => Outcome::Forbidden,
        _ => Outcome::Passed,
    }
}

/// One request as `who` (a fresh session each time, so that signing out ends nothing else).
async fn request(app: &TestApp, who: Option<Role>, method: &str, path: &str) -> Outcome {
    app.forget_session();
    if let Some(role) = who {
        app.login_user(&TestUser::of(role)).await;
    }
    let url = format!("{}{path}", app.base);
    let response = match method {
        "GET" => app.client.get(url).send().await,
        "POST" => app.client.post(url).form(&[("csrf_token", app.csrf())]).send().await,
        other => panic!("no sample request for {other}"),
    };
    outcome(response.expect("request"), path.starts_with("/api/")).await
}

store_test!(every_route_answers_every_role_and_the_anonymous_as_the_access_table_says, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    app.set_auto_purpose(false);
    let citizen = cohort.citizens[0];
    let mut checked = 0;
    for rule in RULES {
        let path = sample_path(rule.pattern, citizen);
        for method in rule.methods {
            for who in std::iter::once(None).chain(Role::ALL.iter().copied().map(Some)) {
                let expected = match (rule.access.allows(who), who, rule.access) {
                    (true, _, _) => Outcome::Passed,
                    (false, None, _) => Outcome::SignIn,
                    (false, Some(_), Access::Public) => unreachable!("public allows all"),
                    (false, Some(_), _) => Outcome::Forbidden,
                };
                let got = request(&app, who, method, &path).await;
                assert_eq!(got, expected, "{method} {path} as {who:?}");
                checked += 1;
            }
        }
    }
    assert!(checked >= RULES.len() * 6, "every rule was tried for everyone ({checked})");
});

store_test!(a_path_that_matches_no_route_is_404_for_everyone, |db| async move {
    let (app, _) = spawn_with_cohort(db).await;
    assert_eq!(app.get("/findes-ikke").await.status().as_u16(), 404);
    app.forget_session();
    assert_eq!(app.get("/findes-ikke").await.status().as_u16(), 404);
});
