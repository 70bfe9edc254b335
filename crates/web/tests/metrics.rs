//! `/metrics` and `/healthz` over real HTTP, on SQLite and PostgreSQL: the exposition text
//! parses as Prometheus format 0.0.4, counters go up by exactly the requests made, routes are
//! labelled by template and never by a path with an id, the gauges match the database counted
//! separately, only loopback callers or the bearer token may scrape, and the health check answers
//! 503 once the database is gone.

mod case_support;
mod common;

use case_support::spawn_with_cohort;
use sikkerby_testkit::{store_test, TestDatabase};
use sikkerby_web::auth::policy::RULES;
use sikkerby_web::{serve, AppState};
use std::collections::BTreeMap;

/// One sample: metric name, labels, value.
#[derive(Debug, Clone, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses the text format 0.0.4 strictly enough for a test: every line is a `# HELP`, a
/// `# TYPE` or a sample `name{label="value",…} number`, and every sample's family has a TYPE.
fn parse(text: &str) -> Vec<Sample> {
    let mut typed = Vec::new();
    let mut samples = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
            assert!(["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind), "{line}");
            typed.push(name.to_owned());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        assert!(!line.starts_with('#'), "unknown comment: {line}");
        let (head, value) = line.rsplit_once(' ').expect("sample and value");
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("a number in {line}"));
        let (name, labels) = match head.split_once('{') {
            None => (head, BTreeMap::new()),
            Some((name, rest)) => (name, parse_labels(rest.strip_suffix('}').expect("closing brace"))),
        };
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'), "{name}");
        let family = ["_bucket", "_sum", "_count"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name);
        assert!(typed.iter().any(|t| t == name || t == family), "no TYPE for {name}");
        samples.push(Sample { name: name.to_owned(), labels, value });
    }
    samples
}

/// `a="x",b="y"` (values hold no quotes or commas here; the routes do not).
fn parse_labels(text: &str) -> BTreeMap<String, String> {
    text.split("\",")
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once("=\"").expect("label=\"value\"");
            (key.to_owned(), value.trim_end_matches('"').to_owned())
        })
        .collect()
}

/// The value of the sample with this name and these labels (0 if absent: not counted yet).
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .find(|s| {
            s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map_or(0.0, |s| s.value)
}

async fn scrape(client: &reqwest::Client, base: &str) -> Vec<Sample> {
    let response = client.get(format!("{base}/metrics")).send().await.expect("GET /metrics");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "text/plain; version=0.0.4");
    parse(&response.text().await.expect("body"))
}

const CITIZEN: &[(&str, &str)] = &[("route", "/borgere/{id}"), ("method", "GET"), ("status", "2xx")];

store_test!(
    requests_are_counted_by_route_template_and_the_counters_go_up_by_what_was_asked,
    |db| async move {
        let (app, cohort) = spawn_with_cohort(db).await;
        let citizen = cohort.citizens[0];
        app.text(&format!("/borgere/{citizen}"), 200).await; // also declares the purpose first
        let before = scrape(&app.client, &app.base).await;
        for _ in 0..3 {
            app.text(&format!("/borgere/{citizen}"), 200).await;
        }
        assert_eq!(app.get(&format!("/findes-ikke/{citizen}")).await.status().as_u16(), 404);
        let after = scrape(&app.client, &app.base).await;
        let counted = |samples: &[Sample]| value(samples, "sikkerby_http_requests_total", CITIZEN);
        assert_eq!(counted(&after) - counted(&before), 3.0, "three more citizen pages");
        let timed = |s: &[Sample]| value(s, "sikkerby_http_request_duration_seconds_count", &CITIZEN[..2]);
        assert_eq!(timed(&after) - timed(&before), 3.0);
        let inf = [CITIZEN[0], CITIZEN[1], ("le", "+Inf")];
        assert_eq!(value(&after, "sikkerby_http_request_duration_seconds_bucket", &inf), timed(&after));
        let unmatched = [("route", "unmatched"), ("method", "GET"), ("status", "4xx")];
        assert!(value(&after, "sikkerby_http_requests_total", &unmatched) >= 1.0, "the 404 counts, unnamed");
        // Every route label is a pattern of the access table (or `unmatched`): never a raw path.
        let routes: Vec<&str> =
            after.iter().filter_map(|s| s.labels.get("route")).map(String::as_str).collect();
        assert!(routes.contains(&"/borgere/{id}") && routes.contains(&"/metrics"), "{routes:?}");
        for route in routes {
            assert!(route == "unmatched" || RULES.iter().any(|r| r.pattern == route), "route label {route}");
            assert!(!route.contains(&citizen.to_string()), "an id in {route}");
        }
        assert_eq!(value(&after, "sikkerby_http_requests_in_flight", &[]), 1.0, "the scrape itself");
        assert_eq!(value(&after, "sikkerby_build_info", &[("version", env!("CARGO_PKG_VERSION"))]), 1.0);
        assert!(value(&after, "sikkerby_uptime_seconds", &[]) > 0.0);
    }
);

