//! The server-rendered pages, over HTTP, on SQLite and PostgreSQL.

mod common;

use common::spawn_app;
use sikkerby_testkit::store_test;

/// Asserts that a page carries no inline script or style (a later CSP forbids them).
fn assert_no_inline_code(html: &str) {
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains(" style="), "no inline style attributes");
    assert!(!html.contains("<style"), "no style elements");
}

store_test!(the_overview_lists_all_17_initiatives_grouped_by_scope, |db| async move {
    let app = spawn_app(db).await;
    let html = app.text("/", 200).await;
    assert!(html.contains("<html lang=\"da\">"));
    assert_eq!(html.matches("href=\"/indsatser/").count(), 17);
    let city = html.find("<h2 id=\"scope-city_wide\">Bydækkende</h2>").unwrap();
    let area = html.find("<h2 id=\"scope-area_based\">Områdebaserede</h2>").unwrap();
    let monitoring = html.find("<h2 id=\"scope-monitoring\">Monitorering</h2>").unwrap();
    assert!(city < area && area < monitoring);
    let hotspot = html.find("/indsatser/HOTSPOT").unwrap();
    assert!(area < hotspot && hotspot < monitoring, "Hotspot is area-based");
    assert!(html.contains("Krimiteamet, JKU"), "anchor unit by name");
    assert!(html.contains("17½–24 år (210–299 mdr.)"));
    assert!(html.contains("C1, C2"));
    assert!(html.contains("<td class=\"num\">1,7</td>"), "SSP+ 2013 budget");
    assert!(html.contains("<th scope=\"col\""));
    assert!(html.contains("<caption>"));
    assert_no_inline_code(&html);
});

store_test!(an_initiative_page_shows_every_field_and_the_memo_verbatim, |db| async move {
    let app = spawn_app(db).await;
    let html = app.text("/indsatser/SSPPLUS", 200).await;
    assert!(html.contains("<h1>SSP/SSP+/national-EXIT</h1>"));
    for expected in [
        "Bydækkende",
        "Kriminel løbebane",
        "Krimiteamet, JKU",
        "Københavns Politi",
        "17½–24 år (210–299 mdr.)",
        "OPERA",
        "BIU, ØU – årligt",
        "C1",
        "C2",
        "Notatets ordlyd",
        "100 unge modtager tilbud.",
        "Her måles antal borgere og afslutningsårsag via OPERA",
        "<abbr title=\"bevilling ophørt\">–</abbr>",
    ] {
        assert!(html.contains(expected), "SSPPLUS page lacks {expected:?}");
    }
    let quote = html.find("<blockquote>").unwrap();
    assert!(html[quote..].contains("100 unge modtager tilbud."), "memo words in the quote");
    assert_no_inline_code(&html);
    let exit = app.text("/indsatser/EXIT", 200).await;
    assert!(exit.contains("25 helårspladser"));
    // The definitions are in Danish on a Danish page, in English on an English one.
    assert!(html.contains("<td lang=\"da\">antal forskellige borgere med et tilbud"), "C1 in Danish");
    assert!(
        !html.contains("<td lang=\"en\">") && !html.contains("SSPPLUS enrollment"),
        "no English definition"
    );
    let english = app.text("/indsatser/SSPPLUS?lang=en", 200).await;
    assert!(
        english.contains("<td lang=\"en\">distinct citizens with an offer starting in P"),
        "C1 in English"
    );
});

store_test!(an_unknown_initiative_is_a_danish_404_page, |db| async move {
    let app = spawn_app(db).await;
    for path in ["/indsatser/NOPE", "/indsatser/sspplus", "/findes-ikke"] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 404, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = response.text().await.unwrap();
        assert!(html.contains("<h1>Siden findes ikke</h1>"), "{path}");
        assert!(html.contains("<html lang=\"da\">"));
    }
});

