//! Each consistency rule of docs/formats.md as an error naming file, line and column, on SQLite
//! and PostgreSQL. Line 1 is the header; the base extract's rows start on line 2, so a row
//! appended to `forloeb.csv` is on line 4.

mod opera_support;

use opera_support::*;
use sikkerby_store::opera::{ImportError, OperaFile};
use sikkerby_testkit::{store_test, TestDatabase};

/// The reasons an import of `extract` into a freshly seeded database is rejected with.
async fn reasons(db: TestDatabase, extract: Extract) -> Vec<String> {
    let store = db.open_seeded().await;
    rejected_lines(&store, &extract).await
}

fn plus(base: &str, rows: &str) -> String {
    format!("{base}{rows}\n")
}

store_test!(an_end_before_its_start_is_rejected_naming_file_line_and_column, |db: TestDatabase| async move {
    let row = "F3;1505901009;EXIT;2012-02-01;2012-01-01;andet;BIF;;";
    let extract = Extract::base().with("forloeb.csv", &plus(FORLOEB, row));
    assert_eq!(
        reasons(db, extract).await,
        ["forloeb.csv:4: column slut: end 2012-01-01 is before start 2012-02-01"]
    );
});

store_test!(a_cpr_number_whose_birth_date_does_not_exist_is_rejected_masked, |db: TestDatabase| async move {
    let extract = Extract::base().with("borgere.csv", &plus(BORGERE, "3102901234;X;"));
    assert_eq!(
        reasons(db, extract).await,
        ["borgere.csv:4: column cpr: CPR number 310290-xxxx: its birth date does not exist"]
    );
});

store_test!(
    a_cpr_number_failing_only_modulus_11_is_stored_with_a_warning_without_the_number,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let extract = Extract::base().with("borgere.csv", &plus(BORGERE, &format!("{CPR_MOD11};;")));
        let report = import(&store, &extract).await.unwrap();
        assert_eq!(report.warnings_total, 1);
        let warning = report.warnings[0].to_string();
        assert!(warning.starts_with("borgere.csv:4: column cpr: "), "{warning}");
        assert!(warning.contains("modulus-11"));
        assert!(!warning.contains(CPR_MOD11));
        let flag: i64 = sqlx::query_scalar("SELECT modulus11_warning FROM citizen WHERE cpr = $1")
            .bind(CPR_MOD11)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(flag, 1);
    }
);

store_test!(unknown_codes_are_rejected_each_in_its_column, |db: TestDatabase| async move {
    let extract = Extract::base()
        .with("forloeb.csv", &plus(FORLOEB, "F3;1505901009;NOPE;2012-02-01;2012-03-01;keder_sig;BIF;;"))
        .with("tilbud.csv", &plus(TILBUD, "T3;F1;flyvetur;2012-03-01;;"))
        .with("haendelser.csv", &plus(HAENDELSER, "H3;1505901009;fest;2012-03-01;"))
        .with(
            "opfoelgninger.csv",
            &format!(
                "{OPFOELGNINGER}O5;1505901009;forloeb_start;F1;2012-09-30;;\n\
                     O6;1505901009;tilbud_start;T1;2012-05-15;2012-05-16;glad\n"
            ),
        );
    assert_eq!(
        reasons(db, extract).await,
        [
            "forloeb.csv:4: column indsats: unknown initiative \"NOPE\"",
            "forloeb.csv:4: column afslutningsaarsag: unknown end reason \"keder_sig\"",
            "tilbud.csv:4: column tilbudstype: unknown offer type \"flyvetur\"",
            "haendelser.csv:4: column haendelse: unknown event kind \"fest\"",
            "opfoelgninger.csv:6: column anker: unknown anchor \"forloeb_start\"",
            "opfoelgninger.csv:7: column status: unknown follow-up status \"glad\"",
        ]
    );
});

store_test!(an_end_reason_is_required_when_an_enrollment_has_ended, |db: TestDatabase| async move {
    let row = "F3;1505901009;EXIT;2012-02-01;2012-05-01;;BIF;;";
    let extract = Extract::base().with("forloeb.csv", &plus(FORLOEB, row));
    assert_eq!(
        reasons(db, extract).await,
        ["forloeb.csv:4: column afslutningsaarsag: an end reason is required when slut is set"]
    );
});

store_test!(a_status_is_required_when_a_follow_up_is_done, |db: TestDatabase| async move {
    let follow_ups = OPFOELGNINGER.replace("2012-06-10;;", "2012-06-10;2012-06-12;");
    let extract = Extract::base().with("opfoelgninger.csv", &follow_ups);
    assert_eq!(
        reasons(db, extract).await,
        ["opfoelgninger.csv:5: column status: a status is required when udfoert is set"]
    );
});

