//! `sikkerby backup` and `sikkerby restore` with the built binary. A database with case data,
//! area data, users, an approved indicator entry and audit rows is backed up on one backend and
//! restored into the other; the restored database must hold the same rows in every table, give
//! the same evaluation and the same annual report byte for byte, and its audit chain must
//! verify with the same head. A damaged backup must fail with a clear message and leave the
//! target exactly as it was, even with `--replace`.

mod cli_support;

use chrono::{TimeZone, Utc};
use cli_support::{command, run_with_stdin};
use flate2::read::MultiGzDecoder;
use sikkerby_domain::access::{Purpose, Role};
use sikkerby_store::audit::{Actor, AuditAction, AuditEntry};
use sikkerby_store::cases::NewCitizen;
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestBackend, TestDatabase};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Output;

const PASSWORD: &str = "korrekt-hest-batteri-42";

fn sikkerby(url: &str, args: &[&str], stdin: &str) -> Output {
    run_with_stdin(command(url, args), stdin)
}

/// Runs a command that must succeed and returns its standard output.
fn ok(url: &str, args: &[&str]) -> String {
    let output = sikkerby(url, args, &format!("{PASSWORD}\n"));
    assert!(output.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Fills `db` the way the application does: generated extracts imported, two users, an
/// indicator entry approved by the other user, audited reads, and a deleted citizen whose id
/// must never be handed out again: six audit rows (the import, two users added, three reads).
/// Returns the deleted id.
async fn fill(db: &TestDatabase, work: &Path) -> i64 {
    let data = work.join("data");
    let data_arg = data.to_str().unwrap();
    ok(&db.url, &["generate", "--citizens", "150", "--years", "3", "--seed", "11", "--out", data_arg]);
    ok(&db.url, &["import", "tryghed", &format!("{data_arg}/tryghed")]);
    ok(&db.url, &["import", "opera", &format!("{data_arg}/opera")]);
    ok(&db.url, &["user", "add", "--username", "anna", "--role", "caseworker", "--centre", "JKU Nord"]);
    ok(&db.url, &["user", "add", "--username", "bodil", "--role", "manager"]);
    let c11 = ["indicator", "add", "--criterion", "C11", "--year", "2013", "--indicator", "Oplæg"];
    ok(&db.url, &[&c11[..], &["--number", "13", "--assessment", "met", "--by", "anna"]].concat());
    // The indicator entered and approved: two audit rows (`indicator`), beside the users' and imports'.
    ok(&db.url, &["indicator", "approve", "1", "--by", "bodil"]);

    let store = Store::open(&db.url).await.unwrap();
    let worker = Actor { user_id: Some(1), username: "anna".into(), role: Some(Role::Caseworker) };
    let at = Utc.with_ymd_and_hms(2013, 5, 2, 10, 0, 0).unwrap();
    for id in 1..=3 {
        store
            .audit(&AuditEntry::about(&worker, AuditAction::ReadCitizen, id, Purpose::Casework, "", at))
            .await
            .unwrap();
    }
    let gone = store
        .create_citizen(&NewCitizen {
            cpr: "0101901234".into(),
            confirm_warnings: true,
            ..Default::default()
        })
        .await
        .unwrap();
    sqlx::query("DELETE FROM citizen WHERE id = $1").bind(gone).execute(store.pool()).await.unwrap();
    store.close().await;
    gone
}

/// The backup's rows per table, sorted, so two backends' row orders compare alike.
fn rows_by_table(file: &Path) -> BTreeMap<String, Vec<String>> {
    let reader = BufReader::new(MultiGzDecoder::new(std::fs::File::open(file).unwrap()));
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    for line in reader.lines().skip(1) {
        let line = line.unwrap();
        if line.starts_with('{') {
            let marker: serde_json::Value = serde_json::from_str(&line).unwrap();
            current = marker["table"].as_str().unwrap().to_owned();
            tables.entry(current.clone()).or_default();
        } else {
            tables.get_mut(&current).unwrap().push(line);
        }
    }
    tables.values_mut().for_each(|rows| rows.sort());
    tables
}

async fn restores_into_the_other_backend(from: TestBackend, to: TestBackend) {
    let (Some(source), Some(target)) = (TestDatabase::create(from).await, TestDatabase::create(to).await)
    else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let gone = fill(&source, work.path()).await;
    let (first, second) = (work.path().join("first.sikkerby.gz"), work.path().join("second.sikkerby.gz"));
    ok(&source.url, &["backup", "--out", first.to_str().unwrap()]);
    // A migrated and seeded database counts as empty: what migrating puts there is replaced.
    ok(&target.url, &["migrate"]);
    let restored = ok(&target.url, &["restore", first.to_str().unwrap()]);
    assert!(restored.contains("audit log intact: 8 rows"), "{restored}");
    ok(&target.url, &["backup", "--out", second.to_str().unwrap()]);

    let (before, after) = (rows_by_table(&first), rows_by_table(&second));
    for table in
        ["citizen", "enrollment", "follow_up", "app_user", "indicator_entry", "audit_log", "area_year"]
    {
        assert!(!before[table].is_empty(), "{table} has no rows to compare");
    }
    assert_eq!(before, after, "the restored database holds other rows");

    let verify = |url: &str| ok(url, &["audit", "verify"]);
    assert_eq!(verify(&source.url), verify(&target.url), "the audit chains differ");
    let evaluate = ["evaluate", "--year", "2013", "--format", "json", "--as-of", "2014-06-30"];
    assert_eq!(ok(&source.url, &evaluate), ok(&target.url, &evaluate));
    let report = |url: &str, name: &str| {
        let out = work.path().join(name);
        ok(
            url,
            &["report", "annual", "--period", "2013", "--format", "html", "--out", out.to_str().unwrap()],
        );
        std::fs::read(out).unwrap()
    };
    let (source_report, target_report) =
        (report(&source.url, "source.html"), report(&target.url, "target.html"));
    assert!(source_report.len() > 10_000, "the report is suspiciously small");
    assert!(source_report == target_report, "the annual reports differ");

    // The deleted citizen's id stays used: the next citizen gets a higher one.
    let store = Store::open(&target.url).await.unwrap();
    let next = store
        .create_citizen(&NewCitizen {
            cpr: "0202902345".into(),
            confirm_warnings: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(next > gone, "id {next} handed out again after {gone} was deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_restores_into_postgres_with_the_same_rows_figures_and_report() {
    restores_into_the_other_backend(TestBackend::Sqlite, TestBackend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_restores_into_sqlite_with_the_same_rows_figures_and_report() {
    restores_into_the_other_backend(TestBackend::Postgres, TestBackend::Sqlite).await;
}

/// Copies the backup with its row text changed but the gzip intact, so only the hash can tell.
fn tampered_copy(file: &Path, out: &Path) {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut MultiGzDecoder::new(std::fs::File::open(file).unwrap()), &mut text)
        .unwrap();
    let changed = text.replacen("\"JKU Nord\"", "\"JKU Syd\"", 1);
    assert_ne!(changed, text);
    let mut gz =
        flate2::write::GzEncoder::new(std::fs::File::create(out).unwrap(), flate2::Compression::fast());
    gz.write_all(changed.as_bytes()).unwrap();
    gz.finish().unwrap();
}

store_test!(
    a_damaged_backup_is_refused_and_leaves_the_target_as_it_was_even_with_replace,
    |target: TestDatabase| async move {
        let work = tempfile::tempdir().unwrap();
        let source = TestDatabase::create(TestBackend::Sqlite).await.unwrap();
        fill(&source, work.path()).await;
        let good = work.path().join("good.gz");
        ok(&source.url, &["backup", "--out", good.to_str().unwrap()]);
        // The target holds data of its own: a different generated set.
        let other = work.path().join("other");
        std::fs::create_dir(&other).unwrap();
        ok(
            &target.url,
            &[
                "generate",
                "--citizens",
                "40",
                "--years",
                "2",
                "--seed",
                "5",
                "--out",
                other.to_str().unwrap(),
            ],
        );
        ok(&target.url, &["import", "opera", other.join("opera").to_str().unwrap()]);
        let before = work.path().join("before.gz");
        ok(&target.url, &["backup", "--out", before.to_str().unwrap()]);

        let bytes = std::fs::read(&good).unwrap();
        let truncated = work.path().join("truncated.gz");
        std::fs::write(&truncated, &bytes[..bytes.len() * 2 / 3]).unwrap();
        let flipped = work.path().join("flipped.gz");
        let mut corrupt = bytes.clone();
        corrupt[bytes.len() / 2] ^= 0x55;
        std::fs::write(&flipped, corrupt).unwrap();
        let tampered = work.path().join("tampered.gz");
        tampered_copy(&good, &tampered);

        for (bad, expected) in [
            (&truncated, "not a usable backup"),
            (&flipped, "not a usable backup"),
            (&tampered, "its header says"),
        ] {
            let refused = sikkerby(&target.url, &["restore", "--replace", bad.to_str().unwrap()], "");
            let message = String::from_utf8_lossy(&refused.stderr);
            assert!(!refused.status.success(), "{} was restored", bad.display());
            assert!(message.contains("the database is unchanged") && message.contains(expected), "{message}");
            let after = work.path().join("after.gz");
            ok(&target.url, &["backup", "--out", after.to_str().unwrap()]);
            assert_eq!(rows_by_table(&before), rows_by_table(&after), "{} changed the target", bad.display());
        }
    }
);

store_test!(
    a_restore_into_a_database_with_data_needs_replace_which_swaps_in_the_backup,
    |target: TestDatabase| async move {
        let work = tempfile::tempdir().unwrap();
        let source = TestDatabase::create(TestBackend::Sqlite).await.unwrap();
        fill(&source, work.path()).await;
        let file = work.path().join("backup.gz");
        ok(&source.url, &["backup", "--out", file.to_str().unwrap()]);
        ok(&target.url, &["user", "add", "--username", "carl", "--role", "admin"]);

        let refused = sikkerby(&target.url, &["restore", file.to_str().unwrap()], "");
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success());
        assert!(message.contains("rows in app_user") && message.contains("--replace"), "{message}");

        let restored = ok(&target.url, &["restore", "--replace", file.to_str().unwrap()]);
        assert!(restored.contains("audit log intact: 8 rows"), "{restored}");
        let again = work.path().join("again.gz");
        ok(&target.url, &["backup", "--out", again.to_str().unwrap()]);
        assert_eq!(rows_by_table(&file), rows_by_table(&again));
        assert!(!ok(&target.url, &["user", "list"]).contains("carl"), "the replaced user is still there");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_from_a_newer_version_or_of_no_database_is_refused_with_a_reason() {
    let work = tempfile::tempdir().unwrap();
    let never_migrated = format!("sqlite://{}", work.path().join("none.db").display());
    let nothing =
        sikkerby(&never_migrated, &["backup", "--out", work.path().join("x.gz").to_str().unwrap()], "");
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("never migrated"));
    assert!(!work.path().join("x.gz").exists(), "a file was written for nothing");

    let source = TestDatabase::create(TestBackend::Sqlite).await.unwrap();
    ok(&source.url, &["migrate"]);
    let file = work.path().join("backup.gz");
    ok(&source.url, &["backup", "--out", file.to_str().unwrap()]);
    // The same backup, as if a later version with migration 9999 had made it.
    let mut text = String::new();
    std::io::Read::read_to_string(&mut MultiGzDecoder::new(std::fs::File::open(&file).unwrap()), &mut text)
        .unwrap();
    let newer = text.replacen("\"migrations\":[", "\"migrations\":[9999,", 1);
    assert_ne!(newer, text);
    let mut gz =
        flate2::write::GzEncoder::new(std::fs::File::create(&file).unwrap(), flate2::Compression::fast());
    gz.write_all(newer.as_bytes()).unwrap();
    gz.finish().unwrap();
    let target = TestDatabase::create(TestBackend::Sqlite).await.unwrap();
    let refused = sikkerby(&target.url, &["restore", file.to_str().unwrap()], "");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("newer version (migration 9999)"));
}
