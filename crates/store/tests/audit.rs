//! The audit log on both backends: the chain verifies, a row changed or removed behind the
//! triggers' back is found by its seq, the database refuses changes, a citizen's reads are listed
//! with their purposes, and disclosures and threshold changes are recorded.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sikkerby_domain::access::{DisclosurePurpose, LegalBasis, Purpose, Role};
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_store::audit::{Actor, AuditAction, AuditEntry, AuditError, AuditResult, NewDisclosure};
use sikkerby_store::cases::NewCitizen;
use sikkerby_store::users::{NewUser, SecurityError, User};
use sikkerby_store::{Backend, Store};
use sikkerby_testkit::{store_test, TestDatabase};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap()
}

async fn user(store: &Store, name: &str, role: Role, centres: &[&str]) -> User {
    let new = NewUser {
        username: name.into(),
        display_name: String::new(),
        role: Some(role),
        centres: centres.iter().map(|c| c.to_string()).collect(),
        password: "korrekt-hest-batteri-42".into(),
    };
    store.create_user(&new, &Actor::system("test"), t0()).await.unwrap()
}

async fn citizen(store: &Store, cpr: &str) -> i64 {
    store.create_citizen(&NewCitizen { cpr: cpr.into(), ..Default::default() }).await.unwrap()
}

/// Appends `n` searches and returns how many rows the log then has.
async fn searches(store: &Store, n: i64) -> u64 {
    let actor = Actor::system("test");
    for i in 0..n {
        let entry =
            AuditEntry::new(&actor, AuditAction::Search, t0() + Duration::seconds(i)).detail(format!("{i}"));
        store.audit(&entry).await.unwrap();
    }
    store.verify_audit().await.unwrap()
}

/// Runs SQL on the audit log with its triggers out of the way, as someone with the rights to
/// do that could.
async fn behind_the_triggers(store: &Store, sql: &str) {
    let mut conn = store.pool().acquire().await.unwrap();
    match store.backend() {
        Backend::Sqlite => {
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut *conn).await.unwrap();
            sqlx::query("DROP TRIGGER audit_log_no_delete").execute(&mut *conn).await.unwrap();
        }
        Backend::Postgres => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER ALL").execute(&mut *conn).await.unwrap();
        }
    }
    sqlx::query(sql).execute(&mut *conn).await.unwrap();
}

fn broken_at(result: Result<u64, AuditError>) -> (i64, String) {
    match result {
        Err(AuditError::Broken(b)) => (b.seq, b.reason),
        other => panic!("expected a broken chain, got {other:?}"),
    }
}

store_test!(an_audit_chain_of_appended_entries_verifies, |db: TestDatabase| async move {
    let store = db.open().await;
    assert_eq!(store.verify_audit().await.unwrap(), 0);
    assert_eq!(searches(&store, 5).await, 5);
    let rows = store.audit_entries(None, 10).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [5, 4, 3, 2, 1]);
    assert_eq!(rows[0].prev_hash, rows[1].row_hash);
    assert_eq!(store.audit_head().await.unwrap(), (5, rows[0].row_hash.clone()));
});

store_test!(a_row_changed_behind_the_triggers_back_is_found_by_its_seq, |db: TestDatabase| async move {
    let store = db.open().await;
    searches(&store, 5).await;
    behind_the_triggers(&store, "UPDATE audit_log SET detail = 'intet at se her' WHERE seq = 3").await;
    let (seq, reason) = broken_at(store.verify_audit().await);
    assert_eq!(seq, 3);
    assert!(reason.contains("changed"), "{reason}");
});

store_test!(a_row_deleted_behind_the_triggers_back_is_found_by_its_seq, |db: TestDatabase| async move {
    let store = db.open().await;
    searches(&store, 5).await;
    behind_the_triggers(&store, "DELETE FROM audit_log WHERE seq = 2").await;
    let (seq, reason) = broken_at(store.verify_audit().await);
    assert_eq!(seq, 2);
    assert!(reason.contains("missing"), "{reason}");
});

store_test!(cutting_off_the_last_rows_is_found_through_the_head, |db: TestDatabase| async move {
    let store = db.open().await;
    searches(&store, 4).await;
    behind_the_triggers(&store, "DELETE FROM audit_log WHERE seq >= 3").await;
    let (seq, reason) = broken_at(store.verify_audit().await);
    assert_eq!(seq, 3);
    assert!(reason.contains("head"), "{reason}");
});

store_test!(the_database_refuses_to_update_or_delete_audit_rows, |db: TestDatabase| async move {
    let store = db.open().await;
    searches(&store, 2).await;
    let update = sqlx::query("UPDATE audit_log SET detail = 'x' WHERE seq = 1").execute(store.pool()).await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(store.pool()).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let rewind = sqlx::query("UPDATE audit_head SET seq = 0").execute(store.pool()).await;
    assert!(rewind.unwrap_err().to_string().contains("only moves forward"));
    assert_eq!(store.verify_audit().await.unwrap(), 2);
});

store_test!(concurrent_appends_form_one_unbroken_chain, |db: TestDatabase| async move {
    let store = db.open().await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let entry =
                    AuditEntry::new(&Actor::system("test"), AuditAction::Export, t0()).detail(format!("{i}"));
                store.audit(&entry).await.unwrap()
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(store.verify_audit().await.unwrap(), 20);
});

