//! The settings of `sikkerby serve`, from four places in this order of precedence: the command
//! line, the environment (`SIKKERBY_<SETTING>`), a TOML file (`--config FILE` or
//! `SIKKERBY_CONFIG`), and the defaults. `deploy/sikkerby.toml` lists every setting.
//!
//! Environment and file values are parsed by the same function per setting, so that both give
//! the same error for the same mistake: it names the setting, where the value came from and why
//! it is wrong. An unknown key in the file is an error naming the key and the file; a typo
//! (`pool_sise`) silently falling back to a default is what this module exists to prevent.
//! The metrics token is deliberately not a command-line option: arguments are visible to every
//! user of the machine in `ps`.

use crate::args::{LogFormat, ServeArgs};
use sikkerby_web::client_ip::HeaderName;
use sikkerby_web::server::ServerLimits;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Every setting of the file, as spelled there; the environment variable is `SIKKERBY_` and the
/// name in capitals.
pub const SETTINGS: &[&str] = &[
    "database_url",
    "bind",
    "secure_cookies",
    "log_format",
    "log_level",
    "pool_size",
    "demo",
    "trusted_proxy_header",
    "metrics_token",
    "header_timeout",
    "body_timeout",
    "idle_timeout",
    "max_connections",
    "public_origin",
    "password_sign_in",
    "session_idle_minutes",
    "session_absolute_hours",
    "oidc",
];

/// The log filter of a server when nothing says otherwise.
pub const DEFAULT_LOG_LEVEL: &str = "info,sqlx=warn";
/// Where a server listens when nothing says otherwise: this machine only.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// The resolved settings of a server.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeSettings {
    pub database_url: String,
    pub bind: SocketAddr,
    /// `None`: decided by the address (off on loopback only).
    pub secure_cookies: Option<bool>,
    pub log_format: LogFormat,
    /// A `tracing` filter, e.g. `info,sqlx=warn`.
    pub log_level: String,
    /// `None`: the store's default per backend.
    pub pool_size: Option<u32>,
    pub demo: bool,
    pub trusted_proxy_header: Option<HeaderName>,
    pub metrics_token: Option<String>,
    /// The server's timeouts and connection limit.
    pub limits: ServerLimits,
    /// `https://host[:port]` as browsers reach the site; none: each request's `Host`.
    pub public_origin: Option<String>,
    /// Whether the local password sign-in is open (default: yes).
    pub password_sign_in: bool,
    /// When sessions end.
    pub session_limits: sikkerby_store::sessions::SessionLimits,
    /// Sign-in through the identity provider (`[oidc]`); none: passwords only.
    pub oidc: Option<sikkerby_web::auth::oidc::OidcConfig>,
}

/// What can be wrong with the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the configuration file {} is not valid TOML: {reason}", path.display())]
    Syntax { path: PathBuf, reason: String },
    #[error("unknown setting `{key}` in {} (known: {})", path.display(), SETTINGS.join(", "))]
    UnknownKey { path: PathBuf, key: String },
    #[error("bad value for `{field}` (from {origin}): {reason}")]
    BadValue { field: &'static str, origin: String, reason: String },
    #[error("bad value for `oidc.{setting}` (from {origin}): {reason}")]
    Oidc { setting: String, origin: String, reason: String },
}

/// The file's settings, checked for unknown keys, each value as text.
#[derive(Debug, Default)]
pub(crate) struct FileValues {
    pub(crate) path: PathBuf,
    values: toml::Table,
}

impl FileValues {
    fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        Self::parse(path, &text)
    }

    fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let values: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map(|s| text[..s.start].lines().count().max(1));
            let reason = e.message().to_owned();
            ConfigError::Syntax {
                path: path.to_owned(),
                reason: line.map_or(reason.clone(), |l| format!("line {l}: {reason}")),
            }
        })?;
        if let Some(key) = values.keys().find(|k| !SETTINGS.contains(&k.as_str())) {
            return Err(ConfigError::UnknownKey { path: path.to_owned(), key: key.clone() });
        }
        Ok(FileValues { path: path.to_owned(), values })
    }

    /// The table `field` (`[oidc]`), if the file has it.
    pub(crate) fn table(&self, field: &'static str) -> Result<Option<&toml::Table>, ConfigError> {
        match self.values.get(field) {
            None => Ok(None),
            Some(toml::Value::Table(table)) => Ok(Some(table)),
            Some(other) => Err(ConfigError::BadValue {
                field,
                origin: self.path.display().to_string(),
                reason: format!("expected a table [{field}], found a {}", other.type_str()),
            }),
        }
    }

    /// The value of `field` as text (strings as written, numbers and booleans spelled out).
    fn get(&self, field: &'static str) -> Result<Option<String>, ConfigError> {
        let origin = || format!("{}", self.path.display());
        match self.values.get(field) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(toml::Value::Integer(i)) => Ok(Some(i.to_string())),
            Some(toml::Value::Boolean(b)) => Ok(Some(b.to_string())),
            Some(other) => Err(ConfigError::BadValue {
                field,
                origin: origin(),
                reason: format!("expected a string, number or boolean, found a {}", other.type_str()),
            }),
        }
    }
}

