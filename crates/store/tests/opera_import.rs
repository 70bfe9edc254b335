//! The OPERA import as a whole, on SQLite and PostgreSQL: all or nothing, idempotence, updates by
//! id, partial imports, the accepted CSV dialects, progress, and the export's format.

mod opera_support;

use opera_support::*;
use sikkerby_store::opera::{ImportError, ImportOptions, ImportPhase, OperaFile};
use sikkerby_testkit::{store_test, TestDatabase};
use std::sync::Mutex;

store_test!(importing_the_base_extract_stores_every_row, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let report = import(&store, &Extract::base()).await.unwrap();
    let counts: Vec<(OperaFile, u64, u64)> =
        report.files.iter().map(|f| (f.file, f.read, f.inserted)).collect();
    assert_eq!(
        counts,
        vec![
            (OperaFile::Borgere, 2, 2),
            (OperaFile::Forloeb, 2, 2),
            (OperaFile::Tilbud, 2, 2),
            (OperaFile::Fritidsjob, 1, 1),
            (OperaFile::Haendelser, 2, 2),
            (OperaFile::Opfoelgninger, 4, 4),
        ]
    );
    assert_eq!(report.warnings_total, 0);
    assert!(report.rejected.is_empty());
});

store_test!(a_rejected_row_stores_nothing_and_leaves_the_database_as_it_was, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    import(&store, &Extract::base()).await.unwrap();
    let before = snapshot(&store).await;
    // Valid changes and new rows in every file, and one bad row at the very end.
    let extract = Extract::base()
        .with("borgere.csv", &format!("{}{CPR_C};Jens;amager\n", BORGERE.replace("Ali Hassan", "Ali H.")))
        .with("forloeb.csv", &FORLOEB.replace(";;;BIF;;", ";;;BIF;JKU02;"))
        .with("fritidsjob.csv", &format!("{FRITIDSJOB}J2;{CPR_C};Tivoli;2012-05-01;\n"))
        .with("opfoelgninger.csv", &OPFOELGNINGER.replace("T2;2012-06-10", "T2;2012-06-11"));
    let reasons = rejected(&store, &extract).await;
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].file, OperaFile::Opfoelgninger);
    assert_eq!(reasons[0].line, 5);
    assert_eq!(snapshot(&store).await, before);
});

store_test!(importing_the_same_folder_twice_changes_nothing, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    import(&store, &Extract::base()).await.unwrap();
    let before = snapshot(&store).await;
    let report = import(&store, &Extract::base()).await.unwrap();
    for file in &report.files {
        assert_eq!((file.inserted, file.updated), (0, 0), "{file:?}");
        assert_eq!(file.unchanged, file.read, "{file:?}");
    }
    assert_eq!(snapshot(&store).await, before);
});

store_test!(a_later_extract_with_the_same_id_updates_the_row, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    import(&store, &Extract::base()).await.unwrap();
    let ended = FORLOEB.replace(
        "F2;0302951004;UDGAAENDE;2012-03-01;;;BIF;;",
        "F2;0302951004;UDGAAENDE;2012-03-01;2012-12-31;uddannelse_paabegyndt;BIF;;",
    );
    // Its open offer ends with it: an open offer in an ended enrollment would lie outside.
    let offers =
        TILBUD.replace("T2;F2;mentorstoette;2012-03-10;;", "T2;F2;mentorstoette;2012-03-10;2012-12-31;andet");
    let extract = Extract::new()
        .with("forloeb.csv", &ended)
        .with("tilbud.csv", &offers)
        .with("borgere.csv", &BORGERE.replace("Emma Jensen", "Emma Juhl"));
    let report = import(&store, &extract).await.unwrap();
    let forloeb = report.file(OperaFile::Forloeb).unwrap();
    assert_eq!((forloeb.inserted, forloeb.updated, forloeb.unchanged), (0, 1, 1));
    let borgere = report.file(OperaFile::Borgere).unwrap();
    assert_eq!((borgere.inserted, borgere.updated, borgere.unchanged), (0, 1, 1));
    let (end, reason): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT end_date, end_reason FROM enrollment WHERE id = 'F2'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(end.as_deref(), Some("2012-12-31"));
    assert_eq!(reason.as_deref(), Some("uddannelse_paabegyndt"));
    // Files absent from the second folder left their rows alone.
    let counts = snapshot(&store).await;
    let events = counts.iter().find(|(name, _)| name == "life_event").unwrap();
    assert_eq!(events.1, ["2"]);
    let follow_ups = counts.iter().find(|(name, _)| name == "follow_up").unwrap();
    assert_eq!(follow_ups.1, ["4"]);
});

store_test!(
    a_partial_import_stores_the_valid_rows_and_writes_the_rejected_ones_beside_the_input,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let extract = Extract::base()
            .with("forloeb.csv", &format!("{FORLOEB}F3;{CPR_A};NOPE;2012-02-01;;;BIF;;\n"))
            .with(
                "tilbud.csv",
                &format!("{TILBUD}T3;F3;jobrotation;2012-03-01;;\n\"T4\";F1;\"jobrotation\";2012-01-01;;\n"),
            );
        let options = ImportOptions { partial: true };
        let report = store.import_opera(extract.path(), options, &|_| {}).await.unwrap();
        let forloeb = report.file(OperaFile::Forloeb).unwrap();
        assert_eq!((forloeb.read, forloeb.inserted, forloeb.rejected), (3, 2, 1));
        let tilbud = report.file(OperaFile::Tilbud).unwrap();
        assert_eq!((tilbud.read, tilbud.inserted, tilbud.rejected), (4, 2, 2));
        assert_eq!(report.rejected.total(), 3);
        assert_eq!(report.rejected.rejected_rows(), 3);
        let afviste = std::fs::read_to_string(extract.path().join("afviste_tilbud.csv")).unwrap();
        assert_eq!(
            afviste,
            "tilbud_id;forloeb_id;tilbudstype;start;slut;afslutningsaarsag;afvisning\n\
             T3;F3;jobrotation;2012-03-01;;;\"column forloeb_id: the enrollment \"\"F3\"\" (forloeb.csv line 4) was rejected\"\n\
             T4;F1;jobrotation;2012-01-01;;;\"column start: the offer starts 2012-01-01, before its enrollment \"\"F1\"\" starts 2012-02-01\"\n"
        );
        assert!(extract.path().join("afviste_forloeb.csv").exists());
        assert_eq!(report.rejected_files.len(), 2);
        // The folder can be imported again with the afviste files in it.
        let again = store.import_opera(extract.path(), options, &|_| {}).await.unwrap();
        assert_eq!(again.file(OperaFile::Forloeb).unwrap().unchanged, 2);
    }
);

