//! The safety-index pages over HTTP, on SQLite and PostgreSQL, with a small generated data set:
//! the district tiles, an area's page, the goal tracker and the half-yearly picture show the
//! computed figures, in words as well as patterns, and small counts of young people as `<5`.

mod common;

use common::{spawn_app, TestApp};
use sikkerby_app::Evaluator;
use sikkerby_domain::safety_index::IndexResult;
use sikkerby_store::opera::ImportOptions;
use sikkerby_testkit::tryghed::generate_small;
use sikkerby_testkit::{store_test, TestDatabase};
use sqlx::Row;
use std::sync::Arc;

/// The app over a database holding the generated area and case data, and the index as computed.
async fn app_with_data(
    db: TestDatabase,
) -> (TestApp, Arc<IndexResult>, sikkerby_store::Store, tempfile::TempDir) {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = generate_small(dir.path());
    let all = ImportOptions { partial: false };
    store.import_tryghed(&folder, all).await.unwrap();
    store.import_opera(&dir.path().join("opera"), all, &|_| {}).await.unwrap();
    let (index, _) = Evaluator::load(store.clone()).await.unwrap().index().await.unwrap();
    (spawn_app(db).await, index, store, dir)
}

fn da(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

fn assert_no_inline_code(html: &str) {
    assert!(!html.contains("<script") && !html.contains(" style=") && !html.contains("<style"));
}

store_test!(
    the_district_overview_tiles_all_12_districts_with_categories_in_words,
    |db: TestDatabase| async move {
        let (app, index, _store, _dir) = app_with_data(db).await;
        let html = app.text("/bydele", 200).await;
        assert!(html.contains("aria-current=\"page\">Tryghed</a>"), "in the navigation");
        assert_eq!(html.matches("<g class=\"tile\">").count(), 12);
        // Each tile leads to its district's areas below the map.
        assert!(html.contains("<a href=\"#bydel-noerrebro\" aria-label=\"Nørrebro: "), "tiles are links");
        assert!(html.contains("<h3 id=\"bydel-noerrebro\">"), "the tile's target is on the page");
        for district in ["Brønshøj-Husum", "Nørrebro", "Amager Øst", "Kongens Enghave"] {
            assert!(html.contains(&format!("font-weight=\"bold\">{district}</text>")), "{district}");
        }
        assert!(html.contains("fill=\"url(#p-"), "patterns, not colour alone");
        let latest = index.years.last().unwrap();
        assert!(html.contains(&format!("Tryghed i bydele og områder {}", latest.year)));
        for area in &latest.areas {
            let words = match area.category.map(|c| c.code()) {
                Some("tryg") => "Tryg",
                Some("behov_for_indsats") => "Behov for indsats",
                Some("markant") => "Behov for markant indsats",
                Some("intensiveret") => "Behov for intensiveret indsats",
                _ => "Ingen kategori",
            };
            let link = format!("href=\"/omraader/{}\">", area.area);
            let at = html.find(&link).unwrap_or_else(|| panic!("{} is listed", area.area));
            let line = &html[at..at + html[at..].find("</li>").unwrap()];
            assert!(line.contains(&format!("</a>: {words}")), "{line}");
        }
        let english = app.text("/bydele?lang=en&aar=2012", 200).await;
        assert!(english.contains("Safety in districts and areas 2012") && english.contains("Needs"));
        assert_eq!(app.get("/bydele?aar=1999").await.status().as_u16(), 404);
        assert_eq!(app.get("/bydele?aar=x").await.status().as_u16(), 422);
        assert_no_inline_code(&html);
    }
);

store_test!(
    an_area_page_shows_t_with_its_band_the_components_and_the_history,
    |db: TestDatabase| async move {
        let (app, index, _store, _dir) = app_with_data(db).await;
        let html = app.text("/omraader/tingbjerg", 200).await;
        assert!(html.contains("<h1>Tingbjerg/Utterslevhuse</h1>"));
        assert!(html.contains("Område i Brønshøj-Husum"));
        let svg = &html[html.find("<svg").unwrap()..];
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\""),
            "the one trend chart"
        );
        assert!(svg.contains("<polygon class=\"band\"") && svg.contains("<polyline"), "band and line");
        assert_eq!(svg.matches("class=\"reference\"").count(), 3, "the three category cut points");
        for year in &index.years {
            let a = year.areas.iter().find(|a| a.area == "tingbjerg").unwrap();
            let row = format!("<th scope=\"row\">{}</th>", year.year);
            let at = html.find(&row).unwrap();
            let cells = &html[at..at + html[at..].find("</tr>").unwrap()];
            for figure in [da(a.r.unwrap()), da(a.t.unwrap()), format!("{} %", da(a.night.unwrap() * 100.0))]
            {
                assert!(cells.contains(&format!(">{figure}</td>")), "{} lacks {figure}: {cells}", year.year);
            }
            assert!(svg.contains(&format!("<title>{}: T {}", year.year, da(a.t.unwrap()))));
        }
        assert!(html.contains("<li>2012: ") && html.contains("første år med data"));
        assert_eq!(app.get("/omraader/atlantis").await.status().as_u16(), 404);
        assert_no_inline_code(&html);
    }
);

