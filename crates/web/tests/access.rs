//! Access control over HTTP, on SQLite and PostgreSQL: centres, purposes and their audit rows,
//! CSRF, session fixation, lockout and rate limit, security headers, the settings page, and
//! injection attempts that must end up as harmless text.

mod case_support;
mod common;

use case_support::{spawn_with_cohort, valid_cpr};
use common::{spawn_anonymous, spawn_app, spawn_with_limits, TestUser};
use sikkerby_domain::access::{Purpose, Role};
use sikkerby_testkit::store_test;
use sikkerby_web::auth::rate_limit::{BucketSpec, LoginLimits};
use std::time::Duration;

/// A caseworker of `JKU Nord` only: the cohort's citizens 0–7 are theirs, 8–11 (`JKU Syd`) not.
fn nord() -> TestUser {
    TestUser::caseworker("cw-nord", &["JKU Nord"])
}

/// Text as the templates escape it.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn status(response: &reqwest::Response) -> u16 {
    response.status().as_u16()
}

store_test!(a_caseworker_cannot_reach_another_centre_s_citizen_by_page_search_form_or_api, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    app.login_user(&nord()).await;
    let (own, other) = (cohort.citizens[0], cohort.citizens[8]);
    assert_eq!(app.get(&format!("/borgere/{own}")).await.status().as_u16(), 200, "own centre");
    for path in [format!("/borgere/{other}"), format!("/borgere/{other}/formaal")] {
        assert_eq!(status(&app.get(&path).await), 404, "{path}: as if there were nobody");
    }
    let purpose = app.post_form(&format!("/borgere/{other}/formaal"), &[("formaal", "sagsbehandling")]).await;
    assert_eq!(status(&purpose), 404, "no purpose can be given for them either");
    let before = app.store.timeline(other).await.unwrap().unwrap();
    let event = [("haendelse", "ssp_kategori"), ("dato", "2013-05-05"), ("vaerdi", "3")];
    assert_eq!(status(&app.post_form(&format!("/borgere/{other}/haendelser"), &event).await), 404);
    assert_eq!(app.store.timeline(other).await.unwrap().unwrap(), before, "nothing written");
    let search = app.text("/borgere?q=Kohorte", 200).await;
    assert!(search.contains("Kohorte Person 07") && !search.contains("Kohorte Person 08"), "own only");
    let by_cpr = app.text("/borgere?q=090190", 200).await;
    assert!(by_cpr.contains("Ingen borgere"), "another centre's CPR finds nobody");
    let worklist = app.text("/opfoelgninger?as_of=2014-05-31", 200).await;
    assert!(!worklist.contains("JKU Syd") && worklist.contains("JKU Nord"), "own centre's follow-ups");
    let theirs = valid_cpr("090190", 0);
    let again = [("cpr", theirs.as_str()), ("navn", "Overskrevet Navn")];
    let registered = app.post_form("/borgere/ny", &again).await;
    assert_eq!(status(&registered), 303, "registering them again");
    assert_eq!(registered.headers()["location"], common::RECEIVED, "nothing of them is opened");
    let name = app.store.citizen(other).await.unwrap().unwrap().name;
    assert_eq!(name.as_deref(), Some("Kohorte Person 08"), "their name is untouched");
    let enroll = [("indsats", "EXIT"), ("start", "2013-01-10"), ("tovholder", "BIF"), ("center", "JKU Syd")];
    let response = app.post_form(&format!("/borgere/{own}/forloeb"), &enroll).await;
    assert_eq!(status(&response), 422, "no enrollment with another centre");
    assert!(response.text().await.unwrap().contains("Skal være et af dine egne centre"));
    let api = app.get(&format!("/api/v1/citizens/{other}")).await;
    assert_eq!(status(&api), 404, "the API has no person endpoint");
    let denied = app.store.audit_entries(None, 200).await.unwrap();
    let denied: Vec<_> =
        denied.iter().filter(|r| r.person_id == Some(other) && r.result == "denied").collect();
    assert!(denied.len() >= 4, "every refused attempt is audited ({})", denied.len());
    let stated: Vec<_> = denied.iter().filter_map(|r| r.purpose_code.as_deref()).collect();
    assert!(stated.is_empty(), "no purpose was given for them, so none is recorded: {stated:?}");
});

