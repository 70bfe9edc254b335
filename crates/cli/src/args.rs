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
    /// Database to use: `sqlite://FILE` (embedded, the default) or `postgres://USER@HOST/DB`.
    #[arg(long, global = true, env = "SIKKERBY_DATABASE_URL", default_value = sikkerby_store::DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web interface and JSON API (migrates and loads the memo's portfolio first).
    Serve(ServeArgs),
    /// Create or update the database schema and load the memo's portfolio, then exit.
    Migrate,
    /// Print the memo's budget (Tabel 1) with totals computed from its lines.
    Budget(FormatArgs),
    /// Print the portfolio: the 17 initiatives of the memo.
    Initiatives(FormatArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Load the demo data set (synthetic, clearly labelled) on start.
    #[arg(long)]
    pub demo: bool,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
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
