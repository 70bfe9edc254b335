//! The identity provider as discovered at start, and the checks of its answer: the code is
//! exchanged for tokens with the PKCE verifier, and the ID token's signature (a key of the
//! provider's JWKS, asymmetric algorithms only), issuer, audience, expiry and nonce are checked by
//! `openidconnect`. A token signed with a key we do not know makes us fetch the JWKS again once
//! (the provider rotated its keys), at most every [`JWKS_REFRESH_INTERVAL`].

use super::config::{OidcConfig, OidcSetupError};
use super::http::{chain, HttpClient};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdToken, IdTokenClaims, IdTokenVerifier, IssuerUrl,
    JsonWebKeySet, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How often at most the JWKS is fetched again for a key we do not know.
pub const JWKS_REFRESH_INTERVAL: Duration = Duration::from_secs(1);

/// The claims beyond the standard ones (the groups claim, whatever its name), kept as JSON.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct OtherClaims(serde_json::Map<String, serde_json::Value>);

impl AdditionalClaims for OtherClaims {}

type GroupsIdToken =
    IdToken<OtherClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;
type Claims = IdTokenClaims<OtherClaims, CoreGenderClaim>;
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A sign-in sent to the provider: the URL to send the browser to and what must come back.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What a valid ID token says about the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub issuer: String,
    pub subject: String,
    /// The username claim's value, if the token has one.
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub groups: Vec<String>,
    pub acr: Option<String>,
    pub amr: Vec<String>,
}

impl Verified {
    /// `acr=… amr=…` for the audit row of the sign-in.
    pub fn audit_detail(&self) -> String {
        format!("oidc acr={} amr={}", self.acr.as_deref().unwrap_or("-"), self.amr.join(","))
    }
}

/// Why the provider's answer was not accepted. [`Refusal::code`] goes into the audit row and
/// onto the page (so support can tell the cases apart), never the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The provider answered with an error (`?error=access_denied`, …).
    ProviderError(String),
    /// No pending sign-in has this state: already used (a replay), expired or never made here.
    UnknownState,
    /// The answer came back to another browser than the one that started the sign-in.
    OtherBrowser,
    /// The code could not be exchanged for tokens.
    TokenRequest(String),
    NoIdToken,
    WrongIssuer,
    WrongAudience,
    Expired,
    WrongNonce,
    BadSignature(String),
    Invalid(String),
    /// The groups claim is missing or not a list of strings (or Entra ID's "overage").
    Groups(String),
    /// A valid sign-in whose groups map to no role.
    NoRole,
    /// `require_mfa` and the `amr` shows no second factor.
    MfaMissing,
    /// No usable username in the token, or it belongs to someone else here.
    Username(String),
}

impl Refusal {
    /// A short code for the audit row and the page.
    pub fn code(&self) -> String {
        match self {
            Refusal::ProviderError(e) => format!("provider error {e}"),
            Refusal::UnknownState => "unknown or used state".into(),
            Refusal::OtherBrowser => "state of another browser".into(),
            Refusal::TokenRequest(e) => format!("token request failed: {e}"),
            Refusal::NoIdToken => "no id token".into(),
            Refusal::WrongIssuer => "wrong issuer".into(),
            Refusal::WrongAudience => "wrong audience".into(),
            Refusal::Expired => "expired id token".into(),
            Refusal::WrongNonce => "wrong nonce".into(),
            Refusal::BadSignature(e) => format!("bad signature: {e}"),
            Refusal::Invalid(e) => format!("invalid id token: {e}"),
            Refusal::Groups(e) => format!("groups claim: {e}"),
            Refusal::NoRole => "groups map to no role".into(),
            Refusal::MfaMissing => "multi-factor authentication required".into(),
            Refusal::Username(e) => format!("username: {e}"),
        }
    }
}

impl From<ClaimsVerificationError> for Refusal {
    fn from(error: ClaimsVerificationError) -> Self {
        match error {
            ClaimsVerificationError::Expired(_) => Refusal::Expired,
            ClaimsVerificationError::InvalidAudience(_) => Refusal::WrongAudience,
            ClaimsVerificationError::InvalidIssuer(_) => Refusal::WrongIssuer,
            ClaimsVerificationError::InvalidNonce(_) => Refusal::WrongNonce,
            ClaimsVerificationError::SignatureVerification(e) => Refusal::BadSignature(e.to_string()),
            other => Refusal::Invalid(other.to_string()),
        }
    }
}