store_test!(
    the_goal_tracker_shows_the_counts_the_target_line_and_the_status,
    |db: TestDatabase| async move {
        let (app, index, _store, _dir) = app_with_data(db).await;
        let html = app.text("/maal", 200).await;
        let base = index.c19_goal(2012, 2012).unwrap().base_count;
        assert!(html.contains(&format!("<dt>Antal i basisåret</dt><dd>{base}</dd>")));
        for year in [2012, 2013, 2014] {
            let count = index.c19_goal(2012, year).unwrap().count;
            assert!(
                html.contains(&format!(
                    "<th scope=\"row\">{year}</th>\n      <td class=\"num\">{count}</td>"
                )),
                "{year}"
            );
        }
        let svg = &html[html.find("<svg").unwrap()..];
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\""),
            "the one trend chart"
        );
        assert!(svg.contains("class=\"target\"") && svg.contains("<title>Mål: højst"), "the target line");
        let count_2013 = index.c19_goal(2012, 2013).unwrap().count;
        assert!(svg.contains(&format!("<title>2013: {count_2013}</title>")), "each year's count in its mark");
        assert!(
            html.contains("Ikke på vej mod målet") || html.contains("På vej mod målet"),
            "status in words"
        );
        assert!(html.contains("Målet skal være nået senest i 2014"), "the memo's words");
    }
);

store_test!(the_half_yearly_picture_protects_small_counts_of_young_people, |db: TestDatabase| async move {
    let (app, _index, store, _dir) = app_with_data(db).await;
    let html = app.text("/uroligeomraader?halvaar=2013H1", 200).await;
    assert!(
        html.contains("<h1>Urolige områder: halvårsbillede 1. halvår 2013</h1>"),
        "the half-year in words"
    );
    assert!(html.contains("(30. juni 2013)"), "the last day as a Danish date");
    assert!(html.contains("Tryghedsindeks fra 2013"));
    assert!(
        html.contains("<td>SSP-ledergruppen</td>") && html.contains("<td>Politiet</td>"),
        "sources in words"
    );
    assert!(!html.contains("ssp_ledergruppe") && !html.contains(">2013H1<"), "no codes shown");
    let english = app.text("/uroligeomraader?halvaar=2013H1&lang=en", 200).await;
    assert!(english.contains("first half of 2013") && english.contains("<td>SSP leader group</td>"));
    let districts = sqlx::query("SELECT id, name FROM district").fetch_all(store.pool()).await.unwrap();
    let mut shown = 0;
    for d in districts {
        let (id, name): (String, String) = (d.get(0), d.get(1));
        // Counted here without the store's query: citizens of the district active on 30 June.
        let active: i64 = sqlx::query(
            "SELECT COUNT(DISTINCT c.id) FROM citizen c JOIN area a ON a.id = c.area_id
             JOIN enrollment e ON e.citizen_id = c.id
             WHERE a.district_id = $1 AND e.start_date <= '2013-06-30'
               AND (e.end_date IS NULL OR e.end_date >= '2013-06-30')",
        )
        .bind(&id)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
        let row = format!("<a href=\"#bydel-{id}\">{name}</a></th><td class=\"num\">");
        let at = html.find(&row).unwrap_or_else(|| panic!("{name} has a row")) + row.len();
        let cell = &html[at..at + html[at..].find("</td>").unwrap()];
        if (1..5).contains(&active) {
            assert_eq!(cell, "&#60;5", "{name}: {active}");
        } else if cell != "&#60;5" {
            assert_eq!(cell, active.to_string(), "{name}");
            shown += 1;
        }
    }
    assert!(shown > 0, "some counts are shown");
    assert_eq!(app.get("/uroligeomraader?halvaar=2013H3").await.status().as_u16(), 422);
    assert_no_inline_code(&html);
});

