//! The built `sikkerby` binary's administrative commands, on both backends: `user add` with the
//! password on standard input, `user list`, `audit verify`, `audit subject` with the CPR number
//! masked, and `retention run`. No output, debug logs included, holds a password or a full CPR.

mod cli_support;

use chrono::{Duration, TimeZone, Utc};
use cli_support::{command, run_with_stdin};
use sikkerby_domain::access::{Purpose, Role};
use sikkerby_store::audit::{Actor, AuditAction, AuditEntry};
use sikkerby_store::cases::NewCitizen;
use sikkerby_store::{Backend, Store};
use sikkerby_testkit::{store_test, TestDatabase};
use std::process::Output;

const PASSWORD: &str = "korrekt-hest-batteri-42";
const CPR: &str = "1503991019";

/// Runs the binary on the test database with `stdin` piped in and debug logging on.
fn sikkerby(url: &str, args: &[&str], stdin: &str) -> Output {
    let mut command = command(url, args);
    command.env("RUST_LOG", "debug");
    let output = run_with_stdin(command, stdin);
    let all =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    for secret in [PASSWORD, CPR, "150399-1019"] {
        assert!(!all.contains(secret), "output of {args:?} holds {secret:?}:\n{all}");
    }
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn citizen_with_reads(store: &Store) -> i64 {
    let id = store.create_citizen(&NewCitizen { cpr: CPR.into(), ..Default::default() }).await.unwrap();
    let worker = Actor { user_id: Some(7), username: "sagsbehandler".into(), role: Some(Role::Caseworker) };
    let t0 = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap();
    for (minutes, purpose) in [(0, Purpose::Casework), (90, Purpose::FollowUp)] {
        let at = t0 + Duration::minutes(minutes);
        let entry = AuditEntry::about(&worker, AuditAction::ReadCitizen, id, purpose, "", at);
        store.audit(&entry).await.unwrap();
    }
    id
}

store_test!(user_add_takes_the_password_from_stdin_and_the_user_can_log_in, |db: TestDatabase| async move {
    let store = db.open().await;
    let args = ["user", "add", "--username", "Anna", "--role", "caseworker", "--centre", "JKU Nord"];
    let added = sikkerby(&db.url, &args, &format!("{PASSWORD}\n"));
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("user anna added"), "{}", stdout(&added));
    let user = store.verify_login("anna", PASSWORD, Utc::now()).await.unwrap();
    assert_eq!((user.role, user.centres.clone()), (Role::Caseworker, vec!["JKU Nord".to_string()]));
    let listed = sikkerby(&db.url, &["user", "list"], "");
    assert!(listed.status.success());
    assert!(stdout(&listed).contains("anna") && stdout(&listed).contains("JKU Nord"), "{}", stdout(&listed));
});

store_test!(user_add_gives_a_caseworker_codes_and_refuses_them_for_others, |db: TestDatabase| async move {
    let store = db.open().await;
    let args = ["user", "add", "--username", "dora", "--role", "caseworker", "--centre", "JKU Nord"];
    let codes = ["--caseworker-code", "JKU-A17", "--caseworker-code", "JKU-A03"];
    let added = sikkerby(&db.url, &[&args[..], &codes[..]].concat(), &format!("{PASSWORD}\n"));
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("codes JKU-A03, JKU-A17"), "{}", stdout(&added));
    let user = store.user_by_username("dora").await.unwrap().unwrap();
    assert_eq!(store.user_caseworker_codes(user.id).await.unwrap(), vec!["JKU-A03", "JKU-A17"]);
    let analyst = ["user", "add", "--username", "erik", "--role", "analyst", "--caseworker-code", "JKU-A17"];
    let refused = sikkerby(&db.url, &analyst, &format!("{PASSWORD}\n"));
    assert!(
        !refused.status.success() && stderr(&refused).contains("caseworker_code"),
        "{}",
        stderr(&refused)
    );
    assert!(store.user_by_username("erik").await.unwrap().is_none(), "nothing stored of a refusal");
});

store_test!(user_add_refuses_an_empty_or_short_password, |db: TestDatabase| async move {
    let _store = db.open().await;
    let args = ["user", "add", "--username", "bodil", "--role", "admin"];
    let empty = sikkerby(&db.url, &args, "");
    assert!(!empty.status.success());
    assert!(stderr(&empty).contains("no password on standard input"), "{}", stderr(&empty));
    let short = sikkerby(&db.url, &args, "kort\n");
    assert!(!short.status.success());
    assert!(stderr(&short).contains("12"), "{}", stderr(&short));
    let caseworker =
        sikkerby(&db.url, &["user", "add", "--username", "cyrus", "--role", "caseworker"], PASSWORD);
    assert!(stderr(&caseworker).contains("centre"), "{}", stderr(&caseworker));
});