/// The signing keys and when they were last fetched.
struct Keys {
    set: JsonWebKeySet<CoreJsonWebKey>,
    fetched: Instant,
}

/// The provider, discovered.
pub struct Provider {
    config: OidcConfig,
    metadata: ProviderMetadataWithLogout,
    keys: RwLock<Keys>,
    http: HttpClient,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider").field("config", &self.config).finish_non_exhaustive()
    }
}

/// Plain HTTP only to this machine (the tests' providers): anywhere else the provider's keys and
/// tokens would travel unprotected.
fn check_scheme(setting: &str, url: &str) -> Result<(), OidcSetupError> {
    let local =
        ["http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/", "http://[::1]:"];
    if url.starts_with("https://") || local.iter().any(|prefix| url.starts_with(prefix)) {
        Ok(())
    } else {
        Err(OidcSetupError::new(setting, format!("`{url}` must be an https:// URL")))
    }
}

impl Provider {
    /// Reads the provider's discovery document and keys; fails with the setting to fix when the
    /// issuer cannot be reached or does not say what the code flow needs.
    pub async fn discover(config: OidcConfig) -> Result<Self, OidcSetupError> {
        let http = HttpClient::new().map_err(|e| OidcSetupError::new("issuer", e))?;
        check_scheme("issuer", &config.issuer)?;
        let issuer = IssuerUrl::new(config.issuer.clone())
            .map_err(|e| OidcSetupError::new("issuer", format!("`{}` is not a URL: {e}", config.issuer)))?;
        RedirectUrl::new(config.redirect_url.clone()).map_err(|e| {
            OidcSetupError::new("redirect_url", format!("`{}` is not a URL: {e}", config.redirect_url))
        })?;
        if let Some(url) = &config.post_logout_redirect_url {
            PostLogoutRedirectUrl::new(url.clone()).map_err(|e| {
                OidcSetupError::new("post_logout_redirect_url", format!("`{url}` is not a URL: {e}"))
            })?;
        }
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &http).await.map_err(|e| {
            OidcSetupError::new(
                "issuer",
                format!("cannot read {}'s discovery document: {}", config.issuer, chain(&e)),
            )
        })?;
        if metadata.token_endpoint().is_none() {
            return Err(OidcSetupError::new("issuer", "the provider has no token endpoint"));
        }
        let keys = RwLock::new(Keys { set: metadata.jwks().clone(), fetched: Instant::now() });
        Ok(Provider { config, metadata, keys, http })
    }

    pub fn config(&self) -> &OidcConfig {
        &self.config
    }

    fn client(&self) -> Client {
        let secret = self.config.client_secret.clone().map(ClientSecret::new);
        let redirect = RedirectUrl::new(self.config.redirect_url.clone()).expect("checked in discover");
        CoreClient::from_provider_metadata(
            self.metadata.clone(),
            ClientId::new(self.config.client_id.clone()),
            secret,
        )
        .set_redirect_uri(redirect)
    }

    /// A new sign-in: the provider's URL with a fresh state, nonce and PKCE challenge (S256).
    pub fn authorize(&self) -> Authorization {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &self.config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        }
    }

    /// Exchanges the code and checks the ID token against the nonce of the sign-in.
    pub async fn verify(&self, code: &str, nonce: &str, pkce_verifier: &str) -> Result<Verified, Refusal> {
        let client = self.client();
        let exchange = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| Refusal::TokenRequest(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()));
        let response =
            exchange.request_async(&self.http).await.map_err(|e| Refusal::TokenRequest(chain(&e)))?;
        let raw = response.id_token().ok_or(Refusal::NoIdToken)?.to_string();
        let token: GroupsIdToken =
            raw.parse().map_err(|e: serde_json::Error| Refusal::Invalid(e.to_string()))?;
        let nonce = Nonce::new(nonce.to_owned());
        let claims = match self.check(&token, &nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                self.refresh_keys().await;
                self.check(&token, &nonce)
            }
            other => other,
        }?;
        self.verified(&claims)
    }

    fn check(&self, token: &GroupsIdToken, nonce: &Nonce) -> Result<Claims, ClaimsVerificationError> {
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner()).set.clone();
        let verifier = IdTokenVerifier::new_public_client(
            ClientId::new(self.config.client_id.clone()),
            self.metadata.issuer().clone(),
            keys,
        )
        // Asymmetric only: an HMAC "signature" made with the client secret proves nothing about
        // the provider.
        .set_allowed_algs([
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
            CoreJwsSigningAlgorithm::RsaSsaPssSha256,
            CoreJwsSigningAlgorithm::RsaSsaPssSha384,
            CoreJwsSigningAlgorithm::RsaSsaPssSha512,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
            CoreJwsSigningAlgorithm::EcdsaP384Sha384,
            CoreJwsSigningAlgorithm::EdDsa,
        ]);
        token.clone().into_claims(&verifier, nonce)
    }

    /// Fetches the JWKS again (the provider rotated its keys), unless it was fetched just now.
    async fn refresh_keys(&self) {
        let recent =
            self.keys.read().unwrap_or_else(|e| e.into_inner()).fetched.elapsed() < JWKS_REFRESH_INTERVAL;
        if recent {
            return;
        }
        match JsonWebKeySet::fetch_async(self.metadata.jwks_uri(), &self.http).await {
            Ok(set) => {
                tracing::info!(keys = set.keys().len(), "fetched the identity provider's keys again");
                *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Keys { set, fetched: Instant::now() };
            }
            Err(e) => tracing::warn!(error = %chain(&e), "cannot fetch the identity provider's keys"),
        }
    }

    fn verified(&self, claims: &Claims) -> Result<Verified, Refusal> {
        let other = &claims.additional_claims().0;
        let username = match self.config.username_claim.as_str() {
            "preferred_username" => claims.preferred_username().map(|u| u.to_string()),
            "email" => claims.email().map(|e| e.to_string()),
            "sub" => Some(claims.subject().to_string()),
            name => other.get(name).and_then(|v| v.as_str()).map(str::to_owned),
        };
        Ok(Verified {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            username,
            display_name: claims.name().and_then(|n| n.get(None)).map(|n| n.to_string()),
            groups: groups(other, &self.config.groups_claim)?,
            acr: claims.auth_context_ref().map(|a| a.to_string()),
            amr: claims
                .auth_method_refs()
                .map(|m| m.iter().map(|a| a.to_string()).collect())
                .unwrap_or_default(),
        })
    }

    /// The provider's end-session URL for signing out there (RP-initiated logout), if it has one.
    pub fn end_session_url(&self) -> Option<String> {
        let endpoint = self.metadata.additional_metadata().end_session_endpoint.clone()?;
        let mut request =
            LogoutRequest::from(endpoint).set_client_id(ClientId::new(self.config.client_id.clone()));
        if let Some(url) = &self.config.post_logout_redirect_url {
            request = request.set_post_logout_redirect_uri(PostLogoutRedirectUrl::new(url.clone()).ok()?);
        }
        Some(request.http_get_url().to_string())
    }
}

