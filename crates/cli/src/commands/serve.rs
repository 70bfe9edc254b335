//! `sikkerby serve`: migrate, seed, optionally load the demo data, then serve HTTP.

use crate::args::ServeArgs;
use anyhow::Context;
use sikkerby_web::AppState;

pub async fn run(url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let store = super::open_seeded(url).await?;
    if args.demo {
        super::demo::load(&store).await?;
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    println!("Sikker By is running at http://{address}/ (stop with Ctrl-C)");
    tracing::info!(%address, backend = ?store.backend(), "serving");
    let state = AppState::load(store).await.context("loading the case data")?;
    sikkerby_web::serve(state, listener).await?;
    Ok(())
}