store_test!(each_caller_of_a_shared_commit_gets_the_seq_of_its_own_row, |db: TestDatabase| async move {
    // More callers at once than one batch holds, so several batches form while others wait.
    let store = db.open().await;
    let tasks: Vec<_> = (0..600)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let entry = AuditEntry::new(&Actor::system("test"), AuditAction::Search, t0())
                    .detail(format!("n{i}"));
                (i, store.audit(&entry).await.unwrap())
            })
        })
        .collect();
    let mut answered = std::collections::BTreeMap::new();
    for task in tasks {
        let (i, seq) = task.await.unwrap();
        answered.insert(seq, format!("n{i}"));
    }
    assert_eq!(answered.len(), 600, "every caller got its own seq");
    assert_eq!(store.verify_audit().await.unwrap(), 600);
    let rows = sqlx::query("SELECT seq, detail FROM audit_log").fetch_all(store.pool()).await.unwrap();
    for row in rows {
        use sqlx::Row;
        let seq: i64 = row.get("seq");
        assert_eq!(answered.get(&seq), Some(&row.get::<String, _>("detail")), "seq {seq}");
    }
});

store_test!(
    audit_subject_lists_the_reads_of_one_citizen_with_their_purposes,
    |db: TestDatabase| async move {
        let store = db.open().await;
        let worker = user(&store, "sagsbehandler", Role::Caseworker, &["JKU Nord"]).await.actor();
        let (anna, bo) = (citizen(&store, "1503991019").await, citizen(&store, "0707614285").await);
        let read = |person, purpose, text: &str, minutes| {
            AuditEntry::about(
                &worker,
                AuditAction::ReadCitizen,
                person,
                purpose,
                text,
                t0() + Duration::minutes(minutes),
            )
        };
        store.audit(&read(bo, Purpose::Casework, "møde 010165-1234 i morgen", 1)).await.unwrap();
        store.audit(&read(anna, Purpose::Casework, "", 2)).await.unwrap();
        store.audit(&read(bo, Purpose::FollowUp, "3-måneders opfølgning", 3)).await.unwrap();
        store.audit(&read(bo, Purpose::Casework, "", 4).result(AuditResult::Denied)).await.unwrap();
        let reads = store.audit_subject(bo).await.unwrap();
        let seen: Vec<_> = reads.iter().map(|r| (r.at, r.purpose, r.action.as_str(), r.role)).collect();
        assert_eq!(
            seen,
            [
                (
                    t0() + Duration::minutes(1),
                    Some(Purpose::Casework),
                    "read_citizen",
                    Some(Role::Caseworker)
                ),
                (
                    t0() + Duration::minutes(3),
                    Some(Purpose::FollowUp),
                    "read_citizen",
                    Some(Role::Caseworker)
                ),
            ]
        );
        assert_eq!(reads[0].purpose_text, "møde 010165-xxxx i morgen", "a CPR number in free text is masked");
        assert_eq!(store.audit_subject(anna).await.unwrap().len(), 1);
    }
);

store_test!(
    a_disclosure_is_recorded_and_audited_but_never_rpl_115_for_investigation,
    |db: TestDatabase| async move {
        let store = db.open().await;
        let worker = user(&store, "sagsbehandler", Role::Caseworker, &["JKU Nord"]).await.actor();
        let analyst = user(&store, "analytiker", Role::Analyst, &[]).await.actor();
        let person = citizen(&store, "0707614285").await;
        let mut new = NewDisclosure {
            citizen_id: person,
            recipient: "Københavns Politi".into(),
            what: "forløb og SSP-kategori".into(),
            legal_basis: LegalBasis::Rpl115,
            purpose: DisclosurePurpose::CrimePrevention,
        };
        store.record_disclosure(&new, &worker, t0()).await.unwrap();
        new.purpose = DisclosurePurpose::CriminalInvestigation;
        let err = store.record_disclosure(&new, &worker, t0()).await.unwrap_err();
        assert!(matches!(err, SecurityError::Refused(_)), "{err}");
        let err = store.record_disclosure(&new, &analyst, t0()).await.unwrap_err();
        assert!(matches!(err, SecurityError::Forbidden { .. }), "{err}");
        new.legal_basis = LegalBasis::Dbl8_2_2;
        store.record_disclosure(&new, &worker, t0()).await.unwrap();
        let recorded = store.disclosures_of(person).await.unwrap();
        let bases: Vec<_> = recorded.iter().map(|d| (d.legal_basis.as_str(), d.purpose.as_str())).collect();
        assert_eq!(bases, [("RPL_115", "crime_prevention"), ("DBL_8_2_2", "criminal_investigation")]);
        let log = store.audit_entries(None, 10).await.unwrap();
        let results: Vec<_> =
            log.iter().filter(|r| r.action == "disclosure").map(|r| r.result.as_str()).collect();
        assert_eq!(results, ["ok", "denied", "denied", "ok"]);
        assert_eq!(recorded[1].audit_seq, log[0].seq);
        assert_eq!(store.verify_audit().await.unwrap(), log[0].seq as u64);
    }
);

store_test!(changing_the_disclosure_threshold_is_audited_and_needs_an_admin, |db: TestDatabase| async move {
    let store = db.open().await;
    let admin = user(&store, "admin", Role::Admin, &[]).await.actor();
    let manager = user(&store, "leder", Role::Manager, &[]).await.actor();
    let seven = DisclosureRules::new(7).unwrap();
    let err = store.set_disclosure_threshold_audited(seven, &manager, t0()).await.unwrap_err();
    assert!(matches!(err, SecurityError::Forbidden { .. }), "{err}");
    assert_eq!(store.disclosure_rules().await.unwrap().threshold, 5);
    store.set_disclosure_threshold_audited(seven, &admin, t0()).await.unwrap();
    assert_eq!(store.disclosure_rules().await.unwrap().threshold, 7);
    let last = &store.audit_entries(None, 1).await.unwrap()[0];
    assert_eq!(
        (last.action.as_str(), last.detail.as_str()),
        ("config_change", "disclosure_threshold 5 -> 7")
    );
    assert_eq!(last.role.as_deref(), Some("admin"));
});