store_test!(
    audit_verify_passes_an_intact_log_and_names_the_first_broken_row,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        citizen_with_reads(&store).await;
        let intact = sikkerby(&db.url, &["audit", "verify"], "");
        assert!(intact.status.success(), "{}", stderr(&intact));
        assert!(stdout(&intact).contains("audit log intact: 2 rows"), "{}", stdout(&intact));
        let mut conn = store.pool().acquire().await.unwrap();
        let bypass = match store.backend() {
            Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
            Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        };
        sqlx::query(bypass).execute(&mut *conn).await.unwrap();
        sqlx::query("UPDATE audit_log SET purpose_code = 'statistik' WHERE seq = 2")
            .execute(&mut *conn)
            .await
            .unwrap();
        let broken = sikkerby(&db.url, &["audit", "verify"], "");
        assert!(!broken.status.success());
        assert!(stderr(&broken).contains("broken at seq 2"), "{}", stderr(&broken));
    }
);

store_test!(
    audit_subject_lists_reads_with_purposes_and_shows_the_cpr_masked,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let id = citizen_with_reads(&store).await;
        let listed = sikkerby(&db.url, &["audit", "subject", "150399-1019"], "");
        assert!(listed.status.success(), "{}", stderr(&listed));
        let text = stdout(&listed);
        assert!(text.contains("150399-xxxx") && text.contains("2 entries"), "{text}");
        assert!(text.contains("2024-03-01 09:00 UTC  sagsbehandling"), "{text}");
        assert!(text.contains("2024-03-01 10:30 UTC  opfoelgning"), "{text}");
        let from_stdin = sikkerby(&db.url, &["audit", "subject", "-"], &format!("{CPR}\n"));
        assert!(
            stdout(&from_stdin).contains("3 entries"),
            "the first listing was audited: {}",
            stdout(&from_stdin)
        );
        let last = store.audit_subject(id).await.unwrap().pop().unwrap();
        assert_eq!((last.action.as_str(), last.purpose), ("subject_access", Some(Purpose::SubjectAccess)));
        let unknown = sikkerby(&db.url, &["audit", "subject", "0707614285"], "");
        assert!(
            !unknown.status.success() && stderr(&unknown).contains("070761-xxxx"),
            "{}",
            stderr(&unknown)
        );
        assert!(!stderr(&unknown).contains("0707614285"));
    }
);

store_test!(retention_run_deletes_what_is_due_as_of_the_given_date, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let id = store.create_citizen(&NewCitizen { cpr: CPR.into(), ..Default::default() }).await.unwrap();
    store.set_retention_date(id, chrono::NaiveDate::from_ymd_opt(2020, 1, 1)).await.unwrap();
    let dry = sikkerby(&db.url, &["retention", "run", "--as-of", "2020-01-01", "--dry-run"], "");
    assert!(stdout(&dry).contains(&format!("would delete citizen #{id}")), "{}", stdout(&dry));
    let run = sikkerby(&db.url, &["retention", "run", "--as-of", "2020-01-01"], "");
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("1 citizen(s) deleted"), "{}", stdout(&run));
    assert!(store.citizen(id).await.unwrap().is_none());
    assert!(store.tombstone(id).await.unwrap().is_some());
});

/// A purpose text that would print a fake row and clear the screen in red, were it printed raw.
const FORGED: &str = "ok\n2024-03-01 11:00 UTC  sagsbehandling   read_citizen     admin      \x1b[2J\x1b[31m";

store_test!(audit_subject_cannot_be_forged_by_control_characters, |db: TestDatabase| async move {
    let store = db.open_seeded().await;
    let id = citizen_with_reads(&store).await;
    let worker = Actor { user_id: Some(7), username: "sagsbehandler".into(), role: Some(Role::Caseworker) };
    let at = Utc.with_ymd_and_hms(2024, 3, 1, 10, 45, 0).unwrap();
    let entry = AuditEntry::about(&worker, AuditAction::ReadCitizen, id, Purpose::Other, FORGED, at);
    store.audit(&entry).await.unwrap();
    let stored = store.audit_subject(id).await.unwrap().pop().unwrap().purpose_text;
    assert!(!stored.chars().any(char::is_control), "stripped on the way in: {stored:?}");
    // A row written past the application (an old row, a restored dump) is escaped on the way out.
    let mut conn = store.pool().acquire().await.unwrap();
    let bypass = match store.backend() {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    };
    sqlx::query(bypass).execute(&mut *conn).await.unwrap();
    sqlx::query("UPDATE audit_log SET purpose_text = $1 WHERE seq = 2")
        .bind(FORGED)
        .execute(&mut *conn)
        .await
        .unwrap();
    let listed = sikkerby(&db.url, &["audit", "subject", "150399-1019"], "");
    assert!(listed.status.success(), "{}", stderr(&listed));
    let text = stdout(&listed);
    assert!(!text.contains('\x1b'), "no escape sequence reaches the terminal: {text:?}");
    assert_eq!(text.lines().filter(|l| l.contains("read_citizen")).count(), 3, "no forged row: {text}");
    assert!(text.contains("ok\\n2024-03-01 11:00 UTC") && text.contains("\\u{1b}[2J"), "{text}");
});

