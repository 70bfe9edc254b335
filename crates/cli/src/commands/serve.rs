//! `sikkerby serve`: migrate, seed, optionally load the demo data and its users, then serve HTTP.
//! Cookies are `Secure` unless the address is a loopback one (or `--secure-cookies` says).

use crate::args::ServeArgs;
use anyhow::Context;
use sikkerby_web::AppState;

pub async fn run(url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let store = super::open_seeded(url).await?;
    if args.demo {
        super::demo::load(&store).await?;
        sikkerby_web::label_data_as_synthetic();
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    if args.demo {
        super::demo_users::create(&store, &format!("http://{address}/")).await?;
    }
    // Plain HTTP is only usable on this machine; anywhere else the site must be behind HTTPS.
    let secure_cookies = args.secure_cookies.unwrap_or(!address.ip().is_loopback());
    println!("Sikker By is running at http://{address}/ (stop with Ctrl-C)");
    if !secure_cookies {
        println!("note: cookies are not marked Secure (plain HTTP); use HTTPS for anything but this machine");
    }
    tracing::info!(%address, backend = ?store.backend(), secure_cookies, "serving");
    let state =
        AppState::load(store).await.context("loading the case data")?.with_secure_cookies(secure_cookies);
    state.evaluator.warm_index();
    sikkerby_web::serve(state, listener).await?;
    Ok(())
}
