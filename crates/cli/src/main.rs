//! The `sikkerby` binary: parses arguments and calls the crates that do the work. Every error
//! ends as one clear line on stderr and a non-zero exit code.

mod admin_args;
mod args;
mod commands;
mod config;
mod config_oidc;
mod format;
mod index_args;
mod indicator_args;

use clap::Parser;

/// mimalloc instead of the system allocator: a page is built from many small strings (HTML, SVG
/// coordinates, formatted figures), and glibc's malloc and free were a quarter of the server's
/// CPU time under load (BENCHMARKS.md, "Load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    // A one-shot command only speaks up when something is wrong. A server starts its logging
    // once its configuration is read (`commands::serve`), since that says the level and format.
    if !matches!(args.command, args::Command::Serve(_)) {
        let level = std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned());
        init_logging(&level, std::env::var("SIKKERBY_LOG_FORMAT").is_ok_and(|f| f == "json"));
    }
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

/// Logs go to stderr so that `--format json` on stdout stays machine-readable. `filter` is a
/// `tracing` filter (`RUST_LOG` syntax); `json` gives structured lines for production.
fn init_logging(filter: &str, json: bool) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
