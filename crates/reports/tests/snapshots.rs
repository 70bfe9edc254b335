//! Report snapshots on SQLite and PostgreSQL: a report made again from its snapshot is byte
//! for byte the same in every format, unchanged data reuses the draft, approval needs a second
//! person and locks the snapshot, and a correction after approval is a new version that lists
//! the figures that changed.

mod common;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sikkerby_reports::model::Change;
use sikkerby_reports::service::{approve, record, regenerate, ReportError};
use sikkerby_reports::{OutputFormat, ReportKind, ReportPeriod, ReportRequest};
use sikkerby_store::cases::{NewCitizen, NewPlacement};
use sikkerby_store::reports::SnapshotError;
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Citizens `range` with one leisure-job placement each, starting in March 2013.
async fn add_placements(store: &Store, range: std::ops::Range<u32>) {
    for i in range {
        let citizen =
            NewCitizen { cpr: format!("0101951{:03}", i), confirm_warnings: true, ..Default::default() };
        let id = store.create_citizen(&citizen).await.unwrap();
        let placement = NewPlacement {
            citizen_id: id,
            employer: Some("Netto".into()),
            start: date(2013, 3, 1),
            end: None,
        };
        store.add_placement(&placement).await.unwrap();
    }
}

fn annual_2013() -> ReportRequest {
    ReportRequest {
        kind: ReportKind::Annual,
        period: ReportPeriod::parse(ReportKind::Annual, "2013").unwrap(),
        as_of: date(2014, 2, 19),
        created_by: "analytiker".into(),
        index: None,
        assessments: Vec::new(),
    }
}

const FORMATS: [OutputFormat; 3] = [OutputFormat::Pdf, OutputFormat::Html, OutputFormat::Xlsx];

store_test!(
    a_report_made_again_from_its_snapshot_is_byte_identical_in_every_format,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        add_placements(&store, 0..12).await;
        let (snapshot, reused) = record(&store, &annual_2013()).await.unwrap();
        assert!(!reused);
        assert_eq!(snapshot.version, 1);
        for format in FORMATS {
            let first = regenerate(&store, snapshot.id, format).await.unwrap();
            let again = regenerate(&store, snapshot.id, format).await.unwrap();
            assert!(first == again, "{format:?} differs when made again");
        }
        let (same, reused) = record(&store, &annual_2013()).await.unwrap();
        assert!(reused, "unchanged data reuses the draft");
        assert_eq!(same.id, snapshot.id);
    }
);

store_test!(a_draft_made_again_from_changed_data_keeps_its_version, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    add_placements(&store, 0..6).await;
    let (first, _) = record(&store, &annual_2013()).await.unwrap();
    add_placements(&store, 6..8).await;
    let (second, reused) = record(&store, &annual_2013()).await.unwrap();
    assert!(!reused);
    assert_eq!((second.id, second.version), (first.id, 1));
    assert_ne!(second.snapshot.data_version, first.snapshot.data_version);
});

store_test!(
    approval_locks_a_snapshot_and_a_correction_lists_the_changed_figures,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        add_placements(&store, 0..12).await;
        let (v1, _) = record(&store, &annual_2013()).await.unwrap();
        let own = approve(&store, v1.id, "analytiker").await;
        assert!(matches!(own, Err(ReportError::Snapshot(SnapshotError::SelfApproval))), "{own:?}");
        let approved = approve(&store, v1.id, "leder").await.unwrap();
        assert_eq!(approved.approved_by.as_deref(), Some("leder"));
        let approved_pdf = regenerate(&store, v1.id, OutputFormat::Pdf).await.unwrap();

        let overwrite = store.replace_report_snapshot(v1.id, &v1.snapshot).await;
        assert!(matches!(overwrite, Err(SnapshotError::Locked(_))), "{overwrite:?}");
        assert!(matches!(
            approve(&store, v1.id, "direktør").await,
            Err(ReportError::Snapshot(SnapshotError::Locked(_)))
        ));

        add_placements(&store, 12..15).await;
        let (v2, reused) = record(&store, &annual_2013()).await.unwrap();
        assert!(!reused);
        assert_eq!(v2.version, 2);
        assert_eq!(v2.snapshot.corrects_id, Some(v1.id));
        let changes: Vec<Change> = serde_json::from_str(&v2.snapshot.changes).unwrap();
        let c5 =
            Change {
                criterion: "C5".into(), field: "værdi".into(), before: "12".into(), after: "15".into()
            };
        assert!(changes.contains(&c5), "{changes:?}");

        let locked = store.report_snapshot(v1.id).await.unwrap().unwrap();
        assert_eq!(locked.snapshot, v1.snapshot, "the approved version is untouched");
        assert!(regenerate(&store, v1.id, OutputFormat::Pdf).await.unwrap() == approved_pdf);
        if common::have_tool("pdftotext") {
            let text = common::pdf_text(
                &regenerate(&store, v2.id, OutputFormat::Pdf).await.unwrap(),
                &format!("v2-{}", v2.id),
            );
            assert!(text.contains("Rettelser i forhold til godkendt version 1"), "{text}");
            assert!(text.contains("C5 værdi 12 15"), "{text}");
        }
    }
);

store_test!(cost_figures_count_participants_and_recorded_spend, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    add_placements(&store, 0..7).await;
    store.set_budget_actual("Fritidsjobformidling", 2013, Decimal::new(19, 1)).await.unwrap();
    let outcomes = store.outcomes_per_initiative("2013-01-01", "2013-12-31").await.unwrap();
    assert_eq!(outcomes["FRITIDSJOB"].participants, 7);
    let actuals = store.budget_actuals(2013).await.unwrap();
    assert_eq!(actuals["Fritidsjobformidling"], Decimal::new(19, 1));
    assert!(store.budget_actuals(2012).await.unwrap().is_empty());
    let before = store.case_data_fingerprint().await.unwrap();
    add_placements(&store, 7..8).await;
    assert_ne!(store.case_data_fingerprint().await.unwrap(), before);
});

store_test!(a_half_yearly_report_lists_the_assessments_of_its_half_year, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = sikkerby_testkit::tryghed::generate_small(dir.path());
    let options = sikkerby_store::opera::ImportOptions { partial: false };
    store.import_tryghed(&folder, options).await.unwrap();
    let half_year = "2013H1".parse().unwrap();
    let recorded = store.area_assessments(half_year).await.unwrap();
    assert!(!recorded.is_empty(), "the generated data has assessments for 2013H1");
    let (_, _, bytes) =
        sikkerby_reports::generate(&store, "halfyear", "2013H1", "html", "analytiker").await.unwrap();
    let html = String::from_utf8(bytes).unwrap();
    assert!(!html.contains("Der er ikke registreret vurderinger"), "the report says none are recorded");
    let rows = html.matches("<tr>").count();
    assert!(rows >= recorded.len(), "{rows} table rows for {} assessments", recorded.len());
    for a in recorded.iter().filter_map(|a| a.text.as_deref()).filter(|t| !t.is_empty()) {
        let escaped =
            a.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        assert!(html.contains(&escaped), "assessment text {a:?} missing");
    }
});
