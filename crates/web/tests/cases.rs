//! The caseworker pages over HTTP, on SQLite and PostgreSQL: finding and registering citizens,
//! the citizen page with its timeline and forms (Post/Redirect/Get, errors named beside their
//! fields, warnings confirmed), and the overdue worklist.

mod case_support;
mod common;

use case_support::{assert_no_inline_code, post, spawn_with_cohort, COHORT, POSITIVE};
use common::spawn_app;
use sikkerby_testkit::store_test;

/// The `Location` of a redirect, after asserting it is a 303.
fn see_other(response: &reqwest::Response) -> String {
    assert_eq!(response.status().as_u16(), 303, "Post/Redirect/Get");
    response.headers()["location"].to_str().unwrap().to_owned()
}

store_test!(the_search_finds_citizens_by_cpr_prefix_or_name_and_shows_the_cpr_masked, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    let html = app.text("/borgere?q=010190", 200).await;
    assert!(html.contains("<code>010190-xxxx</code>"));
    assert!(html.contains("Kohorte Person 00"));
    assert!(html.contains(&format!("href=\"/borgere/{}\"", cohort.citizens[0])));
    let full = case_support::valid_cpr("010190", 0);
    assert!(!html.contains(&full) && !html.contains(&full[6..]), "never the full number in a list");
    let by_name = app.text("/borgere?q=person%201", 200).await;
    assert_eq!(by_name.matches("Kohorte Person 1").count(), 2, "persons 10 and 11 (name cells)");
    assert!(by_name.contains("value=\"person 1\""), "the query is kept in the field");
    let none = app.text("/borgere?q=Ingen%20S%C3%A5dan", 200).await;
    assert!(none.contains("Ingen borgere matcher søgningen."));
    let empty = app.text("/borgere", 200).await;
    assert!(empty.contains("<label for=\"soeg-q\">CPR-nummer eller navn</label>"));
    assert!(!empty.contains("<table"), "no search, no table");
    assert_no_inline_code(&html);
});

store_test!(a_modulus_11_warning_brings_a_confirmation_box_and_the_confirmation_is_stored, |db| async move {
    let app = spawn_app(db).await;
    let first = post(&app, "/borgere/ny", &[("cpr", "010165-1234"), ("navn", "Advarsel Test")]).await;
    assert_eq!(first.status().as_u16(), 422, "not stored until confirmed");
    let html = first.text().await.unwrap();
    assert_eq!(html.matches("modulus 11").count(), 1, "the warning is said once, in its box");
    assert!(html.contains("type=\"checkbox\" id=\"borger-bekraeft\" name=\"bekraeft\""));
    assert!(html.contains("value=\"010165-1234\"") && html.contains("value=\"Advarsel Test\""), "input kept");
    assert!(app.text("/borgere?q=010165", 200).await.contains("Ingen borgere"), "nothing stored");
    let location =
        app.register(&[("cpr", "010165-1234"), ("navn", "Advarsel Test"), ("bekraeft", "ja")]).await;
    let page = app.text(&location, 200).await;
    assert!(page.contains("<code>010165-xxxx</code>"));
    assert!(page.contains("Består ikke modulus 11-kontrollen – bekræftet ved registreringen"));
    assert!(!page.contains("0101651234") && !page.contains("010165-1234"), "the CPR is masked");
    assert_no_inline_code(&page);
});

