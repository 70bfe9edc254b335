//! The import of the area data (`tryghed/`) on both backends: all or nothing with every rejected
//! row named by file, line and column; the same folder twice changes nothing; a later extract
//! updates by key; the dialect rules of the case extract (BOM, `,` or `;`, any case of header,
//! decimal comma); `--partial` stores the rest and writes the afviste file.

use sikkerby_store::opera::ImportOptions;
use sikkerby_store::tryghed::{TryghedFile, TryghedImportError, TryghedRowError};
use sikkerby_store::Store;
use sikkerby_testkit::tryghed::generate_small;
use sikkerby_testkit::{store_test, TestDatabase};
use sqlx::Row;
use std::path::Path;

const ALL: ImportOptions = ImportOptions { partial: false };

/// Rows in each of the four tables, and the import stamp.
async fn counts(store: &Store) -> Vec<i64> {
    let mut out = Vec::new();
    for table in ["area_year", "police_report", "survey_response", "area_assessment"] {
        let row =
            sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(store.pool()).await.unwrap();
        out.push(row.try_get::<i64, _>(0).unwrap());
    }
    out.push(store.index_stamp().await.unwrap().0);
    out
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count() - 1
}

/// Replaces line `line` (1 = header) of a file.
fn replace_line(path: &Path, line: usize, new: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut all: Vec<String> = text.lines().map(str::to_owned).collect();
    all[line - 1] = new.to_owned();
    std::fs::write(path, all.join("\n") + "\n").unwrap();
}

fn rejected(
    result: Result<sikkerby_store::tryghed::TryghedReport, TryghedImportError>,
) -> Vec<TryghedRowError> {
    match result {
        Err(TryghedImportError::Rejected(rows)) => rows.0,
        other => panic!("expected rejected rows, got {other:?}"),
    }
}

store_test!(
    a_generated_folder_imports_whole_and_a_second_import_changes_nothing,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let dir = tempfile::tempdir().unwrap();
        let folder = generate_small(dir.path());
        let first = store.import_tryghed(&folder, ALL).await.unwrap();
        for file in TryghedFile::ALL {
            let report = first.file(file).unwrap();
            assert_eq!(report.read as usize, lines(&folder.join(file.file_name())), "{file}");
            assert_eq!((report.inserted, report.updated, report.rejected), (report.read, 0, 0), "{file}");
        }
        let after_first = counts(&store).await;
        assert_eq!(after_first[4], 1, "one import that changed something");
        let second = store.import_tryghed(&folder, ALL).await.unwrap();
        assert!(second.files.iter().all(|f| f.inserted + f.updated == 0 && f.unchanged == f.read));
        assert_eq!(counts(&store).await, after_first, "nothing changed, not even the stamp");
        let name: String = sqlx::query("SELECT name FROM area WHERE id = 'christiania'")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert_eq!(name, "Christiania", "a new area arrives with the area data");
    }
);

store_test!(a_bad_row_stores_nothing_and_names_file_line_and_column, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = generate_small(dir.path());
    replace_line(&folder.join("survey.csv"), 5, "2012-4;tingbjerg;2012;abc;2;3;0");
    replace_line(&folder.join("omraader.csv"), 3, "husum;Husum;atlantis;2012;9000");
    let errors = rejected(store.import_tryghed(&folder, ALL).await);
    let find = |file: TryghedFile, column: &str| {
        errors.iter().find(|e| e.file == file && e.column.as_deref() == Some(column)).cloned()
    };
    let weight = find(TryghedFile::Survey, "vaegt").expect("the weight is named");
    assert_eq!(weight.line, 5);
    assert!(weight.reason.contains("\"abc\""), "{}", weight.reason);
    assert_eq!(weight.to_string(), format!("survey.csv:5: column vaegt: {}", weight.reason));
    let district = find(TryghedFile::Omraader, "bydel").expect("the district is named");
    assert_eq!(district.line, 3);
    assert_eq!(counts(&store).await, vec![0, 0, 0, 0, 0], "nothing stored");
});

store_test!(a_rejected_folder_leaves_earlier_data_exactly_as_it_was, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = generate_small(dir.path());
    store.import_tryghed(&folder, ALL).await.unwrap();
    let before = counts(&store).await;
    let inputs = store.index_inputs().await.unwrap();
    replace_line(
        &folder.join("omraader.csv"),
        2,
        "tingbjerg;Tingbjerg/Utterslevhuse;broenshoej_husum;2012;7000",
    );
    replace_line(&folder.join("anmeldelser.csv"), 4, "tingbjerg;2012;indbrud;2;70");
    let errors = rejected(store.import_tryghed(&folder, ALL).await);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].file, errors[0].line, errors[0].column.as_deref()),
        (TryghedFile::Anmeldelser, 4, Some("borgervendt"))
    );
    assert_eq!(counts(&store).await, before);
    assert_eq!(store.index_inputs().await.unwrap(), inputs, "the population was not updated either");
});

store_test!(a_later_extract_with_the_same_key_updates_the_row, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = generate_small(dir.path());
    store.import_tryghed(&folder, ALL).await.unwrap();
    let only = dir.path().join("rettelse");
    std::fs::create_dir(&only).unwrap();
    std::fs::write(
        only.join("omraader.csv"),
        "omraade_id;navn;bydel;aar;befolkning\ntingbjerg;Tingbjerg;broenshoej_husum;2012;7000\n",
    )
    .unwrap();
    let report = store.import_tryghed(&only, ALL).await.unwrap();
    let file = report.file(TryghedFile::Omraader).unwrap();
    assert_eq!((file.inserted, file.updated, file.unchanged), (0, 1, 0));
    let inputs = store.index_inputs().await.unwrap();
    let tingbjerg = inputs.areas.iter().find(|a| a.area == "tingbjerg" && a.year == 2012).unwrap();
    assert_eq!(tingbjerg.population, 7000);
    assert_eq!(
        inputs.areas.len(),
        lines(&folder.join("omraader.csv")),
        "absent files leave the rest untouched"
    );
    assert_eq!(store.index_stamp().await.unwrap().0, 2);
});