/// The text a reader sees: the page without its tags (attributes such as `href` may hold ids).
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `text` holds `word` standing alone (not inside a longer identifier or word).
fn holds_word(text: &str, word: &str) -> bool {
    let identifier = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(identifier) && !after.is_some_and(identifier)
    })
}

store_test!(
    no_danish_page_shows_an_area_district_or_source_code_where_its_name_belongs,
    |db: TestDatabase| async move {
        let (app, _index, store, _dir) = app_with_data(db).await;
        let geography = store.geography().await.unwrap();
        let codes: Vec<String> = geography
            .areas
            .iter()
            .map(|a| a.id.clone())
            .chain(geography.districts.iter().map(|d| d.id.clone()))
            .filter(|id| id.contains('_'))
            .chain(["ssp_ledergruppe", "2013H1", "2013H2"].map(str::to_owned))
            .collect();
        assert!(codes.len() > 10, "the scan knows the codes: {codes:?}");
        for page in [
            "/resultater/C4?year=2013&as_of=2014-05-31&by=area",
            "/resultater/C3?year=2013&by=area",
            "/bydele?aar=2013",
            "/omraader/tingbjerg",
            "/uroligeomraader?halvaar=2013H1",
            "/maal",
        ] {
            let text = visible_text(&app.text(page, 200).await);
            for code in &codes {
                assert!(!holds_word(&text, code), "{page} shows the code {code}");
            }
        }
        // The drill-down by area names the areas.
        let by_area = visible_text(&app.text("/resultater/C1?year=2013&by=area", 200).await);
        let named = geography.areas.iter().filter(|a| by_area.contains(&a.name)).count();
        assert!(named > 0 || by_area.contains("Opdelingen er skjult"), "areas by name: {by_area}");
    }
);

