//! `sikkerby serve`: read the configuration, start logging, migrate, seed, optionally load the
//! demo data and its users, then serve HTTP until SIGTERM or Ctrl-C.
//! Cookies are `Secure` unless the address is a loopback one (or `secure_cookies` says).

use crate::args::{LogFormat, ServeArgs};
use crate::config;
use anyhow::Context;
use sikkerby_store::Store;
use sikkerby_web::AppState;

/// `database_url`: as given on the command line or in `SIKKERBY_DATABASE_URL` (clap reads it).
pub async fn run(database_url: Option<String>, args: ServeArgs) -> anyhow::Result<()> {
    let settings = config::resolve(database_url, &args, &|var| std::env::var(var).ok())?;
    crate::init_logging(&settings.log_level, settings.log_format == LogFormat::Json);
    // The provider first: an issuer that cannot be reached stops the server before anything else.
    let oidc = match settings.oidc.clone() {
        Some(config) => Some(sikkerby_web::auth::oidc::Provider::discover(config).await?),
        None => None,
    };
    let store = Store::open_with_pool_size(&settings.database_url, settings.pool_size)
        .await?
        .with_session_limits(settings.session_limits);
    let seed = sikkerby_domain::seed::load().context("the built-in seed data is invalid")?;
    store.load_seed(&seed).await.context("loading the memo's portfolio")?;
    if settings.demo {
        super::demo::load(&store).await?;
        sikkerby_web::label_data_as_synthetic();
    }
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let address = listener.local_addr()?;
    if settings.demo {
        super::demo_users::create(&store, &format!("http://{address}/")).await?;
    }
    // Plain HTTP is only usable on this machine; anywhere else the site must be behind HTTPS.
    let secure_cookies = settings.secure_cookies.unwrap_or(!address.ip().is_loopback());
    println!("Sikker By is running at http://{address}/ (stop with Ctrl-C)");
    if !secure_cookies {
        println!("note: cookies are not marked Secure (plain HTTP); use HTTPS for anything but this machine");
    }
    let pool_size = store.pool().options().get_max_connections();
    tracing::info!(%address, backend = ?store.backend(), secure_cookies, pool_size, "serving");
    let state = AppState::load(store)
        .await
        .context("loading the case data")?
        .with_secure_cookies(secure_cookies)
        .with_metrics_token(settings.metrics_token)
        .with_client_ip_header(settings.trusted_proxy_header)
        .with_public_origin(settings.public_origin)
        .with_oidc(oidc)
        .with_password_sign_in(settings.password_sign_in);
    state.evaluator.warm_index();
    sikkerby_web::serve_with_limits(state, listener, settings.limits).await?;
    Ok(())
}