store_test!(an_ssp_category_must_be_1_to_4_and_other_events_take_no_value, |db: TestDatabase| async move {
    let events = HAENDELSER.replace("2012-02-01;3", "2012-02-01;5") + "H3;1505901009;dom;2012-03-01;2\n";
    let extract = Extract::base().with("haendelser.csv", &events);
    assert_eq!(
        reasons(db, extract).await,
        [
            "haendelser.csv:3: column vaerdi: ssp_kategori needs a value from 1 to 4",
            "haendelser.csv:4: column vaerdi: an event of kind dom takes no value",
        ]
    );
});

store_test!(an_offer_outside_its_enrollments_dates_is_rejected, |db: TestDatabase| async move {
    let rows = "T3;F1;virksomhedspraktik;2012-01-15;2012-03-01;andet
T4;F1;virksomhedspraktik;2012-03-01;2012-07-15;andet
T5;F1;virksomhedspraktik;2012-03-01;;
T6;F2;virksomhedspraktik;2012-02-20;;";
    let extract = Extract::base().with("tilbud.csv", &plus(TILBUD, rows));
    assert_eq!(
            reasons(db, extract).await,
            [
                "tilbud.csv:4: column start: the offer starts 2012-01-15, before its enrollment \"F1\" starts 2012-02-01",
                "tilbud.csv:5: column slut: the offer ends 2012-07-15, after its enrollment \"F1\" ended 2012-06-30",
                "tilbud.csv:6: column slut: the offer has no end, but its enrollment \"F1\" ended 2012-06-30",
                "tilbud.csv:7: column start: the offer starts 2012-02-20, before its enrollment \"F2\" starts 2012-03-01",
            ]
        );
});

store_test!(
    references_to_ids_in_neither_the_folder_nor_the_database_are_rejected,
    |db: TestDatabase| async move {
        let extract = Extract::base()
            .with("forloeb.csv", &plus(FORLOEB, "F3;2412881004;EXIT;2012-02-01;;;BIF;;"))
            .with("tilbud.csv", &plus(TILBUD, "T3;F9;virksomhedspraktik;2012-03-01;;"))
            .with("fritidsjob.csv", &plus(FRITIDSJOB, "J2;2412881004;Netto;2012-04-01;"))
            .with("haendelser.csv", &plus(HAENDELSER, "H3;2412881004;dom;2012-03-01;"))
            .with(
                "opfoelgninger.csv",
                &plus(
                    OPFOELGNINGER,
                    "O5;2412881004;tilbud_start;T1;2012-05-15;;
O6;1505901009;forloeb_slut;F9;2012-09-30;;
O7;1505901009;tilbud_slut;T9;2012-09-30;;
O8;1505901009;loesladelse;H9;2012-09-30;;",
                ),
            );
        assert_eq!(
            reasons(db, extract).await,
            [
                "forloeb.csv:4: column cpr: no citizen 241288-xxxx in borgere.csv or the database",
                "tilbud.csv:4: column forloeb_id: no enrollment \"F9\" in forloeb.csv or the database",
                "fritidsjob.csv:3: column cpr: no citizen 241288-xxxx in borgere.csv or the database",
                "haendelser.csv:4: column cpr: no citizen 241288-xxxx in borgere.csv or the database",
                "opfoelgninger.csv:6: column cpr: no citizen 241288-xxxx in borgere.csv or the database",
                "opfoelgninger.csv:6: column cpr: the citizen is not the citizen of the offer \"T1\"",
                "opfoelgninger.csv:7: column anker_id: no enrollment \"F9\" in forloeb.csv or the database",
                "opfoelgninger.csv:8: column anker_id: no offer \"T9\" in tilbud.csv or the database",
                "opfoelgninger.csv:9: column anker_id: no event \"H9\" in haendelser.csv or the database",
            ]
        );
    }
);

store_test!(references_to_rows_already_in_the_database_are_accepted, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    import(&store, &Extract::base()).await.unwrap();
    let extract = Extract::new()
        .with("tilbud.csv", &plus(TILBUD, "T3;F1;jobrotation;2012-03-01;2012-04-01;andet"))
        .with(
            "opfoelgninger.csv",
            "opfoelgning_id;cpr;anker;anker_id;forfald\nO5;1505901009;tilbud_start;T3;2012-06-01\n",
        );
    let report = import(&store, &extract).await.unwrap();
    assert_eq!(report.file(OperaFile::Tilbud).unwrap().inserted, 1);
    assert_eq!(report.file(OperaFile::Opfoelgninger).unwrap().inserted, 1);
});