store_test!(
    a_drill_down_downloads_as_csv_and_xlsx_with_the_figures_the_page_shows,
    |db: TestDatabase| async move {
        let (app, _index, _store, _dir) = app_with_data(db).await;
        let query = "year=2013&as_of=2014-05-31&by=area";
        let page = app.text(&format!("/resultater/C3?{query}"), 200).await;
        assert!(page.contains(&format!(
            "href=\"/resultater/C3/eksport?{}&amp;format=csv\"",
            query.replace('&', "&#38;")
        )));
        // Each shown row of the page: the group and its value.
        let rows: Vec<(String, String)> = page
            .split("<th scope=\"row\">")
            .skip(1)
            .map(|part| {
                let group = part[..part.find("</th>").unwrap()].to_owned();
                let cell = &part[part.find("<td class=\"num\">").unwrap() + 16..];
                // The figure without its footnote mark, unescaped as a spreadsheet shows it.
                let cell = &cell[..cell.find("</td>").unwrap()];
                let figure = cell.split("<a class=\"fn\"").next().unwrap();
                (group, visible_text(figure).trim().replace("&#60;", "<"))
            })
            .collect();
        assert!(rows.len() > 5, "the page shows the breakdown");

        let csv = app.get(&format!("/resultater/C3/eksport?{query}&format=csv")).await;
        assert_eq!(csv.status().as_u16(), 200);
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("saertraek-C3-2013-area.csv"));
        let text = csv.text().await.unwrap();
        assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
        assert!(text.contains("\r\nOmråde;Resultat\r\n"), "{text}");
        for (group, value) in &rows {
            assert!(text.contains(&format!("\r\n{group};{value}\r\n")), "{group} {value} in\n{text}");
        }

        let xlsx = app.get(&format!("/resultater/C3/eksport?{query}&format=xlsx")).await;
        assert_eq!(xlsx.status().as_u16(), 200);
        let bytes = xlsx.bytes().await.unwrap().to_vec();
        use calamine::{DataType, Reader};
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Tabel").unwrap();
        assert_eq!(sheet.get_value((0, 0)).unwrap().to_string(), "Område");
        assert_eq!(sheet.get_value((1, 0)).unwrap().to_string(), rows[0].0, "the same first group");
        let first: f64 = rows[0].1.replace('.', "").parse().unwrap_or(f64::NAN);
        if first.is_finite() {
            assert_eq!(sheet.get_value((1, 1)).unwrap().get_float(), Some(first), "a count as a number");
        }
        assert_eq!(
            app.get(&format!("/resultater/C3/eksport?{query}&format=pdf")).await.status().as_u16(),
            422
        );
        assert_eq!(app.get("/resultater/C3/eksport?year=x&format=csv").await.status().as_u16(), 422);
    }
);

store_test!(
    the_dashboard_downloads_its_table_with_the_published_figures_and_no_withheld_number,
    |db: TestDatabase| async move {
        let (app, _index, store, _dir) = app_with_data(db).await;
        let shares: Vec<String> = store
            .criteria()
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.kind == sikkerby_domain::criteria::CriterionKind::ShareAtLeast)
            .map(|c| c.id)
            .collect();
        let query = "year=2013&as_of=2014-05-31";
        let page = app.text(&format!("/resultater?{query}"), 200).await;
        assert!(page.contains("href=\"/resultater/eksport?year=2013&#38;as_of=2014-05-31&amp;format=csv\""));
        let csv = app.get(&format!("/resultater/eksport?{query}&format=csv")).await;
        assert_eq!(csv.status().as_u16(), 200);
        assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("resultater-2013.csv"));
        let text = csv.text().await.unwrap();
        assert!(text.contains("\r\nIndsats;Kriterium;Status;Resultat;Mål;Tæller;Nævner;"), "{text}");
        let rows: Vec<Vec<&str>> = text.split("\r\n").map(|l| l.split(';').collect()).collect();
        // The same figures as the API publishes for the same selection.
        let api = app.json(&format!("/api/v1/results?{query}"), 200).await;
        let mut compared = 0;
        for result in api["results"].as_array().unwrap() {
            let id = result["criterion"].as_str().unwrap();
            assert!(text.contains(&format!("{id}: ")), "{id} is not in the download");
            if !shares.iter().any(|s| s == id) {
                continue;
            }
            // A share's memo words hold no field separator or line break, so its row splits.
            let row = rows
                .iter()
                .find(|r| r.get(1).is_some_and(|c| c.starts_with(&format!("{id}: "))))
                .unwrap_or_else(|| panic!("{id} is not in the download"));
            match result["numerator"].as_u64() {
                Some(n) => assert_eq!(row[5].replace('.', ""), n.to_string(), "{id} numerator"),
                None => {
                    assert!(["<5", "·"].contains(&row[5]), "{id}: withheld, shown as its mark: {:?}", row[5])
                }
            }
            compared += 1;
        }
        assert!(compared >= 4, "only {compared} shares compared");
        let c1 = rows.iter().find(|r| r.get(1).is_some_and(|c| c.starts_with("C1: "))).expect("C1's row");
        assert_eq!((c1[5], c1[6]), ("", ""), "a count has no numerator or denominator, as on the page");
        let xlsx = app.get(&format!("/resultater/eksport?{query}&format=xlsx")).await;
        assert_eq!(xlsx.status().as_u16(), 200);
        assert_eq!(app.get(&format!("/resultater/eksport?{query}&format=doc")).await.status().as_u16(), 422);
        assert_eq!(app.get("/resultater/eksport?year=1066&format=csv").await.status().as_u16(), 422);
    }
);

