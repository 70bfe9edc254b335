//! `/admin/revision` over HTTP on SQLite and PostgreSQL: the filter returns only matching rows,
//! paging goes back in time, bad input names the field, the page says that the hash chain
//! verifies, and no CPR number or name is ever shown.

mod case_support;
mod common;

use case_support::{spawn_with_cohort, valid_cpr};
use chrono::Utc;
use sikkerby_domain::access::Role;
use sikkerby_store::audit::{Actor, AuditAction, AuditEntry};
use sikkerby_testkit::store_test;

/// The cells of each body row of the audit table.
fn rows(html: &str) -> Vec<Vec<String>> {
    let Some(start) = html.find("<tbody>") else { return Vec::new() };
    let body = &html[start..html[start..].find("</tbody>").map_or(html.len(), |e| start + e)];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("</t")
                .filter_map(|cell| cell.rsplit('>').next())
                .map(|c| c.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .map(|cells| cells.into_iter().take(7).collect())
        .collect()
}

store_test!(the_audit_filter_returns_only_the_matching_rows_and_never_a_cpr, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    let (a, b) = (cohort.citizens[0], cohort.citizens[1]);
    app.text(&format!("/borgere/{a}"), 200).await;
    app.text(&format!("/borgere/{b}"), 200).await;
    app.login_as(Role::Admin).await;

    let html = app.text(&format!("/admin/revision?borger={a}"), 200).await;
    assert!(html.contains("Hashkæden er intakt"), "the chain verifies");
    let found = rows(&html);
    assert!(!found.is_empty());
    assert!(found.iter().all(|r| r[4] == a.to_string()), "{found:?}");
    assert!(found.iter().any(|r| r[3] == "read_citizen" && r[5].starts_with("sagsbehandling")), "{found:?}");

    let html = app.text("/admin/revision?bruger=test-caseworker&handling=read_citizen", 200).await;
    let found = rows(&html);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found
        .iter()
        .all(|r| r[1] == "test-caseworker" && r[2] == "caseworker" && r[3] == "read_citizen"));
    assert!(found.iter().all(|r| r[6] == "ok"));

    let none = app.text("/admin/revision?til=2000-01-01", 200).await;
    assert!(rows(&none).is_empty() && none.contains("Ingen rækker passer"));

    let everything = app.text("/admin/revision", 200).await;
    for i in 0..12 {
        let cpr = valid_cpr(&format!("{:02}0190", i + 1), 0);
        assert!(!everything.contains(&cpr) && !everything.contains(&cpr[..6]), "a CPR number is shown");
    }
    assert!(!everything.contains("Kohorte Person"), "a name is shown");
});

store_test!(the_audit_log_pages_back_and_bad_filters_name_the_field, |db| async move {
    let (app, _) = spawn_with_cohort(db).await;
    let entries: Vec<AuditEntry> = (0..60)
        .map(|i| {
            AuditEntry::new(&Actor::system("test"), AuditAction::Export, Utc::now())
                .detail(format!("row {i}"))
        })
        .collect();
    app.store.audit_all(&entries).await.unwrap();
    app.login_as(Role::Admin).await;
    let html = app.text("/admin/revision?handling=export", 200).await;
    assert_eq!(rows(&html).len(), 50, "a page holds 50 rows");
    let links = html.split("href=\"").filter_map(|p| p.split('"').next());
    let next = links.map(|l| l.replace("&#38;", "&")).find(|l| l.contains("foer=")).expect("older rows");
    assert!(next.contains("handling=export") && next.contains("foer="), "{next}");
    let older = app.text(&next, 200).await;
    assert_eq!(rows(&older).len(), 10, "the rest, still filtered");
    assert!(older.contains("Nyeste rækker"));
    let bad = app.get("/admin/revision?borger=abc&fra=3.12.2026").await;
    assert_eq!(bad.status().as_u16(), 422);
    let text = bad.text().await.unwrap();
    assert!(text.contains("skal være et internt id") && text.contains("skal skrives ÅÅÅÅ-MM-DD"));
});
