//! The `sikkerby` binary: parses arguments and calls the crates that do the work. Every error
//! ends as one clear line on stderr and a non-zero exit code.

mod args;
mod commands;
mod format;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
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
    let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
    let mut line = chain.join(": ");
    // sqlx repeats the cause inside the outer message; keep the line short.
    line.dedup();
    eprintln!("sikkerby: error: {line}");
    ExitCode::FAILURE
}

/// Logs go to stderr so that `--format json` on stdout stays machine-readable. `RUST_LOG`
/// chooses the level; `SIKKERBY_LOG_FORMAT=json` gives structured lines for production.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("SIKKERBY_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}
