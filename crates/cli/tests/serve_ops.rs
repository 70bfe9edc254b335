//! The built `sikkerby serve` in production shape, on both backends: configured by a TOML file
//! and the environment, it finishes a request in flight after SIGTERM and exits 0, writes log
//! lines that each parse as JSON and hold no CPR number, name or password, and refuses a
//! configuration file with an unknown key by naming the key and the file.

use chrono::Utc;
use sikkerby_domain::access::Role;
use sikkerby_store::audit::Actor;
use sikkerby_store::users::NewUser;
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const USERNAME: &str = "drift-sagsbehandler";
const PASSWORD: &str = "Drift-Kodeord-Hemmelig-77";
const NAME: &str = "Annelise Driftstestesen";

/// A running `sikkerby serve`, killed on drop if it is still running.
struct Server {
    child: Child,
    address: SocketAddr,
    /// Everything the server wrote to stderr (its log), collected as it comes.
    log: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the binary with a configuration file (`database_url`, a free port, JSON logs at
    /// `debug`) and waits for it to say where it listens.
    fn start(url: &str, extra_env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("temporary folder");
        let config = dir.path().join("sikkerby.toml");
        let text = format!(
            "database_url = \"{url}\"\nbind = \"127.0.0.1:0\"\nlog_format = \"json\"\npool_size = 3\n"
        );
        std::fs::write(&config, text).expect("write the configuration");
        let mut child = Command::new(env!("CARGO_BIN_EXE_sikkerby"))
            .args(["serve", "--config"])
            .arg(&config)
            .env_remove("SIKKERBY_DATABASE_URL")
            .env_remove("RUST_LOG")
            .env("SIKKERBY_LOG_LEVEL", "debug")
            .envs(extra_env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sikkerby serve");
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n @ 1..) = stderr.read(&mut buffer) {
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        let (found, address) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Sikker By is running at http://") {
                    let _ = found.send(rest.split('/').next().unwrap_or_default().to_owned());
                }
            }
        });
        let address = match address.recv_timeout(Duration::from_secs(90)) {
            Ok(address) => address.parse().expect("an address"),
            Err(_) => panic!("the server did not start; its log:\n{}", log.lock().unwrap()),
        };
        Server { child, address, log, _dir: dir }
    }

    fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }

    /// Waits up to `limit` for the process to end and returns whether it exited with 0.
    fn wait_for_exit(&mut self, limit: Duration) -> Option<bool> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("process state") {
                return Some(status.success());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

fn sigterm(pid: &str) {
    let status = Command::new("kill").args(["-TERM", pid]).status().expect("run kill");
    assert!(status.success(), "kill -TERM {pid}");
}

store_test!(
    a_request_in_flight_is_answered_after_sigterm_and_the_process_exits_0,
    |db: TestDatabase| async move {
        let mut server = Server::start(&db.url, &[]);
        // A sign-in whose body arrives late: the server has begun the request and waits for the rest.
        let body = "username=niemand&password=forkert-kodeord&csrf_token=x&next=%2F";
        let mut stream = TcpStream::connect(server.address).expect("connect");
        let head = format!(
            "POST /login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
            server.address,
            body.len()
        );
        stream.write_all(head.as_bytes()).expect("send the head");
        stream.write_all(&body.as_bytes()[..10]).expect("send the start of the body");
        std::thread::sleep(Duration::from_millis(300));
        sigterm(&server.pid());
        std::thread::sleep(Duration::from_millis(700));
        assert!(
            server.child.try_wait().expect("state").is_none(),
            "the process waits for the request in flight"
        );
        assert!(TcpStream::connect(server.address).is_err(), "no new connections once shutting down");
        stream.write_all(&body.as_bytes()[10..]).expect("send the rest of the body");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read the answer");
        let status_line = response.lines().next().unwrap_or_default().to_owned();
        assert!(status_line.starts_with("HTTP/1.1 4"), "a whole answer to the sign-in: {status_line:?}");
        assert_eq!(server.wait_for_exit(Duration::from_secs(15)), Some(true), "exit code 0");
        let log = server.log.lock().unwrap().clone();
        assert!(log.contains("shutting down"), "the log says why it stopped:\n{log}");
    }
);

/// A CPR number that passes modulus 11, for a citizen born on 12 March 1997.
fn cpr() -> String {
    const WEIGHTS: [u32; 10] = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    (0..10_000)
        .map(|serial| format!("120397{serial:04}"))
        .find(|c| c.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum::<u32>() % 11 == 0)
        .expect("a valid serial")
}

/// The value of the first `csrf_token` field in a page.
fn csrf_in(html: &str) -> String {
    let rest = html.split("name=\"csrf_token\" value=\"").nth(1).expect("a csrf_token field");
    rest.split('"').next().unwrap_or_default().to_owned()
}

/// Signs in through the form (first with a wrong password), registers a citizen with CPR number
/// and name, searches for both, and opens the case, over real HTTP.
async fn use_the_case_pages(base: &str, cpr: &str) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let sign_in = |password: &'static str| {
        let client = client.clone();
        async move {
            let page = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
            let form = [
                ("username", USERNAME),
                ("password", password),
                ("csrf_token", &csrf_in(&page)),
                ("next", "/"),
            ];
            client.post(format!("{base}/login")).form(&form).send().await.unwrap().status().as_u16()
        }
    };
    assert_eq!(sign_in("Forkert-Men-Hemmelig-1").await, 401);
    assert_eq!(sign_in(PASSWORD).await, 303);
    let page = client.get(format!("{base}/borgere")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_in(&page);
    let hyphenated = format!("{}-{}", &cpr[..6], &cpr[6..]);
    let form = [("cpr", hyphenated.as_str()), ("navn", NAME), ("csrf_token", &csrf)];
    let created = client.post(format!("{base}/borgere/ny")).form(&form).send().await.unwrap();
    assert_eq!(created.status().as_u16(), 303, "citizen registered");
    assert_eq!(created.headers()["location"], "/borgere/ny?modtaget=1", "the receipt names nobody");
    // The receipt does not lead to the citizen: the caseworker finds them by search.
    let found = client.get(format!("{base}/borgere")).query(&[("q", cpr)]).send().await.unwrap();
    let found = found.text().await.unwrap();
    let row = "<th scope=\"row\"><a href=\"";
    let at = found.find(row).expect("search finds the new citizen") + row.len();
    let case: String = found[at..].chars().take_while(|c| *c != '"').collect();
    let purpose = [("formaal", "sagsbehandling"), ("csrf_token", &csrf)];
    client.post(format!("{base}{case}/formaal")).form(&purpose).send().await.unwrap();
    let shown = client.get(format!("{base}{case}")).send().await.unwrap().text().await.unwrap();
    assert!(shown.contains(NAME), "the case page shows the citizen");
    for query in [cpr, hyphenated.as_str(), NAME] {
        let response = client.get(format!("{base}/borgere")).query(&[("q", query)]).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
    }
}