/// A cell's text as a spreadsheet shows it: the tags dropped, the entities askama writes undone.
fn cell_text(html: &str) -> String {
    let text = visible_text(html);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
}

/// The body rows of the page's first table of `class`, each as its cells' texts.
fn table_rows(html: &str, class: &str) -> Vec<Vec<String>> {
    let table =
        &html[html.find(&format!("<table class=\"{class}\">")).unwrap_or_else(|| panic!("{class}"))..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            // Each cell ends with its closing tag; its content starts after its opening tag.
            let row = row.replace("</th>", "</td>");
            let mut pieces: Vec<&str> = row.split("</td>").collect();
            pieces.pop();
            pieces.iter().map(|p| cell_text(&p[p.find('>').unwrap() + 1..])).collect()
        })
        .collect()
}

/// Downloads `path` as CSV and as XLSX: the CSV's text (checked for Danish Excel) and the
/// workbook's sheet as text cells, rows of the header and the data.
async fn download_both(app: &TestApp, path: &str, file: &str) -> (String, Vec<Vec<String>>) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let csv = app.get(&format!("{path}{sep}format=csv")).await;
    assert_eq!(csv.status().as_u16(), 200, "{path} as CSV");
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(csv.headers()["cache-control"], "no-store");
    let disposition = csv.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains(&format!("{file}.csv")), "{disposition}");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    let xlsx = app.get(&format!("{path}{sep}format=xlsx")).await;
    assert_eq!(xlsx.status().as_u16(), 200, "{path} as XLSX");
    assert!(xlsx.headers()["content-disposition"].to_str().unwrap().contains(&format!("{file}.xlsx")));
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Tabel").unwrap();
    let cells = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(app.get(&format!("{path}{sep}format=pdf")).await.status().as_u16(), 422, "{path}");
    (text, cells)
}

/// A figure in Danish notation as the number a spreadsheet holds ("12,3 %" → 0.123).
fn danish_value(text: &str) -> Option<f64> {
    let (digits, scale) = match text.strip_suffix(" %") {
        Some(rest) => (rest, 100.0),
        None => (text, 1.0),
    };
    digits.replace(',', ".").parse::<f64>().ok().map(|v| v / scale)
}

/// The download's rows hold the page's rows: the CSV line by line, the XLSX cell by cell (a
/// figure as its number).
fn assert_rows_match(page: &[Vec<String>], csv: &str, xlsx: &[Vec<String>], what: &str) {
    assert!(!page.is_empty(), "{what}: the page shows rows");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    let header = lines.iter().position(|l| l.is_empty()).unwrap() + 1;
    for (i, row) in page.iter().enumerate() {
        assert_eq!(lines[header + 1 + i], row.join(";"), "{what}: CSV row {i}");
        let sheet_row = &xlsx[i + 1];
        for (c, cell) in row.iter().enumerate() {
            let shown = &sheet_row[c];
            let same = shown == cell
                || danish_value(cell)
                    .zip(shown.parse::<f64>().ok())
                    .is_some_and(|(a, b)| (a - b).abs() < 1e-9);
            assert!(same, "{what}: XLSX row {i} column {c} is {shown:?}, the page shows {cell:?}");
        }
    }
    assert_eq!(lines[header + 1 + page.len()], "", "{what}: no row more than the page");
}

