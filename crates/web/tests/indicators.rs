//! `/indikatorer` over HTTP: an analyst enters, another user approves or sends back with a
//! comment, the entry is corrected; approving one's own entry is 403 and an unknown entry 404;
//! a delivery file with a bad line is refused whole, naming file, line and column; a form with
//! problems comes back filled in; the pending approvals show on the results and initiative pages.

mod common;

use common::{spawn_app, TestApp};
use sikkerby_domain::access::Role;
use sikkerby_domain::calendar::Period;
use sikkerby_domain::indicators::ReviewStatus;
use sikkerby_testkit::store_test;

const ASSESSMENT: [(&str, &str); 6] = [
    ("kriterium", "C11"),
    ("aar", "2013"),
    ("indikator", "Oplæg/temadage"),
    ("tal", "12"),
    ("vurdering", "met"),
    ("beskrivelse", "12 oplæg for medarbejdere"),
];

/// POSTs a multipart form with a file, with the session's CSRF token first, as the page's form.
async fn upload(app: &TestApp, fields: &[(&str, &str)], file: (&str, &str)) -> reqwest::Response {
    let boundary = "----sikkerby-test-boundary";
    let mut body = String::new();
    let csrf = app.csrf();
    for (name, value) in [("csrf_token", csrf.as_str())].iter().chain(fields) {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"{}\"\r\nContent-Type: text/csv\r\n\r\n{}\r\n--{boundary}--\r\n",
        file.0, file.1
    ));
    app.client
        .post(format!("{}/indikatorer/levering", app.base))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("POST upload")
}

async fn entries_2013(app: &TestApp) -> Vec<sikkerby_domain::indicators::IndicatorEntry> {
    app.store.indicator_entries(&Period::year(2013).unwrap()).await.unwrap()
}

store_test!(an_analyst_enters_a_manager_approves_and_approving_ones_own_is_403, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Analyst).await;
    let page = app.text("/indikatorer", 200).await;
    assert!(page.contains("Indikatorer og leverancer") && page.contains("enctype=\"multipart/form-data\""));
    let entered = app.post_form("/indikatorer/vurdering", &ASSESSMENT).await;
    assert_eq!(entered.status().as_u16(), 303);
    assert_eq!(entered.headers()["location"], "/indikatorer?aar=2013&gemt=1");
    let id = entries_2013(&app).await[0].id;
    // Nothing awaits this analyst's approval (the entry is their own): the page opens on the
    // latest year with entries, not on an empty running year.
    assert!(app.text("/indikatorer", 200).await.contains("Poster for året 2013"), "opens on 2013");
    let listed = app.text("/indikatorer?aar=2013", 200).await;
    assert!(listed.contains("Afventer godkendelse") && listed.contains("12 · opfyldt"), "{listed}");
    assert!(listed.contains("en anden skal godkende den") && !listed.contains(&format!("godkend-{id}")));

    let own = app.post_form(&format!("/indikatorer/{id}/godkend"), &[]).await;
    assert_eq!(own.status().as_u16(), 403, "four eyes");
    assert!(own.text().await.unwrap().contains("<html"), "an error page, not JSON");
    assert_eq!(
        app.post_form(&format!("/indikatorer/{id}/send-tilbage"), &[("kommentar", "")])
            .await
            .status()
            .as_u16(),
        403
    );

    app.login_as(Role::Manager).await;
    let results = app.text("/resultater?year=2013", 200).await;
    assert!(
        results.contains("id=\"afventer-godkendelse\"") && results.contains("/indikatorer?aar=2013"),
        "pending shown"
    );
    let vink = app.text("/indsatser/VINK", 200).await;
    assert!(vink.contains("Poster venter på din godkendelse: <strong>1</strong>"), "on the initiative page");
    assert!(
        !app.text("/indsatser/DOMTE", 200).await.contains("afventer-godkendelse"),
        "not another initiative's"
    );
    let approved = app.post_form(&format!("/indikatorer/{id}/godkend"), &[]).await;
    assert_eq!(approved.status().as_u16(), 303);
    let listed = app.text("/indikatorer?aar=2013", 200).await;
    assert!(listed.contains("Godkendt af test-manager"), "{listed}");
    assert_eq!(
        app.post_form(&format!("/indikatorer/{id}/godkend"), &[]).await.status().as_u16(),
        422,
        "decided"
    );
    let audit = app.store.audit_entries(None, 50).await.unwrap();
    let rows: Vec<_> = audit
        .iter()
        .filter(|r| r.action == "indicator")
        .map(|r| (r.username.clone(), r.detail.clone()))
        .collect();
    assert_eq!(rows[0], (Some("test-manager".into()), format!("entry {id} (C11) approved")));
    assert_eq!(rows[1], (Some("test-analyst".into()), format!("entry {id} (C11) entered")));

    let english = app.text("/indikatorer?aar=2013&lang=en", 200).await;
    assert!(english.contains("Indicators and deliverables") && english.contains("Approved by test-manager"));
    app.login_as(Role::Caseworker).await;
    assert_eq!(app.get("/indikatorer").await.status().as_u16(), 403, "not for caseworkers");
});

