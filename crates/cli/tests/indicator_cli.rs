//! The built `sikkerby` binary's four-eyes flow for indicator entries, on both backends: an entry
//! added by one user is sent back by another with a comment, corrected (the values given replace
//! the entry's) and approved by the other; nobody sends back or approves their own entry, and
//! every step leaves an audit row, as on the web.

mod cli_support;

use cli_support::{command, run_with_stdin};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};
use sqlx::Row;
use std::process::Output;

fn sikkerby(url: &str, args: &[&str]) -> Output {
    run_with_stdin(command(url, args), "")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

async fn audit_details(store: &Store) -> Vec<String> {
    let rows = sqlx::query("SELECT detail FROM audit_log WHERE action = 'indicator' ORDER BY seq")
        .fetch_all(store.pool())
        .await
        .unwrap();
    rows.iter().map(|r| r.get::<String, _>(0)).collect()
}

store_test!(
    an_entry_is_sent_back_corrected_and_approved_by_another_user_from_the_command_line,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let add = ["indicator", "add", "--criterion", "C11", "--year", "2013", "--indicator", "Oplæg"];
        let added = sikkerby(
            &db.url,
            &[&add[..], &["--number", "13", "--assessment", "met", "--by", "anna"]].concat(),
        );
        assert!(added.status.success(), "{}", text(&added));

        let own = sikkerby(&db.url, &["indicator", "send-back", "1", "--comment", "Tallet?", "--by", "Anna"]);
        assert!(!own.status.success() && text(&own).contains("someone other"), "{}", text(&own));
        let empty = sikkerby(&db.url, &["indicator", "send-back", "1", "--comment", " ", "--by", "bodil"]);
        assert!(!empty.status.success() && text(&empty).contains("comment"), "{}", text(&empty));
        let long = "x".repeat(2001);
        let too_long =
            sikkerby(&db.url, &["indicator", "send-back", "1", "--comment", &long, "--by", "bodil"]);
        assert!(!too_long.status.success() && text(&too_long).contains("--comment"), "{}", text(&too_long));

        let early = sikkerby(&db.url, &["indicator", "correct", "1", "--number", "14", "--by", "anna"]);
        assert!(!early.status.success() && text(&early).contains("sent back"), "{}", text(&early));
        let back = ["indicator", "send-back", "1", "--comment", "Tæl temadagen med", "--by", "bodil"];
        let sent = sikkerby(&db.url, &back);
        assert!(sent.status.success(), "{}", text(&sent));
        let listed = sikkerby(&db.url, &["indicator", "list", "--year", "2013"]);
        assert!(text(&listed).contains("sendt tilbage af bodil: Tæl temadagen med"), "{}", text(&listed));
        let approve_sent_back = sikkerby(&db.url, &["indicator", "approve", "1", "--by", "bodil"]);
        assert!(!approve_sent_back.status.success(), "{}", text(&approve_sent_back));

        let wrong = sikkerby(&db.url, &["indicator", "correct", "1", "--indicator", " ", "--by", "anna"]);
        assert!(
            !wrong.status.success() && text(&wrong).contains("indikator: skal udfyldes"),
            "{}",
            text(&wrong)
        );
        let corrected = sikkerby(&db.url, &["indicator", "correct", "1", "--number", "14", "--by", "anna"]);
        assert!(corrected.status.success(), "{}", text(&corrected));
        let entry = store.indicator_entry(1).await.unwrap().unwrap();
        assert_eq!(entry.number, Some(14.into()));
        assert_eq!((entry.indicator.as_str(), entry.sent_back.is_none()), ("Oplæg", true), "the rest stays");

        let own = sikkerby(&db.url, &["indicator", "approve", "1", "--by", "anna"]);
        assert!(!own.status.success() && text(&own).contains("someone other"), "{}", text(&own));
        let approved = sikkerby(&db.url, &["indicator", "approve", "1", "--by", "bodil"]);
        assert!(approved.status.success(), "{}", text(&approved));
        assert_eq!(store.indicator_entry(1).await.unwrap().unwrap().approved_by.as_deref(), Some("bodil"));
        assert_eq!(
            audit_details(&store).await,
            [
                "entry 1 (C11) entered",
                "entry 1 (C11) sent back",
                "entry 1 (C11) corrected",
                "entry 1 (C11) approved"
            ]
        );
    }
);

store_test!(an_unknown_entry_is_named_when_corrected_or_sent_back, |db: TestDatabase| async move {
    let _store = db.open_seeded().await;
    let correct = sikkerby(&db.url, &["indicator", "correct", "9", "--number", "1", "--by", "anna"]);
    assert!(
        !correct.status.success() && text(&correct).contains("entry 9 does not exist"),
        "{}",
        text(&correct)
    );
    let back = sikkerby(&db.url, &["indicator", "send-back", "9", "--comment", "x", "--by", "anna"]);
    assert!(!back.status.success() && text(&back).contains("entry 9 does not exist"), "{}", text(&back));
});
