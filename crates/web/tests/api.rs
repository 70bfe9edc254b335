//! The JSON API and the health check, over HTTP, on SQLite and PostgreSQL.

mod common;

use common::spawn_app;
use rust_decimal::Decimal;
use serde_json::Value;
use sikkerby_testkit::store_test;
use std::str::FromStr;

store_test!(the_api_lists_all_17_initiatives_in_the_memo_s_order, |db| async move {
    let app = spawn_app(db).await;
    let list = app.json("/api/v1/initiatives", 200).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 17);
    assert_eq!(list[0]["code"], "KRIMITEAM");
    let ssp = list.iter().find(|i| i["code"] == "SSPPLUS").unwrap();
    assert_eq!(ssp["scope"], "city_wide");
    assert_eq!(ssp["data_source"], "opera");
    assert_eq!(ssp["anchor_unit"]["name"], "Krimiteamet, JKU");
    assert_eq!(ssp["criteria"], serde_json::json!(["C1", "C2"]));
    assert_eq!(ssp["href"], "/api/v1/initiatives/SSPPLUS");
    let scopes: Vec<&str> = list.iter().map(|i| i["scope"].as_str().unwrap()).collect();
    assert_eq!(scopes.iter().filter(|s| **s == "monitoring").count(), 4);
});

store_test!(the_api_gives_an_initiative_with_its_criteria_and_the_memo_s_words, |db| async move {
    let app = spawn_app(db).await;
    let ssp = app.json("/api/v1/initiatives/SSPPLUS", 200).await;
    assert_eq!(ssp["target_group"]["min_age_months"], 210);
    assert_eq!(ssp["target_group"]["max_age_months"], 300);
    assert_eq!(ssp["phases"], serde_json::json!(["kriminel_loebebane"]));
    assert_eq!(ssp["reporting"][0]["recipients"], serde_json::json!(["BIU", "OEU"]));
    assert_eq!(ssp["criteria"][0]["id"], "C1");
    assert_eq!(ssp["criteria"][0]["memo_words"], "100 unge modtager tilbud.");
    let success = ssp["memo"]["success_criteria"].as_str().unwrap();
    assert!(success.starts_with("100 unge modtager tilbud."));
    let line = &ssp["budget_lines"][0];
    assert_eq!(line["name"], "SSP+");
    assert_eq!(line["cells"][3], serde_json::json!({"year": 2015, "kind": "funding_ended", "amount": null}));
    assert_eq!(line["cells"][0]["amount"], "1.7");
});

store_test!(an_unknown_initiative_is_a_json_404_and_a_malformed_code_a_422, |db| async move {
    let app = spawn_app(db).await;
    let missing = app.json("/api/v1/initiatives/NOPE", 404).await;
    assert_eq!(missing["error"], "not_found");
    let malformed = app.json("/api/v1/initiatives/sspplus", 422).await;
    assert_eq!(malformed["error"], "unprocessable");
    assert_eq!(malformed["field"], "code");
    let no_route = app.json("/api/v1/nothing-here", 404).await;
    assert_eq!(no_route["error"], "not_found");
});

/// Sums the `amount` cells of every line per year, independently of the server's totals.
fn sum_of_lines(budget: &Value) -> Vec<Decimal> {
    let years = budget["years"].as_array().unwrap().len();
    let mut sums = vec![Decimal::ZERO; years];
    for line in budget["lines"].as_array().unwrap() {
        for (column, cell) in line["cells"].as_array().unwrap().iter().enumerate() {
            if let Some(amount) = cell["amount"].as_str() {
                sums[column] += Decimal::from_str(amount).unwrap();
            }
        }
    }
    sums
}

store_test!(the_api_budget_has_typed_cells_and_the_memo_s_totals, |db| async move {
    let app = spawn_app(db).await;
    let budget = app.json("/api/v1/budget", 200).await;
    assert_eq!(budget["years"], serde_json::json!([2012, 2013, 2014, 2015]));
    assert_eq!(budget["lines"].as_array().unwrap().len(), 14);
    let totals: Vec<&str> =
        budget["totals"].as_array().unwrap().iter().map(|t| t["amount"].as_str().unwrap()).collect();
    assert_eq!(totals, ["21.7", "21.6", "19.5", "8.4"]);
    let sums: Vec<String> = sum_of_lines(&budget).iter().map(|d| d.normalize().to_string()).collect();
    assert_eq!(sums, totals);
    let brandkorps = &budget["lines"][2];
    assert_eq!(brandkorps["name"], "Ungdomsbrandkorps");
    assert_eq!(
        brandkorps["cells"][0],
        serde_json::json!({"year": 2012, "kind": "no_allocation", "amount": null})
    );
    assert_eq!(brandkorps["cells"][1]["kind"], "amount");
    assert_eq!(budget["lines"][0]["initiative"], Value::Null);
});

store_test!(the_openapi_document_lists_every_endpoint, |db| async move {
    let app = spawn_app(db).await;
    let doc = app.json("/api/v1/openapi.json", 200).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/initiatives",
        "/api/v1/initiatives/{code}",
        "/api/v1/budget",
        "/api/v1/openapi.json",
        "/healthz",
    ] {
        assert!(paths.contains_key(path), "missing {path}");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in ["BudgetDto", "CellDto", "InitiativeDetail", "InitiativeSummary", "ErrorBody"] {
        assert!(schemas.contains_key(schema), "missing schema {schema}");
    }
    let responses = &paths["/api/v1/initiatives/{code}"]["get"]["responses"];
    assert!(responses.get("404").is_some());
});

store_test!(the_health_check_answers_ok_after_asking_the_database, |db| async move {
    let app = spawn_app(db).await;
    let health = app.json("/healthz", 200).await;
    assert_eq!(health, serde_json::json!({"status": "ok"}));
});
