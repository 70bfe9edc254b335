//! `/admin/indstillinger`: the administrator's settings. The disclosure threshold k is the one
//! setting kept in the database and changeable while the server runs (docs/domain.md §9:
//! configurable, at least 3, every change audited with old and new value). The page also shows,
//! read-only, the access settings fixed at start (session timeouts, lockout, reset codes,
//! sign-in methods), so that the administrator sees what is in force without reading the
//! configuration; changing them means changing the configuration and restarting.

use super::CurrentUser;
use crate::pages::{render, Chrome, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use serde::Deserialize;
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_store::users::SecurityError;
use std::collections::HashMap;

/// A threshold above this withholds nearly everything; most likely a typing error.
const MAX_THRESHOLD: u64 = 1000;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    threshold: String,
    error: Option<&'static str>,
    saved: bool,
    fixed: Vec<(&'static str, String)>,
}

/// The access settings fixed at start, as label and value.
fn fixed(state: &AppState, context: &PageContext) -> Vec<(&'static str, String)> {
    use sikkerby_store::users::{password_reset::RESET_HOURS, LOCKOUT_MINUTES, MAX_FAILED_LOGINS};
    let t = context.t().admin;
    let limits = state.store.session_limits();
    let lockout = t
        .fixed_lockout_value
        .replace("{minutes}", &LOCKOUT_MINUTES.to_string())
        .replace("{count}", &MAX_FAILED_LOGINS.to_string());
    let provider = state.oidc.as_ref().map(|p| p.config().provider_name.clone());
    vec![
        (t.fixed_session_idle, format!("{} {}", limits.idle.num_minutes(), t.minutes)),
        (t.fixed_session_absolute, format!("{} {}", limits.absolute.num_hours(), t.hours)),
        (t.fixed_lockout, lockout),
        (t.fixed_reset, format!("{RESET_HOURS} {}", t.hours)),
        (t.fixed_password_sign_in, (if state.password_sign_in { t.on } else { t.off }).to_owned()),
        (t.fixed_provider, provider.unwrap_or_else(|| t.none.to_owned())),
    ]
}

/// The submitted form.
#[derive(Debug, Deserialize)]
pub(super) struct SettingsForm {
    #[serde(default)]
    graense: String,
}

/// `GET /admin/indstillinger` (`?gemt=1` after saving).
pub(super) async fn show(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    context: PageContext,
) -> Result<Response, AppError> {
    let threshold = state.store.disclosure_rules().await?.threshold.to_string();
    let page = SettingsPage {
        chrome: context.chrome(Nav::Settings),
        threshold,
        error: None,
        saved: query.contains_key("gemt"),
        fixed: fixed(&state, &context),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /admin/indstillinger`: changes the threshold through the store, which audits it.
pub(super) async fn save(
    State(state): State<AppState>,
    context: PageContext,
    user: CurrentUser,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let rules = form
        .graense
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|k| *k <= MAX_THRESHOLD)
        .and_then(|k| DisclosureRules::new(k).ok());
    let Some(rules) = rules else {
        let t = context.t().auth;
        let threshold = form.graense.chars().take(20).collect();
        let page = SettingsPage {
            chrome: context.chrome(Nav::Settings),
            threshold,
            error: Some(t.threshold_invalid),
            saved: false,
            fixed: fixed(&state, &context),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    match state.store.set_disclosure_threshold_audited(rules, &user.actor(), Utc::now()).await {
        Ok(()) => Ok(Redirect::to("/admin/indstillinger?gemt=1").into_response()),
        Err(SecurityError::Forbidden { .. }) => Err(AppError::Forbidden),
        Err(SecurityError::Store(error)) => Err(error.into()),
        Err(other) => Err(AppError::Internal(Box::new(other))),
    }
}