/// The sources below the command line: the environment (through `env`, so that tests need not
/// change the process's) and the file.
pub(crate) struct Sources<'a> {
    pub(crate) env: &'a dyn Fn(&str) -> Option<String>,
    pub(crate) file: FileValues,
}

impl Sources<'_> {
    /// `field` from the environment, then the file; `Ok(None)` if neither sets it.
    fn get<T>(&self, field: &'static str, parse: Parser<T>) -> Result<Option<T>, ConfigError> {
        match self.env_value(field, &format!("SIKKERBY_{}", field.to_uppercase()), parse)? {
            Some(value) => Ok(Some(value)),
            None => self.file_value(field, parse),
        }
    }

    /// `field` from the environment variable `var` (empty counts as unset).
    fn env_value<T>(
        &self,
        field: &'static str,
        var: &str,
        parse: Parser<T>,
    ) -> Result<Option<T>, ConfigError> {
        let Some(text) = (self.env)(var).filter(|v| !v.is_empty()) else { return Ok(None) };
        let origin = format!("environment variable {var}");
        parse(&text).map(Some).map_err(|reason| ConfigError::BadValue { field, origin, reason })
    }

    fn file_value<T>(&self, field: &'static str, parse: Parser<T>) -> Result<Option<T>, ConfigError> {
        let Some(text) = self.file.get(field)? else { return Ok(None) };
        let origin = self.file.path.display().to_string();
        parse(&text).map(Some).map_err(|reason| ConfigError::BadValue { field, origin, reason })
    }
}

/// Parses one setting from text; the error says why the value is wrong.
pub type Parser<T> = fn(&str) -> Result<T, String>;

/// Resolves the settings: `database_url` as given on the command line (or by clap from
/// `SIKKERBY_DATABASE_URL`), the other command-line values in `args` (already checked by clap
/// with the parsers below), the environment through `env`.
pub fn resolve(
    database_url: Option<String>,
    args: &ServeArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ServeSettings, ConfigError> {
    let config =
        args.config.clone().or_else(|| env("SIKKERBY_CONFIG").filter(|p| !p.is_empty()).map(PathBuf::from));
    let file = match config {
        Some(path) => FileValues::read(&path)?,
        None => FileValues::default(),
    };
    let s = Sources { env, file };
    // Each setting: the command line if given, else environment, else file, else the default.
    let database_url = match database_url {
        Some(url) => url,
        None => s
            .get("database_url", parse_database_url)?
            .unwrap_or_else(|| sikkerby_store::DEFAULT_DATABASE_URL.into()),
    };
    let bind = match args.bind {
        Some(bind) => bind,
        None => s.get("bind", parse_bind)?.unwrap_or_else(default_bind),
    };
    let secure_cookies = match args.secure_cookies {
        Some(secure) => Some(secure),
        None => s.get("secure_cookies", parse_bool)?,
    };
    let log_format = match args.log_format {
        Some(format) => format,
        None => s.get("log_format", parse_log_format)?.unwrap_or(LogFormat::Text),
    };
    // RUST_LOG, the usual variable of Rust programs, still works, below SIKKERBY_LOG_LEVEL.
    let log_level = match &args.log_level {
        Some(level) => Some(level.clone()),
        None => match s.env_value("log_level", "SIKKERBY_LOG_LEVEL", parse_log_level)? {
            Some(level) => Some(level),
            None => match s.env_value("log_level", "RUST_LOG", parse_log_level)? {
                Some(level) => Some(level),
                None => s.file_value("log_level", parse_log_level)?,
            },
        },
    };
    let pool_size = match args.pool_size {
        Some(size) => Some(size),
        None => s.get("pool_size", parse_pool_size)?,
    };
    let trusted_proxy_header = match &args.trusted_proxy_header {
        Some(header) => Some(header.clone()),
        None => s.get("trusted_proxy_header", parse_header)?,
    };
    let oidc = crate::config_oidc::resolve(&s)?;
    Ok(ServeSettings {
        database_url,
        bind,
        secure_cookies,
        log_format,
        log_level: log_level.unwrap_or_else(|| DEFAULT_LOG_LEVEL.into()),
        pool_size,
        // `--demo` is a switch: present means on; absent leaves it to the other sources.
        demo: args.demo || s.get("demo", parse_bool)?.unwrap_or(false),
        trusted_proxy_header,
        metrics_token: s.get("metrics_token", parse_token)?,
        limits: server_limits(args, &s)?,
        public_origin: s.get("public_origin", parse_origin)?,
        password_sign_in: password_sign_in(&s, oidc.is_some())?,
        session_limits: session_limits(&s)?,
        oidc,
    })
}

/// `password_sign_in`: on unless switched off, and only off with a provider to sign in through.
fn password_sign_in(s: &Sources, has_provider: bool) -> Result<bool, ConfigError> {
    let open = s.get("password_sign_in", parse_bool)?.unwrap_or(true);
    if !open && !has_provider {
        let reason = "false needs [oidc] with an issuer: nobody could sign in".to_owned();
        return Err(ConfigError::BadValue {
            field: "password_sign_in",
            origin: "the settings".into(),
            reason,
        });
    }
    Ok(open)
}

/// `session_idle_minutes` (1 to 1440) and `session_absolute_hours` (1 to 24), default 30 and 8.
fn session_limits(s: &Sources) -> Result<sikkerby_store::sessions::SessionLimits, ConfigError> {
    let default = sikkerby_store::sessions::SessionLimits::default();
    let idle = s.get("session_idle_minutes", |t| parse_whole(t, 1, 1440, "minutes"))?;
    let absolute = s.get("session_absolute_hours", |t| parse_whole(t, 1, 24, "hours"))?;
    Ok(sikkerby_store::sessions::SessionLimits {
        idle: idle.map_or(default.idle, chrono::Duration::minutes),
        absolute: absolute.map_or(default.absolute, chrono::Duration::hours),
    })
}

fn parse_whole(text: &str, min: i64, max: i64, unit: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(format!("must be {min} to {max} {unit}")),
        Err(_) => Err(format!("`{text}` is not a whole number of {unit}")),
    }
}