store_test!(an_invalid_cpr_is_named_beside_its_field_and_nothing_is_stored, |db| async move {
    let app = spawn_app(db).await;
    let form = app.text("/borgere/ny", 200).await;
    assert!(form.contains(
        "<label for=\"borger-cpr\">CPR-nummer <span class=\"req\" aria-hidden=\"true\">*</span></label>"
    ));
    assert!(form.contains("<option value=\"tingbjerg\">"), "the areas to choose from");
    assert_no_inline_code(&form);
    let response = post(&app, "/borgere/ny", &[("cpr", "3102001234"), ("navn", "Ugyldig Dato")]).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("<a href=\"#borger-cpr\">CPR-nummer: "), "the summary links to the field");
    assert!(html.contains("<p class=\"field-error\" id=\"borger-cpr-error\">"));
    assert!(html.contains(
        "id=\"borger-cpr\" name=\"cpr\" value=\"3102001234\" aria-required=\"true\" \
         aria-describedby=\"borger-cpr-hint borger-cpr-error\" aria-invalid=\"true\""
    ));
    assert!(html.contains("<fieldset>") && html.contains("<legend>Borgerens oplysninger</legend>"));
    assert!(html.contains("CPR-nummer 310200-xxxx: fødselsdatoen findes ikke"), "in Danish, masked");
    let short = post(&app, "/borgere/ny", &[("cpr", "12345")]).await.text().await.unwrap();
    assert!(short.contains("et CPR-nummer har 10 cifre, dette har 5"), "{short}");
    assert!(app.text("/borgere?q=Ugyldig", 200).await.contains("Ingen borgere"), "nothing stored");
    // In English when the user reads English.
    app.text("/borgere/ny?lang=en", 200).await;
    let english = post(&app, "/borgere/ny", &[("cpr", "3102001234")]).await.text().await.unwrap();
    assert!(english.contains("CPR number 310200-xxxx: its birth date does not exist"), "{english}");
});

store_test!(
    the_citizen_page_shows_the_timeline_in_date_order_with_follow_up_state_in_words,
    |db| async move {
        let (app, cohort) = spawn_with_cohort(db).await;
        let html = app.text(&format!("/borgere/{}", cohort.citizens[0]), 200).await;
        let order = [
            "Forløb startet: Helhedsorienteret indsats",
            "Livshændelse: Løsladelse",
            "Forløb startet: Krimiteamet",
            "Tilbud startet: Vejledning og opkvalificering",
            "Opfølgning: løsladelse",
        ];
        let positions: Vec<usize> =
            order.iter().map(|o| html.find(o).unwrap_or_else(|| panic!("{o}"))).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "date order: {positions:?}");
        assert!(html.contains("Udført: 1. maj 2013 – Beskæftiget (positiv)"));
        assert!(html.contains("sagsbehandlerkode: JKU-A17") && html.contains("center: JKU Nord"));
        let open = app.text(&format!("/borgere/{}", cohort.open[0].0), 200).await;
        assert!(open.contains("<tr class=\"follow-up overdue\">"));
        assert!(open.contains("Overskredet: "), "overdue in words, not colour alone");
        for legend in
            ["Registrér opfølgning", "Opret forløb", "Tilføj tilbud", "Afslut forløb", "Ret hændelsesdato"]
        {
            assert!(open.contains(&format!("<legend>{legend}</legend>")), "{legend}");
        }
        // Only the forms that can be used now: no offer to end, nothing ended or recorded.
        for legend in ["Afslut tilbud", "Ret afslutning", "Ret opfølgning"] {
            assert!(!open.contains(&format!("<legend>{legend}</legend>")), "{legend} shown without use");
        }
        assert!(
            html.contains("<legend>Afslut tilbud</legend>")
                && html.contains("<legend>Ret opfølgning</legend>")
        );
        assert!(!html.contains("<legend>Registrér opfølgning</legend>"), "its one follow-up is recorded");
        assert!(open.contains(&format!(
            "<option value=\"{}\">forfald 1. maj 2013 – løsladelse (overskredet)",
            cohort.open[0].1
        )));
        assert_no_inline_code(&open);
        assert_eq!(app.get("/borgere/999999").await.status().as_u16(), 404);
        assert_eq!(app.get("/borgere/abc").await.status().as_u16(), 404);
    }
);

