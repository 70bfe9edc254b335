//! Indicator entries on both backends: the second user's review (approve, or send back with a
//! comment), the correction that makes a sent-back entry await approval again, a delivery file
//! stored all or none, and an audit row for every change.

use sikkerby_domain::calendar::Period;
use sikkerby_domain::indicators::{Assessment, ReviewError, ReviewStatus};
use sikkerby_store::audit::Actor;
use sikkerby_store::indicators::{IndicatorError, NewIndicatorEntry};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};

fn entry(by: &str) -> NewIndicatorEntry {
    NewIndicatorEntry {
        criterion: "C11".into(),
        period: Period::year(2013).unwrap(),
        indicator: "Oplæg/temadage".into(),
        number: Some(9.into()),
        baseline: None,
        direction: None,
        assessment: Some(Assessment::Partly),
        due: None,
        delivered: None,
        narrative: "9 oplæg".into(),
        entered_by: by.into(),
    }
}

fn actor(name: &str) -> Actor {
    Actor::system(name)
}

async fn indicator_rows(store: &Store) -> Vec<String> {
    let rows = store.audit_entries(None, 100).await.unwrap();
    rows.into_iter().rev().filter(|r| r.action == "indicator").map(|r| r.detail).collect()
}

store_test!(
    a_sent_back_entry_is_corrected_and_then_approved_by_another_user,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let id = store.add_indicator_entry(&entry("anna"), &actor("anna")).await.unwrap();
        let refused = store.send_back_indicator_entry(id, "ANNA", "ret tallet", &actor("anna")).await;
        assert!(matches!(refused, Err(IndicatorError::Review(ReviewError::SamePerson))), "{refused:?}");
        let no_comment = store.send_back_indicator_entry(id, "bent", "  ", &actor("bent")).await;
        assert!(matches!(no_comment, Err(IndicatorError::Review(ReviewError::NoComment))), "{no_comment:?}");

        store
            .send_back_indicator_entry(id, "bent", "Der var 11 oplæg, ikke 9", &actor("bent"))
            .await
            .unwrap();
        let back = store.indicator_entry(id).await.unwrap().unwrap();
        assert_eq!(back.status(), ReviewStatus::SentBack);
        let sent = back.sent_back.as_ref().unwrap();
        assert_eq!((sent.by.as_str(), sent.comment.as_str()), ("bent", "Der var 11 oplæg, ikke 9"));
        let approve = store.approve_indicator_entry(id, "bent", &actor("bent")).await;
        assert!(matches!(approve, Err(IndicatorError::Review(ReviewError::AwaitsCorrection))), "{approve:?}");

        let corrected =
            NewIndicatorEntry { number: Some(11.into()), entered_by: "carl".into(), ..entry("carl") };
        store.correct_indicator_entry(id, &corrected, &actor("carl")).await.unwrap();
        let again = store.indicator_entry(id).await.unwrap().unwrap();
        assert_eq!(
            (again.status(), again.number, again.entered_by.as_str()),
            (ReviewStatus::Pending, Some(11.into()), "carl")
        );
        assert!(again.sent_back.is_none(), "the send-back is cleared");
        let twice = store.correct_indicator_entry(id, &corrected, &actor("carl")).await;
        assert!(matches!(twice, Err(IndicatorError::Review(ReviewError::NotSentBack))), "{twice:?}");

        store.approve_indicator_entry(id, "anna", &actor("anna")).await.unwrap();
        let approved = store.indicator_entry(id).await.unwrap().unwrap();
        assert_eq!(
            (approved.status(), approved.approved_by.as_deref()),
            (ReviewStatus::Approved, Some("anna"))
        );
        assert!(approved.approved_at.is_some());
        let late = store.send_back_indicator_entry(id, "bent", "for sent", &actor("bent")).await;
        assert!(matches!(late, Err(IndicatorError::Review(ReviewError::AlreadyApproved))), "{late:?}");
        assert!(matches!(
            store.approve_indicator_entry(999, "bent", &actor("bent")).await,
            Err(IndicatorError::NotFound(999))
        ));

        let details = indicator_rows(&store).await;
        let want = ["entered", "sent back", "corrected", "approved"].map(|w| format!("entry {id} (C11) {w}"));
        assert_eq!(details, want, "one audit row per change, none for the refusals");
        assert!(store.pending_indicator_entries().await.unwrap().is_empty());
        store.verify_audit().await.unwrap();
    }
);

store_test!(
    a_delivery_file_with_a_bad_line_stores_nothing_and_a_good_one_stores_every_line,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let shared = NewIndicatorEntry {
            criterion: "C13".into(),
            indicator: String::new(),
            assessment: None,
            ..entry("anna")
        };
        let bad = "indikator;tal;basisaar_tal;retning\nAnholdelser;41;57;ned\nSigtelser;mange;60;ned\n";
        let refused =
            store.add_indicator_delivery(&shared, "ny_start.csv", bad.as_bytes(), &actor("anna")).await;
        let Err(IndicatorError::Rejected { file, errors }) = refused else { panic!("{refused:?}") };
        assert_eq!(file, "ny_start.csv");
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column.as_deref()), (3, Some("tal")));
        let year = Period::year(2013).unwrap();
        assert!(store.indicator_entries(&year).await.unwrap().is_empty(), "nothing stored");
        assert!(indicator_rows(&store).await.is_empty(), "nothing audited");

        let good = "indikator;tal;basisaar_tal;retning\nAnholdelser;41;57;ned\nFremmøde;92,5;88;op\n";
        let ids = store
            .add_indicator_delivery(&shared, "ny_start.csv", good.as_bytes(), &actor("anna"))
            .await
            .unwrap();
        assert_eq!(ids.len(), 2);
        let stored = store.indicator_entries(&year).await.unwrap();
        assert_eq!(stored[1].baseline, Some("88".parse().unwrap()));
        assert!(stored.iter().all(|e| e.status() == ReviewStatus::Pending && e.criterion == "C13"));
        assert_eq!(store.pending_indicator_entries().await.unwrap().len(), 2);
        assert_eq!(indicator_rows(&store).await.len(), 2, "one audit row per stored line");
    }
);
