//! The server's timeouts and connection limit over real sockets: clients that send their
//! headers a byte at a time, clients that send nothing, keep-alive connections left idle and
//! bodies that trickle are all dropped while normal requests go on being served; connections
//! over the limit get 503 at once; a form over the size limit is 413, not a CSRF refusal.
//! The server does not depend on the database backend, so these run on SQLite only.

mod common;

use common::{spawn_app, spawn_with_server_limits, TestApp};
use sikkerby_testkit::{TestBackend, TestDatabase};
use sikkerby_web::server::ServerLimits;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEADER: Duration = Duration::from_secs(2);
const BODY: Duration = Duration::from_secs(2);
const IDLE: Duration = Duration::from_secs(1);

async fn app_with(max_connections: usize) -> TestApp {
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite test database");
    let limits =
        ServerLimits { header_timeout: HEADER, body_timeout: BODY, idle_timeout: IDLE, max_connections };
    spawn_with_server_limits(db, limits).await
}

fn address(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// Waits until the server closes the connection (or answers and then closes it); the time from
/// `start`, or `None` if it is still open after `patience`.
async fn closed_after(stream: &mut TcpStream, start: Instant, patience: Duration) -> Option<Duration> {
    let mut buf = [0u8; 4096];
    let wait = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return start.elapsed(),
                Ok(_) => continue,
            }
        }
    };
    tokio::time::timeout(patience, wait).await.ok()
}

/// A client sending `bytes` one every 100 ms; the time until the server closed on it.
async fn trickle(addr: String, bytes: Vec<u8>) -> Option<Duration> {
    let start = Instant::now();
    let stream = TcpStream::connect(&addr).await.expect("connect");
    let (mut read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        for byte in bytes {
            if write.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        std::future::pending::<()>().await;
    });
    let mut buf = [0u8; 1024];
    let wait = async {
        loop {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => return start.elapsed(),
                Ok(_) => continue,
            }
        }
    };
    let closed = tokio::time::timeout(Duration::from_secs(8), wait).await.ok();
    writer.abort();
    closed
}

/// A request head that never ends within the header timeout at one byte per 100 ms.
fn endless_head() -> Vec<u8> {
    format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n", "a".repeat(400)).into_bytes()
}

/// A POST to the sign-in form whose body would take 100 s to arrive.
fn endless_body() -> Vec<u8> {
    let head = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Content-Length: 1000\r\n\r\n";
    let mut bytes = head.as_bytes().to_vec();
    bytes.extend(std::iter::repeat_n(b'a', 1000));
    bytes
}

fn assert_dropped_within(times: &[Option<Duration>], low: Duration, high: Duration, what: &str) {
    for time in times {
        let time = time.unwrap_or_else(|| panic!("a {what} was never dropped"));
        assert!(time >= low && time <= high, "a {what} was dropped after {time:?}, not in {low:?}..{high:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_clients_are_dropped_while_normal_requests_are_served() {
    let app = app_with(1024).await;
    let addr = address(&app);
    let slow: Vec<_> = (0..20).map(|_| tokio::spawn(trickle(addr.clone(), endless_head()))).collect();
    // Bytes still arrive, so the idle timeout does not end these; the header timeout does.
    let bodies: Vec<_> = (0..5).map(|_| tokio::spawn(trickle(addr.clone(), endless_body()))).collect();
    let idle: Vec<_> = (0..20)
        .map(|_| {
            let addr = addr.clone();
            tokio::spawn(async move {
                let start = Instant::now();
                let mut stream = TcpStream::connect(&addr).await.expect("connect");
                closed_after(&mut stream, start, Duration::from_secs(8)).await
            })
        })
        .collect();
    // Meanwhile, ordinary requests: each answered promptly.
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let start = Instant::now();
        let response = app.client.get(format!("{}/healthz", app.base)).send().await.expect("healthz");
        assert_eq!(response.status().as_u16(), 200);
        slowest = slowest.max(start.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(slowest < Duration::from_millis(500), "a normal request took {slowest:?}");
    let collect = |handles: Vec<tokio::task::JoinHandle<Option<Duration>>>| async move {
        let mut times = Vec::new();
        for handle in handles {
            times.push(handle.await.expect("client task"));
        }
        times
    };
    let margin = Duration::from_millis(1500);
    assert_dropped_within(&collect(slow).await, HEADER, HEADER + margin, "slow header");
    assert_dropped_within(&collect(idle).await, IDLE, IDLE + margin, "idle connection");
    assert_dropped_within(&collect(bodies).await, BODY, BODY + margin, "slow body");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keep_alive_connection_left_idle_is_closed_after_its_response() {
    let app = app_with(1024).await;
    let mut stream = TcpStream::connect(address(&app)).await.expect("connect");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("request");
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).await.expect("response");
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&buf[..n]));
    let answered = Instant::now();
    let closed = closed_after(&mut stream, answered, Duration::from_secs(5)).await;
    let closed = closed.expect("the idle keep-alive connection stays open");
    assert!(closed >= IDLE - Duration::from_millis(100) && closed <= IDLE + Duration::from_millis(1500));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_limit_get_503_at_once_and_the_server_recovers() {
    let app = app_with(4).await;
    let addr = address(&app);
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(&addr).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = TcpStream::connect(&addr).await.expect("connect");
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_millis(500), extra.read(&mut buf))
        .await
        .expect("the refusal is immediate")
        .expect("read");
    assert!(buf[..n].starts_with(b"HTTP/1.1 503"), "{}", String::from_utf8_lossy(&buf[..n]));
    // The held connections are idle: once they are dropped, the server takes new ones again.
    tokio::time::sleep(IDLE + Duration::from_millis(1500)).await;
    let response = app.client.get(format!("{}/healthz", app.base)).send().await.expect("healthz");
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_over_the_size_limit_is_413_not_a_csrf_refusal() {
    let db = TestDatabase::create(TestBackend::Sqlite).await.expect("SQLite test database");
    let app = spawn_app(db).await;
    let big = "x".repeat(3 * 1024 * 1024);
    let response = app.post_form("/logout", &[("note", &big)]).await;
    assert_eq!(response.status().as_u16(), 413);
    let page = response.text().await.expect("body");
    assert!(page.contains("2 MB"), "the page says what the limit is: {page}");
}