store_test!(the_gauges_show_the_pool_and_the_case_data_counted_by_the_database, |db| async move {
    let (app, _) = spawn_with_cohort(db).await;
    let samples = scrape(&app.client, &app.base).await;
    let max = app.store.pool().options().get_max_connections();
    assert_eq!(value(&samples, "sikkerby_db_pool_max_connections", &[]), f64::from(max));
    let open = value(&samples, "sikkerby_db_pool_connections", &[]);
    assert!(open >= 1.0 && open <= f64::from(max), "{open}");
    assert!(value(&samples, "sikkerby_db_pool_idle_connections", &[]) <= open);
    let sql = "SELECT (SELECT COUNT(*) FROM citizen) + (SELECT COUNT(*) FROM enrollment) \
        + (SELECT COUNT(*) FROM offer) + (SELECT COUNT(*) FROM placement) \
        + (SELECT COUNT(*) FROM life_event) + (SELECT COUNT(*) FROM follow_up)";
    let rows: i64 = sqlx::query_scalar(sql).fetch_one(app.store.pool()).await.expect("count rows");
    assert!(rows > 20, "the cohort is there ({rows})");
    assert_eq!(value(&samples, "sikkerby_case_data_rows", &[]), rows as f64);
});

/// A server of our own with a metrics token (the shared helper starts one without).
async fn spawn_with_token(db: &TestDatabase, token: &str) -> String {
    let store = db.open_seeded().await;
    let state = AppState::load(store).await.expect("load").with_secure_cookies(false);
    let state = state.with_metrics_token(Some(token.to_owned()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(serve(state, listener));
    base
}

store_test!(only_a_direct_local_caller_or_the_bearer_token_may_read_the_metrics, |db| async move {
    let token = "test-token-0123456789abcdefghij";
    let base = spawn_with_token(&db, token).await;
    let client = reqwest::Client::new();
    let get = |forwarded: bool, bearer: Option<&str>| {
        let mut request = client.get(format!("{base}/metrics"));
        if forwarded {
            request = request.header("X-Forwarded-For", "203.0.113.9");
        }
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        async move { request.send().await.expect("GET /metrics") }
    };
    assert_eq!(get(false, None).await.status().as_u16(), 200, "this machine, directly");
    let refused = get(true, None).await;
    assert_eq!(refused.status().as_u16(), 401, "relayed by a proxy: not local");
    assert_eq!(refused.headers()["www-authenticate"], "Bearer");
    assert!(!refused.text().await.unwrap().contains("sikkerby_"), "nothing of the metrics");
    assert_eq!(get(true, Some("test-token-0123456789abcdefghiX")).await.status().as_u16(), 401);
    let allowed = get(true, Some(token)).await;
    assert_eq!(allowed.status().as_u16(), 200);
    assert!(allowed.text().await.unwrap().contains("sikkerby_http_requests_total"));
});

store_test!(the_health_check_answers_503_once_the_database_is_gone, |db| async move {
    let (app, _) = spawn_with_cohort(db).await;
    assert_eq!(app.json("/healthz", 200).await, serde_json::json!({"status": "ok"}));
    app.store.close().await;
    assert_eq!(app.json("/healthz", 503).await, serde_json::json!({"status": "unavailable"}));
});