/// The download is for whoever may open the page, and nobody else: signed out, both send to
/// the sign-in and no file comes.
async fn assert_same_access(app: &TestApp, page: &str, download: &str) {
    app.forget_session();
    for path in [page, download] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 303, "{path} signed out");
        assert!(response.headers()["location"].to_str().unwrap().starts_with("/login"), "{path}");
        assert!(response.headers().get("content-disposition").is_none(), "{path}: no file");
    }
    for role in [sikkerby_domain::access::Role::Admin, sikkerby_domain::access::Role::Analyst] {
        app.login_as(role).await;
        let (shown, got) = (app.get(page).await.status(), app.get(download).await.status());
        assert_eq!(shown, got, "{download} as {role:?}: the page's access");
    }
}

store_test!(
    an_area_page_downloads_its_components_as_csv_and_xlsx_with_the_figures_the_page_shows,
    |db: TestDatabase| async move {
        let (app, index, store, _dir) = app_with_data(db).await;
        let html = app.text("/omraader/tingbjerg", 200).await;
        assert!(html.contains("href=\"/omraader/tingbjerg/eksport?format=csv\" download"), "the link");
        assert!(html.contains("href=\"/omraader/tingbjerg/eksport?format=xlsx\" download"), "the link");
        let rows = table_rows(&html, "index-components");
        assert_eq!(rows.len(), index.years.len(), "a row per year");
        let (csv, xlsx) = download_both(&app, "/omraader/tingbjerg/eksport", "tryghed-tingbjerg").await;
        assert!(csv.contains("\r\nÅr;R: anmeldelser pr. 1.000;V: udsat for kriminalitet;"), "{csv}");
        assert!(csv.contains("Basisår: "), "the notes");
        assert_rows_match(&rows, &csv, &xlsx, "/omraader/tingbjerg");
        // T as the index computed it, one decimal, in the sheet as a number.
        let first = index.years[0].areas.iter().find(|a| a.area == "tingbjerg").unwrap();
        assert_eq!(xlsx[1][5], format!("{:.1}", first.t.unwrap()).trim_end_matches(".0").to_string());
        // With a threshold above the area's respondents the survey figures are withheld, on the
        // page and in the download alike.
        let rules = sikkerby_domain::disclosure::DisclosureRules::new(10).unwrap();
        store.set_disclosure_threshold(rules).await.unwrap();
        let html = app.text("/omraader/tingbjerg", 200).await;
        let rows = table_rows(&html, "index-components");
        assert!(rows.iter().all(|r| r[8] == "<10" && r[5].is_empty() && r[3].is_empty()), "{rows:?}");
        let (csv, xlsx) = download_both(&app, "/omraader/tingbjerg/eksport", "tryghed-tingbjerg").await;
        assert!(csv.contains("\r\n\"<10: færre besvarelser"), "the page's note with the label: {csv}");
        assert_rows_match(&rows, &csv, &xlsx, "/omraader/tingbjerg, withheld");
        assert_eq!(app.get("/omraader/atlantis/eksport?format=csv").await.status().as_u16(), 404);
        assert_same_access(&app, "/omraader/tingbjerg", "/omraader/tingbjerg/eksport?format=csv").await;
    }
);

