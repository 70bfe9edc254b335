//! Arguments of `sikkerby index`: print one year of the safety index, or manage its
//! configuration (`index config set FILE`, `index config show`).

use crate::args::OutputFormat;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct IndexArgs {
    #[command(subcommand)]
    pub what: Option<IndexCommand>,
    /// The year to print; default: the latest year with area data.
    #[arg(long)]
    pub year: Option<i32>,
    /// Output format (json: the document of docs/formats.md).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Exact figures, without disclosure control (for users allowed to see them).
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// The index's configuration: weights, cut points, base year, uncertainty settings.
    Config {
        #[command(subcommand)]
        what: ConfigCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Store FILE (TOML) as the next configuration version and list the areas whose category
    /// changes because of it.
    Set {
        /// The TOML file, e.g. `[cut_points]\nmarkant = 130.0`; settings left out keep their
        /// defaults.
        file: PathBuf,
        /// Who makes the change (recorded with it).
        #[arg(long, env = "USER", default_value = "cli")]
        by: String,
    },
    /// Print the configuration in force and every earlier version.
    Show,
}
