//! A burst of form posts at a real `sikkerby serve`, and the check that what was answered as
//! saved survived whatever stopped it (a SIGKILL of the server, a crash of the database).
//!
//! A signed-in caseworker posts leisure-job forms for four citizens, 16 in flight at a time;
//! each post names its own employer (`job-N`), so the stored rows can be matched to the answers.

use sikkerby_store::audit::AuditAction;
use sikkerby_store::cases::{NewCitizen, NewEnrollment};
use sikkerby_store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "korrekt-hest-batteri-42";
const CENTRE: &str = "JKU Nord";
const START: &str = "2013-03-01";

/// The binary on `url` with `args`, logging warnings only.
pub fn sikkerby(url: &str, args: &[&str]) -> Command {
    let mut command = super::command(url, args);
    command.env("RUST_LOG", "warn");
    command
}

/// Runs a command that must succeed, with the password on standard input.
pub fn ok(url: &str, args: &[&str]) {
    let mut child = sikkerby(url, args).stdin(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "{args:?} failed");
}

/// `sikkerby serve` on a free port; returns the process and its base URL once it listens.
pub fn start_server(url: &str) -> (Child, String) {
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

/// A client that keeps cookies and does not follow redirects (the answer's 303 is the receipt).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Signs in as the caseworker and gives the purpose for each citizen; returns the CSRF token.
pub async fn sign_in(client: &reqwest::Client, base: &str, citizens: &[i64]) -> String {
    let login = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let fields =
        [("username", "anna"), ("password", PASSWORD), ("csrf_token", &csrf_in(&login)), ("next", "/")];
    let answer = client.post(format!("{base}/login")).form(&fields).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 303, "sign-in refused");
    let csrf = csrf_in(&client.get(format!("{base}/budget")).send().await.unwrap().text().await.unwrap());
    for id in citizens {
        let fields = [("formaal", "sagsbehandling"), ("csrf_token", csrf.as_str())];
        let answer = client.post(format!("{base}/borgere/{id}/formaal")).form(&fields).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 303, "purpose for {id}");
    }
    csrf
}

/// Migrates `url`, adds the caseworker and four citizens enrolled at the caseworker's centre.
pub async fn citizens_and_caseworker(url: &str) -> Vec<i64> {
    ok(url, &["migrate"]);
    ok(url, &["user", "add", "--username", "anna", "--role", "caseworker", "--centre", CENTRE]);
    let store = Store::open(url).await.unwrap();
    let initiative = store.portfolio().await.unwrap().initiatives[0].code.to_string();
    let mut ids = Vec::new();
    for k in 1..=4 {
        let cpr = format!("0{k}0190{}", 1000 + k);
        let id = store
            .create_citizen(&NewCitizen { cpr, confirm_warnings: true, ..Default::default() })
            .await
            .unwrap();
        let enrollment = NewEnrollment {
            citizen_id: id,
            initiative: initiative.clone(),
            start: chrono::NaiveDate::from_ymd_opt(2013, 1, 7).unwrap(),
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
pub enum Answer {
    /// 303 to the citizen page with `gemt=1`: the user was told it is saved.
    Saved,
    Other(u16),
    /// No answer at all (the connection broke).
    Lost,
}

/// One post: the citizen, its number and how it ended.
pub type Posted = (i64, usize, Answer);

async fn post_job(client: &reqwest::Client, base: &str, csrf: &str, citizen: i64, n: usize) -> Answer {
    let employer = format!("job-{n}");
    let fields = [("arbejdsgiver", employer.as_str()), ("start", START), ("csrf_token", csrf)];
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

/// Fires 1,000 posts, 16 in flight, calls `stop` once `saved_first` have been answered as saved,
/// and waits for every post to end. Panics if `saved_first` are not saved within a minute.
pub async fn burst_until(
    client: &reqwest::Client,
    base: &str,
    csrf: &str,
    citizens: &[i64],
    saved_first: usize,
    stop: impl FnOnce(),
) -> Vec<Posted> {
    let answers: Arc<Mutex<Vec<Posted>>> = Arc::default();
    let gate = Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..1_000 {
        let (client, base, csrf) = (client.clone(), base.to_owned(), csrf.to_owned());
        let (answers, gate) = (answers.clone(), gate.clone());
        let citizen = citizens[n % citizens.len()];
        tasks.spawn(async move {
            let _slot = gate.acquire().await.unwrap();
            let answer = post_job(&client, &base, &csrf, citizen, n).await;
            answers.lock().unwrap().push((citizen, n, answer));
        });
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while answers.lock().unwrap().iter().filter(|a| a.2 == Answer::Saved).count() < saved_first {
        if Instant::now() > deadline {
            panic!("fewer than {saved_first} posts saved in a minute: {:?}", tally(&answers.lock().unwrap()));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    stop();
    while tasks.join_next().await.is_some() {}
    let answers = answers.lock().unwrap().clone();
    answers
}

/// How many posts ended each way, for failure messages and the test's output.
pub fn tally(answers: &[Posted]) -> BTreeMap<String, usize> {
    let mut tally = BTreeMap::new();
    answers.iter().for_each(|a| *tally.entry(format!("{:?}", a.2)).or_default() += 1);
    tally
}

/// Checks the database behind `store` against the answers: every post answered as saved is stored
/// exactly once and whole, nothing is stored that nobody posted, every stored placement has its
/// audit row and the audit chain verifies. Returns how many placements are stored.
pub async fn check_stored(store: &Store, citizens: &[i64], answers: &[Posted]) -> usize {
    let saved: BTreeSet<(i64, String)> =
        answers.iter().filter(|a| a.2 == Answer::Saved).map(|(c, n, _)| (*c, format!("job-{n}"))).collect();
    let stored: Vec<(i64, Option<String>, String)> =
        sqlx::query_as("SELECT citizen_id, employer, start_date FROM placement")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let stored_set: BTreeSet<(i64, String)> =
        stored.iter().map(|(c, e, _)| (*c, e.clone().unwrap_or_default())).collect();
    assert_eq!(stored_set.len(), stored.len(), "a post was stored twice");
    assert!(stored.iter().all(|(_, _, start)| start == START), "a half-written placement");
    let missing: Vec<_> = saved.difference(&stored_set).collect();
    assert!(missing.is_empty(), "answered as saved but not stored: {missing:?}");
    let posted: BTreeSet<(i64, String)> = answers.iter().map(|(c, n, _)| (*c, format!("job-{n}"))).collect();
    assert!(stored_set.is_subset(&posted), "stored placements nobody posted");
    // Every stored change has its audit row (the write and its audit are one unit).
    let writes: Vec<(i64, i64)> =
        sqlx::query_as("SELECT person_id, COUNT(*) FROM audit_log WHERE action = $1 GROUP BY person_id")
            .bind(AuditAction::WriteCase.code())
            .fetch_all(store.pool())
            .await
            .unwrap();
    let writes: BTreeMap<i64, i64> = writes.into_iter().collect();
    for citizen in citizens {
        let placements = stored.iter().filter(|(c, _, _)| c == citizen).count() as i64;
        let audited = writes.get(citizen).copied().unwrap_or(0);
        assert!(
            audited >= placements,
            "citizen {citizen}: {placements} placements, {audited} audited writes"
        );
    }
    store.verify_audit().await.expect("the audit chain verifies");
    stored.len()
}