store_test!(
    a_byte_order_mark_commas_quotes_and_danish_dates_are_read_like_the_canonical_form,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        import(&store, &Extract::base()).await.unwrap();
        let before = snapshot(&store).await;
        let mut borgere = b"\xEF\xBB\xBF".to_vec();
        borgere.extend_from_slice(
            b"OMRAADE,Navn,CPR\r\ntingbjerg,Ali Hassan,150590-1009\r\nhusum,\"Emma Jensen\",0302951004\r\n",
        );
        let forloeb = "Forloeb_ID,CPR,Indsats,Start,Slut,Afslutningsaarsag,Tovholder,Sagsbehandlerkode,Center
F1,1505901009,EXIT,01.02.2012,30-06-2012,ordinaer_beskaeftigelse,BIF,JKU01,\"JKU Nord\"
F2,0302951004,UDGAAENDE,01.03.2012,,,BIF,,
";
        let extract = Extract::base().with_bytes("borgere.csv", &borgere).with("forloeb.csv", forloeb);
        let report = import(&store, &extract).await.unwrap();
        let unchanged: u64 = report.files.iter().map(|f| f.unchanged).sum();
        let read: u64 = report.files.iter().map(|f| f.read).sum();
        assert_eq!(unchanged, read);
        assert_eq!(snapshot(&store).await, before);
    }
);

store_test!(progress_is_reported_per_file_and_phase_up_to_the_whole_folder, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let seen = Mutex::new(Vec::new());
    let extract = Extract::base();
    store
        .import_opera(extract.path(), ImportOptions::default(), &|p| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    let seen = seen.into_inner().unwrap();
    let last_read = seen.iter().rfind(|p| p.phase == ImportPhase::Reading).unwrap();
    assert_eq!(last_read.rows_done, 13);
    assert_eq!(last_read.bytes_done, last_read.bytes_total);
    assert!(seen.iter().any(|p| p.phase == ImportPhase::Storing && p.file == OperaFile::Opfoelgninger));
    assert!(seen
        .windows(2)
        .all(|w| w[0].bytes_done <= w[1].bytes_done || w[1].phase != ImportPhase::Reading));
});

store_test!(
    the_export_writes_six_semicolon_files_with_canonical_headers_and_no_byte_order_mark,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let extract = Extract::base();
        import(&store, &extract).await.unwrap();
        let out = tempfile::tempdir().unwrap();
        let report = store.export_opera(out.path()).await.unwrap();
        let rows: Vec<u64> = report.files.iter().map(|f| f.rows).collect();
        assert_eq!(rows, [2, 2, 2, 1, 2, 4]);
        // The base extract is canonical already: the export gives the same files.
        assert_eq!(read_sorted(out.path()), read_sorted(extract.path()));
    }
);

store_test!(an_error_lists_at_most_a_thousand_reasons_and_counts_the_rest, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let mut forloeb = FORLOEB.to_owned();
    for i in 0..1500 {
        forloeb.push_str(&format!("X{i};{CPR_A};NOPE;2012-02-01;;;BIF;;\n"));
    }
    let extract = Extract::base().with("forloeb.csv", &forloeb);
    match import(&store, &extract).await {
        Err(ImportError::Rejected(rows)) => {
            assert_eq!(rows.len(), 1000);
            assert_eq!(rows.more, 500);
            assert_eq!(rows[0].line, 4);
        }
        other => panic!("expected rejection, got {other:?}"),
    }
});

/// PostgreSQL only: SQLite's planner needs no statistics to use the indexes (without them it
/// takes an index as selective), so the store refreshes them on PostgreSQL alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_leaves_the_postgres_planner_statistics_current() {
    let Some(db) = TestDatabase::create(sikkerby_testkit::TestBackend::Postgres).await else { return };
    let store = db.open_seeded().await;
    import(&store, &Extract::base()).await.unwrap();
    // Without statistics the planner scanned every offer for one citizen's page.
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM pg_stats WHERE tablename = 'offer' AND attname = 'enrollment_id'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(sqlx::Row::try_get::<i64, _>(&row, "n").unwrap(), 1, "ANALYZE ran after the import");
}

store_test!(an_import_and_an_export_are_in_the_audit_log, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    import(&store, &Extract::base()).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    store.export_opera(out.path()).await.unwrap();
    let rows = store.audit_entries(None, 2).await.unwrap();
    let seen: Vec<(&str, &str, &str)> = rows
        .iter()
        .rev()
        .map(|r| (r.username.as_deref().unwrap_or(""), r.action.as_str(), r.detail.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("opera-import", "write_case", "OPERA import: 13 rows read, 13 new, 0 updated, 0 rejected"),
            ("opera-export", "export", "OPERA extract of all case data"),
        ]
    );
    assert_eq!(store.verify_audit().await.unwrap(), 2);
});