store_test!(reading_a_citizen_asks_the_purpose_once_and_audits_every_read_with_it, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    app.set_auto_purpose(false);
    let id = cohort.citizens[1];
    let page = format!("/borgere/{id}");
    let first = app.get(&page).await;
    assert_eq!(status(&first), 303);
    assert_eq!(first.headers()["location"], format!("/borgere/{id}/formaal").as_str());
    let reads = |records: &[sikkerby_store::audit::AuditRecord]| {
        records.iter().filter(|r| r.person_id == Some(id) && r.action == "read_citizen").count()
    };
    assert_eq!(reads(&app.store.audit_entries(None, 500).await.unwrap()), 0, "nothing read yet");
    let form = app.text(&format!("{page}/formaal"), 200).await;
    for choice in ["sagsbehandling", "opfoelgning", "klage", "indsigt", "andet"] {
        assert!(form.contains(&format!("value=\"{choice}\"")), "{choice}");
    }
    assert!(!form.contains("Kohorte Person"), "no data before the purpose");
    let none = app.post_form(&format!("{page}/formaal"), &[]).await;
    assert_eq!(status(&none), 422);
    let other = app.post_form(&format!("{page}/formaal"), &[("formaal", "andet")]).await;
    assert_eq!(status(&other), 422, "'andet' needs a text");
    let given = app
        .post_form(&format!("{page}/formaal"), &[("formaal", "klage"), ("uddybning", "klage 010190-1234")])
        .await;
    assert_eq!(status(&given), 303);
    assert!(app.text(&page, 200).await.contains("Kohorte Person 01"));
    assert!(app.text(&page, 200).await.contains("Kohorte Person 01"), "not asked again");
    let records = app.store.audit_entries(None, 500).await.unwrap();
    assert_eq!(reads(&records), 2, "one row per read");
    let row = records.iter().find(|r| r.person_id == Some(id) && r.action == "read_citizen").unwrap();
    assert_eq!(row.purpose_code.as_deref(), Some(Purpose::Complaint.code()));
    assert_eq!(row.purpose_text, "klage 010190-xxxx", "a CPR number in the text is masked");
    assert_eq!((row.username.as_deref(), row.role.as_deref()), (Some("test-caseworker"), Some("caseworker")));
    let subject = app.store.audit_subject(id).await.unwrap();
    assert!(subject.iter().any(|s| s.purpose == Some(Purpose::Complaint)), "the citizen can be told");
    app.text("/borgere?q=Kohorte", 200).await;
    let listed = app.store.audit_entries(None, 500).await.unwrap();
    let searched = listed.iter().filter(|r| r.action == "search" && r.person_id.is_some()).count();
    assert_eq!(searched, 12, "each citizen listed is audited");
    let full = valid_cpr("020190", 0);
    assert!(listed.iter().all(|r| !r.purpose_text.contains(&full) && !r.detail.contains(&full)), "no CPR");
    app.store.verify_audit().await.expect("the audit chain still verifies");
});

store_test!(forms_without_or_with_a_wrong_csrf_token_are_refused_and_nothing_is_stored, |db| async move {
    let app = spawn_app(db).await;
    let before = app.store.citizen_count().await.unwrap();
    let url = format!("{}/borgere/ny", app.base);
    let cpr = valid_cpr("010203", 0);
    let missing = app.client.post(&url).form(&[("cpr", cpr.as_str())]).send().await.unwrap();
    assert_eq!(status(&missing), 403);
    let zeros = "0".repeat(64);
    let wrong = [("cpr", cpr.as_str()), ("csrf_token", zeros.as_str())];
    assert_eq!(status(&app.client.post(&url).form(&wrong).send().await.unwrap()), 403);
    let header = app.client.post(&url).header("x-csrf-token", "nope").form(&[("cpr", cpr.as_str())]);
    assert_eq!(status(&header.send().await.unwrap()), 403, "a wrong header token");
    let json = app.client.post(&url).json(&serde_json::json!({ "cpr": cpr })).send().await.unwrap();
    assert_eq!(status(&json), 403, "a JSON write without the header");
    // Another session's token is as wrong as a made-up one.
    let other = app.csrf();
    app.login_as(Role::Caseworker).await;
    let stolen = [("cpr", cpr.as_str()), ("csrf_token", other.as_str())];
    assert_eq!(status(&app.client.post(&url).form(&stolen).send().await.unwrap()), 403);
    assert_eq!(app.store.citizen_count().await.unwrap(), before, "nothing stored");
    let right = app.post_form("/borgere/ny", &[("cpr", cpr.as_str())]).await;
    assert_eq!(status(&right), 303, "the form's own token works");
    assert_eq!(app.store.citizen_count().await.unwrap(), before + 1);
});