store_test!(the_budget_page_shows_computed_totals_and_explains_empty_cells, |db| async move {
    let app = spawn_app(db).await;
    let html = app.text("/budget", 200).await;
    let footer = &html[html.find("<tfoot>").unwrap()..html.find("</tfoot>").unwrap()];
    for total in ["21,7", "21,6", "19,5", "8,4"] {
        assert!(footer.contains(&format!("<td class=\"num\">{total}</td>")), "{total}");
    }
    assert!(footer.contains("I alt"));
    assert!(html.contains("<td class=\"num empty\" title=\"ingen bevilling\"></td>"));
    assert!(html.contains("<abbr title=\"bevilling ophørt\">–</abbr>"));
    assert!(html.contains("Tom celle: ingen bevilling det år."));
    assert!(html.contains("<td class=\"num\">0,8</td>"));
    assert!(html.contains("<a href=\"/indsatser/SSPPLUS\">SSP+</a>"));
    assert!(!html.contains(">-<"), "the memo's dash is shown as an en dash");
    assert_no_inline_code(&html);
});

store_test!(the_budget_chart_is_an_accessible_inline_svg, |db| async move {
    let app = spawn_app(db).await;
    let html = app.text("/budget", 200).await;
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("aria-label=\"Stablet søjlediagram"));
    assert!(svg.contains("<title>Hotspot 2012: 7,0 mio. kr.</title>"));
    assert!(svg.contains("<title>SSP+ 2014: 1,7 mio. kr.</title>"));
    assert!(svg.contains(">21,7</text>") && svg.contains(">8,4</text>"));
    // Fourteen lines: the six largest have their own colour, the rest are one segment.
    assert_eq!(svg.matches("<text x=\"438\"").count(), 7, "seven legend entries");
    assert!(svg.contains(">Øvrige budgetlinjer (8)</text>"), "the smaller lines merged");
    assert!(!svg.contains(">SSP-bestyrelsen</text>"), "a small line is in the merged segment");
    assert!(html.contains("SSP-bestyrelsen"), "and still in the table");
});

store_test!(figure_one_places_the_initiatives_by_scope_and_phase, |db| async move {
    let app = spawn_app(db).await;
    let html = app.text("/figur-1", 200).await;
    assert!(html.contains("<h1>Figur 1: Indsatserne i kriminalitetscyklussen</h1>"));
    for phase in ["Forebyggelse", "Tidlig indsats", "Kriminel løbebane", "Afsoning", "Løsladelse"] {
        assert!(html.contains(&format!("<th scope=\"col\">{phase}</th>")), "{phase}");
    }
    let rows: Vec<&str> = html.split("<th scope=\"row\">").skip(1).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[0].starts_with("Bydækkende") && rows[0].contains("/indsatser/DOMTE"));
    assert!(rows[1].starts_with("Områdebaserede") && rows[1].contains("/indsatser/HOTSPOT"));
    assert!(!rows[1].contains("/indsatser/DOMTE"));
    assert!(html.contains("aria-current=\"page\">Figur 1</a>"));
});

store_test!(choosing_english_is_remembered_in_a_cookie, |db| async move {
    let app = spawn_app(db).await;
    let danish = app.text("/budget", 200).await;
    assert!(danish.contains("href=\"/budget?lang=en\""));
    let response = app.get("/?lang=en").await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains(">Overview</a>") && html.contains(">Figure 1</a>"));
    assert!(html.contains("href=\"/?lang=da\""));
    // The client keeps the cookie, as a browser does.
    let budget = app.text("/budget", 200).await;
    assert!(budget.contains("<th scope=\"row\">Total</th>"));
    assert!(budget.contains("<td class=\"num\">21.7</td>"));
    let missing = app.text("/indsatser/NOPE?lang=en", 404).await;
    assert!(missing.contains("Page not found"));
});

store_test!(the_stylesheet_is_served_as_css, |db| async move {
    let app = spawn_app(db).await;
    let response = app.get("/static/style.css").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    assert!(response.text().await.unwrap().contains("tfoot"));
});
