//! What the browser tests share: finding Chromium and chromedriver, starting chromedriver on a
//! free port (killed when the test ends), and opening a headless browser session with the flags
//! this machine needs (no background networking: the network is closed).

#![allow(dead_code)]

use fantoccini::{Client, ClientBuilder};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Kills chromedriver when the test ends, however it ends.
pub struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The first of `names` found on `PATH`, unless `variable` names the program.
pub fn program(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    listener.local_addr().expect("local address").port()
}

pub async fn start_chromedriver(driver: &PathBuf) -> (KillOnDrop, String) {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let guard = KillOnDrop(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return (guard, format!("http://127.0.0.1:{port}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not listen on port {port} within 10 s");
}

pub async fn open_browser(webdriver: &str, chrome: &PathBuf, profile: &std::path::Path) -> Client {
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--no-first-run".to_owned(),
        "--window-size=1280,1024".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let options = serde_json::json!({ "binary": chrome, "args": args });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_owned(), options);
    ClientBuilder::rustls()
        .expect("TLS connector")
        .capabilities(capabilities)
        .connect(webdriver)
        .await
        .expect("open a browser session")
}

/// A headless browser for one test; chromedriver and the profile folder go when it is dropped.
pub struct Browser {
    pub client: Client,
    _driver: KillOnDrop,
    _profile: tempfile::TempDir,
}

/// Starts chromedriver and a browser, or says why not and gives `None` (the test skips) when
/// chromium or chromedriver is missing — except under `CI=true`, where that fails the test.
pub async fn browser_or_skip(test: &str) -> Option<Browser> {
    let driver = program("CHROMEDRIVER", &["chromedriver"]);
    let chrome = program("CHROME_BIN", &["chromium", "chromium-browser", "google-chrome"]);
    let (Some(driver), Some(chrome)) = (driver, chrome) else {
        assert!(!in_ci(), "CI=true but chromium or chromedriver is missing");
        eprintln!("skipping {test}: chromium or chromedriver is not installed");
        return None;
    };
    let (driver, webdriver) = start_chromedriver(&driver).await;
    let profile = tempfile::tempdir().expect("browser profile directory");
    let client = open_browser(&webdriver, &chrome, profile.path()).await;
    Some(Browser { client, _driver: driver, _profile: profile })
}

/// Keyboard use for the keyboard-only tests: keys pressed and released as a person types them.
pub mod keyboard {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    use fantoccini::error::CmdError;
    use fantoccini::key::Key;
    use fantoccini::Client;

    /// Presses and releases each character in turn.
    pub async fn type_text(browser: &Client, text: &str) -> Result<(), CmdError> {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for key in text.chars() {
            actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        }
        browser.perform_actions(actions).await
    }

    /// Presses and releases one key (Tab, Enter, Space, an arrow, ...).
    pub async fn press(browser: &Client, key: Key) -> Result<(), CmdError> {
        type_text(browser, &char::from(key).to_string()).await
    }

    /// Presses Shift+Tab: focus moves back.
    pub async fn shift_tab(browser: &Client) -> Result<(), CmdError> {
        let (shift, tab) = (char::from(Key::Shift), char::from(Key::Tab));
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: shift })
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab })
            .then(KeyAction::Up { value: shift });
        browser.perform_actions(actions).await
    }
}

/// Waits (up to 10 s) until the browser's path satisfies `arrived`, e.g. after a form post.
pub async fn wait_for_path(
    browser: &Client,
    arrived: impl Fn(&str) -> bool,
) -> Result<(), fantoccini::error::CmdError> {
    for _ in 0..100 {
        if arrived(browser.current_url().await?.path()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page did not change as expected");
}

/// Follows the menu's link to `href`: finds it in the menu and opens its address. On a wide
/// screen the menu is a `<details>` shown open by CSS (`::details-content`), and WebDriver's own
/// visibility rule counts the content of a `<details>` without `open` as hidden, so it neither
/// finds the link by its text nor clicks it; that a person can see and click every item is
/// `browser_layout.rs`'s test (by hit-testing in the page).
#[allow(dead_code)]
pub async fn follow_menu(browser: &Client, href: &str) -> Result<(), fantoccini::error::CmdError> {
    let selector = format!("header.site nav a[href='{href}']");
    let link = browser.find(fantoccini::Locator::Css(&selector)).await?;
    let target = link.prop("href").await?.unwrap_or_default();
    browser.goto(&target).await
}