/// The groups claim: a list of strings (a single string counts as a list of one). Missing means
/// no groups. Entra ID's "overage" (`_claim_names.groups`, more than 200 groups) is refused with
/// its reason: the groups would have to be fetched from Graph, which Sikker By does not do.
fn groups(claims: &serde_json::Map<String, serde_json::Value>, name: &str) -> Result<Vec<String>, Refusal> {
    use serde_json::Value;
    match claims.get(name) {
        None if claims.get("_claim_names").and_then(|n| n.get(name)).is_some() => Err(Refusal::Groups(
            "too many groups for the token (Entra ID overage); send only the groups assigned to the application".into(),
        )),
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(group)) => Ok(vec![group.clone()]),
        Some(Value::Array(values)) => values
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| Refusal::Groups("not a list of strings".into())))
            .collect(),
        Some(_) => Err(Refusal::Groups("not a list of strings".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_groups_claim_is_a_list_of_strings() {
        let claims = |json: &str| serde_json::from_str::<serde_json::Map<_, _>>(json).unwrap();
        assert_eq!(groups(&claims(r#"{"groups":["a","b"]}"#), "groups").unwrap(), ["a", "b"]);
        assert_eq!(groups(&claims(r#"{"roles":"a"}"#), "roles").unwrap(), ["a"]);
        assert!(groups(&claims("{}"), "groups").unwrap().is_empty());
        assert!(groups(&claims(r#"{"groups":[1]}"#), "groups").is_err());
        let overage = claims(r#"{"_claim_names":{"groups":"src1"}}"#);
        assert!(
            matches!(groups(&overage, "groups"), Err(Refusal::Groups(reason)) if reason.contains("overage"))
        );
    }
}
