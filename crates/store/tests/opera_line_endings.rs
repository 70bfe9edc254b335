//! Line endings and implausible values in an OPERA import, on both backends: with CRLF (RFC
//! 4180's own) a rejected row is reported on its real line; a file mixing LF and CRLF gives row
//! errors, not a database error; values that would distort the figures are refused by name.

mod opera_support;

use opera_support::*;
use sikkerby_store::opera::OperaFile;
use sikkerby_testkit::{store_test, TestDatabase};

/// The citizens' file with a bad CPR number on line 4, lines ending in `ending`.
fn borgere_with_bad_row(ending: &str) -> String {
    let lines = [
        "cpr;navn;omraade",
        "1505901009;Ali Hassan;tingbjerg",
        "0302951004;Emma Jensen;husum",
        "99999;X;husum",
    ];
    lines.iter().map(|l| format!("{l}{ending}")).collect()
}

store_test!(a_rejected_row_is_reported_on_its_line_with_crlf_line_endings, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    for ending in ["\n", "\r\n"] {
        let extract = Extract::base().with("borgere.csv", &borgere_with_bad_row(ending));
        let reasons = rejected(&store, &extract).await;
        let lines: Vec<(OperaFile, u64)> = reasons.iter().map(|r| (r.file, r.line)).collect();
        assert_eq!(lines, [(OperaFile::Borgere, 4)], "{ending:?}: {reasons:?}");
    }
});

store_test!(a_file_mixing_lf_and_crlf_gives_row_errors_not_a_database_error, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let mixed = "cpr;navn;omraade\r\n1505901009;Ali Hassan;tingbjerg\n0302951004;Emma Jensen;husum\r\n99999;X;husum\n2412881004;Jens;amager\r\n";
    let reasons = rejected(&store, &Extract::base().with("borgere.csv", mixed)).await;
    let lines: Vec<u64> = reasons.iter().map(|r| r.line).collect();
    assert_eq!(lines, [4], "{reasons:?}");
    // And the same file imports once the bad row is gone.
    let fixed = mixed.replace("99999;X;husum\n", "");
    import(&store, &Extract::base().with("borgere.csv", &fixed)).await.expect("the mixed file imports");
});

store_test!(implausible_lengths_and_dates_are_refused_by_column, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let long_name = "A".repeat(1_000_000);
    let extract = Extract::base()
        .with(
            "borgere.csv",
            &format!("cpr;navn;omraade\n1505901009;{long_name};tingbjerg\n0302951004;Emma;husum\n"),
        )
        .with("haendelser.csv", "haendelse_id;cpr;haendelse;dato;vaerdi\nH9;0302951004;dom;2099-01-01;\n");
    let reasons = rejected(&store, &extract).await;
    let found: Vec<(OperaFile, u64, Option<&str>)> =
        reasons.iter().map(|r| (r.file, r.line, r.column.as_deref())).collect();
    assert!(found.contains(&(OperaFile::Borgere, 2, Some("navn"))), "{reasons:?}");
    assert!(found.contains(&(OperaFile::Haendelser, 2, Some("dato"))), "{reasons:?}");
    let text = reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
    assert!(text.contains("at most 200 characters, this one has 1000000"), "{text}");
    assert!(text.contains("2099-01-01 is not a plausible date"), "{text}");
    assert!(text.len() < 10_000, "the reason does not repeat the value");
});
