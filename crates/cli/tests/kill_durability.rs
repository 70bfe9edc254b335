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

use sikkerby_store::audit::AuditAction;
use sikkerby_store::cases::{NewCitizen, NewEnrollment};
use sikkerby_store::{Backend, Store};
use sikkerby_testkit::{store_test, TestDatabase};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "korrekt-hest-batteri-42";
const CENTRE: &str = "JKU Nord";

fn sikkerby(url: &str, args: &[&str]) -> Command {
    let mut command = cli_support::command(url, args);
    command.env("RUST_LOG", "warn");
    command
}

/// Runs a command that must succeed, with the password on standard input.
fn ok(url: &str, args: &[&str]) {
    let mut child = sikkerby(url, args).stdin(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "{args:?} failed");
}

/// `sikkerby serve` on a free port; returns the process and its base URL once it listens.
fn start_server(url: &str) -> (Child, String) {
    let mut child = sikkerby(url, &["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("SHOW_SERVER_LOG").is_some() { Stdio::inherit() } else { Stdio::null() })
        .spawn()
        .expect("start sikkerby serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("the server stopped before listening").unwrap();
        if let Some(rest) = line.split("running at ").nth(1) {
            break rest.split('/').take(3).collect::<Vec<_>>().join("/");
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
}

fn csrf_in(html: &str) -> String {
    html.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .into()
}

/// Signs in through the sign-in form; returns the session's CSRF token.
async fn sign_in(client: &reqwest::Client, base: &str) -> String {
    let login = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let fields =
        [("username", "anna"), ("password", PASSWORD), ("csrf_token", &csrf_in(&login)), ("next", "/")];
    let answer = client.post(format!("{base}/login")).form(&fields).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 303, "sign-in refused");
    csrf_in(&client.get(format!("{base}/budget")).send().await.unwrap().text().await.unwrap())
}

/// Four citizens enrolled at the caseworker's centre, and the caseworker.
async fn citizens_and_caseworker(db: &TestDatabase) -> Vec<i64> {
    ok(&db.url, &["migrate"]);
    ok(&db.url, &["user", "add", "--username", "anna", "--role", "caseworker", "--centre", CENTRE]);
    let store = Store::open(&db.url).await.unwrap();
    let initiative = store.portfolio().await.unwrap().initiatives[0].code.to_string();
    let mut ids = Vec::new();
    for k in 1..=4 {
        let cpr = format!("0{k}0190{}", 1000 + k);
        let id = store
            .create_citizen(&NewCitizen { cpr, confirm_warnings: true, ..Default::default() })
            .await
            .unwrap();
        let start = chrono::NaiveDate::from_ymd_opt(2013, 1, 7).unwrap();
        let enrollment = NewEnrollment {
            citizen_id: id,
            initiative: initiative.clone(),
            start,
            lead: "anna".into(),
            caseworker_code: None,
            centre: Some(CENTRE.into()),
            confirm_age: true,
            confirmed_by: "anna".into(),
        };
        store.enroll(&enrollment).await.unwrap();
        ids.push(id);
    }
    store.close().await;
    ids
}

/// How one post ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Saved,
    Other(u16),
    Lost,
}

async fn post_job(client: &reqwest::Client, base: &str, csrf: &str, citizen: i64, n: usize) -> Answer {
    let employer = format!("job-{n}");
    let fields = [("arbejdsgiver", employer.as_str()), ("start", "2013-03-01"), ("csrf_token", csrf)];
    match client.post(format!("{base}/borgere/{citizen}/fritidsjob")).form(&fields).send().await {
        Ok(r) if r.status().as_u16() == 303 => {
            let location = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default();
            if location.contains("gemt=1") {
                Answer::Saved
            } else {
                Answer::Other(303)
            }
        }
        Ok(r) => Answer::Other(r.status().as_u16()),
        Err(_) => Answer::Lost,
    }
}

store_test!(
    form_posts_answered_before_a_sigkill_are_all_stored_once_with_their_audit_rows,
    |db: TestDatabase| async move {
        let citizens = citizens_and_caseworker(&db).await;
        let (mut server, base) = start_server(&db.url);
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let csrf = sign_in(&client, &base).await;
        for id in &citizens {
            let fields = [("formaal", "sagsbehandling"), ("csrf_token", csrf.as_str())];
            let answer =
                client.post(format!("{base}/borgere/{id}/formaal")).form(&fields).send().await.unwrap();
            assert_eq!(answer.status().as_u16(), 303, "purpose for {id}");
        }

        // 16 posts in flight at a time; the server dies once 60 have been answered.
        let answers: Arc<Mutex<Vec<(i64, usize, Answer)>>> = Arc::default();
        let gate = Arc::new(tokio::sync::Semaphore::new(16));
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..1_000 {
            let (client, base, csrf, answers, gate) =
                (client.clone(), base.clone(), csrf.clone(), answers.clone(), gate.clone());
            let citizen = citizens[n % citizens.len()];
            tasks.spawn(async move {
                let _slot = gate.acquire().await.unwrap();
                let answer = post_job(&client, &base, &csrf, citizen, n).await;
                answers.lock().unwrap().push((citizen, n, answer));
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while answers.lock().unwrap().iter().filter(|a| a.2 == Answer::Saved).count() < 60 {
            if Instant::now() > deadline {
                let mut tally: BTreeMap<String, usize> = BTreeMap::new();
                answers
                    .lock()
                    .unwrap()
                    .iter()
                    .for_each(|a| *tally.entry(format!("{:?}", a.2)).or_default() += 1);
                panic!("fewer than 60 posts saved in a minute: {tally:?}");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        while tasks.join_next().await.is_some() {}
        let answers = answers.lock().unwrap().clone();
        let saved: BTreeSet<(i64, String)> = answers
            .iter()
            .filter(|a| a.2 == Answer::Saved)
            .map(|(c, n, _)| (*c, format!("job-{n}")))
            .collect();
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
        let stored: Vec<(i64, Option<String>, String)> =
            sqlx::query_as("SELECT citizen_id, employer, start_date FROM placement")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let stored_set: BTreeSet<(i64, String)> =
            stored.iter().map(|(c, e, _)| (*c, e.clone().unwrap_or_default())).collect();
        assert_eq!(stored_set.len(), stored.len(), "a post was stored twice");
        assert!(stored.iter().all(|(_, _, start)| start == "2013-03-01"), "a half-written placement");
        let missing: Vec<_> = saved.difference(&stored_set).collect();
        assert!(missing.is_empty(), "answered as saved but not stored after the kill: {missing:?}");
        let posted: BTreeSet<(i64, String)> =
            answers.iter().map(|(c, n, _)| (*c, format!("job-{n}"))).collect();
        assert!(stored_set.is_subset(&posted), "stored placements nobody posted");

        println!(
            "{} answered saved, {unanswered} unanswered, {} stored after the kill",
            saved.len(),
            stored.len()
        );
        // Every stored change has its audit row (the write and its audit are one unit).
        let writes: Vec<(i64, i64)> =
            sqlx::query_as("SELECT person_id, COUNT(*) FROM audit_log WHERE action = $1 GROUP BY person_id")
                .bind(AuditAction::WriteCase.code())
                .fetch_all(store.pool())
                .await
                .unwrap();
        let writes: BTreeMap<i64, i64> = writes.into_iter().collect();
        for citizen in &citizens {
            let placements = stored.iter().filter(|(c, _, _)| c == citizen).count() as i64;
            let audited = writes.get(citizen).copied().unwrap_or(0);
            assert!(
                audited >= placements,
                "citizen {citizen}: {placements} placements, {audited} audited writes"
            );
        }
        store.verify_audit().await.expect("the audit chain verifies after the kill");
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