/// The timeouts and the connection limit: each from the command line, else the environment or
/// the file, else [`ServerLimits::default`].
fn server_limits(args: &ServeArgs, s: &Sources) -> Result<ServerLimits, ConfigError> {
    let default = ServerLimits::default();
    let seconds = |given: Option<std::time::Duration>, field, default| -> Result<_, ConfigError> {
        Ok(match given {
            Some(value) => value,
            None => s.get(field, parse_seconds)?.unwrap_or(default),
        })
    };
    Ok(ServerLimits {
        header_timeout: seconds(args.header_timeout, "header_timeout", default.header_timeout)?,
        body_timeout: seconds(args.body_timeout, "body_timeout", default.body_timeout)?,
        idle_timeout: seconds(args.idle_timeout, "idle_timeout", default.idle_timeout)?,
        max_connections: match args.max_connections {
            Some(n) => n,
            None => s.get("max_connections", parse_max_connections)?.unwrap_or(default.max_connections),
        },
    })
}

fn default_bind() -> SocketAddr {
    DEFAULT_BIND.parse().expect("the default address is valid")
}

pub fn parse_database_url(text: &str) -> Result<String, String> {
    text.parse::<sikkerby_store::Backend>()
        .map(|_| text.to_owned())
        .map_err(|_| "expected sqlite://FILE or postgres://USER@HOST/DB".to_owned())
}

pub fn parse_bind(text: &str) -> Result<SocketAddr, String> {
    text.parse().map_err(|_| format!("`{text}` is not an address with a port, e.g. 0.0.0.0:8080"))
}

pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("`{text}` is neither true nor false")),
    }
}

pub fn parse_log_format(text: &str) -> Result<LogFormat, String> {
    match text {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("`{text}` is neither text nor json")),
    }
}

pub fn parse_log_level(text: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(text)
        .map(|_| text.to_owned())
        .map_err(|e| format!("`{text}` is not a log filter: {e}"))
}

pub fn parse_pool_size(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number of connections")),
    }
}

/// A timeout in whole seconds, 1 to 3600 (none at all would let a slow client stay for ever).
pub fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<u64>() {
        Ok(n @ 1..=3600) => Ok(std::time::Duration::from_secs(n)),
        Ok(_) => Err("must be 1 to 3600 seconds".into()),
        Err(_) => Err(format!("`{text}` is not a whole number of seconds")),
    }
}

pub fn parse_max_connections(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number of connections")),
    }
}

/// An origin as a browser sends it: scheme, host and port only.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim_end_matches('/');
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => Ok(text.to_owned()),
        _ => Err(format!("`{text}` is not an origin like https://sikkerby.example.dk")),
    }
}

pub fn parse_header(text: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(text.as_bytes()).map_err(|_| format!("`{text}` is not an HTTP header name"))
}

pub fn parse_token(text: &str) -> Result<String, String> {
    // A short token can be guessed; the value itself is never repeated in an error.
    if text.len() < 24 {
        return Err("must be at least 24 characters (e.g. `openssl rand -hex 32`)".into());
    }
    Ok(text.to_owned())
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