store_test!(a_rejected_row_rejects_the_rows_that_refer_to_it, |db: TestDatabase| async move {
    let extract = Extract::base()
        .with("forloeb.csv", &plus(FORLOEB, "F3;1505901009;NOPE;2012-02-01;;;BIF;;"))
        .with("tilbud.csv", &plus(TILBUD, "T3;F3;jobrotation;2012-03-01;;"));
    assert_eq!(
        reasons(db, extract).await,
        [
            "forloeb.csv:4: column indsats: unknown initiative \"NOPE\"",
            "tilbud.csv:4: column forloeb_id: the enrollment \"F3\" (forloeb.csv line 4) was rejected",
        ]
    );
});

store_test!(
    a_follow_up_due_other_than_anchor_plus_the_rules_months_is_rejected,
    |db: TestDatabase| async move {
        let follow_ups = OPFOELGNINGER.replace("F1;2012-09-30", "F1;2012-10-01");
        let extract = Extract::base().with("opfoelgninger.csv", &follow_ups);
        assert_eq!(
            reasons(db, extract).await,
            ["opfoelgninger.csv:2: column forfald: due 2012-10-01, expected 2012-09-30 (forloeb_slut 2012-06-30 + 3 months)"]
        );
    }
);

store_test!(
    a_follow_up_three_months_after_30_november_falls_due_on_the_last_day_of_february,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let enrollments = plus(FORLOEB, "F3;1505901009;EXIT;2012-10-01;2012-11-30;andet;BIF;;");
        let good = plus(OPFOELGNINGER, "O5;1505901009;forloeb_slut;F3;2013-02-28;;");
        let extract = Extract::base().with("forloeb.csv", &enrollments).with("opfoelgninger.csv", &good);
        import(&store, &extract).await.unwrap();
        let bad = plus(OPFOELGNINGER, "O5;1505901009;forloeb_slut;F3;2013-03-02;;");
        let extract = Extract::base().with("forloeb.csv", &enrollments).with("opfoelgninger.csv", &bad);
        assert_eq!(
            rejected_lines(&store, &extract).await,
            ["opfoelgninger.csv:6: column forfald: due 2013-03-02, expected 2013-02-28 (forloeb_slut 2012-11-30 + 3 months)"]
        );
    }
);

store_test!(
    a_follow_up_must_belong_to_its_anchors_citizen_and_find_its_anchor_date,
    |db: TestDatabase| async move {
        let follow_ups = format!(
            "{}O5;1505901009;loesladelse;H2;2012-05-01;;\nO6;0302951004;forloeb_slut;F2;2012-06-01;;\n",
            OPFOELGNINGER.replace("O1;1505901009", "O1;0302951004")
        );
        let extract = Extract::base().with("opfoelgninger.csv", &follow_ups);
        assert_eq!(
            reasons(db, extract).await,
            [
                "opfoelgninger.csv:2: column cpr: the citizen is not the citizen of the enrollment \"F1\"",
                "opfoelgninger.csv:6: column anker_id: the event \"H2\" is a ssp_kategori, not a loesladelse",
                "opfoelgninger.csv:7: column anker_id: the enrollment \"F2\" has no end date to anchor a follow-up on",
            ]
        );
    }
);

store_test!(an_id_repeated_in_a_file_rejects_every_row_with_it, |db: TestDatabase| async move {
    let extract = Extract::base()
        .with("borgere.csv", &plus(BORGERE, "2412881004;Jens;\n241288-1004;Jens;"))
        .with(
        "tilbud.csv",
        &plus(
            TILBUD,
            "T3;F1;jobrotation;2012-03-01;2012-04-01;andet\nT3;F1;jobrotation;2012-03-01;2012-04-01;andet",
        ),
    );
    assert_eq!(
        reasons(db, extract).await,
        [
            "borgere.csv:4: column cpr: the same CPR number is on line 5 too",
            "borgere.csv:5: column cpr: the same CPR number is on line 4 too",
            "tilbud.csv:4: column tilbud_id: tilbud_id \"T3\" is on line 5 too",
            "tilbud.csv:5: column tilbud_id: tilbud_id \"T3\" is on line 4 too",
        ]
    );
});

