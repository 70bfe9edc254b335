//! What Schemathesis (scripts/schemathesis.sh) found in the JSON API, pinned down over HTTP on
//! SQLite and PostgreSQL: a method the route does not answer is a 405 with `Allow` (not a 403
//! for a missing CSRF token), a query that does not parse or holds an empty value is a JSON 422,
//! and the OpenAPI document states what the server accepts (code pattern, year range, the
//! portfolio's initiative codes), so a request valid by the document is not refused.

mod common;

use common::spawn_app;
use sikkerby_testkit::store_test;

store_test!(a_method_the_route_does_not_answer_is_a_405_naming_the_allowed_ones, |db| async move {
    let app = spawn_app(db).await;
    for method in ["TRACE", "PUT", "DELETE", "PATCH"] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response =
            app.client.request(method.clone(), format!("{}/api/v1/budget", app.base)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 405, "{method}");
        assert_eq!(response.headers()["allow"], "GET", "{method}");
    }
    let head = app.client.head(format!("{}/api/v1/budget", app.base)).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 200, "HEAD goes with GET");
    // A POST to a form route without its token is still refused as such, not as a method.
    let no_token = app.client.post(format!("{}/borgere/ny", app.base)).send().await.unwrap();
    assert_eq!(no_token.status().as_u16(), 403);
});

store_test!(a_results_query_that_does_not_parse_or_is_blank_is_a_json_422, |db| async move {
    let app = spawn_app(db).await;
    let twice = app.json("/api/v1/results?year=2013&year=2014", 422).await;
    assert_eq!(twice["field"], "query");
    for (query, field) in
        [("year=", "year"), ("as_of=", "as_of"), ("by=", "by"), ("initiative=%20DOMTE", "initiative")]
    {
        let body = app.json(&format!("/api/v1/results?{query}"), 422).await;
        assert_eq!(body["field"], field, "{query}");
    }
    app.json("/api/v1/results?year=2013&as_of=2014-05-31&initiative=DOMTE&by=sex", 200).await;
});

store_test!(the_openapi_document_states_what_the_server_accepts, |db| async move {
    let app = spawn_app(db).await;
    let doc = app.json("/api/v1/openapi.json", 200).await;
    let code = &doc["paths"]["/api/v1/initiatives/{code}"]["get"]["parameters"][0];
    assert_eq!(code["schema"]["pattern"], "^[A-Z0-9]{2,20}$");
    let params = doc["paths"]["/api/v1/results"]["get"]["parameters"].as_array().unwrap();
    let param = |name: &str| params.iter().find(|p| p["name"] == name).unwrap()["schema"].clone();
    assert_eq!(
        (param("year")["minimum"].as_f64(), param("year")["maximum"].as_f64()),
        (Some(2000.0), Some(2100.0))
    );
    let codes = param("initiative")["enum"].as_array().unwrap().clone();
    let listed = app.json("/api/v1/initiatives", 200).await;
    let listed: Vec<_> = listed.as_array().unwrap().iter().map(|i| i["code"].clone()).collect();
    assert_eq!(codes, listed, "the portfolio's 17 codes, in its order");
    assert_eq!(codes.len(), 17);
});
