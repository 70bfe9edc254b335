//! The pages of the flow. `GET /login/oidc` keeps a new state, nonce and PKCE verifier in the
//! database, bound to this browser by a random cookie token (only its SHA-256 is stored), and
//! sends the browser to the provider. `GET /login/oidc/callback` takes the pending sign-in out
//! by its state (single use), checks the browser, the code and the ID token, maps the groups,
//! creates or updates the user and starts a new session. Every refusal is audited and answered
//! with a page that says what happened (and a code for support).

use super::access::{is_multi_factor, map_groups};
use super::provider::{Provider, Refusal, Verified};
use crate::auth::cookies::{self, OIDC_COOKIE};
use crate::auth::login::{random_token, safe_next, start_session};
use crate::pages::{render, Nav, PageContext};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;
use sikkerby_store::users::external::{ExternalSignIn, ExternalSignInError};
use std::sync::Arc;

/// How long a sign-in at the provider may take before its state is forgotten.
const PENDING_MINUTES: i64 = 10;

#[derive(Template)]
#[template(path = "oidc_refused.html")]
struct RefusedPage {
    chrome: crate::pages::Chrome,
    title: &'static str,
    text: &'static str,
    code: String,
}

#[derive(Debug, Deserialize)]
pub(in crate::auth) struct Start {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(in crate::auth) struct Answer {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

fn provider(state: &AppState) -> Result<&Arc<Provider>, AppError> {
    state.oidc.as_ref().ok_or_else(|| AppError::NotFound("sign-in through an identity provider".into()))
}

/// `GET /login/oidc`: off to the provider.
pub(in crate::auth) async fn start(
    State(state): State<AppState>,
    Query(query): Query<Start>,
) -> Result<Response, AppError> {
    let provider = provider(&state)?;
    let now = Utc::now();
    let authorization = provider.authorize();
    let browser = random_token();
    let next = safe_next(query.next.as_deref());
    let pending = (authorization.nonce.as_str(), authorization.pkce_verifier.as_str(), next.as_str());
    let expires = now + Duration::minutes(PENDING_MINUTES);
    state.store.begin_external_sign_in(&authorization.state, &browser, pending, expires, now).await?;
    let max_age = Some(PENDING_MINUTES as u64 * 60);
    // SameSite=Lax: the provider's redirect back is a navigation from another site, which a
    // Strict cookie would not come along with.
    let cookie = cookies::set_cookie_lax(OIDC_COOKIE, &browser, "/login/oidc", max_age, state.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to(&authorization.url)).into_response())
}

/// `GET /login/oidc/callback`: the provider's answer.
pub(in crate::auth) async fn callback(
    State(state): State<AppState>,
    Query(answer): Query<Answer>,
    headers: HeaderMap,
    context: PageContext,
) -> Result<Response, AppError> {
    let provider = provider(&state)?.clone();
    let now = Utc::now();
    let pending = match &answer.state {
        Some(s) => state.store.take_external_sign_in(s, now).await?,
        None => None,
    };
    let Some(pending) = pending else { return refuse(&state, &context, Refusal::UnknownState, None).await };
    let browser = cookies::cookie(&headers, OIDC_COOKIE).unwrap_or_default();
    if !pending.belongs_to(browser) {
        return refuse(&state, &context, Refusal::OtherBrowser, None).await;
    }
    if let Some(error) = answer.error {
        let error = error.chars().filter(|c| c.is_ascii_graphic()).take(64).collect();
        return refuse(&state, &context, Refusal::ProviderError(error), None).await;
    }
    let code = answer.code.unwrap_or_default();
    let verified = match provider.verify(&code, &pending.nonce, &pending.pkce_verifier).await {
        Ok(verified) => verified,
        Err(refusal) => return refuse(&state, &context, refusal, None).await,
    };
    let config = provider.config();
    if config.require_mfa && !is_multi_factor(&verified.amr) {
        return refuse(&state, &context, Refusal::MfaMissing, Some(&verified)).await;
    }
    let Some(access) = map_groups(&config.groups, &verified.groups) else {
        return refuse(&state, &context, Refusal::NoRole, Some(&verified)).await;
    };
    let Some(username) = verified.username.as_deref().and_then(usable_username) else {
        let refusal = Refusal::Username(format!("claim `{}` missing or unusable", config.username_claim));
        return refuse(&state, &context, refusal, Some(&verified)).await;
    };
    let who = ExternalSignIn {
        issuer: verified.issuer.clone(),
        subject: verified.subject.clone(),
        display_name: verified.display_name.clone().unwrap_or_else(|| username.clone()),
        username,
        role: access.role,
        centres: access.centres,
        caseworker_codes: access.caseworker_codes,
    };
    let user = match state.store.sign_in_external(&who, &verified.audit_detail(), now).await {
        Ok(user) => user,
        Err(ExternalSignInError::UsernameTaken(_)) => {
            let page = refused_page(&context, &Refusal::Username("taken".into()));
            return Ok((StatusCode::FORBIDDEN, page?).into_response());
        }
        Err(ExternalSignInError::Security(e)) => return Err(AppError::Internal(Box::new(e))),
    };
    let mut response = start_session(&state, &headers, &user, pending.next_path, now, &context).await?;
    let clear = cookies::set_cookie_lax(OIDC_COOKIE, "", "/login/oidc", Some(0), state.secure_cookies);
    response.headers_mut().append(SET_COOKIE, clear);
    Ok(response)
}

/// A username as the provider gives it, if it can be one here: lower case, 3 to 64 of a-z, digits,
/// `.`, `_`, `-` and `@` (Entra ID's UPN is an address).
fn usable_username(name: &str) -> Option<String> {
    let name = name.trim().to_lowercase();
    let ok = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    (ok && (3..=64).contains(&name.len())).then_some(name)
}

/// Audits the refusal (a user whose groups no longer map loses access) and shows its page.
async fn refuse(
    state: &AppState,
    context: &PageContext,
    refusal: Refusal,
    verified: Option<&Verified>,
) -> Result<Response, AppError> {
    let detail = match verified {
        Some(v) => format!("{}; {}", v.audit_detail(), refusal.code()),
        None => format!("oidc; {}", refusal.code()),
    };
    let subject = verified.map(|v| (v.issuer.as_str(), v.subject.as_str()));
    let revoke = refusal == Refusal::NoRole;
    state.store.refuse_external_sign_in(subject, &detail, revoke, Utc::now()).await?;
    let status = match refusal {
        Refusal::NoRole | Refusal::MfaMissing | Refusal::Username(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::UNAUTHORIZED,
    };
    Ok((status, refused_page(context, &refusal)?).into_response())
}

fn refused_page(context: &PageContext, refusal: &Refusal) -> Result<axum::response::Html<String>, AppError> {
    let t = context.t().auth;
    let (title, text) = match refusal {
        Refusal::NoRole => (t.oidc_no_role_title, t.oidc_no_role_text),
        Refusal::MfaMissing => (t.oidc_failed_title, t.oidc_mfa_text),
        Refusal::UnknownState | Refusal::OtherBrowser => (t.oidc_failed_title, t.oidc_state_text),
        Refusal::ProviderError(_) => (t.oidc_failed_title, t.oidc_provider_error_text),
        Refusal::Username(_) => (t.oidc_failed_title, t.oidc_username_text),
        _ => (t.oidc_failed_title, t.oidc_failed_text),
    };
    let page = RefusedPage { chrome: context.chrome(Nav::None), title, text, code: refusal.code() };
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_username_from_the_provider_is_lower_case_and_plain() {
        assert_eq!(usable_username(" Anna.Jensen@KK.dk ").as_deref(), Some("anna.jensen@kk.dk"));
        assert_eq!(usable_username("ab"), None);
        assert_eq!(usable_username("anna jensen"), None);
        assert_eq!(usable_username("anna<script>"), None);
    }
}
