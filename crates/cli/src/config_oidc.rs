//! The `[oidc]` settings of `sikkerby serve` (sign-in through the identity provider) and the
//! sign-in settings beside them (`password_sign_in`, the session timeouts). Each `[oidc]` key is
//! also `SIKKERBY_OIDC_<KEY>` in the environment, which wins over the file; the client secret is
//! only read from the environment, and the group mapping there is TOML
//! (`SIKKERBY_OIDC_GROUPS='[{ group = "…", role = "analyst" }]'`).

use super::config::{parse_bool, ConfigError, Sources};
use sikkerby_web::auth::oidc::config::{check_groups, RawGroupRule};
use sikkerby_web::auth::oidc::{OidcConfig, OidcSetupError};

/// The keys of `[oidc]`, as spelled in the file.
pub const OIDC_KEYS: &[&str] = &[
    "issuer",
    "client_id",
    "redirect_url",
    "post_logout_redirect_url",
    "scopes",
    "groups_claim",
    "username_claim",
    "require_mfa",
    "provider_name",
    "group",
];

/// The keys of one `[[oidc.group]]` rule.
const GROUP_KEYS: &[&str] = &["group", "role", "centres", "caseworker_codes"];

fn bad(field: &'static str, origin: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::BadValue { field, origin: origin.to_owned(), reason: reason.into() }
}

fn setup(error: OidcSetupError, origin: &str) -> ConfigError {
    ConfigError::Oidc { setting: error.setting, origin: origin.to_owned(), reason: error.reason }
}

/// The `[oidc]` settings; `None` when no issuer is configured (passwords only).
pub fn resolve(s: &Sources) -> Result<Option<OidcConfig>, ConfigError> {
    let table = s.file.table("oidc")?;
    let file_origin = s.file.path.display().to_string();
    if let Some(table) = table {
        if table.contains_key("client_secret") {
            let reason = "is read from the environment only (SIKKERBY_OIDC_CLIENT_SECRET), never from a file";
            return Err(setup(OidcSetupError::new("client_secret", reason), &file_origin));
        }
        if let Some(key) = table.keys().find(|k| !OIDC_KEYS.contains(&k.as_str())) {
            return Err(bad(
                "oidc",
                &file_origin,
                format!("unknown key `{key}` (known: {})", OIDC_KEYS.join(", ")),
            ));
        }
    }
    // One value: the environment's `SIKKERBY_OIDC_<KEY>`, else the file's; with where it came from.
    let text = |key: &'static str| -> Result<Option<(String, String)>, ConfigError> {
        let var = format!("SIKKERBY_OIDC_{}", key.to_uppercase());
        if let Some(value) = (s.env)(&var).filter(|v| !v.is_empty()) {
            return Ok(Some((value, format!("environment variable {var}"))));
        }
        match table.and_then(|t| t.get(key)) {
            None => Ok(None),
            Some(toml::Value::String(value)) => Ok(Some((value.clone(), file_origin.clone()))),
            Some(toml::Value::Boolean(value)) => Ok(Some((value.to_string(), file_origin.clone()))),
            Some(toml::Value::Array(values)) if key == "scopes" => {
                let words: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
                Ok(Some((words.join(" "), file_origin.clone())))
            }
            Some(other) => Err(setup(
                OidcSetupError::new(key, format!("expected a string, found a {}", other.type_str())),
                &file_origin,
            )),
        }
    };
    let Some((issuer, _)) = text("issuer")? else {
        if table.is_some() {
            return Err(setup(
                OidcSetupError::new("issuer", "[oidc] is there but names no issuer"),
                &file_origin,
            ));
        }
        return Ok(None);
    };
    let required = |key: &'static str| -> Result<String, ConfigError> {
        let missing = || setup(OidcSetupError::new(key, "missing (needed with an issuer)"), &file_origin);
        text(key)?.map(|(v, _)| v).ok_or_else(missing)
    };
    let mut config = OidcConfig::new(&issuer, &required("client_id")?, &required("redirect_url")?);
    config.client_secret = (s.env)("SIKKERBY_OIDC_CLIENT_SECRET").filter(|v| !v.is_empty());
    config.post_logout_redirect_url = text("post_logout_redirect_url")?.map(|(v, _)| v);
    if let Some((scopes, _)) = text("scopes")? {
        config.scopes = scopes.split_whitespace().filter(|s| *s != "openid").map(str::to_owned).collect();
    }
    if let Some((claim, _)) = text("groups_claim")? {
        config.groups_claim = claim;
    }
    if let Some((claim, _)) = text("username_claim")? {
        config.username_claim = claim;
    }
    if let Some((name, _)) = text("provider_name")? {
        config.provider_name = name;
    }
    if let Some((value, origin)) = text("require_mfa")? {
        config.require_mfa = parse_bool(&value)
            .map_err(|reason| setup(OidcSetupError::new("require_mfa", reason), &origin))?;
    }
    let (raw, origin) = group_rules(s, table, &file_origin)?;
    config.groups = check_groups(&raw).map_err(|e| setup(e, &origin))?;
    Ok(Some(config))
}

/// The `[[oidc.group]]` rules, from `SIKKERBY_OIDC_GROUPS` (TOML) or the file, and where from.
fn group_rules(
    s: &Sources,
    table: Option<&toml::Table>,
    file_origin: &str,
) -> Result<(Vec<RawGroupRule>, String), ConfigError> {
    if let Some(text) = (s.env)("SIKKERBY_OIDC_GROUPS").filter(|v| !v.is_empty()) {
        let origin = "environment variable SIKKERBY_OIDC_GROUPS".to_owned();
        let parsed: toml::Table = format!("group = {text}").parse().map_err(|e: toml::de::Error| {
            setup(OidcSetupError::new("group", e.message().trim().replace('\n', ": ")), &origin)
        })?;
        return Ok((rules_of(parsed.get("group"), &origin)?, origin));
    }
    Ok((rules_of(table.and_then(|t| t.get("group")), file_origin)?, file_origin.to_owned()))
}

fn rules_of(value: Option<&toml::Value>, origin: &str) -> Result<Vec<RawGroupRule>, ConfigError> {
    let Some(value) = value else { return Ok(Vec::new()) };
    let not_rules = || setup(OidcSetupError::new("group", "expected [[oidc.group]] tables"), origin);
    let rules = value.as_array().ok_or_else(not_rules)?;
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let rule = rule.as_table().ok_or_else(not_rules)?;
            let at = |key: &str| format!("group[{}].{key}", i + 1);
            if let Some(key) = rule.keys().find(|k| !GROUP_KEYS.contains(&k.as_str())) {
                let reason = format!("unknown key (known: {})", GROUP_KEYS.join(", "));
                return Err(setup(OidcSetupError::new(at(key), reason), origin));
            }
            let string = |key: &str| rule.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let list = |key: &str| -> Result<Vec<String>, ConfigError> {
                match rule.get(key) {
                    None => Ok(Vec::new()),
                    Some(toml::Value::Array(items)) => items
                        .iter()
                        .map(|item| {
                            item.as_str().map(str::to_owned).ok_or_else(|| {
                                setup(OidcSetupError::new(at(key), "expected a list of strings"), origin)
                            })
                        })
                        .collect(),
                    Some(_) => Err(setup(OidcSetupError::new(at(key), "expected a list of strings"), origin)),
                }
            };
            Ok(RawGroupRule {
                group: string("group"),
                role: string("role"),
                centres: list("centres")?,
                caseworker_codes: list("caseworker_codes")?,
            })
        })
        .collect()
}
