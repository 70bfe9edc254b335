//! Corrections, not overwrites, over HTTP on both backends: the end forms list only what is
//! open; ending what is ended, an overlapping enrollment and a future fact come back with the
//! field named in the user's language and nothing stored; a correction needs a reason and shows
//! in the citizen page's history.

mod case_support;
mod common;

use case_support::{assert_no_inline_code, post, valid_cpr};
use common::{spawn_app, TestApp};
use sikkerby_testkit::store_test;

/// A registered citizen, enrolled in DOMTE from 1 June 2011 and ended 25 May 2012 "frafald".
async fn ended_citizen(app: &TestApp) -> (String, String) {
    let citizen = app.register(&[("cpr", &valid_cpr("010190", 3)), ("navn", "Rettet Borger")]).await;
    let enroll =
        [("indsats", "DOMTE"), ("start", "2011-06-01"), ("tovholder", "BIF"), ("center", "JKU Nord")];
    location(&post(app, &format!("{citizen}/forloeb"), &enroll).await);
    let page = app.text(&citizen, 200).await;
    let enrollment = first_option(&page, "afslut-forloeb-forloeb_id");
    let end = [
        ("forloeb_id", enrollment.as_str()),
        ("slut", "25-05-2012"),
        ("afslutningsaarsag", "frafald_udeblivelse"),
    ];
    location(&post(app, &format!("{citizen}/forloeb/afslut"), &end).await);
    (citizen, enrollment)
}

fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status().as_u16(), 303, "Post/Redirect/Get");
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The value of the first real option of the select with `id`.
fn first_option(html: &str, id: &str) -> String {
    let select = &html[html.find(&format!("<select id=\"{id}\"")).unwrap_or_else(|| panic!("no {id}"))..];
    let select = &select[..select.find("</select>").unwrap()];
    let second = select.match_indices("<option value=\"").nth(1).expect("an option besides 'Vælg'").0;
    let rest = &select[second + "<option value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

store_test!(
    an_ended_enrollment_is_not_offered_to_end_again_and_a_post_that_tries_is_refused,
    |db| async move {
        let app = spawn_app(db).await;
        let (citizen, enrollment) = ended_citizen(&app).await;
        let page = app.text(&citizen, 200).await;
        assert!(!page.contains("<legend>Afslut forløb</legend>"), "nothing open to end");
        assert!(page.contains("<legend>Ret afslutning</legend>"));
        let again =
            [("forloeb_id", enrollment.as_str()), ("slut", "2014-06-01"), ("afslutningsaarsag", "andet")];
        let refused = post(&app, &format!("{citizen}/forloeb/afslut"), &again).await;
        assert_eq!(refused.status().as_u16(), 422);
        let html = refused.text().await.unwrap();
        assert!(
            html.contains(
                "Forløb: er allerede afsluttet 25. maj 2012; brug «Ret afslutning» for at ændre den"
            ),
            "the refusal names the field and the reason"
        );
        let page = app.text(&citizen, 200).await;
        assert!(page.contains("<time datetime=\"2012-05-25\">"), "the first end stands");
        assert!(!page.contains("2014-06-01"), "nothing of the refused end is stored");
        assert_no_inline_code(&html);
    }
);

store_test!(a_correction_needs_a_reason_and_shows_in_the_history_in_both_languages, |db| async move {
    let app = spawn_app(db).await;
    let (citizen, enrollment) = ended_citizen(&app).await;
    let record = format!("forloeb:{enrollment}");
    let fields = [("post", record.as_str()), ("slut", "2012-06-01"), ("afslutningsaarsag", "andet")];
    let refused = post(&app, &format!("{citizen}/rettelser/afslutning"), &fields).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains(
        "<a href=\"#ret-afslutning-begrundelse\">Begrundelse for rettelsen: en rettelse skal begrundes</a>"
    ));
    let with_reason = [fields.as_slice(), &[("begrundelse", "tastefejl")]].concat();
    let saved = location(&post(&app, &format!("{citizen}/rettelser/afslutning"), &with_reason).await);
    let page = app.text(&saved, 200).await;
    assert!(page.contains("<h2 id=\"rettelser\">Rettelser</h2>"));
    for cell in [
        "<td>Slutdato</td>",
        "<td>25. maj 2012</td>",
        "<td>1. juni 2012</td>",
        "<td>tastefejl</td>",
        "<td>test-caseworker</td>",
    ] {
        assert!(page.contains(cell), "history lacks {cell}");
    }
    assert!(page.contains("<td>Afslutningsårsag</td>"), "the end reason's change too");
    let english = app.text(&format!("{citizen}?lang=en"), 200).await;
    assert!(
        english.contains("<h2 id=\"rettelser\">Corrections</h2>") && english.contains("<td>1 June 2012</td>")
    );
});

store_test!(an_overlapping_enrollment_and_a_future_event_are_refused_with_the_field_named, |db| async move {
    let app = spawn_app(db).await;
    let citizen = app.register(&[("cpr", &valid_cpr("010190", 4)), ("navn", "Overlap")]).await;
    let enroll =
        [("indsats", "DOMTE"), ("start", "2011-06-01"), ("tovholder", "BIF"), ("center", "JKU Nord")];
    location(&post(&app, &format!("{citizen}/forloeb"), &enroll).await);
    let second =
        [("indsats", "DOMTE"), ("start", "2012-01-01"), ("tovholder", "BIF"), ("center", "JKU Nord")];
    let refused = post(&app, &format!("{citizen}/forloeb"), &second).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Startdato: overlapper et åbent forløb i samme indsats (fra 1. juni 2011)"));
    let conviction = [("haendelse", "dom"), ("dato", "2030-01-01")];
    app.text(&format!("{citizen}?lang=en"), 200).await; // the cookie keeps English for the post
    let refused = post(&app, &format!("{citizen}/haendelser"), &conviction).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Date: the date lies in the future"), "in the user's language");
    let page = app.text(&format!("{citizen}?lang=da"), 200).await;
    assert_eq!(page.matches("Forløb startet").count(), 1, "one enrollment stored");
    assert!(!page.contains("2030"), "no conviction stored");
});