store_test!(a_sent_back_entry_shows_the_comment_and_is_corrected, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Analyst).await;
    app.post_form("/indikatorer/vurdering", &ASSESSMENT).await;
    let id = entries_2013(&app).await[0].id;
    app.login_as(Role::Manager).await;
    let path = format!("/indikatorer/{id}/send-tilbage");
    let empty = app.post_form(&path, &[("kommentar", "  ")]).await;
    assert_eq!(empty.status().as_u16(), 422, "the comment is required");
    assert!(empty.text().await.unwrap().contains("skriv, hvad der skal rettes"));
    let sent = app.post_form(&path, &[("kommentar", "Der var 11 oplæg")]).await;
    assert_eq!(sent.status().as_u16(), 303);
    let listed = app.text("/indikatorer?aar=2013", 200).await;
    assert!(
        listed.contains("Sendt tilbage af test-manager") && listed.contains("Der var 11 oplæg"),
        "{listed}"
    );

    app.login_as(Role::Analyst).await;
    let form = app.text(&format!("/indikatorer/{id}/ret"), 200).await;
    assert!(
        form.contains("value=\"Oplæg/temadage\"") && form.contains("Der var 11 oplæg"),
        "filled in: {form}"
    );
    let mut fields = ASSESSMENT.to_vec();
    fields[3] = ("tal", "elleve");
    let bad = app.post_form(&format!("/indikatorer/{id}/ret"), &fields).await;
    assert_eq!(bad.status().as_u16(), 422);
    let bad = bad.text().await.unwrap();
    assert!(bad.contains("Tal: skal være et tal") && bad.contains("value=\"elleve\""), "{bad}");
    fields[3] = ("tal", "11");
    assert_eq!(app.post_form(&format!("/indikatorer/{id}/ret"), &fields).await.status().as_u16(), 303);
    let entry = app.store.indicator_entry(id).await.unwrap().unwrap();
    assert_eq!((entry.status(), entry.number), (ReviewStatus::Pending, Some(11.into())));
    assert_eq!(app.get(&format!("/indikatorer/{id}/ret")).await.status().as_u16(), 422, "not sent back now");
});

store_test!(an_unknown_entry_is_404_and_a_bad_form_comes_back_filled_in, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Manager).await;
    for path in ["/indikatorer/999/godkend", "/indikatorer/abc/godkend", "/indikatorer/999/send-tilbage"] {
        let response = app.post_form(path, &[("kommentar", "x")]).await;
        assert_eq!(response.status().as_u16(), 404, "{path}");
    }
    assert_eq!(app.get("/indikatorer/999/ret").await.status().as_u16(), 404);
    let fields = [
        ("kriterium", "C17"),
        ("aar", "2013"),
        ("indikator", "Tryghedsundersøgelse"),
        ("frist", "31-02-2013"),
    ];
    let bad = app.post_form("/indikatorer/leverance", &fields).await;
    assert_eq!(bad.status().as_u16(), 422);
    let bad = bad.text().await.unwrap();
    assert!(bad.contains("Frist: ") && bad.contains("value=\"Tryghedsundersøgelse\""), "{bad}");
    let wrong = [("kriterium", "C4"), ("aar", "2013"), ("indikator", "x"), ("vurdering", "met")];
    let wrong = app.post_form("/indikatorer/vurdering", &wrong).await;
    assert_eq!(wrong.status().as_u16(), 422, "a criterion computed from case data");
    assert!(entries_2013(&app).await.is_empty(), "nothing stored");
});

store_test!(a_delivery_file_with_a_bad_line_is_refused_whole_naming_line_and_column, |db| async move {
    let app = spawn_app(db).await;
    app.login_as(Role::Analyst).await;
    let fields = [("kriterium", "C13"), ("aar", "2013"), ("beskrivelse", "Fra Socialforvaltningen")];
    let bad = "indikator;tal;basisaar_tal;retning\nAnholdelser;41;57;ned\nSigtelser;mange;60;ned\nDomme;3;5;sidelæns\n";
    let refused = upload(&app, &fields, ("ny_start.csv", bad)).await;
    assert_eq!(refused.status().as_u16(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("ny_start.csv, linje 3, kolonne tal: &#34;mange&#34; er ikke et tal"), "{page}");
    assert!(page.contains("ny_start.csv, linje 4, kolonne retning"), "every bad line");
    assert!(page.contains("Fra Socialforvaltningen"), "the other fields come back filled in");
    assert!(entries_2013(&app).await.is_empty(), "nothing stored");
    let none = upload(&app, &fields, ("", "")).await;
    assert_eq!(none.status().as_u16(), 422);
    assert!(none.text().await.unwrap().contains("vælg en fil"));

    let good = "indikator;tal;basisår_tal;retning\r\nAnholdelser;41;57;ned\r\nFremmøde;92,5;88;op\r\n";
    let stored = upload(&app, &fields, ("ny_start.csv", good)).await;
    assert_eq!(stored.status().as_u16(), 303);
    let entries = entries_2013(&app).await;
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.criterion == "C13" && e.narrative == "Fra Socialforvaltningen"));
    let listed = app.text("/indikatorer?aar=2013&lang=en", 200).await;
    assert!(listed.contains("92.5 · baseline 88 · up (should rise)"), "{listed}");
    let forged = app
        .client
        .post(format!("{}/indikatorer/levering", app.base))
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x\r\nContent-Disposition: form-data; name=\"kriterium\"\r\n\r\nC13\r\n--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403, "no CSRF token in the multipart body");
});
