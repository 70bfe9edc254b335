//! The secretariat records actual spend per budget line and year on `/budget`: validated with the
//! field named, stored with its audit row, shown to every reader, refused to roles without the
//! right (docs/reports.md "Actual spend"). SQLite and PostgreSQL.

mod common;

use common::spawn_app;
use rust_decimal::Decimal;
use sikkerby_domain::access::Role;
use sikkerby_testkit::store_test;

store_test!(
    an_analyst_records_actual_spend_which_every_reader_sees_and_the_audit_log_holds,
    |db| async move {
        let app = spawn_app(db).await;
        let caseworker_view = app.text("/budget", 200).await;
        assert!(!caseworker_view.contains("action=\"/budget/forbrug\""), "no form for a caseworker");
        let refused =
            app.post_form("/budget/forbrug", &[("linje", "SSP+"), ("aar", "2013"), ("forbrug", "1,6")]).await;
        assert_eq!(refused.status().as_u16(), 403, "a caseworker may not record spend");

        app.login_as(Role::Analyst).await;
        let form = app.text("/budget", 200).await;
        assert!(
            form.contains("action=\"/budget/forbrug\"")
                && form.contains("Der er ikke registreret forbrug endnu.")
        );

        let bad = app
            .post_form("/budget/forbrug", &[("linje", "SSP+"), ("aar", "2013"), ("forbrug", "en del")])
            .await;
        assert_eq!(bad.status().as_u16(), 422);
        let html = bad.text().await.unwrap();
        assert!(
            html.contains("id=\"forbrug-forbrug-error\">Skriv et beløb i mio. kr., fx 1,65</p>"),
            "named beside the field"
        );
        assert!(html.contains("value=\"en del\""), "the input comes back");
        for (fields, field) in [
            ([("linje", "Ingen sådan linje"), ("aar", "2013"), ("forbrug", "1")], "linje"),
            ([("linje", "SSP+"), ("aar", "1999"), ("forbrug", "1")], "aar"),
            ([("linje", "SSP+"), ("aar", "2013"), ("forbrug", "-2")], "forbrug"),
        ] {
            let response = app.post_form("/budget/forbrug", &fields).await;
            assert_eq!(response.status().as_u16(), 422, "{fields:?}");
            assert!(
                response.text().await.unwrap().contains(&format!("id=\"forbrug-{field}-error\"")),
                "{field}"
            );
        }
        assert!(
            app.store.budget_actuals(2013).await.unwrap().is_empty(),
            "nothing stored from a refused form"
        );

        let saved = app
            .post_form("/budget/forbrug", &[("linje", "SSP+"), ("aar", "2013"), ("forbrug", "1,65")])
            .await;
        assert_eq!(saved.status().as_u16(), 303);
        let again =
            app.post_form("/budget/forbrug", &[("linje", "SSP+"), ("aar", "2013"), ("forbrug", "1,7")]).await;
        assert_eq!(again.status().as_u16(), 303, "a new figure replaces the old");
        assert_eq!(app.store.budget_actuals(2013).await.unwrap().get("SSP+"), Some(&Decimal::new(17, 1)));
        let audit = app.store.audit_entries(None, 20).await.unwrap();
        let changes: Vec<&str> = audit
            .iter()
            .filter(|e| e.detail.starts_with("budget_actual"))
            .map(|e| e.detail.as_str())
            .collect();
        assert_eq!(
            changes,
            [
                "budget_actual line=SSP+ year=2013 1.65 -> 1.7",
                "budget_actual line=SSP+ year=2013 none -> 1.65"
            ]
        );

        app.login_as(Role::Admin).await;
        let admin = app.text("/budget?lang=da", 200).await;
        assert!(
            admin.contains("<th scope=\"row\">SSP+</th><td class=\"num\"></td><td class=\"num\">1,7</td>"),
            "shown to all"
        );
        assert!(!admin.contains("action=\"/budget/forbrug\""), "no form for the admin");
    }
);
