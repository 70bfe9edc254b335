//! Sign-in through the municipality's identity provider with OpenID Connect (docs/security.md,
//! "Sign-in through the identity provider"): the authorization code flow with PKCE, state and
//! nonce, from the `openidconnect` crate.
//!
//! - [`config`]: the settings (issuer, client, groups claim, the mapping of groups to role,
//!   centres and caseworker codes, whether MFA is required), checked before anything starts.
//! - [`provider`]: the provider as discovered at start (its metadata and signing keys, fetched
//!   again when a token names a key we do not have) and the ID-token checks.
//! - [`access`]: what a verified sign-in gets in Sikker By (the group mapping, the MFA rule).
//! - [`flow`]: the two pages of the flow (`/login/oidc` sends the browser to the provider,
//!   `/login/oidc/callback` takes its answer) and the pages that refuse.

pub mod access;
pub mod config;
pub(super) mod flow;
mod http;
pub mod provider;

pub use access::{GroupRule, MFA_METHODS};
pub use config::{OidcConfig, OidcSetupError};
pub use provider::Provider;