store_test!(the_dialect_rules_of_the_case_extract_hold_for_area_data, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("OMRAADER.csv"),
        "\u{feff}Befolkning,AAR,bydel,Navn,OMRAADE_ID\n1200,2013,valby,\"Valby, syd\",valby_syd\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("survey.csv"),
        "respondent_id;omraade_id;aar;vaegt;tryg_nabolag;tryg_nat;offer\nr1;valby_syd;2013;1,25;4;5;1\n",
    )
    .unwrap();
    store.import_tryghed(dir.path(), ALL).await.unwrap();
    let inputs = store.index_inputs().await.unwrap();
    assert_eq!(inputs.areas[0].population, 1200);
    assert_eq!(inputs.survey[0].weight, 1.25, "decimal comma");
    std::fs::write(dir.path().join("vurderinger.csv"), "omraade_id;halvaar;kilde;vurdering;farve\n").unwrap();
    let errors = rejected(store.import_tryghed(dir.path(), ALL).await);
    assert_eq!(errors[0].column.as_deref(), Some("farve"));
    assert_eq!(errors[0].line, 1);
    std::fs::remove_file(dir.path().join("vurderinger.csv")).unwrap();
    std::fs::write(dir.path().join("noter.csv"), "x\n").unwrap();
    match store.import_tryghed(dir.path(), ALL).await {
        Err(TryghedImportError::UnknownFile(name)) => assert_eq!(name, "noter.csv"),
        other => panic!("expected an unknown file, got {other:?}"),
    }
});

store_test!(references_and_repeated_keys_are_rejected_by_line, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("anmeldelser.csv"),
        "omraade_id;aar;gruppe;borgervendt;antal\ntingbjerg;2012;vold;1;5\nnowhere;2012;vold;1;5\ntingbjerg;2012;vold;1;6\n",
    )
    .unwrap();
    let errors = rejected(store.import_tryghed(dir.path(), ALL).await);
    let lines: Vec<(u64, Option<&str>)> = errors.iter().map(|e| (e.line, e.column.as_deref())).collect();
    assert_eq!(lines, vec![(2, None), (3, Some("omraade_id")), (4, None)], "{errors:?}");
    assert!(errors[0].reason.contains("line 4"), "{}", errors[0].reason);
});

store_test!(
    a_partial_import_stores_the_rest_and_writes_the_rejected_rows_beside_the_input,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let dir = tempfile::tempdir().unwrap();
        let folder = generate_small(dir.path());
        replace_line(&folder.join("vurderinger.csv"), 3, "tingbjerg;2012H3;politi;4;x");
        let report = store.import_tryghed(&folder, ImportOptions { partial: true }).await.unwrap();
        let file = report.file(TryghedFile::Vurderinger).unwrap();
        assert_eq!((file.rejected, file.inserted), (1, file.read - 1));
        let afviste = std::fs::read_to_string(folder.join("afviste_vurderinger.csv")).unwrap();
        let rows: Vec<&str> = afviste.lines().collect();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].ends_with(";afvisning"));
        assert!(rows[1].starts_with("tingbjerg;2012H3;politi;4;x;\"column halvaar:"), "{}", rows[1]);
        // The folder, afviste file included, imports again: the file is the import's own.
        replace_line(&folder.join("vurderinger.csv"), 3, "tingbjerg;2012H1;politi;4;x");
        store.import_tryghed(&folder, ImportOptions { partial: true }).await.unwrap();
        assert!(!folder.join("afviste_vurderinger.csv").exists(), "a stale afviste file is removed");
    }
);

/// Line `line` of a file with its field `index` replaced.
fn with_field(path: &Path, line: usize, index: usize, value: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut fields: Vec<String> = text.lines().nth(line - 1).unwrap().split(';').map(str::to_owned).collect();
    fields[index] = value.to_owned();
    replace_line(path, line, &fields.join(";"));
}

store_test!(implausible_weights_counts_and_years_are_refused_by_column, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = generate_small(dir.path());
    with_field(&folder.join("survey.csv"), 2, 3, "100000000000000000000000000");
    with_field(&folder.join("omraader.csv"), 2, 4, "99999999");
    with_field(&folder.join("anmeldelser.csv"), 2, 4, "4000000000");
    with_field(&folder.join("survey.csv"), 3, 2, "2099");
    let errors = rejected(store.import_tryghed(&folder, ALL).await);
    let reason = |file: TryghedFile, line: u64, column: &str| {
        let found =
            errors.iter().find(|e| e.file == file && e.line == line && e.column.as_deref() == Some(column));
        found.unwrap_or_else(|| panic!("no error for {file} line {line} {column}: {errors:?}")).reason.clone()
    };
    assert!(reason(TryghedFile::Survey, 2, "vaegt").contains("above 100"));
    assert!(reason(TryghedFile::Omraader, 2, "befolkning").contains("0 to 1000000"));
    assert!(reason(TryghedFile::Anmeldelser, 2, "antal").contains("0 to 100000"));
    assert!(reason(TryghedFile::Survey, 3, "aar").contains("from 1970"));
    assert_eq!(counts(&store).await, vec![0, 0, 0, 0, 0], "nothing stored");
});
