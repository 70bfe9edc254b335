//! Nothing personal reaches the log: with every log line of the process captured (all levels,
//! all crates: the application, axum, tower-http, sqlx), a session that signs in (also with a
//! wrong password, and with the password typed into the username field), registers a citizen,
//! searches by name and CPR number, gives a purpose and reads and writes the case leaves no CPR
//! number, name or password in the captured text.

mod case_support;
mod common;

use case_support::valid_cpr;
use common::{spawn_anonymous, TestUser};
use sikkerby_domain::access::Role;
use sikkerby_testkit::store_test;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// The captured log of this test binary.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber once for the whole binary and returns the buffer.
fn captured() -> Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        log
    })
    .clone()
}

store_test!(the_log_holds_no_cpr_number_name_or_password, |db| async move {
    let log = captured();
    let app = spawn_anonymous(db).await;
    // Unique per backend, since both tests share the captured log.
    let backend = if app.store.backend() == sikkerby_store::Backend::Sqlite { 1 } else { 2 };
    let user = TestUser::caseworker(&format!("log-cw-{backend}"), &["JKU Nord"]);
    app.ensure_user(&user).await;
    let wrong_password = format!("Forkert-Hemmelig-{backend}-42!");
    assert_eq!(app.login_form(&user.username, &wrong_password).await.status().as_u16(), 401);
    assert_eq!(app.login_form(&wrong_password, &user.password()).await.status().as_u16(), 401);
    assert_eq!(app.login_form(&user.username, &user.password()).await.status().as_u16(), 303);
    let cpr = valid_cpr(&format!("1{backend}0894"), 0);
    let hyphenated = format!("{}-{}", &cpr[..6], &cpr[6..]);
    let (first, last) = (format!("Mettelise{backend}"), format!("Hemmeligsen{backend}"));
    let name = format!("{first} {last}");
    let page = app.register(&[("cpr", &hyphenated), ("navn", &name)]).await;
    let enroll = [("indsats", "EXIT"), ("start", "2013-01-10"), ("tovholder", "BIF"), ("bekraeft", "ja")];
    assert_eq!(app.post_form(&format!("{page}/forloeb"), &enroll).await.status().as_u16(), 303);
    let why = format!("samtale med {first} om {cpr}");
    let purpose = [("formaal", "andet"), ("uddybning", why.as_str())];
    app.post_form(&format!("{page}/formaal"), &purpose).await;
    assert!(app.text(&page, 200).await.contains(&name));
    for query in [name.as_str(), last.as_str(), &cpr[..6], &hyphenated, &cpr] {
        let encoded: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
        app.text(&format!("/borgere?q={encoded}"), 200).await;
    }
    let bad = [("haendelse", "dom"), ("dato", &cpr), ("vaerdi", &name)];
    assert_eq!(app.post_form(&format!("{page}/haendelser"), &bad).await.status().as_u16(), 422);
    let again = app.post_form("/borgere/ny", &[("cpr", &format!("{cpr}9")), ("navn", &name)]).await;
    assert_eq!(again.status().as_u16(), 422);
    app.login_as(Role::Analyst).await;
    app.text("/resultater?as_of=2014-05-31", 200).await;

    let text = String::from_utf8(log.0.lock().unwrap().clone()).expect("UTF-8 log");
    assert!(text.contains("signed in") && text.contains("login failed"), "the log was captured");
    assert!(text.contains("http.route=\"/borgere/{id}\""), "requests are logged by route");
    let password = user.password();
    let secrets = [&cpr, &hyphenated, &name, &first, &last, &wrong_password, &password];
    for secret in secrets {
        assert!(!text.contains(secret.as_str()), "the log contains {secret:?}");
    }
});