store_test!(two_follow_ups_on_one_anchor_are_rejected, |db: TestDatabase| async move {
    let extract = Extract::base()
        .with("opfoelgninger.csv", &plus(OPFOELGNINGER, "O5;1505901009;forloeb_slut;F1;2012-09-30;;"));
    assert_eq!(
        reasons(db, extract).await,
        [
            "opfoelgninger.csv:2: column anker_id: line 6 has a follow-up on the same anchor",
            "opfoelgninger.csv:6: column anker_id: line 2 has a follow-up on the same anchor",
        ]
    );
});

store_test!(
    a_stored_follow_up_on_the_same_anchor_rejects_the_row_unless_the_system_scheduled_it,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        import(&store, &Extract::base()).await.unwrap();
        sqlx::query("UPDATE follow_up SET id = 'MANUAL1' WHERE id = 'O2'")
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(
            rejected_lines(&store, &Extract::base()).await,
            ["opfoelgninger.csv:3: column anker_id: the stored follow-up \"MANUAL1\" has the same anchor"]
        );
        sqlx::query("UPDATE follow_up SET scheduled = 1 WHERE id = 'MANUAL1'")
            .execute(store.pool())
            .await
            .unwrap();
        import(&store, &Extract::base()).await.unwrap();
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM follow_up ORDER BY id").fetch_all(store.pool()).await.unwrap();
        assert_eq!(ids, ["O1", "O2", "O3", "O4"]);
    }
);

store_test!(
    new_enrollment_dates_that_leave_a_stored_offer_outside_are_rejected,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        import(&store, &Extract::base()).await.unwrap();
        let shorter = FORLOEB.replace("2012-06-30", "2012-04-30");
        let extract = Extract::new().with("forloeb.csv", &shorter);
        assert_eq!(
            rejected_lines(&store, &extract).await,
            ["forloeb.csv:2: column start: the stored offer \"T1\" (2012-02-15 to 2012-05-31) would lie outside the enrollment (2012-02-01 to 2012-04-30)"]
        );
    }
);

store_test!(unknown_and_missing_columns_are_rejected_naming_the_column, |db: TestDatabase| async move {
    let extract = Extract::base()
        .with(
            "forloeb.csv",
            &FORLOEB.replacen("center", "center;farve", 1).replace(";JKU Nord", ";JKU Nord;blaa"),
        )
        .with("tilbud.csv", "tilbud_id;forloeb_id;start\nT1;F1;2012-02-15\n");
    let lines = reasons(db, extract).await;
    assert_eq!(
        lines,
        [
            "forloeb.csv:1: column farve: unknown column; the columns are forloeb_id, cpr, \
                 indsats, start, slut, afslutningsaarsag, tovholder, sagsbehandlerkode, center",
            "tilbud.csv:1: column tilbudstype: required column is missing",
        ]
    );
});

store_test!(a_file_that_is_not_one_of_the_six_is_an_error_naming_it, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let extract = Extract::base().with("noter.txt", "hej");
    match import(&store, &extract).await {
        Err(ImportError::UnknownFile(name)) => assert_eq!(name, "noter.txt"),
        other => panic!("expected an unknown file, got {other:?}"),
    }
});

store_test!(an_unknown_area_is_kept_with_a_warning, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let extract = Extract::base().with("borgere.csv", &BORGERE.replace("husum", "nyt_omraade"));
    let report = import(&store, &extract).await.unwrap();
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings, ["borgere.csv:3: column omraade: area \"nyt_omraade\" is not known yet; kept"]);
    let area: String = sqlx::query_scalar("SELECT area_id FROM citizen WHERE cpr = $1")
        .bind(CPR_B)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(area, "nyt_omraade");
});

store_test!(no_reason_or_warning_ever_holds_a_full_cpr_number, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let extract = Extract::base()
        .with("borgere.csv", &plus(BORGERE, &format!("{CPR_MOD11};;\n3102901234;;\n{CPR_A};;")))
        .with("forloeb.csv", &plus(FORLOEB, &format!("F3;{CPR_C};{CPR_A};2012-02-01;;;BIF;;")))
        .with("opfoelgninger.csv", &plus(OPFOELGNINGER, &format!("O5;{CPR_B};forloeb_slut;F1;2012-09-30;;")));
    let text = match import(&store, &extract).await {
        Err(error) => error.to_string(),
        Ok(report) => panic!("expected rejection, got {report:?}"),
    };
    for cpr in [CPR_A, CPR_B, CPR_C, CPR_MOD11, "3102901234"] {
        assert!(!text.contains(cpr), "{text}");
        assert!(!text.contains(&format!("{}-{}", &cpr[..6], &cpr[6..])), "{text}");
    }
    assert!(text.lines().count() >= 5, "{text}");
});
