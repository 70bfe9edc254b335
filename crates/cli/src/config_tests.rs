//! Precedence (command line > environment > file > default) and the errors of the
//! configuration, with the environment as a map instead of the process's.

use super::*;
use std::collections::HashMap;

/// A configuration file in a temporary folder, removed with the value.
struct File {
    dir: tempfile::TempDir,
}

impl File {
    fn with(text: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sikkerby.toml"), text).unwrap();
        File { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("sikkerby.toml")
    }
}

fn args(config: Option<PathBuf>) -> ServeArgs {
    ServeArgs {
        config,
        demo: false,
        bind: None,
        secure_cookies: None,
        log_format: None,
        log_level: None,
        pool_size: None,
        trusted_proxy_header: None,
        header_timeout: None,
        body_timeout: None,
        idle_timeout: None,
        max_connections: None,
    }
}

fn resolve_with(
    db: Option<&str>,
    args: &ServeArgs,
    env: &[(&str, &str)],
) -> Result<ServeSettings, ConfigError> {
    let env: HashMap<String, String> = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    resolve(db.map(str::to_owned), args, &move |var| env.get(var).cloned())
}

const FILE: &str = r#"
database_url = "postgres://sikkerby@db.internal/sikkerby"
bind = "0.0.0.0:9000"
secure_cookies = true
log_format = "json"
log_level = "debug"
pool_size = 12
demo = true
trusted_proxy_header = "X-Forwarded-For"
metrics_token = "0123456789abcdef0123456789abcdef"
header_timeout = 5
body_timeout = 20
idle_timeout = 15
max_connections = 300
"#;

#[test]
fn without_file_environment_or_options_every_setting_has_its_default() {
    let s = resolve_with(None, &args(None), &[]).unwrap();
    assert_eq!(s.database_url, sikkerby_store::DEFAULT_DATABASE_URL);
    assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
    assert_eq!((s.secure_cookies, s.log_format, s.pool_size, s.demo), (None, LogFormat::Text, None, false));
    assert_eq!(s.log_level, DEFAULT_LOG_LEVEL);
    assert!(s.trusted_proxy_header.is_none() && s.metrics_token.is_none());
    assert_eq!(s.limits, sikkerby_web::server::ServerLimits::default());
}

#[test]
fn the_server_limits_come_from_the_file_and_the_command_line_wins() {
    let file = File::with(FILE);
    let mut given = args(Some(file.path()));
    given.idle_timeout = Some(std::time::Duration::from_secs(7));
    let s = resolve_with(None, &given, &[("SIKKERBY_MAX_CONNECTIONS", "50")]).unwrap();
    let secs = |l: std::time::Duration| l.as_secs();
    assert_eq!((secs(s.limits.header_timeout), secs(s.limits.body_timeout)), (5, 20));
    assert_eq!((secs(s.limits.idle_timeout), s.limits.max_connections), (7, 50));
    let error = resolve_with(None, &args(None), &[("SIKKERBY_HEADER_TIMEOUT", "0")]).unwrap_err().to_string();
    assert!(error.contains("`header_timeout`") && error.contains("1 to 3600"), "{error}");
}

#[test]
fn the_file_overrides_every_default() {
    let file = File::with(FILE);
    let s = resolve_with(None, &args(Some(file.path())), &[]).unwrap();
    assert_eq!(s.database_url, "postgres://sikkerby@db.internal/sikkerby");
    assert_eq!(s.bind.to_string(), "0.0.0.0:9000");
    assert_eq!(
        (s.secure_cookies, s.log_format, s.pool_size, s.demo),
        (Some(true), LogFormat::Json, Some(12), true)
    );
    assert_eq!(s.log_level, "debug");
    assert_eq!(s.trusted_proxy_header.unwrap().as_str(), "x-forwarded-for");
    assert_eq!(s.metrics_token.as_deref(), Some("0123456789abcdef0123456789abcdef"));
}

#[test]
fn the_environment_overrides_the_file_and_the_command_line_overrides_both() {
    let file = File::with(FILE);
    let env = [
        ("SIKKERBY_DATABASE_URL", "sqlite://env.db"),
        ("SIKKERBY_BIND", "127.0.0.1:9001"),
        ("SIKKERBY_POOL_SIZE", "3"),
        ("SIKKERBY_LOG_FORMAT", "text"),
        ("SIKKERBY_SECURE_COOKIES", "false"),
        ("SIKKERBY_METRICS_TOKEN", "from-the-environment-0123456789"),
    ];
    let from_env = resolve_with(None, &args(Some(file.path())), &env).unwrap();
    assert_eq!(from_env.database_url, "sqlite://env.db");
    assert_eq!(from_env.bind.to_string(), "127.0.0.1:9001");
    assert_eq!(
        (from_env.pool_size, from_env.log_format, from_env.secure_cookies),
        (Some(3), LogFormat::Text, Some(false))
    );
    assert_eq!(from_env.metrics_token.as_deref(), Some("from-the-environment-0123456789"));
    assert_eq!(from_env.log_level, "debug", "the file still decides what the environment leaves open");
    let mut cli = args(Some(file.path()));
    cli.bind = Some("127.0.0.1:9002".parse().unwrap());
    cli.pool_size = Some(7);
    cli.log_format = Some(LogFormat::Json);
    cli.secure_cookies = Some(true);
    let from_cli = resolve_with(Some("sqlite://cli.db"), &cli, &env).unwrap();
    assert_eq!(from_cli.database_url, "sqlite://cli.db");
    assert_eq!(from_cli.bind.to_string(), "127.0.0.1:9002");
    assert_eq!(
        (from_cli.pool_size, from_cli.log_format, from_cli.secure_cookies),
        (Some(7), LogFormat::Json, Some(true))
    );
}

#[test]
fn the_log_level_comes_from_sikkerby_log_level_before_rust_log_before_the_file() {
    let file = File::with("log_level = \"error\"\n");
    let a = args(Some(file.path()));
    assert_eq!(resolve_with(None, &a, &[]).unwrap().log_level, "error");
    assert_eq!(resolve_with(None, &a, &[("RUST_LOG", "warn")]).unwrap().log_level, "warn");
    let both = [("RUST_LOG", "warn"), ("SIKKERBY_LOG_LEVEL", "trace")];
    assert_eq!(resolve_with(None, &a, &both).unwrap().log_level, "trace");
}

#[test]
fn the_file_can_be_named_by_the_environment_and_an_empty_variable_counts_as_unset() {
    let file = File::with("pool_size = 5\n");
    let path = file.path().display().to_string();
    let s =
        resolve_with(None, &args(None), &[("SIKKERBY_CONFIG", &path), ("SIKKERBY_POOL_SIZE", "")]).unwrap();
    assert_eq!(s.pool_size, Some(5));
}

#[test]
fn an_unknown_key_in_the_file_is_an_error_naming_the_key_and_the_file() {
    let file = File::with("bind = \"127.0.0.1:8080\"\npool_sise = 8\n");
    let error = resolve_with(None, &args(Some(file.path())), &[]).unwrap_err().to_string();
    assert!(error.contains("`pool_sise`"), "{error}");
    assert!(error.contains(&file.path().display().to_string()), "{error}");
}

#[test]
fn a_bad_value_names_the_setting_where_it_came_from_and_why() {
    let file = File::with("pool_size = 0\n");
    let error = resolve_with(None, &args(Some(file.path())), &[]).unwrap_err().to_string();
    assert!(
        error.contains("`pool_size`") && error.contains("sikkerby.toml") && error.contains("at least 1"),
        "{error}"
    );
    let error = resolve_with(None, &args(None), &[("SIKKERBY_BIND", "localhost")]).unwrap_err().to_string();
    assert!(
        error.contains("`bind`") && error.contains("SIKKERBY_BIND") && error.contains("`localhost`"),
        "{error}"
    );
    let error = resolve_with(None, &args(None), &[("SIKKERBY_DEMO", "yes")]).unwrap_err().to_string();
    assert!(error.contains("`demo`") && error.contains("neither true nor false"), "{error}");
    let error =
        resolve_with(None, &args(None), &[("SIKKERBY_DATABASE_URL", "mysql://x")]).unwrap_err().to_string();
    assert!(error.contains("`database_url`") && error.contains("postgres://"), "{error}");
    let error = resolve_with(None, &args(None), &[("RUST_LOG", "sqlx=loud")]).unwrap_err().to_string();
    assert!(error.contains("`log_level`") && error.contains("RUST_LOG"), "{error}");
}

#[test]
fn a_short_metrics_token_is_refused_without_repeating_it() {
    let error =
        resolve_with(None, &args(None), &[("SIKKERBY_METRICS_TOKEN", "hunter2")]).unwrap_err().to_string();
    assert!(error.contains("`metrics_token`") && error.contains("24"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn a_wrongly_typed_or_malformed_file_is_an_error_naming_the_file() {
    let file = File::with("pool_size = [1, 2]\n");
    let error = resolve_with(None, &args(Some(file.path())), &[]).unwrap_err().to_string();
    assert!(error.contains("`pool_size`") && error.contains("array"), "{error}");
    let file = File::with("bind = \n");
    let error = resolve_with(None, &args(Some(file.path())), &[]).unwrap_err().to_string();
    assert!(error.contains("not valid TOML") && error.contains("line 1"), "{error}");
    let missing = PathBuf::from("/nonexistent/sikkerby.toml");
    let error = resolve_with(None, &args(Some(missing)), &[]).unwrap_err().to_string();
    assert!(error.contains("cannot read") && error.contains("/nonexistent/sikkerby.toml"), "{error}");
}

#[test]
fn the_shipped_example_file_is_valid_and_names_every_setting() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/sikkerby.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    for setting in SETTINGS {
        let spelled = if *setting == "oidc" { "[oidc]".to_owned() } else { format!("{setting} =") };
        assert!(text.contains(&spelled), "{setting} is documented in the example");
    }
    for key in crate::config_oidc::OIDC_KEYS {
        let spelled = if *key == "group" { "[[oidc.group]]".to_owned() } else { format!("## {key} =") };
        assert!(text.contains(&spelled), "oidc.{key} is documented in the example");
    }
    // The [oidc] example, uncommented, is valid too.
    let oidc: String = text
        .lines()
        .filter_map(|l| l.strip_prefix("## ").or(l.strip_prefix("##")))
        .collect::<Vec<_>>()
        .join("\n");
    let file = File::with(&oidc);
    let settings = resolve_with(None, &args(Some(file.path())), &[]).unwrap();
    let config = settings.oidc.expect("the example names an issuer");
    assert_eq!((config.groups.len(), config.require_mfa), (2, true));
    // With its commented settings switched on, the example still parses and checks.
    let enabled: String = text
        .lines()
        .map(|l| l.strip_prefix("# ").filter(|l| l.contains(" = ")).unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let file = File::with(&enabled);
    resolve_with(None, &args(Some(file.path())), &[]).unwrap();
}

const OIDC: &str = r#"
password_sign_in = false
[oidc]
issuer = "https://idp.example/tenant/v2.0"
client_id = "sikkerby"
redirect_url = "https://sb.example/login/oidc/callback"
[[oidc.group]]
group = "g-nord"
role = "caseworker"
centres = ["JKU Nord"]
caseworker_codes = ["JKU-A17"]
"#;

#[test]
fn the_oidc_settings_come_from_the_file_and_the_environment_the_secret_from_the_environment_only() {
    let file = File::with(OIDC);
    let env = [("SIKKERBY_OIDC_CLIENT_SECRET", "s3cret"), ("SIKKERBY_OIDC_REQUIRE_MFA", "true")];
    let settings = resolve_with(None, &args(Some(file.path())), &env).unwrap();
    assert!(!settings.password_sign_in);
    let config = settings.oidc.unwrap();
    assert_eq!(config.issuer, "https://idp.example/tenant/v2.0");
    assert_eq!((config.client_secret.as_deref(), config.require_mfa), (Some("s3cret"), true));
    assert_eq!(config.groups[0].caseworker_codes, ["JKU-A17"]);
    // The rules from the environment replace the file's.
    let env = [("SIKKERBY_OIDC_GROUPS", r#"[{ group = "g-a", role = "analyst" }]"#)];
    let config = resolve_with(None, &args(Some(file.path())), &env).unwrap().oidc.unwrap();
    assert_eq!(config.groups[0].role, sikkerby_domain::access::Role::Analyst);
    // No [oidc] at all: passwords only, and they cannot be switched off.
    assert!(resolve_with(None, &args(None), &[]).unwrap().oidc.is_none());
    let error = resolve_with(None, &args(None), &[("SIKKERBY_PASSWORD_SIGN_IN", "false")]).unwrap_err();
    assert!(error.to_string().contains("`password_sign_in`"), "{error}");
}

#[test]
fn a_bad_oidc_setting_is_one_error_naming_it_and_where_it_came_from() {
    let cases = [
        (OIDC.replace("role = \"caseworker\"", "role = \"boss\""), vec![], "`oidc.group[1].role`"),
        (OIDC.replace("centres = [\"JKU Nord\"]", ""), vec![], "`oidc.group[1].centres`"),
        (OIDC.replace("client_id", "client_secret"), vec![], "`oidc.client_secret`"),
        (OIDC.replace("redirect_url", "redirect_uri"), vec![], "unknown key `redirect_uri`"),
        (OIDC.to_owned(), vec![("SIKKERBY_OIDC_REQUIRE_MFA", "yes")], "`oidc.require_mfa` (from environment"),
        (OIDC.to_owned(), vec![("SIKKERBY_OIDC_GROUPS", "[{ group = 1")], "`oidc.group` (from environment"),
        (OIDC.to_owned(), vec![("SIKKERBY_OIDC_GROUPS", "[]")], "`oidc.group`"),
    ];
    for (text, env, expected) in cases {
        let file = File::with(&text);
        let error = resolve_with(None, &args(Some(file.path())), &env).unwrap_err().to_string();
        assert!(error.contains(expected), "expected {expected} in: {error}");
        assert_eq!(error.lines().count(), 1, "{error}");
    }
    let file = File::with("session_idle_minutes = 0\n");
    let error = resolve_with(None, &args(Some(file.path())), &[]).unwrap_err().to_string();
    assert!(error.contains("`session_idle_minutes`") && error.contains("1 to 1440"), "{error}");
}
