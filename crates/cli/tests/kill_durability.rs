//! SIGKILL durability of the real `sikkerby` binary, on SQLite and PostgreSQL.
//!
//! - Form posts: a signed-in caseworker fires many leisure-job forms at `sikkerby serve`
//!   concurrently; the server is killed with SIGKILL mid-stream and started again. Every post
//!   that got its success answer (303 to the citizen page with `gemt=1`) must be stored exactly
//!   once, every stored one must have been posted, each has its audit row, and the audit chain
//!   verifies.
//! - Files: `sikkerby report` and `sikkerby backup` killed at points spread over their run
//!   leave under the target name either the previous file or the complete new one, never a
//!   half file, and the report snapshots recorded in the database are whole.

mod cli_support;

use cli_support::form_burst::{
    self, burst_until, check_stored, citizens_and_caseworker, ok, sign_in, sikkerby, start_server, tally,
    Answer,
};
use sikkerby_store::{Backend, Store};
use sikkerby_testkit::{store_test, TestDatabase};
use std::process::Stdio;
use std::time::{Duration, Instant};

store_test!(
    form_posts_answered_before_a_sigkill_are_all_stored_once_with_their_audit_rows,
    |db: TestDatabase| async move {
        let citizens = citizens_and_caseworker(&db.url).await;
        let (mut server, base) = start_server(&db.url);
        let client = form_burst::client();
        let csrf = sign_in(&client, &base, &citizens).await;

        // The server dies once 60 posts have been answered as saved.
        let answers = burst_until(&client, &base, &csrf, &citizens, 60, || {
            server.kill().expect("SIGKILL");
            server.wait().unwrap();
        })
        .await;
        let unanswered = answers.iter().filter(|a| a.2 == Answer::Lost).count();
        let others: Vec<_> = answers.iter().filter(|a| matches!(a.2, Answer::Other(_))).collect();
        assert!(others.is_empty(), "posts refused while the server ran: {others:?}");
        assert!(unanswered > 100, "the kill came too late to hit posts in flight ({unanswered} unanswered)");

        // Started again on the killed database, the server answers.
        let (mut again, base) = start_server(&db.url);
        let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
        assert_eq!(health.status().as_u16(), 200);
        again.kill().unwrap();
        again.wait().unwrap();

        let store = Store::open(&db.url).await.unwrap();
        if store.backend() == Backend::Sqlite {
            let check: String =
                sqlx::query_scalar("PRAGMA integrity_check").fetch_one(store.pool()).await.unwrap();
            assert_eq!(check, "ok");
        }
        let stored = check_stored(&store, &citizens, &answers).await;
        println!("{:?} answered, {stored} stored after the kill", tally(&answers));
    }
);

/// Starts `args` `runs` times, killing run k after k/runs of `typical`; before each run calls
/// `prepare(k)`, after each kill `check()`. Returns how many runs were killed before they
/// finished.
fn kill_repeatedly(
    url: &str,
    args: &[&str],
    (typical, runs): (Duration, u32),
    prepare: &dyn Fn(u32),
    check: &dyn Fn(),
) -> u32 {
    let mut killed = 0;
    for k in 0..runs {
        prepare(k);
        let mut child = sikkerby(url, args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(typical * k / runs);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        let status = child.wait().unwrap();
        if !finished && !status.success() {
            killed += 1;
        }
        check();
    }
    killed
}

/// Fills the database with a generated data set.
fn generated(url: &str, dir: &std::path::Path) {
    let data = dir.join("data");
    ok(url, &["migrate"]);
    ok(url, &["generate", "--citizens", "300", "--years", "3", "--out", data.to_str().unwrap()]);
    ok(url, &["import", "tryghed", data.join("tryghed").to_str().unwrap()]);
    ok(url, &["import", "opera", data.join("opera").to_str().unwrap()]);
}

store_test!(
    a_report_killed_while_running_leaves_the_old_file_or_the_whole_new_one,
    |db: TestDatabase| async move {
        let work = tempfile::tempdir().unwrap();
        generated(&db.url, work.path());
        let reference = work.path().join("reference.pdf");
        let report = |out: &std::path::Path| {
            ["report", "annual", "--period", "2013", "--format", "pdf", "--out", out.to_str().unwrap()]
                .map(String::from)
        };
        let started = Instant::now();
        ok(&db.url, &report(&reference).each_ref().map(String::as_str));
        let typical = started.elapsed();
        let reference = std::fs::read(reference).unwrap();

        let out = work.path().join("annual.pdf");
        std::fs::write(&out, b"OLD").unwrap();
        let args = report(&out);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // Each run sees another actual spend, so it records a new draft snapshot (a database
        // write that a kill can interrupt) and writes other bytes than the reference.
        let spend = |k: u32| {
            ok(&db.url, &["spend", "--line", "SSP+", "--year", "2013", "--amount", &format!("1,{k}")])
        };
        let check = || {
            let now = std::fs::read(&out).unwrap();
            let whole = now.starts_with(b"%PDF-")
                && now[now.len().saturating_sub(64)..].windows(5).any(|w| w == b"%%EOF")
                && now.len().abs_diff(reference.len()) < reference.len() / 10;
            assert!(now == b"OLD" || whole, "a half report under the name: {} bytes", now.len());
        };
        let killed = kill_repeatedly(&db.url, &args, (typical, 10), &spend, &check);
        assert!(killed >= 5, "only {killed} of 10 runs were killed before they finished");
        // A run left alone passes the same check with a new file.
        spend(11);
        ok(&db.url, &args);
        check();
        assert_ne!(std::fs::read(&out).unwrap(), b"OLD");

        // The snapshots recorded meanwhile are whole rows with numbered versions.
        let store = Store::open(&db.url).await.unwrap();
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT version, model FROM report_snapshot WHERE kind = 'annual' ORDER BY version",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert!(!rows.is_empty());
        for (i, (version, model)) in rows.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1);
            serde_json::from_str::<serde_json::Value>(model).expect("a whole snapshot model");
        }
    }
);

store_test!(
    a_backup_killed_while_running_leaves_the_old_file_or_a_whole_backup,
    |db: TestDatabase| async move {
        let work = tempfile::tempdir().unwrap();
        generated(&db.url, work.path());
        let reference = work.path().join("reference.gz");
        let started = Instant::now();
        ok(&db.url, &["backup", "--out", reference.to_str().unwrap()]);
        let typical = started.elapsed();

        let out = work.path().join("nightly.gz");
        std::fs::write(&out, b"OLD").unwrap();
        let check = || {
            let now = std::fs::read(&out).unwrap();
            if now != b"OLD" {
                // A whole backup: it decompresses to the end and holds every table's rows.
                let mut text = String::new();
                let mut gz = flate2::read::MultiGzDecoder::new(&now[..]);
                std::io::Read::read_to_string(&mut gz, &mut text).expect("a whole gzip stream");
                let header: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
                let rows: u64 =
                    header["tables"].as_array().unwrap().iter().map(|t| t["rows"].as_u64().unwrap()).sum();
                let tables = header["tables"].as_array().unwrap().len() as u64;
                assert_eq!(text.lines().count() as u64, 1 + tables + rows, "a half backup under the name");
            }
        };
        let args = ["backup", "--out", out.to_str().unwrap()];
        let killed = kill_repeatedly(&db.url, &args, (typical, 10), &|_| {}, &check);
        assert!(killed >= 5, "only {killed} of 10 runs were killed before they finished");
        // The killed runs leave at most their recognisable temporary files.
        for entry in std::fs::read_dir(work.path()).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with(".nightly.gz.") || name.ends_with(".partial"), "{name}");
        }
    }
);