store_test!(
    a_follow_up_with_a_bad_date_and_no_name_comes_back_with_both_errors_and_stores_nothing,
    |db| async move {
        let (app, cohort) = spawn_with_cohort(db).await;
        let (citizen, follow_up) = cohort.open[0].clone();
        let path = format!("/borgere/{citizen}/opfoelgninger");
        let fields = [
            ("opfoelgning_id", follow_up.as_str()),
            ("udfoert", "32-13-2013"),
            ("status", "beskaeftiget"),
            ("udfoert_af", ""),
        ];
        let response = post(&app, &path, &fields).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("<a href=\"#opfoelgning-udfoert\">Udført dato: er ikke en gyldig dato"));
        assert!(html.contains("<a href=\"#opfoelgning-udfoert_af\">Udført af: skal udfyldes</a>"));
        assert!(html.contains("name=\"udfoert\" value=\"32-13-2013\""), "the input is kept");
        assert!(html.contains("<option value=\"beskaeftiget\" selected>"), "the choice is kept");
        assert!(html.contains("Overskredet: "), "still open");
        let worklist = app.text("/opfoelgninger?as_of=2014-05-31", 200).await;
        assert_eq!(worklist.matches("<th scope=\"row\"><a href=\"/borgere/").count(), COHORT - POSITIVE);
    }
);

store_test!(a_record_of_another_citizen_cannot_be_written_from_this_citizen_s_page, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    let other = &cohort.open[1].1;
    let path = format!("/borgere/{}/opfoelgninger", cohort.open[0].0);
    let fields = [
        ("opfoelgning_id", other.as_str()),
        ("udfoert", "2013-05-02"),
        ("status", "beskaeftiget"),
        ("udfoert_af", "x"),
    ];
    let response = post(&app, &path, &fields).await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains("Opfølgning: hører ikke til denne borger"));
    let page = app.text(&format!("/borgere/{}", cohort.open[1].0), 200).await;
    assert!(page.contains("Overskredet: "), "the other citizen's follow-up is untouched");
});

store_test!(
    enrolling_outside_the_age_band_brings_a_confirmation_box_and_stores_the_confirmation,
    |db| async move {
        let app = spawn_app(db).await;
        let citizen = app.register(&[("cpr", "0707614285"), ("navn", "Ældre Borger")]).await;
        let fields = [
            ("indsats", "SSPPLUS"),
            ("start", "01-03-2012"),
            ("tovholder", "BIF"),
            ("sagsbehandlerkode", "JKU-A17"),
            ("center", "JKU Nord"),
        ];
        let first = post(&app, &format!("{citizen}/forloeb"), &fields).await;
        assert_eq!(first.status().as_u16(), 422);
        let html = first.text().await.unwrap();
        assert!(html.contains("målgruppen går til"), "the warning's words");
        assert!(html.contains("type=\"checkbox\" id=\"forloeb-bekraeft\" name=\"bekraeft\""));
        assert!(html.contains("name=\"start\" value=\"01-03-2012\""), "input kept");
        assert!(!html.contains("Forløb startet"), "nothing stored");
        let confirmed = [fields.as_slice(), &[("bekraeft", "ja")]].concat();
        let location = see_other(&post(&app, &format!("{citizen}/forloeb"), &confirmed).await);
        assert_eq!(location, format!("{citizen}?gemt=1#tidslinje"));
        let page = app.text(&citizen, 200).await;
        assert!(page.contains("Forløb startet: SSP/SSP+/national-EXIT (SSPPLUS)"));
        assert!(
            page.contains("aldersadvarsel bekræftet: test-caseworker 2012-03-01"),
            "by the signed-in user"
        );
    }
);

