//! The settings of sign-in through the identity provider, as `sikkerby serve` reads them (the
//! `[oidc]` table of its TOML file and `SIKKERBY_OIDC_*`), and their checks. A mistake stops the
//! server at start with one line naming the setting and the reason ([`OidcSetupError`]).

use super::access::GroupRule;
use sikkerby_domain::access::Role;
use sikkerby_store::users::{check_caseworker_codes, check_centres};

/// The settings. The client secret comes from the environment only (`SIKKERBY_OIDC_CLIENT_SECRET`):
/// a file is more often copied, committed or shown than a process's environment.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// The provider's issuer URL exactly as its `iss` claim says it (discovery is read from
    /// `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Where the provider sends the browser back: `https://HOST/login/oidc/callback`.
    pub redirect_url: String,
    /// Where the provider sends the browser after signing out there (`https://HOST/login?ud=1`);
    /// none: the provider's own page.
    pub post_logout_redirect_url: Option<String>,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// The claim holding the user's groups (Entra ID: `groups`, or `roles` for app roles).
    pub groups_claim: String,
    /// The claim that becomes the username (`preferred_username`; Entra ID sends the UPN there).
    pub username_claim: String,
    pub groups: Vec<GroupRule>,
    /// Refuse a sign-in whose `amr` does not show a second factor (see [`super::MFA_METHODS`]).
    pub require_mfa: bool,
    /// The sign-in button's name of the provider, e.g. "Københavns Kommune".
    pub provider_name: String,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("groups", &self.groups.len())
            .field("require_mfa", &self.require_mfa)
            .finish_non_exhaustive()
    }
}

impl OidcConfig {
    /// Settings with the defaults for everything but what must be given.
    pub fn new(issuer: &str, client_id: &str, redirect_url: &str) -> Self {
        OidcConfig {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: None,
            redirect_url: redirect_url.to_owned(),
            post_logout_redirect_url: None,
            scopes: vec!["profile".into(), "email".into()],
            groups_claim: "groups".into(),
            username_claim: "preferred_username".into(),
            groups: Vec::new(),
            require_mfa: false,
            provider_name: "kommunens login".into(),
        }
    }
}

/// What is wrong with a setting: its name as in the file (`oidc.issuer`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad value for `oidc.{setting}`: {reason}")]
pub struct OidcSetupError {
    pub setting: String,
    pub reason: String,
}

impl OidcSetupError {
    pub fn new(setting: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        OidcSetupError { setting: setting.into(), reason: reason.to_string() }
    }
}

/// One rule of `[[oidc.group]]` as written, before its role is known to be valid.
#[derive(Debug, Clone, Default)]
pub struct RawGroupRule {
    pub group: String,
    pub role: String,
    pub centres: Vec<String>,
    pub caseworker_codes: Vec<String>,
}

/// Checks the rules of the mapping (the `n`th is `oidc.group[n]`, counted from 1): a group named
/// once, a known role, centres for a caseworker only (and at least one), valid caseworker codes
/// for a caseworker only. An empty mapping gives nobody access and is refused too.
pub fn check_groups(raw: &[RawGroupRule]) -> Result<Vec<GroupRule>, OidcSetupError> {
    if raw.is_empty() {
        return Err(OidcSetupError::new("group", "no [[oidc.group]] rule: nobody could sign in"));
    }
    let mut rules: Vec<GroupRule> = Vec::with_capacity(raw.len());
    for (i, rule) in raw.iter().enumerate() {
        let at = |field: &str| format!("group[{}].{field}", i + 1);
        let group = rule.group.trim().to_owned();
        if group.is_empty() {
            return Err(OidcSetupError::new(at("group"), "is empty"));
        }
        if rules.iter().any(|r| r.group == group) {
            return Err(OidcSetupError::new(at("group"), format!("`{group}` is mapped twice")));
        }
        let role = Role::parse(&rule.role).map_err(|_| {
            OidcSetupError::new(
                at("role"),
                format!("`{}` is not caseworker, analyst, manager or admin", rule.role),
            )
        })?;
        let centres =
            check_centres(role, &rule.centres).map_err(|e| OidcSetupError::new(at("centres"), e))?;
        let caseworker_codes = check_caseworker_codes(role, &rule.caseworker_codes)
            .map_err(|e| OidcSetupError::new(at("caseworker_codes"), e))?;
        rules.push(GroupRule { group, role, centres, caseworker_codes });
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(group: &str, role: &str, centres: &[&str], codes: &[&str]) -> RawGroupRule {
        RawGroupRule {
            group: group.into(),
            role: role.into(),
            centres: centres.iter().map(|c| c.to_string()).collect(),
            caseworker_codes: codes.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_bad_mapping_names_the_rule_and_the_field() {
        let ok = raw("nord", "caseworker", &["Nord"], &["JKU-A17"]);
        assert_eq!(check_groups(std::slice::from_ref(&ok)).unwrap()[0].role, Role::Caseworker);
        let cases = [
            (vec![ok.clone(), raw("x", "boss", &[], &[])], "group[2].role"),
            (vec![raw("x", "caseworker", &[], &[])], "group[1].centres"),
            (vec![raw("x", "analyst", &["Nord"], &[])], "group[1].centres"),
            (vec![raw("x", "analyst", &[], &["JKU-A17"])], "group[1].caseworker_codes"),
            (vec![raw("x", "caseworker", &["Nord"], &["bad code"])], "group[1].caseworker_codes"),
            (vec![ok.clone(), ok.clone()], "group[2].group"),
            (vec![raw(" ", "admin", &[], &[])], "group[1].group"),
            (vec![], "group"),
        ];
        for (rules, setting) in cases {
            let error = check_groups(&rules).unwrap_err();
            assert_eq!(error.setting, setting, "{error}");
            assert!(error.to_string().starts_with(&format!("bad value for `oidc.{setting}`: ")), "{error}");
        }
    }

    #[test]
    fn the_secret_is_not_printed() {
        let mut config =
            OidcConfig::new("https://idp.example", "sikkerby", "https://sb.example/login/oidc/callback");
        config.client_secret = Some("hemmelig-klientnoegle".into());
        assert!(!format!("{config:?}").contains("hemmelig"));
    }
}