store_test!(a_session_token_set_before_sign_in_is_not_valid_after_it, |db| async move {
    let app = spawn_anonymous(db).await;
    let user = TestUser::of(Role::Analyst);
    app.ensure_user(&user).await;
    // An attacker plants a token of their own choosing, and then a live session of their own.
    let planted = "ab".repeat(32);
    app.set_session_cookie(&planted);
    assert_eq!(status(&app.login_form(&user.username, &user.password()).await), 303);
    let after = app.session_cookie().expect("a session cookie");
    assert_ne!(after, planted, "a new token, never the planted one");
    assert!(app.store.session_by_token(&planted, chrono::Utc::now()).await.unwrap().is_none());
    let attacker =
        app.store.create_session(app.ensure_user(&TestUser::of(Role::Manager)).await, chrono::Utc::now());
    let attacker = attacker.await.unwrap().token.as_str().to_owned();
    app.set_session_cookie(&attacker);
    assert_eq!(status(&app.login_form(&user.username, &user.password()).await), 303);
    let victim = app.session_cookie().expect("a session cookie");
    assert_ne!(victim, attacker);
    let now = chrono::Utc::now();
    assert!(app.store.session_by_token(&attacker, now).await.unwrap().is_none(), "the old session ended");
    let session = app.store.session_by_token(&victim, now).await.unwrap().expect("the new one lives");
    assert_eq!(session.user.username, user.username);
    app.set_session_cookie(&attacker);
    let replay = app.client.get(format!("{}/budget", app.base)).send().await.unwrap();
    assert_eq!(status(&replay), 303, "the planted token leads to the sign-in page");
});

store_test!(signing_in_and_out_works_in_danish_and_english_and_ends_the_session, |db| async move {
    let app = spawn_anonymous(db).await;
    let first = app.get("/budget").await;
    assert_eq!(status(&first), 303);
    assert_eq!(first.headers()["location"], "/login?next=%2Fbudget");
    assert_eq!(status(&app.get("/api/v1/budget").await), 401);
    let english = app.text("/login?lang=en", 200).await;
    assert!(english.contains("<h1>Sign in</h1>") && english.contains("Password"));
    let danish = app.text("/login?lang=da", 200).await;
    assert!(danish.contains("<h1>Log ind</h1>") && danish.contains("Adgangskode"));
    assert!(danish.contains("type=\"password\""));
    let user = TestUser::of(Role::Manager);
    app.ensure_user(&user).await;
    let wrong = app.login_form(&user.username, "forkert-kodeord-123").await;
    assert_eq!(status(&wrong), 401);
    assert!(wrong.text().await.unwrap().contains("Forkert brugernavn eller adgangskode."));
    let ok = app.login_form(&user.username, &user.password()).await;
    assert_eq!(status(&ok), 303);
    let cookie =
        ok.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>();
    let session = cookie.iter().find(|c| c.starts_with("sikkerby_session=")).expect("the session cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(session.contains(part), "{session} has {part}");
    }
    assert!(!session.contains("Secure"), "turned off for plain HTTP in the tests");
    let home = app.text("/", 200).await;
    assert!(home.contains("Logget ind som Test test-manager (Leder)"));
    assert!(!home.contains("href=\"/borgere\""), "no link to pages the role may not open");
    let token = app.session_cookie().unwrap();
    let out = app.post_form("/logout", &[]).await;
    assert_eq!(out.headers()["location"], "/login?ud=1");
    assert!(app.store.session_by_token(&token, chrono::Utc::now()).await.unwrap().is_none());
    app.set_session_cookie(&token);
    assert_eq!(status(&app.get("/").await), 303, "the old cookie no longer works");
});

store_test!(five_wrong_passwords_lock_the_account_and_the_page_says_so, |db| async move {
    let app = spawn_anonymous(db).await;
    let user = TestUser::of(Role::Analyst);
    app.ensure_user(&user).await;
    for _ in 0..5 {
        assert_eq!(status(&app.login_form(&user.username, "forkert-kodeord-123").await), 401);
    }
    let locked = app.login_form(&user.username, &user.password()).await;
    assert_eq!(status(&locked), 401, "even the right password");
    let html = locked.text().await.unwrap();
    assert!(
        html.contains("Kontoen er låst efter for mange forkerte forsøg. Prøv igen om 15 minutter."),
        "{html}"
    );
    let failures = app.store.audit_entries(None, 100).await.unwrap();
    assert!(failures.iter().filter(|r| r.action == "login_failed").count() >= 6, "audited");
});