store_test!(
    every_citizen_form_redirects_to_the_citizen_page_and_the_timeline_shows_the_record,
    |db| async move {
        let app = spawn_app(db).await;
        let citizen =
            app.register(&[("cpr", &case_support::valid_cpr("150692", 0)), ("omraade", "tingbjerg")]).await;
        let enroll =
            [("indsats", "EXIT"), ("start", "2013-01-10"), ("tovholder", "BIF"), ("center", "JKU Nord")];
        see_other(&post(&app, &format!("{citizen}/forloeb"), &enroll).await);
        let html = app.text(&citizen, 200).await;
        let enrollment = option_value(&html, "tilbud-forloeb_id");
        let offer = [
            ("forloeb_id", enrollment.as_str()),
            ("tilbudstype", "virksomhedspraktik"),
            ("start", "2013-02-01"),
        ];
        see_other(&post(&app, &format!("{citizen}/tilbud"), &offer).await);
        let offer_id = option_value(&app.text(&citizen, 200).await, "afslut-tilbud-tilbud_id");
        let end_offer = [
            ("tilbud_id", offer_id.as_str()),
            ("slut", "2013-04-30"),
            ("afslutningsaarsag", "planmaessigt_afsluttet"),
        ];
        see_other(&post(&app, &format!("{citizen}/tilbud/afslut"), &end_offer).await);
        let event = [("haendelse", "ssp_kategori"), ("dato", "2013-05-05"), ("vaerdi", "3")];
        see_other(&post(&app, &format!("{citizen}/haendelser"), &event).await);
        let job = [("arbejdsgiver", "Netto"), ("start", "2013-06-01")];
        see_other(&post(&app, &format!("{citizen}/fritidsjob"), &job).await);
        let end = [
            ("forloeb_id", enrollment.as_str()),
            ("slut", "2013-07-01"),
            ("afslutningsaarsag", "uddannelse_paabegyndt"),
        ];
        see_other(&post(&app, &format!("{citizen}/forloeb/afslut"), &end).await);
        let page = app.text(&citizen, 200).await;
        for expected in [
            "Forløb startet: KK&#39;s Exit-program (EXIT)",
            "Tilbud startet: Virksomhedspraktik",
            "Tilbud afsluttet: Virksomhedspraktik",
            "årsag: Planmæssigt afsluttet",
            "Livshændelse: SSP-kategori",
            "værdi: 3",
            "Fritidsjob startet",
            "arbejdsgiver: Netto",
            "Forløb afsluttet: KK&#39;s Exit-program (EXIT)",
            "Opfølgning: tilbuddets afslutning",
            "Opfølgning: forløbets afslutning",
            "Tingbjerg",
        ] {
            assert!(page.contains(expected), "the timeline lacks {expected:?}");
        }
        let bad_value = [("haendelse", "dom"), ("dato", "2013-05-05"), ("vaerdi", "3")];
        let refused = post(&app, &format!("{citizen}/haendelser"), &bad_value).await;
        assert_eq!(refused.status().as_u16(), 422);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("<a href=\"#haendelse-vaerdi\">Værdi: denne hændelse har ingen værdi</a>"));
    }
);

