//! A PostgreSQL standby that takes over (README, "Failover").
//!
//! The test starts its own two clusters on free ports, so that killing the primary does not
//! touch the machine's server the other tests use: a primary with `synchronous_standby_names`
//! and a streaming standby made by `pg_basebackup`. A signed-in caseworker fires leisure-job
//! forms at `sikkerby serve` on the primary; once 60 are answered as saved the primary is
//! stopped in `immediate` mode (every process ends at once, without a checkpoint: a crash). The
//! standby is promoted, `sikkerby serve` is started on it (the documented switch: the same
//! command with the standby's URL), and every post answered as saved must be there exactly once
//! with its audit row, and the audit chain verifies. A new post on the promoted standby is saved.
//!
//! Needs PostgreSQL's server programs (`initdb`, `pg_ctl`, `pg_basebackup`); without them the
//! test is skipped with a message, except under `CI=true`, where that is a failure.

mod cli_support;

use cli_support::form_burst::{
    self, burst_until, check_stored, citizens_and_caseworker, sign_in, start_server,
};
use cli_support::form_burst::{tally, Answer};
use sikkerby_store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const STANDBY_NAME: &str = "sikkerby_standby";

/// The directory holding `initdb` and `pg_ctl`: `PG_BINDIR`, or the newest under
/// /usr/lib/postgresql (Debian's layout).
fn server_programs() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PG_BINDIR") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists() && bin.join("pg_basebackup").exists())
        .collect();
    found.sort_by_key(|p| p.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()));
    found.pop()
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// PostgreSQL refuses to run as root: as root, the programs run as the `postgres` user.
struct Programs {
    bin: PathBuf,
    as_postgres: bool,
}

impl Programs {
    fn run(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let output = command.args(args).output().unwrap_or_else(|e| panic!("start {program}: {e}"));
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// One cluster started by the test; stopped (immediately) when dropped.
struct Cluster<'a> {
    programs: &'a Programs,
    data: PathBuf,
    port: u16,
}

impl<'a> Cluster<'a> {
    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    fn data(&self) -> &str {
        self.data.to_str().unwrap()
    }

    /// Settings both clusters share; the socket lives in the test's directory, not /run.
    fn configure(&self, extra: &str) {
        let socket_dir = self.data.parent().unwrap().display();
        let settings = format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{socket_dir}'\n\
             fsync = on\nsynchronous_commit = on\nwal_level = replica\nmax_wal_senders = 4\n\
             shared_buffers = 32MB\n{extra}",
            self.port
        );
        append(&self.data.join("postgresql.conf"), &settings);
    }

    fn start(&self) {
        let log = self.data.parent().unwrap().join(format!("{}.log", self.port));
        self.programs.run("pg_ctl", &["-D", self.data(), "-l", log.to_str().unwrap(), "-w", "start"]);
    }

    fn stop_immediately(&self) {
        self.programs.run("pg_ctl", &["-D", self.data(), "-m", "immediate", "-w", "stop"]);
    }
}

impl Drop for Cluster<'_> {
    fn drop(&mut self) {
        let pid = self.data.join("postmaster.pid");
        if pid.exists() {
            let bin = self.programs.bin.join("pg_ctl");
            let runner = if self.programs.as_postgres { "runuser" } else { bin.to_str().unwrap() };
            let mut command = Command::new(runner);
            if self.programs.as_postgres {
                command.args(["-u", "postgres", "--"]).arg(&bin);
            }
            let _ = command.args(["-D", self.data(), "-m", "immediate", "stop"]).output();
        }
    }
}

fn append(file: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(file).unwrap();
    writeln!(f, "{text}").unwrap();
}