store_test!(
    user_reset_password_prints_a_one_time_code_that_sets_a_new_password,
    |db: TestDatabase| async move {
        let store = db.open().await;
        let added = sikkerby(&db.url, &["user", "add", "--username", "frida", "--role", "analyst"], PASSWORD);
        assert!(added.status.success(), "{}", stderr(&added));
        let issued = sikkerby(&db.url, &["user", "reset-password", "Frida"], "");
        assert!(issued.status.success(), "{}", stderr(&issued));
        let code = stdout(&issued).lines().nth(1).unwrap_or_default().trim().to_owned();
        assert_eq!(code.len(), 64, "{}", stdout(&issued));
        let new_password = "ny-lang-adgangskode-77";
        assert_eq!(store.reset_password_with_code(&code, new_password, Utc::now()).await.unwrap(), "frida");
        store.verify_login("frida", new_password, Utc::now()).await.unwrap();
        assert!(store.reset_password_with_code(&code, "endnu-en-adgangskode-8", Utc::now()).await.is_err());
        let unknown = sikkerby(&db.url, &["user", "reset-password", "nobody"], "");
        assert!(!unknown.status.success() && stderr(&unknown).contains("no user named \"nobody\""));
        let audited =
            sqlx::query("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%password reset code issued'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(sqlx::Row::get::<i64, _>(&audited, 0), 1);
    }
);

store_test!(user_unlock_lifts_the_lock_after_failed_logins, |db: TestDatabase| async move {
    let store = db.open().await;
    let added = sikkerby(&db.url, &["user", "add", "--username", "gorm", "--role", "manager"], PASSWORD);
    assert!(added.status.success(), "{}", stderr(&added));
    for _ in 0..sikkerby_store::users::MAX_FAILED_LOGINS {
        let _ = store.verify_login("gorm", "forkert-adgangskode", Utc::now()).await;
    }
    assert!(store.verify_login("gorm", PASSWORD, Utc::now()).await.is_err(), "locked");
    assert!(stdout(&sikkerby(&db.url, &["user", "list"], "")).contains("locked"));
    let unlocked = sikkerby(&db.url, &["user", "unlock", "gorm"], "");
    assert!(
        unlocked.status.success() && stdout(&unlocked).contains("user gorm unlocked"),
        "{}",
        stderr(&unlocked)
    );
    store.verify_login("gorm", PASSWORD, Utc::now()).await.unwrap();
    let audited = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%unlocked'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(sqlx::Row::get::<i64, _>(&audited, 0), 1);
});

store_test!(
    user_add_gives_a_partner_a_source_and_districts_and_refuses_them_for_others,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let args =
            ["user", "add", "--username", "ssp-valby", "--role", "partner", "--source", "ssp_ledergruppe"];
        let added = sikkerby(
            &db.url,
            &[&args[..], &["--district", "valby", "--district", "noerrebro"]].concat(),
            PASSWORD,
        );
        assert!(added.status.success(), "{}", stderr(&added));
        assert!(stdout(&added).contains("ssp_ledergruppe for noerrebro, valby"), "{}", stdout(&added));
        let user = store.user_by_username("ssp-valby").await.unwrap().unwrap();
        assert_eq!(user.role, Role::Partner);
        assert_eq!(
            store.partner_assignment(user.id).await.unwrap().unwrap().districts,
            ["noerrebro", "valby"]
        );
        assert!(
            stdout(&sikkerby(&db.url, &["user", "list"], "")).contains("ssp_ledergruppe: noerrebro, valby")
        );
        let unknown = sikkerby(
            &db.url,
            &[
                &args[..2],
                &[
                    "--username",
                    "ssp-x",
                    "--role",
                    "partner",
                    "--source",
                    "socialforvaltning",
                    "--district",
                    "atlantis",
                ],
            ]
            .concat(),
            PASSWORD,
        );
        assert!(
            !unknown.status.success() && stderr(&unknown).contains("unknown district \"atlantis\""),
            "{}",
            stderr(&unknown)
        );
        let analyst = ["user", "add", "--username", "ana", "--role", "analyst", "--district", "valby"];
        let refused = sikkerby(&db.url, &analyst, PASSWORD);
        assert!(!refused.status.success() && stderr(&refused).contains("district"), "{}", stderr(&refused));
        assert!(store.user_by_username("ana").await.unwrap().is_none(), "nothing stored of a refusal");
    }
);
