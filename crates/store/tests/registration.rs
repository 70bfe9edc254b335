//! Who holds a citizen, on both backends: a registration is held by the registering centre
//! from the start and found by that centre's search without an enrollment; registering a CPR
//! number that exists never changes the stored citizen and says only who holds them.

use sikkerby_store::cases::{NewCitizen, Registration};
use sikkerby_testkit::{store_test, TestDatabase};

fn new(cpr: &str, name: &str, centre: Option<&str>) -> NewCitizen {
    NewCitizen {
        cpr: cpr.into(),
        name: Some(name.into()),
        centre: centre.map(str::to_owned),
        ..Default::default()
    }
}

fn centres(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

store_test!(
    a_registered_citizen_is_held_by_the_registering_centre_before_any_enrollment,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let Registration::Created(id) =
            store.register_citizen(&new("0101900010", "Ny Borger", Some("JKU Nord"))).await.unwrap()
        else {
            panic!("a new CPR number is created");
        };
        let holders = store.citizen_centres(id).await.unwrap().unwrap();
        assert_eq!((holders.enrollments, holders.centres), (0, centres(&["JKU Nord"])));
        let own = store.search_citizens_within("010190", Some(&centres(&["JKU Nord"])), 10).await.unwrap();
        assert_eq!(own.len(), 1, "the centre finds its registration");
        let other = store.search_citizens_within("010190", Some(&centres(&["JKU Syd"])), 10).await.unwrap();
        assert!(other.is_empty(), "another centre does not");
    }
);

store_test!(
    registering_an_existing_cpr_changes_nothing_and_names_only_the_holders,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let held = store.create_citizen(&new("0101900010", "Første Navn", Some("JKU Syd"))).await.unwrap();
        let nobody = store
            .create_citizen(&NewCitizen { cpr: "0202900011".into(), ..Default::default() })
            .await
            .unwrap();
        let again =
            store.register_citizen(&new("0101900010", "Overskrevet", Some("JKU Nord"))).await.unwrap();
        assert_eq!(again, Registration::Existing { citizen_id: held, holders: centres(&["JKU Syd"]) });
        let unheld = store.register_citizen(&new("0202900011", "Navn Nu", Some("JKU Nord"))).await.unwrap();
        assert_eq!(unheld, Registration::Existing { citizen_id: nobody, holders: vec![] });
        assert_eq!(store.citizen(held).await.unwrap().unwrap().name.as_deref(), Some("Første Navn"));
        assert_eq!(
            store.citizen(nobody).await.unwrap().unwrap().name,
            None,
            "not even an empty name is filled in"
        );
        let same = store.create_citizen(&new("0101900010", "Igen", None)).await.unwrap();
        assert_eq!(same, held, "create_citizen gives the existing id, unchanged");
        assert_eq!(store.citizen(held).await.unwrap().unwrap().name.as_deref(), Some("Første Navn"));
        assert_eq!(store.citizen_centres(nobody).await.unwrap().unwrap().centres, Vec::<String>::new());
    }
);

store_test!(
    a_takeover_request_is_decided_once_by_the_holder_or_a_manager_and_a_grant_moves_the_holder,
    |db: TestDatabase| async move {
        use chrono::Utc;
        use sikkerby_store::audit::{audited_write, Actor, AuditAction, AuditEntry};
        use sikkerby_store::cases::{CaseError, Decider, NewTakeover, TakeoverStatus};
        let store = db.open_seeded().await;
        let held = store.create_citizen(&new("0101900010", "Ingen Holder", None)).await.unwrap();
        store.register_citizen(&new("0202900011", "Anden", Some("JKU Syd"))).await.unwrap();
        let Registration::Existing { citizen_id, .. } =
            store.register_citizen(&new("0202900011", "x", Some("JKU Nord"))).await.unwrap()
        else {
            panic!("registered above");
        };
        let actor = Actor::system("test");
        let audit = AuditEntry::new(&actor, AuditAction::RegisterAttempt, Utc::now());
        let request = |citizen_id| NewTakeover {
            citizen_id,
            requesting_centre: "JKU Nord".into(),
            requested_by: 7,
            typed_name: Some("Skrevet".into()),
        };
        let first = store.request_takeover(&request(citizen_id), &audit).await.unwrap();
        let second = store.request_takeover(&request(held), &audit).await.unwrap();
        let (nord, syd) = (centres(&["JKU Nord"]), centres(&["JKU Syd"]));
        assert!(
            store.takeovers_to_decide(Decider::Centres(&nord)).await.unwrap().is_empty(),
            "not the requester's"
        );
        let to_syd: Vec<i64> =
            store.takeovers_to_decide(Decider::Centres(&syd)).await.unwrap().iter().map(|t| t.id).collect();
        assert_eq!(to_syd, vec![first], "held_by JKU Syd; the other is held by no centre");
        assert_eq!(store.takeovers_to_decide(Decider::Manager).await.unwrap().len(), 2);
        let refused = store.decide_takeover(second, Decider::Centres(&syd), 9, false).await;
        assert!(
            matches!(refused, Err(CaseError::NotFound { .. })),
            "only a manager decides one held by no one"
        );
        let entry = AuditEntry::new(&actor, AuditAction::Takeover, Utc::now()).detail("granted");
        let granted = audited_write(entry, store.decide_takeover(first, Decider::Centres(&syd), 9, true))
            .await
            .unwrap();
        assert_eq!(granted.status, TakeoverStatus::Granted);
        assert_eq!(store.citizen_centres(citizen_id).await.unwrap().unwrap().centres, nord, "moved");
        let again = store.decide_takeover(first, Decider::Manager, 9, false).await;
        assert!(matches!(again, Err(CaseError::NotFound { .. })), "decided once");
        let refused = store.decide_takeover(second, Decider::Manager, 9, false).await.unwrap();
        assert_eq!(refused.status, TakeoverStatus::Refused);
        assert!(
            store.citizen_centres(held).await.unwrap().unwrap().centres.is_empty(),
            "a refusal moves nothing"
        );
        let mine = store.takeovers_requested_by(7).await.unwrap();
        assert_eq!(
            mine.iter().map(|t| (t.id, t.status)).collect::<Vec<_>>(),
            vec![(second, TakeoverStatus::Refused), (first, TakeoverStatus::Granted)]
        );
        let audit = store.audit_entries(None, 50).await.unwrap();
        assert!(audit.iter().any(|r| r.action == "takeover" && r.person_id == Some(citizen_id)));
        assert_eq!(store.verify_audit().await.unwrap() as usize, audit.len());
        // Retention deletes a citizen's requests with the citizen.
        let on = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert!(store.set_retention_date(citizen_id, Some(on)).await.unwrap());
        let report = store.retention_run(on, &actor).await.unwrap();
        assert_eq!(report.deleted, vec![citizen_id]);
        assert!(store.takeover(first).await.unwrap().is_none(), "the request went with them");
        assert_eq!(store.takeover(second).await.unwrap().map(|t| t.citizen_id), Some(held));
    }
);
