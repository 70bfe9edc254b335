//! The partners' half-yearly assessments on both backends: a partner's source and districts
//! follow the role; a partner submits every area of its own district for the open half-year
//! only, stored beside the imported assessments under its source; another district is refused
//! and audited as denied; a submission after the deadline is kept and marked late; the deadline
//! can be moved; and the districts still missing are listed per source.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sikkerby_domain::access::{AssessmentSource, Role};
use sikkerby_domain::assessment_round::AreaScore;
use sikkerby_domain::half_year::HalfYear;
use sikkerby_store::assessment_round::AssessmentError;
use sikkerby_store::audit::Actor;
use sikkerby_store::users::{AccessChange, NewUser, PartnerAccess, SecurityError, User};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};
use sqlx::Row;

const PASSWORD: &str = "korrekt-hest-batteri-42";

/// 10 July 2013: the round of 2013H1 is open, its default deadline (15 July) not passed.
fn in_round() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2013, 7, 10, 9, 0, 0).unwrap()
}

fn h1() -> HalfYear {
    "2013H1".parse().unwrap()
}

fn ssp(districts: &[&str]) -> PartnerAccess {
    PartnerAccess {
        source: Some(AssessmentSource::SspLeaderGroup),
        districts: districts.iter().map(|d| d.to_string()).collect(),
    }
}

fn new_user(username: &str, role: Role) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: String::new(),
        role: Some(role),
        centres: vec![],
        password: PASSWORD.into(),
    }
}

async fn partner(store: &Store, username: &str, access: &PartnerAccess) -> Result<User, SecurityError> {
    let new = new_user(username, Role::Partner);
    store.create_user_with_access(&new, &[], access, &Actor::system("t"), in_round()).await
}

/// Brønshøj-Husum's two seed areas, assessed 2 and 4.
fn scores() -> Vec<AreaScore> {
    vec![
        AreaScore::new("husum", "2", "").unwrap(),
        AreaScore::new("tingbjerg", "4", "Uro ved centret").unwrap(),
    ]
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(store.pool()).await.unwrap().get::<i64, _>(0)
}

store_test!(a_partner_has_a_source_and_known_districts_and_other_roles_none, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let user =
        partner(&store, "ssp-nord", &ssp(&["noerrebro", "broenshoej_husum", "noerrebro"])).await.unwrap();
    let assignment = store.partner_assignment(user.id).await.unwrap().unwrap();
    assert_eq!(assignment.source, AssessmentSource::SspLeaderGroup);
    assert_eq!(assignment.districts, ["broenshoej_husum", "noerrebro"]);
    let no_source = PartnerAccess { source: None, ..ssp(&["valby"]) };
    let refused = partner(&store, "ssp-a", &no_source).await.unwrap_err();
    assert!(matches!(refused, SecurityError::Invalid { field: "source", .. }), "{refused}");
    let refused = partner(&store, "ssp-b", &ssp(&[])).await.unwrap_err();
    assert!(matches!(refused, SecurityError::Invalid { field: "district", .. }), "{refused}");
    let refused = partner(&store, "ssp-c", &ssp(&["atlantis"])).await.unwrap_err();
    assert!(refused.to_string().contains("atlantis"), "{refused}");
    assert!(store.user_by_username("ssp-c").await.unwrap().is_none(), "nothing stored of a refusal");
    let analyst = new_user("analytiker", Role::Analyst);
    let refused =
        store.create_user_with_access(&analyst, &[], &ssp(&["valby"]), &Actor::system("t"), in_round()).await;
    assert!(matches!(refused, Err(SecurityError::Invalid { field: "district", .. })));
    // Another role: the assignment goes with the old role.
    let change = AccessChange {
        role: Role::Analyst,
        centres: vec![],
        caseworker_codes: vec![],
        partner: Default::default(),
    };
    store.set_user_access(user.id, &change, &Actor::system("t"), in_round()).await.unwrap();
    assert_eq!(store.partner_assignment(user.id).await.unwrap(), None);
});