store_test!(
    the_district_overview_downloads_every_area_with_its_category_and_t_as_the_page_lists_them,
    |db: TestDatabase| async move {
        let (app, index, _store, _dir) = app_with_data(db).await;
        let year = index.years.first().unwrap().year;
        let html = app.text(&format!("/bydele?aar={year}"), 200).await;
        assert!(html.contains(&format!("href=\"/bydele/eksport?aar={year}&amp;format=csv\" download")));
        let (csv, xlsx) =
            download_both(&app, &format!("/bydele/eksport?aar={year}"), &format!("tryghed-bydele-{year}"))
                .await;
        assert!(csv.contains(&format!("\u{feff}Tryghed i bydele og områder {year}\r\n")), "{csv}");
        assert!(csv.contains("\r\nBydel;Bydelens kategori;Område;Kategori;T: indeks\r\n"), "{csv}");
        // Every area of the page's list, under its district, with the page's category and T.
        let mut listed = 0;
        for part in html.split("<h3 id=\"bydel-").skip(1) {
            let heading = &part[part.find('>').unwrap() + 1..part.find("</h3>").unwrap()];
            let (district, district_category) = heading.split_once(": ").unwrap();
            let list = &part[..part.find("</ul>").unwrap_or(part.len())];
            for item in list.split("<li><a href=\"/omraader/").skip(1) {
                let item = &item[..item.find("</li>").unwrap()];
                let name = cell_text(&item[item.find("\">").unwrap() + 2..item.find("</a>").unwrap()]);
                let rest = cell_text(&item[item.find("</a>: ").unwrap() + 6..]);
                let uncertain = rest.ends_with(", usikker");
                let rest = rest.trim_end_matches(", usikker");
                let (category, t) = match rest.split_once(" (T ") {
                    Some((c, t)) => (c.to_owned(), t.trim_end_matches(')').to_owned()),
                    None => (rest.to_owned(), String::new()),
                };
                let category = if uncertain { format!("{category} (usikker)") } else { category };
                let line = format!("\r\n{district};{district_category};{name};{category};{t}\r\n");
                assert!(csv.contains(&line), "{line:?} is not in\n{csv}");
                let in_sheet = xlsx.iter().any(|r| r[2] == name && r[3] == category && r[0] == district);
                assert!(in_sheet, "{name} in the sheet");
                listed += 1;
            }
        }
        let areas = index.years.first().unwrap().areas.len();
        assert_eq!(listed, areas, "every area of the year is on the page");
        assert!(xlsx.len() > areas, "a row per area in the sheet");
        assert_eq!(app.get("/bydele/eksport?aar=1999&format=csv").await.status().as_u16(), 404);
        assert_eq!(app.get("/bydele/eksport?aar=x&format=csv").await.status().as_u16(), 422);
        assert_same_access(&app, "/bydele", "/bydele/eksport?format=xlsx").await;
    }
);

store_test!(
    the_goal_tracker_downloads_its_table_with_the_counts_the_page_and_the_index_show,
    |db: TestDatabase| async move {
        let (app, index, _store, _dir) = app_with_data(db).await;
        let html = app.text("/maal", 200).await;
        assert!(html.contains("href=\"/maal/eksport?format=xlsx\" download"), "the link");
        // The page's status cell holds an icon before the word; the download has the word.
        let rows: Vec<Vec<String>> = table_rows(&html, "goal")
            .into_iter()
            .map(|mut r| {
                let status = r.pop().unwrap();
                r.push(status.split_once(' ').map_or(status.clone(), |(_, w)| w.to_owned()));
                r
            })
            .collect();
        let (csv, xlsx) = download_both(&app, "/maal/eksport", "maal-1").await;
        assert!(csv.contains(
            "\r\nÅr;Antal områder;Andel af basisåret;Fremskrevet til 2014;Uden kategori;Status\r\n"
        ));
        assert_rows_match(&rows, &csv, &xlsx, "/maal");
        for row in &rows {
            let year: i32 = row[0].parse().unwrap();
            let count = index.c19_goal(2012, year).unwrap().count;
            assert_eq!(row[1], count.to_string(), "{year}: the index's count");
        }
        let base = index.c19_goal(2012, 2012).unwrap().base_count;
        assert!(csv.contains(&format!("\r\nAntal i basisåret: {base}\r\n")), "{csv}");
        assert_same_access(&app, "/maal", "/maal/eksport?format=csv").await;
    }
);