/// Waits until the primary reports the standby as its synchronous standby.
async fn wait_for_sync(primary_admin: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let pool = sqlx::PgPool::connect(primary_admin).await.unwrap();
        let state: Option<String> =
            sqlx::query_scalar("SELECT sync_state FROM pg_stat_replication WHERE application_name = $1")
                .bind(STANDBY_NAME)
                .fetch_optional(&pool)
                .await
                .unwrap();
        pool.close().await;
        if state.as_deref() == Some("sync") {
            return;
        }
        assert!(Instant::now() < deadline, "the standby never became synchronous (state {state:?})");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A directory the `postgres` user may write to when the programs run as that user.
fn cluster_dir(programs: &Programs) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("sikkerby-failover").tempdir().unwrap();
    if programs.as_postgres {
        let status = Command::new("chown").args(["postgres:postgres"]).arg(dir.path()).status().unwrap();
        assert!(status.success(), "chown the cluster directory");
    }
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_promoted_synchronous_standby_holds_every_post_answered_as_saved() {
    let Some(bin) = server_programs() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI: PostgreSQL's initdb/pg_basebackup not found"
        );
        eprintln!("skipped: PostgreSQL's server programs not found (set PG_BINDIR)");
        return;
    };
    // Root is asked with `id -u`, which needs no libc binding.
    let uid = Command::new("id").arg("-u").output().unwrap();
    let programs = Programs { bin, as_postgres: String::from_utf8_lossy(&uid.stdout).trim() == "0" };
    let dir = cluster_dir(&programs);

    let primary = Cluster { programs: &programs, data: dir.path().join("primary"), port: free_port() };
    programs.run("initdb", &["-D", primary.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
    primary.configure("");
    primary.start();
    let admin = sqlx::PgPool::connect(&primary.url("postgres")).await.unwrap();
    sqlx::query("CREATE DATABASE sikkerby").execute(&admin).await.unwrap();
    admin.close().await;

    let standby = Cluster { programs: &programs, data: dir.path().join("standby"), port: free_port() };
    let source = format!("host=127.0.0.1 port={} user=postgres", primary.port);
    programs.run("pg_basebackup", &["-d", &source, "-D", standby.data(), "-X", "stream"]);
    // The copy carries the primary's settings: once promoted it must not wait for a standby.
    standby.configure(&format!(
        "primary_conninfo = '{source} application_name={STANDBY_NAME}'\nsynchronous_standby_names = ''"
    ));
    std::fs::write(standby.data.join("standby.signal"), "").unwrap();
    standby.start();
    // From now on every commit waits until the standby has it on disk (`synchronous_commit =
    // on`); set only now, since with no standby yet a commit would wait for ever.
    let admin = sqlx::PgPool::connect(&primary.url("postgres")).await.unwrap();
    sqlx::query(&format!("ALTER SYSTEM SET synchronous_standby_names = '{STANDBY_NAME}'"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query("SELECT pg_reload_conf()").execute(&admin).await.unwrap();
    admin.close().await;
    wait_for_sync(&primary.url("postgres")).await;

    let url = primary.url("sikkerby");
    let citizens = citizens_and_caseworker(&url).await;
    let (mut server, base) = start_server(&url);
    let client = form_burst::client();
    let csrf = sign_in(&client, &base, &citizens).await;
    // The primary crashes; its application server is fenced off at once, as the runbook says
    // (README, "Failover"): posts in flight then end, none waits on a database that is gone.
    let crash = || {
        primary.stop_immediately();
        let _ = server.kill();
    };
    let answers = burst_until(&client, &base, &csrf, &citizens, 60, crash).await;
    server.wait().unwrap();
    let not_saved = answers.iter().filter(|a| a.2 != Answer::Saved).count();
    assert!(not_saved > 100, "the crash came too late to hit posts in flight: {:?}", tally(&answers));

    // The switch: promote the standby, start the same command with the standby's URL.
    programs.run("pg_ctl", &["-D", standby.data(), "-w", "promote"]);
    let url = standby.url("sikkerby");
    let store = Store::open(&url).await.unwrap();
    let stored = check_stored(&store, &citizens, &answers).await;
    store.close().await;
    println!("{:?} answered; {stored} stored on the promoted standby", tally(&answers));

    let (mut server, base) = start_server(&url);
    let client = form_burst::client();
    let csrf = sign_in(&client, &base, &citizens).await;
    let fields = [("arbejdsgiver", "after-failover"), ("start", "2013-03-01"), ("csrf_token", csrf.as_str())];
    let answer = client.post(format!("{base}/borgere/{}/fritidsjob", citizens[0])).form(&fields).send().await;
    let location = answer.unwrap().headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    assert!(location.is_some_and(|l| l.contains("gemt=1")), "a post on the promoted standby is saved");
    server.kill().unwrap();
    server.wait().unwrap();
}
