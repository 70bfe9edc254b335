//! One function per subcommand. Each opens the store it needs and calls the library crates.

mod admin;
mod backup;
mod demo;
mod demo_indicators;
mod demo_users;
mod evaluate;
mod exchange;
mod index;
mod indicators;
mod portfolio;
mod report;
mod serve;
mod tryghed;

use crate::args::{Cli, Command, ExportCommand, ImportCommand};
use anyhow::Context;
use sikkerby_store::Store;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli.database.url();
    match cli.command {
        // The server resolves its settings (and starts its logging) itself: see `config`.
        Command::Serve(args) => serve::run(cli.database.database_url, args).await,
        Command::Migrate => migrate(&url).await,
        Command::Budget(args) => portfolio::budget(&open_seeded(&url).await?, args.format).await,
        Command::Spend { line, year, amount } => {
            portfolio::spend(&open_seeded(&url).await?, &line, year, &amount).await
        }
        Command::Initiatives(args) => portfolio::initiatives(&open_seeded(&url).await?, args.format).await,
        Command::Generate(args) => exchange::generate(&args),
        Command::Import { what: ImportCommand::Opera { dir, partial } } => {
            exchange::import_opera(&open_seeded(&url).await?, &dir, partial).await
        }
        Command::Import { what: ImportCommand::Tryghed { dir, partial } } => {
            tryghed::import(&open_seeded(&url).await?, &dir, partial).await
        }
        Command::Index(args) => index::run(&open_seeded(&url).await?, args).await,
        Command::Export { what: ExportCommand::Opera { dir } } => {
            exchange::export_opera(&open_seeded(&url).await?, &dir).await
        }
        Command::Evaluate(args) => evaluate::run(&open_seeded(&url).await?, &args).await,
        Command::Report(args) => {
            report::run(&open_seeded(&url).await?, &args.kind, &args.period, &args.format, &args.out).await
        }
        Command::Indicator { what } => indicators::run(&open_seeded(&url).await?, what).await,
        Command::User { what } => admin::user(&Store::open(&url).await?, what).await,
        Command::Audit { what } => admin::audit(&Store::open(&url).await?, what).await,
        Command::Backup { out } => backup::backup(&url, &out).await,
        Command::Restore { file, replace } => backup::restore(&url, &file, replace).await,
        Command::Retention { what } => admin::retention(&Store::open(&url).await?, what).await,
    }
}

/// Opens the store, applies migrations and loads the memo's seed (idempotent).
pub async fn open_seeded(url: &str) -> anyhow::Result<Store> {
    let store = Store::open(url).await?;
    let seed = sikkerby_domain::seed::load().context("the built-in seed data is invalid")?;
    store.load_seed(&seed).await.context("loading the memo's portfolio")?;
    Ok(store)
}

async fn migrate(url: &str) -> anyhow::Result<()> {
    let store = open_seeded(url).await?;
    let portfolio = store.portfolio().await?;
    println!(
        "database at {} is up to date: {} initiatives loaded",
        sikkerby_store::redact_url(url),
        portfolio.initiatives.len()
    );
    store.close().await;
    Ok(())
}