/// The value of the first real option of the select with `id`.
fn option_value(html: &str, id: &str) -> String {
    let select = &html[html.find(&format!("<select id=\"{id}\"")).unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    let second = select.match_indices("<option value=\"").nth(1).expect("an option besides 'Vælg'").0;
    let rest = &select[second + "<option value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

store_test!(a_script_in_a_name_is_shown_as_text_everywhere, |db| async move {
    let app = spawn_app(db).await;
    let name = "<script>alert(1)</script>";
    let citizen = app.register(&[("cpr", &case_support::valid_cpr("020285", 0)), ("navn", name)]).await;
    // Enrolled with the caseworker's centre, so that the search finds the citizen.
    let enroll = [
        ("indsats", "EXIT"),
        ("start", "2013-01-10"),
        ("tovholder", "BIF"),
        ("center", "JKU Nord"),
        ("bekraeft", "ja"),
    ];
    see_other(&post(&app, &format!("{citizen}/forloeb"), &enroll).await);
    let escaped = "&#60;script&#62;alert(1)&#60;/script&#62;";
    let page = app.text(&citizen, 200).await;
    let search = app.text("/borgere?q=020285", 200).await;
    let again = post(&app, "/borgere/ny", &[("cpr", "x"), ("navn", name)]).await.text().await.unwrap();
    for html in [&page, &search, &again] {
        assert!(html.contains(escaped), "escaped");
        assert_no_inline_code(html);
    }
});

store_test!(
    the_worklist_lists_overdue_follow_ups_oldest_first_and_filters_by_caseworker_and_centre,
    |db| async move {
        let (app, cohort) = spawn_with_cohort(db).await;
        let citizen =
            app.register(&[("cpr", &case_support::valid_cpr("030391", 0)), ("navn", "Tidlig Løsladt")]).await;
        let enroll = [
            ("indsats", "DOMTE"),
            ("start", "2012-06-01"),
            ("tovholder", "BIF"),
            ("sagsbehandlerkode", "JKU-B02"),
            ("center", "JKU Syd"),
        ];
        see_other(&post(&app, &format!("{citizen}/forloeb"), &enroll).await);
        see_other(
            &post(
                &app,
                &format!("{citizen}/haendelser"),
                &[("haendelse", "loesladelse"), ("dato", "2012-07-01")],
            )
            .await,
        );
        let rows = |html: &str| html.matches("<th scope=\"row\"><a href=\"/borgere/").count();
        let all = app.text("/opfoelgninger?as_of=2014-05-31", 200).await;
        assert_eq!(rows(&all), COHORT - POSITIVE + 1);
        let earliest = all.find("Tidlig Løsladt").unwrap();
        assert!(earliest < all.find("Kohorte Person").unwrap(), "oldest first");
        assert!(all.contains("<time datetime=\"2012-10-01\">1. oktober 2012</time>"));
        assert!(all.contains(&format!("href=\"/borgere/{}?fra=opfoelgninger\"", cohort.open[0].0)));
        assert_eq!(
            rows(&app.text("/opfoelgninger?as_of=2014-05-31&sagsbehandlerkode=JKU-B02", 200).await),
            5
        );
        assert_eq!(rows(&app.text("/opfoelgninger?as_of=2014-05-31&center=JKU+Nord", 200).await), 3);
        // A sort, direction or page no link offers is refused with the parameter named.
        for (query, named) in [
            ("sorter=navn", "sorter: ukendt værdi"),
            ("retning=op", "retning: ukendt værdi"),
            ("side=0", "side: ukendt værdi"),
            ("side=abc", "side: ukendt værdi"),
        ] {
            let html = app.text(&format!("/opfoelgninger?as_of=2014-05-31&{query}"), 400).await;
            assert!(html.contains(&format!("<a href=\"#filter\">{named}</a>")), "{query}");
            assert_eq!(rows(&html), 0, "{query}: no figure, no list");
        }
        let both =
            app.text("/opfoelgninger?as_of=2014-05-31&sagsbehandlerkode=JKU-B02&center=JKU+Nord", 200).await;
        assert!(both.contains("Ingen opfølgninger passer til afgrænsningen."), "a filter, not 'nothing due'");
        let early = app.text("/opfoelgninger?as_of=2013-05-01", 200).await;
        assert!(early.contains("forfalder i dag"), "due 1 May is not overdue on 1 May, but on the list");
        let bad = app.text("/opfoelgninger?as_of=2014-02-30", 422).await;
        assert!(bad.contains("<a href=\"#filter-as_of\">Opgjort pr.: er ikke en gyldig dato"));
        assert!(bad.contains("value=\"2014-02-30\""));
        assert_no_inline_code(&all);
    }
);

store_test!(the_case_pages_speak_english_when_asked, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    let search = app.text("/borgere?q=010190&lang=en", 200).await;
    assert!(search.contains("<h1>Find a citizen</h1>") && search.contains(">Citizens</a>"));
    // The client keeps the `lang` cookie set by `?lang=en`, as a browser does.
    let page = app.text(&format!("/borgere/{}", cohort.citizens[0]), 200).await;
    assert!(
        page.contains("Done: 1 May 2013 – Employed (positive)"),
        "{}",
        &page[page.find("<tbody>").unwrap()..][..2000]
    );
    assert!(page.contains("<legend>Correct a follow-up</legend>"), "its follow-up is recorded");
});

store_test!(a_registration_commits_with_its_audit_row_about_the_new_citizen, |db| async move {
    let app = spawn_app(db).await;
    let location = app.register(&[("cpr", "0101901009"), ("navn", "Ny Borger")]).await;
    let id: i64 = location.trim_start_matches("/borgere/").parse().unwrap();
    let records = app.store.audit_entries(None, 500).await.unwrap();
    let writes: Vec<_> = records.iter().filter(|r| r.action == "register_attempt").collect();
    assert_eq!(writes.len(), 1, "one audit row for the registration: {writes:?}");
    assert_eq!(writes[0].person_id, Some(id), "about the citizen the registration made");
    assert_eq!(writes[0].purpose_code.as_deref(), Some("sagsbehandling"));
    assert_eq!(writes[0].purpose_text, "registrering");
    assert_eq!(app.store.verify_audit().await.unwrap() as usize, records.len());
});
