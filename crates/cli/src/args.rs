//! Command-line arguments. The help text is what a newcomer reads first, so each option says
//! what it is for and what its default is.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

/// Sikker By: case data, success criteria, safety index and budget for Copenhagen's
/// crime-prevention initiatives for young people.
///
/// Start with `sikkerby serve --demo` and open http://127.0.0.1:8080/.
#[derive(Debug, Parser)]
#[command(name = "sikkerby", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database to use: `sqlite://FILE` (embedded) or `postgres://USER@HOST/DB`
    /// [default: sqlite://sikkerby.db?mode=rwc; for `serve` also from its configuration file].
    // No clap default: `serve` must tell "not given" from the default to let its file decide.
    #[arg(long, global = true, env = "SIKKERBY_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    /// The URL given, or the default one.
    pub fn url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| sikkerby_store::DEFAULT_DATABASE_URL.to_owned())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web interface and JSON API (migrates and loads the memo's portfolio first).
    Serve(ServeArgs),
    /// Create or update the database schema and load the memo's portfolio, then exit.
    Migrate,
    /// Print the memo's budget (Tabel 1) with totals computed from its lines.
    Budget(FormatArgs),
    /// Record the actual spend of a budget line in a year (mio. kr.), shown beside the budget in
    /// the annual report.
    Spend {
        /// The budget line's name as in the memo, e.g. "SSP+".
        #[arg(long)]
        line: String,
        #[arg(long)]
        year: i32,
        /// Millions of kroner, with `,` or `.` as decimal mark, e.g. 1,65.
        #[arg(long)]
        amount: String,
    },
    /// Print the portfolio: the 17 initiatives of the memo.
    Initiatives(FormatArgs),
    /// Write a synthetic data set (opera/ and tryghed/ folders), deterministic for a seed.
    Generate(GenerateArgs),
    /// Import a folder of CSV files: all of it or none of it.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Export the case data as a folder of CSV files in the import format.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Evaluate the success criteria for a year and print the results.
    Evaluate(EvaluateArgs),
    /// Print a year of the safety index (Tryghedsindeks), or manage its configuration.
    Index(crate::index_args::IndexArgs),
    /// Make a committee report from a recorded snapshot (PDF, HTML or XLSX).
    Report(ReportArgs),
    /// Manual and external indicators and deliverables: enter, approve (by another user), list.
    Indicator {
        #[command(subcommand)]
        what: crate::indicator_args::IndicatorCommand,
    },
    /// Manage users: add one (password on standard input) or list them.
    User {
        #[command(subcommand)]
        what: crate::admin_args::UserCommand,
    },
    /// Check the audit log's hash chain, or list the reads of one citizen's data.
    Audit {
        #[command(subcommand)]
        what: crate::admin_args::AuditCommand,
    },
    /// Write the whole database to one file (gzip, JSON lines) that restores into SQLite or
    /// PostgreSQL alike.
    Backup {
        /// The file to write; replaced only once the backup is complete.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup into this database (migrated first), all of it or nothing. The
    /// database must hold no data of its own unless --replace is given.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Delete everything in the database first (in the same transaction).
        #[arg(long)]
        replace: bool,
    },
    /// Delete personal data whose retention date has passed, leaving tombstones.
    Retention {
        #[command(subcommand)]
        what: crate::admin_args::RetentionCommand,
    },
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of citizens (5,000 gives the memo's Copenhagen volumes; volumes scale with it).
    #[arg(long, default_value_t = 5_000)]
    pub citizens: u64,
    /// Number of calendar years, from 2012.
    #[arg(long, default_value_t = 3)]
    pub years: u32,
    /// Random seed: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 2013)]
    pub seed: u64,
    /// Folder to write `opera/` and `tryghed/` into (created if missing).
    #[arg(long)]
    pub out: std::path::PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A case extract: borgere.csv, forloeb.csv, tilbud.csv, fritidsjob.csv, haendelser.csv,
    /// opfoelgninger.csv (any of them).
    Opera {
        /// The folder holding the CSV files.
        dir: std::path::PathBuf,
        /// Store the valid rows and write the rejected ones, with reasons, to
        /// `afviste_<file>.csv` beside the input, instead of storing nothing.
        #[arg(long)]
        partial: bool,
    },
    /// Area data for the safety index: omraader.csv, anmeldelser.csv, survey.csv,
    /// vurderinger.csv (any of them).
    Tryghed {
        /// The folder holding the CSV files.
        dir: std::path::PathBuf,
        /// Store the valid rows and write the rejected ones, with reasons, to
        /// `afviste_<file>.csv` beside the input, instead of storing nothing.
        #[arg(long)]
        partial: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The case data as an OPERA extract folder.
    Opera {
        /// The folder to write (created if missing).
        dir: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The calendar year to evaluate.
    #[arg(long)]
    pub year: i32,
    /// Evaluate as of this date (YYYY-MM-DD), the last day of a closed month unless `--raw`;
    /// default the end of the last closed month.
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Only this initiative's criteria (e.g. DOMTE).
    #[arg(long)]
    pub initiative: Option<String>,
    /// Break every figure down by: centre, caseworker, area, sex, age_band, month.
    #[arg(long)]
    pub by: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Exact figures, without disclosure control (for users allowed to see them).
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Read settings from this TOML file (see deploy/sikkerby.toml); also `SIKKERBY_CONFIG`.
    /// Precedence: command line, then environment (`SIKKERBY_<SETTING>`), then file, then default.
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Load the demo data set (synthetic, clearly labelled) on start.
    #[arg(long)]
    pub demo: bool,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    pub bind: Option<SocketAddr>,
    /// Mark cookies `Secure` (HTTPS only). Default: on, except when listening on a loopback
    /// address, where the site is plain HTTP on this machine; behind a TLS proxy on another
    /// address it stays on.
    #[arg(long, value_name = "true|false")]
    pub secure_cookies: Option<bool>,
    /// Log lines as text (for people) or JSON (for a log collector) [default: text].
    #[arg(long, value_enum)]
    pub log_format: Option<LogFormat>,
    /// Log filter, e.g. `info,sqlx=warn` (also SIKKERBY_LOG_LEVEL or RUST_LOG) [default: info,sqlx=warn].
    #[arg(long, value_parser = crate::config::parse_log_level)]
    pub log_level: Option<String>,
    /// Database connections per instance [default: 4 on SQLite, 2 x cores + 2 on PostgreSQL].
    #[arg(long, value_parser = crate::config::parse_pool_size)]
    pub pool_size: Option<u32>,
    /// Behind a reverse proxy: the header holding the client's address, e.g. X-Forwarded-For
    /// (its last entry counts). Only when the server is reachable through the proxy alone.
    #[arg(long, value_parser = crate::config::parse_header)]
    pub trusted_proxy_header: Option<sikkerby_web::client_ip::HeaderName>,
    /// Seconds a client may take to send a request's headers [default: 10].
    #[arg(long, value_name = "SECONDS", value_parser = crate::config::parse_seconds)]
    pub header_timeout: Option<std::time::Duration>,
    /// Seconds a client may take to send a request's body [default: 60].
    #[arg(long, value_name = "SECONDS", value_parser = crate::config::parse_seconds)]
    pub body_timeout: Option<std::time::Duration>,
    /// Seconds a keep-alive connection may stay idle [default: 30].
    #[arg(long, value_name = "SECONDS", value_parser = crate::config::parse_seconds)]
    pub idle_timeout: Option<std::time::Duration>,
    /// Open connections at most; more get 503 at once [default: 1024].
    #[arg(long, value_parser = crate::config::parse_max_connections)]
    pub max_connections: Option<usize>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for reading in a terminal.
    Table,
    /// Semicolon-separated values with Danish decimals, as Danish Excel reads them.
    Csv,
    /// JSON for programs.
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report: the annual report to the committees, the half-yearly report on unsettled
    /// areas, or the quarterly Sikker By report.
    #[arg(value_parser = ["annual", "halfyear", "quarter"])]
    pub kind: String,
    /// The period: a year (2013), a half-year (2013H1) or a quarter (2013Q2).
    #[arg(long)]
    pub period: String,
    /// Output format.
    #[arg(long, value_parser = ["pdf", "html", "xlsx"], default_value = "pdf")]
    pub format: String,
    /// The file to write.
    #[arg(long)]
    pub out: std::path::PathBuf,
}
