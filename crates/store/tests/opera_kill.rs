//! A process killed in the middle of an import leaves the SQLite database exactly as it was:
//! the whole import is one transaction, and SQLite's write-ahead log drops an uncommitted one.
//!
//! The test runs this test executable again as a child process (selected by an environment
//! variable) that imports a large synthetic folder and prints its progress; the parent kills it
//! with SIGKILL once it has reached the chosen phase, then compares the database with its state
//! before.

mod opera_support;

use opera_support::synthetic::write_extract;
use opera_support::*;
use sikkerby_store::opera::{ImportOptions, ImportPhase};
use sikkerby_store::Store;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Set in the child: `<database url>|<folder>`.
const CHILD: &str = "SIKKERBY_OPERA_KILL_CHILD";
const CHILD_TEST: &str = "child_process_imports_the_folder_named_by_its_environment";

/// Not a test of its own: the body the parent runs in the child process. Without the variable
/// it does nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_process_imports_the_folder_named_by_its_environment() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (url, folder) = spec.split_once('|').expect("url|folder");
    let store = Store::open(url).await.expect("open");
    let progress = |p: sikkerby_store::ImportProgress| println!("progress {:?} {}", p.phase, p.rows_done);
    store.import_opera(folder.as_ref(), ImportOptions::default(), &progress).await.expect("import");
    println!("finished");
}

/// Kills the child when it reports `phase` after at least `rows` rows; returns its output.
fn import_and_kill(url: &str, folder: &std::path::Path, phase: ImportPhase, rows: u64) -> Vec<String> {
    let mut child = Command::new(std::env::current_exe().expect("test executable"))
        .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD, format!("{url}|{}", folder.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let wanted = format!("progress {phase:?} ");
    let mut seen = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("stdout")).lines() {
        let line = line.expect("line");
        let reached =
            line.strip_prefix(&wanted).and_then(|n| n.parse::<u64>().ok()).is_some_and(|n| n >= rows);
        seen.push(line);
        if reached {
            child.kill().expect("SIGKILL");
            break;
        }
    }
    let status = child.wait().expect("wait");
    assert!(!status.success(), "the child finished before it was killed: {seen:?}");
    seen
}

async fn killed_import_leaves_the_database_as_it_was(phase: ImportPhase, rows: u64) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("kill.db").display());
    let store = Store::open(&url).await.expect("open");
    store.load_seed(&sikkerby_domain::seed::load().unwrap()).await.unwrap();
    import(&store, &Extract::base()).await.unwrap();
    let before = snapshot(&store).await;
    store.close().await;

    let big = tempfile::tempdir().expect("temporary directory");
    write_extract(big.path(), 120_000).expect("write extract");
    let seen = import_and_kill(&url, big.path(), phase, rows);
    assert!(!seen.iter().any(|l| l == "finished"), "{seen:?}");

    let store = Store::open(&url).await.expect("reopen after the kill");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(store.pool()).await.unwrap();
    assert_eq!(check, "ok");
    assert_eq!(snapshot(&store).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_while_reading_leaves_the_database_as_it_was() {
    killed_import_leaves_the_database_as_it_was(ImportPhase::Reading, 30_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_while_storing_leaves_the_database_as_it_was() {
    killed_import_leaves_the_database_as_it_was(ImportPhase::Storing, 0).await;
}