store_test!(json_log_lines_parse_and_hold_no_cpr_number_name_or_password, |db: TestDatabase| async move {
    let store = Store::open(&db.url).await.expect("open");
    let user = NewUser {
        username: USERNAME.into(),
        display_name: "Drift Test".into(),
        role: Some(Role::Caseworker),
        centres: vec!["JKU Nord".into()],
        password: PASSWORD.into(),
    };
    store.create_user(&user, &Actor::system("test"), Utc::now()).await.expect("create the user");
    store.close().await;
    let cpr = cpr();
    // JSON from the file, the level (debug) from SIKKERBY_LOG_LEVEL.
    let mut server = Server::start(&db.url, &[]);
    use_the_case_pages(&server.base(), &cpr).await;
    sigterm(&server.pid());
    assert_eq!(server.wait_for_exit(Duration::from_secs(15)), Some(true));
    let log = server.log.lock().unwrap().clone();
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() > 10, "the server logged its work ({} lines)", lines.len());
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(value["timestamp"].is_string() && value["level"].is_string(), "{line}");
    }
    assert!(lines.iter().any(|l| l.contains("\"DEBUG\"")), "debug lines, as SIKKERBY_LOG_LEVEL says");
    assert!(lines.iter().any(|l| l.contains("/borgere/{id}")), "requests are logged by route template");
    let hyphenated = format!("{}-{}", &cpr[..6], &cpr[6..]);
    for secret in
        [cpr.as_str(), hyphenated.as_str(), NAME, "Driftstestesen", PASSWORD, "Forkert-Men-Hemmelig-1"]
    {
        assert!(!log.contains(secret), "the log holds {secret:?}");
    }
});

store_test!(the_environment_overrides_the_file_and_a_text_log_is_not_json, |db: TestDatabase| async move {
    let mut server = Server::start(&db.url, &[("SIKKERBY_LOG_FORMAT", "text"), ("SIKKERBY_POOL_SIZE", "2")]);
    let metrics = reqwest::get(format!("{}/metrics", server.base())).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("sikkerby_db_pool_max_connections 2"), "the pool size from the environment");
    sigterm(&server.pid());
    assert_eq!(server.wait_for_exit(Duration::from_secs(15)), Some(true));
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("serving") && !log.trim_start().starts_with('{'), "text lines:\n{log}");
});

#[test]
fn an_unknown_key_in_the_configuration_file_stops_serve_naming_the_key_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sikkerby.toml");
    std::fs::write(&config, "bind = \"127.0.0.1:0\"\nmetrics_tokn = \"x\"\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sikkerby"))
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("SIKKERBY_DATABASE_URL")
        .output()
        .expect("run sikkerby");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`metrics_tokn`") && stderr.contains(&config.display().to_string()), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
}

#[test]
fn an_unreachable_identity_provider_stops_serve_with_one_line_naming_the_setting() {
    let output = Command::new(env!("CARGO_BIN_EXE_sikkerby"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("SIKKERBY_DATABASE_URL")
        .env_remove("SIKKERBY_CONFIG")
        .env("SIKKERBY_OIDC_ISSUER", "http://127.0.0.1:9/nobody-listens")
        .env("SIKKERBY_OIDC_CLIENT_ID", "sikkerby")
        .env("SIKKERBY_OIDC_REDIRECT_URL", "http://127.0.0.1:8080/login/oidc/callback")
        .env("SIKKERBY_OIDC_GROUPS", r#"[{ group = "g", role = "admin" }]"#)
        .output()
        .expect("run sikkerby");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad value for `oidc.issuer`") && stderr.contains("discovery document"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
}