store_test!(sign_in_attempts_are_rate_limited_per_username_and_per_address, |db| async move {
    let slow = BucketSpec { burst: 3, refill: Duration::from_secs(3600) };
    let many = BucketSpec { burst: 100, refill: Duration::from_secs(1) };
    let app = spawn_with_limits(db, LoginLimits { per_ip: many, per_username: slow }).await;
    let user = TestUser::of(Role::Manager);
    app.ensure_user(&user).await;
    for _ in 0..3 {
        assert_eq!(status(&app.login_form(&user.username, "forkert-kodeord-1").await), 401);
    }
    let limited = app.login_form(&user.username, &user.password()).await;
    assert_eq!(status(&limited), 429, "the right password is not even checked");
    assert!(limited.text().await.unwrap().contains("For mange loginforsøg"));
    let last = app.store.audit_entries(None, 1).await.unwrap();
    assert_eq!((last[0].action.as_str(), last[0].detail.as_str()), ("login_failed", "rate limited"));
    assert_eq!(last[0].username, None, "a refused attempt stores no username");
    let other = TestUser::of(Role::Admin);
    app.ensure_user(&other).await;
    assert_eq!(status(&app.login_form(&other.username, &other.password()).await), 303, "another user");
});

store_test!(sign_in_attempts_from_one_address_are_limited_across_usernames, |db| async move {
    let slow = BucketSpec { burst: 2, refill: Duration::from_secs(3600) };
    let many = BucketSpec { burst: 100, refill: Duration::from_secs(1) };
    let app = spawn_with_limits(db, LoginLimits { per_ip: slow, per_username: many }).await;
    assert_eq!(status(&app.login_form("anna", "forkert-kodeord-1").await), 401);
    assert_eq!(status(&app.login_form("bo", "forkert-kodeord-1").await), 401);
    assert_eq!(status(&app.login_form("carl", "forkert-kodeord-1").await), 429);
});

store_test!(every_response_carries_the_security_headers, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
               frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    let citizen = format!("/borgere/{}", cohort.citizens[0]);
    let paths =
        ["/", "/budget", "/login", "/healthz", "/api/v1/budget", "/findes-ikke", "/admin/indstillinger"];
    for path in paths.iter().copied().chain([citizen.as_str(), "/static/style.css"]) {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["content-security-policy"], csp, "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        let cache = headers.get("cache-control").map(|v| v.to_str().unwrap().to_owned());
        if path.starts_with("/static/") {
            assert_ne!(cache.as_deref(), Some("no-store"), "the stylesheet may be cached");
        } else {
            assert_eq!(cache.as_deref(), Some("no-store"), "{path}");
        }
    }
    for path in [citizen.as_str(), "/borgere?q=Kohorte", "/login", "/resultater"] {
        case_support::assert_no_inline_code(&app.text(path, 200).await);
    }
    app.forget_session();
    let anonymous = app.get("/borgere").await;
    assert_eq!(anonymous.headers()["x-frame-options"], "DENY", "on a redirect too");
});

store_test!(the_admin_changes_the_disclosure_threshold_and_the_change_is_audited, |db| async move {
    let app = spawn_app(db).await;
    assert_eq!(status(&app.get("/admin/indstillinger").await), 403, "not for a caseworker");
    app.login_as(Role::Admin).await;
    let page = app.text("/admin/indstillinger", 200).await;
    assert!(page.contains("value=\"5\""), "the default threshold");
    for bad in ["2", "tre", "-1", "1e3"] {
        let refused = app.post_form("/admin/indstillinger", &[("graense", bad)]).await;
        assert_eq!(status(&refused), 422, "{bad}");
        assert!(refused.text().await.unwrap().contains("mindst 3"));
    }
    assert_eq!(app.store.disclosure_rules().await.unwrap().threshold, 5, "unchanged");
    let saved = app.post_form("/admin/indstillinger", &[("graense", "7")]).await;
    assert_eq!(saved.headers()["location"], "/admin/indstillinger?gemt=1");
    assert_eq!(app.store.disclosure_rules().await.unwrap().threshold, 7);
    let last = &app.store.audit_entries(None, 1).await.unwrap()[0];
    assert_eq!(
        (last.action.as_str(), last.detail.as_str()),
        ("config_change", "disclosure_threshold 5 -> 7")
    );
    assert_eq!(last.username.as_deref(), Some("test-admin"));
    assert!(app.text("/admin/indstillinger?gemt=1", 200).await.contains("Indstillingen er gemt."));
    assert_eq!(status(&app.get("/resultater").await), 403, "no figures for the admin");
    assert_eq!(status(&app.get("/borgere").await), 403, "no case data for the admin");
});

