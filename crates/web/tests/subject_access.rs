//! The subject-access PDF "Indsigt: registrerede opslag" over HTTP on SQLite and PostgreSQL:
//! the dates and purposes of the reads and the disclosures of one citizen's data, no CPR number
//! or name, its making audited with the purpose "indsigt", a link on the citizen page, and the
//! same answer for another centre's citizen as for an unknown id.

mod case_support;
mod common;

use case_support::{spawn_with_cohort, valid_cpr};
use chrono::Utc;
use common::TestUser;
use sikkerby_domain::access::{DisclosurePurpose, LegalBasis};
use sikkerby_store::audit::{Actor, NewDisclosure};
use sikkerby_testkit::store_test;
use std::process::Command;

/// The text of a PDF by `pdftotext`, whitespace collapsed.
fn pdf_text(pdf: &[u8]) -> String {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf).unwrap();
    let out = Command::new("pdftotext").arg("-layout").arg(file.path()).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

store_test!(the_subject_access_pdf_lists_reads_and_disclosures_without_a_cpr, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    let id = cohort.citizens[0];
    let disclosure = NewDisclosure {
        citizen_id: id,
        recipient: "Københavns Politi".into(),
        what: "forløb og SSP-kategori".into(),
        legal_basis: LegalBasis::Rpl115,
        purpose: DisclosurePurpose::CrimePrevention,
    };
    app.store.record_disclosure(&disclosure, &Actor::system("test"), Utc::now()).await.unwrap();
    let page = app.text(&format!("/borgere/{id}"), 200).await;
    assert!(page.contains(&format!("href=\"/borgere/{id}/indsigt\"")), "the citizen page links to it");
    let response = app.get(&format!("/borgere/{id}/indsigt")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let text = pdf_text(&response.bytes().await.unwrap());
    let today = Utc::now().format("%d.%m.%Y").to_string();
    assert!(text.contains("Indsigt: registrerede opslag"), "{text}");
    assert!(text.contains(&format!("borger-id {id}")), "{text}");
    assert!(
        text.contains(&today) && text.contains("opslag i sagen") && text.contains("sagsbehandling"),
        "{text}"
    );
    assert!(text.contains("indsigt udleveret"), "its own making is listed: {text}");
    assert!(
        text.contains("Københavns Politi")
            && text.contains("retsplejeloven § 115")
            && text.contains("kriminalitetsforebyggelse"),
        "{text}"
    );
    let cpr = valid_cpr("010190", 0);
    assert!(!text.contains(&cpr) && !text.contains(&cpr[..6]) && !text.contains("Kohorte"), "{text}");
    let last = &app.store.audit_entries(None, 1).await.unwrap()[0];
    assert_eq!(
        (last.action.as_str(), last.person_id, last.purpose_code.as_deref()),
        ("subject_access", Some(id), Some("indsigt"))
    );
});

store_test!(another_centre_s_citizen_answers_as_an_unknown_id, |db| async move {
    let (app, cohort) = spawn_with_cohort(db).await;
    app.login_user(&TestUser::caseworker("vest-sagsbehandler", &["JKU Vest"])).await;
    let id = cohort.citizens[0];
    let other = app.get(&format!("/borgere/{id}/indsigt")).await;
    let unknown = app.get("/borgere/99999999/indsigt").await;
    assert_eq!((other.status().as_u16(), unknown.status().as_u16()), (404, 404));
    // The same page but for the path in the language switch.
    let other = other.text().await.unwrap().replace(&format!("/borgere/{id}/"), "/borgere/X/");
    let unknown = unknown.text().await.unwrap().replace("/borgere/99999999/", "/borgere/X/");
    assert_eq!(other, unknown);
    let last = &app.store.audit_entries(None, 1).await.unwrap()[0];
    assert_eq!((last.action.as_str(), last.result.as_str()), ("read_citizen", "denied"));
    assert!(app.store.audit_entries(None, 50).await.unwrap().iter().all(|r| r.action != "subject_access"));
});
