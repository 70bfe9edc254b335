//! What a verified sign-in at the provider gets in Sikker By: a role, centres and caseworker
//! codes from the user's groups (the configured rules), and whether it was multi-factor.

use sikkerby_domain::access::Role;

/// One rule of the mapping: members of `group` get `role`, with these centres and codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRule {
    /// The group's value in the groups claim (Entra ID: the group's object id).
    pub group: String,
    pub role: Role,
    pub centres: Vec<String>,
    pub caseworker_codes: Vec<String>,
}

/// The access that a user's groups give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub role: Role,
    pub centres: Vec<String>,
    pub caseworker_codes: Vec<String>,
}

/// The rules are read top to bottom: the first rule whose group the user is in gives the role;
/// the centres and caseworker codes of every matching rule with that same role are added up (a
/// caseworker in two centres' groups works for both). A user in no configured group gets
/// nothing: `None`.
pub fn map_groups(rules: &[GroupRule], groups: &[String]) -> Option<Access> {
    let mut matching = rules.iter().filter(|rule| groups.contains(&rule.group));
    let first = matching.next()?;
    let mut access = Access {
        role: first.role,
        centres: first.centres.clone(),
        caseworker_codes: first.caseworker_codes.clone(),
    };
    for rule in matching.filter(|rule| rule.role == first.role) {
        access.centres.extend(rule.centres.iter().cloned());
        access.caseworker_codes.extend(rule.caseworker_codes.iter().cloned());
    }
    access.centres.sort();
    access.centres.dedup();
    access.caseworker_codes.sort();
    access.caseworker_codes.dedup();
    Some(access)
}

/// The `amr` values (RFC 8176, and Entra ID's `ngcmfa`) that count as multi-factor: `mfa` itself,
/// or a possession factor that providers add on top of the first one (one-time code, hardware
/// key, smart card, software key). A password (`pwd`) alone, or `pin`, `kba`, `sms`, `tel` alone,
/// do not.
pub const MFA_METHODS: &[&str] = &["mfa", "otp", "hwk", "sc", "swk", "ngcmfa"];

/// Whether the ID token's `amr` says the user signed in with more than one factor.
pub fn is_multi_factor(amr: &[String]) -> bool {
    amr.iter().any(|method| MFA_METHODS.contains(&method.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(group: &str, role: Role, centres: &[&str], codes: &[&str]) -> GroupRule {
        GroupRule {
            group: group.into(),
            role,
            centres: centres.iter().map(|c| c.to_string()).collect(),
            caseworker_codes: codes.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn groups(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn the_first_matching_rule_gives_the_role_and_its_kind_add_centres() {
        let rules = [
            rule("admins", Role::Admin, &[], &[]),
            rule("nord", Role::Caseworker, &["Nord"], &["JKU-A17"]),
            rule("syd", Role::Caseworker, &["Syd"], &["JKU-B02"]),
            rule("analysts", Role::Analyst, &[], &[]),
        ];
        let both = map_groups(&rules, &groups(&["syd", "nord", "analysts"])).unwrap();
        assert_eq!(both.role, Role::Caseworker);
        assert_eq!(both.centres, ["Nord", "Syd"]);
        assert_eq!(both.caseworker_codes, ["JKU-A17", "JKU-B02"]);
        assert_eq!(map_groups(&rules, &groups(&["analysts", "admins"])).unwrap().role, Role::Admin);
        assert_eq!(map_groups(&rules, &groups(&["other", "Nord"])), None, "group names are exact");
        assert_eq!(map_groups(&rules, &[]), None);
    }

    #[test]
    fn only_listed_methods_count_as_multi_factor() {
        assert!(is_multi_factor(&groups(&["pwd", "mfa"])));
        assert!(is_multi_factor(&groups(&["pwd", "otp"])));
        assert!(is_multi_factor(&groups(&["hwk"])));
        assert!(!is_multi_factor(&groups(&["pwd"])));
        assert!(!is_multi_factor(&groups(&["pwd", "sms"])));
        assert!(!is_multi_factor(&[]));
    }
}