store_test!(injection_attempts_are_stored_and_shown_as_harmless_text, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    let before = app.store.citizen_count().await.unwrap();
    let names = ["Robert'); DROP TABLE citizen;--", "<img src=x onerror=alert(1)>\"'"];
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let cpr = valid_cpr(&format!("0{}0391", i + 1), 0);
        let location = app.register(&[("cpr", cpr.as_str()), ("navn", name)]).await;
        let id: i64 = location.trim_start_matches("/borgere/").parse().unwrap();
        assert_eq!(
            app.store.citizen(id).await.unwrap().unwrap().name.as_deref(),
            Some(*name),
            "stored as typed"
        );
        let page = app.text(&format!("/borgere/{id}"), 200).await;
        assert!(page.contains(&escaped(name)) && !page.contains(name), "{name} is shown escaped");
        case_support::assert_no_inline_code(&page);
        ids.push(id);
    }
    assert_eq!(app.store.citizen_count().await.unwrap(), before + 2, "the table is intact");
    for query in ["' OR '1'='1", "%' OR 1=1 --", "x'; DROP TABLE citizen; --", "\"><script>alert(1)</script>"]
    {
        let encoded: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
        let html = app.text(&format!("/borgere?q={encoded}"), 200).await;
        assert!(html.contains("Ingen borgere"), "{query}: matches nobody, no SQL error");
        assert!(!html.contains("<script>alert(1)"), "{query}: the query is escaped in the field");
    }
    let worklist = app.text("/opfoelgninger?center=%27%20OR%201%3D1%20--&as_of=2014-05-31", 400).await;
    assert!(!worklist.contains("Kohorte Person"), "a quote in a filter is an unknown value, refused");
    assert!(worklist.contains("<a href=\"#filter-center\">Center: ukendt værdi</a>"), "names the parameter");
    assert_eq!(status(&app.get("/resultater/C4?by=centre%27--").await), 422);
    assert_eq!(status(&app.get("/indsatser/DOMTE%27%20OR%20%271%27%3D%271").await), 404);
    assert_eq!(status(&app.get("/borgere/1%20OR%201=1").await), 404);
    let api = app.get("/api/v1/results?year=2013%27;--&as_of=2014-05-31").await;
    assert_eq!(status(&api), 422);
    let own = cohort.citizens[0];
    let event = [("haendelse", "ssp_kategori"), ("dato", "2013-05-05"), ("vaerdi", "3; DROP TABLE citizen")];
    assert_eq!(status(&app.post_form(&format!("/borgere/{own}/haendelser"), &event).await), 422);
    let job = [("arbejdsgiver", "Netto'); DELETE FROM enrollment;--"), ("start", "2013-06-01")];
    assert_eq!(status(&app.post_form(&format!("/borgere/{own}/fritidsjob"), &job).await), 303);
    let timeline = app.store.timeline(own).await.unwrap().unwrap();
    assert!(!timeline.enrollments.is_empty(), "the enrollments are intact");
    assert!(timeline.placements.iter().any(|p| p.employer.as_deref() == Some(job[0].1)), "stored as typed");
    assert_eq!(app.store.citizen_count().await.unwrap(), before + 2);
    app.store.verify_audit().await.expect("the audit chain verifies");
});

store_test!(a_deep_link_keeps_its_query_through_sign_in_and_a_language_switch, |db| async move {
    let app = spawn_anonymous(db).await;
    let deep = app.get("/resultater/C10?year=2013&by=centre").await;
    assert_eq!(status(&deep), 303);
    let location = deep.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, "/login?next=%2Fresultater%2FC10%3Fyear%3D2013%26by%3Dcentre");
    let form = app.text(&location, 200).await;
    assert!(form.contains("name=\"next\" value=\"/resultater/C10?year=2013&#38;by=centre\""), "{form}");
    // A search for a person is not carried into the sign-in address (browser history).
    let search = app.get("/borgere?q=Jensen&side=2").await;
    assert_eq!(search.headers()["location"], "/login?next=%2Fborgere%3Fside%3D2");

    let user = TestUser::of(Role::Analyst);
    app.ensure_user(&user).await;
    assert_eq!(status(&app.login_form(&user.username, &user.password()).await), 303);
    let page = app.text("/resultater/C10?year=2013&by=centre", 200).await;
    assert!(
        page.contains("href=\"/resultater/C10?year=2013&#38;by=centre&#38;lang=en\""),
        "the language switch keeps the year and the breakdown"
    );
    let english = app.text("/resultater/C10?year=2013&by=centre&lang=en", 200).await;
    assert!(
        english.contains("href=\"/resultater/C10?year=2013&#38;by=centre&#38;lang=da\""),
        "lang replaced"
    );
});
