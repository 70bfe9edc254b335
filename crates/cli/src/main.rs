//! The `sikkerby` binary: parses arguments and calls the crates that do the work. Every error
//! ends as one clear line on stderr and a non-zero exit code.

mod admin_args;
mod args;
mod commands;
mod format;
mod index_args;
mod indicator_args;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    // A server reports what it does; a one-shot command only speaks up when something is wrong.
    let default_level =
        if matches!(args.command, args::Command::Serve(_)) { "info,sqlx=warn" } else { "warn" };
    init_logging(default_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(commands::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// Prints the error and its causes on one line, the way a newcomer can act on it.
fn fail(error: &anyhow::Error) -> ExitCode {
    let mut chain: Vec<String> = Vec::new();
    for cause in error.chain().map(ToString::to_string) {
        // Some errors repeat their cause inside their own message; say each thing once.
        if !chain.last().is_some_and(|outer| outer.contains(&cause)) {
            chain.push(cause);
        }
    }
    eprintln!("sikkerby: error: {}", chain.join(": "));
    ExitCode::FAILURE
}

/// Logs go to stderr so that `--format json` on stdout stays machine-readable. `RUST_LOG`
/// chooses the level; `SIKKERBY_LOG_FORMAT=json` gives structured lines for production.
fn init_logging(default_level: &str) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if std::env::var("SIKKERBY_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}