store_test!(a_partner_submits_its_own_district_for_the_open_half_year_only, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let user = partner(&store, "ssp-bh", &ssp(&["broenshoej_husum"])).await.unwrap();
    let submitted =
        store.submit_assessments(&user, "broenshoej_husum", h1(), &scores(), in_round()).await.unwrap();
    assert!(!submitted.late);
    let stored = store.area_assessments(h1()).await.unwrap();
    let levels: Vec<(&str, &str, u8)> =
        stored.iter().map(|a| (a.area.as_str(), a.source.as_str(), a.assessment)).collect();
    assert_eq!(levels, [("husum", "ssp_ledergruppe", 2), ("tingbjerg", "ssp_ledergruppe", 4)]);
    assert_eq!(stored[1].text.as_deref(), Some("Uro ved centret"));
    // A second submission replaces the first.
    let again =
        vec![AreaScore::new("husum", "1", "").unwrap(), AreaScore::new("tingbjerg", "3", "").unwrap()];
    store.submit_assessments(&user, "broenshoej_husum", h1(), &again, in_round()).await.unwrap();
    let stored = store.area_assessments(h1()).await.unwrap();
    assert_eq!(stored.iter().map(|a| a.assessment).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(stored[1].text, None);
    assert_eq!(store.assessment_submissions(h1()).await.unwrap().len(), 1);

    let other = store.submit_assessments(&user, "noerrebro", h1(), &[], in_round()).await.unwrap_err();
    assert!(matches!(other, AssessmentError::Forbidden { .. }), "{other}");
    let denied = "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment' AND result = 'denied'";
    assert_eq!(count(&store, denied).await, 1);
    let ok = "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment' AND result = 'ok'";
    assert_eq!(count(&store, ok).await, 2);

    let old =
        store.submit_assessments(&user, "broenshoej_husum", h1().previous(), &scores(), in_round()).await;
    assert!(matches!(old, Err(AssessmentError::Invalid { ref field, .. }) if field == "halvaar"), "{old:?}");
    let part = store.submit_assessments(&user, "broenshoej_husum", h1(), &scores()[..1], in_round()).await;
    assert!(
        matches!(part, Err(AssessmentError::Invalid { ref field, .. }) if field == "tingbjerg"),
        "{part:?}"
    );
    let mut extra = scores();
    extra.push(AreaScore::new("blaagaarden", "1", "").unwrap());
    let extra = store.submit_assessments(&user, "broenshoej_husum", h1(), &extra, in_round()).await;
    assert!(
        matches!(extra, Err(AssessmentError::Invalid { ref field, .. }) if field == "blaagaarden"),
        "{extra:?}"
    );

    let analyst =
        store.create_user(&new_user("analytiker", Role::Analyst), &Actor::system("t"), in_round()).await;
    let refused =
        store.submit_assessments(&analyst.unwrap(), "broenshoej_husum", h1(), &scores(), in_round()).await;
    assert!(matches!(refused, Err(AssessmentError::Forbidden { .. })), "only partners submit");
});

store_test!(a_late_submission_is_kept_and_marked_and_the_deadline_can_move, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    assert_eq!(store.assessment_deadline(h1()).await.unwrap(), NaiveDate::from_ymd_opt(2013, 7, 15).unwrap());
    let user = partner(&store, "ssp-bh", &ssp(&["broenshoej_husum"])).await.unwrap();
    let late_day = Utc.with_ymd_and_hms(2013, 7, 16, 9, 0, 0).unwrap();
    let late = store.submit_assessments(&user, "broenshoej_husum", h1(), &scores(), late_day).await.unwrap();
    assert!(late.late);
    assert!(store.assessment_submissions(h1()).await.unwrap()[0].late);
    let secretariat = Actor::system("t");
    let too_early = NaiveDate::from_ymd_opt(2013, 6, 30).unwrap();
    let refused = store.set_assessment_deadline(h1(), too_early, &secretariat, late_day).await;
    assert!(matches!(refused, Err(AssessmentError::Invalid { ref field, .. }) if field == "frist"));
    let later = NaiveDate::from_ymd_opt(2013, 8, 1).unwrap();
    store.set_assessment_deadline(h1(), later, &secretariat, late_day).await.unwrap();
    assert_eq!(store.assessment_deadline(h1()).await.unwrap(), later);
    let on_time =
        store.submit_assessments(&user, "broenshoej_husum", h1(), &scores(), late_day).await.unwrap();
    assert!(!on_time.late);
    assert_eq!(
        store.assessment_deadline(h1().next()).await.unwrap(),
        NaiveDate::from_ymd_opt(2014, 1, 15).unwrap()
    );
});

store_test!(the_districts_still_missing_are_listed_per_source, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let all = ["amager_vest", "broenshoej_husum", "noerrebro", "valby"];
    for missing in store.missing_assessments(h1()).await.unwrap() {
        assert_eq!(missing.districts, all, "{:?}: every district with areas", missing.source);
    }
    let user = partner(&store, "ssp-bh", &ssp(&["broenshoej_husum"])).await.unwrap();
    store.submit_assessments(&user, "broenshoej_husum", h1(), &scores(), in_round()).await.unwrap();
    let missing = store.missing_assessments(h1()).await.unwrap();
    assert_eq!(missing[0].source, AssessmentSource::SspLeaderGroup);
    assert_eq!(missing[0].districts, ["amager_vest", "noerrebro", "valby"]);
    assert_eq!(missing[1].source, AssessmentSource::SocialServices);
    assert_eq!(missing[1].districts, all, "the other source still has all to do");
});
