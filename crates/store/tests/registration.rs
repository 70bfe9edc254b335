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
